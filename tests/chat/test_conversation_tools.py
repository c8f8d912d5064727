"""The core behind the chat page's tools: search with snippets, edit-and-resend, a cloud persona
without its key, a model chosen for one turn, and the crisis block split for display."""

from __future__ import annotations

import pytest

from luna_core.chat.conversations import snippet
from luna_core.safety.resources import crisis_block, crisis_message, resources_for, split_crisis_block
from tests.conftest import open_luna


def test_search_finds_titles_and_messages_of_the_users_own_conversations(tmp_path, llm_server):
    luna = open_luna(tmp_path, llm_server.url)
    tess, otto = luna.user("tess"), luna.user("otto")
    buddy = luna.personas.create_from_scratch(tess, "Buddy", "You are kind.", model="llama3.2")
    coach = luna.personas.create_from_scratch(tess, "Coach", "You are brisk.", model="llama3.2")
    first = luna.chat.ask(tess, buddy.id, "My SISTER and I argued about the wedding")
    luna.chat.ask(tess, coach.id, "work is fine")
    theirs = luna.personas.create_from_scratch(otto, "Mine", "You are kind.", model="llama3.2")
    luna.chat.ask(otto, theirs.id, "my sister is visiting")
    hits = luna.conversations.search(tess, "sister")
    assert [h.conversation.id for h in hits] == [first.conversation_id]
    assert "SISTER and I argued" in hits[0].snippet
    assert luna.conversations.search(tess, "sister", persona_id=coach.id) == []
    assert len(luna.conversations.search(tess, "  ")) == 2  # no query: every conversation, newest first
    luna.conversations.rename(tess, first.conversation_id, "Wedding plans")
    assert [h.snippet for h in luna.conversations.search(tess, "wedding plans")] == [None]  # a title-only match


def test_snippet_is_cut_around_the_match():
    text = "word " * 40 + "the needle is here " + "more " * 40
    cut = snippet(text, "NEEDLE")
    assert "the needle is here" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) <= 92
    assert snippet("nothing to see", "needle") is None


def test_delete_from_drops_a_message_and_what_follows(tmp_path, llm_server):
    luna = open_luna(tmp_path, llm_server.url)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    answer = luna.chat.ask(user, persona.id, "one")
    luna.chat.ask(user, persona.id, "two", answer.conversation_id)
    second = luna.conversations.messages(user, answer.conversation_id)[2]
    luna.conversations.delete_from(user, answer.conversation_id, second.id)
    assert [m.content for m in luna.conversations.messages(user, answer.conversation_id)] == ["one", llm_server.reply]
    with pytest.raises(Exception, match="no conversation"):
        luna.conversations.delete_from(luna.user("otto"), answer.conversation_id, 0)


def test_a_cloud_persona_without_a_key_says_so_and_sends_nothing(tmp_path, llm_server):
    luna = open_luna(tmp_path, llm_server.url)
    user = luna.user("tess")
    cloud = luna.personas.create_from_scratch(user, "Cloudy", "You are kind.", category="cloud")
    assert "LUNA_CLOUD_API_KEY" in luna.chat.setup_problem(cloud)
    answer = luna.chat.ask(user, cloud.id, "hello")
    assert answer.offline and "LUNA_CLOUD_API_KEY" in answer.content and "OLLAMA_HOST" not in answer.content
    # the crisis path does not depend on the host: resources first, a caring message under them
    crisis = luna.chat.ask(user, cloud.id, "I want to kill myself tonight")
    assert crisis.crisis["detected"] and crisis.content.index("988") < crisis.content.index("LUNA_CLOUD_API_KEY")
    assert llm_server.requests == []
    local = luna.personas.create_from_scratch(user, "Local", "You are kind.", model="llama3.2")
    assert luna.chat.setup_problem(local) is None


def test_a_model_chosen_for_one_turn(tmp_path, llm_server):
    luna = open_luna(tmp_path, llm_server.url)
    user = luna.user("tess")
    persona = luna.personas.create_from_scratch(user, "Buddy", "You are kind.", model="llama3.2")
    turn = luna.chat.prepare(user, persona.id, "hello", model="llama3.2:latest")
    list(luna.chat.stream(turn))
    assert llm_server.requests[-1]["model"] == "llama3.2:latest" and luna.chat.finish(turn).model == "llama3.2:latest"
    assert luna.personas.get(user, persona.id).model == "llama3.2"  # the persona itself is unchanged


@pytest.mark.parametrize("for_other", [False, True])
def test_a_stored_crisis_reply_splits_into_its_block_and_the_rest(for_other):
    block = crisis_block("UK", "high", for_other=for_other)
    stored = block.markdown + "\n\nI'm here with you."
    assert split_crisis_block(stored, "UK", "high") == (block, "I'm here with you.")
    assert split_crisis_block("Just an answer.", "UK", "high") == (None, "Just an answer.")
    assert split_crisis_block(stored, "UK", None) == (None, stored)
    assert crisis_message("UK", "high", for_other) == block.markdown


def test_every_named_service_has_a_link_a_phone_can_open():
    for region in ("US", "UK", "IE", "CA", "AU", "NZ"):
        for resource in resources_for(region):
            assert resource.links, resource
            assert all(uri.split(":")[0] in ("tel", "sms", "https") for _, uri in resource.links)
    assert ("Call 116 123", "tel:116123") in resources_for("UK")[0].links
    assert [uri for _, uri in resources_for("IE")[2].links] == ["tel:112", "tel:999"]
