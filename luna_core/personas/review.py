"""Clinician review of therapeutic templates: immutable versions, approval bound to a hash, a
safety gate before approval, and an append-only audit log whose entries are chained by hash.

Statuses: ``draft`` → ``in_review`` → ``approved`` | ``changes_requested`` (→ a new draft);
any version can be ``retired`` (suspended). Testers are offered the newest approved version that is
not retired (``persona_templates`` holds that copy); with none, the template is not offered.

Who may: clinicians and administrators (``policy`` "templates.review") edit, submit, review and
retire; nobody approves their own version; an approval records the version's SHA-256 (of the
prompt and settings) and is refused if the stored content no longer matches it, or if the
version's safety gate has not passed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from luna_core import policy
from luna_core.errors import NotFoundError, PermissionDeniedError, ValidationError
from luna_core.personas.templates import MIN_PROMPT_CHARS, Template
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.users import User

STATUSES = ("draft", "in_review", "changes_requested", "approved", "retired")
CONTENT_KEYS = ("name", "specialty", "description", "prompt_template", "suggested_icon", "color_theme",
                "default_settings", "category", "tags", "key_features", "best_for")
GENESIS = "0" * 64


def prompt_sha256(content: dict[str, Any]) -> str:
    """The SHA-256 an approval binds to: the rendered prompt and the settings."""
    rendered = json.dumps({"prompt": content["prompt_template"].strip(), "settings": content["default_settings"]},
                          sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(rendered.encode()).hexdigest()


def record_version(con: duckdb.DuckDBPyConnection, template: Template, status: str, author: str,
                   note: str | None = None, only_if_new: bool = False) -> int | None:
    """Add the next version of ``template`` (its content, whatever version number it carries);
    with ``only_if_new``, nothing when a version with the same prompt and settings exists."""
    content = {k: getattr(template, k) for k in CONTENT_KEYS}
    digest = prompt_sha256(content)
    rows = fetch_dicts(con, "SELECT version, content FROM template_versions WHERE template_id = ?", [template.id])
    if only_if_new and any(json.loads(r["content"]) == content for r in rows):  # any field, not just the prompt
        return None
    version = max([r["version"] for r in rows], default=template.version - 1) + 1
    approved = status == "approved"
    con.execute("INSERT INTO template_versions (template_id, version, status, content, prompt_sha256, author, note,"
                " reviewer, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [template.id, version, status, json.dumps(content, ensure_ascii=False), digest, author, note,
                 author if approved else None, datetime.now() if approved else None])
    _append_log(con, template.id, version, "created" if not approved else "approved_as_code", author, note, digest)
    return version


def _entry_hash(entry: dict[str, Any]) -> str:
    keys = ("seq", "template_id", "version", "action", "actor", "comment", "version_sha256", "created_at", "prev_hash")
    return hashlib.sha256(json.dumps({k: entry[k] for k in keys}, sort_keys=True).encode()).hexdigest()


def _append_log(con: duckdb.DuckDBPyConnection, template_id: str, version: int, action: str, actor: str,
                comment: str | None, digest: str) -> None:
    last = fetch_dicts(con, "SELECT seq, entry_hash FROM review_log ORDER BY seq DESC LIMIT 1")
    entry = {"seq": (last[0]["seq"] + 1) if last else 1, "template_id": template_id, "version": version,
             "action": action, "actor": actor, "comment": comment, "version_sha256": digest,
             "created_at": datetime.now().isoformat(timespec="microseconds"),
             "prev_hash": last[0]["entry_hash"] if last else GENESIS}
    entry["entry_hash"] = _entry_hash(entry)
    con.execute("INSERT INTO review_log (seq, template_id, version, action, actor, comment, version_sha256,"
                " created_at, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [entry[k] for k in ("seq", "template_id", "version", "action", "actor", "comment",
                                    "version_sha256", "created_at", "prev_hash", "entry_hash")])


@dataclass(frozen=True)
class Version:
    template_id: str
    version: int
    status: str
    content: dict[str, Any]
    prompt_sha256: str
    author: str
    note: str | None
    created_at: datetime
    reviewer: str | None
    reviewed_at: datetime | None
    review_comment: str | None
    gate: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """The CLI's ``templates versions`` row."""
        return {"version": self.version, "status": self.status, "author": self.author, "reviewer": self.reviewer,
                "prompt_sha256": self.prompt_sha256, "created_at": self.created_at.isoformat(), "note": self.note}


