"""The Chat page with AppTest, against the loopback Ollama llm_server: streamed reply with sources,
crisis resources first as a safety message, offline mode, feedback that stays, Retry, Regenerate,
edit and resend, the conversation list with search, export, and each persona's host status."""

from __future__ import annotations

import json

from tests.apptest import click, no_errors, start, texts
from tests.conftest import open_luna
from tests.fixture_docs import doc_path


def open_chat(luna, user, persona_id):
    at = start(luna, user)
    at.session_state["chat_with"] = persona_id
    return no_errors(at.switch_page("pages/chat.py").run())


def send(at, text):
    return no_errors(at.chat_input[0].set_value(text).run())


def html_of(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def sidebar_buttons(at) -> list[str]:
    return [b.label for b in at.sidebar.button]


def cbt_with_handout(tmp_path, embedder, llm_server):
    """(luna, user, persona): a CBT persona that uses the thought-record handout."""
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "cbt-therapist", name="CBT", model="llama3.2")
    luna.documents.add_file(user, "cbt_thought_record.md", doc_path("cbt_thought_record.md").read_bytes(),
                            persona_id=persona.id)
    return luna, user, persona


def test_a_grounded_answer_with_sources_feedback_and_regenerate(tmp_path, embedder, llm_server):
    luna, user, persona = cbt_with_handout(tmp_path, embedder, llm_server)
    at = open_chat(luna, user, persona.id)
    assert "Draws on 1 document: cbt_thought_record" in texts(at)
    at = send(at, "Help me with negative thoughts")
    page = texts(at)
    assert llm_server.reply in page
    assert "📚 **Sources:**" in page and "Personalised with your therapeutic materials" in page
    sources = [e.label for e in at.expander if "% match" in e.label]
    assert sources and all(label.startswith("cbt_thought_record · ") for label in sources)
    assert not any(".md" in label for label in sources)  # the document's name once, not its file name too
    assert any("Thought Record" in t.value for t in at.text)  # the passage behind a source
    assert 'class="luna-copy"' in html_of(at) and "thought record together" in html_of(at)
    message = luna.conversations.messages(user, luna.conversations.list(user)[0].id)[-1]
    at.get("feedback")[0].set_value(3).run()
    assert luna.conversations.messages(user, message.conversation_id)[-1].rating == 4
    assert "rated this answer 4 of 5" in " ".join(t.proto.body for t in at.toast)
    llm_server.reply = "A second, regenerated answer."
    at = click(at, "🔄 Regenerate")
    history = luna.conversations.messages(user, message.conversation_id)
    assert [m.role for m in history] == ["user", "assistant"] and history[-1].content == llm_server.reply
    assert len(llm_server.requests) == 2 and llm_server.requests[1]["messages"][-1]["content"] == "Help me with negative thoughts"


