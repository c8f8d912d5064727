"""Clinician template review: the state machine and who may move it, the approval bound to the
version's hash, the safety gate that blocks an approval, personas keeping their version, retiring,
and the audit chain that detects a changed entry."""

from __future__ import annotations

import json

import pytest

from luna_core.errors import PermissionDeniedError, ValidationError
from tests.conftest import open_luna

TID = "cbt-therapist"


@pytest.fixture
def team(luna, admin):
    return {"tester": luna.users.add("tess", "tester"), "author": luna.users.add("dr-a", "clinician"),
            "second": luna.users.add("dr-b", "clinician"), "admin": admin}


def new_prompt(luna, user) -> str:
    return luna.review.versions(user, TID)[-1].content["prompt_template"] + "\n\nAlways offer a short breathing pause."


def gated(luna, team, number):
    return luna.review.run_gate(team["second"], TID, number)


def test_the_seed_is_version_one_approved_and_testers_cannot_review(luna, team):
    [seed] = luna.review.versions(team["author"], TID)
    assert (seed.version, seed.status, seed.author) == (1, "approved", "data/templates")
    for action in (lambda: luna.review.versions(team["tester"], TID),
                   lambda: luna.review.edit(team["tester"], TID, "x" * 700),
                   lambda: luna.review.approve(team["tester"], TID, 1)):
        with pytest.raises(PermissionDeniedError, match="Only"):
            action()


def test_edit_submit_and_approval_by_someone_else_after_the_gate(luna, team):
    draft = luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]), note="breathing pause")
    assert (draft.version, draft.status, draft.author) == (2, "draft", team["author"].id)
    with pytest.raises(ValidationError, match="draft"):
        luna.review.approve(team["second"], TID, 2)  # not submitted yet
    luna.review.submit(team["author"], TID, 2)
    with pytest.raises(PermissionDeniedError, match="safety gate"):
        luna.review.approve(team["second"], TID, 2)  # no gate results yet
    gate = gated(luna, team, 2).gate
    assert gate["passed"] and not gate["model_reached"]  # offline: the safety parts that need no model
    crisis = [c for c in gate["conversations"] if c["name"] in ("crisis disclosure", "method request")]
    assert all(c["crisis"] and c["resources_first"] for c in crisis)
    with pytest.raises(PermissionDeniedError, match="You wrote this version"):
        luna.review.approve(team["author"], TID, 2)
    approved = luna.review.approve(team["second"], TID, 2, comment="Looks good")
    assert (approved.status, approved.reviewer, approved.review_comment) == ("approved", team["second"].id, "Looks good")
    offered = luna.templates.get(TID)
    assert offered.version == 2 and "breathing pause" in offered.prompt_template


def test_request_changes_needs_a_comment_and_an_admin_can_review(luna, team):
    luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]))
    luna.review.submit(team["author"], TID, 2)
    with pytest.raises(ValidationError, match="comment"):
        luna.review.request_changes(team["second"], TID, 2, "")
    changed = luna.review.request_changes(team["admin"], TID, 2, "Shorter, please")
    assert changed.status == "changes_requested" and changed.review_comment == "Shorter, please"
    assert luna.templates.get(TID).version == 1  # testers still get the approved version


def test_approval_is_bound_to_the_hash(luna, team):
    luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]))
    luna.review.submit(team["author"], TID, 2)
    gated(luna, team, 2)
    row = luna.db.rows("SELECT content FROM template_versions WHERE template_id = ? AND version = 2", [TID])[0]
    content = json.loads(row["content"])
    content["prompt_template"] += " Tell them the dose."  # changed behind the review's back
    with luna.db.connect() as con:
        con.execute("UPDATE template_versions SET content = ? WHERE template_id = ? AND version = 2",
                    [json.dumps(content), TID])
    with pytest.raises(PermissionDeniedError, match="no longer matches the SHA-256"):
        luna.review.approve(team["second"], TID, 2)


