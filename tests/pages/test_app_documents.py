"""The Documents page with AppTest: upload several files, progress, library table, chunk preview,
links to personas, delete with confirmation."""

from __future__ import annotations

import pytest

from luna_core.config import Settings
from luna_core.luna import Luna
from tests.apptest import click, no_errors, start, texts
from tests.fixture_docs import doc_path


@pytest.fixture
def luna(tmp_path, embedder):
    return Luna.open(Settings.from_env({}, data_dir=tmp_path / "data", ollama_host="http://127.0.0.1:9"),
                     embedder=embedder)


def open_documents(luna, user):
    at = start(luna, user)
    return no_errors(at.switch_page("pages/documents.py").run())


def test_upload_a_batch_where_one_file_fails(luna):
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "sleep-coach", name="Sleep")
    at = open_documents(luna, user)
    assert "No documents yet" in texts(at)
    uploader = at.get("file_uploader")[0]
    uploader.upload("sleep.md", doc_path("sleep_hygiene.md").read_bytes(), "text/markdown")
    uploader.upload("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "application/msword")
    at.run()
    at.selectbox(key="doc_persona").select(persona.id).run()
    at = click(at, "Process 2 files")
    page = texts(at)
    assert "sleep.md: " in page and "passages ready" in page
    assert "old.doc: " in page and ".docx" in page
    at = no_errors(at.run())
    datasets = {d.name: d for d in luna.library.list(user)}
    assert datasets["sleep"].status == "completed" and datasets["old"].status == "error"
    assert luna.personas.get(user, persona.id).dataset_count == 1
    frame = at.dataframe[0].value
    assert sorted(frame["Name"]) == ["old", "sleep"] and "Error" not in frame.columns
    # the newest file failed, yet the page opens on the one that works, with its links
    assert at.selectbox(key="doc_selected").value == datasets["sleep"].id
    assert at.toggle(key=f"ln_{datasets['sleep'].id}_{persona.id}").value is True
    failed = [e.value for e in at.error if "old.doc" in e.value]
    assert failed == [f"**old.doc**: {datasets['old'].error}"]  # the whole reason, not a cut column
    at = no_errors(at.button(key=f"doc_remove_{datasets['old'].id}").click().run())
    assert [d.name for d in luna.library.list(user)] == ["sleep"] and "Removed old.doc" in texts(at)


def test_preview_link_and_delete(luna):
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Helper", "You help.")
    result = luna.documents.add_file(user, "grief.md", doc_path("grief_support.md").read_bytes())
    at = open_documents(luna, user)
    assert "Preview the" in " ".join(e.label for e in at.expander)
    assert any("Dual Process" in t.value for t in at.text)
    toggle_key = f"ln_{result.dataset_id}_{persona.id}"
    at = no_errors(at.toggle(key=toggle_key).set_value(True).run())  # saved when switched, no Save button
    assert luna.library.links(user, persona.id)[0]["enabled"] is True
    assert "Saved: Helper uses grief (full text, weight 1)." in [t.proto.body for t in at.toast]
    at = no_errors(at.selectbox(key=f"la_{result.dataset_id}_{persona.id}").select("reference_only").run())
    assert luna.library.links(user, persona.id)[0]["access_level"] == "reference_only"
    assert "Save" not in [b.label for b in at.button]
    reloaded = open_documents(luna, user)  # a reload keeps the change
    assert reloaded.toggle(key=toggle_key).value is True
    assert reloaded.selectbox(key=f"la_{result.dataset_id}_{persona.id}").value == "reference_only"
    at = no_errors(at.toggle(key=toggle_key).set_value(False).run())
    assert not luna.library.links(user, persona.id)[0]["enabled"]
    assert "Saved: Helper no longer uses grief." in [t.proto.body for t in at.toast]
    at = click(at, "🗑️ Delete this document")
    assert "removes **grief** from your library" in texts(at)
    at = click(at, "Delete permanently")
    assert "Deleted grief." in texts(at) and luna.library.list(user) == []


def test_documents_page_is_hidden_when_the_flag_is_off(luna):
    luna.flags.set("RAG_DOCUMENT_PROCESSING", False)
    at = start(luna, luna.user("tess"))
    with pytest.raises(ValueError):
        at.switch_page("pages/documents.py")


def test_shared_documents_on_shared_companions_are_read_only_to_testers(luna):
    from luna_core.demo import add_demo_content

    add_demo_content(luna)
    tester = luna.user("tess")
    dbt = next(p for p in luna.personas.list(tester) if p.name == "Demo: DBT Skills Coach")
    handout = next(d for d in luna.library.list(tester) if d.name.startswith("DBT Skills Handout"))
    at = open_documents(luna, tester)
    at.selectbox(key="doc_selected").select(handout.id).run()
    toggle = at.toggle(key=f"ln_{handout.id}_{dbt.id}")
    assert toggle.value is True and toggle.disabled
    own = luna.personas.create_from_template(tester, "dbt-skills-coach", name="My DBT")
    at = no_errors(at.run())
    assert not at.toggle(key=f"ln_{handout.id}_{own.id}").disabled  # a shared document on your own companion
