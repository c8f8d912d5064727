"""What every page shares: the injected Luna services, the signed-in user, flags, small renderers.

Pages get their services from ``st.session_state`` (set by ``app.py``, or by a test), never build
them themselves.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import streamlit as st

from luna_core.chat.conversations import shorten as conversation_shorten
from luna_core.chat.llm import HostStatus, check_host
from luna_core.errors import LunaError
from luna_core.luna import Luna
from luna_core.personas.records import own_data_allowed
from luna_core.personas.service import Persona
from luna_core.store.users import User

CATEGORY_TABS = [("all", "🎭 All"), ("therapy", "🧠 Therapeutic"), ("specialty", "🎯 Specialized"),
                 ("cloud", "☁️ Cloud AI"), ("local", "🏠 Private AI"), ("custom", "⚙️ Custom"),
                 ("favourites", "⭐ Favourites")]


def luna() -> Luna:
    if "luna" not in st.session_state:
        # A first visit straight to a page's address (a bookmark of /chat) can run the page before
        # the router; send it through app.py, which builds the services and opens the page list.
        st.switch_page("app.py")
    return st.session_state["luna"]


def user() -> User:
    if "user" not in st.session_state:  # signed out (or deleted) during this run: back to the welcome page
        st.switch_page("app.py")
    return st.session_state["user"]


def flag(name: str) -> bool:
    return st.session_state["flags"].get(name, False)


def record(event: str, **properties) -> None:
    """A usage event for the KPIs (ids and choices only, never what the user typed)."""
    luna().events.record(user().id, event, properties)


@st.cache_data(ttl=30, show_spinner=False)
def host_status(host: str, api_key: str | None = None) -> HostStatus:
    """The LLM host's status, asked at most every 30 seconds."""
    return check_host(host, headers={"Authorization": f"Bearer {api_key}"} if api_key else None)


def persona_status(persona: Persona) -> HostStatus:
    """The status of the host ``persona`` talks to: what is missing (a cloud API key), or the
    host's reachability and models."""
    chat = luna().chat
    host = chat.chat_model(persona).host
    problem = chat.setup_problem(persona)
    if problem:
        return HostStatus(host=host, reachable=False, message=problem)
    return host_status(host, luna().settings.cloud_api_key if persona.category == "cloud" else None)


def status_icon(status: HostStatus) -> str:
    return "🟢" if status.reachable and status.models else "🟡" if status.reachable else "🔴"


shorten = conversation_shorten  # one rule for cut titles, in the core


def short_date(moment: datetime) -> str:
    """'14:05' today, 'yesterday', '3 Dec' this year, '3 Dec 2025' before."""
    now = datetime.now()
    if moment.date() == now.date():
        return f"{moment:%H:%M}"
    if (now.date() - moment.date()).days == 1:
        return "yesterday"
    return f"{moment.day} {moment:%b}" + ("" if moment.year == now.year else f" {moment.year}")


def unique_labels(labels: dict[str, str]) -> dict[str, str]:
    """The same labels, numbered where two are equal, so that a choice by label can never open
    the wrong item (Streamlit's select widgets match a choice by its label)."""
    seen: dict[str, int] = {}
    out = {}
    for key, label in labels.items():
        seen[label] = seen.get(label, 0) + 1
        out[key] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return out


# One click handler for every copy button on the page, installed by the first one (st.html keeps
# <script> but drops inline onclick attributes).
_COPY_SCRIPT = """<script>
if (!window.lunaCopy) {
  window.lunaCopy = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".luna-copy");
    if (!button) return;
    const done = () => { button.textContent = "✅ Copied"; setTimeout(() => { button.textContent = "📋 Copy"; }, 1500); };
    const text = button.dataset.text;
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); return; }
    const area = document.createElement("textarea");  // plain http on a network: the older copy command
    area.value = text; document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove(); done();
  });
}
</script>"""


def copy_button(text: str) -> None:
    """A small button that puts ``text`` on the clipboard."""
    st.html(f'<button class="luna-copy" title="Copy this answer" data-text="{html.escape(text, quote=True)}" '
            'style="border:1px solid rgba(128,128,128,.4);border-radius:8px;background:transparent;color:inherit;'
            f'padding:2px 10px;cursor:pointer;font-size:.85em">📋 Copy</button>{_COPY_SCRIPT}',
            unsafe_allow_javascript=True)


def show_error(error: LunaError) -> None:
    st.error(str(error), icon="⚠️")


