"""Accounts with passwords, browser sessions, invites and the first-start setup code.

Secrets are kept only as hashes: argon2id for passwords, SHA-256 for session tokens and invite
codes (both random, 256 and 128 bits, so a fast hash is enough). A session ends after
``session_idle_minutes`` without use and after ``session_max_hours`` in any case, and it is revoked
at sign-out, at a password or role change, when the account is disabled and on "sign out my other
sessions". Security events (sign-in, failure, sign-out, role change ...) go to the events table
with ids only: never a password, token, code or anything typed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from luna_core.accounts.passwords import check_strength, hash_password, needs_rehash, verify_password
from luna_core.config import Settings
from luna_core.errors import LunaError, NotFoundError, PermissionDeniedError, ValidationError
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.events import EventLog
from luna_core.store.users import ROLES, User, UserStore, require_admin

SIGN_IN_FAILED = "That name and password don't match an account. Check both and try again."
TOUCH_SECONDS = 60  # last_seen is written at most this often per session
INVITE_ROLES = ("tester", "clinician")


class SignInError(LunaError):
    """Wrong name or password, or an account that may not sign in; the message never says which."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    def __init__(self, db: Database, users: UserStore, events: EventLog, settings: Settings) -> None:
        self.db, self.users, self.events, self.settings = db, users, events, settings
        self._setup_code_hash: str | None = None

    # ---- first start ----------------------------------------------------------------------------
    def needs_setup(self) -> bool:
        """A brand-new installation: no enabled administrator can sign in yet."""
        return not self.db.rows("SELECT 1 FROM users WHERE role = 'admin' AND password_hash IS NOT NULL"
                                " AND disabled_at IS NULL LIMIT 1")

    def new_setup_code(self) -> str | None:
        """A one-time code for the first administrator, for the server's console; None once set up."""
        if not self.needs_setup():
            return None
        code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
        self._setup_code_hash = token_hash(code)
        return code

    def complete_setup(self, code: str, name: str, password: str) -> User:
        """Create (or give a password to) the first administrator, with the console's setup code."""
        if not self.needs_setup():
            raise PermissionDeniedError("Luna is already set up: sign in instead.")
        expected = self._setup_code_hash
        if expected is None or not hmac.compare_digest(expected, token_hash((code or "").strip().upper())):
            raise PermissionDeniedError("That setup code is not right. Use the code printed in the console "
                                        "where Luna was started (restarting Luna prints a new one).")
        check_strength(password, self.settings.min_password_length, name)
        try:
            user = self.users.get(name)
        except NotFoundError:
            user = self.users.add(name, "admin")
        if user.role != "admin":
            raise ValidationError(f"{name!r} is an existing account that is not an administrator; choose another name.")
        self._store_password(user, password)
        self._setup_code_hash = None
        self.events.record(user.id, "account_setup", {"role": "admin"})
        return user

    # ---- signing in and sessions ---------------------------------------------------------------
    def sign_in(self, name: str, password: str) -> tuple[User, str]:
        """(the account, a new session token). Raises ``SignInError`` with one message for every
        failure, after the same work (a dummy hash for unknown names)."""
        rows = self.db.rows("SELECT * FROM users WHERE lower(name) = lower(?) LIMIT 1", [(name or "").strip()])
        row = rows[0] if rows else None
        ok = verify_password(row["password_hash"] if row else None, password)
        if not ok or row["disabled_at"] is not None:
            self.events.record(row["id"] if row else None, "sign_in_failed",
                               {"reason": "disabled" if ok else "credentials"})
            raise SignInError(SIGN_IN_FAILED)
        user = self.users.by_id(row["id"])
        if needs_rehash(row["password_hash"]):
            self._store_password(user, password, revoke=False)
        token = secrets.token_urlsafe(32)
        with self.db.transaction() as con:
            con.execute("INSERT INTO sessions (token_hash, user_id) VALUES (?, ?)", [token_hash(token), user.id])
            self.events.record(user.id, "sign_in", {"role": user.role}, con=con)
        return user, token

    def session_user(self, token: str | None) -> User | None:
        """The account a session token belongs to while the session is live; None otherwise."""
        if not token or not isinstance(token, str):
            return None
        now = datetime.now()
        rows = self.db.rows("SELECT s.*, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id"
                            " WHERE s.token_hash = ? AND s.revoked_at IS NULL", [token_hash(token)])
        if not rows:
            return None
        session = rows[0]
        idle = now - session["last_seen"] > timedelta(minutes=self.settings.session_idle_minutes)
        old = now - session["created_at"] > timedelta(hours=self.settings.session_max_hours)
        if idle or old or session["disabled_at"] is not None:
            self._revoke("token_hash = ?", [session["token_hash"]])
            return None
        if (now - session["last_seen"]).total_seconds() > TOUCH_SECONDS:
            with self.db.connect() as con:
                con.execute("UPDATE sessions SET last_seen = now() WHERE token_hash = ?", [session["token_hash"]])
        return self.users.by_id(session["user_id"])

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        rows = self.db.rows("SELECT user_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL",
                            [token_hash(token)])
        if rows:
            self._revoke("token_hash = ?", [token_hash(token)])
            self.events.record(rows[0]["user_id"], "sign_out", {})

    def sign_out_others(self, user: User, token: str) -> int:
        """End every session of ``user`` but this one; returns how many ended."""
        ended = self._revoke("user_id = ? AND token_hash <> ?", [user.id, token_hash(token)])
        self.events.record(user.id, "sessions_revoked", {"count": ended, "reason": "other_sessions"})
        return ended

    def _revoke(self, where: str, params: list) -> int:
        with self.db.connect() as con:
            rows = con.execute(f"UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND {where}"
                               " RETURNING token_hash", params).fetchall()
        return len(rows)

    # ---- account changes ------------------------------------------------------------------------
    def list(self, by: User) -> list[User]:
        require_admin(by, "list accounts")
        return self.users.list()

    def _store_password(self, user: User, password: str, revoke: bool = True) -> None:
        with self.db.connect() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hash_password(password), user.id])
        if revoke:
            self._revoke("user_id = ?", [user.id])

    def add(self, by: User | None, name: str, role: str, password: str | None = None) -> User:
        """An administrator creates an account, with a password or (for an invite later) none."""
        if password is not None:
            check_strength(password, self.settings.min_password_length, name)
        user = self.users.add(name, role, by=by)
        if password is not None:
            self._store_password(user, password)
        self.events.record(by.id if by else None, "account_created", {"user_id": user.id, "role": role})
        return user

    def set_password(self, by: User, name: str, password: str, current: str | None = None,
                     trusted: bool = False) -> User:
        """A new password; every session of the account ends. One's own needs the current one
        (an administrator's too: a stolen session must not be able to keep the account); an
        administrator may set anyone else's. ``trusted`` is the local CLI run by the installation's
        owner (``users set-password``), which needs no current password."""
        user = self.users.get(name)
        if by.id == user.id and not trusted:
            stored = self.db.rows("SELECT password_hash FROM users WHERE id = ?", [user.id])[0]["password_hash"]
            if not verify_password(stored, current or ""):
                raise PermissionDeniedError("Your current password is not right.")
        elif by.id != user.id:
            require_admin(by, "set other people's passwords")
        check_strength(password, self.settings.min_password_length, user.name)
        self._store_password(user, password)
        self.events.record(by.id, "password_changed", {"user_id": user.id})
        return user

    def set_role(self, by: User, name: str, role: str) -> User:
        require_admin(by, "change roles")
        if role not in ROLES:
            raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
        user = self.users.get(name)
        if user.id == by.id and role != "admin":
            raise PermissionDeniedError("You can't take the admin role from yourself; ask another administrator.")
        with self.db.connect() as con:
            con.execute("UPDATE users SET role = ? WHERE id = ?", [role, user.id])
        self._revoke("user_id = ?", [user.id])
        self.events.record(by.id, "role_changed", {"user_id": user.id, "from": user.role, "to": role})
        return self.users.by_id(user.id)

    def disable(self, by: User, name: str) -> User:
        require_admin(by, "disable accounts")
        user = self.users.get(name)
        if user.id == by.id:
            raise PermissionDeniedError("You can't disable your own account.")
        with self.db.connect() as con:
            con.execute("UPDATE users SET disabled_at = now() WHERE id = ?", [user.id])
        self._revoke("user_id = ?", [user.id])
        self.events.record(by.id, "account_disabled", {"user_id": user.id})
        return self.users.by_id(user.id)

    # ---- invites --------------------------------------------------------------------------------
    def create_invite(self, by: User, role: str = "tester", days: int = 7) -> str:
        """A one-time invite code for a tester or clinician, valid for ``days``."""
        require_admin(by, "invite people")
        if role not in INVITE_ROLES:
            raise ValidationError(f"Invites are for {' or '.join(INVITE_ROLES)} accounts; "
                                  "administrators are made by changing a role.")
        code = secrets.token_urlsafe(16)
        with self.db.connect() as con:
            con.execute("INSERT INTO invites (code_hash, role, created_by, expires_at) VALUES (?, ?, ?, ?)",
                        [token_hash(code), role, by.id, datetime.now() + timedelta(days=days)])
        self.events.record(by.id, "invite_created", {"role": role, "days": days})
        return code

    def accept_invite(self, code: str, name: str, password: str) -> User:
        """Sign up with an invite: the account is created with the invite's role, once."""
        check_strength(password, self.settings.min_password_length, name)
        rows = self.db.rows("SELECT * FROM invites WHERE code_hash = ? AND used_at IS NULL AND expires_at > now()",
                            [token_hash(code or "")])
        if not rows:
            raise PermissionDeniedError("This invite link has been used or has expired. Ask for a new one.")
        user = self.users.add(name, rows[0]["role"])  # a taken name is refused and the invite stays unused
        with self.db.transaction() as con:
            claimed = fetch_dicts(con, "UPDATE invites SET used_at = now(), used_by = ? WHERE code_hash = ?"
                                       " AND used_at IS NULL RETURNING code_hash", [user.id, rows[0]["code_hash"]])
            if not claimed:  # someone used it a moment ago: no second account from one invite
                con.execute("DELETE FROM users WHERE id = ?", [user.id])
        if not claimed:
            raise PermissionDeniedError("This invite link has been used or has expired. Ask for a new one.")
        self._store_password(user, password)
        self.events.record(user.id, "account_created", {"user_id": user.id, "role": user.role, "via": "invite"})
        return user
