"""One frozen ``Settings`` object, read once from the environment.

Every tunable lives here so that pages, the CLI and tests never read ``os.environ`` themselves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "runtime"
TEMPLATES_DIR = PROJECT_ROOT / "data" / "templates"

LOCAL_ADMIN_NAME = "admin"


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    return float(raw) if raw not in (None, "") else default


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw not in (None, "") else default


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    return default if not raw else raw not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """Where Luna keeps its state and how it talks to the outside world."""

    data_dir: Path = DEFAULT_DATA_DIR
    templates_dir: Path = TEMPLATES_DIR
    # Seconds a process waits for another process to release the DuckDB file before giving up.
    db_lock_timeout: float = 5.0
    ollama_host: str = "http://localhost:11434"
    ollama_cloud_host: str = "https://ollama.com"
    cloud_api_key: str | None = None
    llm_timeout: float = 120.0
    context_tokens: int = 4096
    history_turns: int = 3
    max_chunks: int = 5
    crisis_region: str = "US"
    default_local_model: str = "llama3.2"
    default_cloud_model: str = "gpt-oss:120b-cloud"
    # Browser sessions end after this long without use, and after this long in any case.
    session_idle_minutes: float = 30.0
    session_max_hours: float = 12.0
    rollback_check_minutes: float = 5.0  # how often the server applies automatic rollbacks
    min_password_length: int = 10
    max_name_length: int = 80
    max_prompt_length: int = 8000
    max_upload_mb: float = 50.0
    max_message_chars: int = 4000  # a chat message longer than this is refused (the prompt budget must hold)
    # Chunk size and overlap in model tokens (roadmap defaults 512/50); the size is capped by the
    # embedding model's own limit (256 word pieces for all-MiniLM-L6-v2).
    chunk_size: int = 512
    chunk_overlap: int = 50
    embedding_model: str = "all-MiniLM-L6-v2"
    extraction_timeout: float = 60.0
    demo_content: bool = True  # the app adds Luna's demo library and companions to a new data folder

    @property
    def db_path(self) -> Path:
        return self.data_dir / "luna.duckdb"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Build settings from ``env`` (default ``os.environ``); keyword overrides win."""
        env = os.environ if env is None else env
        base = cls(
            data_dir=Path(env.get("LUNA_DATA_DIR") or DEFAULT_DATA_DIR),
            templates_dir=Path(env.get("LUNA_TEMPLATES_DIR") or TEMPLATES_DIR),
            db_lock_timeout=_float(env, "LUNA_DB_LOCK_TIMEOUT", 5.0),
            ollama_host=env.get("OLLAMA_HOST") or "http://localhost:11434",
            ollama_cloud_host=env.get("LUNA_CLOUD_HOST") or "https://ollama.com",
            cloud_api_key=env.get("LUNA_CLOUD_API_KEY") or env.get("OLLAMA_API_KEY") or None,
            llm_timeout=_float(env, "LUNA_LLM_TIMEOUT", 120.0),
            context_tokens=_int(env, "LUNA_CONTEXT_TOKENS", 4096),
            history_turns=_int(env, "LUNA_HISTORY_TURNS", 3),
            max_chunks=_int(env, "LUNA_MAX_CHUNKS", 5),
            crisis_region=env.get("LUNA_CRISIS_REGION") or "US",
            default_local_model=env.get("LUNA_DEFAULT_MODEL") or "llama3.2",
            default_cloud_model=env.get("LUNA_CLOUD_MODEL") or "gpt-oss:120b-cloud",
            session_idle_minutes=_float(env, "LUNA_SESSION_IDLE_MINUTES", 30.0),
            session_max_hours=_float(env, "LUNA_SESSION_MAX_HOURS", 12.0),
            # at least half a minute: zero or less would make the server's watch a busy loop
            rollback_check_minutes=max(0.5, _float(env, "LUNA_ROLLBACK_CHECK_MINUTES", 5.0)),
            min_password_length=_int(env, "LUNA_MIN_PASSWORD_LENGTH", 10),
            max_name_length=_int(env, "LUNA_MAX_NAME_LENGTH", 80),
            max_prompt_length=_int(env, "LUNA_MAX_PROMPT_LENGTH", 8000),
            max_upload_mb=_float(env, "LUNA_MAX_UPLOAD_MB", 50.0),
            max_message_chars=_int(env, "LUNA_MAX_MESSAGE_CHARS", 4000),
            chunk_size=_int(env, "LUNA_CHUNK_SIZE", 512),
            chunk_overlap=_int(env, "LUNA_CHUNK_OVERLAP", 50),
            embedding_model=env.get("LUNA_EMBEDDING_MODEL") or "all-MiniLM-L6-v2",
            extraction_timeout=_float(env, "LUNA_EXTRACTION_TIMEOUT", 60.0),
            demo_content=_bool(env, "LUNA_DEMO_CONTENT", True),
        )
        overrides = {k: v for k, v in overrides.items() if v is not None}
        if "data_dir" in overrides:
            overrides["data_dir"] = Path(overrides["data_dir"])
        return replace(base, **overrides)
