"""Rollback triggers over exposed users: the minimum number of exposures, each trigger's evidence,
and the one-click rollback that sets the percentage to 0, audited."""

from __future__ import annotations

from luna_core.analytics.rollback import MIN_EXPOSED, evaluate
from tests.apptest import click, no_errors, start


def exposed_testers(luna, count):
    users = [luna.users.add(f"t{n}", "tester") for n in range(count)]
    for user in users:
        luna.flags.expose(user)
    return users


def test_slow_answers_fire_only_with_enough_exposures(luna, admin):
    users = exposed_testers(luna, MIN_EXPOSED - 1)
    for user in users:
        luna.events.record(user.id, "chat_answer", {"failures": []}, duration_ms=6500)
    assert evaluate(luna.db, luna.flags, admin) == []  # 19 exposed users: too few to judge
    extra = luna.users.add("late", "tester")
    luna.flags.expose(extra)
    luna.events.record(extra.id, "chat_answer", {"failures": []}, duration_ms=6500)
    alerts = evaluate(luna.db, luna.flags, admin)
    assert {a["trigger"] for a in alerts} == {"p95_seconds"}
    assert {a["flag"] for a in alerts} == {f.name for f in luna.flags.list() if f.enabled and f.rollout_percent}
    assert "p95 response time 6.50" in alerts[0]["evidence"] and alerts[0]["exposed"] == MIN_EXPOSED


def test_errors_crisis_failures_blocks_and_satisfaction(luna, admin):
    users = exposed_testers(luna, MIN_EXPOSED)
    for n, user in enumerate(users):
        luna.events.record(user.id, "chat_answer", {"failures": ["assessment"] if n == 0 else []}, duration_ms=900)
        luna.events.record(user.id, "survey_answered", {"experience": 2, "improved": False})
    luna.events.record(users[1].id, "llm_failed", {"error": "ReadError"})
    luna.events.record(users[2].id, "safety_flag", {"level": "reply_blocked"})
    triggers = {a["trigger"] for a in evaluate(luna.db, luna.flags, admin) if a["flag"] == "RAG_DOCUMENT_PROCESSING"}
    assert triggers == {"crisis_failures", "satisfaction", "reply_block_rate"}  # 1 error in 21 actions: 4.8%


def test_one_click_rollback_is_audited(luna, admin):
    users = exposed_testers(luna, MIN_EXPOSED)
    for user in users:
        luna.events.record(user.id, "chat_answer", {"failures": []}, duration_ms=7000)
    assert any(a["flag"] == "PERSONA_DUPLICATION" for a in evaluate(luna.db, luna.flags, admin))
    at = no_errors(start(luna, admin).switch_page("pages/flags.py").run())
    assert any("PERSONA_DUPLICATION" in w.value and "p95 response time" in w.value for w in at.warning)
    at = click(at, "Roll back PERSONA_DUPLICATION")
    flag = luna.flags.get("PERSONA_DUPLICATION")
    assert flag.rollout_percent == 0 and not any(a["flag"] == "PERSONA_DUPLICATION"
                                                 for a in evaluate(luna.db, luna.flags, admin))
    change = luna.flags.changes(admin)[0]
    assert change["to"]["percent"] == 0 and change["reason"].startswith("rollback: p95 response time")
