"""The persona lifecycle: create (scratch, template), duplicate, list, favourite, edit, delete."""

from __future__ import annotations

import json
import re

import pytest

from luna_core.errors import ConflictError, FeatureDisabledError, NotFoundError, PermissionDeniedError, ValidationError
from tests.conftest import open_luna


def test_create_from_template_copies_template_and_applies_customisation(luna, tester):
    persona = luna.personas.create_from_template(
        tester, "cbt-therapist", name="  My CBT Assistant  ", temperature=0.6, icon="🌟",
        color_theme="#112233", model="qwen3:4b", max_tokens=512)
    template = luna.templates.get("cbt-therapist")
    assert persona.name == "My CBT Assistant"
    assert persona.specialty == "Cognitive Behavioral Therapy"
    assert persona.template_id == "cbt-therapist" and persona.created_from == "template"
    assert persona.template_version == template.version
    assert persona.prompt == template.prompt_template
    assert (persona.temperature, persona.icon, persona.color_theme, persona.model, persona.max_tokens) == (
        0.6, "🌟", "#112233", "qwen3:4b", 512)
    assert persona.top_p == template.default_settings["top_p"]
    assert persona.category == "therapy" and persona.owner_id == tester.id
    assert persona.tags == template.tags


def test_create_from_template_with_prompt_edits(luna, tester):
    persona = luna.personas.create_from_template(tester, "mindfulness-guide", name="Calm",
                                                 prompt="You are calm. Breathe with me.")
    assert persona.prompt == "You are calm. Breathe with me."


def test_create_from_scratch_defaults_to_custom(luna, tester):
    persona = luna.personas.create_from_scratch(tester, "Buddy", "You are a kind buddy.",
                                                specialty="Peer support")
    assert (persona.category, persona.created_from, persona.specialty) == ("custom", "scratch", "Peer support")
    assert persona.template_id is None
    assert persona.builtin_data_access == {"journal_entries": False, "mood_data": False, "user_profile": False,
                                           "cloud_consent": False}


@pytest.mark.parametrize("name, message", [("", "name"), ("   ", "name"), ("x" * 81, "81 characters")])
def test_names_are_trimmed_required_and_limited(luna, tester, name, message):
    with pytest.raises(ValidationError, match=message):
        luna.personas.create_from_scratch(tester, name, "prompt")


def test_name_of_exactly_80_characters_is_accepted(luna, tester):
    assert len(luna.personas.create_from_scratch(tester, "n" * 80, "p").name) == 80


def test_prompt_limit_and_required(luna, tester):
    with pytest.raises(ValidationError, match="8001 characters"):
        luna.personas.create_from_scratch(tester, "Long", "p" * 8001)
    with pytest.raises(ValidationError, match="prompt cannot be empty"):
        luna.personas.create_from_scratch(tester, "Empty", "  ")
    assert luna.personas.create_from_scratch(tester, "Max", "p" * 8000).prompt == "p" * 8000


def test_duplicate_name_is_refused_case_insensitively(luna, tester):
    luna.personas.create_from_scratch(tester, "Buddy", "p")
    with pytest.raises(ConflictError, match="already have a persona called 'buddy'"):
        luna.personas.create_from_scratch(tester, "buddy", "p")


def test_invalid_settings_are_refused(luna, tester):
    with pytest.raises(ValidationError, match="temperature"):
        luna.personas.create_from_template(tester, "cbt-therapist", name="Hot", temperature=3)
    with pytest.raises(ValidationError, match="category"):
        luna.personas.create_from_scratch(tester, "X", "p", category="nonsense")
    with pytest.raises(ValidationError, match="colour"):
        luna.personas.create_from_scratch(tester, "Y", "p", color_theme="blue")


def test_unknown_template_is_not_found(luna, tester):
    with pytest.raises(NotFoundError, match="no template 'nope'"):
        luna.personas.create_from_template(tester, "nope", name="X")