def flash(message: str) -> None:
    """A success message shown once, on the next page render."""
    st.session_state["flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message, icon="✅")


def when(moment: datetime | None) -> str:
    if moment is None:
        return "never used"
    days = (datetime.now() - moment).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def avatar(icon: str | None, color: str | None, size: int = 48) -> str:
    """An HTML circle in the persona's colour with its icon (both validated, still escaped)."""
    return (f'<div style="width:{size}px;height:{size}px;border-radius:50%;display:flex;'
            f'align-items:center;justify-content:center;font-size:{size // 2}px;'
            f'background:{html.escape(color or "#6B7A99")}">{html.escape(icon or "💬")}</div>')


def persona_header(persona: Persona) -> None:
    """Avatar, name and specialty badge of a persona card."""
    badge = (f'<span style="background:#EFEBF5;border-radius:10px;padding:1px 8px;font-size:0.8em">'
             f'{html.escape(persona.specialty)}</span>') if persona.specialty else ""
    st.markdown(
        f'<div style="display:flex;gap:12px;align-items:center">{avatar(persona.icon, persona.color_theme)}'
        f'<div><div style="font-weight:600;font-size:1.05em">{html.escape(persona.name)}</div>'
        f"{badge}</div></div>", unsafe_allow_html=True)


def note_wizard_left() -> None:
    """Called by every page but the wizard: leaving the wizard half-way is an abandonment (a KPI)
    and the next visit starts afresh."""
    state = st.session_state.pop("wizard", None)
    if state is not None:
        record("wizard_abandoned", step=state["reached"], method=state["method"], reason="left")


def open_dialog(kind: str, target: str) -> None:
    """Dialogs are driven by session state so they survive reruns until closed or dismissed."""
    st.session_state["dialog"] = (kind, target)


def close_dialog() -> None:
    st.session_state.pop("dialog", None)


def dialog_request() -> tuple[str, str] | None:
    return st.session_state.get("dialog")


def act(action: Callable[[], Any], message: str | Callable[[Any], str],
        then: Callable[[], None] | None = None) -> None:
    """Do what a button asks; on success run ``then``, say ``message`` (or ``message(result)``) on
    the next render and rerun; a refusal is shown where the button is, and nothing else happens."""
    try:
        result = action()
    except LunaError as error:
        show_error(error)
        return
    if then is not None:
        then()
    flash(message(result) if callable(message) else message)
    st.rerun()


def run_and_close(action: Callable[[], Any], message: str | Callable[[Any], str],
                  close: Callable[[], None] = close_dialog) -> None:
    """Do what a dialog's main button asks, then close it and say ``message`` on the page behind;
    a refusal is shown inside the dialog, which stays open."""
    act(action, message, then=close)


def confirm_delete(explanation: str, delete: Callable[[], Any], message: str,
                   close: Callable[[], None] = close_dialog) -> None:
    """The body of a delete dialog: what will be removed, Cancel, and Delete permanently."""
    st.write(explanation)
    left, right = st.columns(2)
    if left.button("Cancel", width="stretch"):
        close()
        st.rerun()
    if right.button("Delete permanently", type="primary", width="stretch"):
        run_and_close(delete, message, close)


def own_data_readers(*switches: str) -> dict[str, str]:
    """For each of ``switches`` of the person's own data (journal_entries, mood_data, user_profile),
    which of their companions may read it, by name ('none yet' when none); one persona listing."""
    personas = luna().personas.list(user())
    return {switch: ", ".join(p.name if own_data_allowed(p) else f"{p.name} (cloud: not until you consent)"
                              for p in personas if p.builtin_data_access.get(switch)) or "none yet"
            for switch in switches}


def luna_settings():
    """The app's settings: the environment, with the cloud API key from .streamlit/secrets.toml."""
    from luna_core.config import Settings

    return Settings.from_env(cloud_api_key=cloud_key_from_secrets(st.secrets))


def cloud_key_from_secrets(secrets: Mapping[str, Any]) -> str | None:
    """The cloud host's API key from ``.streamlit/secrets.toml`` when one is there (it wins over the
    environment, which ``Settings`` reads otherwise)."""
    try:
        return secrets.get("LUNA_CLOUD_API_KEY") or secrets.get("OLLAMA_API_KEY") or None
    except FileNotFoundError:  # no secrets file at all (Streamlit's StreamlitSecretNotFoundError)
        return None
