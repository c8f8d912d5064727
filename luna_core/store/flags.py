"""Feature flags for a safe rollout: on/off plus a percentage of users, decided by a stable hash.

A disabled feature is refused by the service that owns it (``FlagStore.require``), not only hidden
in the UI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from luna_core import policy
from luna_core.errors import FeatureDisabledError, NotFoundError, ValidationError
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.users import User

FEATURE_LABELS = {
    "ENHANCED_PERSONA_CREATION": "creating new personas",
    "THERAPEUTIC_TEMPLATES": "therapeutic templates",
    "PERSONA_DUPLICATION": "duplicating personas",
    "RAG_DOCUMENT_PROCESSING": "document knowledge bases",
    "PERSONA_IMPORT_EXPORT": "persona import and export",
}


@dataclass(frozen=True)
class Flag:
    name: str
    enabled: bool
    rollout_percent: int
    description: str
    updated_at: datetime
    updated_by: str | None
    auto_rollback: bool = False  # a firing rollback trigger sets the percentage to 0 by itself

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "enabled": self.enabled, "rollout_percent": self.rollout_percent,
                "description": self.description, "updated_at": self.updated_at.isoformat(),
                "updated_by": self.updated_by, "auto_rollback": self.auto_rollback}


def rollout_bucket(flag_name: str, user_id: str) -> int:
    """A number in 0..99 that never changes for the same flag and user."""
    digest = hashlib.sha256(f"{flag_name}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def _flag(row: dict) -> Flag:
    return Flag(**{k: row[k] for k in Flag.__dataclass_fields__} | {"auto_rollback": bool(row["auto_rollback"])})


class FlagStore:
    def __init__(self, db: Database, events: EventLog | None = None) -> None:
        self.db, self.events = db, events

    def list(self) -> list[Flag]:
        return [_flag(r) for r in self.db.rows("SELECT * FROM feature_flags ORDER BY name")]

    def get(self, name: str) -> Flag:
        rows = self.db.rows("SELECT * FROM feature_flags WHERE name = ?", [name.upper()])
        if not rows:
            known = ", ".join(f.name for f in self.list())
            raise NotFoundError(f"There is no feature flag {name!r}. Known flags: {known}.")
        return _flag(rows[0])

    def set(self, name: str, enabled: bool, percent: int | None = None, by: User | None = None,
            reason: str | None = None, auto_rollback: bool | None = None) -> Flag:
        """An administrator ``by`` switches a flag on or off and optionally changes its rollout
        percentage (0-100) and its automatic rollback; the change is audited (who, when, from, to,
        why) as a ``flag_changed`` event. ``by`` None is the installation itself (setup code, the
        automatic rollback, tests), never a person's request: the CLI and pages always pass the
        acting account."""
        if by is not None:
            policy.require(by, "flags.change")
        flag = self.get(name)
        if percent is not None and not 0 <= percent <= 100:
            raise ValidationError("The rollout percentage must be between 0 and 100.")
        with self.db.transaction() as con:
            con.execute(
                "UPDATE feature_flags SET enabled = ?, rollout_percent = ?, auto_rollback = ?, updated_at = now(),"
                " updated_by = ? WHERE name = ?",
                [enabled, flag.rollout_percent if percent is None else percent,
                 flag.auto_rollback if auto_rollback is None else auto_rollback, by.name if by else None, flag.name],
            )
            row = fetch_dicts(con, "SELECT * FROM feature_flags WHERE name = ?", [flag.name])[0]
            if self.events is not None:
                self.events.record(by.id if by else None, "flag_changed", {
                    "flag": flag.name,
                    "from": {"enabled": flag.enabled, "percent": flag.rollout_percent, "auto_rollback": flag.auto_rollback},
                    "to": {"enabled": row["enabled"], "percent": row["rollout_percent"],
                           "auto_rollback": row["auto_rollback"]},
                    "reason": (reason or "").strip()[:200] or None}, con=con)
        return _flag(row)

    def changes(self, by: User) -> list[dict[str, Any]]:
        """The audit of flag changes, newest first (administrators)."""
        policy.require(by, "flags.change")
        rows = self.db.rows("SELECT e.created_at, u.name AS by_name, e.properties FROM events e"
                            " LEFT JOIN users u ON u.id = e.user_id WHERE e.name = 'flag_changed' ORDER BY e.id DESC")
        return [{"at": r["created_at"], "by": r["by_name"], **json.loads(r["properties"])} for r in rows]

    def expose(self, user: User) -> dict[str, bool]:
        """Every flag's decision for ``user``, each recorded as an exposure (flag, variant, user) the
        first time that day, so the KPIs can compare exposed with unexposed testers."""
        decisions = self.enabled_for(user)
        if self.events is None:
            return decisions
        seen = {(r["flag"], r["variant"]) for r in self.db.rows(
            "SELECT json_extract_string(properties, '$.flag') AS flag, json_extract_string(properties, '$.variant')"
            " AS variant FROM events WHERE name = 'flag_exposure' AND user_id = ? AND created_at >= current_date",
            [user.id])}
        for flag, on in decisions.items():
            variant = "on" if on else "off"
            if (flag, variant) not in seen:
                self.events.record(user.id, "flag_exposure", {"flag": flag, "variant": variant})
        return decisions

    def is_enabled(self, name: str, user: User) -> bool:
        """True when the flag is on and the user's stable bucket falls inside the rollout."""
        flag = self.get(name)
        return flag.enabled and rollout_bucket(flag.name, user.id) < flag.rollout_percent

    def enabled_for(self, user: User) -> dict[str, bool]:
        """Every flag's decision for one user (one query, for building the UI)."""
        return {f.name: f.enabled and rollout_bucket(f.name, user.id) < f.rollout_percent
                for f in self.list()}

    def require(self, name: str, user: User) -> None:
        """Raise ``FeatureDisabledError`` unless the feature is on for ``user``."""
        if not self.is_enabled(name, user):
            label = FEATURE_LABELS.get(name, name)
            raise FeatureDisabledError(
                f"Sorry, {label} is not available for your account yet ({name} is switched off "
                "or still rolling out). An administrator can enable it with "
                f"'python -m luna_core flags set {name} on'."
            )
