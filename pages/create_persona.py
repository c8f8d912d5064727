"""The 4-step Create Persona wizard: method, template or source, customise, review."""

from __future__ import annotations

import html
import time
from typing import Any

import streamlit as st

from luna_core.errors import LunaError
from luna_core.personas.templates import Template
from pages import common
from pages.persona_form import current_values, forget, persona_form, values_of

STEPS = ["Choose method", "Pick a starting point", "Customise", "Review"]
FORM = "wizard_form"
METHODS = {
    "template": ("📋", "From Template", "Start with a proven therapeutic approach",
                 ["✨ Pre-configured prompts", "🎯 Specialised techniques", "⚡ Quick setup"]),
    "scratch": ("✏️", "From Scratch", "Build a completely custom persona",
                ["🎨 Full customisation", "💡 Your own approach", "⚙️ Advanced control"]),
    "duplicate": ("📄", "Duplicate Existing", "Copy and modify a persona you already have",
                  ["🔄 Quick iteration", "📊 Proven base", "🛠️ Easy modification"]),
}
SCRATCH_PROMPT = ("You are a warm, supportive companion. Listen carefully, reflect back what you "
                  "hear, and offer practical coping ideas in plain language. You are not a "
                  "therapist: never diagnose or advise on medication, and encourage professional "
                  "help and crisis services whenever someone may be at risk.")


def wizard() -> dict[str, Any]:
    """The wizard's state; opening it starts the clock for the creation-time KPI."""
    if "wizard" not in st.session_state:
        st.session_state["wizard"] = {"step": 1, "reached": 1, "method": None, "template_id": None,
                                      "source_id": None, "values": None, "opened_at": time.time()}
        forget(FORM)
        common.record("wizard_opened")
    return st.session_state["wizard"]


def go(step: int) -> None:
    state = wizard()
    state["step"] = step
    if step > state["reached"]:
        state["reached"] = step
        common.record("wizard_step_reached", step=step, method=state["method"])
    st.rerun()


def progress(step: int) -> None:
    cells = []
    for number, label in enumerate(STEPS, start=1):
        mark = "✓" if number < step else str(number)
        weight = "700" if number == step else "400"
        color = "#5B6FB5" if number <= step else "#9A94A8"
        cells.append(f'<div style="flex:1;text-align:center;color:{color};font-weight:{weight}">'
                     f'<span style="border:2px solid {color};border-radius:50%;padding:0 8px">{mark}</span>'
                     f"<br>{label}</div>")
    st.markdown(f'<div style="display:flex;gap:8px">{"".join(cells)}</div>', unsafe_allow_html=True)
    st.progress(step / len(STEPS), text=f"Step {step} of {len(STEPS)}: {STEPS[step - 1]}")


def models() -> list[str]:
    return common.host_status(common.luna().settings.ollama_host).models


def defaults(state: dict[str, Any]) -> dict[str, Any]:
    """Form values to start step 3 from, for the chosen method."""
    luna, user = common.luna(), common.user()
    if state["method"] == "template":
        t = luna.templates.get(state["template_id"])
        return {"name": t.name, "icon": t.suggested_icon, "color_theme": t.color_theme,
                "description": t.description, "prompt": t.prompt_template,
                "model": luna.settings.default_local_model, **t.default_settings,
                "builtin_data_access": {}}
    if state["method"] == "duplicate":
        values = values_of(luna.personas.get(user, state["source_id"]))
        return {**values, "name": f"{values['name']} (copy)"[:80]}
    return {"name": "", "icon": "💬", "color_theme": "#6B7A99", "description": "",
            "prompt": SCRATCH_PROMPT, "model": luna.settings.default_local_model,
            "temperature": 0.7, "max_tokens": 1024, "top_p": 0.9, "builtin_data_access": {}}


