"""The persona form shared by the creation wizard (step 3) and the edit dialog.

Widgets are keyed under a prefix and refilled from a plain dict whenever Streamlit has dropped
their state (after Back, or when a dialog reopens), so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from luna_core.personas.records import ACCESS_KEYS, CLOUD_CONSENT, DATA_ACCESS_KEYS
from luna_core.personas.service import Persona

ICONS = ["🧠", "🌊", "🧘", "🧭", "🌿", "🌱", "💗", "🌙", "🍂", "💬", "☁️", "🏠", "🌟", "🌈", "🕊️",
         "🌻", "🫶", "📓", "🎧", "⛰️"]
ACCESS_LABELS = {"journal_entries": "Journal entries", "mood_data": "Mood check-ins",
                 "user_profile": "My profile (name, goals)"}
FIELDS = ("name", "icon", "color_theme", "description", "prompt", "model", "temperature",
          "max_tokens", "top_p", "builtin_data_access")


def values_of(persona: Persona) -> dict[str, Any]:
    return {key: getattr(persona, key) for key in FIELDS}


def _restore(prefix: str, values: dict[str, Any]) -> None:
    for key in FIELDS:
        if key == "builtin_data_access":
            for switch in ACCESS_KEYS:
                st.session_state.setdefault(f"{prefix}_{switch}", bool(values[key].get(switch)))
        else:
            st.session_state.setdefault(f"{prefix}_{key}", values[key])


def forget(prefix: str) -> None:
    """Drop the widget state so the next render starts from fresh values."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]


def data_access_controls(prefix: str, cloud: bool, host: str) -> None:
    """The switches for what of the person's own data a companion may read, and for a cloud
    companion the consent to send it there, with what that means in plain words."""
    st.caption("What of your own Luna data this companion may read when it answers (only yours, never anyone "
               "else's; off until you turn it on)")
    switches = st.columns(len(DATA_ACCESS_KEYS))
    for column, switch in zip(switches, DATA_ACCESS_KEYS):
        column.toggle(ACCESS_LABELS[switch], key=f"{prefix}_{switch}")
    if cloud:
        st.warning(f"This companion runs on the cloud host {host}. Unless you allow it below, none of your journal, "
                   "mood check-ins or profile is sent there, even with the switches on. If you allow it, the "
                   "journal passages that fit each message, a summary of your recent moods and your profile leave "
                   "this machine with your messages.", icon="☁️")
        st.checkbox("Allow sending the data switched on above to the cloud host", key=f"{prefix}_{CLOUD_CONSENT}")


def persona_form(prefix: str, values: dict[str, Any], models: list[str], cloud: bool = False,
                 host: str = "") -> dict[str, Any]:
    """Render the form prefilled with ``values``; return what it holds now. ``cloud``: the persona
    runs on the cloud ``host`` (its data access then needs the person's consent)."""
    _restore(prefix, values)
    left, right = st.columns([2, 1])
    with left:
        st.text_input("Name", key=f"{prefix}_name", max_chars=80, placeholder="e.g. My CBT coach")
        st.text_area("Description", key=f"{prefix}_description", height=80,
                     placeholder="What this companion helps you with")
    with right:
        icon = st.session_state[f"{prefix}_icon"]
        st.selectbox("Icon", ICONS if icon in ICONS else [icon, *ICONS], key=f"{prefix}_icon")
        st.color_picker("Colour", key=f"{prefix}_color_theme")
    st.text_area("Prompt: who the companion is and how it works", key=f"{prefix}_prompt",
                 height=260, max_chars=8000)
    model_key = f"{prefix}_model"
    current = st.session_state[model_key]
    st.selectbox("Model", list(dict.fromkeys([m for m in (current, *models) if m])), key=model_key,
                 accept_new_options=True,
                 help="Pick one of the models your LLM host lists, or type another name." if models else
                 "The LLM host is not reachable, so Luna cannot list its models: type a name.")
    col1, col2, col3 = st.columns(3)
    col1.slider("Temperature", 0.0, 2.0, step=0.05, key=f"{prefix}_temperature",
                help="Lower is steadier and more predictable; higher is more varied.")
    col2.number_input("Max tokens", 16, 32768, step=64, key=f"{prefix}_max_tokens",
                      help="The longest reply, in tokens.")
    col3.slider("Top p", 0.05, 1.0, step=0.05, key=f"{prefix}_top_p")
    data_access_controls(prefix, cloud, host)
    return current_values(prefix)


def current_values(prefix: str) -> dict[str, Any]:
    out = {key: st.session_state.get(f"{prefix}_{key}") for key in FIELDS if key != "builtin_data_access"}
    out["builtin_data_access"] = {s: bool(st.session_state.get(f"{prefix}_{s}")) for s in ACCESS_KEYS}
    return out
