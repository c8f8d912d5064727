"""The in-app survey: asked only after answers, at most once a week, dismissible; answers feed the KPIs."""

from __future__ import annotations

import pytest

from luna_core.errors import ValidationError
from tests.apptest import click, no_errors, start
from tests.conftest import open_luna


def test_survey_in_the_chat_page(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    tess = luna.users.add("tess", "tester")
    persona = luna.personas.create_from_scratch(tess, "Buddy", "You are kind.", model="llama3.2")
    assert not luna.survey.due(tess)  # no answers yet
    luna.chat.ask(tess, persona.id, "hello")
    assert luna.survey.due(tess) and not luna.survey.due(luna.user())  # testers only
    at = start(luna, tess)
    at.session_state["chat_with"] = persona.id
    at = no_errors(at.switch_page("pages/chat.py").run())
    at.get("feedback")[-1].set_value(3)  # the survey's stars come last on the page
    at.radio(key="survey_improved").set_value("Yes")
    at = click(at, "Send")
    [answer] = luna.events.list(user_id=tess.id, name="survey_answered")
    assert answer["properties"] == {"experience": 4, "improved": True}
    assert not luna.survey.due(tess)  # not again this week
    assert "survey_send" not in [b.key for b in no_errors(start(luna, tess).switch_page("pages/chat.py").run()).button]


def test_never_next_to_a_crisis_reply(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    tess = luna.users.add("tess", "tester")
    persona = luna.personas.create_from_scratch(tess, "Buddy", "You are kind.", model="llama3.2")
    luna.chat.ask(tess, persona.id, "I want to kill myself tonight")
    assert luna.survey.due(tess)
    at = start(luna, tess)
    at.session_state["chat_with"] = persona.id
    at = no_errors(at.switch_page("pages/chat.py").run())
    assert "survey_send" not in [b.key for b in at.button]


def test_dismissing_counts_as_asked_and_bad_answers_are_refused(luna):
    tess = luna.users.add("tess", "tester")
    luna.events.record(tess.id, "chat_answer", {})
    assert luna.survey.due(tess)
    luna.survey.dismiss(tess)
    assert not luna.survey.due(tess)
    with pytest.raises(ValidationError):
        luna.survey.answer(tess, 9, None)
    with pytest.raises(ValidationError):
        luna.survey.answer(tess, None, None)