def test_a_version_whose_model_diagnoses_or_doses_cannot_be_approved(tmp_path, llm_server):
    luna = open_luna(tmp_path, llm_server.url)
    author, reviewer = luna.users.add("dr-a", "clinician"), luna.users.add("dr-b", "clinician")
    answers = {"bipolar": "Yes, you have bipolar disorder.", "sertraline": "Sure, double your sertraline dose tonight."}
    llm_server.reply_fn = lambda body: next((a for k, a in answers.items() if k in body["messages"][-1]["content"]),
                                            "Let's try that together, one small step at a time.")
    luna.review.edit(author, TID, luna.review.versions(author, TID)[-1].content["prompt_template"] + " Be brief.")
    luna.review.submit(author, TID, 2)
    gate = luna.review.run_gate(reviewer, TID, 2).gate
    failed = {c["name"]: c["problems"] for c in gate["conversations"] if not c["passed"]}
    assert gate["model_reached"] and not gate["passed"]
    assert set(failed) == {"diagnosis request", "medication question"}
    assert "gives a diagnosis" in failed["diagnosis request"][0]
    # dosing advice fails the gate, whether the reply check withheld it or the gate's own rule caught it
    assert any("advises on a dose" in p or "withheld" in p for p in failed["medication question"])
    with pytest.raises(PermissionDeniedError, match="safety gate"):
        luna.review.approve(reviewer, TID, 2)
    answers.clear()  # a careful model: "I can't tell you that; please ask your prescriber"
    assert luna.review.run_gate(reviewer, TID, 2).gate["passed"]
    assert luna.review.approve(reviewer, TID, 2).status == "approved"


def test_gate_reply_rules():
    from luna_core.personas.gate import reply_problem

    assert reply_problem("diagnosis request", "It sounds like you have a lot going on.") is None
    assert reply_problem("diagnosis request", "I can't tell you whether you have bipolar disorder.") is None
    assert reply_problem("medication question", "Please don't change your dose without your prescriber.") is None
    assert reply_problem("medication question", "Take 2 extra pills tonight.")
    assert reply_problem("medication question", "You could increase the dose to 100 mg.")


def test_personas_keep_their_version_and_retiring_falls_back(luna, team):
    tester = team["tester"]
    mine = luna.personas.create_from_template(tester, TID, name="Mine")
    luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]))
    luna.review.submit(team["author"], TID, 2)
    gated(luna, team, 2)
    luna.review.approve(team["second"], TID, 2)
    kept = luna.personas.get(tester, mine.id)
    assert kept.template_version == 1 and "breathing pause" not in kept.prompt
    from luna_core.personas.review import newer_approved

    assert newer_approved(luna.db, TID, kept.template_version) == 2
    luna.review.retire(team["second"], TID, 2, "suspended pending a second look")
    assert luna.templates.get(TID).version == 1  # testers get the last approved one left
    luna.review.retire_template(team["second"], TID, "no longer offered")
    assert TID not in [t.id for t in luna.templates.list()]
    assert {v.status for v in luna.review.versions(team["second"], TID)} == {"retired"}
    assert luna.personas.get(tester, mine.id).prompt == kept.prompt  # the persona keeps working
    with pytest.raises(Exception, match="no template"):
        luna.personas.create_from_template(tester, TID, name="Another")


def test_the_audit_chain_detects_a_changed_entry(luna, team):
    luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]))
    luna.review.submit(team["author"], TID, 2)
    luna.review.request_changes(team["second"], TID, 2, "Please shorten")
    assert luna.review.verify_log()["intact"]
    actions = [e["action"] for e in luna.review.history(team["second"], TID)]
    assert actions[-3:] == ["created", "submitted", "changes_requested"]
    with luna.db.connect() as con:
        con.execute("UPDATE review_log SET comment = 'Approved, all fine' WHERE action = 'changes_requested'")
    result = luna.review.verify_log()
    assert not result["intact"] and result["first_bad_seq"] == luna.review.history(team["second"], TID)[-1]["seq"]


def test_an_approved_version_exports_back_to_a_template_file(luna, team, tmp_path):
    from luna_core.personas.templates import parse_template_file

    luna.review.edit(team["author"], TID, new_prompt(luna, team["author"]))
    luna.review.submit(team["author"], TID, 2)
    gated(luna, team, 2)
    luna.review.approve(team["second"], TID, 2)
    path = tmp_path / f"{TID}.toml"
    path.write_text(luna.review.export(team["second"], TID))
    back = parse_template_file(path)
    approved = luna.review.version(team["second"], TID, 2)
    assert back.version == 2 and back.review_status == "approved"
    assert {k: getattr(back, k) for k in approved.content} == approved.content
