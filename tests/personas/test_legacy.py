"""Importing personas from an original Luna SQLite database, every value kept, once."""

from __future__ import annotations

import sqlite3

import pytest

from luna_core.errors import LegacyImportError, LunaError, PermissionDeniedError
from luna_core.personas.legacy import import_legacy

LEGACY_SCHEMA = """
CREATE TABLE personas (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, prompt TEXT NOT NULL, description TEXT, icon TEXT,
  category TEXT, default_model TEXT, suggested_models TEXT, temperature REAL, maxTokens INTEGER,
  topP REAL, repeatPenalty REAL, stopSequences TEXT, is_default INTEGER DEFAULT 0,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP, updated_at TEXT DEFAULT CURRENT_TIMESTAMP)
"""
ROWS = [
    ("default-cloud", "Luna ☁️ Cloud", "Custom cloud prompt\nwith a second line", "cloud desc", "☁️", "cloud",
     "gpt-4o", '["gpt-4o","gpt-4o-mini"]', 0.8, 2048, 0.95, 1.05, '["\\n\\nUser:"]', 1,
     "2025-06-01 10:00:00", "2025-06-02 11:00:00"),
    ("default-local", "Luna Local", "Local prompt", None, "🏠", "local", "llama3", None, 0.7, 1024,
     0.9, 1.1, None, 1, "2025-06-01 10:00:00", "2025-06-01 10:00:00"),
    ("p-42", "Zoë – ‘quotes’ 日本語 🧘", "Tabs\tand\r\nCRLF and trailing spaces   \n\n", "✨ emoji desc",
     "🧘", "custom", "mistral", '["mistral"]', 0.25, 333, 0.5, 1.3, '["###"]', 0,
     "2025-07-04T12:30:45.123Z", "2025-07-05T08:00:00Z"),
]


def make_legacy(path, rows=ROWS):
    con = sqlite3.connect(path)
    con.execute(LEGACY_SCHEMA)
    con.executemany(f"INSERT INTO personas VALUES ({', '.join('?' * 16)})", rows)
    con.commit()
    con.close()
    return path


BUILTIN_COLUMNS = "id, owner_id, is_default, name, prompt, description, icon, category, model, temperature"


def builtins(luna):
    return luna.db.rows(f"SELECT {BUILTIN_COLUMNS} FROM personas WHERE owner_id IS NULL ORDER BY id")


def test_imports_every_persona_with_every_value_and_only_once(luna, admin, tmp_path):
    path = make_legacy(tmp_path / "luna.db")
    assert import_legacy(luna.personas, admin, path) == {"imported": 3, "skipped": 0, "refused": []}
    assert import_legacy(luna.personas, admin, path) == {"imported": 0, "skipped": 3, "refused": []}

    rows = {r["legacy_id"]: r for r in luna.db.rows("SELECT * FROM personas WHERE legacy_id IS NOT NULL")}
    for legacy in ROWS:
        row = rows[legacy[0]]
        assert row["name"].encode() == legacy[1].encode()
        assert row["prompt"].encode() == legacy[2].encode()
        assert row["description"] == legacy[3] and row["icon"] == legacy[4] and row["category"] == legacy[5]
        assert row["model"] == legacy[6] and row["suggested_models"] == legacy[7]
        assert (row["temperature"], row["max_tokens"], row["top_p"], row["repeat_penalty"]) == legacy[8:12]
        assert row["stop_sequences"] == legacy[12]
        # the original's defaults become the importer's own, deletable personas
        assert row["owner_id"] == admin.id and row["is_default"] is False
    assert str(rows["p-42"]["created_at"]) == "2025-07-04 12:30:45.123000"
    assert rows["p-42"]["id"] == "p-42"
    listed = {p.id: p for p in luna.personas.list(admin)}
    assert listed["p-42"].name == ROWS[2][1] and listed[rows["default-cloud"]["id"]].name == ROWS[0][1]
    assert luna.personas.delete(admin, rows["default-cloud"]["id"]) == rows["default-cloud"]["id"]


