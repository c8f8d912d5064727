"""The migration runner and the ordered list it applies."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from luna_core.store.migrations.core import (
    m001_create_personas,
    m002_add_persona_specialty,
    m003_add_persona_appearance,
    m004_add_builtin_data_access,
    m005_create_users,
    m006_add_persona_owner,
    m007_create_persona_user_state,
    m008_create_persona_templates,
    m009_add_persona_provenance,
    m010_create_feature_flags,
    m011_create_events,
)
from luna_core.store.migrations.documents import (
    m012_create_datasets,
    m013_create_document_chunks,
    m014_create_persona_datasets,
    m015_create_conversations,
)
from luna_core.store.migrations.safety import m016_add_chunk_safety_class, m017_add_persona_archived

Migration = Callable[[duckdb.DuckDBPyConnection], None]

MIGRATIONS: list[Migration] = [
    m001_create_personas,
    m002_add_persona_specialty,
    m003_add_persona_appearance,
    m004_add_builtin_data_access,
    m005_create_users,
    m006_add_persona_owner,
    m007_create_persona_user_state,
    m008_create_persona_templates,
    m009_add_persona_provenance,
    m010_create_feature_flags,
    m011_create_events,
    m012_create_datasets,
    m013_create_document_chunks,
    m014_create_persona_datasets,
    m015_create_conversations,
    m016_add_chunk_safety_class,
    m017_add_persona_archived,
]


def applied_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return [row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()]


def upgrade(db, until: str | None = None) -> dict:
    """Apply every pending migration in order (up to and including ``until``).

    Returns ``{"applied": [names], "schema_version": N}`` where N counts applied migrations.
    """
    applied: list[str] = []
    with db.connect() as con:
        done = set(applied_names(con))
        for migration in MIGRATIONS:
            name = migration.__name__
            if name not in done:
                con.execute("BEGIN TRANSACTION")
                try:
                    migration(con)
                    con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
                # DuckDB 1.5 cannot replay an ALTER TABLE from its WAL when the table has
                # function defaults (now(), nextval): write schema changes to the file at once.
                con.execute("CHECKPOINT")
                applied.append(name)
                done.add(name)
            if name == until:
                break
        version = len([m for m in MIGRATIONS if m.__name__ in done])
    return {"applied": applied, "schema_version": version}
