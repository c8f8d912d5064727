"""The My data page with AppTest: the export, a wrong password refused, and deleting the account."""

from __future__ import annotations

from tests.apptest import click, no_errors, start, texts

PASSWORD = "correct horse battery"


def box(at, label):
    return next(t for t in at.text_input if t.label == label)


def test_export_then_delete_my_account(luna):
    user = luna.accounts.add(None, "tess", "tester", PASSWORD)
    luna.personas.create_from_scratch(user, "Mine", "You are kind.")
    at = no_errors(start(luna, user).switch_page("pages/my_data.py").run())
    assert [d.proto.label for d in at.get("download_button")] == ["⬇️ Download my data"]
    box(at, "Your password, to confirm").set_value("not my password")  # sent with the form
    at = click(at, "Delete my account and all my data")
    assert "password" in " ".join(e.value for e in at.error).lower()
    assert luna.users.by_id(user.id) is not None  # nothing was deleted
    box(at, "Your password, to confirm").set_value(PASSWORD)
    at = click(at, "Delete my account and all my data")
    assert luna.users.by_id(user.id) is None and "Welcome to Luna" in texts(at)
    assert luna.db.rows("SELECT 1 FROM personas WHERE owner_id = ?", [user.id]) == []


def test_change_my_password(luna):
    user = luna.accounts.add(None, "tess", "tester", PASSWORD)
    at = no_errors(start(luna, user).switch_page("pages/my_data.py").run())
    box(at, "Current password").set_value(PASSWORD)  # form fields are sent with the form
    box(at, "New password").set_value("a brand new long password")
    at = click(at, "Change password")
    assert "Password changed" in texts(at)
    assert luna.accounts.sign_in("tess", "a brand new long password")[0].id == user.id
