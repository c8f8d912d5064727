"""Flags (administrators): each feature on or off and its rollout percentage, with the reason for
every change, and the audit of all changes. Raising a percentage only adds users: a user's bucket
for a flag never changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from luna_core.analytics.rollback import MIN_EXPOSED, evaluate, roll_back
from luna_core.store.flags import FEATURE_LABELS
from pages import common


def flag_row(flag) -> None:
    luna, user = common.luna(), common.user()
    with st.container(border=True):
        st.markdown(f"**{flag.name}** · {FEATURE_LABELS.get(flag.name, flag.description)}")
        left, middle, right = st.columns([1, 2, 2])
        on = left.toggle("On", value=flag.enabled, key=f"flag_on_{flag.name}")
        percent = middle.slider("Rollout %", 0, 100, value=flag.rollout_percent, key=f"flag_pct_{flag.name}")
        reason = right.text_input("Why", key=f"flag_why_{flag.name}", placeholder="e.g. 50% beta after a good week")
        auto = st.checkbox("Roll back to 0% by itself when a rollback trigger fires", value=flag.auto_rollback,
                           key=f"flag_auto_{flag.name}",
                           help=f"Checked every {luna.settings.rollback_check_minutes:g} minutes while the server "
                                "runs; the rollback is audited like any change.")
        if (on, percent, auto) != (flag.enabled, flag.rollout_percent, flag.auto_rollback) and st.button(
                "Save change", key=f"flag_save_{flag.name}", type="primary"):
            common.act(lambda: luna.flags.set(flag.name, on, percent, by=user, reason=reason, auto_rollback=auto),
                       f"{flag.name}: {'on' if on else 'off'} for {percent}% of users"
                       f"{', rolled back by itself when a trigger fires' if auto else ''}.")


def alerts() -> None:
    """The rollback triggers that fire now, each with its evidence and a one-click rollback."""
    luna, user = common.luna(), common.user()
    fired = evaluate(luna.db, luna.flags, user)
    if not fired:
        st.caption(f"✅ No rollback trigger fires (each needs at least {MIN_EXPOSED} users who saw the feature on).")
        return
    for flag in dict.fromkeys(a["flag"] for a in fired):
        evidence = "; ".join(a["evidence"] for a in fired if a["flag"] == flag)
        text, button = st.columns([4, 1])
        text.warning(f"**{flag}**: {evidence}", icon="🚨")
        if button.button(f"Roll back {flag}", key=f"rollback_{flag}", type="primary"):
            roll_back(luna.flags, user, next(a for a in fired if a["flag"] == flag))
            common.flash(f"Rolled back {flag} to 0%.")
            st.rerun()


def render() -> None:
    common.note_wizard_left()
    st.title("🚦 Feature flags")
    st.caption("A user's bucket for a flag never changes, so raising a percentage only adds users.")
    common.show_flash()
    alerts()
    for flag in common.luna().flags.list():
        flag_row(flag)
    st.subheader("Changes")
    changes = common.luna().flags.changes(common.user())
    if not changes:
        st.caption("No changes yet.")
        return
    st.dataframe(pd.DataFrame([{
        "When": c["at"], "By": c["by"] or "installation", "Flag": c["flag"], "From": state(c["from"]),
        "To": state(c["to"]), "Why": c["reason"] or ""} for c in changes]), hide_index=True, width="stretch")


def state(side: dict) -> str:
    """One side of an audited change, e.g. "on 50% · auto rollback"."""
    auto = " · auto rollback" if side.get("auto_rollback") else ""  # changes before it existed have no key
    return f"{'on' if side['enabled'] else 'off'} {side['percent']}%{auto}"


render()
