"""The companions page's "What it may read" dialog: a person's own switches for a shared companion,
and the cloud consent with its plain warning."""

from __future__ import annotations

from tests.apptest import button, no_errors, start, texts


def open_access(luna, user, persona_id):
    at = no_errors(start(luna, user))
    return no_errors(at.button(key=f"access_{persona_id}").click().run())


def test_shared_companion_switches_are_the_persons_own(luna, tess):
    at = open_access(luna, tess, "default-local")
    assert "What of your own journal" in texts(at) and not at.checkbox  # a local companion: no consent needed
    at.toggle(key="access_form_journal_entries").set_value(True).run()
    no_errors(button(at, "Save").click().run())
    assert luna.personas.get(tess, "default-local").builtin_data_access["journal_entries"]
    assert not luna.personas.get(luna.user("omar"), "default-local").builtin_data_access["journal_entries"]


def test_a_cloud_companion_asks_for_consent_with_a_warning(luna, tess):
    at = open_access(luna, tess, "default-cloud")
    assert any("leave this machine" in w.value for w in at.warning)
    at.toggle(key="access_form_mood_data").set_value(True).run()
    at.checkbox(key="access_form_cloud_consent").check().run()
    no_errors(button(at, "Save").click().run())
    access = luna.personas.get(tess, "default-cloud").builtin_data_access
    assert access["mood_data"] and access["cloud_consent"] and not access["journal_entries"]
