"""The journal: dated Markdown entries with an optional mood check-in, each person's alone.

Every entry's text is assessed for crisis content when it is saved (``assess_fail_safe``: a check
that cannot run counts as a crisis), so the page can show the resources right there. Its passages
are embedded like document passages and kept in step on edit and delete; they are searched only
within the person's own entries, exactly, and never join the shared document index. When the
embedding model fails, the entry is still saved (nothing a person wrote is lost) and marked
unindexed; the next search embeds it. Deleting or editing an entry also removes its old text from
the sources of earlier answers. Events record ids, counts and moods, never what anyone wrote.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from luna_core.chat.retrieval import DEFAULT_THRESHOLD, Passage
from luna_core.documents.chunking import chunk_pages
from luna_core.documents.embeddings import Embedder
from luna_core.documents.library import scrub_answers
from luna_core.errors import LunaError, NotFoundError, ValidationError
from luna_core.safety.detector import CrisisAssessment, CrisisDetector, assess_fail_safe
from luna_core.safety.passages import CRISIS_SUPPORT, passage_class
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.users import User

log = logging.getLogger(__name__)

MAX_CHARS = 20_000
MAX_FEELINGS = 5
FEELING_WORDS = ("calm", "hopeful", "grateful", "content", "proud", "tired", "anxious", "sad", "angry",
                 "lonely", "overwhelmed", "stressed", "numb")
JOURNAL_NAME = "Your journal"
JOURNAL_SOURCE = "journal"
_FEELING = re.compile(r"^[a-z][a-z' -]{0,23}$")
_CHUNK_TOKENS = 256


@dataclass(frozen=True)
class Entry:
    id: str
    user_id: str
    entry_date: date
    text: str
    mood: int | None
    feelings: list[str]
    crisis_level: str
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The ``journal list`` contract (``id, text, mood, created_at``) and the rest of the entry."""
        return {"id": self.id, "text": self.text, "mood": self.mood, "created_at": self.created_at.isoformat(),
                "entry_date": self.entry_date.isoformat(), "feelings": self.feelings,
                "crisis_level": self.crisis_level, "updated_at": self.updated_at.isoformat()}


@dataclass(frozen=True)
class Saved:
    """An entry as saved, with the crisis assessment of its text (resources to show when a crisis)."""
    entry: Entry
    assessment: CrisisAssessment


def day_label(day: date) -> str:
    """'3 March 2026': how an entry is named in answers' sources."""
    return f"{day.day} {day:%B %Y}"


def _entry(row: dict) -> Entry:
    return Entry(id=row["id"], user_id=row["user_id"], entry_date=row["entry_date"], text=row["text"],
                 mood=row["mood"], feelings=json.loads(row["feelings"] or "[]"), crisis_level=row["crisis_level"],
                 created_at=row["created_at"], updated_at=row["updated_at"])


@contextmanager
def _carrying(assessment: CrisisAssessment) -> Iterator[None]:
    """A ``LunaError`` raised inside carries ``assessment``: a crisis entry that could not be saved
    (a typo in a feeling word, a busy database) still shows the resources."""
    try:
        yield
    except LunaError as error:
        error.assessment = assessment
        raise


def clean_feelings(feelings: Any) -> list[str]:
    words = [str(f).strip().lower() for f in (feelings or []) if str(f).strip()]
    words = list(dict.fromkeys(words))
    if len(words) > MAX_FEELINGS:
        raise ValidationError(f"Please choose at most {MAX_FEELINGS} feeling words.")
    for word in words:
        if not _FEELING.match(word):
            raise ValidationError(f"{word!r} is not a feeling word Luna can keep: use a word or two "
                                  "(letters only, up to 24).")
    return words


def clean_mood(mood: Any) -> int | None:
    if mood is None or mood == "":
        return None
    whole = isinstance(mood, int) and not isinstance(mood, bool) or isinstance(mood, str) and mood.strip().isdigit()
    if not whole or not 1 <= int(mood) <= 5:
        raise ValidationError("A mood check-in is a whole number from 1 (very low) to 5 (very good).")
    return int(mood)


