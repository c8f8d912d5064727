"""Accounts. Every store and service acts on behalf of one ``User``."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from luna_core import policy
from luna_core.errors import ConflictError, NotFoundError, ValidationError
from luna_core.store.db import Database, fetch_dicts

ROLES = ("tester", "clinician", "admin")
_NAME = re.compile(r"^[\w.@+-]{1,64}$")


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: str
    created_at: datetime
    disabled: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_dict(self) -> dict[str, Any]:
        """The account as shown to people and scripts: never the password hash."""
        return {"id": self.id, "name": self.name, "role": self.role,
                "created_at": self.created_at.isoformat(), "disabled": self.disabled}


def require_admin(user: User, action: str) -> None:
    """Raise ``PermissionDeniedError`` unless ``user`` may manage accounts (``luna_core.policy``);
    ``action`` completes "Only administrators can ..."."""
    policy.require(user, "accounts.manage",
                   refusal=f"Only administrators can {action}; the account {user.name!r} has the {user.role} role. "
                           "Ask an administrator to do it, or to give this account the admin role.")


def _user(row: dict) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], created_at=row["created_at"],
                disabled=row.get("disabled_at") is not None)


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> User:
        """The account called ``name``; names ignore case ("Alex" is "alex")."""
        name = (name or "").strip()
        rows = self.db.rows("SELECT * FROM users WHERE lower(name) = lower(?)"
                            " ORDER BY name = ? DESC, created_at LIMIT 1", [name, name])
        if not rows:
            raise NotFoundError(f"There is no account called {name!r}.")
        return _user(rows[0])

    def by_id(self, user_id: str) -> User | None:
        rows = self.db.rows("SELECT * FROM users WHERE id = ?", [user_id])
        return _user(rows[0]) if rows else None

    def list(self) -> list[User]:
        return [_user(r) for r in self.db.rows("SELECT * FROM users ORDER BY created_at, name")]

    def add(self, name: str, role: str = "tester", by: User | None = None) -> User:
        """An administrator ``by`` creates an account; an existing name is refused.

        ``by`` None is the installation itself (setup code, tests), never a person's request:
        the CLI and pages always pass the acting account.
        """
        if by is not None:
            require_admin(by, "add accounts")
        return self._create(name, role)

    def _create(self, name: str, role: str) -> User:
        """Insert the account with no role check (``add`` and ``get_or_create`` decide who may)."""
        name = (name or "").strip()
        if not _NAME.match(name):
            raise ValidationError(
                "A user name is 1-64 characters: letters, digits and . _ @ + - (no spaces)."
            )
        if role not in ROLES:
            raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
        with self.db.transaction() as con:
            if fetch_dicts(con, "SELECT id FROM users WHERE lower(name) = lower(?)", [name]):
                raise ConflictError(f"An account called {name!r} already exists.")
            user_id = f"u-{uuid.uuid4().hex[:12]}"
            con.execute("INSERT INTO users (id, name, role) VALUES (?, ?, ?)", [user_id, name, role])
            row = fetch_dicts(con, "SELECT * FROM users WHERE id = ?", [user_id])[0]
        return _user(row)

    def get_or_create(self, name: str, role: str = "tester") -> User:
        """The named account, created with ``role`` when it does not exist yet.

        Internal creation (the CLI's unknown ``--user`` becomes a tester): no role check."""
        try:
            return self.get(name)
        except NotFoundError:
            return self._create(name, role)
