"""Export a persona as a JSON document and import one, always as a new persona of the importer.

An import never overwrites anything: it gets a new id and the importing user as owner, whatever
the file says. The document is validated like any new persona. Its data access switches (journal,
mood, profile, cloud consent) are never taken from the file: an imported persona starts with all
of them off, and only its new owner turns them on.
"""

from __future__ import annotations

import json
from typing import Any

from luna_core.errors import ValidationError
from luna_core.personas.service import EDITABLE, Persona, PersonaService
from luna_core.store.users import User

FORMAT = "luna-persona"
VERSION = 1
MAX_BYTES = 256 * 1024


def export_persona(service: PersonaService, user: User, persona_id: str) -> dict[str, Any]:
    """A portable document of one visible persona: its editable fields and provenance."""
    service.flags.require("PERSONA_IMPORT_EXPORT", user)
    persona = service.get(user, persona_id)
    service.events.record(user.id, "persona_exported", {"persona_id": persona.id})
    return {"format": FORMAT, "version": VERSION,
            "persona": {key: getattr(persona, key) for key in EDITABLE},
            "template_id": persona.template_id, "template_version": persona.template_version}


def parse_persona_document(raw: bytes) -> dict[str, Any]:
    """The persona fields of an exported document, or ``ValidationError`` saying what is wrong."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"This file is {len(raw) // 1024} KB; a persona export is at most 256 KB.")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"This is not a Luna persona file (not valid JSON: {error}).") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError("This is not a Luna persona file (its 'format' is not 'luna-persona').")
    if document.get("version") != VERSION:
        raise ValidationError(f"This persona file has version {document.get('version')!r}; "
                              f"this Luna reads version {VERSION}.")
    fields = document.get("persona")
    if not isinstance(fields, dict) or "name" not in fields or "prompt" not in fields:
        raise ValidationError("The persona file has no persona name and prompt.")
    return {key: fields[key] for key in EDITABLE if key in fields}


def import_persona(service: PersonaService, user: User, raw: bytes) -> Persona:
    """Create the persona in ``raw`` for ``user``; a taken name gets ' (imported)' appended."""
    service.flags.require("PERSONA_IMPORT_EXPORT", user)
    fields = parse_persona_document(raw)
    names = {p.name.lower() for p in service.list(user)}
    name = str(fields.pop("name") or "").strip()
    while name.lower() in names:
        name = f"{name} (imported)"
    prompt = fields.pop("prompt")
    fields.pop("builtin_data_access", None)  # a file never opens anyone's journal, mood or profile
    persona = service.create_from_scratch(user, name, prompt, **fields)
    service.events.record(user.id, "persona_imported", {"persona_id": persona.id})
    return persona
