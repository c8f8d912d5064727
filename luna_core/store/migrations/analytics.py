"""Migration m023: what issue 19 (KPI analytics and rollout) keeps."""

from __future__ import annotations

import duckdb


def m023_add_flag_auto_rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Per flag, whether a firing rollback trigger sets its percentage to 0 by itself (off by
    default: a person decides unless they chose otherwise)."""
    con.execute("ALTER TABLE feature_flags ADD COLUMN auto_rollback BOOLEAN DEFAULT FALSE")


STEPS = [m023_add_flag_auto_rollback]
