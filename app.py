"""Luna's Streamlit entry point: builds the core services once and routes every page."""

from __future__ import annotations

import streamlit as st

from luna_core.config import Settings
from luna_core.luna import Luna


@st.cache_resource(show_spinner="Starting Luna…")
def get_luna() -> Luna:
    return Luna.open(Settings.from_env())


luna = get_luna()
st.set_page_config(page_title="Luna", page_icon="🌙", layout="wide")
st.title("🌙 Luna")
st.write("Your AI therapeutic companions.")
st.write(f"{len(luna.personas.list(luna.user(luna.settings.app_user)))} personas available.")
