"""Personas: the companions people create and the therapeutic templates they start from.

Owns the persona service (``service``: create from a template, from scratch or as a copy; browse,
edit, favourite, delete), the reviewed template files and their store (``templates``), a persona's
portable JSON file (``import_export``) and the import from the original Luna SQLite database
(``legacy``).
"""

from luna_core.personas.import_export import export_persona, import_persona
from luna_core.personas.legacy import import_legacy
from luna_core.personas.records import DATA_ACCESS_KEYS
from luna_core.personas.service import CATEGORIES, Browse, Persona, PersonaService
from luna_core.personas.templates import Template, TemplateStore

__all__ = ["CATEGORIES", "DATA_ACCESS_KEYS", "Browse", "Persona", "PersonaService", "Template", "TemplateStore",
           "export_persona", "import_legacy", "import_persona"]
