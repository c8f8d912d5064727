"""Plain-text rendering of CLI results for people (``--json`` is for scripts)."""

from __future__ import annotations

from typing import Any

_LIST_COLUMNS = ("id", "dataset_id", "name", "entry_date", "mood", "text", "category", "specialty", "status", "chunk_count",
                 "role", "enabled",
                 "rollout_percent")


def _short(value: Any, width: int = 40) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def human(result: Any) -> str:
    """A list of records as an aligned table, a record as ``key: value`` lines."""
    if isinstance(result, list):
        if not result:
            return "(none)"
        if not isinstance(result[0], dict):
            return "\n".join(str(item) for item in result)
        columns = [c for c in _LIST_COLUMNS if c in result[0]] or list(result[0])[:4]
        table = [[_short(row.get(c, "")) for c in columns] for row in result]
        widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in table]
        # errors in full, under the table: they say what to do
        lines += [f"{row.get('name') or row.get('id')}: {row['error']}" for row in result if row.get("error")]
        return "\n".join(lines)
    if isinstance(result, dict):
        return "\n".join(f"{key}: {_short(value, 100)}" for key, value in result.items())
    return str(result)