def test_ratings_are_shown_again_when_the_conversation_is_reopened(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    answer = luna.chat.ask(user, persona.id, "hello")
    luna.conversations.rate(user, answer.message_id, rating=4, helpful=True)
    at = open_chat(luna, user, persona.id)  # a new session: nothing in its widget state yet
    stars, thumbs = (f for f in at.get("feedback") if f.key != "survey_stars")
    assert stars.value == 3 and thumbs.value == 1
    assert "Your feedback: 4/5, helped · thank you" in texts(at)


def test_weak_matches_are_listed_but_not_called_personalised(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "sleep-coach", name="Sleep", model="llama3.2")
    luna.documents.add_file(user, "sleep_hygiene.md", doc_path("sleep_hygiene.md").read_bytes(), persona_id=persona.id)
    at = send(open_chat(luna, user, persona.id), "my manager criticised my report in front of everyone")
    message = luna.conversations.messages(user, luna.conversations.list(user)[0].id)[-1]
    assert all(s["relevance_score"] < 0.4 for s in message.sources)
    assert "Personalised" not in texts(at)


def test_crisis_reply_is_a_safety_message_with_tappable_resources(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "dbt-skills-coach", name="DBT", model="llama3.2")
    at = open_chat(luna, user, persona.id)
    assert "No documents linked yet" in texts(at) and "In an emergency call 911" in texts(at)
    at = send(at, "I am feeling overwhelmed and want to self-harm")
    page = texts(at)
    assert "🛟 **Safety message**" in page and llm_server.reply in page
    assert page.index("Safety message") < page.index(llm_server.reply)
    links = html_of(at)
    assert 'href="tel:988"' in links and 'href="sms:988"' in links and 'href="sms:741741?body=HOME"' in links
    assert not at.get("feedback") and "🔄 Regenerate" not in [b.label for b in at.button]  # nor the survey


def test_offline_mode_in_the_page(tmp_path, embedder):
    luna = open_luna(tmp_path, "http://127.0.0.1:9", embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_template(user, "sleep-coach", name="Sleep")
    luna.documents.add_file(user, "sleep_hygiene.md", doc_path("sleep_hygiene.md").read_bytes(), persona_id=persona.id)
    assert "chat runs in offline mode" in " ".join(c.value for c in start(luna, user).sidebar.caption)
    at = send(open_chat(luna, user, persona.id), "I wake up at 3am every night")
    page = texts(at)
    assert "I can't reach my language model" in page and "Offline" in page
    assert "Closest passages in your documents" in page and "Personalised" not in page
    message = luna.conversations.messages(user, luna.conversations.list(user)[0].id)[-1]
    # every passage once: as a source, never copied into the answer as well
    assert len([e for e in at.expander if "% match" in e.label]) == len(message.sources) > 0
    assert not any(s["content"][:40] in message.content for s in message.sources)


def test_a_cloud_persona_without_a_key_says_which_key_and_where(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    cloud = luna.personas.create_from_scratch(user, "Cloudy", "You are kind.", category="cloud")
    at = open_chat(luna, user, cloud.id)
    warning = " ".join(w.value for w in at.warning)
    assert "LUNA_CLOUD_API_KEY" in warning and ".streamlit/secrets.toml" in warning
    labels = at.selectbox(key="chat_persona").options
    assert any("Cloudy 🔴" in label for label in labels)
    at = send(at, "hello")
    assert "LUNA_CLOUD_API_KEY" in texts(at) and "OLLAMA_HOST" not in texts(at)
    assert llm_server.requests == []  # nothing was sent anywhere


def test_model_is_picked_from_the_hosts_list(tmp_path, embedder):
    from tests.fake_ollama import FakeOllama

    with FakeOllama(models=["llama3.2:latest", "qwen3:4b"]) as server:
        luna = open_luna(tmp_path, server.url, embedder)
        user = luna.user("tess")
        persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2:latest")
        at = open_chat(luna, user, persona.id)
        picker = at.selectbox(key=f"chat_model_{persona.id}")
        assert picker.options == ["llama3.2:latest", "qwen3:4b"]
        at = send(picker.set_value("qwen3:4b").run(), "hello")
        assert server.requests[-1]["model"] == "qwen3:4b"


def test_an_unanswered_message_offers_retry(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    luna.chat.prepare(user, persona.id, "are you there?")  # the page was left before the reply came
    at = open_chat(luna, user, persona.id)
    assert "This message has no reply yet." in texts(at)
    at = click(at, "🔁 Retry")
    history = luna.conversations.messages(user, luna.conversations.list(user)[0].id)
    assert [m.role for m in history] == ["user", "assistant"] and history[1].content == llm_server.reply
    assert "🔁 Retry" not in [b.label for b in at.button]


def test_edit_and_resend_the_last_message(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    answer = luna.chat.ask(user, persona.id, "helo, can you halp")
    at = open_chat(luna, user, persona.id)
    first = luna.conversations.messages(user, answer.conversation_id)[0]
    at.text_area(key=f"edit_{first.id}").set_value("hello, can you help").run()
    at = click(at, "Send edited message")
    history = luna.conversations.messages(user, answer.conversation_id)
    assert [m.content for m in history] == ["hello, can you help", llm_server.reply]


def test_conversations_with_the_same_title_each_open(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    ids = []
    for n in range(3):
        llm_server.reply = f"Answer number {n}."
        ids.append(luna.chat.ask(user, persona.id, "What are the signs of depression?").conversation_id)
    at = open_chat(luna, user, persona.id)
    assert sidebar_buttons(at).count("What are the signs of depression?") == 3
    for n, conversation_id in enumerate(ids):
        at = no_errors(at.button(key=f"open_{conversation_id}").click().run())
        assert f"Answer number {n}." in texts(at)
        assert not any(f"Answer number {m}." in texts(at) for m in range(3) if m != n)
    at.text_input(key=f"rename_{ids[2]}").set_value("Evening talk").run()
    at = click(at, "Save title")
    assert "Evening talk" in sidebar_buttons(at) and "Answer number 2." in texts(at)
    at = no_errors(at.button(key=f"open_{ids[1]}").click().run())
    assert "Answer number 1." in texts(at)


def test_conversation_list_search_and_titles(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    buddy = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    other = luna.personas.create_from_scratch(user, "Coach", "You are brisk.", model="llama3.2")
    first = luna.chat.ask(user, buddy.id, "I keep thinking about the argument with my sister last weekend")
    luna.conversations.rename(user, first.conversation_id, "I keep thinking about the argument with my sister")
    luna.chat.ask(user, buddy.id, "sleep has been hard")
    luna.chat.ask(user, other.id, "my sister called again")
    at = open_chat(luna, user, buddy.id)
    labels = sidebar_buttons(at)
    assert "I keep thinking about the…" in labels  # cut at a word, with an ellipsis
    at.sidebar.text_input(key="conv_search").set_value("sister").run()
    assert [b for b in sidebar_buttons(at) if b != "✨ New conversation"] == ["I keep thinking about the…"]
    assert "sister last weekend" in " ".join(c.value for c in at.sidebar.caption)
    at.sidebar.toggle(key="conv_all").set_value(True).run()
    found = [b for b in sidebar_buttons(at) if b != "✨ New conversation"]
    assert found == ["my sister called again", "I keep thinking about the…"]
    coach = luna.conversations.list(user, other.id)[0]
    at = no_errors(at.button(key=f"open_{coach.id}").click().run())
    assert at.selectbox(key="chat_persona").value == other.id  # a hit of another companion opens with it


def test_conversations_new_rename_delete_export(tmp_path, embedder, llm_server):
    luna = open_luna(tmp_path, llm_server.url, embedder)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    at = send(open_chat(luna, user, persona.id), "first chat")
    at = click(at, "✨ New conversation")
    at = send(at, "second chat")
    assert len(luna.conversations.list(user, persona.id)) == 2
    conversation = luna.conversations.list(user, persona.id)[0]
    exported = {d.proto.label: d for d in at.get("download_button")}
    assert set(exported) == {"⬇️ Markdown", "⬇️ JSON"}
    at.text_input(key=f"rename_{conversation.id}").set_value("Evening talk").run()
    at = click(at, "Save title")
    assert luna.conversations.get(user, conversation.id).title == "Evening talk"
    at = click(at, "Delete conversation")
    assert len(luna.conversations.list(user, persona.id)) == 1


def test_transcripts(tmp_path, embedder, llm_server):
    from luna_core.chat.transcript import to_json, to_markdown

    luna, user, persona = cbt_with_handout(tmp_path, embedder, llm_server)
    answer = luna.chat.ask(user, persona.id, "Help me with negative thoughts")
    luna.conversations.rate(user, answer.message_id, rating=5)
    conversation = luna.conversations.get(user, answer.conversation_id)
    messages = luna.conversations.messages(user, conversation.id)
    text = to_markdown(conversation, "CBT", messages)
    assert "## You ·" in text and "## CBT ·" in text and llm_server.reply in text and "your rating: 5/5" in text
    assert "- cbt_thought_record · " in text and "% match" in text
    data = json.loads(to_json(conversation, "CBT", messages))
    assert [m["role"] for m in data["messages"]] == ["user", "assistant"] and data["messages"][1]["rating"] == 5
    assert "content" not in data["messages"][1]["sources"][0]  # passage text stays in the library


def test_a_passage_that_starts_with_its_heading_does_not_repeat_it(tmp_path, embedder, llm_server):
    luna, user, persona = cbt_with_handout(tmp_path, embedder, llm_server)
    at = send(open_chat(luna, user, persona.id), "Help me with negative thoughts")
    sources = luna.conversations.messages(user, luna.conversations.list(user)[0].id)[-1].sources
    starting = [s for s in sources if s["section"] and s["content"].startswith(s["section"].split(" > ")[-1])]
    assert starting  # the handout's passages open with their heading
    captions = [c.value for c in at.caption]
    assert not any(c == s["section"] for s in starting for c in captions)
