"""Import personas from an original Luna SQLite database (administrators only), every value kept.

The original ``personas`` table has id, name, prompt, description, icon, category, default_model,
suggested_models, temperature, maxTokens, topP, repeatPenalty, stopSequences, is_default,
created_at, updated_at. Each row is imported once per importing user: a re-run recognises rows by
``legacy_id``. Every row is checked exactly as the persona service checks a new persona, and
becomes a persona of the importing user: never a shared built-in, never an undeletable default,
never a rewrite of an existing row (the original's defaults sit beside Luna's own).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from luna_core import policy
from luna_core.errors import ConflictError, LegacyImportError, ValidationError
from luna_core.personas.records import new_id
from luna_core.personas.service import PersonaService
from luna_core.store.db import fetch_dicts
from luna_core.store.users import User

LEGACY_COLUMNS = ("id", "name", "prompt", "description", "icon", "category", "default_model",
                  "suggested_models", "temperature", "maxTokens", "topP", "repeatPenalty",
                  "stopSequences", "is_default", "created_at", "updated_at")
# the imported values the persona service validates; of those, the name and numbers are stored as
# it normalises them (names stay comparable), all other text byte for byte
VALIDATED = ("name", "prompt", "description", "icon", "category", "model", "temperature",
             "max_tokens", "top_p", "repeat_penalty")
NORMALISED = ("name", "temperature", "max_tokens", "top_p", "repeat_penalty")


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


def _text(value: Any) -> str | None:
    """SQLite keeps any type in any column; Luna's text columns get text."""
    if value is None or isinstance(value, str):
        return value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _values(row: dict[str, Any]) -> dict[str, Any]:
    created = _timestamp(row.get("created_at"))
    return {
        "name": _text(row["name"]), "prompt": _text(row["prompt"]),
        "description": _text(row.get("description")), "icon": _text(row.get("icon")),
        "category": _text(row.get("category")), "model": _text(row.get("default_model")),
        "suggested_models": row.get("suggested_models"), "temperature": row.get("temperature"),
        "max_tokens": row.get("maxTokens"), "top_p": row.get("topP"),
        "repeat_penalty": row.get("repeatPenalty"), "stop_sequences": row.get("stopSequences"),
        "created_at": created or datetime.utcnow(),
        "updated_at": _timestamp(row.get("updated_at")) or created or datetime.utcnow(),
        "legacy_id": str(row["id"]),
    }


def _refusal(personas: PersonaService, user: User, con: duckdb.DuckDBPyConnection,
             values: dict[str, Any]) -> str | None:
    """Why the persona service would refuse this row as a new persona of ``user``, else None
    (then ``values`` hold the service's normalised name and numbers)."""
    try:
        clean = personas.validate(user, {k: values[k] for k in VALIDATED}, con=con)
    except (ValidationError, ConflictError) as error:
        return str(error)
    except (ValueError, TypeError) as error:  # a number column holding text
        return f"A setting is not a number ({error})."
    values.update({k: clean[k] for k in NORMALISED})
    return None


def import_legacy(personas: PersonaService, user: User, path: Path) -> dict[str, Any]:
    """An administrator imports every persona of an original Luna database as their own.

    Returns ``{"imported": N, "skipped": N, "refused": [{"legacy_id", "name", "reason"}]}``:
    ``skipped`` counts the rows this user imported before plus the refused rows, each refused row
    with the reason the persona service gives. A failure part-way imports no row at all.
    """
    policy.require(user, "legacy.import")
    rows = read_legacy_personas(path)
    imported, skipped, refused = 0, 0, []
    with personas.db.transaction() as con:
        for row in rows:
            values = _values(row)
            legacy_id = values["legacy_id"]
            if fetch_dicts(con, "SELECT 1 FROM personas WHERE legacy_id = ? AND owner_id = ?",
                           [legacy_id, user.id]):
                skipped += 1
                continue
            reason = _refusal(personas, user, con, values)
            if reason:
                refused.append({"legacy_id": legacy_id, "name": values["name"], "reason": reason})
                skipped += 1
                continue
            # never overwrite a row (a built-in default above all): a taken id gets a new one
            taken = fetch_dicts(con, "SELECT 1 FROM personas WHERE id = ?", [legacy_id])
            columns = ["id", "owner_id", "is_default", *values]
            con.execute(
                f"INSERT INTO personas ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [new_id(values["name"]) if taken else legacy_id, user.id, False, *values.values()])
            imported += 1
        personas.events.record(user.id, "legacy_imported",
                               {"imported": imported, "skipped": skipped, "refused": len(refused)},
                               con=con)
    return {"imported": imported, "skipped": skipped, "refused": refused}
