"""Feature flags: on/off, rollout percentages decided per user by a stable hash."""

from __future__ import annotations

import hashlib

import pytest

from luna_core.errors import NotFoundError, PermissionDeniedError, ValidationError
from luna_core.store.flags import rollout_bucket
from tests.conftest import ROOT

# README.md's "Feature flags" paragraph states this formula word for word
DOCUMENTED = 'int.from_bytes(sha256(f"{flag}:{user_id}".encode()).digest()[:8], "big") % 100 < percent'


def test_roadmap_flags_exist_and_are_on_by_default(luna):
    names = {f.name for f in luna.flags.list()}
    assert {"ENHANCED_PERSONA_CREATION", "RAG_DOCUMENT_PROCESSING", "THERAPEUTIC_TEMPLATES",
            "PERSONA_DUPLICATION"} <= names
    assert all(f.enabled and f.rollout_percent == 100 for f in luna.flags.list())


def test_rollout_percentage_splits_users_stably(luna):
    users = [luna.users.add(f"user{i}") for i in range(200)]
    luna.flags.set("PERSONA_DUPLICATION", True, percent=30)
    enabled = [u for u in users if luna.flags.is_enabled("PERSONA_DUPLICATION", u)]
    # user ids are random, so the share is checked where it is fixed: the bucket of each id
    assert enabled == [u for u in users if rollout_bucket("PERSONA_DUPLICATION", u.id) < 30]
    assert 270 <= sum(rollout_bucket("PERSONA_DUPLICATION", f"u-{n:012x}") < 30 for n in range(1000)) <= 330
    assert enabled == [u for u in users if luna.flags.is_enabled("PERSONA_DUPLICATION", u)]
    luna.flags.set("PERSONA_DUPLICATION", True, percent=60)
    widened = [u for u in users if luna.flags.is_enabled("PERSONA_DUPLICATION", u)]
    assert set(u.id for u in enabled) <= set(u.id for u in widened)  # raising the percentage only adds
    luna.flags.set("PERSONA_DUPLICATION", False)
    assert not any(luna.flags.is_enabled("PERSONA_DUPLICATION", u) for u in users)
    assert luna.flags.get("PERSONA_DUPLICATION").rollout_percent == 60


def test_bucket_depends_on_flag_and_user():
    assert rollout_bucket("A", "u1") == rollout_bucket("A", "u1")
    buckets = {rollout_bucket(f"F{i}", "u1") for i in range(50)}
    assert len(buckets) > 20 and all(0 <= b < 100 for b in buckets)


def test_flag_errors(luna):
    with pytest.raises(NotFoundError, match="Known flags"):
        luna.flags.set("NO_SUCH_FLAG", True)
    with pytest.raises(ValidationError, match="between 0 and 100"):
        luna.flags.set("PERSONA_DUPLICATION", True, percent=150)


def test_enabled_for_matches_is_enabled(luna, tester):
    luna.flags.set("THERAPEUTIC_TEMPLATES", True, percent=50)
    decisions = luna.flags.enabled_for(tester)
    assert decisions == {f.name: luna.flags.is_enabled(f.name, tester) for f in luna.flags.list()}


def documented_bucket(flag: str, user_id: str) -> int:
    """The README's formula, computed here from hashlib alone."""
    return int.from_bytes(hashlib.sha256(f"{flag}:{user_id}".encode()).digest()[:8], "big") % 100


def test_readme_states_the_rollout_hash_the_code_computes(luna):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert DOCUMENTED in readme and "never its name" in readme
    users = [luna.user()] + [luna.users.add(f"rollout{i}") for i in range(20)]
    pairs = [("PERSONA_DUPLICATION", "u-admin"), ("THERAPEUTIC_TEMPLATES", "u-0123456789ab"), ("A", "b")]
    pairs += [(flag.name, user.id) for flag in luna.flags.list() for user in users]
    assert [rollout_bucket(f, u) for f, u in pairs] == [documented_bucket(f, u) for f, u in pairs]
    luna.flags.set("PERSONA_DUPLICATION", True, percent=50)
    assert [luna.flags.is_enabled("PERSONA_DUPLICATION", u) for u in users] == [
        documented_bucket("PERSONA_DUPLICATION", u.id) < 50 for u in users]  # the id, not the name
    assert any((documented_bucket("PERSONA_DUPLICATION", u.id) < 50)
               != (documented_bucket("PERSONA_DUPLICATION", u.name) < 50) for u in users)


def test_only_an_administrator_switches_flags(luna, tester):
    clinician = luna.users.add("clara", "clinician")
    for by in (tester, clinician):
        with pytest.raises(PermissionDeniedError, match="Only administrators can switch feature flags"):
            luna.flags.set("PERSONA_DUPLICATION", False, percent=10, by=by)
    flag = luna.flags.get("PERSONA_DUPLICATION")
    assert (flag.enabled, flag.rollout_percent, flag.updated_by) == (True, 100, None)
    flag = luna.flags.set("PERSONA_DUPLICATION", False, by=luna.user())
    assert (flag.enabled, flag.updated_by) == (False, "admin")
