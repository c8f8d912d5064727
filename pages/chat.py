"""Chat with a persona: conversations, streamed replies with sources, Stop, Regenerate, feedback."""

from __future__ import annotations

import html

import streamlit as st

from luna_core.chat.conversations import Message
from luna_core.chat.markdown import safe_markdown
from luna_core.chat.retrieval import page_label
from luna_core.errors import LunaError
from luna_core.personas.service import Persona
from luna_core.safety.resources import emergency_contact
from pages import common


def pick_persona() -> Persona | None:
    personas = common.luna().personas.list(common.user())
    if not personas:
        st.info("Create a persona first.")
        return None
    ids = [p.id for p in personas]
    wanted = st.session_state.pop("chat_with", None)
    if wanted in ids:
        st.session_state["chat_persona"] = wanted
    chosen = st.selectbox("Companion", ids, key="chat_persona",
                          format_func=lambda pid: next(f"{p.icon or '💬'} {p.name}" for p in personas if p.id == pid))
    return next(p for p in personas if p.id == chosen)


def pick_conversation(persona: Persona) -> str | None:
    store, user = common.luna().conversations, common.user()
    conversations = store.list(user, persona.id)
    options = [None, *[c.id for c in conversations]]
    titles = {c.id: c.title for c in conversations}
    key = f"conv_{persona.id}"
    if "select_conversation" in st.session_state:  # set after a reply or a delete, applied before the widget
        st.session_state[key] = st.session_state.pop("select_conversation")
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[1] if len(options) > 1 else None
    left, middle, right = st.columns([4, 1, 1])
    chosen = left.selectbox("Conversation", options, key=key,
                            format_func=lambda cid: "✨ New conversation" if cid is None else titles[cid])
    if chosen:
        with middle.popover("Rename", width="stretch"):
            title = st.text_input("Title", value=titles[chosen], key=f"rename_{chosen}")
            if st.button("Save title", key=f"save_title_{chosen}"):
                try:
                    store.rename(user, chosen, title)
                except LunaError as error:
                    common.show_error(error)
                else:
                    st.rerun()
        with right.popover("Delete", width="stretch"):
            st.write("Delete this conversation and all its messages? This cannot be undone.")
            if st.button("Delete conversation", type="primary", key=f"del_conv_{chosen}"):
                store.delete(user, chosen)
                st.session_state["select_conversation"] = None
                st.rerun()
    return chosen


def show_sources(message: Message) -> None:
    if message.context_used:
        st.caption("🧠 Personalised response using your therapeutic materials")
    if not message.sources:
        return
    st.markdown("📚 **Based on your documents:**")
    for source in message.sources:
        if source.get("deleted"):
            st.caption(f"🗑️ {source['dataset_name']} · deleted, so its passage is no longer shown")
            continue
        where = page_label(source["page_reference"]) or source["page_reference"] or ""
        label = (f"{source['dataset_name']} · {source['source_file']}{' · ' + where if where else ''} · "
                 f"{round(source['relevance_score'] * 100)}% match")
        with st.expander(label):
            if source.get("section"):
                st.caption(source["section"])
            if source.get("content"):
                st.text(source["content"])
            else:
                st.caption("Reference only: this document's text is not shown or shared.")


def feedback(message: Message) -> None:
    store, user = common.luna().conversations, common.user()
    left, right = st.columns([1, 2])
    with left:
        stars = st.feedback("stars", key=f"stars_{message.id}")
    with right:
        helped = st.feedback("thumbs", key=f"help_{message.id}")
        st.caption("Did this help?")
    if stars is not None and stars + 1 != message.rating:
        store.rate(user, message.id, rating=stars + 1)
    if helped is not None and bool(helped) != message.helpful:
        store.rate(user, message.id, helpful=bool(helped))


def history(conversation_id: str | None) -> list[Message]:
    if conversation_id is None:
        return []
    messages = common.luna().conversations.messages(common.user(), conversation_id)
    for message in messages:
        with st.chat_message(message.role, avatar="🧑" if message.role == "user" else None):
            st.markdown(safe_markdown(message.content))
            if message.role == "assistant":
                if message.offline:
                    st.caption("⚠️ Offline: no language model was reachable for this answer.")
                show_sources(message)
                feedback(message)
    return messages


def finish_interrupted() -> None:
    """A reply the user stopped (or that a rerun cut off) is kept with what was written so far."""
    turn = st.session_state.pop("pending_turn", None)
    if turn is not None:
        turn.content = (turn.content.strip() + "\n\n_(stopped)_").strip()
        common.luna().chat.finish(turn)


def respond(persona: Persona, conversation_id: str | None, message: str | None, regenerate: bool = False) -> None:
    luna, user = common.luna(), common.user()
    if message is not None:
        with st.chat_message("user", avatar="🧑"):
            st.markdown(safe_markdown(message))
    try:
        with st.spinner("Reading your message…"):
            turn = luna.chat.prepare(user, persona.id, message or "", conversation_id, regenerate=regenerate)
    except LunaError as error:
        common.show_error(error)
        return
    st.session_state["select_conversation"] = turn.conversation_id
    st.session_state["pending_turn"] = turn
    st.button("⏹ Stop", key="stop_reply")  # clicking it reruns the page, which ends this reply
    with st.chat_message("assistant"):
        st.write_stream(safe_markdown(piece) for piece in luna.chat.stream(turn))
    st.session_state.pop("pending_turn", None)
    luna.chat.finish(turn)
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
    st.markdown(f'<div style="display:flex;gap:10px;align-items:center">{common.avatar(persona.icon, persona.color_theme, 36)}'
                f"<div><b>{html.escape(persona.name)}</b><br><small>{html.escape(persona.specialty or '')}</small>"
                "</div></div>", unsafe_allow_html=True)
    documents_note(persona)
    conversation_id = pick_conversation(persona)
    messages = history(conversation_id)
    if messages and messages[-1].role == "assistant" and st.button("🔄 Regenerate", key="regenerate"):
        common.luna().conversations.delete_last_assistant(common.user(), conversation_id)
        respond(persona, conversation_id, None, regenerate=True)
    emergency = emergency_contact(common.luna().settings.crisis_region)
    st.caption(f"Luna is an AI companion, not a therapist. In an emergency call {emergency}.")
    prompt = st.chat_input(f"Message {persona.name}")
    if prompt:
        respond(persona, conversation_id, prompt)


render()
