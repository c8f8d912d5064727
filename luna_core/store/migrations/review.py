"""Migrations m021-m022: what issue 18 (clinician template review) keeps."""

from __future__ import annotations

import duckdb


def m021_create_template_versions(con: duckdb.DuckDBPyConnection) -> None:
    """Every version of every template, never overwritten; ``persona_templates`` holds the copy
    testers are offered (the newest approved version). The stored templates become version rows."""
    con.execute(
        """
        CREATE TABLE template_versions (
            template_id VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            content VARCHAR NOT NULL,
            prompt_sha256 VARCHAR NOT NULL,
            author VARCHAR NOT NULL,
            note VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            reviewer VARCHAR,
            reviewed_at TIMESTAMP,
            review_comment VARCHAR,
            gate VARCHAR,
            PRIMARY KEY (template_id, version)
        )
        """
    )


def m022_create_review_log(con: duckdb.DuckDBPyConnection) -> None:
    """The append-only audit of review actions; each entry carries the previous entry's hash."""
    con.execute(
        """
        CREATE TABLE review_log (
            seq INTEGER PRIMARY KEY,
            template_id VARCHAR NOT NULL,
            version INTEGER NOT NULL,
            action VARCHAR NOT NULL,
            actor VARCHAR NOT NULL,
            comment VARCHAR,
            version_sha256 VARCHAR NOT NULL,
            created_at VARCHAR NOT NULL,
            prev_hash VARCHAR NOT NULL,
            entry_hash VARCHAR NOT NULL
        )
        """
    )


STEPS = [m021_create_template_versions, m022_create_review_log]  # in order