def _version(row: dict) -> Version:
    data = dict(row)
    data["content"] = json.loads(row["content"])
    data["gate"] = json.loads(row["gate"]) if row["gate"] else None
    return Version(**data)


class TemplateReview:
    def __init__(self, db: Database, run_gate: Callable[[User, Version], dict[str, Any]] | None = None) -> None:
        """``run_gate`` runs a version's golden conversations through the chat pipeline
        (``gate.run_gate`` bound to the ChatService, injected by ``Luna``)."""
        self.db, self._run_gate = db, run_gate

    def versions(self, user: User, template_id: str) -> list[Version]:
        policy.require(user, "templates.review")
        rows = self.db.rows("SELECT * FROM template_versions WHERE template_id = ? ORDER BY version", [template_id])
        if not rows:
            raise NotFoundError(f"There is no template {template_id!r}.")
        return [_version(r) for r in rows]

    def version(self, user: User, template_id: str, version: int) -> Version:
        found = [v for v in self.versions(user, template_id) if v.version == version]
        if not found:
            raise NotFoundError(f"Template {template_id!r} has no version {version}.")
        return found[0]

    def overview(self, user: User) -> list[dict[str, Any]]:
        """Every template with its newest version and what is waiting, pending reviews first."""
        policy.require(user, "templates.review")
        rows = self.db.rows("SELECT template_id, max(version) AS newest, count(*) FILTER (status = 'in_review') AS"
                            " pending, max(version) FILTER (status = 'approved') AS approved FROM template_versions"
                            " GROUP BY template_id")
        return sorted(rows, key=lambda r: (-r["pending"], r["template_id"]))

    def edit(self, user: User, template_id: str, prompt: str, note: str | None = None, **changes: Any) -> Version:
        """A new draft from the newest version with a changed prompt (and any other content)."""
        policy.require(user, "templates.review")
        prompt = (prompt or "").strip()
        if len(prompt) < MIN_PROMPT_CHARS:
            raise ValidationError(f"A template prompt needs at least {MIN_PROMPT_CHARS} characters "
                                  "(techniques, tone, limits, when to seek help).")
        unknown = set(changes) - set(CONTENT_KEYS)
        if unknown:
            raise ValidationError(f"Unknown template fields: {', '.join(sorted(unknown))}.")
        newest = self.versions(user, template_id)[-1]
        template = Template(id=template_id, version=newest.version + 1, review_status="draft",
                            **{**newest.content, **changes, "prompt_template": prompt})
        with self.db.transaction() as con:
            number = record_version(con, template, "draft", author=user.id, note=note)
        return self.version(user, template_id, number)

    def submit(self, user: User, template_id: str, version: int) -> Version:
        return self._move(user, template_id, version, ("draft", "changes_requested"), "in_review", "submitted")

    def request_changes(self, user: User, template_id: str, version: int, comment: str) -> Version:
        if not (comment or "").strip():
            raise ValidationError("Say what should change: a request for changes needs a comment.")
        return self._move(user, template_id, version, ("in_review",), "changes_requested", "changes_requested",
                          comment, reviewing=True)

    def approve(self, user: User, template_id: str, version: int, comment: str | None = None) -> Version:
        v = self.version(user, template_id, version)
        if v.status != "in_review":
            raise ValidationError(f"Version {version} is {v.status.replace('_', ' ')}: only a version in review "
                                  "can be approved (submit it first).")
        if prompt_sha256(v.content) != v.prompt_sha256:
            raise PermissionDeniedError(f"Version {version} no longer matches the SHA-256 it was written with; "
                                        "it cannot be approved. Make a new draft from a trusted version.")
        if not v.gate or not v.gate.get("passed") or v.gate.get("prompt_sha256") != v.prompt_sha256:
            raise PermissionDeniedError(f"Version {version} has not passed its safety gate (the golden "
                                        "conversations, crisis resources first): run the gate, then approve.")
        approved = self._move(user, template_id, version, ("in_review",), "approved", "approved", comment,
                              reviewing=True)
        self._offer_newest(template_id)
        return approved

    def retire(self, user: User, template_id: str, version: int, comment: str | None = None) -> Version:
        """Suspend a version (or, done to each, retire the template): testers then get the newest
        approved version that is left, or none."""
        retired = self._move(user, template_id, version, STATUSES[:4], "retired", "retired", comment)
        self._offer_newest(template_id)
        return retired

    def retire_template(self, user: User, template_id: str, comment: str | None = None) -> list[Version]:
        """Retire every version: the template is no longer offered (personas made from it keep working)."""
        for v in self.versions(user, template_id):
            if v.status != "retired":
                self._move(user, template_id, v.version, STATUSES[:4], "retired", "retired", comment)
        self._offer_newest(template_id)
        return self.versions(user, template_id)

    def run_gate(self, user: User, template_id: str, version: int) -> Version:
        """Run the version's safety gate and keep its results with the version (only the service
        runs it, so no caller can attach results of its own)."""
        policy.require(user, "templates.review")
        v = self.version(user, template_id, version)
        if self._run_gate is None:
            raise ValidationError("The safety gate needs the chat pipeline, which this Luna was built without.")
        results = {**self._run_gate(user, v), "prompt_sha256": v.prompt_sha256}
        with self.db.transaction() as con:
            con.execute("UPDATE template_versions SET gate = ? WHERE template_id = ? AND version = ?",
                        [json.dumps(results), template_id, version])
            _append_log(con, template_id, version, "gate_passed" if results.get("passed") else "gate_failed",
                        user.id, None, v.prompt_sha256)
        return self.version(user, template_id, version)

    def _move(self, user: User, template_id: str, version: int, allowed: tuple[str, ...], status: str,
              action: str, comment: str | None = None, reviewing: bool = False) -> Version:
        policy.require(user, "templates.review")
        v = self.version(user, template_id, version)
        if v.status not in allowed:
            raise ValidationError(f"Version {version} is {v.status.replace('_', ' ')}, so it cannot be "
                                  f"{action.replace('_', ' ')} now.")
        if reviewing and v.author == user.id:
            raise PermissionDeniedError("You wrote this version, so another clinician or administrator must review it.")
        with self.db.transaction() as con:
            placeholders = ", ".join("?" * len(allowed))
            review = ", reviewer = ?, reviewed_at = now(), review_comment = ?" if reviewing else ""
            moved = fetch_dicts(  # the status is checked again in the write: two reviewers cannot both move it
                con, f"UPDATE template_versions SET status = ?{review} WHERE template_id = ? AND version = ?"
                     f" AND status IN ({placeholders}) RETURNING version",
                [status, *([user.id, comment] if reviewing else []), template_id, version, *allowed])
            if not moved:
                raise ValidationError(f"Version {version} was changed by someone else a moment ago; reload and look again.")
            _append_log(con, template_id, version, action, user.id, comment, v.prompt_sha256)
        return self.version(user, template_id, version)

    def _offer_newest(self, template_id: str) -> None:
        """Put the newest approved version in ``persona_templates`` (or mark it not offered)."""
        rows = [r for r in self.db.rows("SELECT * FROM template_versions WHERE template_id = ? AND status = 'approved'"
                                        " ORDER BY version DESC", [template_id]) if self._intact(r)][:1]
        with self.db.connect() as con:
            if not rows:
                con.execute("UPDATE persona_templates SET review_status = 'retired' WHERE id = ?", [template_id])
                return
            c, version = json.loads(rows[0]["content"]), rows[0]["version"]
            con.execute("UPDATE persona_templates SET name = ?, specialty = ?, description = ?, prompt_template = ?,"
                        " suggested_icon = ?, color_theme = ?, default_settings = ?, category = ?, tags = ?,"
                        " key_features = ?, best_for = ?, version = ?, review_status = 'approved', updated_at = now()"
                        " WHERE id = ?",
                        [c["name"], c["specialty"], c["description"], c["prompt_template"], c["suggested_icon"],
                         c["color_theme"], json.dumps(c["default_settings"]), c["category"], json.dumps(c["tags"]),
                         json.dumps(c["key_features"]), c["best_for"], version, template_id])

    def _intact(self, row: dict) -> bool:
        """Whether an approved version's content still has the hash its approval recorded."""
        approvals = self.db.rows("SELECT version_sha256 FROM review_log WHERE template_id = ? AND version = ?"
                                 " AND action IN ('approved', 'approved_as_code') ORDER BY seq DESC LIMIT 1",
                                 [row["template_id"], row["version"]])
        content = json.loads(row["content"])
        return bool(approvals) and prompt_sha256(content) == approvals[0]["version_sha256"] == row["prompt_sha256"]

    def export(self, user: User, template_id: str) -> str:
        """The newest approved version (whose content still has its approved hash) as a template
        file for ``data/templates/``."""
        rows = self.db.rows("SELECT * FROM template_versions WHERE template_id = ? AND status = 'approved'"
                            " ORDER BY version", [template_id])
        approved = [_version(r) for r in rows if self._intact(r)]
        if not approved:
            raise NotFoundError(f"Template {template_id!r} has no approved version to export.")
        return to_toml(template_id, approved[-1])

    def newer_for(self, persona) -> int | None:
        """The newest approved version of ``persona``'s template when it is newer than the persona's."""
        return newer_approved(self.db, persona.template_id, persona.template_version)

    def people(self, user: User) -> dict[str, str]:
        """Names of the authors and reviewers the page shows (ids of deleted accounts stay ids)."""
        policy.require(user, "templates.review")
        return {r["id"]: r["name"] for r in self.db.rows("SELECT id, name FROM users")}

    def history(self, user: User, template_id: str | None = None) -> list[dict[str, Any]]:
        policy.require(user, "templates.review")
        sql, params = "SELECT * FROM review_log", []
        if template_id:
            sql, params = sql + " WHERE template_id = ?", [template_id]
        return self.db.rows(sql + " ORDER BY seq", params)

    def verify_log(self) -> dict[str, Any]:
        """Whether the audit chain is intact: every entry's hash is right and names the one before."""
        previous = GENESIS
        rows = self.db.rows("SELECT * FROM review_log ORDER BY seq")
        for row in rows:
            if row["prev_hash"] != previous or _entry_hash(row) != row["entry_hash"]:
                return {"intact": False, "entries": len(rows), "first_bad_seq": row["seq"]}
            previous = row["entry_hash"]
        return {"intact": True, "entries": len(rows), "first_bad_seq": None}


