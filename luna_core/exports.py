"""Lazy public names for a package whose modules are heavy or run as their own process.

``documents`` re-exports its services, but the extraction worker (``python -m
luna_core.documents.extract.worker``) must not import DuckDB, the embedder or the index just
because it lives in that package; so such a package resolves its public names on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """A module ``__getattr__`` that imports ``package.<module>`` for each exported name, and ``__all__``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__, sorted(exports)
