"""Luna's schema as an ordered list of small migrations.

Each migration runs once, in one transaction together with the ``schema_migrations`` row that
records it. A shipped migration is never edited: a mistake gets a new migration. Migrations only
add (tables, columns, seed rows), so a database left at any earlier version upgrades in place with
every row and value kept. JSON values are stored as VARCHAR and decoded at the store edge.

Each part's migrations live in a module of their own (``core``: personas, users, templates, flags,
events; ``documents``: datasets, chunks, links, conversations); ``runner`` holds the one ordered
list and applies it. A new part adds a module with its ``STEPS`` and appends them to that list.
"""

from luna_core.store.migrations.core import DEFAULT_PROMPT_CLOUD, DEFAULT_PROMPT_LOCAL
from luna_core.store.migrations.runner import MIGRATIONS, Migration, applied_names, upgrade

__all__ = ["DEFAULT_PROMPT_CLOUD", "DEFAULT_PROMPT_LOCAL", "MIGRATIONS", "Migration", "applied_names", "upgrade"]