def test_duplicate_copies_prompt_and_settings_for_the_copier(luna, tester, admin):
    original = luna.personas.create_from_template(tester, "dbt-skills-coach", name="DBT", temperature=0.4)
    copy = luna.personas.duplicate(tester, original.id, "DBT Copy")
    assert copy.id != original.id and copy.name == "DBT Copy" and copy.created_from == "duplicate"
    for key in ("prompt", "temperature", "max_tokens", "top_p", "model", "specialty", "category", "icon"):
        assert getattr(copy, key) == getattr(original, key), key
    shared = luna.personas.duplicate(tester, "default-local", "My Local")
    assert shared.owner_id == tester.id and not shared.is_default
    assert shared.prompt == luna.personas.get(admin, "default-local").prompt


def test_delete_and_default_refusal(luna, tester):
    persona = luna.personas.create_from_scratch(tester, "Temp", "p")
    luna.personas.set_favorite(tester, persona.id)
    assert luna.personas.delete(tester, persona.id) == persona.id
    with pytest.raises(NotFoundError):
        luna.personas.get(tester, persona.id)
    assert not luna.db.rows("SELECT * FROM persona_user_state WHERE persona_id = ?", [persona.id])
    with pytest.raises(PermissionDeniedError, match="default persona and cannot be deleted"):
        luna.personas.delete(tester, "default-cloud")
    with pytest.raises(NotFoundError, match="no persona 'ghost'"):
        luna.personas.delete(tester, "ghost")


def test_list_by_category_matches_category_or_specialty_newest_first(luna, tester):
    cbt = luna.personas.create_from_template(tester, "cbt-therapist", name="A")
    grief = luna.personas.create_from_template(tester, "grief-support-companion", name="B")
    custom = luna.personas.create_from_scratch(tester, "C", "p", specialty="therapy")
    assert [p.id for p in luna.personas.list(tester, "therapy")] == [custom.id, cbt.id]
    assert [p.id for p in luna.personas.list(tester, "specialty")] == [grief.id]
    assert [p.id for p in luna.personas.list(tester, "Cognitive Behavioral Therapy")] == [cbt.id]
    assert [p.id for p in luna.personas.list(tester, "cloud")] == ["default-cloud"]
    assert [p.id for p in luna.personas.list(tester)][:3] == [custom.id, grief.id, cbt.id]
    assert [p.id for p in luna.personas.list(tester, search="grief")] == [grief.id]


def test_favourites_are_per_user(luna, tester, other_tester):
    luna.personas.set_favorite(tester, "default-cloud")
    assert [p.id for p in luna.personas.list(tester, "favourites")] == ["default-cloud"]
    assert luna.personas.list(other_tester, "favorites") == []
    assert not luna.personas.get(other_tester, "default-cloud").is_favorite
    assert not luna.personas.set_favorite(tester, "default-cloud", False).is_favorite


def test_users_never_see_each_others_personas(luna, tester, other_tester):
    mine = luna.personas.create_from_scratch(tester, "Private", "p")
    assert mine.id not in [p.id for p in luna.personas.list(other_tester)]
    for action in (lambda: luna.personas.get(other_tester, mine.id),
                   lambda: luna.personas.delete(other_tester, mine.id),
                   lambda: luna.personas.update(other_tester, mine.id, name="Hijack"),
                   lambda: luna.personas.duplicate(other_tester, mine.id, "Copy")):
        with pytest.raises(NotFoundError):
            action()
    # the same name is free for another user
    assert luna.personas.create_from_scratch(other_tester, "Private", "p").name == "Private"


def test_edit_any_field_and_specialty(luna, tester):
    persona = luna.personas.create_from_scratch(tester, "Edit me", "p")
    edited = luna.personas.update(
        tester, persona.id, name="Edited", prompt="new prompt", description="d", icon="🌿",
        color_theme="#000000", model="m", temperature=1.0, max_tokens=64, top_p=0.5,
        repeat_penalty=1.0, tags=["x"], therapeutic_focus="sleep", category="therapy",
        builtin_data_access={"journal_entries": True})
    assert (edited.name, edited.prompt, edited.model, edited.max_tokens, edited.tags) == (
        "Edited", "new prompt", "m", 64, ["x"])
    assert edited.builtin_data_access["journal_entries"] is True
    assert edited.updated_at >= persona.updated_at
    assert luna.personas.set_specialty(tester, persona.id, "ACT").specialty == "ACT"
    with pytest.raises(ValidationError, match="Unknown persona field"):
        luna.personas.update(tester, persona.id, owner_id="someone")


