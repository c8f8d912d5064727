"""Shared fixtures: a real Luna over a temporary data folder (real DuckDB, real template files)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.config import Settings  # noqa: E402
from luna_core.luna import Luna  # noqa: E402


@pytest.fixture(scope="session")
def embedder():
    """The real bundled all-MiniLM-L6-v2, loaded once for the whole test session."""
    from luna_core.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path / "data", db_lock_timeout=0.5)


@pytest.fixture
def luna(settings: Settings) -> Luna:
    return Luna.open(settings)


@pytest.fixture
def admin(luna: Luna):
    return luna.user()


@pytest.fixture
def tester(luna: Luna):
    return luna.users.add("tess", "tester")


@pytest.fixture
def other_tester(luna: Luna):
    return luna.users.add("otto", "tester")


def needs_shared(path: Path) -> Path:
    """Skip the calling test, with the reason, when ../shared is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus is not checked out beside this repo")
    return path
