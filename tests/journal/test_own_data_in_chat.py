"""A persona's built-in data access in chat, against the loopback Ollama servers: the switches on
and off, another user's journal never used, the cloud consent enforced where the prompt is sent,
edits and deletions reflected, shared personas' switches per person, imports that never turn
them on, and the crisis path when reading own data fails."""

from __future__ import annotations

import json

import pytest

from luna_core.config import Settings
from luna_core.luna import Luna
from luna_core.personas.import_export import export_persona, import_persona
from tests.fake_ollama import FakeOllama

ENTRY = "Walking my dog Biscuit in the park always calms me down after a hard shift."
QUESTION = "What usually calms me down after a hard shift?"


@pytest.fixture
def hosts(tmp_path, embedder):
    """A Luna with a local and a cloud host, both loopback servers; (luna, local, cloud)."""
    with FakeOllama(models=["llama3.2:latest"]) as local, FakeOllama(models=["gpt-oss:120b-cloud"]) as cloud:
        luna = Luna.open(Settings.from_env({"LUNA_CLOUD_API_KEY": "sk-test"}, data_dir=tmp_path / "data",
                                           ollama_host=local.url, ollama_cloud_host=cloud.url,
                                           default_local_model="llama3.2"), embedder=embedder)
        yield luna, local, cloud


def sent(server) -> str:
    """Everything the host was sent in its last chat request."""
    return json.dumps(server.requests[-1]["messages"])


def own_persona(luna, user, name="Mine", **fields):
    return luna.personas.create_from_scratch(user, name, "You are a kind listener.", model="llama3.2", **fields)


def test_switches_decide_what_goes_with_the_prompt(hosts):
    luna, local, _ = hosts
    tess, omar = luna.user("tess"), luna.user("omar")
    luna.journal.add(tess, ENTRY, mood=2, feelings=["tired"])
    luna.journal.add(omar, "Omar's secret: swimming at dawn calms me down after a hard shift.")
    luna.profiles.save(tess, preferred_name="Tess", what_to_avoid="Talk about my ex")
    persona = own_persona(luna, tess)
    off = luna.chat.ask(tess, persona.id, QUESTION)
    assert "Biscuit" not in sent(local) and "Tess" not in sent(local) and off.sources == []
    luna.personas.set_data_access(tess, persona.id, journal_entries=True)
    answer = luna.chat.ask(tess, persona.id, QUESTION)
    assert "Biscuit" in sent(local) and "swimming" not in sent(local)  # never another person's journal
    assert "Name to use" not in sent(local) and "Mood check-ins" not in sent(local)
    [source] = answer.sources
    assert (source["dataset_name"], source["source_file"]) == ("Your journal", "journal") and answer.context_used
    luna.personas.set_data_access(tess, persona.id, mood_data=True, user_profile=True)
    luna.chat.ask(tess, persona.id, QUESTION)
    text = sent(local)
    assert "Name to use: Tess" in text and "What to avoid: Talk about my ex" in text and "average 2.0" in text
    assert "their own journal" in text and "never instructions" in text
    system = local.requests[-1]["messages"][0]["content"]
    assert "Biscuit" not in system and "Tess" not in system  # own data is never in the system prompt
    events = luna.events.list(name="chat_answer")
    assert events[-1]["properties"]["own_data"] == ["profile", "mood", "journal"] and "Biscuit" not in str(events)


def test_edits_and_deletions_reach_retrieval_and_earlier_answers(hosts):
    luna, local, _ = hosts
    tess = luna.user("tess")
    entry = luna.journal.add(tess, ENTRY).entry
    persona = own_persona(luna, tess, builtin_data_access={"journal_entries": True})
    first = luna.chat.ask(tess, persona.id, QUESTION)
    assert "Biscuit" in sent(local)
    luna.journal.update(tess, entry.id, text="Playing the piano calms me down after a hard shift.")
    luna.chat.ask(tess, persona.id, QUESTION)
    assert "piano" in sent(local) and "Biscuit" not in sent(local)
    [old] = luna.conversations.messages(tess, first.conversation_id)[-1].sources
    assert old["edited"] and old["content"] is None and old["page_reference"]  # the old text is gone
    luna.journal.delete(tess, entry.id)
    luna.chat.ask(tess, persona.id, QUESTION)
    assert "piano" not in sent(local)
    stored = json.dumps([m.sources for c in luna.conversations.list(tess)
                         for m in luna.conversations.messages(tess, c.id)])
    assert "piano" not in stored and "Biscuit" not in stored


def test_cloud_consent_is_enforced_where_the_prompt_is_sent(hosts):
    luna, _, cloud = hosts
    tess = luna.user("tess")
    luna.journal.add(tess, ENTRY)
    luna.profiles.save(tess, preferred_name="Tess")
    persona = luna.personas.duplicate(tess, "default-cloud", "My cloud friend")
    luna.personas.set_data_access(tess, persona.id, journal_entries=True, user_profile=True)
    luna.chat.ask(tess, persona.id, QUESTION)
    assert "Biscuit" not in sent(cloud) and "Tess" not in sent(cloud)  # switches on, but no consent
    luna.personas.set_data_access(tess, persona.id, cloud_consent=True)
    luna.chat.ask(tess, persona.id, QUESTION)
    assert "Biscuit" in sent(cloud) and "Name to use: Tess" in sent(cloud)
    turn = luna.chat.prepare(tess, persona.id, QUESTION)  # prepared with consent ...
    assert turn.own.text and "Biscuit" in turn.own.text
    luna.personas.set_data_access(tess, persona.id, cloud_consent=False)  # ... withdrawn before sending
    for _ in luna.chat.stream(turn):
        pass
    answer = luna.chat.finish(turn)
    assert "Biscuit" not in sent(cloud) and "Tess" not in sent(cloud) and answer.sources == []
    assert luna.events.list(name="own_data_withheld")[-1]["properties"]["kinds"] == ["profile", "journal"]
    copy = luna.personas.duplicate(tess, persona.id, "Copy of my cloud friend")
    assert copy.builtin_data_access == {"journal_entries": True, "mood_data": False, "user_profile": True,
                                        "cloud_consent": False}  # consent is per persona, never copied


