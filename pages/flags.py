"""Flags (administrators): each feature on or off and its rollout percentage, with the reason for
every change, and the audit of all changes. Raising a percentage only adds users: a user's bucket
for a flag never changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from luna_core.errors import LunaError
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
        if (on, percent) != (flag.enabled, flag.rollout_percent) and st.button("Save change", key=f"flag_save_{flag.name}",
                                                                              type="primary"):
            try:
                luna.flags.set(flag.name, on, percent, by=user, reason=reason)
            except LunaError as error:
                common.show_error(error)
                return
            common.flash(f"{flag.name}: {'on' if on else 'off'} for {percent}% of users.")
            st.rerun()


def render() -> None:
    common.note_wizard_left()
    st.title("🚦 Feature flags")
    st.caption("A user's bucket for a flag never changes, so raising a percentage only adds users.")
    common.show_flash()
    for flag in common.luna().flags.list():
        flag_row(flag)
    st.subheader("Changes")
    changes = common.luna().flags.changes(common.user())
    if not changes:
        st.caption("No changes yet.")
        return
    st.dataframe(pd.DataFrame([{
        "When": c["at"], "By": c["by"] or "installation", "Flag": c["flag"],
        "From": f"{'on' if c['from']['enabled'] else 'off'} {c['from']['percent']}%",
        "To": f"{'on' if c['to']['enabled'] else 'off'} {c['to']['percent']}%", "Why": c["reason"] or ""}
        for c in changes]), hide_index=True, width="stretch")


render()
