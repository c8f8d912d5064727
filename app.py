"""Luna's Streamlit entry point: builds the core services once and routes every page.

Services come from ``st.session_state["luna"]`` when a test has put them there, else from the
process-wide ``st.cache_resource``; feature flags decide which pages exist.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from luna_core.config import Settings
from luna_core.demo import add_demo_content
from luna_core.errors import DatabaseLockedError, LunaError
from luna_core.luna import Luna
from pages import common

WIZARD = "pages/create_persona.py"


@st.cache_resource(show_spinner="Starting Luna…")
def get_luna() -> Luna:
    return Luna.open(Settings.from_env(cloud_api_key=common.cloud_key_from_secrets(st.secrets)))


@st.cache_resource(show_spinner=False)
def start_demo_content(_luna: Luna) -> threading.Thread:
    """Add the demo library and companions (once per data folder) without holding up the first page;
    loading the embedding model takes most of the time, and the first chat needs it anyway."""
    def run() -> None:
        try:
            add_demo_content(_luna)
        except LunaError as error:  # e.g. the CLI held the database: the next start tries again
            logging.getLogger("luna").warning("demo content not added: %s", error)

    thread = threading.Thread(target=run, name="luna-demo-content", daemon=True)
    thread.start()
    return thread


def sidebar(pages: list) -> None:
    luna, user = common.luna(), common.user()
    with st.sidebar:
        for page in pages:
            st.page_link(page)
        st.divider()
        st.markdown(f"**Signed in as** {user.name}  \n<small>{user.role}</small>", unsafe_allow_html=True)
        status = common.host_status(luna.settings.ollama_host)
        if status.reachable and status.models:
            st.success(f"LLM host reachable · {status.message}", icon="🟢")
        elif status.reachable:
            st.warning(status.message, icon="🟡")
        else:
            st.error(status.message, icon="🔴")
            st.caption("Until then chat runs in offline mode: Luna shows the passages of your documents "
                       "that fit your message, and never makes up an answer.")
        demo = st.session_state.get("demo_thread")
        if demo is not None:
            demo_progress(demo)
        for problem in luna.template_report["errors"]:
            if user.is_admin:
                st.warning(f"Template skipped: {problem}", icon="📋")


@st.fragment(run_every=2)
def demo_progress(thread: threading.Thread) -> None:
    """While the demo content is being added: say so; when it is done, show it (one full rerun)."""
    if thread.is_alive():
        st.caption("⏳ Adding Luna's demo library and demo companions…")
    else:
        del st.session_state["demo_thread"]
        st.rerun()


def database_busy(error: DatabaseLockedError) -> None:
    """What a person sees while another process (a CLI command, another Luna) holds the database."""
    st.title("🌙 Luna is waiting for its database")
    st.warning(f"{error}\n\nNothing you entered is lost.", icon="⏳")
    st.button("Try again", type="primary")


def build_pages() -> list:
    if "luna" not in st.session_state:
        st.session_state["luna"] = get_luna()
        if st.session_state["luna"].settings.demo_content:
            st.session_state["demo_thread"] = start_demo_content(st.session_state["luna"])
    if "user" not in st.session_state:
        st.session_state["user"] = common.luna().user(common.luna().settings.app_user)
    st.session_state["flags"] = common.luna().flags.enabled_for(common.user())
    pages = [st.Page("pages/personas.py", title="Companions", icon="🎭", default=True),
             st.Page("pages/chat.py", title="Chat", icon="💬")]
    if common.flag("ENHANCED_PERSONA_CREATION"):
        pages.append(st.Page(WIZARD, title="Create persona", icon="✨"))
    if common.flag("RAG_DOCUMENT_PROCESSING"):
        pages.append(st.Page("pages/documents.py", title="Documents", icon="📚"))
    return pages


st.set_page_config(page_title="Luna", page_icon="🌙", layout="wide")
try:
    pages = build_pages()
except DatabaseLockedError as busy:
    def luna_waiting(error: DatabaseLockedError = busy) -> None:
        database_busy(error)

    st.navigation([st.Page(luna_waiting, title="Luna", icon="🌙")], position="hidden").run()
    st.stop()
page = st.navigation(pages, position="hidden")  # drawn by sidebar(); see .streamlit/config.toml
try:
    sidebar(pages)
    page.run()
except DatabaseLockedError as busy:  # mid-session: a page's first database call waited in vain
    database_busy(busy)
except LunaError as error:  # anything a page did not handle itself still reads as a message, not a traceback
    common.show_error(error)
