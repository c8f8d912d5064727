"""Therapeutic templates: TOML files in ``data/templates`` reviewed like code, loaded into DuckDB.

A template file whose content changes gets a new version when it is synced; personas keep the
prompt (and the template version) they were created with.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from luna_core.errors import NotFoundError, TemplateFileError
from luna_core.store.db import Database

TEMPLATE_CATEGORIES = ("therapy", "specialty")
REVIEW_STATUSES = ("pending_review", "approved", "changes_requested", "retired")
FILE_AUTHOR = "data/templates"  # the author of versions that come from the reviewed-like-code files
MIN_PROMPT_CHARS = 600
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SETTING_RANGES = {"temperature": (0.0, 2.0), "max_tokens": (16, 32768), "top_p": (0.01, 1.0)}


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    specialty: str
    description: str
    prompt_template: str
    suggested_icon: str
    color_theme: str
    default_settings: dict[str, Any]
    category: str
    tags: list[str]
    key_features: list[str]
    best_for: str
    version: int
    review_status: str
    content_hash: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("content_hash")
        return data


def _require(path: Path, data: dict, key: str, kind: type) -> Any:
    if key not in data:
        raise TemplateFileError(f"{path.name}: missing required key '{key}'.")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TemplateFileError(f"{path.name}: '{key}' must be a {kind.__name__}.")
    return value


def _string_list(path: Path, data: dict, key: str) -> list[str]:
    values = _require(path, data, key, list)
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise TemplateFileError(f"{path.name}: '{key}' must be a non-empty list of strings.")
    return values


def _settings(path: Path, data: dict) -> dict[str, Any]:
    settings = _require(path, data, "default_settings", dict)
    for key, (low, high) in _SETTING_RANGES.items():
        value = settings.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
            raise TemplateFileError(
                f"{path.name}: default_settings.{key} must be a number between {low} and {high}."
            )
    return {"temperature": float(settings["temperature"]), "max_tokens": int(settings["max_tokens"]),
            "top_p": float(settings["top_p"])}


def parse_template_file(path: Path) -> Template:
    """Read and validate one template file; any problem raises ``TemplateFileError`` naming it."""
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TemplateFileError(f"{path.name}: not valid TOML ({error}).") from error
    template_id = _require(path, data, "id", str)
    if template_id != path.stem or not _ID.match(template_id):
        raise TemplateFileError(
            f"{path.name}: id {template_id!r} must be lowercase-kebab-case and equal the file name."
        )
    name = _require(path, data, "name", str).strip()
    if not name or len(name) > 80:
        raise TemplateFileError(f"{path.name}: name must be 1-80 characters.")
    prompt = _require(path, data, "prompt_template", str).strip()
    if len(prompt) < MIN_PROMPT_CHARS:
        raise TemplateFileError(
            f"{path.name}: prompt_template has {len(prompt)} characters; a template prompt needs "
            f"at least {MIN_PROMPT_CHARS} (techniques, tone, limits, when to seek help)."
        )
    category = _require(path, data, "category", str)
    if category not in TEMPLATE_CATEGORIES:
        raise TemplateFileError(f"{path.name}: category must be one of {TEMPLATE_CATEGORIES}.")
    color = _require(path, data, "color_theme", str)
    if not _COLOR.match(color):
        raise TemplateFileError(f"{path.name}: color_theme must look like #4F7CAC.")
    status = data.get("review_status", "pending_review")
    if status not in REVIEW_STATUSES:
        raise TemplateFileError(f"{path.name}: review_status must be one of {REVIEW_STATUSES}.")
    version = _require(path, data, "version", int)
    if version < 1:
        raise TemplateFileError(f"{path.name}: version must be 1 or more.")
    return Template(
        id=template_id, name=name, specialty=_require(path, data, "specialty", str).strip(),
        description=_require(path, data, "description", str).strip(), prompt_template=prompt,
        suggested_icon=_require(path, data, "suggested_icon", str), color_theme=color,
        default_settings=_settings(path, data), category=category,
        tags=_string_list(path, data, "tags"), key_features=_string_list(path, data, "key_features"),
        best_for=_require(path, data, "best_for", str).strip(), version=version,
        review_status=status, content_hash=hashlib.sha256(raw).hexdigest(),
    )


def load_template_dir(directory: Path) -> tuple[list[Template], list[str]]:
    """Every valid template in ``directory`` and one message per file that could not be used."""
    templates, errors, seen = [], [], set()
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            template = parse_template_file(path)
        except TemplateFileError as error:
            errors.append(str(error))
            continue
        if template.id in seen:
            errors.append(f"{path.name}: template id {template.id!r} is used twice.")
            continue
        seen.add(template.id)
        templates.append(template)
    return templates, errors


def _template(row: dict) -> Template:
    data = {k: row[k] for k in Template.__dataclass_fields__}
    for key in ("default_settings", "tags", "key_features"):
        data[key] = json.loads(data[key])
    return Template(**data)


class TemplateStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.load_errors: list[str] = []

    def sync(self, directory: Path) -> dict[str, list[str]]:
        """Load template files: the files are the seed of version 1 and are reviewed like code.

        A new file becomes version 1 (approved when the file says so, else in review). A changed
        file never overwrites anything: it becomes a new version in review, and testers keep the
        last approved one (``review.TemplateReview`` approves). Malformed files are skipped and
        reported. A template stored before versions existed gets its version row here.
        """
        from luna_core.personas.review import record_version  # review builds on this module

        templates, self.load_errors = load_template_dir(directory)
        report: dict[str, list[str]] = {"added": [], "updated": [], "errors": self.load_errors}
        stored = {r["id"]: r for r in self.db.rows("SELECT * FROM persona_templates")}
        versioned = {r["template_id"] for r in self.db.rows("SELECT DISTINCT template_id FROM template_versions")}
        with self.db.transaction() as con:
            for template_id in set(stored) - versioned:  # from before versions existed
                old = _template(stored[template_id])
                record_version(con, old, "approved" if old.review_status == "approved" else "in_review",
                               author=FILE_AUTHOR, note="stored before template versions existed")
            for t in templates:
                old = stored.get(t.id)
                if old is not None and old["content_hash"] == t.content_hash:
                    continue
                if old is None:
                    status = "approved" if t.review_status == "approved" else "in_review"
                    con.execute(
                        "INSERT INTO persona_templates (name, specialty, description, prompt_template,"
                        " suggested_icon, color_theme, default_settings, category, tags, key_features,"
                        " best_for, version, review_status, content_hash, source_file, id)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [t.name, t.specialty, t.description, t.prompt_template, t.suggested_icon, t.color_theme,
                         json.dumps(t.default_settings), t.category, json.dumps(t.tags), json.dumps(t.key_features),
                         t.best_for, t.version, status, t.content_hash, f"{t.id}.toml", t.id])
                    record_version(con, t, status, author=FILE_AUTHOR, note=f"data/templates/{t.id}.toml")
                    report["added"].append(t.id)
                    continue
                con.execute("UPDATE persona_templates SET content_hash = ? WHERE id = ?", [t.content_hash, t.id])
                if record_version(con, t, "in_review", author=FILE_AUTHOR,
                                  note=f"changed in data/templates/{t.id}.toml", only_if_new=True):
                    report["updated"].append(t.id)
        return report

    def list(self, specialty: str | None = None, offered_only: bool = True) -> list[Template]:
        """Templates by name, as testers are offered them (the newest approved version of each;
        ``offered_only=False`` adds those with none); ``specialty`` matches part of the
        specialty, a tag or the id."""
        sql = "SELECT * FROM persona_templates" + (" WHERE review_status = 'approved'" if offered_only else "")
        templates = [_template(r) for r in self.db.rows(sql + " ORDER BY name")]
        if specialty:
            wanted = specialty.strip().lower()
            templates = [t for t in templates if wanted in t.specialty.lower()
                         or wanted in (tag.lower() for tag in t.tags) or t.id.startswith(wanted)]
        return templates

    def get(self, template_id: str, offered_only: bool = False) -> Template:
        """The template as testers get it (its newest approved version); with ``offered_only`` a
        template with no approved version is refused like an unknown one."""
        sql = "SELECT * FROM persona_templates WHERE id = ?" + (" AND review_status = 'approved'" if offered_only else "")
        rows = self.db.rows(sql, [template_id])
        if not rows:
            raise NotFoundError(
                f"There is no template {template_id!r}. 'python -m luna_core templates list' shows them."
            )
        return _template(rows[0])
