"""The Chat page with AppTest, against the loopback Ollama llm_server: streamed reply with sources,
crisis resources first, offline mode, feedback, regenerate, conversations."""

from __future__ import annotations

from tests.apptest import click, no_errors, start, texts
from tests.conftest import open_luna
from tests.fixture_docs import doc_path


def open_chat(luna, user, persona_id):
    at = start(luna, user)
    at.session_state["chat_with"] = persona_id
    return no_errors(at.switch_page("pages/chat.py").run())


def send(at, text):
    return no_errors(at.chat_input[0].set_value(text).run())


def test_a_grounded_answer_with_sources_feedback_and_regenerate(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "cbt-therapist", name="CBT", model="llama3.2")
    luna.documents.add_file(user, "cbt_thought_record.md", doc_path("cbt_thought_record.md").read_bytes(),
                            persona_id=persona.id)
    at = open_chat(luna, user, persona.id)
    assert "Draws on 1 document: cbt_thought_record" in texts(at)
    at = send(at, "Help me with negative thoughts")
    page = texts(at)
    assert llm_server.reply in page
    assert "Based on your documents" in page and "Personalised response using your therapeutic materials" in page
    sources = [e.label for e in at.expander if "% match" in e.label]
    assert sources and "cbt_thought_record.md" in sources[0]
    assert any("Thought Record" in t.value for t in at.text)  # the passage behind a source
    message = luna.conversations.messages(user, luna.conversations.list(user)[0].id)[-1]
    at.get("feedback")[0].set_value(3).run()
    assert luna.conversations.messages(user, message.conversation_id)[-1].rating == 4
    llm_server.reply = "A second, regenerated answer."
    at = click(at, "🔄 Regenerate")
    history = luna.conversations.messages(user, message.conversation_id)
    assert [m.role for m in history] == ["user", "assistant"] and history[-1].content == llm_server.reply
    assert len(llm_server.requests) == 2 and llm_server.requests[1]["messages"][-1]["content"] == "Help me with negative thoughts"


def test_crisis_message_shows_resources_first(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "dbt-skills-coach", name="DBT", model="llama3.2")
    at = open_chat(luna, user, persona.id)
    assert "No documents linked yet" in texts(at) and "In an emergency call 911" in texts(at)
    at = send(at, "I am feeling overwhelmed and want to self-harm")
    answer = [m.value for m in at.markdown if llm_server.reply in m.value]
    assert len(answer) == 1 and "988" in answer[0]
    assert answer[0].index("988") < answer[0].index(llm_server.reply)


def test_offline_mode_in_the_page(tmp_path, embedder):
    luna = open_luna(tmp_path, "http://127.0.0.1:9", embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "sleep-coach", name="Sleep")
    luna.documents.add_file(user, "sleep_hygiene.md", doc_path("sleep_hygiene.md").read_bytes(), persona_id=persona.id)
    assert "chat runs in offline mode" in " ".join(c.value for c in start(luna, user).sidebar.caption)
    at = send(open_chat(luna, user, persona.id), "I wake up at 3am every night")
    page = texts(at)
    assert "I can't reach my language model" in page and "Offline" in page
    assert "Based on your documents" in page


def test_conversations_new_rename_delete(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    at = send(open_chat(luna, user, persona.id), "first chat")
    at.selectbox(key=f"conv_{persona.id}").select(None).run()
    at = send(at, "second chat")
    assert len(luna.conversations.list(user, persona.id)) == 2
    conversation = luna.conversations.list(user, persona.id)[0]
    at.text_input(key=f"rename_{conversation.id}").set_value("Evening talk").run()
    at = click(at, "Save title")
    assert luna.conversations.get(user, conversation.id).title == "Evening talk"
    at = click(at, "Delete conversation")
    assert len(luna.conversations.list(user, persona.id)) == 1
