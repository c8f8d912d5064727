"""Luna's Streamlit entry point: builds the core services once and routes every page.

Services come from ``st.session_state["luna"]`` when a test has put them there, else from the
process-wide ``st.cache_resource``; feature flags decide which pages exist.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import streamlit as st

from luna_core import policy
from luna_core.accounts.routes import COOKIE
from luna_core.demo import add_demo_content
from luna_core.errors import DatabaseLockedError, LunaError
from luna_core.luna import Luna, shared_luna
from pages import common

WIZARD = "pages/create_persona.py"


@st.cache_resource(show_spinner="Starting Luna…")
def get_luna() -> Luna:
    return shared_luna(common.luna_settings)  # the same Luna as the sign-in routes of server.py


@st.cache_resource(show_spinner=False)
def start_demo_content(_luna: Luna) -> threading.Thread:
    """Add the demo library and companions (once per data folder) without holding up the first page;
    loading the embedding model takes most of the time, and the first chat needs it anyway. Then load
    the reply check's model, so the first answer does not wait for it either."""
    def run() -> None:
        try:
            add_demo_content(_luna)
        except LunaError as error:  # e.g. the CLI held the database: the next start tries again
            logging.getLogger("luna").warning("demo content not added: %s", error)
        finally:
            _luna.detector.warm_up()

    thread = threading.Thread(target=run, name="luna-demo-content", daemon=True)
    thread.start()
    return thread


def sidebar(pages: list) -> None:
    luna, user = common.luna(), common.user()
    with st.sidebar:
        for page in pages:
            st.page_link(page)
        st.divider()
        st.markdown(f"**Signed in as** {html.escape(user.name)}  \n<small>{user.role}</small>", unsafe_allow_html=True)
        if "session_token" in st.session_state:
            st.button("Sign out", key="sign_out", on_click=sign_out)
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


def signed_in() -> bool:
    """Whether a live session (the ``luna_session`` cookie, set by the sign-in route) says who
    this is; checked on every run, so a session ended elsewhere (sign-out, password or role
    change, idle timeout) ends here too. A test (AppTest) puts its user in the session state with
    the ``apptest`` marker, which no browser can set."""
    if st.session_state.get("apptest") and "user" in st.session_state:  # set by tests/apptest.py only
        return True
    token = st.context.cookies.get(COOKIE)
    user = common.luna().accounts.session_user(token)
    if user is None:
        for key in ("user", "session_token"):
            st.session_state.pop(key, None)
        return False
    st.session_state["user"], st.session_state["session_token"] = user, token
    return True


def sign_out() -> None:
    """End the session here (the database forgets it at once), then let the sign-out route clear the cookie."""
    common.luna().accounts.sign_out(st.session_state.pop("session_token", None))
    st.session_state.pop("user", None)
    st.session_state["signed_out"] = True


def welcome() -> None:
    """What someone who is not signed in sees: the way to the sign-in (or first setup) page."""
    setup = common.luna().accounts.needs_setup()
    target = "/auth/setup" if setup else "/auth/sign-in"
    st.title("🌙 Welcome to Luna")
    if st.session_state.pop("signed_out", False):
        st.success("You're signed out.", icon="👋")
        st.html('<script>fetch("/auth/sign-out", {method: "POST"}).finally(() => location.replace("/auth/sign-in"))'
                "</script>", unsafe_allow_javascript=True)
    elif setup:
        st.info("Luna is new here. Create the administrator account with the one-time setup code printed in the "
                "console where Luna was started.", icon="🔑")
    else:
        st.write("Luna is private: please sign in.")
    # an ordinary link in this tab (st.link_button opens a new one): the form is a page of its own
    st.html(f'<a href="{target}" target="_self" style="display:inline-block;padding:8px 18px;border-radius:8px;'
            f'background:#5B6FB5;color:#fff;text-decoration:none;font-weight:600">'
            f'{"Set up Luna" if setup else "Sign in"}</a>')


def not_allowed(title: str) -> Callable[[], None]:
    def page() -> None:
        st.title(title)
        st.warning(f"This page is not available to your account (role: {common.user().role}). "
                   "Ask an administrator if you need it.", icon="🔒")
    return page


PAGES = [  # (policy page, file, title, icon, feature flag that must be on)
    ("companions", "pages/personas.py", "Companions", "🎭", None),
    ("chat", "pages/chat.py", "Chat", "💬", None),
    ("create", WIZARD, "Create persona", "✨", "ENHANCED_PERSONA_CREATION"),
    ("documents", "pages/documents.py", "Documents", "📚", "RAG_DOCUMENT_PROCESSING"),
    ("journal", "pages/journal.py", "Journal", "📓", None),
    ("profile", "pages/profile.py", "About me", "🙂", None),
    ("my_data", "pages/my_data.py", "My data", "🔐", None),
    ("template_review", "pages/template_review.py", "Template review", "🩺", None),
    ("analytics", "pages/analytics.py", "Analytics", "📈", None),
    ("flags", "pages/flags.py", "Flags", "🚦", None),
    ("accounts", "pages/accounts.py", "Accounts", "👥", None),
]


def build_pages() -> tuple[list, list]:
    """(every page, the ones to list in the sidebar). A page the role may not open is still
    routed, so its address says so instead of "page not found"; it is just not listed."""
    if "luna" not in st.session_state:
        st.session_state["luna"] = get_luna()
        if st.session_state["luna"].settings.demo_content:
            st.session_state["demo_thread"] = start_demo_content(st.session_state["luna"])
    if not signed_in():  # every address shows the way to sign in
        return [st.Page(welcome, title="Luna", icon="🌙", default=True),
                *[st.Page(welcome, title=title, icon=icon, url_path=Path(path).stem)
                  for _, path, title, icon, _ in PAGES]], []
    user = common.user()
    today = date.today()  # what this user sees, recorded as exposures once a session and day (not every rerun)
    if st.session_state.get("exposed_on") != (user.id, today):
        st.session_state["flags"] = common.luna().flags.expose(user)
        st.session_state["exposed_on"] = (user.id, today)
    else:
        st.session_state["flags"] = common.luna().flags.enabled_for(user)
    pages, listed = [], []
    for key, path, title, icon, flag in PAGES:
        if flag and not common.flag(flag):
            continue
        if policy.may_open(user, key):
            page = st.Page(path, title=title, icon=icon, default=key == "companions")
            listed.append(page)
        else:
            page = st.Page(not_allowed(title), title=title, icon=icon, url_path=Path(path).stem)
        pages.append(page)
    return pages, listed


st.set_page_config(page_title="Luna", page_icon="🌙", layout="wide")
try:
    pages, listed = build_pages()
except DatabaseLockedError as busy:
    def luna_waiting(error: DatabaseLockedError = busy) -> None:
        database_busy(error)

    st.navigation([st.Page(luna_waiting, title="Luna", icon="🌙")], position="hidden").run()
    st.stop()
page = st.navigation(pages, position="hidden")  # drawn by sidebar(); see .streamlit/config.toml
try:
    if listed:
        sidebar(listed)
    page.run()
except DatabaseLockedError as busy:  # mid-session: a page's first database call waited in vain
    database_busy(busy)
except LunaError as error:  # anything a page did not handle itself still reads as a message, not a traceback
    common.show_error(error)
