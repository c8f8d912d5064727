"""My data: everything of one person's, exported as one zip, and their account deleted with all of it.

The export is a zip with ``luna-data.json`` (the account, own companions, per-companion favourites
and use, own documents with their passages' text, conversations with messages and ratings, own
sessions' times and own events) and ``uploads/<original file name>`` for every file the person
uploaded that Luna still keeps. Only the person's own things go in: a shared companion or document
appears by id, and another account's id is replaced by ``None`` wherever it would appear.

Deleting needs the account's password. The rows go in one transaction, children first (DuckDB has
no ``ON DELETE CASCADE``); stored files and vectors go after the commit, so a failure leaves every
row in place rather than rows pointing at missing files.

A later part whose table holds rows of one user in a ``user_id`` column (the journal) is exported
and deleted with no change here (``_other_tables``); a part with child tables adds its own steps.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import duckdb

from luna_core.accounts.passwords import verify_password
from luna_core.documents.datasets import dataset_from_row, stored_file
from luna_core.documents.library import scrub_answers
from luna_core.errors import NotFoundError, PermissionDeniedError
from luna_core.personas.records import SELECT_VISIBLE, persona_from_row
from luna_core.store.db import fetch_dicts
from luna_core.store.users import User

if TYPE_CHECKING:
    from luna_core.luna import Luna

DATA_FILE = "luna-data.json"
EXPORT_FORMAT = {"format": "luna-my-data", "version": 1}
LOCAL_ADMIN_ID = "u-admin"  # the installation's own administrator (m005), which the CLI acts as
# the tables the steps below handle by name; any other table with a user_id column is swept generically
HANDLED_TABLES = {"users", "personas", "persona_user_state", "datasets", "document_chunks", "persona_datasets",
                  "conversations", "messages", "sessions", "invites", "events", "feature_flags"}
SECRET_COLUMNS = re.compile(r"(_hash|^embedding)$")  # never exported, even from a table added later
WRONG_PASSWORD = "That password is not right, so nothing was deleted. Type your current password to confirm."

_OWN_CONVERSATIONS = ("SELECT id FROM conversations WHERE user_id = ?"
                      " OR persona_id IN (SELECT id FROM personas WHERE owner_id = ?)")
_OWN_DATASETS = "SELECT id FROM datasets WHERE created_by_user = ?"
_OWN_PERSONAS = "SELECT id FROM personas WHERE owner_id = ?"


# ---- export ---------------------------------------------------------------------------------------
def export_my_data(luna: Luna, user: User) -> bytes:
    """A zip of everything that is ``user``'s: ``luna-data.json`` and ``uploads/<file>``."""
    with luna.db.connect() as con:
        datasets = [dataset_from_row(r) for r in fetch_dicts(
            con, "SELECT * FROM datasets WHERE created_by_user = ? ORDER BY upload_date", [user.id])]
        personas = [persona_from_row(r).to_dict() for r in fetch_dicts(
            con, SELECT_VISIBLE + " AND p.owner_id = s0.uid ORDER BY p.created_at", [user.id])]
        state = fetch_dicts(con, "SELECT persona_id, is_favorite, chat_count, last_used FROM persona_user_state"
                                 " WHERE user_id = ? ORDER BY persona_id", [user.id])
        links = fetch_dicts(con, "SELECT persona_id, dataset_id, enabled, weight, access_level, last_used"
                                 f" FROM persona_datasets WHERE persona_id IN ({_OWN_PERSONAS})"
                                 " ORDER BY persona_id, dataset_id", [user.id])
        sessions = fetch_dicts(con, "SELECT created_at, last_seen, revoked_at FROM sessions WHERE user_id = ?"
                                    " ORDER BY created_at", [user.id])
        others = {r["id"] for r in fetch_dicts(con, "SELECT id FROM users WHERE id <> ?", [user.id])}
        tables = {name: _public_rows(con, name, user) for name in _other_tables(con)}
    buffer, files = io.BytesIO(), {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for dataset in datasets:
            path = stored_file(luna.settings.data_dir, dataset.file_path) if dataset.file_path else None
            if path is not None and path.is_file():
                files[dataset.id] = _unique_name(dataset.original_filename, set(files.values()))
                archive.write(path, files[dataset.id])
        document = {
            **EXPORT_FORMAT, "exported_at": datetime.now().isoformat(), "account": user.to_dict(),
            "personas": personas, "persona_state": state, "document_links": links,
            "datasets": [{**d.to_dict(), "file": files.get(d.id), "chunks": _chunks(luna, user, d.id)}
                         for d in datasets],
            "conversations": _conversations(luna, user, {d.id for d in datasets}),
            "sessions": sessions,
            "events": [{k: e[k] for k in ("name", "created_at", "properties")}
                       for e in luna.events.list(user_id=user.id)],
            "tables": tables,
        }
        text = json.dumps(_without(document, others), ensure_ascii=False, indent=2, default=_iso)
        archive.writestr(DATA_FILE, text)
    luna.events.record(user.id, "data_exported", {"files": len(files), "datasets": len(datasets),
                                                  "conversations": len(document["conversations"])})
    return buffer.getvalue()


def _chunks(luna: Luna, user: User, dataset_id: str) -> list[dict[str, Any]]:
    return [{k: c[k] for k in ("chunk_index", "content", "page_reference", "section", "chunk_type")}
            for c in luna.library.chunks(user, dataset_id)]


def _conversations(luna: Luna, user: User, own_datasets: set[str]) -> list[dict[str, Any]]:
    """Each conversation with its messages (ratings included); a quoted passage of a shared
    document keeps where it came from, not its text."""
    out = []
    for conversation in luna.conversations.list(user):
        messages = []
        for message in luna.conversations.messages(user, conversation.id):
            data = message.to_dict()
            data["sources"] = [s if s.get("dataset_id") in own_datasets else {**s, "content": None}
                               for s in data["sources"]]
            messages.append(data)
        out.append({"id": conversation.id, "persona_id": conversation.persona_id, "title": conversation.title,
                    "created_at": conversation.created_at, "updated_at": conversation.updated_at,
                    "messages": messages})
    return out


def _unique_name(filename: str, taken: set[str]) -> str:
    """``uploads/<filename>``, made safe for a zip and numbered when two uploads share a name."""
    name = re.sub(r"[\\/\x00-\x1f]", "_", PurePosixPath(filename or "").name).lstrip(".") or "file"
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    candidate, number = f"uploads/{name}", 2
    while candidate in taken:
        candidate, number = f"uploads/{stem} ({number}){suffix}", number + 1
    return candidate


def _without(value: Any, others: set[str]) -> Any:
    """``value`` with every other account's id replaced by None (an administrator's events name them)."""
    if isinstance(value, dict):
        return {k: _without(v, others) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, others) for v in value]
    return None if isinstance(value, str) and value in others else value


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _other_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables with a ``user_id`` column that no step here handles by name (parts added later)."""
    rows = con.execute("SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'user_id'"
                       " AND table_schema = 'main' ORDER BY table_name").fetchall()
    return [name for (name,) in rows if name not in HANDLED_TABLES]


def _public_rows(con: duckdb.DuckDBPyConnection, table: str, user: User) -> list[dict[str, Any]]:
    rows = fetch_dicts(con, f'SELECT * FROM "{table}" WHERE user_id = ?', [user.id])
    return [{k: v for k, v in row.items() if not SECRET_COLUMNS.search(k)} for row in rows]


# ---- delete ---------------------------------------------------------------------------------------
def delete_account(luna: Luna, user: User, password: str) -> dict[str, int]:
    """Delete ``user``'s account and everything of theirs, once ``password`` is theirs.

    Refused (``PermissionDeniedError``, nothing changed) for a wrong password, for the
    installation's local administrator, for the last administrator who can sign in, and while one
    of the person's documents is being processed. Returns how many of each thing went."""
    rows = luna.db.rows("SELECT * FROM users WHERE id = ?", [user.id])
    if not rows:
        raise NotFoundError("This account does not exist any more.")
    _check_deletable(luna, rows[0], password)
    with luna.db.transaction() as con:
        chunk_ids = [r[0] for r in con.execute(f"SELECT id FROM document_chunks WHERE dataset_id IN ({_OWN_DATASETS})",
                                               [user.id]).fetchall()]
        paths = [r[0] for r in con.execute("SELECT file_path FROM datasets WHERE created_by_user = ?"
                                           " AND file_path IS NOT NULL", [user.id]).fetchall()]
        counts = _delete_rows(con, user, set(chunk_ids))
        luna.events.record(None, "account_deleted", {}, con=con)
    files = 0
    for path in paths:
        target = stored_file(luna.settings.data_dir, path)
        files += target.is_file()
        target.unlink(missing_ok=True)
    shutil.rmtree(Path(luna.settings.uploads_dir, user.id), ignore_errors=True)
    luna.index.remove(chunk_ids)
    return {**counts, "chunks": len(chunk_ids), "files": files}


