"""The one policy module: role actions, object actions, pages."""

from __future__ import annotations

import pytest

from luna_core import policy
from luna_core.errors import PermissionDeniedError


def test_roles_and_pages(luna, admin):
    tester, clinician = luna.users.add("tess", "tester"), luna.users.add("dr-lee", "clinician")
    assert [policy.may_open(u, "accounts") for u in (tester, clinician, admin)] == [False, False, True]
    assert [policy.may_open(u, "template_review") for u in (tester, clinician, admin)] == [False, True, True]
    assert all(policy.may_open(u, "chat") and policy.may_open(u, "my_data") for u in (tester, clinician, admin))
    assert [policy.may(u, "document.share") for u in (tester, clinician, admin)] == [False, True, True]
    with pytest.raises(PermissionDeniedError, match="Only administrators can switch feature flags; the account 'tess'"):
        policy.require(tester, "flags.change")


def test_object_actions(luna, admin):
    tess, otto = luna.users.add("tess", "tester"), luna.users.add("otto", "tester")
    mine = luna.personas.create_from_scratch(tess, "Mine", "p")
    builtin = next(p for p in luna.personas.list(tess) if p.is_builtin)
    assert policy.may(tess, "persona.change", mine) and not policy.may(otto, "persona.change", mine)
    assert not policy.may(tess, "persona.change", builtin) and policy.may(admin, "persona.change", builtin)
    with pytest.raises(PermissionDeniedError, match="built-in"):
        luna.personas.update(tess, builtin.id, name="Taken over")  # the service asks the same policy
    with pytest.raises(ValueError):
        policy.may(tess, "no.such.action")
