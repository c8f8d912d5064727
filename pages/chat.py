"""Chat with a persona: the conversation list with dates and search, streamed replies with
sources, Stop, Retry, Regenerate, edit and resend, copy, export and feedback."""

from __future__ import annotations

import html

import streamlit as st

from luna_core.chat.conversations import Conversation, Message
from luna_core.chat.markdown import safe_markdown
from luna_core.chat.transcript import to_json, to_markdown
from luna_core.errors import LunaError
from luna_core.personas.service import Persona
from luna_core.safety.resources import emergency_contact
from pages import common
from pages.chat_messages import is_crisis_reply, show

SELECTED = "conversation"  # the open conversation's id; None is a new one
TITLE_CHARS = 34


def open_conversation(conversation_id: str | None, persona_id: str | None = None) -> None:
    """A list entry's callback: runs before the page, so the persona picker can follow."""
    st.session_state[SELECTED] = conversation_id
    if persona_id is not None:
        st.session_state["chat_persona"] = persona_id


def pick_persona() -> Persona | None:
    personas = sorted(common.luna().personas.list(common.user()), key=lambda p: not p.is_favorite)
    if not personas:
        st.info("Create a persona first.")
        return None
    statuses = {p.id: common.persona_status(p) for p in personas}
    labels = common.unique_labels({p.id: f"{p.icon or '💬'} {p.name} {common.status_icon(statuses[p.id])}"
                                   for p in personas})
    wanted = st.session_state.pop("chat_with", None)
    if wanted in labels:
        st.session_state["chat_persona"] = wanted
    if st.session_state.get("chat_persona") not in labels:
        st.session_state["chat_persona"] = personas[0].id
    chosen = st.selectbox("Companion", list(labels), key="chat_persona", format_func=labels.get,
                          help="🟢 its language model host is ready · 🟡 reachable without models · 🔴 not reachable")
    return next(p for p in personas if p.id == chosen)


def header(persona: Persona) -> str | None:
    """The persona, its host's status and the model picker; returns the model chosen for this chat."""
    status = common.persona_status(persona)
    left, right = st.columns([3, 2])
    left.markdown(f'<div style="display:flex;gap:10px;align-items:center">{common.avatar(persona.icon, persona.color_theme, 36)}'
                  f"<div><b>{html.escape(persona.name)}</b><br><small>{html.escape(persona.specialty or '')}</small>"
                  "</div></div>", unsafe_allow_html=True)
    current = persona.model or common.luna().settings.default_local_model
    options = list(dict.fromkeys([current, *status.models]))
    model = right.selectbox("Model", options, key=f"chat_model_{persona.id}", accept_new_options=True,
                            help="Models the host lists; type another name to use it for this chat.")
    if not (status.reachable and status.models):
        st.warning(status.message + (" Until then chat runs in offline mode." if status.reachable is False else ""),
                   icon="🔑" if common.luna().chat.setup_problem(persona) else "🔴")
    documents_note(persona)
    return model if model and model != persona.model else None


def conversation_list(persona: Persona) -> str | None:
    """The sidebar list: New, search (this companion's conversations or all), newest first."""
    store, user = common.luna().conversations, common.user()
    mine = store.list(user, persona.id)
    if st.session_state.get(SELECTED) not in [None, *[c.id for c in mine]]:
        st.session_state[SELECTED] = mine[0].id if mine else None
    selected = st.session_state.setdefault(SELECTED, mine[0].id if mine else None)
    with st.sidebar:
        st.subheader("Conversations")
        st.button("✨ New conversation", key="conv_new", width="stretch", on_click=open_conversation, args=(None,),
                  type="primary" if selected is None else "secondary")
        query = st.text_input("Search conversations", key="conv_search", placeholder="🔎 Search titles and messages")
        everywhere = st.toggle("All companions", key="conv_all", help="Search the conversations of every companion")
        hits = store.search(user, query, None if everywhere else persona.id)
        names = {p.id: p.name for p in common.luna().personas.list(user)} if everywhere else {}
        if not hits:
            st.caption("No conversation matches." if query else "No conversations yet.")
        for hit in hits:
            conversation = hit.conversation
            st.button(common.shorten(conversation.title, TITLE_CHARS), key=f"open_{conversation.id}", width="stretch",
                      type="primary" if conversation.id == selected else "tertiary", help=conversation.title,
                      on_click=open_conversation, args=(conversation.id, conversation.persona_id))
            about = [common.short_date(conversation.updated_at)]
            if everywhere:
                about.append(names.get(conversation.persona_id, ""))
            st.caption(" · ".join(x for x in about if x) + (f"  \n{safe_markdown(hit.snippet)}" if hit.snippet else ""))
    return selected


