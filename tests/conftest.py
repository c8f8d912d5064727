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
from tests.fake_ollama import FakeOllama  # noqa: E402

OFFLINE = "http://127.0.0.1:9"  # nothing listens on the discard port: the LLM host is unreachable


class FixedReplyModel:
    """A reply model that scores every reply the same (``FixedReplyModel(0.0)`` would clear every rules
    finding the check lets it clear)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def score(self, reply: str) -> float:
        return self.value

    def scores(self, texts: list[str]) -> list[float]:
        return [self.value] * len(texts)


def open_luna(tmp_path: Path, host: str = OFFLINE, embedder=None) -> Luna:
    """A Luna over a fresh data folder under ``tmp_path`` that talks to the LLM host ``host``."""
    return Luna.open(Settings.from_env({}, data_dir=tmp_path / "data", ollama_host=host,
                                       default_local_model="llama3.2"), embedder=embedder)


@pytest.fixture
def llm_server():
    """A loopback server that speaks Ollama's API, with llama3.2 pulled."""
    with FakeOllama(models=["llama3.2:latest"]) as fake:
        yield fake


@pytest.fixture(scope="session")
def embedder():
    """The real bundled all-MiniLM-L6-v2, loaded once for the whole test session."""
    from luna_core.documents.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path / "data", db_lock_timeout=0.5, ollama_host=OFFLINE)


@pytest.fixture
def luna(settings: Settings) -> Luna:
    return Luna.open(settings)


@pytest.fixture
def admin(luna: Luna):
    return luna.user()


@pytest.fixture
def tess(luna: Luna):
    """The tester most app tests act as."""
    return luna.user("tess")


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
