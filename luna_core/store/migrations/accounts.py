"""Migrations m018-m020: what issue 17 (accounts, sign-in, roles) keeps."""

from __future__ import annotations

import duckdb


def m018_add_user_disabled(con: duckdb.DuckDBPyConnection) -> None:
    """A disabled account keeps its data but cannot sign in (``users disable``)."""
    con.execute("ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP")


def m019_create_sessions(con: duckdb.DuckDBPyConnection) -> None:
    """Browser sessions: only the SHA-256 of the random token is kept, never the token."""
    con.execute(
        """
        CREATE TABLE sessions (
            token_hash VARCHAR PRIMARY KEY,
            user_id VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            last_seen TIMESTAMP NOT NULL DEFAULT current_timestamp,
            revoked_at TIMESTAMP
        )
        """
    )


def m020_create_invites(con: duckdb.DuckDBPyConnection) -> None:
    """One-time invites for testers and clinicians (the code's SHA-256, never the code)."""
    con.execute(
        """
        CREATE TABLE invites (
            code_hash VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL,
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            expires_at TIMESTAMP NOT NULL,
            used_at TIMESTAMP,
            used_by VARCHAR
        )
        """
    )


STEPS = [m018_add_user_disabled, m019_create_sessions, m020_create_invites]  # in order
