"""The journal, mood check-ins and profile: each person's alone, validated, crisis-checked, embedded
in step with edits and deletions, and failing safe when the model does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from luna_core.errors import NotFoundError, ValidationError
from luna_core.journal.entries import day_label
from tests.conftest import open_luna


@pytest.fixture
def luna(tmp_path, embedder):
    return open_luna(tmp_path, embedder=embedder)


def test_entries_are_each_persons_own(luna):
    tess, other = luna.user("tess"), luna.user("omar")
    saved = luna.journal.add(tess, "Walked by the river and felt lighter.", mood=4, feelings=["Calm", "hopeful"])
    luna.journal.add(other, "Omar's own day.")
    assert [e.id for e in luna.journal.list(tess)] == [saved.entry.id]
    assert saved.entry.feelings == ["calm", "hopeful"] and saved.entry.mood == 4
    for action in (lambda: luna.journal.get(other, saved.entry.id), lambda: luna.journal.delete(other, saved.entry.id),
                   lambda: luna.journal.update(other, saved.entry.id, text="mine now")):
        with pytest.raises(NotFoundError, match="no journal entry"):  # refused exactly like an unknown id
            action()
    assert luna.journal.get(tess, saved.entry.id).text.startswith("Walked")
    assert luna.journal.passages(other, "river walk") == []


@pytest.mark.parametrize("fields, message", [
    ({"text": "   "}, "Write something, or choose a mood"),
    ({"text": "ok", "mood": 0}, r"from 1 \(very low\) to 5"),
    ({"text": "ok", "mood": 6}, r"from 1 \(very low\) to 5"),
    ({"text": "ok", "mood": "x"}, r"from 1 \(very low\) to 5"),
    ({"text": "ok", "mood": True}, r"from 1 \(very low\) to 5"),
    ({"text": "ok", "feelings": ["a", "b", "c", "d", "e", "f"]}, "at most 5 feeling words"),
    ({"text": "ok", "feelings": ["<script>"]}, "not a feeling word"),
    ({"text": "x" * 20_001}, "takes up to 20,000"),
    ({"text": "ok", "entry_date": date.today() + timedelta(days=3)}, "in the future"),
])
def test_bad_entries_are_refused_and_nothing_is_kept(luna, fields, message):
    tess = luna.user("tess")
    with pytest.raises(ValidationError, match=message):
        luna.journal.add(tess, **fields)
    assert luna.journal.list(tess) == [] and luna.db.rows("SELECT count(*) AS n FROM journal_chunks")[0]["n"] == 0


def test_a_mood_check_in_needs_no_text_and_summarises(luna):
    tess = luna.user("tess")
    today = date.today()
    for days_ago, mood, feelings in ((3, 2, ["anxious", "tired"]), (1, 4, ["calm"]), (0, 3, ["anxious"])):
        luna.journal.add(tess, mood=mood, feelings=feelings, entry_date=today - timedelta(days=days_ago))
    luna.journal.add(tess, "An old low day.", mood=1, entry_date=today - timedelta(days=40))
    summary = luna.journal.mood_summary(tess, days=14)
    assert summary.startswith("Mood check-ins over the last 14 days (1 = very low, 5 = very good): 3, average 3.0")
    assert f"lowest 2 on {day_label(today - timedelta(days=3))}" in summary
    assert f"most recent 3 on {day_label(today)}" in summary and "anxious (2), calm (1), tired (1)" in summary
    assert [m["mood"] for m in luna.journal.moods(tess)] == [1, 2, 4, 3]
    assert luna.journal.mood_summary(luna.user("omar")) is None


def test_search_finds_words_and_feelings_and_escapes_wildcards(luna):
    tess = luna.user("tess")
    luna.journal.add(tess, "Talked to my sister about the move.", feelings=["hopeful"])
    luna.journal.add(tess, "100% tired today.")
    assert [e.text for e in luna.journal.list(tess, search="SISTER")] == ["Talked to my sister about the move."]
    assert len(luna.journal.list(tess, search="hopeful")) == 1
    assert [e.text for e in luna.journal.list(tess, search="100%")] == ["100% tired today."]
    assert luna.journal.list(tess, search="%") == [e for e in luna.journal.list(tess) if "%" in e.text]
    assert luna.journal.list(tess, search="[") == [] and luna.journal.list(tess, search='", "') == []


def test_passages_follow_edits_and_deletions(luna):
    tess = luna.user("tess")
    entry = luna.journal.add(tess, "Walking my dog Biscuit in the park always calms me down.").entry
    [found] = luna.journal.passages(tess, "what calms me down when I'm stressed?")
    assert found.dataset_name == "Your journal" and found.page_reference == day_label(entry.entry_date)
    assert "Biscuit" in found.content and found.dataset_id == f"journal:{entry.id}"
    luna.journal.update(tess, entry.id, text="Painting watercolours in the evening helps me unwind.")
    [found] = luna.journal.passages(tess, "what helps me unwind in the evening?")
    assert "watercolours" in found.content
    assert not any("Biscuit" in p.content for p in luna.journal.passages(tess, "walking my dog in the park", k=5))
    luna.journal.delete(tess, entry.id)
    assert luna.journal.passages(tess, "painting watercolours") == []
    assert luna.db.rows("SELECT count(*) AS n FROM journal_chunks")[0]["n"] == 0


def test_an_entry_is_kept_when_the_model_fails_and_embedded_later(luna, monkeypatch):
    tess = luna.user("tess")
    real = luna.journal.embedder.embed

    def broken(texts):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(luna.journal.embedder, "embed", broken)
    entry = luna.journal.add(tess, "Baking bread on Sunday gave me a quiet, good feeling.").entry
    assert luna.journal.get(tess, entry.id).text.startswith("Baking")  # nothing the person wrote is lost
    assert luna.db.rows("SELECT indexed FROM journal_entries")[0]["indexed"] is False
    monkeypatch.setattr(luna.journal.embedder, "embed", real)
    assert "bread" in luna.journal.passages(tess, "baking bread on Sunday")[0].content
    assert luna.db.rows("SELECT indexed FROM journal_entries")[0]["indexed"] is True


def test_a_crisis_entry_is_assessed_and_the_check_fails_safe(luna, monkeypatch):
    tess = luna.user("tess")
    saved = luna.journal.add(tess, "I can't go on. I want to end my life tonight, I have the pills ready.")
    assert saved.assessment.crisis and saved.entry.crisis_level in ("high", "imminent")
    calm = luna.journal.add(tess, "A long, tiring day at work, but dinner with friends was nice.")
    assert not calm.assessment.crisis
    friend = luna.journal.add(tess, "My friend texted that he will kill himself tonight. What do I do?")
    assert friend.assessment.crisis and friend.assessment.for_other
    again = luna.journal.update(tess, friend.entry.id, mood=2)  # only the mood changed
    assert again.assessment.crisis and again.assessment.for_other  # still framed for a helper

    def broken(message, earlier):
        raise RuntimeError("detector down")

    monkeypatch.setattr(luna.detector, "assess_turn", broken)
    unknown = luna.journal.add(tess, "Nothing much happened today.")
    assert unknown.assessment.crisis is False  # the rules alone still read it: no risk words
    monkeypatch.setattr("luna_core.safety.detector._RULES_ONLY.assess_turn", broken)
    blind = luna.journal.add(tess, "Nothing much happened today.")
    assert blind.assessment.crisis  # no check could run: resources rather than silence
    assert "I can't go on" not in str(luna.events.list(name="journal_entry_added"))  # events never hold text


def test_crisis_passages_only_in_a_crisis_turn(luna):
    tess = luna.user("tess")
    luna.journal.add(tess, "My safety plan: when the urges come I call my sister and use the 5-4-3-2-1 grounding.")
    luna.journal.add(tess, "The doctor changed my sertraline dose to 100 mg last week.")
    crisis = luna.journal.passages(tess, "I want to take all my pills tonight", k=5, crisis=True, threshold=0.0)
    assert crisis and all("sertraline" not in p.content for p in crisis)
    assert any("sertraline" in p.content for p in luna.journal.passages(tess, "my sertraline dose", k=5))


def test_profile_is_optional_validated_and_own(luna):
    tess, omar = luna.user("tess"), luna.user("omar")
    assert luna.profiles.get(tess).empty and luna.profiles.get(tess).as_text() is None
    profile = luna.profiles.save(tess, preferred_name="  Tess  ", pronouns="she/her", what_helps="Slow breathing")
    assert profile.as_text() == "Name to use: Tess\nPronouns: she/her\nWhat helps: Slow breathing"
    assert luna.profiles.save(tess, pronouns="").pronouns is None  # an empty value clears a field
    with pytest.raises(ValidationError, match="Goals takes up to 1,000"):
        luna.profiles.save(tess, goals="x" * 1001)
    with pytest.raises(ValidationError, match="Unknown profile field"):
        luna.profiles.save(tess, password="x")
    assert luna.profiles.get(tess).preferred_name == "Tess" and luna.profiles.get(omar).empty


def test_a_crisis_turn_never_brings_back_the_persons_own_crisis_writing(luna):
    tess = luna.user("tess")
    own = luna.journal.add(tess, "I had the urge to cut again tonight, the razor blade is still in my drawer. "
                                 "Calm down, breathe.")
    assert own.assessment.crisis
    plan = luna.journal.add(tess, "My safety plan: when the urges come I breathe slowly and call my sister.")
    found = luna.journal.passages(tess, "I want to cut myself tonight", k=5, crisis=True, threshold=0.0)
    assert [p.dataset_id for p in found] == [f"journal:{plan.entry.id}"]


def test_a_refused_crisis_entry_still_carries_its_assessment(luna, capsys):
    tess = luna.user("tess")
    with pytest.raises(ValidationError) as refused:
        luna.journal.add(tess, "I want to end my life tonight, I have the pills ready.", feelings=["f*cked"])
    assert refused.value.assessment.crisis and luna.journal.list(tess) == []
    from luna_core.cli.main import main

    code = main(["--data-dir", str(luna.settings.data_dir), "--user", "tess", "journal", "add",
                 "I want to end my life tonight, I have the pills ready.", "--mood", "9"])
    assert code == 2 and "988" in capsys.readouterr().err


def test_profile_fields_given_as_none_are_empty(luna):
    tess = luna.user("tess")
    assert luna.profiles.save(tess, preferred_name=None, pronouns=None, goals=None).empty


def test_a_refused_persona_edit_changes_no_data_access(luna):
    tess = luna.user("tess")
    luna.personas.create_from_scratch(tess, "Alpha", "You are kind.")
    beta = luna.personas.create_from_scratch(tess, "Beta", "You are kind.")
    with pytest.raises(Exception, match="already have a persona called 'Alpha'"):
        luna.personas.update(tess, beta.id, name="Alpha", builtin_data_access={"journal_entries": True})
    assert not luna.personas.get(tess, beta.id).builtin_data_access["journal_entries"]
