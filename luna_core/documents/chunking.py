"""Therapy-aware chunking: split extracted pages into passages that follow the document's structure.

Headings become the section path each chunk carries (and is prefixed with); numbered steps and
worksheets stay whole when they fit; an example stays with what it illustrates; lists and tables
are never cut mid-item or mid-row; no chunk exceeds the embedding model's token limit, so nothing
is silently truncated; every word of the pages is in some chunk. Pure functions: text in, ``Chunk``
records out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from luna_core.documents.blocks import Block, parse_blocks

TokenCounter = Callable[[str], int]

_NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_EXERCISE_WORDS = re.compile(
    r"\b(exercise|worksheet|practice|practise|try this|steps?|record|skill|technique|activity|"
    r"diary|log|plan)\b", re.IGNORECASE)
_EXAMPLE_START = re.compile(r"^\s*(example|for example|e\.g\.|worked example|sample)\b", re.IGNORECASE)
_WORD_RUN = re.compile(r"\w+\W*|\W+")  # a run of word characters and the punctuation after it


@dataclass(frozen=True)
class Chunk:
    index: int
    content: str              # the section path as a context line, then the passage
    body: str                 # the passage alone
    section_path: tuple[str, ...]
    page_start: int | None
    page_end: int | None
    chunk_type: str           # text | heading | list | table | exercise
    char_start: int
    char_end: int
    token_count: int

    @property
    def page_reference(self) -> str | None:
        """'3' or '3-4' for paged documents, else the nearest section heading."""
        if self.page_start is not None:
            same = self.page_end in (None, self.page_start)
            return str(self.page_start) if same else f"{self.page_start}-{self.page_end}"
        return self.section_path[-1] if self.section_path else None


@dataclass
class Unit:
    """What must stay together if it can: a paragraph, a whole list, a whole table (+ example)."""
    kind: str
    text: str
    page_start: int | None
    page_end: int | None
    char_start: int
    char_end: int
    pieces: list[str] = field(default_factory=list)  # how to split it if it must be split


def _split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _units(blocks: list[Block]) -> list[tuple[tuple[str, ...], list[Unit]]]:
    """Blocks grouped by section path; within a section, examples join the unit before them."""
    sections: list[tuple[tuple[str, ...], list[Unit]]] = []
    path: list[tuple[int, str]] = []
    current: list[Unit] = []

    def close() -> None:
        if current:
            sections.append((tuple(title for _, title in path), list(current)))
            current.clear()

    for block in blocks:
        if block.kind == "heading":
            close()
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.text))
            continue
        pieces = block.lines if block.kind in ("list", "table") else _split_sentences(block.text)
        if block.kind == "table" and len(block.lines) > 1:
            header = block.lines[0]  # a split table repeats its header row
            pieces = [block.lines[0]] + [f"{header}\n{row}" for row in block.lines[1:]]
        unit = Unit(block.kind, block.text, block.page, block.page_end, block.char_start, block.char_end, pieces)
        if current and (_EXAMPLE_START.match(block.text) or (block.kind == "list" and current[-1].text.rstrip().endswith(":"))):
            previous = current[-1]
            joined = Unit(previous.kind if previous.kind != "text" else block.kind, f"{previous.text}\n{block.text}",
                          previous.page_start, block.page_end, previous.char_start, block.char_end,
                          previous.pieces + pieces)
            current[-1] = joined
            continue
        current.append(unit)
    close()
    return sections


def _chunk_type(section_path: tuple[str, ...], units: list[Unit]) -> str:
    kinds = {u.kind for u in units}
    numbered = any(_NUMBERED.match(line) for u in units for line in u.text.split("\n"))
    if numbered and (_EXERCISE_WORDS.search(" ".join(section_path)) or
                     _EXERCISE_WORDS.search(" ".join(u.text for u in units)[:400])):
        return "exercise"
    if kinds == {"table"}:
        return "table"
    if "list" in kinds and len(kinds) == 1:
        return "list"
    return "text"


def _prefix(section_path: tuple[str, ...]) -> str:
    return f"{' > '.join(section_path)}\n" if section_path else ""


def chunk_pages(pages: Iterable[tuple[int | None, str]], count_tokens: TokenCounter, max_tokens: int,
                target_tokens: int = 512, overlap_tokens: int = 50, markdown: bool = False) -> list[Chunk]:
    """Structure-aware chunks of a document's pages.

    ``max_tokens`` is the embedding model's limit and is never exceeded (section prefix included);
    ``target_tokens`` (setting, roadmap default 512) is the size chunks are filled to, capped by
    ``max_tokens``; ``overlap_tokens`` of trailing sentences are repeated when a long passage has to
    be split. A worksheet or numbered exercise that fits stays one chunk.
    """
    limit = max(16, min(target_tokens, max_tokens))
    chunks: list[Chunk] = []
    for full_path, units in _units(parse_blocks(pages, markdown)):
        section_path, spilled = _fitting_path(full_path, count_tokens, limit)
        if spilled:  # the headings left out of the prefix open the section's first chunk instead
            first = units[0]
            units = [Unit("text", " > ".join(spilled), first.page_start, first.page_start, first.char_start,
                          first.char_start, list(spilled)), *units]
        prefix = _prefix(section_path)
        room = limit - count_tokens(prefix) if prefix else limit
        whole_type = _chunk_type(section_path, units)
        for group in _pack(units, count_tokens, room, overlap_tokens):
            body = "\n".join(u.text for u in group)
            kind = whole_type if len(group) == len(units) else _chunk_type(section_path, group)
            for part in _fit(body, prefix, count_tokens, max_tokens, room):
                content = prefix + part
                chunks.append(Chunk(
                    index=len(chunks), content=content, body=part, section_path=section_path,
                    page_start=group[0].page_start, page_end=group[-1].page_end, chunk_type=kind,
                    char_start=group[0].char_start, char_end=group[-1].char_end,
                    token_count=count_tokens(content)))
    return chunks


def _fitting_path(section_path: tuple[str, ...], count_tokens: TokenCounter,
                  limit: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The section path to prefix every chunk with, and the headings left out of it: all of it
    when it leaves at least a third of ``limit`` for the passage, else (absurdly long headings)
    the nearest heading alone, else none."""
    for kept in (section_path, section_path[-1:]):
        if limit - count_tokens(_prefix(kept)) >= limit // 3:
            return kept, section_path[:len(section_path) - len(kept)]
    return (), section_path


