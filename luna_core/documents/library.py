"""A user's document library: list, show, delete, and link datasets to personas."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from luna_core import policy
from luna_core.documents.datasets import ACCESS_LEVELS, VISIBLE, Dataset, dataset_from_row, get_visible, stored_file
from luna_core.documents.index import VectorIndex
from luna_core.errors import PermissionDeniedError, ValidationError
from luna_core.personas.records import Persona
from luna_core.personas.service import PersonaService
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.flags import FlagStore
from luna_core.store.users import User


class Library:
    def __init__(self, db: Database, flags: FlagStore, events: EventLog, personas: PersonaService,
                 index: VectorIndex) -> None:
        self.db, self.flags, self.events, self.personas, self.index = db, flags, events, personas, index

    def list(self, user: User) -> list[Dataset]:
        """The user's own datasets and the shared (global) ones, newest first."""
        rows = self.db.rows(f"SELECT d.* FROM datasets d WHERE {VISIBLE} ORDER BY d.upload_date DESC", [user.id])
        return [dataset_from_row(r) for r in rows]

    def get(self, user: User, dataset_id: str) -> Dataset:
        with self.db.connect() as con:
            return get_visible(con, user, dataset_id)

    def chunks(self, user: User, dataset_id: str) -> list[dict[str, Any]]:
        """The dataset's chunks in order, with page reference, section and, for text read from a
        picture, the OCR confidence."""
        with self.db.connect() as con:
            get_visible(con, user, dataset_id)
            rows = fetch_dicts(con, "SELECT id, chunk_index, content, metadata, chunk_type FROM document_chunks"
                                    " WHERE dataset_id = ? ORDER BY chunk_index", [dataset_id])
        out = []
        for row in rows:
            meta = json.loads(row["metadata"])
            out.append({"chunk_id": row["id"], "chunk_index": row["chunk_index"], "content": row["content"],
                        "page_reference": meta.get("page_reference"),
                        "section": " > ".join(meta.get("section_path") or []) or None,
                        "chunk_type": row["chunk_type"], "ocr_confidence": meta.get("ocr_confidence")})
        return out

    def delete(self, user: User, dataset_id: str) -> str:
        """Remove a dataset with its chunks, links, vectors and stored file, all at once."""
        with self.db.connect() as con:
            dataset = get_visible(con, user, dataset_id)
        policy.require(user, "dataset.change", dataset,
                       f"{dataset.name!r} is shared with everyone; only an administrator can delete it.")
        if dataset.status == "processing":
            raise PermissionDeniedError(f"{dataset.name!r} is still being processed; delete it once it has finished.")
        with self.db.transaction() as con:
            ids = [r[0] for r in con.execute("SELECT id FROM document_chunks WHERE dataset_id = ?", [dataset_id]).fetchall()]
            con.execute("DELETE FROM document_chunks WHERE dataset_id = ?", [dataset_id])
            con.execute("DELETE FROM persona_datasets WHERE dataset_id = ?", [dataset_id])
            con.execute("DELETE FROM datasets WHERE id = ?", [dataset_id])
            scrub_answers(con, dataset_id, set(ids))
            self.events.record(user.id, "document_deleted", {"dataset_id": dataset_id}, con=con)
        if dataset.file_path:  # stored relative to the data folder, where the database file is
            stored_file(self.db.path.parent, dataset.file_path).unlink(missing_ok=True)
        self.index.remove(ids)
        return dataset_id

    def link(self, user: User, dataset_id: str, persona_id: str, weight: float = 1.0,
             access_level: str = "full", enabled: bool = True) -> dict[str, Any]:
        """Let a persona draw on a dataset (or change how); returns the link."""
        self._check_link(user, weight, access_level)
        persona = self.personas.get(user, persona_id)
        with self.db.transaction() as con:
            return self.write_link(con, user, persona, dataset_id, weight, access_level, enabled)

    def _check_link(self, user: User, weight: float, access_level: str) -> None:
        self.flags.require("RAG_DOCUMENT_PROCESSING", user)
        if access_level not in ACCESS_LEVELS:
            raise ValidationError(f"Access level must be one of {', '.join(ACCESS_LEVELS)}.")
        if not 0 < float(weight) <= 5:
            raise ValidationError("The weight must be more than 0 and at most 5 (1 is normal).")

    def write_link(self, con: duckdb.DuckDBPyConnection, user: User, persona: Persona, dataset_id: str,
                   weight: float = 1.0, access_level: str = "full", enabled: bool = True) -> dict[str, Any]:
        """``link`` inside the caller's transaction (``PersonaService`` creates a persona and its
        links in one); every check ``link`` makes is made, and a refusal raises."""
        self._check_link(user, weight, access_level)
        dataset = get_visible(con, user, dataset_id)
        _check_shared_link(user, persona, dataset)
        if dataset.status != "completed":
            raise ValidationError(f"{dataset.name!r} is {dataset.status}; only processed documents can be linked.")
        con.execute(
            "INSERT INTO persona_datasets (persona_id, dataset_id, enabled, weight, access_level)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (persona_id, dataset_id) DO UPDATE SET"
            " enabled = excluded.enabled, weight = excluded.weight, access_level = excluded.access_level",
            [persona.id, dataset_id, enabled, float(weight), access_level])
        self.events.record(user.id, "document_linked", {"dataset_id": dataset_id, "persona_id": persona.id,
                                                         "access_level": access_level, "enabled": enabled}, con=con)
        return {"persona_id": persona.id, "dataset_id": dataset_id, "enabled": enabled,
                "weight": float(weight), "access_level": access_level}

    def unlink(self, user: User, dataset_id: str, persona_id: str) -> None:
        persona = self.personas.get(user, persona_id)
        with self.db.transaction() as con:
            _check_shared_link(user, persona, get_visible(con, user, dataset_id))
            con.execute("DELETE FROM persona_datasets WHERE persona_id = ? AND dataset_id = ?", [persona_id, dataset_id])

    def links(self, user: User, persona_id: str | None = None, dataset_id: str | None = None) -> list[dict[str, Any]]:
        """Links between the user's visible personas and visible datasets."""
        visible = {p.id: p.name for p in self.personas.list(user)}
        rows = self.db.rows(f"SELECT l.*, d.name AS dataset_name FROM persona_datasets l JOIN datasets d"
                            f" ON d.id = l.dataset_id WHERE {VISIBLE}", [user.id])
        return [r for r in rows if r["persona_id"] in visible
                and (persona_id is None or r["persona_id"] == persona_id)
                and (dataset_id is None or r["dataset_id"] == dataset_id)]