def _check_deletable(luna: Luna, row: dict[str, Any], password: str) -> None:
    if row["id"] == LOCAL_ADMIN_ID:
        raise PermissionDeniedError("The installation's own administrator account cannot be deleted: "
                                    "Luna's command line and setup act as it.")
    if row["role"] == "admin" and row["disabled_at"] is None and not luna.db.rows(
            "SELECT 1 FROM users WHERE role = 'admin' AND id <> ? AND disabled_at IS NULL"
            " AND password_hash IS NOT NULL LIMIT 1", [row["id"]]):
        raise PermissionDeniedError("You are the last administrator who can sign in, so this account cannot be "
                                    "deleted yet. Make another account an administrator first.")
    if not verify_password(row["password_hash"], password):
        raise PermissionDeniedError(WRONG_PASSWORD)
    if luna.db.rows("SELECT 1 FROM datasets WHERE created_by_user = ?"
                    " AND processing_status IN ('pending', 'processing') LIMIT 1", [row["id"]]):
        raise PermissionDeniedError("One of your documents is still being processed. Delete your account once "
                                    "it has finished (or failed).")


def _delete_rows(con: duckdb.DuckDBPyConnection, user: User, chunk_ids: set[int]) -> dict[str, int]:
    """Every row of ``user``'s, children before parents, in the caller's transaction."""
    uid = [user.id]

    def delete(sql: str, params: list) -> int:
        return con.execute(sql, params).fetchone()[0]

    counts = {"messages": delete(f"DELETE FROM messages WHERE conversation_id IN ({_OWN_CONVERSATIONS})", uid * 2),
              "conversations": delete(f"DELETE FROM conversations WHERE id IN ({_OWN_CONVERSATIONS})", uid * 2)}
    for (dataset_id,) in con.execute(_OWN_DATASETS, uid).fetchall():
        scrub_answers(con, dataset_id, chunk_ids)  # other people's answers quoting a document this person shared
    delete(f"DELETE FROM document_chunks WHERE dataset_id IN ({_OWN_DATASETS})", uid)
    counts["document_links"] = delete(f"DELETE FROM persona_datasets WHERE dataset_id IN ({_OWN_DATASETS})"
                                      f" OR persona_id IN ({_OWN_PERSONAS})", uid * 2)
    counts["datasets"] = delete("DELETE FROM datasets WHERE created_by_user = ?", uid)
    counts["persona_state"] = delete(f"DELETE FROM persona_user_state WHERE user_id = ?"
                                     f" OR persona_id IN ({_OWN_PERSONAS})", uid * 2)
    counts["personas"] = delete("DELETE FROM personas WHERE owner_id = ?", uid)
    counts["sessions"] = delete("DELETE FROM sessions WHERE user_id = ?", uid)
    counts["invites"] = delete("DELETE FROM invites WHERE used_by = ? OR created_by = ?", uid * 2)
    counts["other_rows"] = sum(delete(f'DELETE FROM "{table}" WHERE user_id = ?', uid) for table in _other_tables(con))
    counts["events"] = delete("DELETE FROM events WHERE user_id = ?", uid)
    _forget_in_events(con, user.id)
    con.execute("UPDATE feature_flags SET updated_by = NULL WHERE updated_by = ?", [user.name])
    delete("DELETE FROM users WHERE id = ?", uid)
    return counts


def _forget_in_events(con: duckdb.DuckDBPyConnection, user_id: str) -> None:
    """Other accounts' events that name this one (an administrator's "account_created") keep what
    happened, with the id replaced by None."""
    rows = con.execute("SELECT id, properties FROM events WHERE strpos(properties, ?) > 0", [user_id]).fetchall()
    for event_id, raw in rows:
        con.execute("UPDATE events SET properties = ? WHERE id = ?",
                    [json.dumps(_without(json.loads(raw), {user_id})), event_id])
