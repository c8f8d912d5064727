"""Dataset records and the queries every document service shares (visibility, chunk vectors)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
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
