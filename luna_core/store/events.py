"""The append-only ``events`` table behind the KPIs.

Properties describe what happened (ids, methods, counts, timings), never what a person wrote.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from luna_core.store.db import Database


class EventLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        user_id: str | None,
        name: str,
        properties: dict[str, Any] | None = None,
        duration_ms: float | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        """Append one event; with ``con`` it joins that transaction."""
        params = [user_id, name, json.dumps(properties or {}, default=str), duration_ms]
        sql = "INSERT INTO events (user_id, name, properties, duration_ms) VALUES (?, ?, ?, ?)"
        if con is not None:
            con.execute(sql, params)
        else:
            with self.db.connect() as own:
                own.execute(sql, params)

    def list(self, user_id: str | None = None, name: str | None = None) -> list[dict[str, Any]]:
        """Events, oldest first, with properties decoded."""
        sql, params = "SELECT * FROM events WHERE 1=1", []
        if user_id is not None:
            sql, params = sql + " AND user_id = ?", params + [user_id]
        if name is not None:
            sql, params = sql + " AND name = ?", params + [name]
        rows = self.db.rows(sql + " ORDER BY id", params)
        for row in rows:
            row["properties"] = json.loads(row["properties"])
        return rows
