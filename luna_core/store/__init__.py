"""Store: the DuckDB file and the records every other part builds on.

Owns the database handle and its locking (``db``), the schema as an ordered list of migrations
(``migrations``), accounts (``users``), the append-only event log (``events``) and feature flags
with their rollout (``flags``).
"""

from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.flags import FEATURE_LABELS, Flag, FlagStore, rollout_bucket
from luna_core.store.migrations import MIGRATIONS, upgrade
from luna_core.store.users import ROLES, User, UserStore

__all__ = ["FEATURE_LABELS", "MIGRATIONS", "ROLES", "Database", "EventLog", "Flag", "FlagStore", "User",
           "UserStore", "fetch_dicts", "rollout_bucket", "upgrade"]
