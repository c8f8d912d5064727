"""Two signed-in users cannot see or change each other's things, and another user's id is
refused exactly like an id that does not exist; nothing secret or typed reaches the logs."""

from __future__ import annotations

import logging

import pytest

from luna_core.errors import NotFoundError
from tests.conftest import open_luna
from tests.fixture_docs import doc_path

PASSWORD = "correct horse battery"


def refusal(action) -> str:
    with pytest.raises(NotFoundError) as refused:
        action()
    return str(refused.value)


def test_another_users_things_are_refused_like_unknown_ones(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    a = luna.accounts.add(None, "alex", "tester", PASSWORD)
    b = luna.accounts.add(None, "blair", "tester", PASSWORD)
    persona = luna.personas.create_from_scratch(b, "Blair's", "You are kind.", model="llama3.2")
    dataset = luna.documents.add_file(b, "grief.md", doc_path("grief_support.md").read_bytes(), persona_id=persona.id)
    answer = luna.chat.ask(b, persona.id, "hello")
    attempts = {
        "persona": (lambda: luna.personas.get(a, persona.id), lambda: luna.personas.get(a, "p-000000000000")),
        "persona change": (lambda: luna.personas.update(a, persona.id, name="Mine now"),
                           lambda: luna.personas.update(a, "p-000000000000", name="Mine now")),
        "dataset": (lambda: luna.library.get(a, dataset.dataset_id), lambda: luna.library.get(a, "ds-000000000000")),
        "dataset delete": (lambda: luna.library.delete(a, dataset.dataset_id),
                           lambda: luna.library.delete(a, "ds-000000000000")),
        "conversation": (lambda: luna.conversations.messages(a, answer.conversation_id),
                         lambda: luna.conversations.messages(a, "c-000000000000")),
        "rating": (lambda: luna.conversations.rate(a, answer.message_id, rating=1),
                   lambda: luna.conversations.rate(a, 10**9, rating=1)),
    }
    for what, (theirs, unknown) in attempts.items():
        assert refusal(theirs).replace(persona.id, "ID").replace(dataset.dataset_id, "ID") \
            .replace(answer.conversation_id, "ID") == refusal(unknown).replace("p-000000000000", "ID") \
            .replace("ds-000000000000", "ID").replace("c-000000000000", "ID"), what
    with pytest.raises(NotFoundError):
        luna.chat.ask(a, persona.id, "let me in")
    assert luna.personas.list(a) == [p for p in luna.personas.list(a) if p.owner_id in (None, a.id)]
    assert luna.library.list(a) == [] and luna.conversations.list(a) == []
    assert luna.personas.get(b, persona.id).name == "Blair's"  # nothing of B's changed
    assert luna.conversations.messages(b, answer.conversation_id)[-1].rating is None


def test_no_password_token_or_message_text_in_logs_or_events(tmp_path, embedder, llm_server, caplog):
    caplog.set_level(logging.DEBUG)
    luna = open_luna(tmp_path, llm_server.url, embedder)
    luna.accounts.add(None, "alex", "tester", PASSWORD)
    for attempt in ("a wrong password", PASSWORD):
        try:
            user, token = luna.accounts.sign_in("alex", attempt)
        except Exception:  # noqa: BLE001 - the wrong one fails, as it should
            continue
    persona = luna.personas.create_from_scratch(user, "Mine", "You are kind.", model="llama3.2")
    secret = "my very private sentence about my brother"
    luna.chat.ask(user, persona.id, secret)
    luna.accounts.sign_out(token)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    events = "\n".join(str(r) for r in luna.db.rows("SELECT name, properties FROM events"))
    for text in (PASSWORD, "a wrong password", token, secret):
        assert text not in logged and text not in events
    assert {"sign_in", "sign_in_failed", "sign_out"} <= {e["name"] for e in luna.events.list()}
