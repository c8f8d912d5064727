"""About me: the few things I choose to tell my companions (name, pronouns, goals, what helps,
what to avoid), all optional and mine."""

from __future__ import annotations

import streamlit as st

from luna_core.errors import LunaError
from luna_core.journal.profile import FIELDS
from pages import common
from pages.persona_form import ACCESS_LABELS

SHORT = ("preferred_name", "pronouns")  # one line each; the others are a few sentences
PLACEHOLDERS = {"preferred_name": "e.g. Sam", "pronouns": "e.g. she/her, they/them",
                "goals": "e.g. sleep better, feel less anxious at work",
                "what_helps": "e.g. short practical steps, a walk, being asked how my day went",
                "what_to_avoid": "e.g. topics that upset me, advice before I've finished explaining"}


def widget_key(field: str) -> str:
    return f"profile_{field}"


def fill(force: bool = False) -> None:
    """The saved profile in the form (only where a field has no state yet unless ``force``)."""
    saved = common.luna().profiles.get(common.user()).to_dict()
    for field in FIELDS:
        if force:
            st.session_state[widget_key(field)] = saved[field] or ""
        else:
            st.session_state.setdefault(widget_key(field), saved[field] or "")


def save() -> None:
    """The form's callback: save every field, then show them as saved; a refusal changes nothing."""
    values = {field: st.session_state[widget_key(field)] for field in FIELDS}
    try:
        common.luna().profiles.save(common.user(), **values)
    except LunaError as error:
        st.session_state["profile_error"] = str(error)
        return
    fill(force=True)  # as stored: spaces trimmed
    common.flash("Saved. Companions that may read your profile use it from your next message.")


def render() -> None:
    common.note_wizard_left()
    st.title("🙂 About me")
    st.caption(f"Everything here is optional, and an empty field is simply left out. A companion sees it only if you "
               f"turn on “{ACCESS_LABELS['user_profile']}” for it (on for: {common.own_data_readers('user_profile')['user_profile']}); a cloud "
               "companion only with your consent as well (Companions, ⋯ → 🔐 What it may read). It is part of your download on My data, and it is "
               "deleted with your account.")
    common.show_flash()
    fill()
    with st.form("profile"):
        for field, (label, limit) in FIELDS.items():
            widget = st.text_input if field in SHORT else st.text_area
            widget(label, key=widget_key(field), max_chars=limit, placeholder=PLACEHOLDERS.get(field))
        st.form_submit_button("Save", type="primary", on_click=save)
    error = st.session_state.pop("profile_error", None)
    if error:
        st.error(error, icon="⚠️")


render()
