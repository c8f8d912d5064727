"""Plain text and Markdown: decode bytes in any common encoding, then clean the text.

Pure functions used by ``extract``; the cleaning helpers are shared by the PDF and DOCX readers.
"""

from __future__ import annotations

import codecs
import html
import re

from luna_core.errors import EmptyDocumentError, UnsupportedFileError

SUPPORTED_SENTENCE = ("Luna reads PDF, Word (.docx), plain text (.txt) and Markdown (.md) files, and photos or "
                      "scans of pages (.png, .jpg).")
LEGACY_WORD_ADVICE = "Legacy Word .doc files: open in Word or LibreOffice and save as .docx."

# Checked in this order: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# BOM-less UTF-16 is recognised by its NUL bytes: spaces, newlines and Latin letters all have a NUL
# high byte, so even Cyrillic or Greek text has NULs on one side. 10% on the wide side catches such
# text; at most 1% on the other side tolerates the odd U+xx00 character but rejects binary files,
# whose NULs fall on both sides.
_WIDE_SIDE_MIN_NULS = 0.10
_NARROW_SIDE_MAX_NULS = 0.01
_SNIFF_BYTES = 4096  # a multiple of 4, so that a UTF-32 sample stays whole
# Real text has essentially no control characters; binary data decoded as cp1252 has about 10%
# (27 of the 256 byte values) and executables far more.
_MAX_JUNK_SHARE = 0.05
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

_NEWLINES = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
# Also U+FEFF: a byte order mark left inside the text where two files were pasted together.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")

_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)|\+\+\+[ \t]*\n(?:.*?\n)?\+\+\+)[ \t]*(?:\n|\Z)", re.S
)
# Never indexed, content included: code, styling and "please enable JavaScript" fallbacks.
_HIDDEN_BLOCKS = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_HTML_COMMENTS = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HTML_DECLARATIONS = re.compile(r"<![^>]*>|<\?.*?\?>", re.S)
# A letter right after "<" keeps "<3", "a < b" and autolinks like <https://...> out of it.
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)


def unsupported_file_error(reason: str) -> UnsupportedFileError:
    """An ``UnsupportedFileError`` that says why, then which files Luna does read."""
    return UnsupportedFileError(f"{reason} {SUPPORTED_SENTENCE} {LEGACY_WORD_ADVICE}")


def empty_file_error() -> EmptyDocumentError:
    """The error for a file without any text."""
    return EmptyDocumentError(
        "This file has no text: it is empty or holds only spaces and blank lines. "
        "Check that you picked the right file, or add some text and upload it again."
    )


def clean_text(text: str) -> str:
    """``text`` with ``\\n`` line endings, no control characters but ``\\n`` and ``\\t``, no trailing
    spaces on lines, at most one blank line in a row, and no leading or trailing whitespace."""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def decode_text(data: bytes) -> tuple[str, str]:
    """The text in ``data`` and the name of the encoding it was read with.

    Handles UTF-8, UTF-16 and UTF-32 with or without a byte order mark, and falls back to cp1252
    (then Latin-1) for other 8-bit text. Raises ``UnsupportedFileError`` for binary data.
    """
    bom, encoding = _byte_order_mark(data)
    body = data[len(bom) :]
    encoding = encoding or _wide_encoding_from_nuls(body) or _narrow_encoding(body)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        # A BOM or NUL pattern said so but some bytes do not fit (e.g. a truncated last character):
        # keep what decodes and let the junk check below decide whether this is text at all.
        text = body.decode(encoding, errors="replace")
    if _junk_share(text) > _MAX_JUNK_SHARE:
        raise unsupported_file_error(
            "This file does not contain plain text: it looks like a program, picture or archive "
            "with a .txt or .md name. Check that you picked the right file."
        )
    return text, encoding


def read_plain_text(data: bytes) -> tuple[str, dict]:
    """The cleaned text of a .txt upload and its metadata; ``EmptyDocumentError`` if it has none."""
    text, encoding = decode_text(data)
    text = clean_text(text)
    if not text:
        raise empty_file_error()
    return text, {"encoding": encoding}


def read_markdown(data: bytes) -> tuple[str, dict]:
    """The text of a Markdown upload without front matter, HTML tags, scripts or styles.

    Headings, lists and pipe tables stay as they are: the chunker uses them.
    """
    text, encoding = decode_text(data)
    text = strip_markdown_extras(_NEWLINES.sub("\n", text))
    text = clean_text(text)
    if not text:
        raise empty_file_error()
    return text, {"encoding": encoding}


def strip_markdown_extras(text: str) -> str:
    """``text`` without YAML/TOML front matter, HTML comments, scripts, styles and HTML tags.

    Text inside ordinary tags (``<div>Call 988</div>``) is kept: a reader of the rendered page sees it.
    """
    text = _FRONT_MATTER.sub("", text, count=1)
    text = _HIDDEN_BLOCKS.sub("", text)
    text = _HTML_COMMENTS.sub("", text)
    text = _HTML_DECLARATIONS.sub("", text)
    text = _HTML_TAG.sub(_replace_tag, text)
    return html.unescape(text)


def _replace_tag(match: re.Match[str]) -> str:
    # Block tags end a line in the rendered page; dropping them would glue words together.
    return "\n" if match.group(1).lower() in _BLOCK_TAGS else ""


def _byte_order_mark(data: bytes) -> tuple[bytes, str | None]:
    """The byte order mark ``data`` starts with and the encoding it announces, or (b"", None)."""
    return next(((bom, encoding) for bom, encoding in _BOMS if data.startswith(bom)), (b"", None))


def _wide_encoding_from_nuls(data: bytes) -> str | None:
    """UTF-32 or UTF-16 (LE or BE) when the NUL bytes in ``data`` say so; otherwise None.

    Decoding such a file as UTF-8 "succeeds" but yields text with a NUL between every letter.
    """
    sample = data[:_SNIFF_BYTES]
    if b"\x00" not in sample:
        return None
    if len(data) % 4 == 0:
        # UTF-16 or binary data read as UTF-32 gives code points above U+10FFFF almost at once.
        for encoding in ("utf-32-le", "utf-32-be"):
            if _decodes(sample, encoding):
                return encoding
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nuls >= _WIDE_SIDE_MIN_NULS and even_nuls <= _NARROW_SIDE_MAX_NULS:
        return "utf-16-le"
    if even_nuls >= _WIDE_SIDE_MIN_NULS and odd_nuls <= _NARROW_SIDE_MAX_NULS:
        return "utf-16-be"
    return None


def _narrow_encoding(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        if _decodes(data, encoding):
            return encoding
    return "latin-1"  # decodes any byte; cp1252 only lacks five


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _junk_share(text: str) -> float:
    """Share of characters that never occur in text: control characters (bar line breaks and tabs)
    and U+FFFD, the mark of undecodable bytes."""
    return len(_JUNK.findall(text)) / len(text) if text else 0.0