def test_testers_cannot_edit_builtin_personas(luna, tester, admin):
    with pytest.raises(PermissionDeniedError, match="Duplicate it"):
        luna.personas.update(tester, "default-local", name="Mine now")
    assert luna.personas.update(admin, "default-local", description="Edited by admin").description == (
        "Edited by admin")


def test_disabled_features_are_refused_by_the_service(luna, tester):
    luna.flags.set("PERSONA_DUPLICATION", False)
    with pytest.raises(FeatureDisabledError, match="duplicating personas"):
        luna.personas.duplicate(tester, "default-local", "Copy")
    luna.flags.set("THERAPEUTIC_TEMPLATES", False)
    with pytest.raises(FeatureDisabledError, match="THERAPEUTIC_TEMPLATES"):
        luna.personas.create_from_template(tester, "cbt-therapist", name="X")
    luna.flags.set("ENHANCED_PERSONA_CREATION", False)
    with pytest.raises(FeatureDisabledError):
        luna.personas.create_from_scratch(tester, "X", "p")


def test_lifecycle_records_events_without_text(luna, tester):
    persona = luna.personas.create_from_template(tester, "cbt-therapist", name="Secret name",
                                                 seconds_to_create=42.5)
    luna.personas.set_favorite(tester, persona.id)
    luna.personas.update(tester, persona.id, prompt="very private prompt")
    luna.personas.delete(tester, persona.id)
    events = luna.events.list(user_id=tester.id)
    assert [e["name"] for e in events] == ["persona_created", "persona_favorited", "persona_edited",
                                           "persona_deleted"]
    assert events[0]["properties"] == {"persona_id": persona.id, "method": "template",
                                       "template_id": "cbt-therapist",
                                       "specialty": "Cognitive Behavioral Therapy", "category": "therapy",
                                       "seconds": 42.5}
    assert "private" not in str(events) and "Secret" not in str(events)


def test_persona_ids_and_creation_events_hold_nothing_of_the_name(luna, tester):
    scratch = luna.personas.create_from_scratch(tester, "Maria Lopez", "You help me grieve.")
    copy = luna.personas.duplicate(tester, scratch.id, "Jonas Weber")
    for persona in (scratch, copy):
        assert re.fullmatch(r"p-[0-9a-f]{12}", persona.id)
        assert luna.personas.get(tester, persona.id).name == persona.name
    events = json.dumps([e["properties"] for e in luna.events.list(tester.id)]).lower()
    assert scratch.id in events and copy.id in events
    for word in ("maria", "lopez", "jonas", "weber"):
        assert word not in scratch.id + copy.id and word not in events


def test_creating_with_documents_is_all_or_nothing(tmp_path, embedder):
    luna = open_luna(tmp_path, embedder=embedder)
    tess = luna.user("tess")
    doc = luna.documents.add_file(tess, "waves.md", b"# Grief\n\nGrief comes in waves; let each one pass.\n")
    persona = luna.personas.create_from_scratch(tess, "Waves", "You help me grieve.", dataset_ids=[doc.dataset_id])
    assert persona.dataset_count == 1
    assert [link["dataset_id"] for link in luna.library.links(tess, persona.id)] == [doc.dataset_id]
    bad = [doc.dataset_id, "ds-missing"]
    attempts = [lambda: luna.personas.create_from_scratch(tess, "Tide", "You help.", dataset_ids=bad),
                lambda: luna.personas.create_from_template(tess, "sleep-coach", name="Tide", dataset_ids=bad),
                lambda: luna.personas.duplicate(tess, persona.id, "Tide", dataset_ids=bad)]
    for attempt in attempts:
        with pytest.raises(NotFoundError, match="no document 'ds-missing'"):
            attempt()
    assert [p.name for p in luna.personas.list(tess) if p.owner_id == tess.id] == ["Waves"]
    assert luna.db.rows("SELECT persona_id FROM persona_datasets") == [{"persona_id": persona.id}]
    assert len(luna.events.list(tess.id, "persona_created")) == 1
