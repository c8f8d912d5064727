"""Migrations: a fresh database gets the whole schema; a database left at any earlier migration
upgrades in place with every row and value kept."""

from __future__ import annotations

import datetime as dt

import pytest

from luna_core.store.db import Database
from luna_core.store.migrations import MIGRATIONS, upgrade

NAMES = [m.__name__ for m in MIGRATIONS]


def columns(db: Database, table: str) -> set[str]:
    return {r["column_name"] for r in db.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])}


def test_fresh_database_gets_every_migration_once(tmp_path):
    db = Database(tmp_path / "luna.duckdb", migrate=False)
    first = upgrade(db)
    assert first == {"applied": NAMES, "schema_version": len(NAMES)}
    assert upgrade(db) == {"applied": [], "schema_version": len(NAMES)}
    assert {"specialty", "therapeutic_focus", "template_id", "created_from", "color_theme", "tags",
            "builtin_data_access", "owner_id"} <= columns(db, "personas")
    for table in ("persona_templates", "users", "feature_flags", "events", "persona_user_state"):
        assert columns(db, table), table
    ids = [r["id"] for r in db.rows("SELECT id FROM personas ORDER BY id")]
    assert ids == ["default-cloud", "default-local"]


PERSONA_V1 = {
    "id": "legacy-1", "name": "Ünïcode — 日本語 🌙", "prompt": "Line one\nLine two\r\n\ttabbed 'quoted' \"dq\"",
    "description": "desc", "icon": "🧠", "category": "custom", "model": "llama3.2", "temperature": 0.33,
    "max_tokens": 777, "top_p": 0.81, "repeat_penalty": 1.23, "is_default": False,
    "created_at": dt.datetime(2025, 1, 2, 3, 4, 5), "updated_at": dt.datetime(2025, 2, 3, 4, 5, 6),
}


def insert(db: Database, table: str, row: dict) -> None:
    with db.connect() as con:
        con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()))


@pytest.mark.parametrize("stop_at", NAMES[:-1])
def test_upgrade_from_every_earlier_version_keeps_rows(tmp_path, stop_at):
    db = Database(tmp_path / "luna.duckdb", migrate=False)
    upgrade(db, until=stop_at)
    persona = dict(PERSONA_V1)
    present = columns(db, "personas")
    extras = {"specialty": "CBT", "therapeutic_focus": "worry", "template_id": "cbt-therapist",
              "created_from": "template", "color_theme": "#123456", "tags": '["a", "b"]',
              "builtin_data_access": '{"journal_entries": true, "mood_data": false, "user_profile": false}',
              "owner_id": "u-x", "template_version": 3, "suggested_models": '["m1"]',
              "stop_sequences": '["STOP"]', "legacy_id": "old-1"}
    persona.update({k: v for k, v in extras.items() if k in present})
    insert(db, "personas", persona)
    if columns(db, "users"):
        insert(db, "users", {"id": "u-x", "name": "xavier", "role": "clinician"})
    if columns(db, "events"):
        with db.connect() as con:
            con.execute("INSERT INTO events (user_id, name, properties) VALUES ('u-x', 'e', '{\"k\": 1}')")
    if columns(db, "feature_flags"):
        with db.connect() as con:
            con.execute("UPDATE feature_flags SET enabled = FALSE, rollout_percent = 25 "
                        "WHERE name = 'PERSONA_DUPLICATION'")

    result = upgrade(db)

    assert result["schema_version"] == len(NAMES)
    assert result["applied"] == NAMES[NAMES.index(stop_at) + 1:]
    row = db.rows("SELECT * FROM personas WHERE id = 'legacy-1'")[0]
    for key, value in persona.items():
        assert row[key] == value, key
    defaults = db.rows("SELECT id, name, prompt FROM personas WHERE is_default ORDER BY id")
    assert [d["id"] for d in defaults] == ["default-cloud", "default-local"]
    assert row["tags"] is not None and row["builtin_data_access"] is not None
    if NAMES.index(stop_at) >= NAMES.index("m005_create_users"):
        assert db.rows("SELECT role FROM users WHERE id = 'u-x'")[0]["role"] == "clinician"
    if NAMES.index(stop_at) >= NAMES.index("m010_create_feature_flags"):
        flag = db.rows("SELECT * FROM feature_flags WHERE name = 'PERSONA_DUPLICATION'")[0]
        assert (flag["enabled"], flag["rollout_percent"]) == (False, 25)
    if NAMES.index(stop_at) >= NAMES.index("m011_create_events"):
        assert db.rows("SELECT properties FROM events WHERE name = 'e'")[0]["properties"] == '{"k": 1}'


def test_failed_migration_leaves_no_trace(tmp_path, monkeypatch):
    db = Database(tmp_path / "luna.duckdb", migrate=False)
    upgrade(db, until=NAMES[-2])

    def broken(con):
        con.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk full")

    broken.__name__ = "m999_broken"
    monkeypatch.setattr("luna_core.store.migrations.runner.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        upgrade(db)
    assert not columns(db, "half_done")
    assert "m999_broken" not in [r["name"] for r in db.rows("SELECT name FROM schema_migrations")]
    assert NAMES[-1] in [r["name"] for r in db.rows("SELECT name FROM schema_migrations")]
