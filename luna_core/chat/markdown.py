"""Markdown from documents or the model, made safe to render: nothing it contains makes the
browser fetch anything. Images (inline, reference-style, raw HTML) become a text label; links
become their text with the address shown as code, so a click is a deliberate copy, not a hidden
request. The app renders every answer, passage and preview through ``safe_markdown``.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[([^\]]*)\]\s*(?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\[[^\]]*\]")
_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|ftp|data|file):[^>\s]+)>", re.IGNORECASE)
_HTML_MEDIA = re.compile(r"<\s*(?:img|image|picture|source|video|audio|iframe|embed|object|link|script|style)\b[^>]*>",
                         re.IGNORECASE)


def safe_markdown(text: str) -> str:
    """``text`` with images turned into '[image: alt]' and links into 'text (`address`)'."""
    text = _HTML_MEDIA.sub("[embedded content removed]", text or "")
    text = _IMAGE.sub(lambda m: f"[image: {m.group(1).strip() or 'no description'}]", text)
    text = _LINK.sub(lambda m: f"{m.group(1)} (`{m.group(2)}`)", text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    text = _DEFINITION.sub("", text)
    return _AUTOLINK.sub(lambda m: f"`{m.group(1)}`", text)
