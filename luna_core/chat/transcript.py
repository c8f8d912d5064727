"""A conversation written out for the person who had it: Markdown to read, JSON to keep.

Both carry every message with its time, the sources an answer used (document, page, relevance;
never passage text, which stays in the library), the person's own rating, and whether the
answer was offline or a crisis reply. Nothing else of the account is included.
"""

from __future__ import annotations

import json
from typing import Any

from luna_core.chat.conversations import Conversation, Message
from luna_core.chat.retrieval import page_label

SOURCE_KEYS = ("dataset_name", "source_file", "page_reference", "relevance_score")


def source_label(source: dict[str, Any]) -> str:
    """A source as people read it: the document's name once, then the page ("Coping skills · p. 3")."""
    where = page_label(source.get("page_reference")) or source.get("page_reference") or ""
    return " · ".join(x for x in (source.get("dataset_name") or source.get("source_file") or "document", where) if x)


def to_markdown(conversation: Conversation, persona_name: str, messages: list[Message]) -> str:
    lines = [f"# {conversation.title}", "",
             f"Conversation with {persona_name}, started {conversation.created_at:%Y-%m-%d %H:%M}.", ""]
    for message in messages:
        who = "You" if message.role == "user" else persona_name
        lines += [f"## {who} · {message.created_at:%Y-%m-%d %H:%M}", "", message.content, ""]
        if message.role != "assistant":
            continue
        notes = []
        if message.offline:
            notes.append("offline: no language model answered")
        if message.rating:
            notes.append(f"your rating: {message.rating}/5")
        if message.helpful is not None:
            notes.append("helped" if message.helpful else "did not help")
        if notes:
            lines += [f"_({'; '.join(notes)})_", ""]
        if message.sources:
            lines += ["Sources:", *[f"- {source_label(s)}"
                                    + (f" ({round(s['relevance_score'] * 100)}% match)" if not s.get("deleted") else
                                       " (document since deleted)") for s in message.sources], ""]
    return "\n".join(lines).rstrip() + "\n"


def to_json(conversation: Conversation, persona_name: str, messages: list[Message]) -> str:
    data = {"id": conversation.id, "title": conversation.title, "persona_id": conversation.persona_id,
            "persona_name": persona_name, "created_at": conversation.created_at.isoformat(),
            "messages": [{"role": m.role, "content": m.content, "created_at": m.created_at.isoformat(),
                          "sources": [{k: s.get(k) for k in SOURCE_KEYS} for s in m.sources],
                          "crisis_level": m.crisis_level, "offline": m.offline, "model": m.model,
                          "rating": m.rating, "helpful": m.helpful} for m in messages]}
    return json.dumps(data, ensure_ascii=False, indent=2)
