"""Migrations m024-m027: what issue 20 (journal, mood, profile, built-in data access) keeps."""

from __future__ import annotations

import duckdb


def m024_create_journal_entries(con: duckdb.DuckDBPyConnection) -> None:
    """Dated journal entries with an optional mood check-in (1-5 and a few feeling words); each
    person's alone. ``crisis_level`` is the assessment of the entry's text when it was saved; ``indexed`` whether
    its passages are embedded (an entry saved while the model failed is embedded later)."""
    con.execute(
        """
        CREATE TABLE journal_entries (
            id VARCHAR PRIMARY KEY,
            user_id VARCHAR NOT NULL,
            entry_date DATE NOT NULL,
            text VARCHAR NOT NULL DEFAULT '',
            mood INTEGER,
            feelings VARCHAR NOT NULL DEFAULT '[]',
            crisis_level VARCHAR NOT NULL DEFAULT 'none',
            indexed BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m025_create_journal_chunks(con: duckdb.DuckDBPyConnection) -> None:
    """The passages of journal entries with their embeddings, searched only within one person's own
    (exactly, in memory): journal vectors never join the shared document index."""
    con.execute("CREATE SEQUENCE journal_chunks_id_seq")
    con.execute(
        """
        CREATE TABLE journal_chunks (
            id BIGINT PRIMARY KEY DEFAULT nextval('journal_chunks_id_seq'),
            entry_id VARCHAR NOT NULL,
            user_id VARCHAR NOT NULL,
            chunk_index INTEGER NOT NULL,
            content VARCHAR NOT NULL,
            safety_class VARCHAR NOT NULL,
            embedding FLOAT[] NOT NULL
        )
        """
    )


def m026_create_user_profiles(con: duckdb.DuckDBPyConnection) -> None:
    """What a person chooses to tell their companions; every field optional."""
    con.execute(
        """
        CREATE TABLE user_profiles (
            user_id VARCHAR PRIMARY KEY,
            preferred_name VARCHAR,
            pronouns VARCHAR,
            goals VARCHAR,
            what_helps VARCHAR,
            what_to_avoid VARCHAR,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m027_add_per_user_data_access(con: duckdb.DuckDBPyConnection) -> None:
    """A person's own data-access switches for a shared companion: a shared persona's stored
    switches never open anyone's journal, mood or profile."""
    con.execute("ALTER TABLE persona_user_state ADD COLUMN data_access VARCHAR")


STEPS = [m024_create_journal_entries, m025_create_journal_chunks, m026_create_user_profiles,
         m027_add_per_user_data_access]
