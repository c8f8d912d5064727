"""The Template review page with AppTest: pending first, versions, gate, approve, diff, history;
and the opt-in update a persona's card offers when its template has a newer approved version."""

from __future__ import annotations

from tests.apptest import click, no_errors, start, texts

TID = "cbt-therapist"


def test_review_page_runs_the_gate_and_approves(luna, admin):
    author, reviewer = luna.users.add("dr-a", "clinician"), luna.users.add("dr-b", "clinician")
    prompt = luna.review.versions(author, TID)[-1].content["prompt_template"] + "\n\nOffer a breathing pause."
    luna.review.edit(author, TID, prompt, note="pause")
    luna.review.submit(author, TID, 2)
    at = no_errors(start(luna, reviewer).switch_page("pages/template_review.py").run())
    assert at.dataframe[0].value["Waiting for review"].iloc[0] == 1  # pending reviews first
    at.selectbox(key="review_template").select(TID).run()
    assert "Offer a breathing pause." in at.text_area(key=f"prompt_{TID}_2").value
    assert "Not run for this version yet" in texts(at)
    at = click(at, "Approve")
    assert "safety gate" in texts(at) and luna.review.version(reviewer, TID, 2).status == "in_review"
    at = click(at, "Run the safety gate")
    assert "Passed" in texts(at)
    at = click(at, "Approve")
    assert luna.review.version(reviewer, TID, 2).status == "approved" and "Approved version 2." in texts(at)
    assert any("<ins" in h.proto.body and "breathing pause" in h.proto.body for h in at.get("html"))
    actions = list(at.dataframe[2].value["Action"])
    assert actions[-3:] == ["submitted", "gate_passed", "approved"] and "audit log is intact" in texts(at)


def test_a_tester_cannot_open_the_review_page_and_gets_the_update_offer(luna, admin):
    tester = luna.users.add("tess", "tester")
    mine = luna.personas.create_from_template(tester, TID, name="Mine")
    author, reviewer = luna.users.add("dr-a", "clinician"), luna.users.add("dr-b", "clinician")
    prompt = luna.review.versions(author, TID)[-1].content["prompt_template"] + "\n\nOffer a breathing pause."
    luna.review.edit(author, TID, prompt)
    luna.review.submit(author, TID, 2)
    luna.review.run_gate(reviewer, TID, 2)
    luna.review.approve(reviewer, TID, 2)
    at = no_errors(start(luna, tester))
    assert "Template review" not in " ".join(str(e.proto) for e in at.sidebar.get("page_link"))
    assert "newer approved version (v2)" in texts(at)
    at = click(at, "Update to v2")
    updated = luna.personas.get(tester, mine.id)
    assert updated.template_version == 2 and "breathing pause" in updated.prompt
