"""Accounts. Every store and service acts on behalf of one ``User``."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_dict(self) -> dict[str, Any]:
        """The account as shown to people and scripts: never the password hash."""
        return {"id": self.id, "name": self.name, "role": self.role,
                "created_at": self.created_at.isoformat()}


def _user(row: dict) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], created_at=row["created_at"])


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> User:
        rows = self.db.rows("SELECT * FROM users WHERE name = ?", [name])
        if not rows:
            raise NotFoundError(f"There is no account called {name!r}.")
        return _user(rows[0])

    def by_id(self, user_id: str) -> User | None:
        rows = self.db.rows("SELECT * FROM users WHERE id = ?", [user_id])
        return _user(rows[0]) if rows else None

    def list(self) -> list[User]:
        return [_user(r) for r in self.db.rows("SELECT * FROM users ORDER BY created_at, name")]

    def add(self, name: str, role: str = "tester") -> User:
        """Create an account; an existing name is refused."""
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
        """The named account, created with ``role`` when it does not exist yet."""
        try:
            return self.get(name)
        except NotFoundError:
            return self.add(name, role)
