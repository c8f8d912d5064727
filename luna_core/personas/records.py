"""The persona record and the pure rules over it: which category and search a persona matches,
how a stored row becomes a ``Persona``, and the SQL that reads personas as one user sees them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

CATEGORIES = ("therapy", "specialty", "cloud", "local", "custom")
FAVOURITES = ("favorites", "favourites", "favorite", "favourite")
DATA_ACCESS_KEYS = ("journal_entries", "mood_data", "user_profile")  # the switches: which of one's own data
CLOUD_CONSENT = "cloud_consent"  # and whether it may go to the cloud host with a cloud persona
ACCESS_KEYS = (*DATA_ACCESS_KEYS, CLOUD_CONSENT)
EDITABLE = ("name", "prompt", "description", "icon", "color_theme", "category", "specialty",
            "therapeutic_focus", "model", "temperature", "max_tokens", "top_p", "repeat_penalty",
            "tags", "builtin_data_access")


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    prompt: str
    description: str | None
    category: str | None
    specialty: str | None
    therapeutic_focus: str | None
    template_id: str | None
    template_version: int | None
    created_from: str | None
    icon: str | None
    color_theme: str | None
    tags: list[str]
    is_favorite: bool
    is_default: bool
    chat_count: int
    dataset_count: int
    last_used: datetime | None
    created_at: datetime
    updated_at: datetime
    model: str | None
    temperature: float | None
    max_tokens: int | None
    top_p: float | None
    repeat_penalty: float | None
    builtin_data_access: dict[str, bool]
    owner_id: str | None

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_used", "created_at", "updated_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass(frozen=True)
class Browse:
    personas: list[Persona]
    counts: dict[str, int]
    owns_any: bool


SELECT_VISIBLE = """
    SELECT p.*, COALESCE(s.is_favorite, FALSE) AS is_favorite, s.data_access AS user_data_access,
           COALESCE(s.chat_count, 0) AS chat_count, s.last_used,
           (SELECT count(*) FROM persona_datasets l JOIN datasets d ON d.id = l.dataset_id
            WHERE l.persona_id = p.id AND l.enabled AND d.processing_status = 'completed'
              AND (d.created_by_user = s0.uid OR d.is_global)) AS dataset_count
    FROM personas p
    CROSS JOIN (SELECT ? AS uid) s0
    LEFT JOIN persona_user_state s ON s.persona_id = p.id AND s.user_id = s0.uid
    WHERE (p.owner_id IS NULL OR p.owner_id = s0.uid) AND p.archived_at IS NULL
"""


def persona_from_row(row: dict) -> Persona:
    data = {k: row.get(k) for k in Persona.__dataclass_fields__}
    data["tags"] = json.loads(row.get("tags") or "[]")
    # a shared persona's own switches never open anyone's data: each person sets theirs for it
    stored = row.get("user_data_access") if row.get("owner_id") is None else row.get("builtin_data_access")
    access = json.loads(stored or "{}")
    data["builtin_data_access"] = {k: bool(access.get(k, False)) for k in ACCESS_KEYS}
    data["is_default"] = bool(row.get("is_default"))
    data["is_favorite"] = bool(row.get("is_favorite"))
    return Persona(**data)


def in_category(persona: Persona, category: str | None) -> bool:
    """The roadmap's rule, a category matches the persona's category or its specialty, with two
    tabs that are about where a persona runs rather than what it is: ``local`` ("Private AI") is
    every persona whose model runs on this installation's own host (all but ``cloud`` ones, so a
    CBT persona is both Therapeutic and Private), and ``specialty`` ("Specialized") holds the
    personas of the templates for one area of life (sleep, grief, trauma, self-compassion ...)."""
    wanted = (category or "").strip().lower()
    if wanted in ("", "all"):
        return True
    if wanted in FAVOURITES:
        return persona.is_favorite
    if wanted == "local":
        return (persona.category or "").lower() != "cloud"
    return wanted in ((persona.category or "").lower(), (persona.specialty or "").lower())


def own_data_allowed(persona: Persona) -> bool:
    """Whether the person's journal, mood and profile may go with this persona's prompts at all:
    always to this installation's own host, to the cloud host only with their consent for it."""
    return (persona.category or "").lower() != "cloud" or persona.builtin_data_access.get(CLOUD_CONSENT, False)


def matches_search(persona: Persona, search: str | None) -> bool:
    needle = (search or "").strip().lower()
    if not needle:
        return True
    haystack = " ".join([persona.name, persona.description or "", persona.specialty or "", *persona.tags])
    return needle in haystack.lower()


def new_id(name: str | None = None) -> str:
    """A fresh opaque persona id ("p-" and 12 hex digits). Ids are recorded in events, which never
    hold what anyone wrote, so ``name`` (accepted for older callers) is deliberately not used.
    Older ids ("<slug>-<hex8>") stay valid: nothing parses an id."""
    return f"p-{uuid.uuid4().hex[:12]}"
