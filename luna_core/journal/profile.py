"""The profile: a few things a person chooses to tell their companions, all optional and their own."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from luna_core.errors import ValidationError
from luna_core.store.db import Database
from luna_core.store.events import EventLog
from luna_core.store.users import User

# field -> (label, longest text)
FIELDS = {"preferred_name": ("Name to use", 60), "pronouns": ("Pronouns", 40), "goals": ("Goals", 1000),
          "what_helps": ("What helps", 1000), "what_to_avoid": ("What to avoid", 1000)}


@dataclass(frozen=True)
class Profile:
    preferred_name: str | None = None
    pronouns: str | None = None
    goals: str | None = None
    what_helps: str | None = None
    what_to_avoid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def empty(self) -> bool:
        return not any(self.to_dict().values())

    def as_text(self) -> str | None:
        """The profile as a companion reads it, one line a field that is filled in."""
        lines = [f"{FIELDS[key][0]}: {value}" for key, value in self.to_dict().items() if value]
        return "\n".join(lines) or None


class Profiles:
    def __init__(self, db: Database, events: EventLog) -> None:
        self.db, self.events = db, events

    def get(self, user: User) -> Profile:
        rows = self.db.rows(f"SELECT {', '.join(FIELDS)} FROM user_profiles WHERE user_id = ?", [user.id])
        return Profile(**rows[0]) if rows else Profile()

    def save(self, user: User, **fields: Any) -> Profile:
        """Set the given fields (an empty value clears one); unknown fields are refused."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValidationError(f"Unknown profile field(s): {', '.join(sorted(unknown))}.")
        values = {**self.get(user).to_dict()}
        for key, value in fields.items():
            text = str(value or "")
            text = " ".join(text.split()) if key in ("preferred_name", "pronouns") else text.strip()
            label, limit = FIELDS[key]
            if len(text) > limit:
                raise ValidationError(f"{label} takes up to {limit:,} characters; yours has {len(text):,}.")
            values[key] = text or None
        with self.db.transaction() as con:
            con.execute("DELETE FROM user_profiles WHERE user_id = ?", [user.id])
            con.execute(f"INSERT INTO user_profiles (user_id, {', '.join(FIELDS)}) VALUES (?{', ?' * len(FIELDS)})",
                        [user.id, *values.values()])
            self.events.record(user.id, "profile_saved", {"fields": sorted(k for k, v in values.items() if v)}, con=con)
        return self.get(user)