def to_toml(template_id: str, version: Version) -> str:
    """An approved version as a ``data/templates`` file (the reviewed-like-code copy), which
    ``parse_template_file`` reads back to the same content."""
    c = version.content

    def value(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)  # JSON strings, numbers and string lists are valid TOML

    lines = [f"id = {value(template_id)}"]
    lines += [f"{key} = {value(c[key])}" for key in ("name", "specialty", "category", "description",
                                                     "suggested_icon", "color_theme")]
    lines += [f"version = {version.version}", 'review_status = "approved"', f"tags = {value(c['tags'])}",
              f"key_features = {value(c['key_features'])}", f"best_for = {value(c['best_for'])}",
              f"prompt_template = {value(c['prompt_template'])}", "", "[default_settings]"]
    lines += [f"{key} = {value(v)}" for key, v in c["default_settings"].items()]
    return "\n".join(lines) + "\n"


def newer_approved(db: Database, template_id: str | None, version: int | None) -> int | None:
    """The newest approved version of a persona's template when it is newer than ``version``."""
    if not template_id or version is None:
        return None
    rows = db.rows("SELECT max(version) AS v FROM template_versions WHERE template_id = ? AND status = 'approved'",
                   [template_id])
    newest = rows[0]["v"] if rows else None
    return newest if newest is not None and newest > version else None


__all__ = ["STATUSES", "TemplateReview", "Version", "newer_approved", "prompt_sha256", "record_version", "to_toml"]
