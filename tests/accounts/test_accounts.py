"""Accounts through the service: passwords, sessions and their timeouts, revocation, invites and
the first-start setup code; no secret in any event."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from luna_core.accounts.service import SIGN_IN_FAILED, SignInError, token_hash
from luna_core.errors import PermissionDeniedError, ValidationError

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(luna):
    return luna.accounts


def test_sign_in_and_one_message_for_every_failure(luna, accounts, admin):
    accounts.add(admin, "tess", "tester", PASSWORD)
    user, token = accounts.sign_in("TESS", PASSWORD)  # names ignore case
    assert user.name == "tess" and accounts.session_user(token) == user
    for name, password in (("tess", "wrong password"), ("nobody", PASSWORD), ("admin", "")):
        with pytest.raises(SignInError) as refused:
            accounts.sign_in(name, password)
        assert str(refused.value) == SIGN_IN_FAILED
    stored = luna.db.rows("SELECT password_hash FROM users WHERE name = 'tess'")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert luna.db.rows("SELECT token_hash FROM sessions")[0]["token_hash"] == token_hash(token)
    text = " ".join(str(r) for r in luna.db.rows("SELECT * FROM events"))
    assert PASSWORD not in text and token not in text and "wrong password" not in text
    assert [e["name"] for e in luna.events.list() if e["name"].startswith("sign_in")].count("sign_in_failed") == 3


def test_an_old_hash_is_replaced_at_the_next_sign_in(luna, accounts, admin):
    from argon2 import PasswordHasher

    user = accounts.add(admin, "tess", "tester")
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with luna.db.connect() as con:
        con.execute("UPDATE users SET password_hash = ? WHERE id = ?", [weak, user.id])
    accounts.sign_in("tess", PASSWORD)
    assert luna.db.rows("SELECT password_hash FROM users WHERE id = ?", [user.id])[0]["password_hash"] != weak


def test_idle_and_absolute_timeouts(luna, accounts, admin):
    accounts.add(admin, "tess", "tester", PASSWORD)
    _, idle = accounts.sign_in("tess", PASSWORD)
    _, old = accounts.sign_in("tess", PASSWORD)
    with luna.db.connect() as con:
        con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                    [datetime.now() - timedelta(minutes=31), token_hash(idle)])
        con.execute("UPDATE sessions SET created_at = ? WHERE token_hash = ?",
                    [datetime.now() - timedelta(hours=13), token_hash(old)])
    assert accounts.session_user(idle) is None and accounts.session_user(old) is None
    assert accounts.session_user("made-up-token") is None and accounts.session_user(None) is None


def test_sessions_end_at_sign_out_password_and_role_change_and_disable(luna, accounts, admin):
    accounts.add(admin, "tess", "tester", PASSWORD)
    sessions = [accounts.sign_in("tess", PASSWORD)[1] for _ in range(3)]
    assert accounts.sign_out_others(luna.users.get("tess"), sessions[0]) == 2
    assert [accounts.session_user(t) is not None for t in sessions] == [True, False, False]
    accounts.sign_out(sessions[0])
    assert accounts.session_user(sessions[0]) is None
    _, token = accounts.sign_in("tess", PASSWORD)
    accounts.set_password(admin, "tess", "a new long password")
    assert accounts.session_user(token) is None
    _, token = accounts.sign_in("tess", "a new long password")
    accounts.set_role(admin, "tess", "clinician")
    assert accounts.session_user(token) is None
    _, token = accounts.sign_in("tess", "a new long password")
    accounts.disable(admin, "tess")
    assert accounts.session_user(token) is None
    with pytest.raises(SignInError):
        accounts.sign_in("tess", "a new long password")


def test_own_password_change_needs_the_current_one_and_only_admins_change_others(luna, accounts, admin):
    tess = accounts.add(admin, "tess", "tester", PASSWORD)
    otto = accounts.add(admin, "otto", "tester", PASSWORD)
    with pytest.raises(PermissionDeniedError, match="current password"):
        accounts.set_password(tess, "tess", "a new long password", current="wrong")
    accounts.set_password(tess, "tess", "a new long password", current=PASSWORD)
    root = accounts.add(admin, "root", "admin", PASSWORD)
    with pytest.raises(PermissionDeniedError, match="current password"):  # a stolen admin session can't keep the account
        accounts.set_password(root, "root", "a new long password")
    for refused in (lambda: accounts.set_password(tess, "otto", "a new long password"),
                    lambda: accounts.set_role(tess, "tess", "admin"), lambda: accounts.disable(tess, "otto"),
                    lambda: accounts.create_invite(tess, "tester"), lambda: accounts.add(tess, "eve", "admin", PASSWORD)):
        with pytest.raises(PermissionDeniedError, match="Only administrators"):
            refused()
    with pytest.raises(ValidationError, match="at least 10"):
        accounts.set_password(admin, "otto", "short")
    assert otto.role == "tester"


def test_invites_work_once_for_their_role(luna, accounts, admin):
    code = accounts.create_invite(admin, "clinician", days=7)
    assert luna.db.rows("SELECT code_hash FROM invites")[0]["code_hash"] == token_hash(code)
    with pytest.raises(ValidationError):
        accounts.accept_invite(code, "dr-lee", "short")
    accounts.add(admin, "taken", "tester")
    with pytest.raises(Exception, match="already exists"):
        accounts.accept_invite(code, "taken", PASSWORD)  # a taken name leaves the invite usable
    user = accounts.accept_invite(code, "dr-lee", PASSWORD)
    assert user.role == "clinician" and accounts.sign_in("dr-lee", PASSWORD)[0] == user
    with pytest.raises(PermissionDeniedError, match="used or has expired"):
        accounts.accept_invite(code, "someone-else", PASSWORD)
    expired = accounts.create_invite(admin, "tester", days=1)
    with luna.db.connect() as con:
        con.execute("UPDATE invites SET expires_at = now() - INTERVAL 1 DAY WHERE code_hash = ?", [token_hash(expired)])
    with pytest.raises(PermissionDeniedError):
        accounts.accept_invite(expired, "late", PASSWORD)
    with pytest.raises(ValidationError, match="Invites are for"):
        accounts.create_invite(admin, "admin")


def test_first_start_needs_the_setup_code(luna, accounts):
    assert accounts.needs_setup()
    code = accounts.new_setup_code()
    with pytest.raises(PermissionDeniedError, match="setup code is not right"):
        accounts.complete_setup("WRONG-CODE-XX", "admin", PASSWORD)
    user = accounts.complete_setup(code.lower(), "admin", PASSWORD)
    assert user.is_admin and not accounts.needs_setup() and accounts.new_setup_code() is None
    assert accounts.sign_in("admin", PASSWORD)[0] == user
    with pytest.raises(PermissionDeniedError, match="already set up"):
        accounts.complete_setup(code, "admin", PASSWORD)


def test_idle_timeout_comes_from_the_settings(luna, admin):
    from luna_core.accounts.service import AccountService

    short = AccountService(luna.db, luna.users, luna.events, replace(luna.settings, session_idle_minutes=0.0))
    short.add(admin, "tess", "tester", PASSWORD)
    _, token = short.sign_in("tess", PASSWORD)
    with luna.db.connect() as con:
        con.execute("UPDATE sessions SET last_seen = now() - INTERVAL 1 SECOND")
    assert short.session_user(token) is None
