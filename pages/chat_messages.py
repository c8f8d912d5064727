"""How the chat page shows one stored message: the answer, its sources, a crisis reply as a safety
message with tappable resources, the person's rating, and a copy button."""

from __future__ import annotations

import html

import streamlit as st

from luna_core.chat.answers import well_grounded
from luna_core.chat.conversations import Message
from luna_core.chat.markdown import safe_markdown
from luna_core.chat.transcript import source_label
from luna_core.safety.resources import CrisisBlock, Resource, split_crisis_block
from pages import common

CRISIS_LEVELS = ("moderate", "high", "imminent")


def is_crisis_reply(message: Message) -> bool:
    return message.role == "assistant" and message.crisis_level in CRISIS_LEVELS


def resource_html(resources: list[Resource]) -> str:
    """The crisis services as cards with links a phone opens with one tap (tel:, sms:, https:)."""
    cards = []
    for resource in resources:
        links = "".join(
            f'<a href="{html.escape(uri, quote=True)}" style="display:inline-block;margin:4px 8px 0 0;padding:4px 12px;'
            f'border-radius:14px;background:#B33A3A;color:#fff;text-decoration:none;font-weight:600">'
            f'{"📞" if uri.startswith("tel:") else "💬" if uri.startswith("sms:") else "🌐"} {html.escape(label)}</a>'
            for label, uri in resource.links)
        cards.append(f'<div style="margin:6px 0"><b>{html.escape(resource.name)}</b>: {html.escape(resource.contact)}'
                     f' <small>({html.escape(resource.detail)})</small><br>{links}</div>')
    return f'<div class="luna-resources">{"".join(cards)}</div>'


GROUNDED_IN = {"documents": "your therapeutic materials", "journal": "your journal"}
CLOSEST_IN = {"documents": "your documents", "journal": "your journal"}


def safety_message(block: CrisisBlock) -> None:
    with st.container(border=True):
        st.markdown("🛟 **Safety message** · people who can help, right now")
        st.markdown(block.opening)
        st.html(resource_html(block.resources))
        for line in block.closing:
            st.markdown(line)


def show_sources(message: Message) -> None:
    from_journal = [str(s.get("dataset_id") or "").startswith("journal:") for s in message.sources]
    kinds = [kind for kind, used in (("documents", not all(from_journal)), ("journal", any(from_journal))) if used]
    if well_grounded(message.sources, message.context_used):
        st.caption("🧠 Personalised with " + " and ".join(GROUNDED_IN[k] for k in kinds))
    if not message.sources:
        return
    where = " and ".join(CLOSEST_IN[k] for k in kinds)
    st.markdown(f"📚 **Closest passages in {where}:**" if message.offline else "📚 **Sources:**")
    for source in message.sources:
        if source.get("deleted"):
            st.caption(f"🗑️ {source['dataset_name']} · deleted, so its passage is no longer shown")
            continue
        if source.get("edited"):
            st.caption(f"📓 {source_label(source)} · edited since, so its earlier text is no longer shown")
            continue
        with st.expander(f"{source_label(source)} · {round(source['relevance_score'] * 100)}% match"):
            content, section = source.get("content") or "", source.get("section") or ""
            heading = section.split(" > ")[-1]
            if section and not content.lstrip().startswith(heading):  # the passage's own first line is its heading
                st.caption(section)
            if content:
                st.text(content)
            else:
                st.caption("Reference only: this document's text is not shown or shared.")


def _rated(message: Message, kind: str) -> None:
    value = st.session_state.get(f"{kind}_{message.id}")
    if value is None:
        return
    store, user = common.luna().conversations, common.user()
    if kind == "stars":
        store.rate(user, message.id, rating=value + 1)
        st.toast(f"Thanks: you rated this answer {value + 1} of 5.", icon="⭐")
    else:
        store.rate(user, message.id, helpful=bool(value))
        st.toast("Thanks for telling us it helped." if value else "Thanks: we'll learn from that.", icon="🙏")


def feedback(message: Message) -> None:
    """Stars and 'Did this help?', filled in with what the person gave before."""
    stars_col, help_col, copy_col = st.columns([2, 2, 1])
    with stars_col:
        st.feedback("stars", key=f"stars_{message.id}", default=message.rating - 1 if message.rating else None,
                    on_change=_rated, args=(message, "stars"))
    with help_col:
        st.feedback("thumbs", key=f"thumbs_{message.id}",
                    default=None if message.helpful is None else int(message.helpful),
                    on_change=_rated, args=(message, "thumbs"))
        st.caption("Did this help?")
    with copy_col:
        common.copy_button(message.content)
    if message.rating or message.helpful is not None:
        said = [f"{message.rating}/5" if message.rating else "",
                "" if message.helpful is None else ("helped" if message.helpful else "did not help")]
        st.caption("Your feedback: " + ", ".join(x for x in said if x) + " · thank you")


def show(message: Message) -> None:
    with st.chat_message(message.role, avatar="🧑" if message.role == "user" else None):
        if message.role == "user":
            st.markdown(safe_markdown(message.content))
            return
        block, rest = split_crisis_block(message.content, common.luna().settings.crisis_region,
                                         message.crisis_level) if is_crisis_reply(message) else (None, message.content)
        if block is not None:
            safety_message(block)
        if rest:
            st.markdown(safe_markdown(rest))
        if message.offline:
            st.caption("⚠️ Offline: no language model was reachable for this answer.")
        show_sources(message)
        if is_crisis_reply(message):  # a safety message is not something to rate or regenerate
            common.copy_button(message.content)
        else:
            feedback(message)
