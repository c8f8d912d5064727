"""The persona manager: category tabs with counts, search, the persona grid and its actions."""

from __future__ import annotations

import json

import streamlit as st

from luna_core import policy
from luna_core.errors import LunaError
from luna_core.personas.import_export import export_persona, import_persona
from luna_core.personas.service import Persona
from pages import common
from pages.persona_form import current_values, data_access_controls, forget, persona_form, values_of

PAGE_SIZE = 24
EDIT_FORM = "edit_form"
ACCESS_FORM = "access_form"


open_dialog = common.open_dialog


def close_dialog() -> None:
    common.close_dialog()
    forget(EDIT_FORM)
    forget(ACCESS_FORM)


@st.dialog("Edit persona", width="large", on_dismiss=close_dialog)
def edit_dialog(persona: Persona) -> None:
    settings = common.luna().settings
    models = common.host_status(settings.ollama_host).models
    persona_form(EDIT_FORM, values_of(persona), models, cloud=persona.category == "cloud",
                 host=settings.ollama_cloud_host)
    if st.button("Save changes", type="primary"):
        common.run_and_close(lambda: common.luna().personas.update(common.user(), persona.id,
                                                                   **current_values(EDIT_FORM)),
                             f"Saved your changes to {persona.name}.", close_dialog)


@st.dialog("What it may read", on_dismiss=close_dialog)
def access_dialog(persona: Persona) -> None:
    """The person's own data-access switches for any companion they can see (on a shared one they
    are theirs alone)."""
    st.write(f"What of your own journal, mood check-ins and profile **{persona.name}** may use when it answers.")
    access = persona.builtin_data_access
    for key, on in access.items():
        st.session_state.setdefault(f"{ACCESS_FORM}_{key}", on)
    data_access_controls(ACCESS_FORM, persona.category == "cloud", common.luna().settings.ollama_cloud_host)
    if st.button("Save", type="primary", key="access_save"):
        chosen = {key: bool(st.session_state.get(f"{ACCESS_FORM}_{key}")) for key in access}
        common.run_and_close(lambda: common.luna().personas.set_data_access(common.user(), persona.id, **chosen),
                             f"Saved what {persona.name} may read.", close_dialog)


@st.dialog("Duplicate persona", on_dismiss=close_dialog)
def duplicate_dialog(persona: Persona) -> None:
    st.write(f"Make your own copy of **{persona.name}** with the same prompt and settings.")
    name = st.text_input("Name of the copy", value=f"{persona.name} (copy)"[:80], max_chars=80)
    if st.button("Create copy", type="primary"):
        common.run_and_close(lambda: common.luna().personas.duplicate(common.user(), persona.id, name),
                             lambda copy: f"Created {copy.name}.", close_dialog)


@st.dialog("Delete persona?", on_dismiss=close_dialog)
def delete_dialog(persona: Persona) -> None:
    common.confirm_delete(
        f"This permanently removes **{persona.name}**: its prompt and settings, its conversations, your "
        "favourite mark and its usage statistics. Your documents stay in your library. This cannot be undone.",
        lambda: common.luna().personas.delete(common.user(), persona.id), f"Deleted {persona.name}.", close_dialog)


def card(persona: Persona) -> None:
    """A compact card: who the companion is, Chat, and a menu for the less common actions."""
    with st.container(border=True):
        # horizontal containers, not columns: on a phone they stay one row instead of stacking
        with st.container(horizontal=True, vertical_alignment="center", wrap=False):
            common.persona_header(persona)
            st.button("⭐" if persona.is_favorite else "☆", key=f"fav_{persona.id}", type="tertiary",
                      help="Remove from favourites" if persona.is_favorite else "Add to favourites",
                      on_click=toggle_favourite, args=(persona,))
        st.caption(common.shorten(persona.description or "", 110) or " ")
        st.caption(f"💬 {persona.chat_count} chats · 📚 {persona.dataset_count} documents · "
                   f"🕒 {common.when(persona.last_used)}")
        template_update(persona)
        with st.container(horizontal=True, vertical_alignment="center", wrap=False):
            if st.button("💬 Chat", key=f"chat_{persona.id}", width="stretch", type="primary"):
                st.session_state["chat_with"] = persona.id
                st.switch_page("pages/chat.py")
            with st.popover("⋯", help="Edit, what it may read, duplicate, export or delete"):
                actions(persona)


def template_update(persona: Persona) -> None:
    """A persona keeps the template version it was made from; a newer approved one is offered."""
    if persona.owner_id != common.user().id:
        return
    newer = common.luna().review.newer_for(persona)
    if newer is None:
        return
    st.caption(f"🆕 Its template has a newer approved version (v{newer}); your companion still uses "
               f"v{persona.template_version}.")
    if st.button(f"Update to v{newer}", key=f"tpl_update_{persona.id}",
                 help="Replace this companion's prompt with the newly approved one; nothing else changes"):
        common.run_and_close(lambda: common.luna().personas.update_to_template(common.user(), persona.id),
                             f"{persona.name} now uses v{newer} of its template.")


def toggle_favourite(persona: Persona) -> None:
    common.luna().personas.set_favorite(common.user(), persona.id, not persona.is_favorite)


