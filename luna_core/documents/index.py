"""The hnswlib vector index over every document chunk: a rebuildable cache of the vectors in DuckDB.

Saved in the data folder with its build metadata (model, dimension, count, a checksum of the chunk
ids it holds). A missing, corrupt or stale file (another process added or deleted chunks, a crash
between the database commit and the index save) is rebuilt from DuckDB, never trusted. Search can
be restricted to an allowed set of chunk ids (a persona's datasets): small sets are searched
exactly against an in-memory copy of the vectors (hnswlib's ``get_items`` costs ~40 us a vector,
far too slow to gather thousands per query), large ones through hnswlib's filter.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import hnswlib
import numpy as np

EXACT_SEARCH_LIMIT = 20_000  # below this many allowed vectors, brute force is exact and fast


@dataclass(frozen=True)
class IndexState:
    """What the index must hold: counted from DuckDB."""
    count: int
    checksum: int
    model: str
    dimension: int


class VectorIndex:
    def __init__(self, folder: Path, load_vectors: Callable[[], tuple[np.ndarray, np.ndarray]],
                 read_state: Callable[[], IndexState]) -> None:
        """``load_vectors`` returns (ids, vectors) of every chunk; ``read_state`` what DuckDB holds."""
        self.folder = Path(folder)
        self.path = self.folder / "chunks.hnsw"
        self.meta_path = self.folder / "chunks.meta.json"
        self._load_vectors, self._read_state = load_vectors, read_state
        self._lock = threading.RLock()
        self._index: hnswlib.Index | None = None
        self._state: IndexState | None = None
        # Sorted ids and their vectors, for exact search over a persona's allowed subset. Filled from
        # the vectors a rebuild loads anyway, or from DuckDB on first need after loading the file.
        self._ids: np.ndarray | None = None
        self._matrix: np.ndarray | None = None
        self.rebuilds = 0

    # ---- keeping in step with DuckDB -----------------------------------------------------
    def ensure_current(self) -> hnswlib.Index:
        """The index, loaded from disk or rebuilt when it does not match DuckDB."""
        with self._lock:
            state = self._read_state()
            if self._index is not None and self._state == state:
                return self._index
            if not self._load_file(state):
                self._rebuild(state)
            return self._index

    def _load_file(self, state: IndexState) -> bool:
        try:
            meta = json.loads(self.meta_path.read_text())
            if IndexState(**meta["state"]) != state:
                return False
            index = hnswlib.Index(space="ip", dim=state.dimension)
            index.load_index(str(self.path), max_elements=max(meta["capacity"], 1), allow_replace_deleted=True)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, json.JSONDecodeError):
            return False
        index.set_ef(64)
        self._index, self._state = index, state
        self._ids = self._matrix = None
        return True

    def _rebuild(self, state: IndexState) -> None:
        ids, vectors = self._load_vectors()
        index = self._new_index(state.dimension, max(len(ids) * 2, 1024))
        if len(ids):
            index.add_items(vectors, ids)
        self._index, self._state = index, state
        self._set_mirror(ids, vectors)
        self.rebuilds += 1
        self._save()

    def _set_mirror(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        self._ids = np.asarray(ids, dtype=np.int64)[order]
        self._matrix = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)[order])

    def _mirror(self) -> tuple[np.ndarray, np.ndarray]:
        if self._matrix is None:
            self._set_mirror(*self._load_vectors())
        return self._ids, self._matrix

    @staticmethod
    def _new_index(dimension: int, capacity: int) -> hnswlib.Index:
        index = hnswlib.Index(space="ip", dim=dimension)
        index.init_index(max_elements=capacity, ef_construction=200, M=16, allow_replace_deleted=True)
        index.set_ef(64)
        return index

    def _save(self) -> None:
        """Write the index and its metadata atomically (temp files, then rename)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp_index, tmp_meta = self.path.with_suffix(".tmp"), self.meta_path.with_suffix(".tmp")
        self._index.save_index(str(tmp_index))
        meta = {"state": self._state.__dict__, "capacity": self._index.get_max_elements(),
                "library": "hnswlib", "space": "ip"}
        tmp_meta.write_text(json.dumps(meta))
        tmp_index.replace(self.path)
        tmp_meta.replace(self.meta_path)

    # ---- changes ---------------------------------------------------------------------------
    def add(self, ids: np.ndarray, vectors: np.ndarray, previous: IndexState) -> None:
        """Add vectors DuckDB just committed; ``previous`` is the state before that commit."""
        with self._lock:
            if self._index is None or self._state != previous:
                self.ensure_current()  # someone else changed things too: rebuild from DuckDB
                return
            needed = self._index.get_current_count() + len(ids)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed * 2, 1024))
            if len(ids):
                self._index.add_items(vectors, ids)
                if self._matrix is not None:
                    self._set_mirror(np.concatenate([self._ids, np.asarray(ids, dtype=np.int64)]),
                                     np.concatenate([self._matrix, np.asarray(vectors, dtype=np.float32)]))
            self._state = self._read_state()
            self._save()

    def remove(self, ids: Iterable[int], previous: IndexState) -> None:
        """Forget vectors DuckDB just deleted."""
        with self._lock:
            if self._index is None or self._state != previous:
                self.ensure_current()
                return
            ids = [int(i) for i in ids]
            for chunk_id in ids:
                try:
                    self._index.mark_deleted(chunk_id)
                except RuntimeError:
                    pass  # not in the index: nothing to forget
            if self._matrix is not None and ids:
                keep = ~np.isin(self._ids, np.asarray(ids, dtype=np.int64))
                self._ids, self._matrix = self._ids[keep], self._matrix[keep]
            self._state = self._read_state()
            self._save()

    # ---- search ------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Up to ``k`` (chunk id, cosine similarity) pairs, best first, among ``allowed`` ids."""
        with self._lock:
            index = self.ensure_current()
            live = self._state.count  # hnswlib's own count includes vectors marked deleted
            if live == 0 or k <= 0:
                return []
            if allowed is not None:
                if len(allowed) == 0:
                    return []
                if len(allowed) <= EXACT_SEARCH_LIMIT:
                    return self._exact(query, k, np.asarray(allowed, dtype=np.int64))
                allowed_set = set(int(i) for i in allowed)
                labels, distances = index.knn_query(query, k=min(k, len(allowed_set)),
                                                    filter=lambda label: label in allowed_set)
            else:
                labels, distances = index.knn_query(query, k=min(k, live))
        return [(int(label), float(1.0 - distance)) for label, distance in zip(labels[0], distances[0])]

    def _rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids that are present, their vectors) from the in-memory copy."""
        known, matrix = self._mirror()
        if not len(known):
            return ids[:0], matrix[:0]
        rows = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        present = known[rows] == ids
        return ids[present], matrix[rows[present]]

    def _exact(self, query: np.ndarray, k: int, allowed: np.ndarray) -> list[tuple[int, float]]:
        ids, vectors = self._rows(allowed)
        scores = vectors @ query.astype(np.float32)
        top = np.argsort(-scores)[:k] if len(scores) > k else np.argsort(-scores)
        return [(int(ids[i]), float(scores[i])) for i in top]

    def vectors(self, ids: list[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (which must be in the index), in that order, as float32."""
        with self._lock:
            self.ensure_current()
            wanted = np.asarray(ids, dtype=np.int64)
            found, vectors = self._rows(wanted)
            if len(found) != len(wanted) or not np.array_equal(found, wanted):
                raise KeyError(f"chunks not in the index: {sorted(set(wanted.tolist()) - set(found.tolist()))}")
            return vectors

