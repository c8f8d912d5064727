"""The persona manager page, clicked through with AppTest on a real Luna."""

from __future__ import annotations

import json

import pytest

from tests.apptest import click, labels, no_errors, start, texts
from tests.conftest import OFFLINE


def card_names(at) -> list[str]:
    return [m.value.split('font-size:1.05em">')[1].split("<")[0] for m in at.markdown
            if 'font-size:1.05em">' in m.value]


def test_first_screen_for_a_new_user(luna, tess):
    at = no_errors(start(luna, tess))
    page = texts(at)
    # shared companions exist, so no "Create your first": a short line offers one of their own
    assert "AI Therapeutic Companions" in page and "Create Your First AI Companion" not in page
    assert "These companions are shared with everyone" in page
    assert "✨ Create New Persona" in labels(at) and "Create your own" in labels(at)
    assert card_names(at) == ["Luna (Cloud)", "Luna (Private)"]
    assert "Signed in as** tess" in page
    assert "cannot reach the language model host" in page  # the sidebar explains the offline host


def test_create_your_own_opens_the_wizard_and_goes_once_you_have_one(luna, tess):
    at = click(start(luna, tess), "Create your own")
    assert "Create a new persona" in texts(at)
    luna.personas.create_from_template(tess, "cbt-therapist", name="CBT")
    assert "Create your own" not in labels(no_errors(start(luna, tess)))


def test_the_big_first_companion_banner_only_when_there_are_none(luna, tess, admin):
    with luna.db.connect() as con:  # an installation without its built-in companions
        con.execute("DELETE FROM personas WHERE owner_id IS NULL")
    at = no_errors(start(luna, tess))
    assert "Create Your First AI Companion" in texts(at) and "Get Started" in labels(at)
    assert "Create a new persona" in texts(click(at, "Get Started"))


def test_favourites_come_first_and_a_disabled_action_says_why(luna, tess):
    luna.personas.create_from_scratch(tess, "Zed", "p")
    luna.personas.set_favorite(tess, luna.personas.create_from_scratch(tess, "Fav", "p").id)
    at = no_errors(start(luna, tess))
    assert card_names(at)[0] == "Fav"
    assert "only an administrator can edit or delete them. Duplicate one" in texts(at)


def test_category_counts_and_filtering(luna, tess):
    luna.personas.create_from_template(tess, "cbt-therapist", name="CBT")
    luna.personas.create_from_template(tess, "grief-support-companion", name="Grief")
    luna.personas.create_from_scratch(tess, "Mine", "p")
    luna.personas.set_favorite(tess, "default-cloud")
    at = no_errors(start(luna, tess))
    control = at.segmented_control[0]
    assert control.options == ["All (5)", "Therapeutic (1)", "Specialized (1)", "Cloud AI (1)",
                               "Private AI (4)", "Custom (1)", "Favourites (1)"]
    assert "Create Your First AI Companion" not in texts(at)
    at = no_errors(control.set_value("specialty").run())
    assert card_names(at) == ["Grief"]
    at = no_errors(at.segmented_control[0].set_value("local").run())  # every persona on this machine's host
    assert sorted(card_names(at)) == ["CBT", "Grief", "Luna (Private)", "Mine"]
    at = no_errors(at.segmented_control[0].set_value("favourites").run())
    assert card_names(at) == ["Luna (Cloud)"]
    at = no_errors(at.segmented_control[0].set_value("all").run())
    at = no_errors(at.text_input(key="persona_search").set_value("grief").run())
    assert card_names(at) == ["Grief"]
    assert at.segmented_control[0].options[0] == "All (1)"
    used = [e["properties"]["feature"] for e in luna.events.list(tess.id, "feature_used")]
    assert used == ["category_filter", "search"]


def test_favourite_toggle(luna, tess):
    at = no_errors(start(luna, tess))
    at = click(at, "☆", 0)  # newest first: Luna (Cloud) and Luna (Private) share a timestamp; find it
    favourite = [p for p in luna.personas.list(tess) if p.is_favorite]
    assert len(favourite) == 1
    assert labels(at).count("⭐") == 1
    at = click(at, "⭐")
    assert not any(p.is_favorite for p in luna.personas.list(tess))


def test_default_personas_cannot_be_deleted_or_edited_by_testers(luna, tess):
    at = no_errors(start(luna, tess))
    assert all(b.disabled for b in at.button if b.label == "🗑️ Delete")
    assert all(b.disabled for b in at.button if b.label == "✏️ Edit")


def test_delete_asks_for_confirmation_then_removes(luna, tess):
    persona = luna.personas.create_from_scratch(tess, "Temporary", "p")
    at = click(start(luna, tess), "🗑️ Delete", 0)
    assert "permanently removes **Temporary**" in texts(at)
    at = click(at, "Cancel")
    assert "Temporary" in card_names(at) and luna.personas.get(tess, persona.id)
    at = click(at, "🗑️ Delete", 0)
    at = click(at, "Delete permanently")
    assert "Deleted Temporary." in texts(at)
    assert "Temporary" not in card_names(at)
    assert [p.name for p in luna.personas.list(tess)] == ["Luna (Cloud)", "Luna (Private)"]