def _fit(body: str, prefix: str, count_tokens: TokenCounter, max_tokens: int, room: int) -> list[str]:
    """``body`` itself, or cut between words when joining pieces made it overflow the model limit
    (token counts are not exactly additive at piece boundaries)."""
    if count_tokens(prefix + body) <= max_tokens:
        return [body]
    return [text for text, _ in _cut_words(body, count_tokens, int(room * 0.9))]


def _pack(units: list[Unit], count_tokens: TokenCounter, room: int, overlap: int) -> list[list[Unit]]:
    """Units packed greedily into groups that fit ``room``; an oversized unit is split by its pieces."""
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    used = 0
    for unit in units:
        size = count_tokens(unit.text)
        if size > room:
            if current:
                groups.append(current)
                current, used = [], 0
            groups.extend([[part] for part in _split_unit(unit, count_tokens, room, overlap)])
            continue
        if current and used + size + 1 > room:
            groups.append(current)
            current, used = [], 0
        current.append(unit)
        used += size + 1
    if current:
        groups.append(current)
    return groups


def _split_unit(unit: Unit, count_tokens: TokenCounter, room: int, overlap: int) -> list[Unit]:
    """Split one oversized unit between its pieces (sentences, items, rows), with sentence overlap
    for prose; a single piece still too long is cut between words. Token counts of word-piece
    tokenizers add up over whitespace-separated text, so sizes are summed, not recounted."""
    pieces: list[tuple[str, int]] = []
    for piece in unit.pieces or [unit.text]:
        size = count_tokens(piece)
        pieces.extend(_cut_words(piece, count_tokens, room) if size > room else [(piece, size)])
    joiner = " " if unit.kind == "text" else "\n"
    parts: list[list[tuple[str, int]]] = [[]]
    used = 0
    for piece, size in pieces:
        if parts[-1] and used + size > room:
            carry = _overlap(parts[-1], overlap, room - size) if unit.kind == "text" else []
            parts.append(carry)
            used = sum(s for _, s in carry)
        parts[-1].append((piece, size))
        used += size
    return [Unit(unit.kind, joiner.join(text for text, _ in part), unit.page_start, unit.page_end,
                 unit.char_start, unit.char_end) for part in parts if part]


def _overlap(sentences: list[tuple[str, int]], overlap: int, room: int) -> list[tuple[str, int]]:
    """The trailing sentences that fit in ``overlap`` tokens (and the room left)."""
    carry: list[tuple[str, int]] = []
    total = 0
    for sentence, size in reversed(sentences):
        if total + size > min(overlap, room):
            break
        carry.insert(0, (sentence, size))
        total += size
    return carry


def _cut_words(text: str, count_tokens: TokenCounter, room: int) -> list[tuple[str, int]]:
    parts: list[tuple[str, int]] = []
    current: list[str] = []
    used = 0
    for word in text.split():
        size = count_tokens(word)
        if current and used + size > room:
            parts.append((" ".join(current), used))
            current, used = [], 0
        if size > room:  # one "word" longer than a chunk (a URL, a base64 blob, unspaced CJK text)
            parts.extend(_cut_long_word(word, count_tokens, room))
            continue
        current.append(word)
        used += size
    if current:
        parts.append((" ".join(current), used))
    return parts


def _cut_long_word(word: str, count_tokens: TokenCounter, room: int) -> list[tuple[str, int]]:
    """A string without spaces that is longer than ``room``, in pieces that fit, cut after
    punctuation so that no word in it is split; only a run of word characters that long itself is
    cut between characters."""
    parts: list[tuple[str, int]] = []
    current, used = "", 0
    for run in _WORD_RUN.findall(word):
        size = count_tokens(run)
        if current and used + size > room:
            parts.append((current, used))
            current, used = "", 0
        if size > room:
            step = max(1, len(run) * room // (size + 1))
            parts.extend((run[i:i + step], count_tokens(run[i:i + step])) for i in range(0, len(run), step))
            continue
        current += run
        used += size
    if current:
        parts.append((current, used))
    return parts
