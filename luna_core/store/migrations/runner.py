"""The migration runner and the ordered list it applies."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from luna_core.store.migrations import accounts, analytics, core, documents, journal, review, safety

Migration = Callable[[duckdb.DuckDBPyConnection], None]

# every part's steps, the parts in the order they were added; a new part appends its module here
MIGRATIONS: list[Migration] = [*core.STEPS, *documents.STEPS, *safety.STEPS, *accounts.STEPS, *review.STEPS,
                               *analytics.STEPS, *journal.STEPS]


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
