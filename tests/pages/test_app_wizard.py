"""The Create Persona wizard, clicked through with AppTest: template, scratch and duplicate."""

from __future__ import annotations

from luna_core.config import Settings
from luna_core.luna import Luna
from tests.apptest import button, click, labels, no_errors, start, texts
from tests.conftest import open_luna
from tests.fake_ollama import FakeOllama


def open_wizard(luna, user):
    at = click(start(luna, user), "✨ Create New Persona")
    assert "Step 1 of 4" in at.get("progress")[0].proto.text if at.get("progress") else True
    return at


def pick_template(at, template_id):
    return no_errors(at.button(key=f"pick_{template_id}").click().run())


def test_create_from_template(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Template")
    assert "Choose your therapeutic approach" in texts(at)
    assert labels(at).count("Select") == len(luna.templates.list())
    assert button(at, "Next →").disabled
    at = pick_template(at, "dbt-skills-coach")
    assert at.button(key="pick_dbt-skills-coach").label == "✓ Selected"
    at = click(at, "Next →")
    assert at.text_input(key="wizard_form_name").value == "DBT Skills Coach"
    assert "TIPP" in at.text_area(key="wizard_form_prompt").value  # the template's text as a start
    at.text_input(key="wizard_form_name").set_value("My DBT coach").run()
    at.slider(key="wizard_form_temperature").set_value(0.4).run()
    at.toggle(key="wizard_form_journal_entries").set_value(True).run()
    at = click(at, "Next →")
    page = texts(at)
    assert "Review your persona" in page and "My DBT coach" in page and "temperature 0.40" in page
    assert "DEAR MAN" in at.code[0].value  # the full prompt is shown
    at = click(at, "Create persona")
    assert "My DBT coach is ready" in texts(at) and "AI Therapeutic Companions" in texts(at)
    persona = [p for p in luna.personas.list(tess) if p.name == "My DBT coach"][0]
    assert (persona.template_id, persona.created_from, persona.temperature) == ("dbt-skills-coach", "template", 0.4)
    assert persona.builtin_data_access["journal_entries"] is True
    created = luna.events.list(tess.id, "persona_created")[0]["properties"]
    assert created["method"] == "template" and created["seconds"] >= 0
    steps = [e["properties"]["step"] for e in luna.events.list(tess.id, "wizard_step_reached")]
    assert steps == [2, 3, 4] and luna.events.list(tess.id, "wizard_opened")


def test_template_gallery_filters(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Template")
    at = no_errors(at.selectbox(key="wizard_specialty").select("Cognitive Behavioral Therapy").run())
    assert labels(at).count("Select") == 1
    at = no_errors(at.selectbox(key="wizard_specialty").select("All specialties").run())
    at = no_errors(at.multiselect(key="wizard_tags").select("distress-tolerance").run())
    assert [b.key for b in at.button if b.key and b.key.startswith("pick_")] == ["pick_dbt-skills-coach"]


def test_create_from_scratch_with_inline_validation(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Scratch")
    assert "Customise your persona" in texts(at)  # scratch skips the gallery
    at = click(at, "Next →")
    assert "Please give the persona a name." in texts(at) and "Customise your persona" in texts(at)
    at.text_input(key="wizard_form_name").set_value("x" * 80).run()
    at.text_area(key="wizard_form_prompt").set_value("").run()
    at = click(at, "Next →")
    assert "prompt cannot be empty" in texts(at)
    at.text_input(key="wizard_form_name").set_value("Evening buddy").run()
    at.text_area(key="wizard_form_prompt").set_value("You help me wind down in the evening.").run()
    at = click(at, "Next →")
    at = click(at, "Create persona")
    persona = [p for p in luna.personas.list(tess) if p.name == "Evening buddy"][0]
    assert (persona.created_from, persona.category, persona.prompt) == (
        "scratch", "custom", "You help me wind down in the evening.")


def test_duplicate_existing(luna, tess):
    source = luna.personas.create_from_template(tess, "sleep-coach", name="Sleep")
    at = click(open_wizard(luna, tess), "Choose Duplicate Existing")
    at = no_errors(at.selectbox(key="wizard_source").select(source.id).run())
    at = click(at, "Next →")
    assert at.text_input(key="wizard_form_name").value == "Sleep (copy)"
    at = click(at, "Next →")
    at = click(at, "Create persona")
    copy = [p for p in luna.personas.list(tess) if p.name == "Sleep (copy)"][0]
    assert copy.created_from == "duplicate" and copy.prompt == source.prompt and copy.id != source.id


def test_back_never_loses_what_was_typed(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Template")
    at = click(pick_template(at, "act-coach"), "Next →")
    at.text_input(key="wizard_form_name").set_value("Values compass").run()
    at.text_area(key="wizard_form_description").set_value("Helps me act on my values").run()
    at = click(at, "← Back")  # to the gallery: the form's widgets are gone from the page
    assert "Choose your therapeutic approach" in texts(at)
    at = click(at, "Next →")
    assert at.text_input(key="wizard_form_name").value == "Values compass"
    assert at.text_area(key="wizard_form_description").value == "Helps me act on my values"
    at = click(at, "Next →")
    at = click(at, "← Back")
    assert at.text_input(key="wizard_form_name").value == "Values compass"


def test_choosing_another_template_restarts_the_form(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Template")
    at = click(pick_template(at, "act-coach"), "Next →")
    at = click(at, "← Back")
    at = click(pick_template(at, "sleep-coach"), "Next →")
    assert at.text_input(key="wizard_form_name").value == "Sleep Coach"


def test_cancel_and_leaving_are_recorded_as_abandoned(luna, tess):
    at = click(open_wizard(luna, tess), "Choose From Scratch")
    at = click(at, "Cancel")
    assert "AI Therapeutic Companions" in texts(at)
    at = click(at, "✨ Create New Persona")
    at = no_errors(at.switch_page("pages/personas.py").run())  # leaves via the sidebar
    reasons = [(e["properties"]["reason"], e["properties"]["step"]) for e in
               luna.events.list(tess.id, "wizard_abandoned")]
    assert reasons == [("cancel", 3), ("left", 1)]
    assert len(luna.events.list(tess.id, "wizard_opened")) == 2


def test_models_come_from_the_llm_host(tmp_path):
    with FakeOllama(models=["llama3.2:latest", "qwen3:4b"]) as server:
        luna = Luna.open(Settings.from_env({}, data_dir=tmp_path / "d", ollama_host=server.url))
        user = luna.user("mia")
        at = start(luna, user)
        assert "LLM host reachable · 2 models available" in texts(at)
        at = click(click(at, "✨ Create New Persona"), "Choose From Scratch")
        model = at.selectbox(key="wizard_form_model")
        assert "llama3.2:latest" in model.options and "qwen3:4b" in model.options
        at = no_errors(model.select("qwen3:4b").run())
        at.text_input(key="wizard_form_name").set_value("Q").run()
        at = click(click(at, "Next →"), "Create persona")
        assert [p.model for p in luna.personas.list(user) if p.name == "Q"] == ["qwen3:4b"]


def test_flags_remove_methods(luna, tess):
    luna.flags.set("THERAPEUTIC_TEMPLATES", False)
    luna.flags.set("PERSONA_DUPLICATION", False)
    at = open_wizard(luna, tess)
    assert "Choose From Template" not in labels(at) and "Choose Duplicate Existing" not in labels(at)
    assert "Choose From Scratch" in labels(at)


def pick_documents_and_review(luna, user, name, dataset_ids):
    at = click(open_wizard(luna, user), "Choose From Scratch")
    at.text_input(key="wizard_form_name").set_value(name).run()
    at = no_errors(at.multiselect(key="wizard_documents").set_value(dataset_ids).run())
    at = click(at, "Next →")
    assert f"Draws on {len(dataset_ids)} of your documents" in texts(at)
    return at


def test_chosen_documents_are_linked_with_the_new_persona(tmp_path, embedder):
    luna = open_luna(tmp_path, embedder=embedder)
    tess = luna.user("tess")
    doc = luna.documents.add_file(tess, "waves.md", b"# Grief\n\nGrief comes in waves; let each one pass.\n")
    at = click(pick_documents_and_review(luna, tess, "Waves", [doc.dataset_id]), "Create persona")
    persona = [p for p in luna.personas.list(tess) if p.name == "Waves"][0]
    assert "Waves is ready" in texts(at) and persona.dataset_count == 1


def test_a_link_that_fails_leaves_no_persona_behind(tmp_path, embedder):
    luna = open_luna(tmp_path, embedder=embedder)
    tess = luna.user("tess")
    kept = luna.documents.add_file(tess, "waves.md", b"# Grief\n\nGrief comes in waves; let each one pass.\n")
    gone = luna.documents.add_file(tess, "tide.md", b"# Tides\n\nThe tide goes out and comes back.\n")
    at = pick_documents_and_review(luna, tess, "Waves", [kept.dataset_id, gone.dataset_id])
    luna.library.delete(tess, gone.dataset_id)  # deleted (another tab) before the persona is created
    at = click(at, "Create persona")
    assert f"no document {gone.dataset_id!r}" in texts(at) and "Review your persona" in texts(at)
    assert [p for p in luna.personas.list(tess) if p.owner_id == tess.id] == []
    assert luna.library.links(tess) == [] and not luna.events.list(tess.id, "persona_created")
