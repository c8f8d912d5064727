"""Rollout: every flag change audited (who, when, from, to, why), exposures recorded once a day per
user and variant, and stable buckets (raising a percentage only adds users)."""

from __future__ import annotations

from luna_core.store.flags import rollout_bucket
from tests.apptest import click, no_errors, start


def test_changes_are_audited_with_who_from_to_and_why(luna, admin):
    luna.flags.set("PERSONA_DUPLICATION", True, 50, by=admin, reason="50% beta after a good week")
    [change] = luna.flags.changes(admin)
    assert (change["by"], change["flag"], change["reason"]) == ("admin", "PERSONA_DUPLICATION", "50% beta after a good week")
    assert change["from"] == {"enabled": True, "percent": 100, "auto_rollback": False}
    assert change["to"] == {"enabled": True, "percent": 50, "auto_rollback": False}


def test_exposures_once_a_day_per_flag_and_variant(luna):
    tess = luna.users.add("tess", "tester")
    first = luna.flags.expose(tess)
    luna.flags.expose(tess)
    exposures = luna.events.list(user_id=tess.id, name="flag_exposure")
    assert len(exposures) == len(first) and {e["properties"]["flag"] for e in exposures} == set(first)
    luna.flags.set("PERSONA_DUPLICATION", False)
    luna.flags.expose(tess)  # a new variant for that flag is a new exposure
    assert len(luna.events.list(user_id=tess.id, name="flag_exposure")) == len(first) + 1


def test_raising_a_percentage_only_adds_users(luna):
    users = [luna.users.add(f"u{n}", "tester") for n in range(200)]
    seen = set()
    for percent in (10, 50, 100):
        luna.flags.set("PERSONA_DUPLICATION", True, percent)
        now = {u.id for u in users if luna.flags.is_enabled("PERSONA_DUPLICATION", u)}
        assert seen <= now
        seen = now
    assert len(seen) == 200 and all(0 <= rollout_bucket("X", u.id) < 100 for u in users)


def test_the_flags_page(luna, admin):
    at = no_errors(start(luna, admin).switch_page("pages/flags.py").run())
    at.slider(key="flag_pct_PERSONA_DUPLICATION").set_value(25).run()
    at.text_input(key="flag_why_PERSONA_DUPLICATION").set_value("a quarter first").run()
    at = click(at, "Save change")
    assert luna.flags.get("PERSONA_DUPLICATION").rollout_percent == 25
    assert list(at.dataframe[0].value["Why"]) == ["a quarter first"]
    tester = no_errors(start(luna, luna.users.add("tess", "tester")))
    assert "Flags" not in " ".join(str(e.proto) for e in tester.sidebar.get("page_link"))