def test_never_rewrites_a_builtin_or_creates_a_shared_persona(luna, admin, tester, tmp_path):
    before = builtins(luna)
    default_ids = [r["id"] for r in before if r["is_default"]]
    assert default_ids  # Luna ships default personas; their ids are the ones to collide with
    clashing = [(pid, f"Old {pid}", "Rewritten prompt", None, "🤖", "custom", "llama3", None, 0.1, 100,
                 0.5, 1.0, None, 1, None, None) for pid in default_ids]
    path = make_legacy(tmp_path / "clash.db", clashing)
    assert import_legacy(luna.personas, admin, path)["imported"] == len(default_ids)

    assert builtins(luna) == before
    imported = luna.db.rows("SELECT id, owner_id, is_default FROM personas WHERE legacy_id IS NOT NULL")
    assert len(imported) == len(default_ids)
    assert all(r["owner_id"] == admin.id and not r["is_default"] for r in imported)
    assert not {r["id"] for r in imported} & set(default_ids)
    # nothing imported is shared: a tester still sees only the built-ins
    assert {p.id for p in luna.personas.list(tester)} == {r["id"] for r in before}


def test_clashing_id_of_a_non_default_gets_a_new_id(luna, tmp_path):
    ada, bo = luna.users.add("ada", "admin"), luna.users.add("bo", "admin")
    first = make_legacy(tmp_path / "a.db", [ROWS[2]])
    import_legacy(luna.personas, ada, first)
    assert import_legacy(luna.personas, bo, first) == {"imported": 1, "skipped": 0, "refused": []}
    theirs = [p for p in luna.personas.list(bo) if p.name == ROWS[2][1]]
    assert len(theirs) == 1 and theirs[0].id != "p-42" and theirs[0].owner_id == bo.id
    assert luna.personas.get(ada, "p-42").owner_id == ada.id


def test_a_tester_or_clinician_may_not_import(luna, tester, tmp_path):
    path = make_legacy(tmp_path / "luna.db")
    for user in (tester, luna.users.add("clara", "clinician")):
        with pytest.raises(PermissionDeniedError, match="Only administrators can import personas"):
            import_legacy(luna.personas, user, path)
    assert not luna.db.rows("SELECT id FROM personas WHERE legacy_id IS NOT NULL")


def legacy_row(pid, name="Fine", prompt="Be kind.", category="custom", temperature=0.7, max_tokens=512,
               top_p=0.9, repeat_penalty=1.1):
    return (pid, name, prompt, None, None, category, "llama3", None, temperature, max_tokens, top_p,
            repeat_penalty, None, 0, None, None)


INVALID = [
    {"name": "N" * 81}, {"name": "   "}, {"prompt": " \n "}, {"prompt": "p" * 8001},
    {"category": "astrology"}, {"temperature": 2.5}, {"top_p": 0.0}, {"repeat_penalty": 3.0},
    {"max_tokens": 8}, {"name": "Luna (Private)"},
]


@pytest.mark.parametrize("bad", INVALID, ids=[next(iter(b)) + str(i) for i, b in enumerate(INVALID)])
def test_an_invalid_row_is_refused_with_the_persona_services_reason(luna, admin, tmp_path, bad):
    fields = {"name": "Bad one", "prompt": "Be kind.", **bad}
    with pytest.raises(LunaError) as refused_by_service:
        luna.personas.create_from_scratch(admin, **fields)
    path = make_legacy(tmp_path / "bad.db", [legacy_row("ok-1"), legacy_row("bad-1", **fields)])

    result = import_legacy(luna.personas, admin, path)
    assert result == {"imported": 1, "skipped": 1, "refused": [
        {"legacy_id": "bad-1", "name": fields["name"], "reason": str(refused_by_service.value)}]}
    assert [r["legacy_id"] for r in luna.db.rows("SELECT legacy_id FROM personas WHERE legacy_id IS NOT NULL")] \
        == ["ok-1"]


def test_text_in_a_number_column_and_duplicate_names_are_refused(luna, admin, tmp_path):
    rows = [legacy_row("hot", temperature="very hot"), legacy_row("a", name="Twin"), legacy_row("b", name="twin")]
    result = import_legacy(luna.personas, admin, make_legacy(tmp_path / "odd.db", rows))
    assert (result["imported"], result["skipped"]) == (1, 2)
    reasons = {r["legacy_id"]: r["reason"] for r in result["refused"]}
    assert reasons["hot"].startswith("A setting is not a number")
    assert reasons["b"] == "You already have a persona called 'twin'; please choose another name."


@pytest.mark.parametrize("content, message", [
    (b"", "no original Luna 'personas' table"),
    (b"this is not sqlite at all" * 100, "not a readable SQLite database"),
])
def test_bad_files_get_clear_errors(luna, admin, tmp_path, content, message):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(LegacyImportError, match=message):
        import_legacy(luna.personas, admin, path)


def test_missing_file(luna, admin, tmp_path):
    with pytest.raises(LegacyImportError, match="does not exist"):
        import_legacy(luna.personas, admin, tmp_path / "nope.db")
