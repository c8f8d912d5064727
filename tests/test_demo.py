"""Demo content for a new installation: the shared handout library and the two demo companions."""

from __future__ import annotations

import pytest

from luna_core.chat.retrieval import page_label
from luna_core.config import Settings
from luna_core.demo import COMPANIONS, DEMO_EVENT, HANDOUTS_DIR, add_demo_content
from luna_core.errors import PermissionDeniedError
from luna_core.luna import Luna


@pytest.fixture
def demo_luna(tmp_path, embedder) -> Luna:
    return Luna.open(Settings.from_env({}, data_dir=tmp_path / "data", db_lock_timeout=0.5), embedder=embedder)


def test_demo_content_is_added_once_shared_and_grounds_answers(demo_luna):
    added = add_demo_content(demo_luna)
    handouts = sorted(HANDOUTS_DIR.glob("*.md"))
    assert len(added["datasets"]) == len(handouts) == 6 and len(added["personas"]) == len(COMPANIONS) == 3 and not added["problems"]
    assert add_demo_content(demo_luna) is None  # a restart adds nothing
    assert len(demo_luna.events.list(name=DEMO_EVENT)) == 1

    newcomer = demo_luna.user("newcomer")
    library = demo_luna.library.list(newcomer)
    assert {d.name for d in library} >= {"CBT Thought Record Worksheet", "Behavioural Activation"}
    assert all(d.is_global and d.status == "completed" for d in library)
    companions = {p.name: p for p in demo_luna.personas.list(newcomer) if p.name.startswith("Demo: ")}
    assert sorted(companions) == sorted(spec["name"] for spec in COMPANIONS)
    dbt = companions["Demo: DBT Skills Coach"]
    assert dbt.is_builtin and dbt.template_id == "dbt-skills-coach"
    passages = demo_luna.retriever.retrieve(newcomer, dbt, "how does TIPP work", record=False)
    assert passages and passages[0].source_file == "dbt_distress_tolerance.md"

    # the newcomer's own first companion from the same template keeps the template's name
    assert demo_luna.personas.create_from_template(newcomer, "dbt-skills-coach").name == "DBT Skills Coach"
    # nor can a tester change what every user's demo companion reads, or add shared companions
    with pytest.raises(PermissionDeniedError, match="Duplicate the companion"):
        demo_luna.library.unlink(newcomer, library[0].id, dbt.id)
    with pytest.raises(PermissionDeniedError):
        demo_luna.personas.create_from_template(newcomer, "cbt-therapist", shared=True, name="Everyone's CBT")


def test_an_interrupted_demo_run_is_completed_without_duplicates(demo_luna):
    admin = demo_luna.user()
    first = demo_luna.personas.create_from_template(admin, "cbt-therapist", shared=True, name=COMPANIONS[1]["name"])
    added = add_demo_content(demo_luna)
    assert first.id in added["personas"] and not added["problems"]
    assert [p.name for p in demo_luna.personas.list(admin)].count(COMPANIONS[1]["name"]) == 1
    assert len(demo_luna.library.links(admin, persona_id=first.id)) == len(COMPANIONS[1]["handouts"])


@pytest.mark.parametrize("reference, label", [
    ("3", "page 3"), ("3-4", "pages 3-4"), ("5-4-3-2-1 Grounding", None), ("Thought Record", None), (None, None)])
def test_page_labels_tell_pages_from_headings(reference, label):
    assert page_label(reference) == label
