"""One frozen ``Settings`` object, read once from the environment.

Every tunable lives here so that pages, the CLI and tests never read ``os.environ`` themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

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


@dataclass(frozen=True)
class Settings:
    """Where Luna keeps its state and how it talks to the outside world."""

    data_dir: Path = DEFAULT_DATA_DIR
    templates_dir: Path = TEMPLATES_DIR
    # Seconds a process waits for another process to release the DuckDB file before giving up.
    db_lock_timeout: float = 5.0
    ollama_host: str = "http://localhost:11434"
    ollama_cloud_host: str = "https://ollama.com"
    default_local_model: str = "llama3.2"
    default_cloud_model: str = "gpt-oss:120b-cloud"
    # The account the Streamlit app acts as until real sign-in exists (accounts issue).
    app_user: str = LOCAL_ADMIN_NAME
    max_name_length: int = 80
    max_prompt_length: int = 8000

    @property
    def db_path(self) -> Path:
        return self.data_dir / "luna.duckdb"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from ``env`` (default ``os.environ``); keyword overrides win."""
        env = os.environ if env is None else env
        base = cls(
            data_dir=Path(env.get("LUNA_DATA_DIR") or DEFAULT_DATA_DIR),
            templates_dir=Path(env.get("LUNA_TEMPLATES_DIR") or TEMPLATES_DIR),
            db_lock_timeout=_float(env, "LUNA_DB_LOCK_TIMEOUT", 5.0),
            ollama_host=env.get("OLLAMA_HOST") or "http://localhost:11434",
            ollama_cloud_host=env.get("LUNA_CLOUD_HOST") or "https://ollama.com",
            default_local_model=env.get("LUNA_DEFAULT_MODEL") or "llama3.2",
            default_cloud_model=env.get("LUNA_CLOUD_MODEL") or "gpt-oss:120b-cloud",
            app_user=env.get("LUNA_USER") or LOCAL_ADMIN_NAME,
            max_name_length=_int(env, "LUNA_MAX_NAME_LENGTH", 80),
            max_prompt_length=_int(env, "LUNA_MAX_PROMPT_LENGTH", 8000),
        )
        overrides = {k: v for k, v in overrides.items() if v is not None}
        if "data_dir" in overrides:
            overrides["data_dir"] = Path(overrides["data_dir"])
        return replace(base, **overrides)