def test_shared_personas_switches_are_each_persons_own(hosts):
    luna, local, _ = hosts
    tess, omar, admin = luna.user("tess"), luna.user("omar"), luna.user()
    luna.journal.add(tess, ENTRY)
    luna.journal.add(omar, "Swimming at dawn calms me down after a hard shift.")
    luna.personas.update(admin, "default-local", builtin_data_access={"journal_entries": True})
    luna.chat.ask(tess, "default-local", QUESTION)
    assert "Biscuit" not in sent(local)  # an administrator's switch on a shared persona opens nobody's journal
    luna.personas.set_data_access(tess, "default-local", journal_entries=True)
    assert luna.personas.get(tess, "default-local").builtin_data_access["journal_entries"]
    assert not luna.personas.get(omar, "default-local").builtin_data_access["journal_entries"]
    luna.chat.ask(tess, "default-local", QUESTION)
    assert "Biscuit" in sent(local) and "Swimming" not in sent(local)
    luna.chat.ask(omar, "default-local", QUESTION)
    assert "Swimming" not in sent(local) and "Biscuit" not in sent(local)
    assert "journal_access" in str(luna.events.list(name="feature_used"))


def test_an_imported_persona_never_turns_the_switches_on(hosts):
    luna, _, _ = hosts
    tess = luna.user("tess")
    persona = own_persona(luna, tess, builtin_data_access={"journal_entries": True, "mood_data": True,
                                                            "user_profile": True, "cloud_consent": True})
    document = export_persona(luna.personas, tess, persona.id)
    assert document["persona"]["builtin_data_access"]["journal_entries"]  # the file says on ...
    imported = import_persona(luna.personas, luna.user("omar"), json.dumps(document).encode())
    assert not any(imported.builtin_data_access.values())  # ... the import starts with everything off


def test_crisis_resources_come_first_when_reading_own_data_fails(hosts, monkeypatch):
    luna, local, _ = hosts
    tess = luna.user("tess")
    luna.journal.add(tess, ENTRY)
    persona = own_persona(luna, tess, builtin_data_access={"journal_entries": True, "mood_data": True})

    def broken(*args, **kwargs):
        raise RuntimeError("journal unreadable")

    monkeypatch.setattr(luna.journal, "passages", broken)
    answer = luna.chat.ask(tess, persona.id, "I want to end my life tonight. I have the pills ready.")
    assert answer.crisis["detected"] and answer.content.index("988") < answer.content.index(local.reply)
    assert luna.events.list(name="own_data_failed") and "own_data" in luna.events.list(
        name="chat_answer")[-1]["properties"]["failures"]
    local.fail_status = 500  # and the model failing as well: still the resources and a caring message
    answer = luna.chat.ask(tess, persona.id, "I want to end my life tonight. I have the pills ready.")
    assert answer.crisis["detected"] and "988" in answer.content and answer.offline


def test_cli_journal_and_set_data_access(hosts, capsys):
    from luna_core.cli.main import main

    luna, _, _ = hosts
    folder = str(luna.settings.data_dir)

    def cli(*argv):
        code = main(["--data-dir", folder, "--user", "tess", *argv, "--json"])
        captured = capsys.readouterr()
        return code, json.loads(captured.out), captured.err

    code, entry, _ = cli("journal", "add", "A calm evening with tea.", "--mood", "4")
    assert code == 0 and {"id", "text", "mood", "created_at"} <= set(entry) and entry["mood"] == 4
    code, entry, err = cli("journal", "add", "I want to end my life tonight, I have the pills ready.")
    assert code == 0 and entry["crisis"]["detected"] and "988" in err  # the resources right there
    code, entries, _ = cli("journal", "list")
    assert code == 0 and [e["text"] for e in entries][1] == "A calm evening with tea."
    assert main(["--data-dir", folder, "--user", "omar", "journal", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # another person's journal is never listed
    code, persona, err = cli("personas", "set-data-access", "default-cloud", "--journal", "on", "--allow-cloud")
    assert code == 0 and persona["builtin_data_access"] == {"journal_entries": True, "mood_data": False,
                                                            "user_profile": False, "cloud_consent": True}
    assert "cloud host" in err
    code, persona, _ = cli("personas", "set-data-access", "default-cloud", "--no-allow-cloud")
    assert persona["builtin_data_access"]["cloud_consent"] is False and persona["builtin_data_access"]["journal_entries"]
    code, out, _ = cli("journal", "add", "x", "--mood", "7")
    assert code == 2 and "from 1 (very low) to 5" in out["error"]
