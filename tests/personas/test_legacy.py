"""Importing personas from an original Luna SQLite database, every value kept, once."""

from __future__ import annotations

import sqlite3

import pytest

from luna_core.errors import LegacyImportError
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


def test_imports_every_persona_with_every_value_and_only_once(luna, tester, tmp_path):
    path = make_legacy(tmp_path / "luna.db")
    assert import_legacy(luna.db, luna.events, tester, path) == {"imported": 3, "skipped": 0}
    assert import_legacy(luna.db, luna.events, tester, path) == {"imported": 0, "skipped": 3}

    rows = {r["legacy_id"]: r for r in luna.db.rows("SELECT * FROM personas WHERE legacy_id IS NOT NULL")}
    for legacy in ROWS:
        row = rows[legacy[0]]
        assert row["name"].encode() == legacy[1].encode()
        assert row["prompt"].encode() == legacy[2].encode()
        assert row["description"] == legacy[3] and row["icon"] == legacy[4] and row["category"] == legacy[5]
        assert row["model"] == legacy[6] and row["suggested_models"] == legacy[7]
        assert (row["temperature"], row["max_tokens"], row["top_p"], row["repeat_penalty"]) == legacy[8:12]
        assert row["stop_sequences"] == legacy[12] and row["is_default"] == bool(legacy[13])
    assert str(rows["p-42"]["created_at"]) == "2025-07-04 12:30:45.123000"
    # the original defaults are Luna's defaults: updated in place, still shared and undeletable
    assert rows["default-cloud"]["id"] == "default-cloud" and rows["default-cloud"]["owner_id"] is None
    assert rows["p-42"]["owner_id"] == tester.id
    listed = {p.id: p for p in luna.personas.list(tester)}
    assert listed["p-42"].name == ROWS[2][1] and listed["default-cloud"].name == ROWS[0][1]


def test_clashing_id_of_a_non_default_gets_a_new_id(luna, tester, other_tester, tmp_path):
    first = make_legacy(tmp_path / "a.db", [ROWS[2]])
    import_legacy(luna.db, luna.events, tester, first)
    assert import_legacy(luna.db, luna.events, other_tester, first) == {"imported": 1, "skipped": 0}
    theirs = [p for p in luna.personas.list(other_tester) if p.name == ROWS[2][1]]
    assert len(theirs) == 1 and theirs[0].id != "p-42" and theirs[0].owner_id == other_tester.id
    assert luna.personas.get(tester, "p-42").owner_id == tester.id


@pytest.mark.parametrize("content, message", [
    (b"", "no original Luna 'personas' table"),
    (b"this is not sqlite at all" * 100, "not a readable SQLite database"),
])
def test_bad_files_get_clear_errors(luna, tester, tmp_path, content, message):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(LegacyImportError, match=message):
        import_legacy(luna.db, luna.events, tester, path)


def test_missing_file(luna, tester, tmp_path):
    with pytest.raises(LegacyImportError, match="does not exist"):
        import_legacy(luna.db, luna.events, tester, tmp_path / "nope.db")
