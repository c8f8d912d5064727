"""The one place for Luna's access rules: "may this user do this to this thing?"

Services enforce the rules (``require`` raises ``PermissionDeniedError`` with a message a person
can act on); pages ask ``may`` and ``may_open`` to decide what to show. Reading is not decided
here: every store already reads only what is the user's own or shared, and another user's id is
refused exactly like an unknown one (``NotFoundError``), so nobody learns that it exists.

Roles: a ``tester`` has their own things; a ``clinician`` also reviews templates and may share
documents with everyone; an ``admin`` also manages accounts, flags, analytics and everything
shared (built-in companions, shared documents).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from luna_core.errors import PermissionDeniedError

if TYPE_CHECKING:
    from luna_core.store.users import User

# role-level actions: who may, and how a refusal ends ("Only ... can <reason>")
ROLE_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accounts.manage": (("admin",), "manage accounts"),
    "flags.change": (("admin",), "switch feature flags"),
    "analytics.view": (("admin",), "see the analytics"),
    "legacy.import": (("admin",), "import personas from an original Luna database"),
    "persona.share": (("admin",), "add companions shared with everyone"),
    "document.share": (("admin", "clinician"), "share documents with everyone"),
    "templates.review": (("admin", "clinician"), "review therapeutic templates"),
}

# the pages of the app and the action each needs (None: every signed-in user)
PAGES: dict[str, str | None] = {
    "companions": None, "chat": None, "create": None, "documents": None, "journal": None, "profile": None,
    "my_data": None,
    "template_review": "templates.review", "analytics": "analytics.view", "flags": "flags.change",
    "accounts": "accounts.manage",
}


def _role_may(user: User, action: str) -> bool:
    roles, _ = ROLE_ACTIONS[action]
    return user.role in roles and not user.disabled


def may(user: User, action: str, thing: Any = None) -> bool:
    """Whether ``user`` may do ``action`` (to ``thing``, for the object actions)."""
    if action in ROLE_ACTIONS:
        return _role_may(user, action)
    if action == "persona.change":  # edit or delete: one's own, or a shared one as an administrator
        return thing.owner_id == user.id or (thing.owner_id is None and user.is_admin)
    if action == "dataset.change":  # delete: the uploader's, or any as an administrator
        return thing.created_by_user == user.id or user.is_admin
    if action == "link.change":  # (persona, dataset): a shared document on a shared companion is the admins'
        persona, dataset = thing
        return not (persona.is_builtin and dataset.is_global) or user.is_admin
    raise ValueError(f"unknown action {action!r}")


def require(user: User, action: str, thing: Any = None, refusal: str | None = None) -> None:
    """Raise ``PermissionDeniedError`` unless ``user`` may do ``action``; ``refusal`` replaces the
    standard message for the object actions."""
    if may(user, action, thing):
        return
    if action in ROLE_ACTIONS and refusal is None:
        roles, reason = ROLE_ACTIONS[action]
        who = " and ".join(f"{r}s" if r != "admin" else "administrators" for r in roles)
        raise PermissionDeniedError(
            f"Only {who} can {reason}; the account {user.name!r} has the {user.role} role. "
            "Ask an administrator if you need this.")
    raise PermissionDeniedError(refusal or "You can't change this.")


def may_open(user: User, page: str) -> bool:
    action = PAGES[page]
    return action is None or may(user, action)
