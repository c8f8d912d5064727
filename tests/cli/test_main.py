"""``python -m luna_core``: the commands and JSON keys of ../shared/CLI.md for personas, templates,
flags, users, db upgrade and import-legacy; exit codes; the database locked by another process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from luna_core.cli.main import main
from luna_core.store.migrations import MIGRATIONS
from tests.conftest import ROOT
from tests.personas.test_legacy import make_legacy

PERSONA_KEYS = {"id", "name", "prompt", "description", "category", "specialty", "therapeutic_focus",
                "template_id", "created_from", "icon", "color_theme", "is_favorite", "is_default",
                "chat_count", "dataset_count", "last_used", "created_at", "model", "temperature",
                "max_tokens", "top_p", "builtin_data_access"}
TEMPLATE_KEYS = {"id", "name", "specialty", "description", "prompt_template", "suggested_icon",
                 "color_theme", "default_settings", "category", "tags", "key_features", "best_for",
                 "version", "review_status"}


@pytest.fixture
def cli(tmp_path, capsys):
    """Run the CLI in-process on a temporary data folder; returns (exit code, parsed JSON, stderr)."""
    data_dir = str(tmp_path / "cli-data")

    def run(*args: str):
        code = main(["--data-dir", data_dir, *args, "--json"])
        out, err = capsys.readouterr()
        assert len(out.strip().splitlines()) == 1, out  # exactly one JSON document on stdout
        return code, json.loads(out), err

    return run


def test_db_upgrade_reports_applied_then_nothing(cli):
    code, result, _ = cli("db", "upgrade")
    assert code == 0 and result["schema_version"] == len(MIGRATIONS)
    assert result["applied"] == [m.__name__ for m in MIGRATIONS]
    assert cli("db", "upgrade")[1] == {"applied": [], "schema_version": len(MIGRATIONS)}


def test_templates_list_keys_and_filter(cli):
    code, templates, _ = cli("templates", "list")
    assert code == 0 and len(templates) >= 8
    assert set(templates[0]) == TEMPLATE_KEYS
    assert set(templates[0]["default_settings"]) == {"temperature", "max_tokens", "top_p"}
    assert [t["id"] for t in cli("templates", "list", "--specialty", "Meditation")[1]] == ["mindfulness-guide"]


def test_persona_commands(cli):
    code, created, _ = cli("--user", "tess", "personas", "create", "--template", "cbt-therapist",
                           "--name", "My CBT", "--temperature", "0.6")
    assert code == 0 and set(created) >= PERSONA_KEYS
    assert (created["template_id"], created["temperature"], created["created_from"]) == (
        "cbt-therapist", 0.6, "template")
    assert set(created["builtin_data_access"]) == {"journal_entries", "mood_data", "user_profile", "cloud_consent"}

    code, scratch, _ = cli("--user", "tess", "personas", "create", "--scratch", "--name", "Buddy",
                           "--prompt", "You are kind.", "--specialty", "Peer", "--category", "custom")
    assert code == 0 and (scratch["category"], scratch["specialty"]) == ("custom", "Peer")

    code, copy, _ = cli("--user", "tess", "personas", "duplicate", created["id"], "--name", "Copy")
    assert code == 0 and copy["created_from"] == "duplicate" and copy["prompt"] == created["prompt"]

    assert cli("--user", "tess", "personas", "favorite", copy["id"])[1]["is_favorite"] is True
    assert cli("--user", "tess", "personas", "favorite", copy["id"], "--off")[1]["is_favorite"] is False
    assert cli("--user", "tess", "personas", "set-specialty", copy["id"], "ACT")[1]["specialty"] == "ACT"

    listed = cli("--user", "tess", "personas", "list", "--category", "therapy")[1]
    assert [p["id"] for p in listed] == [copy["id"], created["id"]]
    assert cli("--user", "tess", "personas", "delete", copy["id"])[1] == {"deleted": copy["id"]}
    # another user sees only the built-ins
    assert {p["id"] for p in cli("--user", "otto", "personas", "list")[1]} == {"default-cloud", "default-local"}


@pytest.mark.parametrize("args, message", [
    (("personas", "delete", "default-local"), "default persona"),
    (("personas", "delete", "nope"), "no persona 'nope'"),
    (("personas", "create", "--scratch", "--name", "  ", "--prompt", "p"), "give the persona a name"),
    (("personas", "create", "--template", "nope", "--name", "X"), "no template 'nope'"),
    (("personas", "create", "--scratch", "--name", "X"), "needs --prompt"),
    (("personas", "frobnicate"), "invalid choice"),
    (("flags", "set", "NOPE", "on"), "no feature flag"),
    (("flags", "set", "PERSONA_DUPLICATION", "maybe"), "use 'on' or 'off'"),
    (("users", "add", "admin", "--role", "tester"), "already exists"),
    (("import-legacy", "/no/such/file.db"), "does not exist"),
])
def test_refused_requests_exit_2_with_a_json_error(cli, args, message):
    code, result, err = cli(*args)
    assert code == 2 and message in result["error"] and message in err
    assert "Traceback" not in err


def test_docs_add_refuses_a_file_over_the_limit_without_reading_it(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LUNA_MAX_UPLOAD_MB", "1")
    small, big = tmp_path / "note.md", tmp_path / "workbook.pdf"
    small.write_text("# Breathing\n\nBreathe in for four counts.\n")
    with big.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MB by its size, nothing written
    read, read_bytes = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or read_bytes(path))
    code, result, err = cli("docs", "add", str(big), str(small))
    assert code == 0 and [r["status"] for r in result] == ["error", "completed"]
    assert "workbook.pdf is 64.0 MB; the limit is 1 MB" in result[0]["error"]
    assert "Traceback" not in err and "workbook.pdf" not in read  # never read; the other file still added
    assert [d["name"] for d in cli("docs", "list")[1]] == ["note"]


def test_flags_and_users(cli):
    code, flags, _ = cli("flags", "set", "PERSONA_DUPLICATION", "on", "--percent", "25")
    flag = next(f for f in flags if f["name"] == "PERSONA_DUPLICATION")
    assert code == 0 and flag["enabled"] is True and flag["rollout_percent"] == 25 and flag["auto_rollback"] is False
    code, flags, _ = cli("flags", "set", "PERSONA_DUPLICATION", "on", "--auto-rollback", "on")
    flag = next(f for f in flags if f["name"] == "PERSONA_DUPLICATION")
    assert code == 0 and flag["auto_rollback"] is True and flag["rollout_percent"] == 25  # the percentage kept
    assert {f["name"] for f in cli("flags", "list")[1]} >= {"RAG_DOCUMENT_PROCESSING", "THERAPEUTIC_TEMPLATES"}
    code, user, _ = cli("users", "add", "clara", "--role", "clinician")
    assert code == 0 and user["role"] == "clinician" and "password_hash" not in user


def test_flag_off_refuses_through_the_cli(cli):
    cli("flags", "set", "PERSONA_DUPLICATION", "off")
    code, result, _ = cli("--user", "tess", "personas", "duplicate", "default-local", "--name", "X")
    assert code == 2 and "not available for your account" in result["error"]


def test_import_legacy(cli, tmp_path):
    path = str(make_legacy(tmp_path / "old.db"))
    assert cli("import-legacy", path)[1] == {"imported": 3, "skipped": 0, "refused": []}
    assert cli("import-legacy", path)[1] == {"imported": 0, "skipped": 3, "refused": []}


def test_import_legacy_reports_refused_rows(cli, tmp_path):
    bad = ("bad-1", "Hot", "Be kind.", None, None, "custom", None, None, 9.0, None, None, None, None, 0,
           None, None)
    code, result, err = cli("import-legacy", str(make_legacy(tmp_path / "old.db", [bad])))
    reason = "temperature must be between 0.0 and 2.0."
    assert code == 0 and result == {"imported": 0, "skipped": 1,
                                    "refused": [{"legacy_id": "bad-1", "name": "Hot", "reason": reason}]}
    assert f"bad-1 ('Hot') not imported: {reason}" in err


@pytest.mark.parametrize("args", [
    ("flags", "set", "PERSONA_DUPLICATION", "off"),
    ("users", "add", "mallory", "--role", "admin"),
    ("import-legacy", "LEGACY"),
])
def test_administrator_commands_refuse_a_tester(cli, tmp_path, args):
    legacy = str(make_legacy(tmp_path / "old.db"))
    code, result, err = cli("--user", "tess", *(legacy if a == "LEGACY" else a for a in args))
    assert code == 2 and "Only administrators can" in result["error"] and "'tess' has the tester role" in err
    assert "Traceback" not in err
    # nothing changed
    assert next(f for f in cli("flags", "list")[1] if f["name"] == "PERSONA_DUPLICATION")["enabled"] is True
    assert {u["name"] for u in cli("users", "list")[1]} == {"admin", "tess"}
    assert {p["id"] for p in cli("--user", "tess", "personas", "list")[1]} == {"default-cloud", "default-local"}
    assert all(not p["name"].startswith("Luna ☁️") for p in cli("personas", "list")[1])


def test_every_command_records_an_event_for_the_acting_user(cli, tmp_path):
    cli("--user", "tess", "personas", "list")
    cli("--user", "tess", "personas", "delete", "default-cloud")
    from luna_core.config import Settings
    from luna_core.luna import Luna
    luna = Luna.open(Settings.from_env({}, data_dir=tmp_path / "cli-data"))
    events = luna.events.list(user_id=luna.users.get("tess").id, name="cli_command")
    assert [(e["properties"]["command"], e["properties"]["exit_code"]) for e in events] == [
        ("personas list", 0), ("personas delete", 2)]
    assert all(e["duration_ms"] > 0 for e in events)


def _cli_process(data_dir, *args, timeout=0.3):
    env = {**os.environ, "LUNA_DATA_DIR": str(data_dir), "LUNA_DB_LOCK_TIMEOUT": str(timeout)}
    return subprocess.run([sys.executable, "-m", "luna_core", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_locked_database_gives_a_clear_message(tmp_path):
    data_dir = tmp_path / "locked"
    assert _cli_process(data_dir, "db", "upgrade").returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
         " print('held', flush=True); time.sleep(60)", str(data_dir / "luna.duckdb")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = _cli_process(data_dir, "personas", "create", "--scratch", "--name", "X", "--prompt", "p", "--json")
        assert done.returncode == 2
        assert "in use by another process" in json.loads(done.stdout)["error"]
        assert f"process {holder.pid}" in done.stderr and "Traceback" not in done.stderr
    finally:
        holder.kill()
        holder.wait()
    # once the holder is gone, the same command works and nothing half-written was left behind
    done = _cli_process(data_dir, "personas", "create", "--scratch", "--name", "X", "--prompt", "p", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["name"] == "X"


def test_human_output_without_json(tmp_path):
    done = _cli_process(tmp_path / "h", "templates", "list")
    assert done.returncode == 0 and "cbt-therapist" in done.stdout and not done.stdout.startswith("[")
