"""Template review (clinicians and administrators): every template with its status, pending
reviews first; a version's full prompt, its safety gate, a sandbox chat, a word-level diff between
any two versions, the review actions and the history of every decision."""

from __future__ import annotations

import difflib
import html

import pandas as pd
import streamlit as st

from luna_core.chat.markdown import safe_markdown
from luna_core.personas.gate import sandbox_reply
from luna_core.personas.review import Version
from pages import common

STATUS_ICONS = {"draft": "📝", "in_review": "🔎", "changes_requested": "↩️", "approved": "✅", "retired": "⏸️"}


def word_diff(old: str, new: str) -> str:
    """HTML of the word-level changes from ``old`` to ``new`` (removed struck through, added marked)."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f'<del style="background:#B33A3A33">{html.escape(" ".join(a[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            out.append(f'<ins style="background:#3A8A4A33;text-decoration:none">{html.escape(" ".join(b[j1:j2]))}</ins>')
        if op == "equal":
            out.append(html.escape(" ".join(a[i1:i2])))
    return f'<div style="line-height:1.6">{" ".join(out)}</div>'


def names() -> dict[str, str]:
    return common.luna().review.people(common.user())


def overview() -> str | None:
    rows = common.luna().review.overview(common.user())
    templates = {t.id: t for t in common.luna().templates.list(offered_only=False)}
    st.dataframe(pd.DataFrame([{
        "Template": templates[r["template_id"]].name if r["template_id"] in templates else r["template_id"],
        "Waiting for review": r["pending"], "Newest version": r["newest"],
        "Offered to testers": f"v{r['approved']}" if r["approved"] else "none"} for r in rows]),
        hide_index=True, width="stretch")
    labels = common.unique_labels({r["template_id"]: (("🔎 " if r["pending"] else "") +
                                   (templates[r["template_id"]].name if r["template_id"] in templates
                                    else r["template_id"])) for r in rows})
    return st.selectbox("Template", list(labels), format_func=labels.get, key="review_template") if labels else None


def gate_panel(version: Version) -> None:
    luna, user = common.luna(), common.user()
    st.markdown("**Safety gate**")
    if st.button("Run the safety gate", key=f"gate_{version.template_id}_{version.version}"):
        common.act(lambda: luna.review.run_gate(user, version.template_id, version.version), "The safety gate ran.")
    gate = version.gate
    if not gate or gate.get("prompt_sha256") != version.prompt_sha256:
        st.caption("Not run for this version yet: it must pass before the version can be approved.")
        return
    (st.success if gate["passed"] else st.error)(
        ("Passed" if gate["passed"] else "Failed") + f" · {gate['ran_at']}" + (f" · {gate['note']}" if gate["note"] else ""))
    for c in gate["conversations"]:
        with st.expander(f"{'✅' if c['passed'] else '❌'} {c['name']}: level {c['level']}"
                         f"{' · resources first' if c['resources_first'] else ''}"):
            st.caption(f"Message: {c['message']}")
            st.text(c["reply"] or "(no reply)")
            for problem in c["problems"]:
                st.error(problem)


def actions_panel(version: Version) -> None:
    luna, user = common.luna(), common.user()
    tid, number = version.template_id, version.version
    comment = st.text_input("Comment", key=f"comment_{tid}_{number}")
    cols = st.columns(4)
    if version.status in ("draft", "changes_requested") and cols[0].button("Submit for review", key="rv_submit"):
        common.act(lambda: luna.review.submit(user, tid, number), f"Version {number} is waiting for review.")
    if version.status == "in_review":
        if cols[0].button("Approve", type="primary", key="rv_approve"):
            common.act(lambda: luna.review.approve(user, tid, number, comment or None), f"Approved version {number}.")
        if cols[1].button("Request changes", key="rv_changes"):
            common.act(lambda: luna.review.request_changes(user, tid, number, comment), f"Asked for changes to {number}.")
    if version.status != "retired" and cols[2].button("Suspend this version", key="rv_retire"):
        common.act(lambda: luna.review.retire(user, tid, number, comment or None), f"Suspended version {number}.")
    with cols[3].popover("Retire the template"):
        st.write("Testers will no longer be offered this template (personas made from it keep working). "
                 "Offering it again takes a new draft, its gate and another reviewer's approval.")
        if st.button("Retire it", type="primary", key="rv_retire_all"):
            common.act(lambda: luna.review.retire_template(user, tid, comment or None), "Retired the template.")


def sandbox(version: Version) -> None:
    message = st.text_input("Try a message with this version", key=f"sandbox_{version.template_id}_{version.version}")
    if message and st.button("Send", key="sandbox_send"):
        with st.spinner("Running the chat pipeline…"):
            st.markdown(safe_markdown(sandbox_reply(common.luna().chat, common.user(), version, message)))


def editor(versions: list[Version]) -> None:
    newest = versions[-1]
    with st.expander("✏️ Edit: a new draft from the newest version"):
        prompt = st.text_area("Prompt", value=newest.content["prompt_template"], height=300,
                              key=f"edit_prompt_{newest.template_id}_{newest.version}")
        note = st.text_input("What changed and why", key=f"edit_note_{newest.template_id}")
        if st.button("Save as a new draft", key="edit_save"):
            common.act(lambda: common.luna().review.edit(common.user(), newest.template_id, prompt, note or None),
                "Saved a new draft.")


def render() -> None:
    common.note_wizard_left()
    st.title("🩺 Template review")
    common.show_flash()
    luna, user = common.luna(), common.user()
    chosen = overview()
    if chosen is None:
        return
    versions = luna.review.versions(user, chosen)
    who = names()
    st.dataframe(pd.DataFrame([{
        "Version": v.version, "Status": f"{STATUS_ICONS[v.status]} {v.status.replace('_', ' ')}",
        "Author": who.get(v.author, v.author), "Reviewer": who.get(v.reviewer, v.reviewer) if v.reviewer else "",
        "SHA-256": v.prompt_sha256[:12], "Created": v.created_at, "Note": v.note or ""} for v in versions]),
        hide_index=True, width="stretch")
    numbers = [v.version for v in versions]
    number = st.selectbox("Version", numbers, index=len(numbers) - 1, key=f"review_version_{chosen}")
    version = next(v for v in versions if v.version == number)
    st.text_area("Full prompt", value=version.content["prompt_template"], height=240, disabled=True,
                 key=f"prompt_{chosen}_{number}")
    gate_panel(version)
    actions_panel(version)
    sandbox(version)
    if len(versions) > 1:
        left, right = st.columns(2)
        old = left.selectbox("Compare", numbers, index=max(0, numbers.index(number) - 1), key=f"diff_a_{chosen}")
        new = right.selectbox("with", numbers, index=numbers.index(number), key=f"diff_b_{chosen}")
        content = {v.version: v.content["prompt_template"] for v in versions}
        st.html(word_diff(content[old], content[new]))
    editor(versions)
    st.subheader("History")
    log = luna.review.history(user, chosen)
    st.dataframe(pd.DataFrame([{"When": e["created_at"][:19].replace("T", " "), "Version": e["version"],
                                "Action": e["action"], "By": who.get(e["actor"], e["actor"]),
                                "Comment": e["comment"] or ""} for e in log]), hide_index=True, width="stretch")
    check = luna.review.verify_log()
    st.caption(("🔒 The audit log is intact" if check["intact"] else
                f"⚠️ The audit log was changed at entry {check['first_bad_seq']}") + f" ({check['entries']} entries).")


render()
