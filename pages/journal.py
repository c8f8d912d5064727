"""Journal: my own dated entries with an optional mood check-in and feeling words, a mood chart,
search, edit and delete. An entry that reads as a crisis brings the crisis resources onto the page."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from luna_core.chat.markdown import safe_markdown
from luna_core.errors import LunaError, NotFoundError
from luna_core.journal.entries import FEELING_WORDS, MAX_CHARS, MAX_FEELINGS, Entry, Saved, day_label
from luna_core.safety.resources import crisis_block, emergency_contact
from pages import common
from pages.chat_messages import safety_message
from pages.persona_form import ACCESS_LABELS

MOODS = {1: "1 · very low", 2: "2 · low", 3: "3 · okay", 4: "4 · good", 5: "5 · very good"}
MOOD_FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
PERIODS = {"Last 30 days": 30, "Last 90 days": 90, "All time": None}
OLDEST = date(1900, 1, 1)
PAGE = 20  # entries shown at first, and added by "Show more"
CRISIS = "journal_crisis"  # (level, for_other) of the last entry that read as a crisis, until dismissed
NEW, EDIT = "jn", "je"  # widget key prefixes of the new-entry form and the edit dialog
FIELDS = ("date", "text", "with_mood", "mood", "feelings")
WRITTEN, MOOD_ONLY = "with a written entry", "mood only"


def privacy_caption() -> None:
    readers = common.own_data_readers("journal_entries", "mood_data")
    st.caption(f"🔒 Your entries are yours alone: nobody else using Luna sees them. A companion reads them only if "
               f"you turn on “{ACCESS_LABELS['journal_entries']}” for it (on for: {readers['journal_entries']}), "
               f"and your mood check-ins only with “{ACCESS_LABELS['mood_data']}” (on for: {readers['mood_data']}). "
               "A cloud companion gets neither unless you also consent to sending them to the cloud. Set it per "
               "companion on Companions, ⋯ → 🔐 What it may read.")


# ---- crisis ---------------------------------------------------------------------------------------
def note_crisis(saved: Saved, new_entry: bool) -> None:
    """Keep the resources on the page after a crisis entry; a new entry that is not one clears them."""
    if saved.assessment.crisis:
        st.session_state[CRISIS] = (saved.assessment.level, saved.assessment.for_other)
    elif new_entry:
        st.session_state.pop(CRISIS, None)


def note_refused(error: LunaError) -> None:
    """An entry that could not be saved was still assessed: a crisis shows the resources anyway."""
    assessment = error.assessment
    if assessment is not None and assessment.crisis:
        st.session_state[CRISIS] = (assessment.level, assessment.for_other)


def crisis_panel() -> None:
    crisis = st.session_state.get(CRISIS)
    if not crisis:
        return
    level, for_other = crisis
    if for_other:
        st.markdown("💜 It sounds like you're worried about someone's safety. That's a lot to hold, and you don't "
                    "have to handle it alone: these people can help you and them, right now.")
    else:
        st.markdown("💜 What you wrote sounds really painful, and it matters. Thank you for putting it into words. "
                    "Please reach out to someone now: you deserve support from a person who can help.")
    safety_message(crisis_block(common.luna().settings.crisis_region, level, for_other))
    st.button("I've read this, hide it", key="journal_crisis_hide", on_click=st.session_state.pop, args=(CRISIS, None))


# ---- the entry fields, shared by the new-entry form and the edit dialog -----------------------------
def key(prefix: str, field: str) -> str:
    return f"{prefix}_{field}"


def fill(prefix: str, entry: Entry | None = None, force: bool = False) -> None:
    """Put an entry's values (or a blank entry's) in the widgets' state; only where missing unless ``force``."""
    values = {"date": entry.entry_date if entry else date.today(), "text": entry.text if entry else "",
              "with_mood": bool(entry and entry.mood), "mood": entry.mood if entry and entry.mood else 3,
              "feelings": list(entry.feelings) if entry else []}
    for field, value in values.items():
        if force:
            st.session_state[key(prefix, field)] = value
        else:
            st.session_state.setdefault(key(prefix, field), value)


def forget(prefix: str) -> None:
    for field in FIELDS:
        st.session_state.pop(key(prefix, field), None)


def mood_toggle(prefix: str) -> bool:
    return st.toggle("Add a mood check-in", key=key(prefix, "with_mood"),
                     help="Leave it off when you'd rather not rate your mood today.")


