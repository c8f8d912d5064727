"""Demo content for a new installation, so that ``make run`` shows grounded chat from the first minute.

Luna's own handouts (``data/handouts/``, written for Luna and reviewed like the templates) become a
shared library every user can read, and two shared demo companions draw on them. It happens once per
data folder (an event marks it), only when the app starts (the CLI never adds anything by itself),
and everything it adds can be removed by an administrator like any other content.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from luna_core.config import LOCAL_ADMIN_NAME
from luna_core.errors import LunaError

if TYPE_CHECKING:
    from luna_core.luna import Luna

HANDOUTS_DIR = Path(__file__).resolve().parent.parent / "data" / "handouts"
DEMO_EVENT = "demo_content_added"
COMPANIONS = (
    {"template": "dbt-skills-coach", "name": "Demo: DBT Skills Coach",
     "handouts": ("dbt_distress_tolerance.md", "mindfulness_practices.md")},
    {"template": "cbt-therapist", "name": "Demo: CBT Thought Coach",
     "handouts": ("cbt_thought_record.md", "behavioural_activation.md", "sleep_hygiene.md")},
    {"template": "sleep-coach", "name": "Demo: Sleep Coach", "handouts": ("sleep_hygiene.md",)},
)


def title_of(path: Path) -> str:
    """The handout's first Markdown heading, else its file name."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("_", " ").capitalize()


def add_demo_content(luna: Luna, folder: Path = HANDOUTS_DIR) -> dict[str, Any] | None:
    """Add the demo library and companions unless this data folder has had them; returns what was
    added (``None`` when there was nothing to do)."""
    if luna.events.list(name=DEMO_EVENT):
        return None
    admin = luna.users.get(LOCAL_ADMIN_NAME)
    datasets: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.md")):
        result = luna.documents.add_file(admin, path.name, path.read_bytes(), is_global=True, name=title_of(path))
        if result.status == "completed":
            datasets[path.name] = result.dataset_id
        else:
            problems.append(f"{path.name}: {result.error}")
    companions = []
    existing = {p.name: p for p in luna.personas.list(admin) if p.is_builtin}  # from an interrupted run
    for spec in COMPANIONS:
        try:
            persona = existing.get(spec["name"]) or luna.personas.create_from_template(
                admin, spec["template"], shared=True, name=spec["name"])
            for handout in spec["handouts"]:
                if handout in datasets:
                    luna.library.link(admin, datasets[handout], persona.id)
        except LunaError as error:  # a template removed or renamed, a feature switched off
            problems.append(f"{spec['name']}: {error}")
            continue
        companions.append(persona.id)
    added = {"datasets": sorted(datasets.values()), "personas": companions, "problems": problems}
    luna.events.record(admin.id, DEMO_EVENT, {"datasets": len(datasets), "personas": len(companions),
                                              "problems": len(problems)})
    return added