def actions(persona: Persona) -> None:
    """The card's menu. A button that cannot be used says why, under it."""
    user = common.user()
    locked = not policy.may(user, "persona.change", persona)
    st.button("✏️ Edit", key=f"edit_{persona.id}", disabled=locked, width="stretch",
              on_click=open_dialog, args=("edit", persona.id))
    st.button("🔐 What it may read", key=f"access_{persona.id}", width="stretch",
              help="Your journal, mood check-ins and profile: off until you turn them on",
              on_click=open_dialog, args=("access", persona.id))
    if common.flag("PERSONA_DUPLICATION"):
        st.button("📄 Duplicate", key=f"dup_{persona.id}", width="stretch",
                  on_click=open_dialog, args=("duplicate", persona.id))
    if common.flag("PERSONA_IMPORT_EXPORT"):
        service = common.luna().personas
        st.download_button(
            "⬇️ Export JSON", key=f"export_{persona.id}", mime="application/json",
            file_name=f"{persona.id}.json", width="stretch",
            data=lambda: json.dumps(export_persona(service, user, persona.id), ensure_ascii=False, indent=2))
    st.button("🗑️ Delete", key=f"del_{persona.id}", disabled=persona.is_default or locked,
              width="stretch", on_click=open_dialog, args=("delete", persona.id))
    if locked:
        st.caption("Built-in companions are shared with everyone, so only an administrator can edit or delete "
                   "them. Duplicate one to make it your own.")
    elif persona.is_default:
        st.caption("This is your default companion, so it can't be deleted.")


def import_panel() -> None:
    with st.expander("⬆️ Import a persona from a JSON file"):
        upload = st.file_uploader("Persona file", type=["json"], key="import_file")
        if upload is not None and st.button("Import", key="import_go"):
            common.act(lambda: import_persona(common.luna().personas, common.user(), upload.getvalue()),
                       lambda persona: f"Imported {persona.name} as a new persona of yours.")


def header() -> None:
    title, action = st.columns([3, 1])
    title.title("AI Therapeutic Companions")
    title.caption("Create specialised companions tailored to your mental health journey.")
    if common.flag("ENHANCED_PERSONA_CREATION"):
        action.write("")
        if action.button("✨ Create New Persona", type="primary", width="stretch"):
            st.switch_page("pages/create_persona.py")


def empty_state(any_visible: bool) -> None:
    """The first-visit call to action: a big one when there are no companions at all, a short
    line when there are shared ones but none of the user's own yet."""
    if not common.flag("ENHANCED_PERSONA_CREATION"):
        return
    if any_visible:
        text, action = st.columns([4, 1])
        text.info("These companions are shared with everyone. Make one of your own from a therapeutic template "
                  "in about a minute.", icon="✨")
        if action.button("Create your own", key="create_own", width="stretch"):
            st.switch_page("pages/create_persona.py")
        return
    with st.container(border=True):
        st.markdown("<div style='text-align:center;font-size:48px'>🎭</div>", unsafe_allow_html=True)
        st.markdown("<h3 style='text-align:center'>Create Your First AI Companion</h3>"
                    "<p style='text-align:center'>Start with a therapeutic template or build from "
                    "scratch. It takes about a minute.</p>", unsafe_allow_html=True)
        _, middle, _ = st.columns([2, 1, 2])
        if middle.button("Get Started", type="primary", width="stretch"):
            st.switch_page("pages/create_persona.py")


def grid(personas: list[Persona]) -> None:
    shown = st.session_state.get("grid_limit", PAGE_SIZE)
    focus = st.session_state.pop("focus_persona", None)
    # a just-created persona comes first, then favourites, each group in the order browse gave
    personas = sorted(personas, key=lambda p: (p.id != focus, not p.is_favorite))
    for start in range(0, min(shown, len(personas)), 3):
        for column, persona in zip(st.columns(3), personas[start:start + 3]):
            with column:
                card(persona)
    if len(personas) > shown:
        if st.button(f"Show more ({len(personas) - shown} more)", width="stretch"):
            st.session_state["grid_limit"] = shown + PAGE_SIZE
            st.rerun()


def render() -> None:
    luna, user = common.luna(), common.user()
    common.note_wizard_left()
    header()
    common.show_flash()
    search = st.text_input("Search personas", key="persona_search", placeholder="🔎 Search by name, "
                           "specialty or tag", label_visibility="collapsed")
    category = st.session_state.get("persona_category") or "all"
    found = luna.personas.browse(user, category, search)
    labels = {key: f"{label} ({found.counts[key]})" for key, label in common.CATEGORY_TABS}
    category = st.segmented_control("Category", list(labels), format_func=labels.get, default="all",
                                    key="persona_category", label_visibility="collapsed") or "all"
    if search or category != "all":
        used = st.session_state.setdefault("features_used", set())
        for feature, active in (("search", bool(search)), ("category_filter", category != "all")):
            if active and feature not in used:
                used.add(feature)
                common.record("feature_used", feature=feature)
    if not found.owns_any and not search:
        empty_state(any_visible=found.counts["all"] > 0)
    if found.personas:
        grid(found.personas)
    else:
        st.info("No persona matches. Try another category or clear the search.")
    if common.flag("PERSONA_IMPORT_EXPORT"):
        import_panel()
    show_dialog()


def show_dialog() -> None:
    request = common.dialog_request()
    if request is None or request[0] not in ("edit", "access", "duplicate", "delete"):
        return
    kind, persona_id = request
    try:
        persona = common.luna().personas.get(common.user(), persona_id)
    except LunaError:
        close_dialog()
        return
    {"edit": edit_dialog, "access": access_dialog, "duplicate": duplicate_dialog, "delete": delete_dialog}[kind](persona)


render()