class Journal:
    def __init__(self, db: Database, events: EventLog, embedder: Embedder, detector: CrisisDetector) -> None:
        self.db, self.events, self.embedder, self.detector = db, events, embedder, detector

    # ---- reading -------------------------------------------------------------------------------
    def get(self, user: User, entry_id: str) -> Entry:
        rows = self.db.rows("SELECT * FROM journal_entries WHERE id = ? AND user_id = ?", [entry_id, user.id])
        if not rows:  # another person's entry is refused exactly like an unknown one
            raise NotFoundError(f"There is no journal entry {entry_id!r}. 'python -m luna_core journal list' "
                                "shows yours.")
        return _entry(rows[0])

    def list(self, user: User, search: str | None = None, since: date | None = None,
             until: date | None = None) -> list[Entry]:
        """The person's entries, newest first; ``search`` matches words of the text or a feeling."""
        sql, params = "SELECT * FROM journal_entries WHERE user_id = ?", [user.id]
        if search and search.strip():  # words of the text, or one of the feeling words exactly
            sql += " AND (text ILIKE ? ESCAPE '\\' OR list_contains(CAST(CAST(feelings AS JSON) AS VARCHAR[]), ?))"
            needle = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [needle, search.strip().lower()]
        if since:
            sql, params = sql + " AND entry_date >= ?", [*params, since]
        if until:
            sql, params = sql + " AND entry_date <= ?", [*params, until]
        return [_entry(r) for r in self.db.rows(sql + " ORDER BY entry_date DESC, created_at DESC", params)]

    def moods(self, user: User, days: int | None = None) -> list[dict[str, Any]]:
        """Every mood check-in (date, mood, feelings, entry id), oldest first, for the mood chart."""
        sql, params = "SELECT * FROM journal_entries WHERE user_id = ? AND mood IS NOT NULL", [user.id]
        if days:
            sql, params = sql + " AND entry_date >= ?", [*params, date.today() - timedelta(days=days - 1)]
        return [{"day": e.entry_date, "mood": e.mood, "feelings": e.feelings, "entry_id": e.id,
                 "has_text": bool(e.text.strip())}
                for e in map(_entry, self.db.rows(sql + " ORDER BY entry_date, created_at", params))]

    def mood_summary(self, user: User, days: int = 14) -> str | None:
        """A short summary of recent mood for a companion; None without check-ins in ``days``."""
        rows = self.moods(user, days)
        if not rows:
            return None
        moods = [r["mood"] for r in rows]
        low, high, last = min(rows, key=lambda r: r["mood"]), max(rows, key=lambda r: r["mood"]), rows[-1]
        named: dict[str, int] = {}
        for row in rows:
            for word in row["feelings"]:
                named[word] = named.get(word, 0) + 1
        text = (f"Mood check-ins over the last {days} days (1 = very low, 5 = very good): {len(rows)}, "
                f"average {sum(moods) / len(moods):.1f}; lowest {low['mood']} on {day_label(low['day'])}, "
                f"highest {high['mood']} on {day_label(high['day'])}; most recent {last['mood']} on "
                f"{day_label(last['day'])}.")
        if named:
            common = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            text += " Feelings named: " + ", ".join(f"{w} ({n})" for w, n in common) + "."
        return text

    # ---- writing -------------------------------------------------------------------------------
    def _check(self, text: str, mood: int | None) -> str:
        text = text if isinstance(text, str) else ""
        if len(text) > MAX_CHARS:
            raise ValidationError(f"This entry is {len(text):,} characters long; a journal entry takes up to "
                                  f"{MAX_CHARS:,}. Please split it into two entries.")
        if not text.strip() and mood is None:
            raise ValidationError("Write something, or choose a mood for a check-in, before saving.")
        return text.strip()

    def add(self, user: User, text: str = "", mood: Any = None, feelings: Any = (),
            entry_date: date | None = None) -> Saved:
        assessment = self.assess(text)
        with _carrying(assessment):
            return self._add(user, text, mood, feelings, entry_date, assessment)

    def assess(self, text: Any) -> CrisisAssessment:
        """The crisis assessment of an entry's text, made before anything else is checked, so a
        refused or failed save can still show the resources (``LunaError.assessment``)."""
        text = text.strip()[:MAX_CHARS] if isinstance(text, str) else ""
        return assess_fail_safe(self.detector, text) if text else CrisisAssessment("none", [], 0.0)

    def _add(self, user: User, text: str, mood: Any, feelings: Any, entry_date: date | None,
             assessment: CrisisAssessment) -> Saved:
        mood, feelings = clean_mood(mood), clean_feelings(feelings)
        text = self._check(text, mood)
        day = self._day(entry_date)
        entry_id = f"j-{uuid.uuid4().hex[:12]}"
        chunks = self._embed(text)
        with self.db.transaction() as con:
            con.execute("INSERT INTO journal_entries (id, user_id, entry_date, text, mood, feelings, crisis_level)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [entry_id, user.id, day, text, mood, json.dumps(feelings), assessment.level])
            self._write_chunks(con, user, entry_id, chunks)
            self.events.record(user.id, "journal_entry_added", {
                "entry_id": entry_id, "mood": mood, "feelings": len(feelings), "has_text": bool(text),
                "crisis_level": assessment.level, "indexed": chunks is not None}, con=con)
        return Saved(self.get(user, entry_id), assessment)

    def update(self, user: User, entry_id: str, text: str | None = None, mood: Any = ..., feelings: Any = None,
               entry_date: date | None = None) -> Saved:
        """Change an entry; ``mood=None`` clears the check-in, leaving it out keeps it."""
        entry = self.get(user, entry_id)
        # assessed again even when only the mood changed: the page frames the resources by who is at risk
        assessment = self.assess(entry.text if text is None else text)
        with _carrying(assessment):
            return self._update(user, entry, text, mood, feelings, entry_date, assessment)

    def _update(self, user: User, entry: Entry, text: str | None, mood: Any, feelings: Any,
                entry_date: date | None, assessment: CrisisAssessment) -> Saved:
        entry_id = entry.id
        mood = entry.mood if mood is ... else clean_mood(mood)
        feelings = entry.feelings if feelings is None else clean_feelings(feelings)
        text = self._check(entry.text if text is None else text, mood)
        day = self._day(entry_date) if entry_date is not None else entry.entry_date
        changed_text = text != entry.text
        chunks = self._embed(text) if changed_text else None
        with self.db.transaction() as con:
            con.execute("UPDATE journal_entries SET text = ?, mood = ?, feelings = ?, entry_date = ?, crisis_level = ?,"
                        " updated_at = now() WHERE id = ? AND user_id = ?",
                        [text, mood, json.dumps(feelings), day, assessment.level, entry_id, user.id])
            if changed_text:
                self._write_chunks(con, user, entry_id, chunks)
                scrub_answers(con, f"journal:{entry_id}", set(), mark="edited")
            self.events.record(user.id, "journal_entry_edited", {
                "entry_id": entry_id, "mood": mood, "text_changed": changed_text,
                "crisis_level": assessment.level}, con=con)
        return Saved(self.get(user, entry_id), assessment)

    def delete(self, user: User, entry_id: str) -> str:
        """The entry, its passages and vectors, and its text in earlier answers' sources, at once."""
        self.get(user, entry_id)
        with self.db.transaction() as con:
            con.execute("DELETE FROM journal_chunks WHERE entry_id = ? AND user_id = ?", [entry_id, user.id])
            con.execute("DELETE FROM journal_entries WHERE id = ? AND user_id = ?", [entry_id, user.id])
            scrub_answers(con, f"journal:{entry_id}", set())
            self.events.record(user.id, "journal_entry_deleted", {"entry_id": entry_id}, con=con)
        return entry_id

    @staticmethod
    def _day(entry_date: date | None) -> date:
        day = entry_date or date.today()
        if isinstance(day, datetime):
            day = day.date()
        if day > date.today() + timedelta(days=1):
            raise ValidationError("A journal entry can't be dated in the future.")
        return day

    # ---- passages ------------------------------------------------------------------------------
    def _embed(self, text: str) -> list[tuple[str, str, np.ndarray]] | None:
        """(content, safety class, vector) per passage; [] for no text; None when embedding failed
        (the entry is saved unindexed and embedded on the next search)."""
        if not text.strip():
            return []
        try:
            chunks = chunk_pages([(None, text)], self.embedder.count_tokens, self.embedder.max_tokens,
                                 _CHUNK_TOKENS, 30, markdown=True)
            contents = [c.content for c in chunks] or [text]
            vectors = self.embedder.embed(contents)
        except Exception as error:  # noqa: BLE001 - the entry must be kept even when the model fails
            log.error("could not embed a journal entry (%s); it is saved and embedded later", type(error).__name__)
            return None
        return [(c, passage_class(c), v) for c, v in zip(contents, vectors)]

    @staticmethod
    def _write_chunks(con, user: User, entry_id: str, chunks: list | None) -> None:
        con.execute("DELETE FROM journal_chunks WHERE entry_id = ?", [entry_id])
        for number, (content, safety_class, vector) in enumerate(chunks or []):
            con.execute("INSERT INTO journal_chunks (entry_id, user_id, chunk_index, content, safety_class, embedding)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [entry_id, user.id, number, content, safety_class, np.asarray(vector, np.float32).tolist()])
        con.execute("UPDATE journal_entries SET indexed = ? WHERE id = ?", [chunks is not None, entry_id])

    def _repair(self, user: User) -> None:
        """Embed the person's entries that were saved while the model was failing."""
        for row in self.db.rows("SELECT id, text FROM journal_entries WHERE user_id = ? AND NOT indexed AND text <> ''",
                                [user.id]):
            chunks = self._embed(row["text"])
            if chunks is None:
                return  # still failing: try again next time
            with self.db.transaction() as con:
                self._write_chunks(con, user, row["id"], chunks)

    def passages(self, user: User, query: str, k: int = 3, crisis: bool = False,
                 threshold: float = DEFAULT_THRESHOLD) -> list[Passage]:
        """The person's journal passages closest to ``query`` (cosine, exact), at most ``k``, each
        named "Your journal, <date>". In a crisis turn only coping and safety-plan passages, and never
        from an entry that was itself assessed as a crisis."""
        if not query.strip():
            return []
        self._repair(user)
        with self.db.connect() as con:
            rows = fetch_dicts(con, "SELECT c.id, c.entry_id, c.content, c.safety_class, c.embedding, e.entry_date,"
                                    " e.crisis_level"
                                    " FROM journal_chunks c JOIN journal_entries e ON e.id = c.entry_id"
                                    " WHERE c.user_id = ? AND e.user_id = ? ORDER BY c.id", [user.id, user.id])
        if crisis:  # never the person's own crisis writing (it may name a method), only their coping notes
            rows = [r for r in rows if r["crisis_level"] == "none" and r["safety_class"] == CRISIS_SUPPORT
                    and passage_class(r["content"]) == CRISIS_SUPPORT]
        if not rows:
            return []
        matrix = np.asarray([r["embedding"] for r in rows], dtype=np.float32)
        scores = matrix @ self.embedder.embed([query])[0]
        order = [i for i in np.argsort(-scores) if scores[i] >= threshold][:k]
        return [Passage(chunk_id=rows[i]["id"], dataset_id=f"journal:{rows[i]['entry_id']}", dataset_name=JOURNAL_NAME,
                        source_file=JOURNAL_SOURCE, page_reference=day_label(rows[i]["entry_date"]), section=None,
                        content=rows[i]["content"], chunk_type="journal", access_level="full",
                        relevance_score=float(min(1.0, max(0.0, scores[i])))) for i in order]
