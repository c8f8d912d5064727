"""Dataset records and what every document service shares: visibility, chunk vectors, where stored
files are, and which datasets are being processed."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from luna_core.documents.index import IndexState
from luna_core.errors import NotFoundError
from luna_core.store.db import Database, fetch_dicts
from luna_core.store.users import User

STATUSES = ("pending", "processing", "completed", "error")
ACCESS_LEVELS = ("full", "summary", "reference_only")
VISIBLE = "(d.created_by_user = ? OR d.is_global)"


@dataclass(frozen=True)
class Dataset:
    id: str
    name: str
    description: str | None
    file_type: str
    original_filename: str
    file_path: str | None
    file_size: int | None
    upload_date: datetime
    processed_date: datetime | None
    status: str
    error: str | None
    chunk_count: int
    page_count: int | None
    embedding_model: str | None
    created_by_user: str
    is_global: bool
    metadata: dict[str, Any]
    content_hash: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("file_path")  # where Luna keeps its copy is nobody's business outside the core
        for key in ("upload_date", "processed_date"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def dataset_from_row(row: dict) -> Dataset:
    data = {k: row.get(k) for k in Dataset.__dataclass_fields__ if k != "status"}
    data["status"] = row["processing_status"]
    data["metadata"] = json.loads(row.get("metadata") or "{}")
    return Dataset(**data)


def get_visible(con, user: User, dataset_id: str) -> Dataset:
    rows = fetch_dicts(con, f"SELECT d.* FROM datasets d WHERE d.id = ? AND {VISIBLE}", [dataset_id, user.id])
    if not rows:
        raise NotFoundError(f"There is no document {dataset_id!r} in your library.")
    return dataset_from_row(rows[0])


def stored_file(data_dir: Path, file_path: str) -> Path:
    """Where a dataset's stored copy is. ``file_path`` is relative to the data folder
    (``uploads/<user id>/<file>``); older rows hold the whole path as that Luna spelled the folder
    (absolute, through a symlink, relative to its working directory), of which only that
    ``uploads/...`` tail still says where the file is."""
    parts = Path(file_path).parts
    if len(parts) > 3 and parts[-3] == "uploads":
        parts = parts[-3:]
    return Path(data_dir, *parts)


# Datasets a thread of this process is processing now, whichever DocumentService started it: recovery
# clears every other unfinished row, leftovers of this process (an earlier Luna instance) included.
_PROCESSING: set[str] = set()
_PROCESSING_LOCK = threading.Lock()


@contextmanager
def processing_here(dataset_id: str) -> Iterator[None]:
    """Count ``dataset_id`` as processed by a live thread of this process while the block runs."""
    with _PROCESSING_LOCK:
        _PROCESSING.add(dataset_id)
    try:
        yield
    finally:
        with _PROCESSING_LOCK:
            _PROCESSING.discard(dataset_id)


@contextmanager
def processing_in_this_process() -> Iterator[set[str]]:
    """The datasets this process is processing, held still (none starts or ends) while the block runs."""
    with _PROCESSING_LOCK:
        yield set(_PROCESSING)


def alive_elsewhere(pid: int | None) -> bool:
    """Whether ``pid`` is a live process other than this one (whose work ``processing_here`` tracks:
    a pid cannot tell a live thread from a dead one)."""
    if not pid or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def index_state(db: Database, model: str, dimension: int) -> IndexState:
    row = db.rows("SELECT count(*) AS n, coalesce(sum(id), 0) AS s FROM document_chunks")[0]
    return IndexState(count=int(row["n"]), checksum=int(row["s"]), model=model, dimension=dimension)


def all_vectors(db: Database) -> tuple[np.ndarray, np.ndarray]:
    """Every chunk id and its embedding, for rebuilding the vector index."""
    with db.connect() as con:
        table = con.execute("SELECT id, embedding FROM document_chunks ORDER BY id").fetch_arrow_table()
    if table.num_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 384), dtype=np.float32)
    ids = table.column("id").to_numpy()
    flat = table.column("embedding").combine_chunks().flatten().to_numpy()
    return ids, flat.reshape(len(ids), -1).astype(np.float32)
