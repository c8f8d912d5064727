"""The first step of chunking: extracted pages as blocks of one kind each (heading, paragraph,
list, table), with their page and character span. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*(?:[-*•–▪◦·●○■□➢✓✔]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_JOINING_WORDS = frozenset("a an and as at by for from in into of on or the to with".split())
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_SEPARATOR = re.compile(r"^\||\|$|\s\|\s")  # a row of two cells, or one whose edge cells are empty


@dataclass
class Block:
    """A run of lines of one kind: heading, paragraph, list, table."""
    kind: str
    lines: list[str]
    page: int | None
    char_start: int
    char_end: int
    level: int = 0
    page_end: int | None = None

    def __post_init__(self) -> None:
        if self.page_end is None:
            self.page_end = self.page

    @property
    def text(self) -> str:
        if self.kind in ("list", "table"):
            return "\n".join(self.lines)
        return " ".join(line.strip() for line in self.lines)


def _looks_like_heading(line: str, next_line: str | None) -> bool:
    """Plain-text headings (PDF, DOCX, TXT): a short standalone line, capitalised, not ending like
    a sentence (a question is fine: booklets use them as headings), followed by a line that starts
    something new rather than continuing it."""
    text = line.strip()
    if not text or next_line is None or _BULLET.match(text) or "|" in text:
        return False
    following = next_line.strip()
    if not following or following[0].islower() or following[0] in ",;:)":
        return False  # the "heading" is the start of a sentence or a word broken across lines
    words = text.split()
    if len(text) > 80 or len(words) > 12 or text[-1] in ".,;!…-" or not text[0].isupper():
        return False
    if words[-1].lower() in _JOINING_WORDS or (len(words) == 1 and len(text) < 4 and not text.isupper()):
        return False
    if text.endswith("?"):
        return len(words) <= 12
    if text.endswith(":") and len(words) > 5:
        return False
    capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
    return text.isupper() or capitalised >= max(1, len(words) // 2) or len(words) <= 4


def _is_table_row(line: str) -> bool:
    """Markdown rows, DOCX rows (cells joined by " | ", trailing empty cells left out) and tab-separated rows."""
    return line.count("|") >= 2 or bool(_CELL_SEPARATOR.search(line)) or "\t" in line


def _line_kind(line: str) -> str:
    if _is_table_row(line):
        return "table"
    if _BULLET.match(line):
        return "list"
    return "text"


def parse_blocks(pages: Iterable[tuple[int | None, str]], markdown: bool) -> list[Block]:
    """Lines of every page grouped into headings, paragraphs, lists and tables, in order."""
    blocks: list[Block] = []
    offset = 0
    for page, text in pages:
        lines = text.split("\n")
        positions, cursor = [], offset
        for line in lines:
            positions.append(cursor)
            cursor += len(line) + 1
        for i, line in enumerate(lines):
            stripped = line.strip()
            start, end = positions[i], positions[i] + len(line)
            if not stripped or _TABLE_RULE.match(stripped):
                if blocks and blocks[-1].kind == "text" and blocks[-1].lines[-1] != "":
                    blocks[-1].lines.append("")  # a blank line ends the paragraph
                continue
            following = next((line for line in lines[i + 1:] if line.strip()), None)
            # a line without cells between two rows is a row whose other cells are missing
            in_table = 0 < i < len(lines) - 1 and all(_is_table_row(lines[j].strip()) for j in (i - 1, i + 1))
            heading = _MD_HEADING.match(stripped) if markdown else None
            if heading or (not markdown and not in_table and _looks_like_heading(stripped, following)):
                level = len(heading.group(1)) if heading else 2
                title = heading.group(2) if heading else stripped.rstrip(":")
                blocks.append(Block("heading", [title], page, start, end, level))
                continue
            kind = "table" if in_table else _line_kind(stripped)
            last = blocks[-1] if blocks else None
            continues_list = (last is not None and last.kind == "list" and kind == "text"
                              and last.lines[-1] != "" and (line[:1].isspace() or stripped[0].islower()))
            if last and last.page != page and last.kind == kind == "text" and last.lines[-1] != "":
                last.lines.append(stripped)  # a paragraph running over a page break
                last.char_end, last.page_end = end, page
            elif last and (last.kind == kind and (kind != "text" or last.lines[-1] != "")
                           or continues_list):
                if continues_list:
                    last.lines[-1] += " " + stripped
                else:
                    last.lines.append(stripped)
                last.char_end, last.page_end = end, page
            else:
                if last and last.kind == "text" and last.lines and last.lines[-1] == "":
                    last.lines.pop()
                blocks.append(Block(kind, [stripped], page, start, end))
        offset = cursor + 1
    _demote_empty_headings(blocks)
    for block in blocks:
        while block.lines and block.lines[-1] == "":
            block.lines.pop()
    return [b for b in blocks if b.lines]


def _demote_empty_headings(blocks: list[Block]) -> None:
    """A heading with nothing under it (the next block is a heading of the same or a higher level,
    or there is none) becomes a paragraph. The section path of what follows would not carry it, so
    it would be in no chunk; and in plain text such runs of short lines are mostly not headings at
    all: an address above "Important points:", one-cell table rows, a contact block. The heading
    kept is the last of a run, the one directly above the text it heads."""
    for block, following in zip(blocks, [*blocks[1:], None]):
        if block.kind == "heading" and (following is None or following.kind == "heading"
                                        and following.level <= block.level):
            block.kind, block.level = "text", 0