def fields(prefix: str, with_mood: bool, extra_feelings: list[str] = ()) -> None:
    """The mood (when the check-in is on, right under its switch), date, text and feeling words."""
    if with_mood:
        st.select_slider("Mood", options=list(MOODS), format_func=MOODS.get, key=key(prefix, "mood"))
    # Luna accepts tomorrow (another time zone); an entry so dated must still open
    latest = max(date.today(), st.session_state.get(key(prefix, "date")) or date.today())
    st.date_input("Date", key=key(prefix, "date"), min_value=OLDEST, max_value=latest, format="YYYY-MM-DD")
    st.text_area("Entry (Markdown works)", key=key(prefix, "text"), height=180, max_chars=MAX_CHARS,
                 placeholder="What's on your mind? A few words are enough.")
    st.multiselect("Feelings", list(dict.fromkeys([*FEELING_WORDS, *extra_feelings])), key=key(prefix, "feelings"),
                   max_selections=MAX_FEELINGS, accept_new_options=True,
                   placeholder="Choose or type a word (optional)",
                   help=f"Up to {MAX_FEELINGS} words; type your own and press Enter.")


def values(prefix: str) -> dict:
    state = st.session_state
    return {"entry_date": state[key(prefix, "date")], "text": state[key(prefix, "text")] or "",
            "mood": state.get(key(prefix, "mood")) if state.get(key(prefix, "with_mood")) else None,
            "feelings": state[key(prefix, "feelings")]}


# ---- new entry ------------------------------------------------------------------------------------
def save_new() -> None:
    """The form's callback: save, then a blank form; a refusal keeps everything that was typed."""
    try:
        saved = common.luna().journal.add(common.user(), **values(NEW))
    except LunaError as error:
        st.session_state["journal_new_error"] = str(error)
        note_refused(error)
        return
    note_crisis(saved, new_entry=True)
    fill(NEW, force=True)
    common.flash(f"Saved your entry for {day_label(saved.entry.entry_date)}.")


def new_entry_panel() -> None:
    st.subheader("New entry")
    fill(NEW)
    with st.container(border=True):
        with_mood = mood_toggle(NEW)  # outside the form, so that switching it shows the mood at once
        with st.form("journal_new", border=False):
            fields(NEW, with_mood)
            st.form_submit_button("Save entry", type="primary", on_click=save_new)
        error = st.session_state.pop("journal_new_error", None)
        if error:
            st.error(error, icon="⚠️")
    st.caption(f"Luna is not a crisis service. In an emergency call "
               f"{emergency_contact(common.luna().settings.crisis_region)}.")


# ---- mood chart -----------------------------------------------------------------------------------
def mood_chart() -> None:
    st.subheader("Mood over time")
    period = st.radio("Period", list(PERIODS), horizontal=True, key="journal_period", label_visibility="collapsed")
    rows = common.luna().journal.moods(common.user(), PERIODS[period])
    if not rows:
        st.caption("No mood check-ins yet in this period. Turn on “Add a mood check-in” when you write an entry, "
                   "and your mood shows here day by day.")
        return
    frame = pd.DataFrame([{"day": pd.Timestamp(r["day"]), "mood": r["mood"], "date": day_label(r["day"]),
                           "label": MOODS[r["mood"]], "feelings": ", ".join(r["feelings"]) or "—",
                           "kind": WRITTEN if r["has_text"] else MOOD_ONLY} for r in rows])
    x = alt.X("day:T", title=None, axis=alt.Axis(format="%d %b"))
    scale = alt.Scale(domain=[1, 5])
    axis = alt.Axis(values=list(MOODS), labelExpr="['', 'very low', 'low', 'okay', 'good', 'very good'][datum.value]")
    line = alt.Chart(frame).mark_line(color="#8E9BC7").encode(x=x, y=alt.Y("mean(mood):Q", title=None, scale=scale,
                                                                             axis=axis))
    kinds = [WRITTEN, MOOD_ONLY]
    points = alt.Chart(frame).mark_point(filled=True, size=90).encode(
        x=x, y=alt.Y("mood:Q", title=None, scale=scale, axis=axis),
        shape=alt.Shape("kind:N", title=None, scale=alt.Scale(domain=kinds, range=["circle", "diamond"])),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=["#5B6FB5", "#C9A227"])),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("label:N", title="Mood"),
                 alt.Tooltip("feelings:N", title="Feelings"), alt.Tooltip("kind:N", title="Entry")])
    st.altair_chart((line + points).properties(height=260).configure_legend(orient="bottom"), width="stretch")
    st.caption(f"{len(rows)} check-in{'s' if len(rows) != 1 else ''}; the line joins each day's average.")


