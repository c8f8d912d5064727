"""Accounts: the local administrator, adding users, names and roles."""

from __future__ import annotations

import pytest

from luna_core.errors import ConflictError, ValidationError


def test_local_admin_exists(luna):
    assert luna.user().role == "admin" and luna.user().name == "admin"


def test_add_user_and_refuse_duplicates(luna):
    user = luna.users.add("clara", "clinician")
    assert user.to_dict().keys() == {"id", "name", "role", "created_at"}
    with pytest.raises(ConflictError, match="already exists"):
        luna.users.add("Clara", "tester")
    with pytest.raises(ValidationError, match="Unknown role"):
        luna.users.add("dan", "superuser")
    with pytest.raises(ValidationError, match="1-64 characters"):
        luna.users.add("two words", "tester")


def test_unknown_cli_user_is_created_as_tester(luna):
    assert luna.user("newbie").role == "tester"
    assert luna.user("newbie").id == luna.users.get("newbie").id
