"""Personas: the roadmap's PersonaService (create from scratch or template, duplicate, list by
category, favourite, edit, delete), scoped to the acting user.

A persona with ``owner_id`` NULL is a built-in every user sees (the defaults); every other persona
belongs to exactly one user and is invisible to everyone else. Favourite, chat count and last use
are per user (``persona_user_state``), so a shared persona reveals nothing about other users.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Any

import duckdb

from luna_core import policy
from luna_core.config import Settings
from luna_core.errors import ConflictError, LunaError, NotFoundError, PermissionDeniedError, ValidationError
from luna_core.personas.records import (
    ACCESS_KEYS,
    CATEGORIES,
    CLOUD_CONSENT,
    EDITABLE,
    SELECT_VISIBLE,
    Browse,
    Persona,
    in_category,
    matches_search,
    new_id,
    persona_from_row,
)
from luna_core.personas.templates import TemplateStore
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.flags import FlagStore
from luna_core.store.users import User


def _counted(action: str) -> Callable:
    """Record a persona operation that failed unexpectedly (not a refusal: a ``LunaError`` is a
    request Luna declined on purpose), for the system-stability KPI; the error still propagates."""
    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: PersonaService, user: User, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, user, *args, **kwargs)
            except LunaError:
                raise
            except Exception as error:
                try:
                    self.events.record(user.id, "persona_action_failed", {"action": action,
                                                                          "error": type(error).__name__})
                except Exception:  # noqa: BLE001 - the original error matters more
                    pass
                raise
        return run
    return wrap

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_RANGES = {"temperature": (0.0, 2.0), "top_p": (0.01, 1.0), "repeat_penalty": (0.5, 2.0)}
Linker = Callable[[duckdb.DuckDBPyConnection, User, Persona, str], object]

class PersonaService:
    def __init__(self, db: Database, templates: TemplateStore, flags: FlagStore, events: EventLog,
                 settings: Settings) -> None:
        self.db, self.templates, self.flags, self.events = db, templates, flags, events
        self.settings = settings
        # writes one link in the caller's transaction: Library.write_link, wired by Luna.open
        self.linker: Linker | None = None  # (the library is built on this service, not under it)

    # ---- reading -------------------------------------------------------------------------
    def list(self, user: User, category: str | None = None, search: str | None = None) -> list[Persona]:
        """The user's visible personas, newest first.

        ``category`` matches a persona's category or its specialty (case-insensitive);
        'favourites' lists the user's favourites; 'all' or None lists everything. ``search``
        looks in the name, description, specialty and tags.
        """
        return self.browse(user, category, search).personas

    def browse(self, user: User, category: str | None = None, search: str | None = None) -> Browse:
        """One read for the persona grid: the matching personas, each tab's count, and whether
        the user has any persona of their own yet."""
        rows = self.db.rows(SELECT_VISIBLE + " ORDER BY p.created_at DESC, p.name", [user.id])
        everyone = [persona_from_row(r) for r in rows]
        found = [p for p in everyone if matches_search(p, search)]
        counts = {c: sum(in_category(p, c) for p in found) for c in ("all", *CATEGORIES, "favourites")}
        return Browse(personas=[p for p in found if in_category(p, category)], counts=counts,
                      owns_any=any(p.owner_id == user.id for p in everyone))

    def get(self, user: User, persona_id: str) -> Persona:
        with self.db.connect() as con:
            return self._get(con, user, persona_id)

    def _get(self, con: duckdb.DuckDBPyConnection, user: User, persona_id: str) -> Persona:
        rows = fetch_dicts(con, SELECT_VISIBLE + " AND p.id = ?", [user.id, persona_id])
        if not rows:
            raise NotFoundError(f"There is no persona {persona_id!r} in your account.")
        return persona_from_row(rows[0])

    # ---- validation ----------------------------------------------------------------------
    def _clean(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Validated, normalised copies of the given persona fields."""
        out = dict(fields)
        if "name" in out:
            name = (out["name"] or "").strip()
            if not name:
                raise ValidationError("Please give the persona a name.")
            if len(name) > self.settings.max_name_length:
                raise ValidationError(
                    f"The name is {len(name)} characters; keep it to {self.settings.max_name_length}.")
            out["name"] = name
        if "prompt" in out:
            prompt = (out["prompt"] or "").strip()
            if not prompt:
                raise ValidationError("The prompt cannot be empty: it tells the companion who to be.")
            if len(prompt) > self.settings.max_prompt_length:
                raise ValidationError(
                    f"The prompt is {len(prompt)} characters; the limit is "
                    f"{self.settings.max_prompt_length}.")
            out["prompt"] = prompt
        if out.get("category") is not None and out["category"] not in CATEGORIES:
            raise ValidationError(f"Unknown category {out['category']!r}: use one of {', '.join(CATEGORIES)}.")
        if out.get("color_theme") and not _COLOR.match(out["color_theme"]):
            raise ValidationError("A colour must look like #4F7CAC.")
        for key, (low, high) in _RANGES.items():
            if out.get(key) is not None:
                value = float(out[key])
                if not low <= value <= high:
                    raise ValidationError(f"{key} must be between {low} and {high}.")
                out[key] = value
        if out.get("max_tokens") is not None:
            tokens = int(out["max_tokens"])
            if not 16 <= tokens <= 32768:
                raise ValidationError("max_tokens must be between 16 and 32768.")
            out["max_tokens"] = tokens
        if "tags" in out:
            out["tags"] = json.dumps([str(t).strip() for t in out["tags"] or [] if str(t).strip()])
        if "builtin_data_access" in out:
            access = out["builtin_data_access"] or {}
            unknown = set(access) - set(ACCESS_KEYS)
            if unknown:
                raise ValidationError(f"Unknown data access switch: {', '.join(sorted(unknown))}.")
            out["builtin_data_access"] = json.dumps({k: bool(access.get(k)) for k in ACCESS_KEYS})
        for key in ("description", "specialty", "therapeutic_focus", "icon", "model"):
            if isinstance(out.get(key), str):
                out[key] = out[key].strip() or None
        return out

    def _check_name_free(self, con, user: User, name: str, except_id: str | None = None) -> None:
        rows = fetch_dicts(
            con, "SELECT id FROM personas WHERE (owner_id IS NULL OR owner_id = ?)"
                 " AND lower(name) = lower(?) AND id IS DISTINCT FROM ?", [user.id, name, except_id])
        if rows:
            raise ConflictError(f"You already have a persona called {name!r}; please choose another name.")

    def validate(self, user: User, fields: dict[str, Any], persona_id: str | None = None,
                 con: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any]:
        """Raise the first problem with ``fields`` (as create or edit would), without saving; else
        the cleaned fields. ``con``: check the name inside the caller's transaction (an import)."""
        self._reject_unknown(fields)
        clean = self._clean({k: v for k, v in fields.items() if k != "seconds_to_create"})
        if "name" in clean:
            with nullcontext(con) if con is not None else self.db.connect() as active:
                self._check_name_free(active, user, clean["name"], except_id=persona_id)
        return clean

    # ---- creating ------------------------------------------------------------------------
    def _insert(self, user: User, fields: dict[str, Any], event: dict[str, Any], shared: bool = False,
                dataset_ids: Sequence[str] = ()) -> Persona:
        """Insert the persona and link ``dataset_ids`` to it in one transaction: a refused link
        leaves no persona behind."""
        fields = self._clean(fields)
        if dataset_ids and self.linker is None:
            raise RuntimeError("PersonaService.linker is not set; build the services with Luna.open.")
        persona_id = new_id()
        columns = ["id", "owner_id", "is_default", *fields]
        values = [persona_id, None if shared else user.id, False, *fields.values()]
        with self.db.transaction() as con:
            self._check_name_free(con, user, fields["name"])
            con.execute(f"INSERT INTO personas ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})",
                        values)
            self.events.record(user.id, "persona_created", {"persona_id": persona_id, **event}, con=con)
            for dataset_id in dict.fromkeys(dataset_ids):
                self.linker(con, user, self._get(con, user, persona_id), dataset_id)
            return self._get(con, user, persona_id)

    def _defaults(self, category: str | None) -> dict[str, Any]:
        cloud = category == "cloud"
        return {"model": self.settings.default_cloud_model if cloud else self.settings.default_local_model,
                "temperature": 0.7, "max_tokens": 1024, "top_p": 0.9, "repeat_penalty": 1.1}

    @_counted("create")
    def create_from_scratch(self, user: User, name: str, prompt: str, dataset_ids: Sequence[str] = (),
                            **fields: Any) -> Persona:
        """A new custom persona; ``fields`` may set any editable field; it may draw on
        ``dataset_ids`` (linked in the same transaction, all or nothing)."""
        self.flags.require("ENHANCED_PERSONA_CREATION", user)
        self._reject_unknown(fields)
        timing = self._timing(fields)
        category = fields.pop("category", None) or "custom"
        data = {**self._defaults(category), "icon": "💬", "color_theme": "#6B7A99",
                **{k: v for k, v in fields.items() if v is not None},
                "name": name, "prompt": prompt, "category": category, "created_from": "scratch"}
        return self._insert(user, data, {"method": "scratch", "category": category, **timing},
                            dataset_ids=dataset_ids)

    @_counted("create")
    def create_from_template(self, user: User, template_id: str, shared: bool = False,
                             dataset_ids: Sequence[str] = (), **customization: Any) -> Persona:
        """A persona that starts from a template; ``customization`` overrides any editable field.
        ``shared`` (administrators only) makes it a built-in every user sees, read-only to them.
        ``dataset_ids`` are linked in the same transaction, all or nothing."""
        if shared:
            policy.require(user, "persona.share")
        self.flags.require("ENHANCED_PERSONA_CREATION", user)
        self.flags.require("THERAPEUTIC_TEMPLATES", user)
        self._reject_unknown(customization)
        timing = self._timing(customization)
        template = self.templates.get(template_id, offered_only=True)  # only approved versions
        data = {**self._defaults(template.category), **template.default_settings,
                "name": template.name, "prompt": template.prompt_template,
                "description": template.description, "icon": template.suggested_icon,
                "color_theme": template.color_theme, "category": template.category,
                "specialty": template.specialty, "tags": template.tags,
                **{k: v for k, v in customization.items() if v is not None},
                "template_id": template.id, "template_version": template.version,
                "created_from": "template"}
        return self._insert(user, data, {"method": "template", "template_id": template.id,
                                          "specialty": template.specialty, "category": data["category"],
                                          **timing}, shared=shared,
                            dataset_ids=dataset_ids)

    @_counted("duplicate")
    def duplicate(self, user: User, persona_id: str, name: str, dataset_ids: Sequence[str] = (),
                  **changes: Any) -> Persona:
        """A copy of a visible persona (prompt and settings) owned by ``user``; ``changes`` may
        customise any editable field of the copy; ``dataset_ids`` are linked in the same transaction."""
        self.flags.require("PERSONA_DUPLICATION", user)
        self._reject_unknown(changes)
        timing = self._timing(changes)
        source = self.get(user, persona_id)
        data = {key: getattr(source, key) for key in EDITABLE}
        data.update({k: v for k, v in changes.items() if v is not None})
        data.update(name=name, template_id=source.template_id,
                    template_version=source.template_version, created_from="duplicate")
        data["category"] = data["category"] if data["category"] in CATEGORIES else "custom"
        # consent to send one's own data to the cloud is given per persona, never copied
        data["builtin_data_access"] = {**(data.get("builtin_data_access") or {}), CLOUD_CONSENT: False}
        copy = self._insert(user, data, {"method": "duplicate", "source_id": source.id,
                                          "category": data["category"], **timing},
                            dataset_ids=dataset_ids)
        self.events.record(user.id, "persona_duplicated", {"persona_id": copy.id, "source_id": source.id})
        return copy

    @staticmethod
    def _reject_unknown(fields: dict[str, Any]) -> None:
        unknown = set(fields) - set(EDITABLE) - {"seconds_to_create"}
        if unknown:
            raise ValidationError(f"Unknown persona field(s): {', '.join(sorted(unknown))}.")

    @staticmethod
    def _timing(fields: dict[str, Any]) -> dict[str, Any]:
        seconds = fields.pop("seconds_to_create", None)
        return {} if seconds is None else {"seconds": round(float(seconds), 2)}

    # ---- changing ------------------------------------------------------------------------
    def _writable(self, user: User, persona: Persona, action: str) -> None:
        policy.require(user, "persona.change", persona,
                       f"{persona.name!r} is a built-in persona shared by everyone, so it cannot be {action}. "
                       "Duplicate it to make your own copy.")

    @_counted("update")
    def update(self, user: User, persona_id: str, **changes: Any) -> Persona:
        """Edit any of the editable fields of a persona the user owns."""
        self._reject_unknown(changes)
        changes.pop("seconds_to_create", None)
        persona = self.get(user, persona_id)
        self._writable(user, persona, "edited")
        access = changes.pop("builtin_data_access", None)
        if access is not None:  # through set_data_access: a shared persona's switches are per user
            self._clean({"builtin_data_access": access})
        clean = self._clean(changes)
        if clean:
            with self.db.transaction() as con:
                if "name" in clean:
                    self._check_name_free(con, user, clean["name"], except_id=persona_id)
                assignments = ", ".join(f"{key} = ?" for key in clean)
                con.execute(f"UPDATE personas SET {assignments}, updated_at = now() WHERE id = ?",
                            [*clean.values(), persona_id])
                self.events.record(user.id, "persona_edited",
                                   {"persona_id": persona_id, "fields": sorted(clean)}, con=con)
                persona = self._get(con, user, persona_id)
        if access is not None:  # only once the edit itself went through: a refused edit changes nothing
            persona = self.set_data_access(user, persona_id, **{k: bool(v) for k, v in access.items()})
        return persona

    def update_to_template(self, user: User, persona_id: str) -> Persona:
        """Opt in to the newest approved version of the persona's template: its prompt replaces the
        persona's, and the persona records that version (nothing else of the persona changes)."""
        persona = self.get(user, persona_id)
        self._writable(user, persona, "updated")
        if not persona.template_id:
            raise ValidationError(f"{persona.name!r} was not made from a template.")
        template = self.templates.get(persona.template_id, offered_only=True)
        with self.db.transaction() as con:
            con.execute("UPDATE personas SET prompt = ?, template_version = ?, updated_at = now() WHERE id = ?",
                        [template.prompt_template, template.version, persona_id])
            self.events.record(user.id, "persona_template_updated", {"persona_id": persona_id,
                                                                    "template_version": template.version}, con=con)
            return self._get(con, user, persona_id)

    def set_data_access(self, user: User, persona_id: str, **switches: bool | None) -> Persona:
        """Turn the persona's access to the user's own journal entries, mood data and profile on or
        off, and the consent to send them to the cloud host (``journal_entries``, ``mood_data``,
        ``user_profile``, ``cloud_consent``; None leaves one as it is). On a persona of one's own the
        switches are the persona's; on a shared one they are the user's own for it."""
        unknown = set(switches) - set(ACCESS_KEYS)
        if unknown:
            raise ValidationError(f"Unknown data access switch: {', '.join(sorted(unknown))}.")
        persona = self.get(user, persona_id)
        before = persona.builtin_data_access
        access = {k: bool(before.get(k)) if switches.get(k) is None else bool(switches[k]) for k in ACCESS_KEYS}
        with self.db.transaction() as con:
            if persona.is_builtin:
                con.execute("INSERT INTO persona_user_state (user_id, persona_id, data_access) VALUES (?, ?, ?)"
                            " ON CONFLICT (user_id, persona_id) DO UPDATE SET data_access = excluded.data_access",
                            [user.id, persona_id, json.dumps(access)])
            else:
                self._writable(user, persona, "changed")
                con.execute("UPDATE personas SET builtin_data_access = ?, updated_at = now() WHERE id = ?",
                            [json.dumps(access), persona_id])
            self.events.record(user.id, "persona_data_access_changed", {"persona_id": persona_id, **access}, con=con)
            if access["journal_entries"] and not before.get("journal_entries"):
                self.events.record(user.id, "feature_used", {"feature": "journal_access"}, con=con)
            return self._get(con, user, persona_id)

    def set_specialty(self, user: User, persona_id: str, specialty: str) -> Persona:
        return self.update(user, persona_id, specialty=specialty)

    def set_favorite(self, user: User, persona_id: str, favorite: bool = True) -> Persona:
        """Mark or unmark a persona as one of the user's favourites."""
        self.get(user, persona_id)
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO persona_user_state (user_id, persona_id, is_favorite) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, persona_id) DO UPDATE SET is_favorite = excluded.is_favorite",
                [user.id, persona_id, favorite])
            self.events.record(user.id, "persona_favorited",
                               {"persona_id": persona_id, "favorite": favorite}, con=con)
            return self._get(con, user, persona_id)

    @_counted("delete")
    def delete(self, user: User, persona_id: str) -> str:
        """Remove a persona the user owns, with its per-user state and conversations; defaults are
        refused. A shared persona that other people have conversations with is archived instead:
        it disappears from every list and their conversations are kept."""
        persona = self.get(user, persona_id)
        if persona.is_default:
            raise PermissionDeniedError(
                f"{persona.name!r} is a default persona and cannot be deleted. "
                "You can duplicate it and change the copy instead.")
        self._writable(user, persona, "deleted")
        with self.db.transaction() as con:
            others = con.execute("SELECT count(*) FROM conversations WHERE persona_id = ? AND user_id <> ?",
                                 [persona_id, user.id]).fetchone()[0]
            if persona.is_builtin and others:  # shared, and others talk to it: archive, keep their conversations
                con.execute("UPDATE personas SET archived_at = now() WHERE id = ?", [persona_id])
                self.events.record(user.id, "persona_archived", {"persona_id": persona_id}, con=con)
                return persona_id
            con.execute("DELETE FROM persona_user_state WHERE persona_id = ?", [persona_id])
            con.execute("DELETE FROM persona_datasets WHERE persona_id = ?", [persona_id])
            con.execute("DELETE FROM messages WHERE conversation_id IN"
                        " (SELECT id FROM conversations WHERE persona_id = ?)", [persona_id])
            con.execute("DELETE FROM conversations WHERE persona_id = ?", [persona_id])
            con.execute("DELETE FROM personas WHERE id = ?", [persona_id])
            self.events.record(user.id, "persona_deleted", {"persona_id": persona_id}, con=con)
        return persona_id
