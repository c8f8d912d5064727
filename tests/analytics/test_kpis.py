"""The KPIs over scripted beta activity fed through the real services: each figure's exact value,
the small-cell rule, the period, latest-rating-once, and the ``kpis`` CLI contract."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from luna_core.analytics import TOO_FEW, compute
from luna_core.errors import PermissionDeniedError
from luna_core.personas.import_export import export_persona
from tests.conftest import open_luna
from tests.fixture_docs import doc_path

HANDOUT = doc_path("cbt_thought_record.md").read_bytes()


@pytest.fixture(scope="module")
def beta(tmp_path_factory, embedder):
    from tests.fake_ollama import FakeOllama

    with FakeOllama() as llm:
        luna = open_luna(tmp_path_factory.mktemp("beta"), llm.url, embedder)
        t = [luna.users.add(f"t{n}", "tester") for n in range(6)]
        luna.users.add("dr", "clinician")  # not a tester: never in the cohort
        for user in t[:5]:
            luna.events.record(user.id, "wizard_opened")
        luna.events.record(t[0].id, "wizard_opened")  # opened again and left: 6 openings
        cbt = [luna.personas.create_from_template(user, "cbt-therapist", name="CBT", seconds_to_create=s)
               for user, s in ((t[0], 60), (t[1], 100))]
        luna.personas.create_from_template(t[2], "dbt-skills-coach", name="DBT", seconds_to_create=200)
        own = [luna.personas.create_from_scratch(t[3], "Mine", "You are kind.", seconds_to_create=30),
               luna.personas.create_from_scratch(t[4], "Mine", "You are kind.")]
        dbt = luna.personas.list(t[2])[-1]
        for user, persona in ((t[0], cbt[0]), (t[1], cbt[1]), (t[2], dbt)):
            luna.documents.add_file(user, "cbt_thought_record.md", HANDOUT, persona_id=persona.id)
        luna.personas.set_favorite(t[0], cbt[0].id)
        export_persona(luna.personas, t[2], dbt.id)
        for user, persona, rating in ((t[0], cbt[0], 5), (t[1], cbt[1], 5), (t[2], dbt, 5),
                                      (t[3], own[0], 2), (t[4], own[1], 3)):
            answer = luna.chat.ask(user, persona.id, "How do I fill in a thought record?")
            luna.conversations.rate(user, answer.message_id, rating=rating)
        last = luna.conversations.messages(t[3], luna.conversations.list(t[3])[0].id)[-1]
        luna.conversations.rate(t[3], last.id, rating=3)  # changed its mind: only the latest counts
        for user, experience, improved in ((t[0], 1, False), (t[0], 5, True), (t[1], 4, True), (t[2], 4, False),
                                           (t[3], 5, True), (t[4], 3, True)):
            luna.events.record(user.id, "survey_answered", {"experience": experience, "improved": improved})
        luna.events.record(t[5].id, "feature_used", {"feature": "search"})  # active, but creates nothing
        yield luna


def test_each_kpi_has_its_exact_value(beta):
    figures = compute(beta.db, beta.user())
    values = {k: v["value"] for k, v in figures.items()}
    assert values["persona_creation_rate"] == 83.3  # 5 of 6 testers
    assert values["template_usage"] == 60.0  # 3 of 5 new personas
    assert values["document_upload"] == 50.0  # 3 of 6 testers
    assert values["specialty_distribution"] == 0.960  # CBT 2, DBT 1, custom 2
    assert values["persona_creation_time"] == TOO_FEW  # only 3 testers used a template
    assert values["document_processing_speed"] == TOO_FEW  # no PDF: no pages
    # 5, 5, 5 with documents against 3 (the latest of 2 then 3) and 3 without: +66.7%
    assert values["chat_response_quality"] == 66.7
    assert values["system_stability"] == 0.0
    assert values["creation_workflow_completion"] == 66.7  # 4 wizard creations of 6 openings
    assert values["user_satisfaction"] == 4.2  # 5 (t0's latest), 4, 4, 5, 3
    assert values["therapeutic_value"] == 80.0
    assert values["feature_discovery"] == 33.3  # t0 and t2 used 3 advanced features
    assert figures["document_upload"]["met"] is False and figures["system_stability"]["met"] is True
    assert figures["persona_creation_time"]["met"] is None and figures["persona_creation_rate"]["testers"] == 6
    assert all(f["definition"] for f in figures.values())


def test_the_period_and_who_may_see_it(beta):
    tomorrow = datetime.now() + timedelta(days=1)
    assert {f["value"] for f in compute(beta.db, beta.user(), since=tomorrow,
                                        until=tomorrow + timedelta(days=1)).values()} == {TOO_FEW}
    with pytest.raises(PermissionDeniedError, match="Only administrators"):
        compute(beta.db, beta.users.get("t0"))


def test_regenerated_answers_are_marked_and_ratings_count_once(beta):
    events = beta.events.list(name="chat_answer")
    assert all("regenerated" in e["properties"] for e in events)
    rated = [e for e in beta.events.list(name="answer_rated")]
    assert len(rated) == 6 and len({e["properties"]["message_id"] for e in rated}) == 5


def test_kpis_cli_keeps_the_contract(beta, capsys):
    import json

    from luna_core.cli.main import main

    assert main(["--data-dir", str(beta.settings.data_dir), "kpis", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"persona_creation_rate", "template_usage", "document_upload", "specialty_distribution",
                        "persona_creation_time", "document_processing_speed", "chat_response_quality",
                        "system_stability", "creation_workflow_completion", "user_satisfaction",
                        "therapeutic_value", "feature_discovery"}
    assert all(set(v) == {"label", "value", "target", "unit", "met"} for v in out.values())
    assert out["document_upload"]["value"] == 50.0
    assert main(["--data-dir", str(beta.settings.data_dir), "--user", "t0", "kpis", "--json"]) == 2


def test_the_analytics_page_shows_tiles_charts_and_csv(beta):
    from tests.apptest import no_errors, start

    at = no_errors(start(beta, beta.user()).switch_page("pages/analytics.py").run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["🔴 Document upload"] == "50 %" and metrics["⚪ Persona creation time"] == "too few"
    charts = at.get("vega_lite_chart")  # the wizard funnel has no steps recorded in this beta
    assert len(charts) == 4 and "p95" in charts[-1].proto.spec
    assert "Nothing of this kind in this period." in [c.value for c in at.caption]
    [csv] = at.get("download_button")
    assert csv.proto.label == "⬇️ KPIs as CSV"
    tester = no_errors(start(beta, beta.users.get("t0")))
    assert "Analytics" not in " ".join(str(e.proto) for e in tester.sidebar.get("page_link"))
