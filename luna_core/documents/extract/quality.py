"""Checks on text pulled out of a PDF: is it gibberish, and which lines are page furniture.

Pure functions over strings, so they are tested directly as well as through real files.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Below this many visible characters there is too little text to judge its quality.
MIN_CHARS_TO_JUDGE = 50
# A text layer is gibberish when any share reaches its limit. Real text sits far below: across the
# test corpus (English booklets, German, Arabic, Korean, and each of the ~500 paragraphs of UDHR
# Article 1 in its many languages and scripts) the highest values are 0.1% invalid, 0.4% private
# use (icons in a Google Docs export), 2.9% Latin-1 symbols (Tzeltal writes ´ as an apostrophe) and
# 0.8% mixed-script words (Korean tables), while the CID-font mojibake of pdf_japanese.pdf has 11.6%
# invalid and 47% mixed-script words.
GARBLED_LIMITS = {
    # unassigned code points, surrogates, U+FFFD and control characters: never in real text
    "invalid": 0.03,
    # private-use code points: symbol fonts without a Unicode mapping
    "private_use": 0.30,
    # ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷: what unmapped 8-bit font codes turn into
    "latin1_symbols": 0.20,
    # words whose letters come from different scripts (Greek-Thaana-Bengali soup); real words keep
    # to one script, counting Han, kana and Hangul as one and Latin, Greek and Cyrillic as one
    "mixed_script_words": 0.15,
}
MIN_WORDS_FOR_SCRIPT_CHECK = 10

_LATIN1_SYMBOLS = frozenset(chr(code) for code in range(0xA1, 0xC0)) | {"\u00d7", "\u00f7"}
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "HALFWIDTH", "FULLWIDTH")
_EUROPEAN = ("LATIN", "GREEK", "CYRILLIC")
_WORD = re.compile(r"[^\W\d_]{2,}")  # runs of two or more letters
_DIGITS = re.compile(r"\d+")

# Running headers and footers are looked for among the first and last few lines of each page.
EDGE_LINES = 3
MIN_PAGES_FOR_REPEATS = 3


def garbled_signals(text: str) -> dict[str, float]:
    """The share of each kind of gibberish in ``text`` (see ``GARBLED_LIMITS``), from 0 to 1."""
    visible = [char for char in text if not char.isspace()]
    total = max(1, len(visible))
    categories = Counter(unicodedata.category(char) for char in visible)
    invalid = categories["Cn"] + categories["Cs"] + categories["Cc"] + visible.count("\ufffd")
    return {
        "invalid": invalid / total,
        "private_use": categories["Co"] / total,
        "latin1_symbols": sum(char in _LATIN1_SYMBOLS for char in visible) / total,
        "mixed_script_words": _mixed_script_share(text),
    }


def looks_garbled(text: str) -> bool:
    """True when ``text`` is too long to be a fluke and any gibberish share reaches its limit."""
    if sum(not char.isspace() for char in text) < MIN_CHARS_TO_JUDGE:
        return False
    signals = garbled_signals(text)
    return any(signals[name] >= limit for name, limit in GARBLED_LIMITS.items())


def _mixed_script_share(text: str) -> float:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS_FOR_SCRIPT_CHECK:
        return 0.0
    mixed = sum(len({_script(char) for char in word} - {None}) > 1 for word in words)
    return mixed / len(words)


def _script(char: str) -> str | None:
    """The writing system of a letter, from its Unicode name ("GREEK SMALL LETTER ALPHA" -> GREEK).

    None for combining and modifier letters, which borrow the script of their neighbour, and for
    unassigned code points (counted as invalid instead).
    """
    name = unicodedata.name(char, "")
    if not name or name.startswith(("COMBINING", "MODIFIER")):
        return None
    if name.startswith(_EAST_ASIAN):
        return "EAST ASIAN"  # Japanese mixes kanji and kana in one word, Korean hangul and hanja
    if name.startswith(_EUROPEAN):
        # Orthographies borrow look-alike letters across these (Idoma writes ɔ with the Greek ͻ).
        return "EUROPEAN"
    return name.split(" ", 1)[0]


def strip_repeated_lines(pages: list[str]) -> tuple[list[str], list[str]]:
    """``pages`` without the lines that recur at the top or bottom of most pages, and those lines.

    Running headers, footers and page numbers would otherwise be repeated in every chunk. Lines are
    compared ignoring case, spacing and numbers, so "Page 3 of 8" matches "Page 4 of 8" and a header
    that has its page number on alternating sides still matches. A line counts as repeated when it
    sits at the top or bottom edge (see ``_edge_indexes``) of more than half the pages, and of at
    least three. Only those edge copies are removed; the same text in the middle of a page stays.
    The removed lines are returned as first seen, once each. Documents under three pages are unchanged.
    """
    if len(pages) < MIN_PAGES_FOR_REPEATS:
        return list(pages), []
    page_lines = [page.split("\n") for page in pages]
    edges = [_edge_indexes(lines) for lines in page_lines]
    counts = Counter(
        key for lines, indexes in zip(page_lines, edges) for key in {_line_key(lines[i]) for i in indexes}
    )
    needed = max(MIN_PAGES_FOR_REPEATS, len(pages) // 2 + 1)
    repeated = {key for key, count in counts.items() if count >= needed}
    removed: dict[str, str] = {}
    kept_pages = []
    for lines, indexes in zip(page_lines, edges):
        kept = []
        for index, line in enumerate(lines):
            key = _line_key(line)
            if index in indexes and key in repeated:
                removed.setdefault(key, " ".join(line.split()))
            else:
                kept.append(line)
        kept_pages.append("\n".join(kept).strip())
    return kept_pages, list(removed.values())


def _edge_indexes(lines: list[str]) -> set[int]:
    """Indexes of the lines that may be a header or footer: at most ``EDGE_LINES`` at each end and
    at most a third of the page's lines, so a short page keeps its body (a one-line page keeps all)."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    edge = min(EDGE_LINES, len(filled) // 3)
    return set(filled[:edge] + filled[len(filled) - edge :])


def _line_key(line: str) -> str:
    """``line`` as compared across pages: lower case, single spaces, every number as '#', and no
    number at either end ("12 TITLE" and "TITLE 13" match). A line of only a number stays '#'."""
    key = _DIGITS.sub("#", " ".join(line.split()).lower())
    return key.strip("# ") or key
