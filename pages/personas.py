"""The persona manager: category tabs with counts, search, the persona grid and its actions."""

from __future__ import annotations

import json

import streamlit as st

from luna_core.errors import LunaError
from luna_core.personas.import_export import export_persona, import_persona
from luna_core.personas.service import Persona
from pages import common
from pages.persona_form import current_values, forget, persona_form, values_of

PAGE_SIZE = 24
EDIT_FORM = "edit_form"


open_dialog = common.open_dialog


def close_dialog() -> None:
    common.close_dialog()
    forget(EDIT_FORM)


@st.dialog("Edit persona", width="large", on_dismiss=close_dialog)
def edit_dialog(persona: Persona) -> None:
    models = common.host_status(common.luna().settings.ollama_host).models
    persona_form(EDIT_FORM, values_of(persona), models)
    if st.button("Save changes", type="primary"):
        common.run_and_close(lambda: common.luna().personas.update(common.user(), persona.id,
                                                                   **current_values(EDIT_FORM)),
                             f"Saved your changes to {persona.name}.", close_dialog)


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
    user = common.user()
    with st.container(border=True):
        head, star = st.columns([5, 1])
        with head:
            common.persona_header(persona)
        if star.button("⭐" if persona.is_favorite else "☆", key=f"fav_{persona.id}",
                       help="Remove from favourites" if persona.is_favorite else "Add to favourites"):
            common.luna().personas.set_favorite(user, persona.id, not persona.is_favorite)
            st.rerun()
        if st.button("💬 Chat", key=f"chat_{persona.id}", width="stretch", type="primary"):
            st.session_state["chat_with"] = persona.id
            st.switch_page("pages/chat.py")
        description = persona.description or ""
        st.write(description if len(description) <= 160 else description[:159] + "…")
        st.caption(f"💬 {persona.chat_count} chats · 📚 {persona.dataset_count} documents · "
                   f"🕒 {common.when(persona.last_used)}")
        locked = persona.is_builtin and not user.is_admin
        edit, dup, delete = st.columns(3)
        edit.button("Edit", key=f"edit_{persona.id}", disabled=locked, width="stretch",
                    help="Built-in personas are shared: duplicate to customise." if locked else None,
                    on_click=open_dialog, args=("edit", persona.id))
        if common.flag("PERSONA_DUPLICATION"):
            dup.button("Duplicate", key=f"dup_{persona.id}", width="stretch",
                       on_click=open_dialog, args=("duplicate", persona.id))
        delete.button("Delete", key=f"del_{persona.id}", disabled=persona.is_default or locked,
                      width="stretch", on_click=open_dialog, args=("delete", persona.id),
                      help="Default personas cannot be deleted." if persona.is_default else None)
        if common.flag("PERSONA_IMPORT_EXPORT"):
            service = common.luna().personas
            st.download_button(
                "⬇️ Export JSON", key=f"export_{persona.id}", mime="application/json",
                file_name=f"{persona.id}.json", width="stretch",
                data=lambda: json.dumps(export_persona(service, user, persona.id), ensure_ascii=False,
                                        indent=2))


def import_panel() -> None:
    with st.expander("⬆️ Import a persona from a JSON file"):
        upload = st.file_uploader("Persona file", type=["json"], key="import_file")
        if upload is not None and st.button("Import", key="import_go"):
            try:
                persona = import_persona(common.luna().personas, common.user(), upload.getvalue())
            except LunaError as error:
                common.show_error(error)
                return
            common.flash(f"Imported {persona.name} as a new persona of yours.")
            st.rerun()


def header() -> None:
    title, action = st.columns([3, 1])
    title.title("AI Therapeutic Companions")
    title.caption("Create specialised companions tailored to your mental health journey.")
    if common.flag("ENHANCED_PERSONA_CREATION"):
        action.write("")
        if action.button("✨ Create New Persona", type="primary", width="stretch"):
            st.switch_page("pages/create_persona.py")


def empty_state() -> None:
    with st.container(border=True):
        st.markdown("<div style='text-align:center;font-size:48px'>🎭</div>", unsafe_allow_html=True)
        st.markdown("<h3 style='text-align:center'>Create Your First AI Companion</h3>"
                    "<p style='text-align:center'>Start with a therapeutic template or build from "
                    "scratch. It takes about a minute.</p>", unsafe_allow_html=True)
        if common.flag("ENHANCED_PERSONA_CREATION"):
            _, middle, _ = st.columns([2, 1, 2])
            if middle.button("Get Started", type="primary", width="stretch"):
                st.switch_page("pages/create_persona.py")


def grid(personas: list[Persona]) -> None:
    shown = st.session_state.get("grid_limit", PAGE_SIZE)
    focus = st.session_state.pop("focus_persona", None)
    personas = sorted(personas, key=lambda p: p.id != focus)  # a just-created persona comes first
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
    if not found.owns_any:
        empty_state()
    if found.personas:
        grid(found.personas)
    else:
        st.info("No persona matches. Try another category or clear the search.")
    if common.flag("PERSONA_IMPORT_EXPORT"):
        import_panel()
    show_dialog()


def show_dialog() -> None:
    request = common.dialog_request()
    if request is None or request[0] not in ("edit", "duplicate", "delete"):
        return
    kind, persona_id = request
    try:
        persona = common.luna().personas.get(common.user(), persona_id)
    except LunaError:
        close_dialog()
        return
    {"edit": edit_dialog, "duplicate": duplicate_dialog, "delete": delete_dialog}[kind](persona)


render()
