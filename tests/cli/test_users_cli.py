"""``python -m luna_core users ...``: accounts through the CLI (../shared/CLI.md), admins only; a
password comes only on stdin and is never printed or recorded; role and password changes and
disabling end the account's sessions."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from luna_core.accounts import SignInError
from luna_core.cli.main import main
from luna_core.config import Settings
from luna_core.luna import Luna
from tests.conftest import ROOT

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple battery horse correct"
ACCOUNT_KEYS = {"id", "name", "role", "created_at", "disabled"}


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "cli-data"


@pytest.fixture
def cli(data_dir, capsys, monkeypatch):
    """Run the CLI in-process with ``stdin``; returns (exit code, parsed JSON, stdout, stderr)."""
    def run(*args: str, stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(data_dir), *args, "--json"])
        out, err = capsys.readouterr()
        assert len(out.strip().splitlines()) == 1, out  # exactly one JSON document on stdout
        return code, json.loads(out), out, err

    return run


@pytest.fixture
def luna(cli, data_dir):
    """The same data folder, opened the way the app opens it (created by a first command)."""
    cli("db", "upgrade")
    return Luna.open(Settings.from_env({}, data_dir=data_dir))


def add_alice(cli, role: str = "clinician"):
    code, account, _, _ = cli("users", "add", "alice", "--role", role, "--password-stdin",
                              stdin=f"{PASSWORD}\nthe second line is not read\n")
    assert code == 0, account
    return account


def test_add_with_a_password_from_stdin_then_that_password_signs_in(cli, luna):
    account = add_alice(cli)
    assert set(account) == ACCOUNT_KEYS and (account["name"], account["role"], account["disabled"]) == (
        "alice", "clinician", False)
    user, token = luna.accounts.sign_in("alice", PASSWORD)
    assert user.id == account["id"] and luna.accounts.session_user(token) == user
    with pytest.raises(SignInError):  # only the first line is the password
        luna.accounts.sign_in("alice", "the second line is not read")
    listed = cli("users", "list")[1]
    assert {u["name"]: u["role"] for u in listed} == {"admin": "admin", "alice": "clinician"}
    assert all(set(u) == ACCOUNT_KEYS for u in listed)


def test_add_without_a_password_cannot_sign_in_until_one_is_set(cli, luna):
    code, account, _, _ = cli("users", "add", "bob", "--role", "tester")
    assert code == 0 and account["role"] == "tester"
    with pytest.raises(SignInError):
        luna.accounts.sign_in("bob", "")
    assert cli("users", "set-password", "bob", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    assert luna.accounts.sign_in("bob", PASSWORD)[0].name == "bob"


def test_set_role_ends_the_sessions_and_changes_the_role(cli, luna):
    add_alice(cli)
    _, token = luna.accounts.sign_in("alice", PASSWORD)
    code, account, _, _ = cli("users", "set-role", "alice", "admin")
    assert code == 0 and account["role"] == "admin"
    assert luna.accounts.session_user(token) is None
    assert luna.accounts.sign_in("alice", PASSWORD)[0].role == "admin"


def test_set_password_ends_the_sessions_and_only_the_new_password_works(cli, luna):
    add_alice(cli)
    _, token = luna.accounts.sign_in("alice", PASSWORD)
    code, account, _, _ = cli("users", "set-password", "alice", "--password-stdin", stdin=NEW_PASSWORD + "\r\n")
    assert code == 0 and set(account) == ACCOUNT_KEYS
    assert luna.accounts.session_user(token) is None
    with pytest.raises(SignInError):
        luna.accounts.sign_in("alice", PASSWORD)
    assert luna.accounts.sign_in("alice", NEW_PASSWORD)[0].name == "alice"


def test_disable_ends_the_sessions_and_prevents_sign_in(cli, luna):
    add_alice(cli)
    _, token = luna.accounts.sign_in("alice", PASSWORD)
    code, account, _, _ = cli("users", "disable", "alice")
    assert code == 0 and account["disabled"] is True
    assert luna.accounts.session_user(token) is None
    with pytest.raises(SignInError):
        luna.accounts.sign_in("alice", PASSWORD)
    assert next(u for u in cli("users", "list")[1] if u["name"] == "alice")["disabled"] is True


@pytest.mark.parametrize("args, stdin", [
    (("users", "add", "mallory", "--role", "admin", "--password-stdin"), PASSWORD + "\n"),
    (("users", "list"), ""),
    (("users", "set-role", "alice", "tester"), ""),
    (("users", "set-role", "tess", "admin"), ""),
    (("users", "set-password", "alice", "--password-stdin"), NEW_PASSWORD + "\n"),
    (("users", "disable", "alice"), ""),
])
def test_a_tester_is_refused_with_exit_2_and_nothing_changes(cli, luna, args, stdin):
    add_alice(cli)
    code, result, out, err = cli("--user", "tess", *args, stdin=stdin)
    assert code == 2 and "Only administrators can" in result["error"] and "'tess' has the tester role" in err
    assert "Traceback" not in err
    accounts = {u["name"]: (u["role"], u["disabled"]) for u in cli("users", "list")[1]}
    assert accounts == {"admin": ("admin", False), "alice": ("clinician", False), "tess": ("tester", False)}
    assert luna.accounts.sign_in("alice", PASSWORD)[0].role == "clinician"


@pytest.mark.parametrize("args, stdin, message", [
    (("users", "add", "alice", "--role", "tester", "--password-stdin"), "", "first line of stdin is empty"),
    (("users", "add", "alice", "--role", "tester", "--password-stdin"), "short\n", "at least 10 characters"),
    (("users", "add", "alice", "--role", "owner"), "", "invalid choice"),
    (("users", "set-password", "alice"), PASSWORD, "--password-stdin"),
    (("users", "set-role", "nobody", "tester"), "", "no account called 'nobody'"),
    (("users", "set-role", "admin", "tester"), "", "can't take the admin role from yourself"),
    (("users", "disable", "admin"), "", "can't disable your own account"),
])
def test_invalid_requests_exit_2_with_the_reason(cli, args, stdin, message):
    code, result, _, err = cli(*args, stdin=stdin)
    assert code == 2 and message in result["error"] and message in err and "Traceback" not in err


def test_the_password_is_never_printed_nor_recorded(cli, luna):
    printed = []
    for args, stdin in [(("users", "add", "alice", "--role", "tester", "--password-stdin"), PASSWORD + "\n"),
                        (("users", "add", "bob", "--role", "tester", "--password-stdin"), "too short\n"),
                        (("users", "set-password", "alice", "--password-stdin"), NEW_PASSWORD + "\n"),
                        (("--user", "tess", "users", "set-password", "alice", "--password-stdin"), PASSWORD + "\n"),
                        (("users", "list"), "")]:
        _, _, out, err = cli(*args, stdin=stdin)
        printed += [out, err]
    luna.accounts.sign_in("alice", NEW_PASSWORD)
    for secret in (PASSWORD, NEW_PASSWORD, "too short"):
        assert all(secret not in text for text in printed)
    events = luna.db.rows("SELECT name, properties FROM events")
    assert {"account_created", "password_changed", "cli_command", "sign_in"} <= {e["name"] for e in events}
    for secret in (PASSWORD, NEW_PASSWORD, "too short", "horse"):
        assert [e for e in events if secret in e["properties"]] == []
    stored = luna.db.rows("SELECT password_hash FROM users WHERE name = 'alice'")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and NEW_PASSWORD not in stored


def test_a_real_process_reads_the_password_from_its_stdin(data_dir):
    done = subprocess.run([sys.executable, "-m", "luna_core", "--data-dir", str(data_dir), "users", "add", "carol",
                           "--role", "tester", "--password-stdin", "--json"], input=PASSWORD + "\n", cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "carol" and PASSWORD not in done.stdout + done.stderr
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir))
    assert luna.accounts.sign_in("carol", PASSWORD)[0].name == "carol"