def step_method(state: dict[str, Any]) -> None:
    st.subheader("How would you like to create your persona?")
    available = [m for m in METHODS if (m != "template" or common.flag("THERAPEUTIC_TEMPLATES"))
                 and (m != "duplicate" or common.flag("PERSONA_DUPLICATION"))]
    for column, method in zip(st.columns(len(available)), available):
        icon, title, blurb, benefits = METHODS[method]
        with column.container(border=True):
            st.markdown(f"### {icon} {title}\n{blurb}\n\n" + "\n".join(f"- {b}" for b in benefits))
            if st.button(f"Choose {title}", key=f"method_{method}", width="stretch",
                         type="primary" if method == "template" else "secondary"):
                state.update(method=method, values=None)
                forget(FORM)
                go(3 if method == "scratch" else 2)


def template_card(template: Template, selected: bool) -> bool:
    with st.container(border=True):
        st.markdown(f"{common.avatar(template.suggested_icon, template.color_theme, 40)}"
                    f'<div style="color:#6B6580;font-size:0.85em;margin-top:4px">'
                    f"{html.escape(template.specialty)}</div>", unsafe_allow_html=True)
        st.markdown(f"**{template.name}**\n\n{template.description}")
        st.markdown("**Key features:**\n" + "\n".join(f"- {f}" for f in template.key_features))
        st.caption(" ".join(f"`{tag}`" for tag in template.tags))
        st.markdown(f"**Best for:** {template.best_for}")
        label = "✓ Selected" if selected else "Select"
        return st.button(label, key=f"pick_{template.id}", width="stretch",
                         type="primary" if selected else "secondary")


def step_template(state: dict[str, Any]) -> None:
    st.subheader("Choose your therapeutic approach")
    templates = common.luna().templates.list()
    left, right = st.columns(2)
    specialty = left.selectbox("Specialty", ["All specialties", *sorted({t.specialty for t in templates})],
                               key="wizard_specialty")
    tags = right.multiselect("Tags", sorted({tag for t in templates for tag in t.tags}), key="wizard_tags")
    shown = [t for t in templates if specialty in ("All specialties", t.specialty)
             and all(tag in t.tags for tag in tags)]
    if not shown:
        st.info("No template matches these filters. Clear a tag or choose another specialty.")
    for start in range(0, len(shown), 3):
        for column, template in zip(st.columns(3), shown[start:start + 3]):
            with column:
                if template_card(template, template.id == state["template_id"]):
                    if template.id != state["template_id"]:
                        state.update(template_id=template.id, values=None)
                        forget(FORM)
                    st.rerun()
    nav(state, back=1, next_ready=state["template_id"] is not None, hint="Select a template to continue.")


def step_source(state: dict[str, Any]) -> None:
    st.subheader("Which persona do you want to copy?")
    personas = common.luna().personas.list(common.user())
    ids = [p.id for p in personas]
    names = {p.id: p.name for p in personas}
    index = ids.index(state["source_id"]) if state["source_id"] in ids else 0
    chosen = st.selectbox("Persona", ids, index=index, format_func=names.get, key="wizard_source")
    if chosen != state["source_id"]:
        state.update(source_id=chosen, values=None)
        forget(FORM)
    persona = next(p for p in personas if p.id == chosen)
    with st.container(border=True):
        common.persona_header(persona)
        st.write(persona.description or "")
    nav(state, back=1, next_ready=True)


def nav(state: dict[str, Any], back: int, next_ready: bool, hint: str = "",
        before_next=None) -> None:
    left, _, right = st.columns([1, 3, 1])
    if left.button("← Back", key=f"back_{state['step']}", width="stretch"):
        go(back)
    if right.button("Next →", key=f"next_{state['step']}", type="primary", width="stretch",
                    disabled=not next_ready, help=None if next_ready else hint):
        if before_next is None or before_next():
            go(state["step"] + 1)


