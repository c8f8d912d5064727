"""KPIs for a cohort of testers: the rollout cohort (exposed against unexposed), the template and
the persona category, fed through the real services; the small-cell rule inside a cohort; the
``kpis`` CLI filters; and the Analytics page's filters and comparison."""

from __future__ import annotations

import json

import pytest

from luna_core.analytics import TOO_FEW, Cohort, cohort_choices, compare, compute
from luna_core.cli.main import main
from luna_core.errors import FeatureDisabledError
from tests.apptest import no_errors, start
from tests.conftest import open_luna
from tests.fixture_docs import doc_path

FLAG = "RAG_DOCUMENT_PROCESSING"
HANDOUT = doc_path("cbt_thought_record.md").read_bytes()


@pytest.fixture(scope="module")
def beta(tmp_path_factory, embedder):
    """Ten testers: t0-t4 saw document upload on and t0, t1, t3 uploaded; then it was rolled back
    to 0% and t5-t9 (and t0 again) saw it off. Personas: CBT for t0, t1, t2, t5, t6; DBT for t3, t7;
    from scratch for t4, t8, t9."""
    luna = open_luna(tmp_path_factory.mktemp("cohorts"), embedder=embedder)
    admin = luna.user()
    t = [luna.users.add(f"t{n}", "tester") for n in range(10)]
    for n in (0, 1, 2, 5, 6):
        luna.personas.create_from_template(t[n], "cbt-therapist", name="CBT")
    for n in (3, 7):
        luna.personas.create_from_template(t[n], "dbt-skills-coach", name="DBT")
    for n in (4, 8, 9):
        luna.personas.create_from_scratch(t[n], "Mine", "You are kind.")
    luna.flags.set(FLAG, True, 100, by=admin, reason="beta")
    for user in t[:5]:
        luna.flags.expose(user)
    for n in (0, 1, 3):
        luna.documents.add_file(t[n], "cbt_thought_record.md", HANDOUT)
    luna.flags.set(FLAG, True, 0, by=admin, reason="paused")
    for user in (*t[5:], t[0]):  # t0 saw it on before: still exposed
        luna.flags.expose(user)
    with pytest.raises(FeatureDisabledError):
        luna.documents.add_file(t[5], "cbt_thought_record.md", HANDOUT)
    return luna


def upload(luna, **cohort) -> object:
    return compute(luna.db, luna.user(), cohort=Cohort(**cohort))["document_upload"]


def test_exposed_against_unexposed(beta):
    assert upload(beta)["value"] == 30.0  # 3 of 10
    exposed, unexposed = upload(beta, flag=FLAG), upload(beta, flag=FLAG, exposed=False)
    assert (exposed["value"], exposed["testers"]) == (60.0, 5)
    assert (unexposed["value"], unexposed["testers"]) == (0.0, 5)
    sides = compare(beta.db, beta.user(), FLAG)
    assert sides["document_upload"]["exposed"]["value"] == 60.0
    assert sides["document_upload"]["unexposed"]["value"] == 0.0
    assert sides["template_usage"]["exposed"]["value"] == 80.0  # t0-t3 of t0-t4 from a template
    assert upload(beta, flag="PERSONA_DUPLICATION", exposed=False)["value"] == TOO_FEW  # nobody saw it


def test_template_and_category_cohorts(beta):
    assert (upload(beta, template="cbt-therapist")["value"], upload(beta, template="cbt-therapist")["testers"]) \
        == (40.0, 5)  # t0 and t1 of the five CBT testers
    assert upload(beta, category="therapy")["value"] == 42.9  # CBT and DBT: t0, t1, t3 of seven
    assert upload(beta, category="Cognitive Behavioral Therapy")["value"] == 40.0  # a specialty, any case
    assert upload(beta, category="custom")["value"] == TOO_FEW  # three scratch testers: a small cell
    assert upload(beta, template="cbt-therapist", flag=FLAG)["value"] == TOO_FEW  # t0, t1, t2 only
    choices = cohort_choices(beta.db, beta.user())
    assert FLAG in choices["flags"] and ("cbt-therapist", "CBT Therapist Assistant") in choices["templates"]
    assert {"therapy", "custom", "cognitive behavioral therapy"} <= set(choices["categories"])


def test_kpis_cli_filters(beta, capsys):
    folder = str(beta.settings.data_dir)

    def kpis(*flags):
        code = main(["--data-dir", folder, "kpis", "--json", *flags])
        return code, json.loads(capsys.readouterr().out)

    code, out = kpis("--flag", FLAG.lower(), "--unexposed")
    assert code == 0 and out["document_upload"]["value"] == 0.0
    assert kpis("--template", "cbt-therapist")[1]["document_upload"]["value"] == 40.0
    assert kpis("--category", "therapy")[1]["document_upload"]["value"] == 42.9
    code, out = kpis("--unexposed")
    assert code == 2 and "--flag" in out["error"]
    code, out = kpis("--flag", "NOPE")
    assert code == 2 and "Known flags" in out["error"]
    code, out = kpis("--template", "nope")
    assert code == 2 and "no template 'nope'" in out["error"]


def test_the_analytics_page_filters_and_compares(beta):
    at = no_errors(start(beta, beta.user()).switch_page("pages/analytics.py").run())
    assert {m.label: m.value for m in at.metric}["🔴 Document upload"] == "30 %"
    at.selectbox(key="kpi_flag").select(FLAG).run()
    no_errors(at)
    assert {m.label: m.value for m in at.metric}["🟢 Document upload"] == "60 %"
    [table] = at.dataframe
    row = table.value.set_index("KPI").loc["Document upload"]
    assert (row["Saw it on"], row["Only saw it off"], row["Testers (off)"]) == ("60 %", "0 %", 5)
    at.segmented_control(key="kpi_side").set_value("only saw it off").run()
    assert {m.label: m.value for m in no_errors(at).metric}["🔴 Document upload"] == "0 %"
    at.selectbox(key="kpi_flag").select("All testers").run()
    at.selectbox(key="kpi_category").select("therapy").run()
    no_errors(at)
    assert {m.label: m.value for m in at.metric}["🔴 Document upload"] == "42.9 %"
    assert "testers who made a therapy persona" in " ".join(c.value for c in at.caption)
    at.selectbox(key="kpi_template").select("cbt-therapist").run()
    assert {m.label: m.value for m in no_errors(at).metric}["🔴 Document upload"] == "40 %"
