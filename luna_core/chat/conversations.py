"""Conversations and their messages, always scoped to the user who had them."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from luna_core.errors import NotFoundError, ValidationError
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.users import User


@dataclass(frozen=True)
class Conversation:
    id: str
    user_id: str
    persona_id: str
    title: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: str
    role: str
    content: str
    sources: list[dict[str, Any]]
    context_used: bool
    crisis_level: str | None
    offline: bool
    model: str | None
    timings: dict[str, float]
    rating: int | None
    helpful: bool | None
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass(frozen=True)
class SearchHit:
    """A conversation that matches a search, with a few words around the first match in its messages."""
    conversation: Conversation
    snippet: str | None


SNIPPET_CHARS = 90


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than ``limit``."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1].rsplit(" ", 1)[0] if " " in flat[:limit - 1] else flat[:limit - 1]
    return cut.rstrip(" ,.;:-") + "…"


def snippet(text: str, needle: str) -> str | None:
    """About ``SNIPPET_CHARS`` of ``text`` around the first (case-insensitive) ``needle``, on one line."""
    flat = " ".join(text.split())
    at = flat.lower().find(needle.lower())
    if at < 0:
        return None
    start = max(0, at - SNIPPET_CHARS // 3)
    end = min(len(flat), start + SNIPPET_CHARS)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _message(row: dict) -> Message:
    data = {k: row[k] for k in Message.__dataclass_fields__}
    data["sources"] = json.loads(row["sources"])
    data["timings"] = json.loads(row["timings"])
    return Message(**data)


class ConversationStore:
    def __init__(self, db: Database, events: EventLog | None = None) -> None:
        self.db, self.events = db, events

    def create(self, user: User, persona_id: str, title: str = "New conversation") -> Conversation:
        conversation_id = f"c-{uuid.uuid4().hex[:12]}"
        with self.db.transaction() as con:
            con.execute("INSERT INTO conversations (id, user_id, persona_id, title) VALUES (?, ?, ?, ?)",
                        [conversation_id, user.id, persona_id, title[:80]])
            con.execute(
                "INSERT INTO persona_user_state (user_id, persona_id, chat_count, last_used) VALUES (?, ?, 1, now())"
                " ON CONFLICT (user_id, persona_id) DO UPDATE SET chat_count = persona_user_state.chat_count + 1,"
                " last_used = now()", [user.id, persona_id])
        return self.get(user, conversation_id)

    def get(self, user: User, conversation_id: str) -> Conversation:
        rows = self.db.rows("SELECT * FROM conversations WHERE id = ? AND user_id = ?", [conversation_id, user.id])
        if not rows:
            raise NotFoundError(f"There is no conversation {conversation_id!r} in your account.")
        return Conversation(**rows[0])

    def list(self, user: User, persona_id: str | None = None) -> list[Conversation]:
        sql, params = "SELECT * FROM conversations WHERE user_id = ?", [user.id]
        if persona_id:
            sql, params = sql + " AND persona_id = ?", params + [persona_id]
        return [Conversation(**r) for r in self.db.rows(sql + " ORDER BY updated_at DESC", params)]

    def search(self, user: User, query: str, persona_id: str | None = None, limit: int = 50) -> list[SearchHit]:
        """The user's conversations (of one persona, or all) whose title or any message contains
        ``query``, ignoring case, newest first, each with a snippet of its first matching message."""
        needle = " ".join((query or "").split())
        if not needle:
            return [SearchHit(c, None) for c in self.list(user, persona_id)[:limit]]
        sql = ("SELECT c.*, (SELECT m.content FROM messages m WHERE m.conversation_id = c.id"
               "  AND strpos(lower(m.content), lower(?)) > 0 ORDER BY m.id LIMIT 1) AS hit"
               " FROM conversations c WHERE c.user_id = ?")
        params: list[Any] = [needle, user.id]
        if persona_id:
            sql, params = sql + " AND c.persona_id = ?", params + [persona_id]
        rows = self.db.rows(f"SELECT * FROM ({sql}) WHERE hit IS NOT NULL OR strpos(lower(title), lower(?)) > 0"
                            " ORDER BY updated_at DESC LIMIT ?", [*params, needle, limit])
        return [SearchHit(Conversation(**{k: r[k] for k in Conversation.__dataclass_fields__}),
                          snippet(r["hit"], needle) if r["hit"] else None) for r in rows]

    def rename(self, user: User, conversation_id: str, title: str) -> Conversation:
        title = (title or "").strip()
        if not title:
            raise ValidationError("Please give the conversation a title.")
        self.get(user, conversation_id)
        with self.db.connect() as con:
            con.execute("UPDATE conversations SET title = ? WHERE id = ?", [title[:80], conversation_id])
        return self.get(user, conversation_id)

    def delete(self, user: User, conversation_id: str) -> None:
        self.get(user, conversation_id)
        with self.db.transaction() as con:
            con.execute("DELETE FROM messages WHERE conversation_id = ?", [conversation_id])
            con.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    def messages(self, user: User, conversation_id: str) -> list[Message]:
        self.get(user, conversation_id)
        rows = self.db.rows("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", [conversation_id])
        return [_message(r) for r in rows]

    def add(self, user: User, conversation_id: str, role: str, content: str, **fields: Any) -> Message:
        """Append a message; ``fields`` may set sources, context_used, crisis_level, offline, model, timings."""
        self.get(user, conversation_id)
        values = {"sources": json.dumps(fields.get("sources", [])), "timings": json.dumps(fields.get("timings", {})),
                  "context_used": bool(fields.get("context_used", False)), "crisis_level": fields.get("crisis_level"),
                  "offline": bool(fields.get("offline", False)), "model": fields.get("model")}
        with self.db.transaction() as con:
            row = fetch_dicts(
                con, "INSERT INTO messages (conversation_id, role, content, sources, timings, context_used,"
                     " crisis_level, offline, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                [conversation_id, role, content, values["sources"], values["timings"], values["context_used"],
                 values["crisis_level"], values["offline"], values["model"]])[0]
            con.execute("UPDATE conversations SET updated_at = now() WHERE id = ?", [conversation_id])
        return _message(row)

    def rate(self, user: User, message_id: int, rating: int | None = None, helpful: bool | None = None) -> None:
        """Store a 1-5 star rating and/or 'did this help?' for one of the user's assistant messages."""
        if rating is not None and not 1 <= rating <= 5:
            raise ValidationError("A rating is 1 to 5 stars.")
        rows = self.db.rows("SELECT m.id, m.context_used, m.offline, c.persona_id FROM messages m JOIN conversations c"
                            " ON c.id = m.conversation_id WHERE m.id = ? AND c.user_id = ? AND m.role = 'assistant'",
                            [message_id, user.id])
        if not rows:
            raise NotFoundError("There is no such answer in your conversations.")
        with self.db.connect() as con:
            if rating is not None:
                con.execute("UPDATE messages SET rating = ? WHERE id = ?", [rating, message_id])
            if helpful is not None:
                con.execute("UPDATE messages SET helpful = ? WHERE id = ?", [helpful, message_id])
            if self.events is not None:  # the KPIs count the latest rating of each answer once
                self.events.record(user.id, "answer_rated", {
                    "message_id": message_id, "persona_id": rows[0]["persona_id"], "rating": rating,
                    "helpful": helpful, "context_used": bool(rows[0]["context_used"]),
                    "offline": bool(rows[0]["offline"])}, con=con)

    def delete_from(self, user: User, conversation_id: str, message_id: int) -> None:
        """For editing a message: drop it and everything after it in the conversation."""
        self.get(user, conversation_id)
        with self.db.connect() as con:
            con.execute("DELETE FROM messages WHERE conversation_id = ? AND id >= ?", [conversation_id, message_id])

    def delete_last_assistant(self, user: User, conversation_id: str) -> None:
        """For Regenerate: drop the last answer so it can be produced again."""
        messages = self.messages(user, conversation_id)
        if messages and messages[-1].role == "assistant":
            with self.db.connect() as con:
                con.execute("DELETE FROM messages WHERE id = ?", [messages[-1].id])
