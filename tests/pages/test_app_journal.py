"""The Journal and About me pages with AppTest: write an entry with a mood and feelings, the mood
chart, crisis resources on the page, search, edit and delete, nobody else's entries, the profile."""

from __future__ import annotations

import pytest

from luna_core.journal.entries import day_label
from luna_core.journal.profile import FIELDS
from tests.apptest import button, click, no_errors, start, texts
from tests.conftest import open_luna

CRISIS = "I want to end my life tonight, I have the pills ready"


@pytest.fixture
def luna(tmp_path, embedder):
    """A Luna with the real embedding model, so that the crisis detector is the real one."""
    return open_luna(tmp_path, embedder=embedder)


def open_journal(luna, user):
    return no_errors(start(luna, user).switch_page("pages/journal.py").run())


def html_of(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def write(at, text, mood=None, feelings=()):
    """Fill in the new-entry form and save it."""
    if mood is not None:
        at = no_errors(at.toggle(key="jn_with_mood").set_value(True).run())
        at.select_slider(key="jn_mood").set_value(mood)
    at.text_area(key="jn_text").input(text)
    at.multiselect(key="jn_feelings").set_value(list(feelings))
    return click(at, "Save entry")


def test_an_entry_with_a_mood_and_feelings_is_saved_listed_and_charted(luna, tess):
    at = open_journal(luna, tess)
    assert "No entries yet" in texts(at) and "No mood check-ins yet" in texts(at)
    assert not at.get("vega_lite_chart")
    at = write(at, "A long walk by the river with **Sam**. ![the river](https://example.com/river.png) "
                   "[map](https://example.com/map)", mood=4, feelings=["calm", "hopeful"])
    [entry] = luna.journal.list(tess)
    assert (entry.mood, entry.feelings) == (4, ["calm", "hopeful"]) and entry.text.startswith("A long walk")
    page = texts(at)
    assert f"**{day_label(entry.entry_date)}** · 🙂 mood 4/5 (good)" in page and "Feelings: calm, hopeful" in page
    assert "Saved your entry" in page
    written = next(m.value for m in at.markdown if "A long walk" in m.value)
    assert "[image: the river]" in written and "![" not in written and "](https" not in written  # nothing fetched
    assert at.get("vega_lite_chart") and "No mood check-ins yet" not in texts(at)
    assert at.text_area(key="jn_text").value == "" and at.toggle(key="jn_with_mood").value is False  # a fresh form
    assert at.multiselect(key="jn_feelings").value == []


def test_a_refused_entry_keeps_what_was_typed(luna, tess):
    at = open_journal(luna, tess)
    at = click(at, "Save entry")
    assert "Write something, or choose a mood" in texts(at) and luna.journal.list(tess) == []
    at = write(at, "Words I don't want to lose", feelings=["calm", "so-so :("])
    assert "not a feeling word" in " ".join(e.value for e in at.error) and luna.journal.list(tess) == []
    assert at.text_area(key="jn_text").value == "Words I don't want to lose"
    at = write(at, "Words I don't want to lose", feelings=["calm", "so so"])  # a typed word of one's own
    assert [e.feelings for e in luna.journal.list(tess)] == [["calm", "so so"]]


def test_a_mood_only_check_in_is_charted_without_text(luna, tess):
    at = write(open_journal(luna, tess), "", mood=2)
    [entry] = luna.journal.list(tess)
    assert (entry.text, entry.mood) == ("", 2)
    assert at.get("vega_lite_chart") and "🙁 mood 2/5 (low)" in texts(at)


def test_a_crisis_entry_shows_the_resources_on_the_page_until_dismissed(luna, tess):
    at = write(open_journal(luna, tess), CRISIS)
    page = texts(at)
    assert "🛟 **Safety message**" in page and "sounds really painful" in page
    assert page.index("Safety message") < page.index("Your entries are yours alone")  # at the top
    assert 'href="tel:988"' in html_of(at) and "988 Suicide &amp; Crisis Lifeline" in html_of(at)
    assert luna.journal.list(tess)[0].crisis_level in ("high", "imminent")
    at = no_errors(at.run())  # still there after another rerun
    assert "Safety message" in texts(at)
    at = click(at, "I've read this, hide it")
    assert "Safety message" not in texts(at) and "988" not in html_of(at)


def test_another_entry_that_is_not_a_crisis_clears_the_resources(luna, tess):
    at = write(open_journal(luna, tess), CRISIS)
    assert "Safety message" in texts(at)
    at = write(at, "Made tea and called my sister. It helped a bit.", mood=3)
    assert "Safety message" not in texts(at)


def test_search_finds_an_entry_by_a_word_and_hides_the_others(luna, tess):
    luna.journal.add(tess, "Slept badly again, the neighbours were loud.", mood=2)
    luna.journal.add(tess, "Went swimming in the morning.", feelings=["proud"])
    at = open_journal(luna, tess)
    assert "Slept badly" in texts(at) and "swimming" in texts(at)
    at = no_errors(at.text_input(key="journal_search").input("SWIMMING").run())
    assert "swimming" in texts(at) and "Slept badly" not in texts(at) and "1 entry with" in texts(at)
    at = no_errors(at.text_input(key="journal_search").input("proud").run())  # a feeling word too
    assert "swimming" in texts(at) and "Slept badly" not in texts(at)
    at = no_errors(at.text_input(key="journal_search").input("zebra").run())
    assert "No entry contains “zebra”" in texts(at) and "swimming" not in texts(at)


def test_edit_changes_the_text_and_clears_the_mood(luna, tess):
    saved = luna.journal.add(tess, "First draft of my day.", mood=2, feelings=["tired", "foggy"])
    at = click(open_journal(luna, tess), "✏️ Edit")
    assert at.text_area(key="je_text").value == "First draft of my day."  # pre-filled
    assert at.toggle(key="je_with_mood").value is True and at.select_slider(key="je_mood").value == 2
    assert at.multiselect(key="je_feelings").value == ["tired", "foggy"]  # a word of one's own stays
    at.text_area(key="je_text").input("Second thoughts: the day was better than I said.")
    at = no_errors(at.toggle(key="je_with_mood").set_value(False).run())
    at = click(at, "Save changes")
    entry = luna.journal.get(tess, saved.entry.id)
    assert entry.text.startswith("Second thoughts") and entry.mood is None and entry.feelings == ["tired", "foggy"]
    page = texts(at)
    assert "Second thoughts" in page and "First draft" not in page and "no mood check-in" in page
    assert "Saved your changes" in page and not at.get("vega_lite_chart")  # no check-in left to chart


def test_an_edit_that_leaves_nothing_is_refused_in_the_dialog(luna, tess):
    saved = luna.journal.add(tess, "Keep me.")
    at = click(open_journal(luna, tess), "✏️ Edit")
    at.text_area(key="je_text").input("")
    at = click(at, "Save changes")
    assert "Write something, or choose a mood" in " ".join(e.value for e in at.error)
    assert luna.journal.get(tess, saved.entry.id).text == "Keep me." and "Save changes" in [b.label for b in at.button]


def test_delete_asks_first_then_removes_the_entry(luna, tess):
    saved = luna.journal.add(tess, "Something I'd rather not keep.", mood=1)
    at = click(open_journal(luna, tess), "🗑️ Delete")
    assert f"permanently removes your entry for **{day_label(saved.entry.entry_date)}**" in texts(at)
    at = click(at, "Cancel")
    assert len(luna.journal.list(tess)) == 1 and "Something I'd rather not keep." in texts(at)
    at = click(click(at, "🗑️ Delete"), "Delete permanently")
    assert luna.journal.list(tess) == [] and "Deleted your entry" in texts(at) and "No entries yet" in texts(at)


def test_another_persons_entries_never_appear(luna, tess):
    otto = luna.user("otto")
    luna.journal.add(otto, "Otto's private worry about the exam.", mood=1, feelings=["anxious"])
    mine = luna.journal.add(tess, "My own entry.", mood=5)
    at = open_journal(luna, tess)
    assert "My own entry." in texts(at) and "Otto" not in texts(at) and "very low" not in texts(at)
    assert "1 check-in;" in texts(at)  # the chart is drawn from tess's check-in only
    at = no_errors(at.text_input(key="journal_search").input("exam").run())
    assert "No entry contains" in texts(at) and "Otto" not in texts(at)
    assert [e.id for e in luna.journal.list(tess)] == [mine.entry.id]


def test_the_privacy_caption_names_the_companions_that_may_read(luna, tess):
    persona = luna.personas.create_from_scratch(tess, "Evening coach", "You are kind.")
    at = open_journal(luna, tess)
    assert "“Journal entries” for it (on for: none yet)" in texts(at)
    luna.personas.set_data_access(tess, persona.id, journal_entries=True)
    at = open_journal(luna, tess)
    assert "(on for: Evening coach)" in texts(at) and "“Mood check-ins” (on for: none yet)" in texts(at)


def open_profile(luna, user):
    return no_errors(start(luna, user).switch_page("pages/profile.py").run())


def test_about_me_saves_the_profile_and_shows_it_again(luna, tess):
    at = open_profile(luna, tess)
    assert [t.label for t in at.text_input] == ["Name to use", "Pronouns"]
    assert [t.label for t in at.text_area] == ["Goals", "What helps", "What to avoid"]
    at.text_input(key="profile_preferred_name").input("  Tess  ")
    at.text_input(key="profile_pronouns").input("she/her")
    at.text_area(key="profile_goals").input("Sleep before midnight.")
    at = click(at, "Save")
    profile = luna.profiles.get(tess)
    assert (profile.preferred_name, profile.pronouns, profile.goals, profile.what_helps) == \
        ("Tess", "she/her", "Sleep before midnight.", None)
    assert "Saved" in texts(at) and at.text_input(key="profile_preferred_name").value == "Tess"  # as stored
    again = open_profile(luna, tess)
    assert again.text_input(key="profile_pronouns").value == "she/her"
    assert again.text_area(key="profile_goals").value == "Sleep before midnight."
    again.text_area(key="profile_goals").input("")  # an emptied field is cleared
    click(again, "Save")
    assert luna.profiles.get(tess).goals is None and luna.profiles.get(tess).pronouns == "she/her"


def test_profile_fields_stop_at_the_limits_luna_keeps(luna, tess):
    """Luna refuses a field over its limit; the page never sends one: the browser stops typing at the
    limit, and Streamlit cuts whatever a client sends beyond it."""
    at = open_profile(luna, tess)
    assert {w.key: w.max_chars for w in [*at.text_input, *at.text_area]} == \
        {f"profile_{field}": limit for field, (_, limit) in FIELDS.items()}
    at.text_input(key="profile_pronouns").set_value("x" * 41)
    at = click(at, "Save")
    assert luna.profiles.get(tess).pronouns == "x" * 40 and not at.error


def test_journal_and_about_me_are_in_a_testers_sidebar(luna, tess):
    at = no_errors(start(luna, tess))
    links = " ".join(str(link.proto) for link in at.sidebar.get("page_link"))
    assert "Journal" in links and "About me" in links
    assert button(open_journal(luna, tess), "Save entry")


def test_a_crisis_entry_that_cannot_be_saved_still_shows_the_resources(luna, tess):
    at = write(open_journal(luna, tess), CRISIS, feelings=["f*cked"])  # a feeling word Luna refuses
    assert luna.journal.list(tess) == [] and "not a feeling word" in texts(at)
    assert 'href="tel:988"' in html_of(at)  # refused, but assessed first: the resources are there
