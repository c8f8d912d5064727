"""Therapeutic templates: the shipped files, validation, versioning on change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from luna_core.config import TEMPLATES_DIR
from luna_core.errors import TemplateFileError
from luna_core.luna import Luna
from luna_core.personas.templates import load_template_dir, parse_template_file

REQUIRED = {"cbt-therapist", "dbt-skills-coach", "mindfulness-guide"}


def test_shipped_templates_are_valid_and_cover_the_approaches():
    templates, errors = load_template_dir(TEMPLATES_DIR)
    assert errors == []
    assert len(templates) >= 8
    assert REQUIRED <= {t.id for t in templates}
    specialties = " ".join(t.specialty.lower() for t in templates)
    for approach in ("acceptance and commitment", "trauma", "behavioural activation",
                     "self-compassion", "sleep", "grief"):
        assert approach in specialties, approach
    for t in templates:
        assert len(t.prompt_template) >= 600, t.id
        lowered = t.prompt_template.lower()
        assert "diagnos" in lowered and "988" in lowered, t.id  # limits and crisis referral
        assert "never" in lowered and "instruction" in lowered, t.id


def test_templates_list_filters_by_specialty(luna):
    assert [t.id for t in luna.templates.list("Dialectical")] == ["dbt-skills-coach"]
    assert "cbt-therapist" in [t.id for t in luna.templates.list("cognitive-distortions")]
    assert len(luna.templates.list()) >= 8


GOOD = (TEMPLATES_DIR / "cbt-therapist.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("mutation, message", [
    (lambda s: s.replace('id = "cbt-therapist"', 'id = "other"'), "must be lowercase-kebab-case and equal the file name"),
    (lambda s: s.replace("prompt_template", "prompt_text"), "missing required key 'prompt_template'"),
    (lambda s: s + "\n[[broken", "not valid TOML"),
    (lambda s: s.replace("temperature = 0.5", "temperature = 7"), "default_settings.temperature"),
    (lambda s: s.replace('category = "therapy"', 'category = "fun"'), "category must be one of"),
])
def test_malformed_template_is_reported_with_its_file_name(tmp_path, mutation, message):
    path = tmp_path / "cbt-therapist.toml"
    path.write_text(mutation(GOOD), encoding="utf-8")
    with pytest.raises(TemplateFileError, match=message) as caught:
        parse_template_file(path)
    assert str(caught.value).startswith("cbt-therapist.toml:")


def test_short_prompt_is_refused(tmp_path):
    start = GOOD.index('prompt_template = """')
    path = tmp_path / "cbt-therapist.toml"
    path.write_text(GOOD[:start] + 'prompt_template = "Be nice."\n' + GOOD[GOOD.index("[default_settings]"):])
    with pytest.raises(TemplateFileError, match="cbt-therapist.toml: prompt_template has 8 characters"):
        parse_template_file(path)


def test_malformed_file_is_skipped_and_reported_while_others_load(settings, tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    (folder / "broken-one.toml").write_text("id = 'broken-one'\nname = ", encoding="utf-8")
    luna = Luna.open(type(settings)(**{**settings.__dict__, "templates_dir": folder}))
    assert any(e.startswith("broken-one.toml:") for e in luna.template_report["errors"])
    assert len(luna.templates.list()) >= 8


def test_a_changed_template_file_is_a_new_version_in_review_never_an_overwrite(settings, tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    settings = type(settings)(**{**settings.__dict__, "templates_dir": folder})
    luna = Luna.open(settings)
    user = luna.user("tess")
    before = luna.templates.get("cbt-therapist")
    persona = luna.personas.create_from_template(user, "cbt-therapist", name="Mine")

    path: Path = folder / "cbt-therapist.toml"
    path.write_text(path.read_text().replace("You are the CBT", "You are the revised CBT"))
    report = Luna.open(settings).template_report
    after = luna.templates.get("cbt-therapist")

    assert report["updated"] == ["cbt-therapist"]
    assert after == before  # testers keep the approved version until the new one is approved
    versions = luna.review.versions(luna.user(), "cbt-therapist")
    assert [(v.version, v.status) for v in versions] == [(1, "approved"), (2, "in_review")]
    assert "revised CBT" in versions[1].content["prompt_template"]
    assert "revised CBT" not in versions[0].content["prompt_template"]
    kept = luna.personas.get(user, persona.id)
    assert kept.prompt == before.prompt_template and kept.template_version == before.version
    assert Luna.open(settings).template_report["updated"] == []  # unchanged files: no new version