def conversation_tools(conversation: Conversation, persona: Persona, messages: list[Message]) -> None:
    store, user = common.luna().conversations, common.user()
    title, rename, export, delete = st.columns([4, 1, 1, 1])
    title.markdown(f"**{html.escape(common.shorten(conversation.title, 70))}**  \n"
                   f"<small>started {common.short_date(conversation.created_at)}</small>", unsafe_allow_html=True)
    with rename.popover("Rename", width="stretch"):
        new_title = st.text_input("Title", value=conversation.title, key=f"rename_{conversation.id}")
        if st.button("Save title", key=f"save_title_{conversation.id}"):
            try:
                store.rename(user, conversation.id, new_title)
            except LunaError as error:
                common.show_error(error)
            else:
                st.rerun()
    with export.popover("Export", width="stretch"):
        base = f"luna-{conversation.id}"
        st.download_button("⬇️ Markdown", to_markdown(conversation, persona.name, messages), f"{base}.md",
                           mime="text/markdown", key=f"export_md_{conversation.id}", width="stretch",
                           on_click=common.record, args=("conversation_exported",), kwargs={"format": "md"})
        st.download_button("⬇️ JSON", to_json(conversation, persona.name, messages), f"{base}.json",
                           mime="application/json", key=f"export_json_{conversation.id}", width="stretch",
                           on_click=common.record, args=("conversation_exported",), kwargs={"format": "json"})
    with delete.popover("Delete", width="stretch"):
        st.write("Delete this conversation and all its messages? This cannot be undone.")
        if st.button("Delete conversation", type="primary", key=f"del_conv_{conversation.id}"):
            store.delete(user, conversation.id)
            st.session_state[SELECTED] = None
            st.rerun()


def request(kind: str, detail: object = None) -> None:
    st.session_state["action"] = (kind, detail)


def last_turn_actions(conversation_id: str, messages: list[Message]) -> None:
    """Retry an unanswered last message; regenerate the last answer; edit and resend the last message."""
    last_user = next((m for m in reversed(messages) if m.role == "user"), None)
    if messages[-1].role == "user":
        st.info("This message has no reply yet.", icon="💭")
    cols = st.columns(3)
    if messages[-1].role == "user":
        cols[0].button("🔁 Retry", key="retry", on_click=request, args=("retry",))
    elif not is_crisis_reply(messages[-1]):
        cols[0].button("🔄 Regenerate", key="regenerate", on_click=request, args=("regenerate",))
    if last_user is not None:
        with cols[1].popover("✏️ Edit last message"):
            text = st.text_area("Your message", value=last_user.content, key=f"edit_{last_user.id}")
            if st.button("Send edited message", key="resend", type="primary"):
                request("resend", (last_user.id, text))
                st.rerun()


def finish_interrupted() -> None:
    """A reply the user stopped (or that a rerun cut off) is kept with what was written so far."""
    turn = st.session_state.pop("pending_turn", None)
    if turn is not None:
        turn.content = (turn.content.strip() + "\n\n_(stopped)_").strip()
        common.luna().chat.finish(turn)


def respond(persona: Persona, conversation_id: str | None, message: str | None, model: str | None,
            regenerate: bool = False) -> None:
    luna, user = common.luna(), common.user()
    if message is not None:
        with st.chat_message("user", avatar="🧑"):
            st.markdown(safe_markdown(message))
    try:
        with st.spinner("Reading your message…"):
            turn = luna.chat.prepare(user, persona.id, message or "", conversation_id, regenerate=regenerate,
                                     model=model)
    except LunaError as error:
        common.show_error(error)
        return
    st.session_state[SELECTED] = turn.conversation_id
    st.session_state["pending_turn"] = turn
    st.button("⏹ Stop", key="stop_reply")  # clicking it reruns the page, which ends this reply
    with st.chat_message("assistant"):
        st.write_stream(safe_markdown(piece) for piece in luna.chat.stream(turn))
    st.session_state.pop("pending_turn", None)
    luna.chat.finish(turn)
    st.rerun()


