"""Import personas from an original Luna SQLite database, every value kept.

The original ``personas`` table has id, name, prompt, description, icon, category, default_model,
suggested_models, temperature, maxTokens, topP, repeatPenalty, stopSequences, is_default,
created_at, updated_at. Each row is imported once: a re-run recognises rows by ``legacy_id``.
The original's default personas are the same personas as Luna's built-in defaults, so they
replace the untouched built-in values; other rows become personas of the importing user.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from luna_core.errors import LegacyImportError
from luna_core.personas.records import new_id
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.users import User

LEGACY_COLUMNS = ("id", "name", "prompt", "description", "icon", "category", "default_model",
                  "suggested_models", "temperature", "maxTokens", "topP", "repeatPenalty",
                  "stopSequences", "is_default", "created_at", "updated_at")


def _timestamp(value: Any) -> datetime | None:
    """Original Luna wrote SQLite timestamps as text or epoch numbers; read both."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def read_legacy_personas(path: Path) -> list[dict[str, Any]]:
    """Rows of the original ``personas`` table, or ``LegacyImportError`` saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise LegacyImportError(f"{path} does not exist or is not a file.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise LegacyImportError(f"{path} cannot be opened as a SQLite database: {error}") from error
    try:
        con.row_factory = sqlite3.Row
        columns = {row[1] for row in con.execute("PRAGMA table_info(personas)")}
        missing = [c for c in ("id", "name", "prompt") if c not in columns]
        if missing:
            raise LegacyImportError(
                f"{path.name} has no original Luna 'personas' table (missing: {', '.join(missing)}).")
        wanted = [c for c in LEGACY_COLUMNS if c in columns]
        quoted = ", ".join(f'"{c}"' for c in wanted)
        return [dict(row) for row in con.execute(f"SELECT {quoted} FROM personas ORDER BY rowid")]
    except sqlite3.DatabaseError as error:
        raise LegacyImportError(f"{path.name} is not a readable SQLite database: {error}") from error
    finally:
        con.close()


def _values(row: dict[str, Any]) -> dict[str, Any]:
    created = _timestamp(row.get("created_at"))
    return {
        "name": row["name"], "prompt": row["prompt"], "description": row.get("description"),
        "icon": row.get("icon"), "category": row.get("category"), "model": row.get("default_model"),
        "suggested_models": row.get("suggested_models"), "temperature": row.get("temperature"),
        "max_tokens": row.get("maxTokens"), "top_p": row.get("topP"),
        "repeat_penalty": row.get("repeatPenalty"), "stop_sequences": row.get("stopSequences"),
        "is_default": bool(row.get("is_default") or 0),
        "created_at": created or datetime.utcnow(),
        "updated_at": _timestamp(row.get("updated_at")) or created or datetime.utcnow(),
        "legacy_id": str(row["id"]),
    }


def import_legacy(db: Database, events: EventLog, user: User, path: Path) -> dict[str, int]:
    """Import every persona of an original Luna database; ``{"imported": N, "skipped": N}``."""
    rows = read_legacy_personas(path)
    imported = skipped = 0
    with db.transaction() as con:
        for row in rows:
            values = _values(row)
            legacy_id = values["legacy_id"]
            if fetch_dicts(con, "SELECT 1 FROM personas WHERE legacy_id = ?"
                                " AND (owner_id = ? OR owner_id IS NULL)", [legacy_id, user.id]):
                skipped += 1
                continue
            clash = fetch_dicts(con, "SELECT is_default, owner_id FROM personas WHERE id = ?", [legacy_id])
            if clash and clash[0]["is_default"] and clash[0]["owner_id"] is None and values["is_default"]:
                assignments = ", ".join(f"{k} = ?" for k in values)
                con.execute(f"UPDATE personas SET {assignments} WHERE id = ?", [*values.values(), legacy_id])
            else:
                persona_id = new_id(values["name"]) if clash else legacy_id
                owner = None if values["is_default"] else user.id
                columns = ["id", "owner_id", *values]
                con.execute(
                    f"INSERT INTO personas ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    [persona_id, owner, *values.values()])
            imported += 1
        events.record(user.id, "legacy_imported", {"imported": imported, "skipped": skipped}, con=con)
    return {"imported": imported, "skipped": skipped}