def test_edit_dialog_validates_and_saves(luna, tess):
    luna.personas.create_from_scratch(tess, "Taken", "p")
    persona = luna.personas.create_from_scratch(tess, "Buddy", "You are kind.")
    at = click(start(luna, tess), "✏️ Edit", 0)
    at.text_input(key="edit_form_name").set_value("Taken").run()
    at = click(at, "Save changes")
    assert "already have a persona called 'Taken'" in texts(at)
    at.text_input(key="edit_form_name").set_value("Buddy Two").run()
    at.text_area(key="edit_form_prompt").set_value("You are kinder.").run()
    at.slider(key="edit_form_temperature").set_value(0.3).run()
    at = click(at, "Save changes")
    assert "Saved your changes to Buddy." in texts(at)
    saved = luna.personas.get(tess, persona.id)
    assert (saved.name, saved.prompt, saved.temperature) == ("Buddy Two", "You are kinder.", 0.3)
    assert "Save changes" not in labels(at)


def test_duplicate_from_a_card(luna, tess):
    at = click(start(luna, tess), "📄 Duplicate", 1)
    name_box = [t for t in at.text_input if t.label == "Name of the copy"][0]
    assert name_box.value == "Luna (Private) (copy)"
    name_box.set_value("My private Luna").run()
    at = click(at, "Create copy")
    assert "Created My private Luna." in texts(at)
    copy = [p for p in luna.personas.list(tess) if p.name == "My private Luna"][0]
    assert copy.created_from == "duplicate" and copy.owner_id == tess.id


def test_export_and_import(luna, tess):
    persona = luna.personas.create_from_template(tess, "act-coach", name="ACT")
    at = no_errors(start(luna, tess))
    assert len([b for b in at.get("download_button")]) == 3
    from luna_core.personas.import_export import export_persona
    document = json.dumps(export_persona(luna.personas, tess, persona.id)).encode()
    other = luna.user("otto")
    at = no_errors(start(luna, other))
    at.get("file_uploader")[0].upload("act.json", document, "application/json").run() if hasattr(
        at.get("file_uploader")[0], "upload") else pytest.skip("this Streamlit's AppTest cannot upload files")
    at = click(at, "Import")
    imported = [p for p in luna.personas.list(other) if p.name == "ACT"][0]
    assert imported.owner_id == other.id and imported.id != persona.id
    assert imported.prompt == persona.prompt
    assert luna.personas.get(tess, persona.id).owner_id == tess.id  # the original is untouched


def test_flags_hide_what_they_disable(luna, tess):
    luna.flags.set("ENHANCED_PERSONA_CREATION", False)
    luna.flags.set("PERSONA_DUPLICATION", False)
    luna.flags.set("PERSONA_IMPORT_EXPORT", False)
    at = no_errors(start(luna, tess))
    assert "✨ Create New Persona" not in labels(at) and "Get Started" not in labels(at)
    assert "📄 Duplicate" not in labels(at)
    assert not at.get("download_button") and not at.expander
    with pytest.raises(ValueError):
        at.switch_page("pages/create_persona.py")


def test_grid_pages_large_collections(luna, tess):
    for i in range(30):
        luna.personas.create_from_scratch(tess, f"P{i:02}", "p")
    at = no_errors(start(luna, tess))
    assert len(card_names(at)) == 24
    at = click(at, "Show more (8 more)")
    assert len(card_names(at)) == 32


def test_a_database_held_by_another_process_gets_a_waiting_page_not_a_traceback(tmp_path):
    import subprocess
    import sys
    import time

    from luna_core.config import Settings
    from luna_core.luna import Luna

    luna = Luna.open(Settings.from_env({}, data_dir=tmp_path / "data", ollama_host=OFFLINE, db_lock_timeout=0.3))
    user = luna.user("tess")
    luna.db.release_file()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
         " print('held', flush=True); time.sleep(60)", str(luna.settings.db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        at = no_errors(start(luna, user))
        assert "Luna is waiting for its database" in texts(at)
        assert f"process {holder.pid}" in texts(at) and labels(at) == ["Try again"]
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    at = click(at, "Try again")  # the other process is gone: the app carries on
    assert "AI Therapeutic Companions" in texts(at)


def test_a_refusal_no_page_handles_is_shown_as_a_message(luna, tess, monkeypatch):
    from luna_core.errors import LunaError

    def refuse(*args, **kwargs):
        raise LunaError("Luna could not list your companions just now.")

    monkeypatch.setattr(luna.personas, "browse", refuse)
    at = no_errors(start(luna, tess))
    assert "Luna could not list your companions just now." in [e.value for e in at.main.error]


def test_the_edit_dialog_picks_the_model_from_the_hosts_list(tmp_path, embedder):
    from tests.conftest import open_luna
    from tests.fake_ollama import FakeOllama

    with FakeOllama(models=["llama3.2:latest", "qwen3:4b"]) as server:
        luna = open_luna(tmp_path, server.url, embedder)
        tess = luna.user("tess")
        persona = luna.personas.create_from_scratch(tess, "Buddy", "You are kind.", model="llama3.2:latest")
        at = click(start(luna, tess), "✏️ Edit", 0)
        picker = at.selectbox(key="edit_form_model")
        assert picker.options == ["llama3.2:latest", "qwen3:4b"]
        assert picker.proto.accept_new_options  # a name the host does not list can still be typed
        picker.set_value("qwen3:4b").run()
        click(at, "Save changes")
        assert luna.personas.get(tess, persona.id).model == "qwen3:4b"


def test_streamlit_config_follows_the_system_theme_and_draws_its_own_page_list():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert "base" not in config["theme"]  # no fixed light or dark: the browser's setting decides
    for mode in ("light", "dark"):
        assert {"primaryColor", "backgroundColor", "textColor"} <= set(config["theme"][mode])
    # Streamlit's own list of pages/ would flash module names (common, persona_form) before app.py runs
    assert config["client"]["showSidebarNavigation"] is False