def run_action(persona: Persona, conversation_id: str | None, model: str | None) -> None:
    """What a button asked for on the last turn, done once the history is on the page."""
    action = st.session_state.pop("action", None)
    if action is None or conversation_id is None:
        return
    store, user = common.luna().conversations, common.user()
    kind, detail = action
    if kind == "regenerate":
        store.delete_last_assistant(user, conversation_id)
        respond(persona, conversation_id, None, model, regenerate=True)
    elif kind == "retry":
        respond(persona, conversation_id, None, model, regenerate=True)
    elif kind == "resend":
        message_id, text = detail
        try:  # refused before anything is deleted: a refused edit keeps the last turn
            if not (text or "").strip():
                raise LunaError("Please write a message first.")
            common.luna().chat.check_length(text)
        except LunaError as error:
            common.show_error(error)
            return
        store.delete_from(user, conversation_id, message_id)
        respond(persona, conversation_id, text, model)


def survey(messages: list[Message]) -> None:
    """The weekly two-question survey, for testers who have had answers; dismissible. Never next to
    a conversation with a crisis reply: that is no moment to ask how Luna is doing."""
    luna, user = common.luna(), common.user()
    if st.session_state.get("survey_done") or any(is_crisis_reply(m) for m in messages) or not luna.survey.due(user):
        return
    with st.container(border=True):
        st.markdown("**A quick question** (once a week, optional)")
        left, right = st.columns(2)
        with left:
            st.caption("How is your experience with your companions?")
            stars = st.feedback("stars", key="survey_stars")
        with right:
            improved = st.radio("Luna improved my conversations", ["Yes", "No"], index=None, key="survey_improved",
                                horizontal=True)
        send, dismiss = st.columns(2)
        if send.button("Send", key="survey_send", type="primary"):
            try:
                luna.survey.answer(user, None if stars is None else stars + 1,
                                   None if improved is None else improved == "Yes")
            except LunaError as error:
                common.show_error(error)
                return
            st.session_state["survey_done"] = True
            st.toast("Thank you: that helps us make Luna better.", icon="🙏")
            st.rerun()
        if dismiss.button("Not now", key="survey_dismiss"):
            luna.survey.dismiss(user)
            st.session_state["survey_done"] = True
            st.rerun()


def documents_note(persona: Persona) -> None:
    """Which of the user's documents this companion draws on, so sources never come as a surprise."""
    if not common.flag("RAG_DOCUMENT_PROCESSING"):
        return
    sources = common.luna().retriever.sources(common.user(), persona)
    if sources:
        names = sorted(source["name"] for source in sources.values())
        st.caption(f"📚 Draws on {len(names)} document{'s' if len(names) != 1 else ''}: {', '.join(names)}")
    else:
        st.caption("📚 No documents linked yet: answers come from the model alone. "
                   "Link worksheets and handouts on the Documents page.")


def render() -> None:
    common.note_wizard_left()
    finish_interrupted()
    st.title("💬 Chat")
    persona = pick_persona()
    if persona is None:
        return
    model = header(persona)
    conversation_id = conversation_list(persona)
    messages: list[Message] = []
    if conversation_id is not None:
        conversation = common.luna().conversations.get(common.user(), conversation_id)
        messages = common.luna().conversations.messages(common.user(), conversation_id)
        conversation_tools(conversation, persona, messages)
        for message in messages:
            show(message)
        if messages and "action" not in st.session_state:
            last_turn_actions(conversation_id, messages)
    run_action(persona, conversation_id, model)
    survey(messages)
    emergency = emergency_contact(common.luna().settings.crisis_region)
    st.caption(f"Luna is an AI companion, not a therapist. In an emergency call {emergency}.")
    prompt = st.chat_input(f"Message {persona.name}")
    if prompt:
        respond(persona, conversation_id, prompt, model)


render()
