"""My data: the export holds everything of one person's and nothing of anyone else's; deleting the
account needs its password and then leaves nothing of it in any table, folder or vector index,
while another person's things stay whole."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import pytest

from luna_core.accounts import SignInError
from luna_core.accounts.mydata import DATA_FILE, delete_account, export_my_data
from luna_core.errors import PermissionDeniedError
from luna_core.store.migrations import DEFAULT_PROMPT_LOCAL
from tests.conftest import open_luna
from tests.fixture_docs import doc_path

PASSWORD = "correct horse battery"
USER_COLUMNS = ("user_id", "owner_id", "created_by_user", "created_by", "used_by", "updated_by")


@dataclass
class Person:
    user: object
    persona: object
    datasets: list[str]
    conversation_id: str
    message: str
    files: dict[str, bytes]  # the handout's name and bytes (a second upload is the test's own)


def person(luna, user, handout: str, message: str, second: tuple[str, bytes] | None = None) -> Person:
    """A user with a companion, its documents (one or two uploads), a rated conversation and a
    favourite built-in companion."""
    persona = luna.personas.create_from_scratch(user, f"Companion of {user.name}", "You are kind.", model="llama3.2")
    files = {handout: doc_path(handout).read_bytes()}
    datasets = [luna.documents.add_file(user, handout, files[handout], persona_id=persona.id)]
    if second:
        datasets.append(luna.documents.add_file(user, second[0], second[1], persona_id=persona.id))
    assert [d.status for d in datasets] == ["completed"] * len(datasets)
    answer = luna.chat.ask(user, persona.id, message)
    luna.conversations.rate(user, answer.message_id, rating=4, helpful=True)
    luna.personas.set_favorite(user, "default-local")
    return Person(user, persona, [d.dataset_id for d in datasets], answer.conversation_id, message, files)


@pytest.fixture
def luna(tmp_path, embedder, llm_server):
    return open_luna(tmp_path, llm_server.url, embedder)


@pytest.fixture
def people(luna):
    """Ada joined with an invite and has two uploads called grief_support.md; Bo was added."""
    code = luna.accounts.create_invite(luna.user(), "tester")
    ada = luna.accounts.accept_invite(code, "ada-mydata", PASSWORD)
    bo = luna.accounts.add(None, "bo-mydata", "tester", password=PASSWORD)
    other_grief = ("grief_support.md", doc_path("mindfulness_practices.md").read_bytes())
    return (person(luna, ada, "grief_support.md", "I keep thinking about my grandmother.", other_grief),
            person(luna, bo, "sleep_hygiene.md", "I can't fall asleep before 3am."))


def chunk_ids(luna, dataset_ids: list[str]) -> set[int]:
    marks = ", ".join("?" * len(dataset_ids))
    return {r["id"] for r in luna.db.rows(f"SELECT id FROM document_chunks WHERE dataset_id IN ({marks})", dataset_ids)}


def snapshot(luna) -> dict[str, list]:
    """Every row of every table (vectors left out), to tell whether anything changed."""
    tables = [r["table_name"] for r in luna.db.rows("SELECT table_name FROM information_schema.tables"
                                                    " WHERE table_schema = 'main' ORDER BY table_name")]
    return {t: sorted(map(str, luna.db.rows(f'SELECT * EXCLUDE (embedding) FROM "{t}"' if t == "document_chunks"
                                            else f'SELECT * FROM "{t}"'))) for t in tables}


def text_columns(luna) -> list[tuple[str, str]]:
    return [(r["table_name"], r["column_name"]) for r in luna.db.rows(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        " AND data_type = 'VARCHAR' ORDER BY table_name, column_name")]


def test_the_export_holds_my_things_and_files_and_nothing_of_anyone_else(luna, people):
    ada, bo = people
    archive = zipfile.ZipFile(io.BytesIO(export_my_data(luna, ada.user)))
    assert sorted(archive.namelist()) == sorted([DATA_FILE, "uploads/grief_support.md",
                                                 "uploads/grief_support (2).md"])
    assert archive.read("uploads/grief_support.md") == ada.files["grief_support.md"]
    assert archive.read("uploads/grief_support (2).md") == doc_path("mindfulness_practices.md").read_bytes()
    text = archive.read(DATA_FILE).decode()
    data = json.loads(text)
    assert data["account"] == {**ada.user.to_dict(), "created_at": ada.user.created_at.isoformat()}
    assert [p["id"] for p in data["personas"]] == [ada.persona.id]
    assert data["personas"][0]["prompt"] == "You are kind."
    favourite = next(s for s in data["persona_state"] if s["persona_id"] == "default-local")
    assert favourite["is_favorite"] is True
    assert {d["id"] for d in data["datasets"]} == set(ada.datasets)
    assert {d["file"] for d in data["datasets"]} == {"uploads/grief_support.md", "uploads/grief_support (2).md"}
    grief = next(d for d in data["datasets"] if d["file"] == "uploads/grief_support.md")
    assert grief["chunks"] and "grief" in " ".join(c["content"] for c in grief["chunks"]).lower()
    assert {(link["persona_id"], link["dataset_id"]) for link in data["document_links"]} == {
        (ada.persona.id, d) for d in ada.datasets}
    [conversation] = data["conversations"]
    assert conversation["id"] == ada.conversation_id
    assert [m["role"] for m in conversation["messages"]] == ["user", "assistant"]
    assert conversation["messages"][0]["content"] == ada.message
    assert (conversation["messages"][1]["rating"], conversation["messages"][1]["helpful"]) == (4, True)
    assert {"account_created", "persona_created", "document_uploaded"} <= {e["name"] for e in data["events"]}
    assert data["tables"] == {"journal_chunks": [], "journal_entries": [], "user_profiles": []}  # swept generically
    # nothing of Bo's, nothing secret, no built-in's internals
    for foreign in (bo.user.id, bo.user.name, bo.persona.id, bo.conversation_id, bo.message, *bo.datasets,
                    "sleep_hygiene", DEFAULT_PROMPT_LOCAL, PASSWORD, "password_hash", "token_hash", "code_hash",
                    "\"file_path\"", "\"embedding\""):
        assert foreign not in text
    assert [e["properties"] for e in luna.events.list(user_id=ada.user.id, name="data_exported")] == [
        {"files": 2, "datasets": 2, "conversations": 1}]


def test_a_wrong_password_deletes_nothing(luna, people):
    ada, _ = people
    before = snapshot(luna)
    for wrong in ("", "correct horse", PASSWORD.upper()):
        with pytest.raises(PermissionDeniedError, match="password is not right"):
            delete_account(luna, ada.user, wrong)
    assert snapshot(luna) == before
    assert (luna.settings.uploads_dir / ada.user.id).is_dir()
    assert luna.accounts.sign_in("ada-mydata", PASSWORD)[0].id == ada.user.id


def test_deleting_leaves_nothing_of_mine_anywhere_and_everything_of_theirs(luna, people):
    ada, bo = people
    _, token = luna.accounts.sign_in("ada-mydata", PASSWORD)
    ada_chunks, bo_chunks = chunk_ids(luna, ada.datasets), chunk_ids(luna, bo.datasets)
    assert ada_chunks and ada_chunks <= set(luna.index.ids().tolist())
    counts = delete_account(luna, ada.user, PASSWORD)
    assert {k: counts[k] for k in ("personas", "datasets", "conversations", "messages", "files", "invites")} == {
        "personas": 1, "datasets": 2, "conversations": 1, "messages": 2, "files": 2, "invites": 1}
    assert counts["chunks"] == len(ada_chunks) and counts["sessions"] >= 1 and counts["events"] > 5

    # no row keeps Ada's id in a user column, nor any of her ids or what she wrote in any text column
    for table, column in text_columns(luna):
        if column in USER_COLUMNS:
            assert luna.db.rows(f'SELECT 1 FROM "{table}" WHERE "{column}" = ?', [ada.user.id]) == [], (table, column)
        for mine in (ada.user.id, ada.user.name, ada.persona.id, ada.conversation_id, ada.message, *ada.datasets):
            hits = luna.db.rows(f'SELECT 1 FROM "{table}" WHERE strpos("{column}", ?) > 0', [mine])
            assert hits == [], (table, column, mine)
    assert chunk_ids(luna, ada.datasets) == set()
    assert luna.db.rows("SELECT 1 FROM messages WHERE conversation_id = ?", [ada.conversation_id]) == []
    assert not (luna.settings.uploads_dir / ada.user.id).exists()
    assert ada_chunks.isdisjoint(luna.index.ids().tolist())
    assert luna.accounts.session_user(token) is None
    with pytest.raises(SignInError):
        luna.accounts.sign_in("ada-mydata", PASSWORD)
    assert [(e["user_id"], e["properties"]) for e in luna.events.list(name="account_deleted")] == [(None, {})]

    # Bo's things are whole and still work
    assert luna.personas.get(bo.user, bo.persona.id).name == "Companion of bo-mydata"
    assert chunk_ids(luna, bo.datasets) == bo_chunks and bo_chunks <= set(luna.index.ids().tolist())
    stored = luna.db.rows("SELECT file_path FROM datasets WHERE id = ?", bo.datasets)[0]["file_path"]
    assert (luna.settings.data_dir / stored).read_bytes() == bo.files["sleep_hygiene.md"]
    passages = luna.retriever.retrieve(bo.user, bo.persona, "how can I sleep better", record=False)
    assert passages and {p.dataset_id for p in passages} == set(bo.datasets)
    [message] = [m for m in luna.conversations.messages(bo.user, bo.conversation_id) if m.role == "assistant"]
    assert (message.rating, message.helpful) == (4, True)
    assert luna.personas.get(bo.user, "default-local").is_favorite
    assert luna.accounts.sign_in("bo-mydata", PASSWORD)[0].id == bo.user.id


def test_the_vector_index_rebuilt_from_the_database_has_none_of_my_chunks(luna, people, tmp_path, embedder, llm_server):
    ada, bo = people
    ada_chunks = chunk_ids(luna, ada.datasets)
    delete_account(luna, ada.user, PASSWORD)
    reopened = open_luna(tmp_path, llm_server.url, embedder)
    reopened.index.ensure_current()
    held = set(reopened.index.ids().tolist())
    assert ada_chunks.isdisjoint(held) and chunk_ids(reopened, bo.datasets) <= held


def test_the_local_administrator_and_the_last_administrator_are_not_deletable(luna):
    with pytest.raises(PermissionDeniedError, match="own administrator account cannot be deleted"):
        delete_account(luna, luna.user(), PASSWORD)
    dana = luna.accounts.add(None, "dana", "admin", password=PASSWORD)
    with pytest.raises(PermissionDeniedError, match="last administrator who can sign in"):
        delete_account(luna, dana, PASSWORD)
    eli = luna.accounts.add(None, "eli", "admin", password=PASSWORD)
    assert delete_account(luna, dana, PASSWORD)["personas"] == 0
    assert [u.name for u in luna.users.list()] == ["admin", "eli"]
    with pytest.raises(PermissionDeniedError, match="last administrator"):
        delete_account(luna, eli, PASSWORD)


def test_an_administrators_events_about_me_keep_what_happened_without_my_id(luna):
    admin = luna.user()
    cleo = luna.accounts.add(admin, "cleo", "tester", password=PASSWORD)
    luna.accounts.set_role(admin, "cleo", "clinician")
    delete_account(luna, cleo, PASSWORD)
    kept = {e["name"]: e["properties"] for e in luna.events.list(user_id=admin.id)}
    assert kept["account_created"] == {"user_id": None, "role": "tester"}
    assert kept["role_changed"] == {"user_id": None, "from": "tester", "to": "clinician"}
