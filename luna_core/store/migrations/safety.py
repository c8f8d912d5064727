"""Migrations m016-m017: what issue 15 (safety and integrity) keeps."""

from __future__ import annotations

import json

import duckdb

from luna_core.safety.passages import passage_class


def m016_add_chunk_safety_class(con: duckdb.DuckDBPyConnection) -> None:
    """Each chunk's passage class (crisis_support, means, general), decided from its text; the
    chunks already stored are classified here, new ones at ingest."""
    con.execute("ALTER TABLE document_chunks ADD COLUMN safety_class VARCHAR DEFAULT 'general'")
    rows = con.execute("SELECT id, content, metadata FROM document_chunks").fetchall()
    for chunk_id, content, metadata in rows:
        section = " > ".join(json.loads(metadata or "{}").get("section_path") or [])
        con.execute("UPDATE document_chunks SET safety_class = ? WHERE id = ?", [passage_class(content, section), chunk_id])


def m017_add_persona_archived(con: duckdb.DuckDBPyConnection) -> None:
    """A shared persona deleted while other people still have conversations with it is archived:
    hidden from every list, its conversations kept (read-only)."""
    con.execute("ALTER TABLE personas ADD COLUMN archived_at TIMESTAMP")


STEPS = [m016_add_chunk_safety_class, m017_add_persona_archived]  # in order; the runner applies the parts in turn