def step_customise(state: dict[str, Any]) -> None:
    st.subheader("Customise your persona")
    if state["values"] is None:
        state["values"] = defaults(state)
    state["values"] = persona_form(FORM, state["values"], models())
    documents_picker(state)
    problem = st.session_state.pop("wizard_problem", None)
    if problem:
        st.error(problem, icon="⚠️")

    def valid() -> bool:
        try:
            common.luna().personas.validate(common.user(), current_values(FORM))
        except LunaError as error:
            st.session_state["wizard_problem"] = str(error)
            st.rerun()
        return True

    nav(state, back=1 if state["method"] == "scratch" else 2, next_ready=True, before_next=valid)


def documents_picker(state: dict[str, Any]) -> None:
    """Which of the user's processed documents the new companion may draw on."""
    if not common.flag("RAG_DOCUMENT_PROCESSING"):
        return
    ready = [d for d in common.luna().library.list(common.user()) if d.status == "completed"]
    if not ready:
        st.caption("📚 Once you add documents (Documents page), companions can draw on them.")
        return
    names = {d.id: d.name for d in ready}
    st.session_state.setdefault("wizard_documents", [d for d in state.get("documents", []) if d in names])
    state["documents"] = st.multiselect("Documents this companion can use", list(names), format_func=names.get,
                                        key="wizard_documents")


def step_review(state: dict[str, Any]) -> None:
    st.subheader("Review your persona")
    values = state["values"]
    with st.container(border=True):
        st.markdown(
            f'<div style="display:flex;gap:12px;align-items:center">'
            f'{common.avatar(values["icon"], values["color_theme"], 56)}<div><b>{html.escape(values["name"])}</b>'
            f'<br><span style="color:#6B6580">{html.escape(values["description"] or "")}</span></div></div>',
            unsafe_allow_html=True)
        access = [k.replace("_", " ") for k, on in values["builtin_data_access"].items() if on]
        linked = len(state.get("documents", []))
        if linked:
            st.caption(f"📚 Draws on {linked} of your documents")
        st.caption(f"Model {values['model']} · temperature {values['temperature']:.2f} · "
                   f"max tokens {values['max_tokens']} · top p {values['top_p']:.2f} · "
                   f"reads: {', '.join(access) or 'no built-in data'}")
    st.markdown("**Full prompt**")
    st.code(values["prompt"], language=None, wrap_lines=True)
    left, _, right = st.columns([1, 3, 1])
    if left.button("← Back", key="back_4", width="stretch"):
        go(3)
    if right.button("Create persona", type="primary", width="stretch"):
        create(state)


def create(state: dict[str, Any]) -> None:
    luna, user = common.luna(), common.user()
    fields = {**state["values"], "seconds_to_create": time.time() - state["opened_at"]}
    name = fields.pop("name")
    documents = state.get("documents", [])  # linked in the creating transaction: all or nothing
    try:
        if state["method"] == "template":
            persona = luna.personas.create_from_template(user, state["template_id"], name=name,
                                                         dataset_ids=documents, **fields)
        elif state["method"] == "duplicate":
            persona = luna.personas.duplicate(user, state["source_id"], name, dataset_ids=documents, **fields)
        else:
            persona = luna.personas.create_from_scratch(user, name, fields.pop("prompt"),
                                                        dataset_ids=documents, **fields)
    except LunaError as error:
        common.show_error(error)
        return
    del st.session_state["wizard"]
    forget(FORM)
    common.flash(f"{persona.icon} {persona.name} is ready. Start a conversation whenever you like.")
    st.session_state["focus_persona"] = persona.id
    st.switch_page("pages/personas.py")


def render() -> None:
    st.title("✨ Create a new persona")
    state = wizard()
    progress(state["step"])
    if state["step"] == 1:
        step_method(state)
    elif state["step"] == 2 and state["method"] == "template":
        step_template(state)
    elif state["step"] == 2:
        step_source(state)
    elif state["step"] == 3:
        step_customise(state)
    else:
        step_review(state)
    if st.button("Cancel", key="wizard_cancel"):
        common.record("wizard_abandoned", step=state["reached"], method=state["method"], reason="cancel")
        del st.session_state["wizard"]
        forget(FORM)
        st.switch_page("pages/personas.py")


render()