def _check_shared_link(user: User, persona, dataset: Dataset) -> None:
    """A shared document on a shared companion is what every user gets: only an administrator
    changes that. (A user's private document on a shared companion only ever serves that user.)"""
    policy.require(user, "link.change", (persona, dataset),
                   f"{persona.name!r} and {dataset.name!r} are shared with everyone, so only an administrator can "
                   "change that link. Duplicate the companion to choose its documents yourself.")


def scrub_answers(con, dataset_id: str, chunk_ids: set[int], mark: str = "deleted") -> int:
    """Remove a deleted dataset's passage text (and section headings) from every stored answer's
    sources, in the caller's transaction; the source stays listed, marked ``deleted`` (or
    ``edited``: a journal entry that changed keeps its date). Returns how many answers changed.
    Sources stored before they carried a dataset id match by chunk id."""
    rows = con.execute("SELECT id, sources FROM messages WHERE sources LIKE ? OR (sources <> '[]' AND sources NOT"
                       " LIKE '%\"dataset_id\"%')", [f'%"{dataset_id}"%']).fetchall()
    changed = 0
    for message_id, raw in rows:
        sources = json.loads(raw or "[]")
        kept = [{**{k: s.get(k) for k in ("dataset_id", "dataset_name", "relevance_score", "source_file")}, mark: True,
                 "page_reference": s.get("page_reference") if mark == "edited" else None, "section": None,
                 "content": None}
                if s.get("dataset_id") == dataset_id or (s.get("dataset_id") is None and s.get("chunk_id") in chunk_ids)
                else s for s in sources]
        if kept != sources:
            con.execute("UPDATE messages SET sources = ? WHERE id = ?", [json.dumps(kept), message_id])
            changed += 1
    return changed
