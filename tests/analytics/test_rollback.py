"""Rollback triggers over exposed users: the minimum number of exposures, each trigger's evidence,
and the one-click rollback that sets the percentage to 0, audited."""

from __future__ import annotations

import asyncio

from luna_core.analytics.rollback import MIN_EXPOSED, auto_roll_back, evaluate, watch
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


def slow_answers(luna):
    for user in exposed_testers(luna, MIN_EXPOSED):
        luna.events.record(user.id, "chat_answer", {"failures": []}, duration_ms=7000)


def test_automatic_rollback_only_for_the_flags_that_chose_it(luna, admin):
    luna.flags.set("PERSONA_DUPLICATION", True, 100, by=admin, reason="let it roll back", auto_rollback=True)
    assert luna.flags.changes(admin)[0]["to"]["auto_rollback"] is True
    slow_answers(luna)
    assert [f.name for f in auto_roll_back(luna.db, luna.flags)] == ["PERSONA_DUPLICATION"]
    flags = {f.name: f for f in luna.flags.list()}
    assert flags["PERSONA_DUPLICATION"].rollout_percent == 0 and flags["PERSONA_DUPLICATION"].auto_rollback
    assert all(f.rollout_percent == 100 for name, f in flags.items() if name != "PERSONA_DUPLICATION")
    change = luna.flags.changes(admin)[0]
    assert change["by"] is None and change["reason"].startswith("automatic rollback: p95 response time 7.00")
    assert auto_roll_back(luna.db, luna.flags) == []  # at 0% nothing fires any more


def test_the_server_watch_rolls_back_and_survives_a_failed_check(luna, admin):
    luna.flags.set("THERAPEUTIC_TEMPLATES", True, 100, by=admin, auto_rollback=True)
    slow_answers(luna)
    calls = []

    def get_luna():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database is busy")  # the first check fails; the watch goes on
        return luna

    async def run():
        task = asyncio.create_task(watch(get_luna, minutes=0.0005))
        while luna.flags.get("THERAPEUTIC_TEMPLATES").rollout_percent and len(calls) < 50:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(run())
    assert len(calls) >= 2 and luna.flags.get("THERAPEUTIC_TEMPLATES").rollout_percent == 0


def test_the_flags_page_sets_automatic_rollback(luna, admin):
    at = no_errors(start(luna, admin).switch_page("pages/flags.py").run())
    at.checkbox(key="flag_auto_PERSONA_DUPLICATION").check().run()
    at = click(at, "Save change")
    assert luna.flags.get("PERSONA_DUPLICATION").auto_rollback
    assert any("on 100% · auto rollback" in str(v) for v in at.dataframe[0].value["To"])


def test_a_flag_turned_on_again_starts_with_fresh_evidence(luna, admin):
    luna.flags.set("PERSONA_DUPLICATION", True, 100, by=admin, auto_rollback=True)
    slow_answers(luna)
    assert [f.name for f in auto_roll_back(luna.db, luna.flags)] == ["PERSONA_DUPLICATION"]
    luna.flags.set("PERSONA_DUPLICATION", True, 10, by=admin, reason="fixed the slow query")
    assert auto_roll_back(luna.db, luna.flags) == []  # the old slow answers do not roll it back again
    assert luna.flags.get("PERSONA_DUPLICATION").rollout_percent == 10