# ---- the entries ----------------------------------------------------------------------------------
def mood_text(mood: int | None) -> str:
    return f"{MOOD_FACES[mood]} mood {mood}/5 ({MOODS[mood].split(' · ')[1]})" if mood else "no mood check-in"


def entry_card(entry: Entry) -> None:
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{day_label(entry.entry_date)}** · {mood_text(entry.mood)}")
            st.space("stretch")
            st.button("✏️ Edit", key=f"journal_edit_{entry.id}", on_click=common.open_dialog,
                      args=("journal_edit", entry.id))
            st.button("🗑️ Delete", key=f"journal_delete_{entry.id}", on_click=common.open_dialog,
                      args=("journal_delete", entry.id))
        if entry.feelings:
            st.caption("Feelings: " + ", ".join(entry.feelings))
        if entry.text:
            st.markdown(safe_markdown(entry.text))  # what was written never makes the browser fetch anything


def entries_panel() -> None:
    st.subheader("Your entries")
    search = st.text_input("Search your entries", key="journal_search", placeholder="A word, or a feeling")
    entries = common.luna().journal.list(common.user(), search=search)
    if not entries:
        if search.strip():
            st.info(f"No entry contains “{search.strip()}”. Try another word, or clear the search.", icon="🔎")
        else:
            st.info("No entries yet. Write your first one above: a few words, or just a mood check-in, is enough.")
        return
    if search.strip():
        st.caption(f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'} with “{search.strip()}”")
    shown = st.session_state.get("journal_shown", PAGE)
    for entry in entries[:shown]:
        entry_card(entry)
    if len(entries) > shown:
        st.button(f"Show {min(PAGE, len(entries) - shown)} more", key="journal_more",
                  on_click=lambda: st.session_state.update(journal_shown=shown + PAGE))


# ---- edit and delete ------------------------------------------------------------------------------
def close_edit() -> None:
    common.close_dialog()
    forget(EDIT)


@st.dialog("Edit entry", width="large", on_dismiss=close_edit)
def edit_dialog(entry: Entry) -> None:
    fill(EDIT, entry)
    fields(EDIT, mood_toggle(EDIT), entry.feelings)
    left, right = st.columns(2)
    if left.button("Cancel", width="stretch", key="je_cancel"):
        close_edit()
        st.rerun()
    if right.button("Save changes", type="primary", width="stretch", key="je_save"):
        try:
            saved = common.luna().journal.update(common.user(), entry.id, **values(EDIT))
        except LunaError as error:
            common.show_error(error)
            note_refused(error)
            crisis_panel()  # in the dialog too: it stays open over the page
            return
        note_crisis(saved, new_entry=False)
        close_edit()
        common.flash(f"Saved your changes to the entry for {day_label(saved.entry.entry_date)}.")
        st.rerun()


@st.dialog("Delete entry?", on_dismiss=common.close_dialog)
def delete_dialog(entry: Entry) -> None:
    common.confirm_delete(
        f"This permanently removes your entry for **{day_label(entry.entry_date)}**: its text, mood check-in and "
        "feelings. Companions can no longer draw on it, and earlier answers that quoted it stop showing its text. "
        "This cannot be undone.",
        lambda: common.luna().journal.delete(common.user(), entry.id),
        f"Deleted your entry for {day_label(entry.entry_date)}.")


def show_dialog() -> None:
    request = common.dialog_request()
    if request is None or request[0] not in ("journal_edit", "journal_delete"):
        return
    kind, entry_id = request
    try:
        entry = common.luna().journal.get(common.user(), entry_id)
    except NotFoundError:  # deleted meanwhile (another tab, the CLI)
        close_edit()
        return
    (edit_dialog if kind == "journal_edit" else delete_dialog)(entry)


def render() -> None:
    common.note_wizard_left()
    st.title("📓 Journal")
    crisis_panel()
    privacy_caption()
    common.show_flash()
    left, right = st.columns([3, 2], gap="large")
    with left:
        new_entry_panel()
    with right:
        mood_chart()
    entries_panel()
    show_dialog()


render()
