"""The hnswlib vector index over every document chunk: a rebuildable cache of the vectors in DuckDB.

Saved in the data folder with its build metadata (model, dimension, count, a checksum of the chunk
ids it holds, the labels hnswlib keeps marked deleted). Its state is counted from the labels it
actually holds, never copied from DuckDB, and compared with DuckDB on every use, so adds and deletes
that finish in any order (two ingests at once) cannot leave it claiming chunks it lacks. A missing,
corrupt or stale file (another process added or deleted chunks, a crash between the database commit
and the index save) is rebuilt from DuckDB, never trusted. Search can be restricted to an allowed
set of chunk ids (a persona's datasets): small sets are searched exactly against an in-memory copy of
the vectors (hnswlib's ``get_items`` costs ~40 us a vector, far too slow to gather thousands per
query), large ones through hnswlib's filter.
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
    """A count and checksum of chunk ids with the model and dimension: what DuckDB holds (the index
    must match it) or what the index itself holds (``VectorIndex.state``)."""
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
        self._model = ""
        # The labels hnswlib holds and has not marked deleted, and those it has marked (it keeps
        # them until a rebuild). The index's state is counted from these, under the lock.
        self._held: set[int] = set()
        self._held_sum = 0
        self._deleted: set[int] = set()
        # Sorted ids and their vectors, for exact search over a persona's allowed subset. Filled from
        # the vectors a rebuild loads anyway, or from DuckDB on first need after loading the file.
        self._ids: np.ndarray | None = None
        self._matrix: np.ndarray | None = None
        self.rebuilds = 0

    # ---- what it holds -----------------------------------------------------------------------
    def state(self) -> IndexState | None:
        """Count, id checksum, model and dimension of the vectors the index holds (None: not loaded)."""
        with self._lock:
            if self._index is None:
                return None
            return IndexState(len(self._held), self._held_sum, self._model, self._index.dim)

    def ids(self) -> np.ndarray:
        """The chunk ids the index holds now, sorted (none before it is loaded or built)."""
        with self._lock:
            return np.array(sorted(self._held), dtype=np.int64)

    def _hold(self, labels: Iterable[int]) -> None:
        for label in labels:
            if label not in self._held:
                self._held.add(label)
                self._held_sum += label

    # ---- keeping in step with DuckDB -----------------------------------------------------
    def ensure_current(self) -> hnswlib.Index:
        """The index, loaded from disk or rebuilt when what it holds does not match DuckDB."""
        with self._lock:
            state = self._read_state()
            if self._index is not None and self.state() == state:
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
            deleted = {int(label) for label in meta.get("deleted", [])}
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, json.JSONDecodeError):
            return False
        held = set(index.get_ids_list()) - deleted
        if (len(held), sum(held)) != (state.count, state.checksum):
            return False  # the metadata does not describe this file (a crash between the two renames)
        index.set_ef(64)
        self._install(index, state.model, held, deleted)
        self._ids = self._matrix = None
        return True

    def _rebuild(self, state: IndexState) -> None:
        ids, vectors = self._load_vectors()
        index = self._new_index(state.dimension, max(len(ids) * 2, 1024))
        if len(ids):
            index.add_items(vectors, ids)
        self._install(index, state.model, (int(i) for i in ids), set())
        self._set_mirror(ids, vectors)
        self.rebuilds += 1
        self._save()

    def _install(self, index: hnswlib.Index, model: str, held: Iterable[int], deleted: set[int]) -> None:
        self._index, self._model, self._deleted = index, model, deleted
        self._held, self._held_sum = set(), 0
        self._hold(held)

    def _set_mirror(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        self._ids = np.asarray(ids, dtype=np.int64)[order]
        # With no vectors at all only the index knows their width (reshape(0, -1) cannot tell).
        self._matrix = np.ascontiguousarray(
            np.asarray(vectors, dtype=np.float32).reshape(len(ids), self._index.dim)[order])

    def _mirror(self) -> tuple[np.ndarray, np.ndarray]:
        if self._matrix is None:
            ids, vectors = self._load_vectors()
            # DuckDB may be a commit ahead of this index (its add has not run yet): copy only what it holds.
            keep = np.isin(ids, np.fromiter(self._held, dtype=np.int64, count=len(self._held)))
            self._set_mirror(np.asarray(ids)[keep], np.asarray(vectors)[keep])
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
        meta = {"state": self.state().__dict__, "deleted": sorted(self._deleted),
                "capacity": self._index.get_max_elements(), "library": "hnswlib", "space": "ip"}
        tmp_meta.write_text(json.dumps(meta))
        tmp_index.replace(self.path)
        tmp_meta.replace(self.meta_path)

    # ---- changes ---------------------------------------------------------------------------
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors DuckDB just committed (ones the index already holds are skipped)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        with self._lock:
            if self._index is None:
                self.ensure_current()  # loaded or rebuilt from DuckDB, which has these already
            new = np.array([int(i) not in self._held for i in ids], dtype=bool)
            if not new.any():
                return
            ids, vectors = ids[new], np.asarray(vectors, dtype=np.float32).reshape(len(new), -1)[new]
            for label in self._deleted.intersection(ids.tolist()):
                self._index.unmark_deleted(label)  # hnswlib refuses to overwrite a deleted label
                self._deleted.discard(label)
            needed = self._index.get_current_count() + len(ids)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed * 2, 1024))
            self._index.add_items(vectors, ids)
            self._hold(ids.tolist())
            if self._matrix is not None:
                self._set_mirror(np.concatenate([self._ids, ids]), np.concatenate([self._matrix, vectors]))
            self._save()

    def remove(self, ids: Iterable[int]) -> None:
        """Forget vectors DuckDB just deleted (ones the index does not hold are skipped)."""
        ids = [int(i) for i in ids]
        if not ids:
            return
        with self._lock:
            if self._index is None:
                self.ensure_current()
            gone = [i for i in ids if i in self._held]
            if not gone:
                return
            for label in gone:
                self._index.mark_deleted(label)
                self._held.discard(label)
                self._held_sum -= label
            self._deleted.update(gone)
            if self._matrix is not None:
                keep = ~np.isin(self._ids, np.asarray(gone, dtype=np.int64))
                self._ids, self._matrix = self._ids[keep], self._matrix[keep]
            self._save()

    # ---- search ------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Up to ``k`` (chunk id, cosine similarity) pairs, best first, among ``allowed`` ids."""
        with self._lock:
            index = self.ensure_current()
            live = len(self._held)  # hnswlib's own count includes vectors marked deleted
            if live == 0 or k <= 0:
                return []
            if allowed is not None:
                if len(allowed) == 0:
                    return []
                if len(allowed) <= EXACT_SEARCH_LIMIT:
                    return self._exact(query, k, np.asarray(allowed, dtype=np.int64))
                allowed_set = set(int(i) for i in allowed) & self._held
                if not allowed_set:
                    return []
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

