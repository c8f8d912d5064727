"""Accounts: the local administrator, adding users, names and roles."""

from __future__ import annotations

import pytest

from luna_core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError


def test_local_admin_exists(luna):
    assert luna.user().role == "admin" and luna.user().name == "admin"


def test_add_user_and_refuse_duplicates(luna):
    user = luna.users.add("clara", "clinician")
    assert user.to_dict().keys() == {"id", "name", "role", "created_at", "disabled"}
    with pytest.raises(ConflictError, match="already exists"):
        luna.users.add("Clara", "tester")
    with pytest.raises(ValidationError, match="Unknown role"):
        luna.users.add("dan", "superuser")
    with pytest.raises(ValidationError, match="1-64 characters"):
        luna.users.add("two words", "tester")


def test_unknown_cli_user_is_created_as_tester(luna):
    assert luna.user("newbie").role == "tester"
    assert luna.user("newbie").id == luna.users.get("newbie").id


def test_user_names_ignore_case_and_keep_their_first_spelling(luna):
    alex = luna.users.add("Alex", "clinician")
    assert luna.users.get("alex").id == alex.id and luna.users.get(" ALEX ").name == "Alex"
    assert luna.users.get_or_create("aLeX").id == alex.id
    with pytest.raises(ConflictError, match="already exists"):
        luna.users.add("ALEX", "tester")
    assert [u.name for u in luna.users.list() if u.name.lower() == "alex"] == ["Alex"]
    assert (luna.user("alex").id, luna.user("alex").role) == (alex.id, "clinician")  # the CLI's --user
    assert luna.user("Admin").id == luna.user().id


def test_only_an_administrator_adds_accounts(luna, tester):
    for by in (tester, luna.users.add("clara", "clinician")):
        with pytest.raises(PermissionDeniedError, match="Only administrators can add accounts"):
            luna.users.add("mallory", "admin", by=by)
    with pytest.raises(NotFoundError):
        luna.users.get("mallory")
    assert luna.users.add("mallory", "tester", by=luna.user()).role == "tester"


def test_creating_an_unknown_cli_user_needs_no_administrator(luna, tester):
    # the internal creation behind --user is not "an admin adds an account"
    assert luna.users.get_or_create("walk-in").role == "tester"
