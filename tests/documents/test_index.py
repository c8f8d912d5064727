"""The hnswlib index: filtered search, deletes, persistence with metadata, rebuild when stale."""

from __future__ import annotations

import numpy as np
import pytest

from luna_core.documents.index import IndexState, VectorIndex


class Store:
    """Stands in for DuckDB: the vectors the index must mirror."""

    def __init__(self, dim: int = 16) -> None:
        self.dim, self.rows = dim, {}

    def put(self, ids, vectors):
        self.rows.update(zip((int(i) for i in ids), vectors))

    def drop(self, ids):
        for i in ids:
            self.rows.pop(int(i))

    def vectors(self):
        ids = np.array(sorted(self.rows), dtype=np.int64)
        return ids, np.array([self.rows[i] for i in ids], dtype=np.float32).reshape(len(ids), self.dim)

    def state(self):
        return IndexState(len(self.rows), sum(self.rows), "test-model", self.dim)


def unit(rng, n, dim=16):
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def fill(store, index, ids, vectors) -> None:
    """Commit vectors to the store, then tell the index, as the document service does."""
    store.put(ids, vectors)
    index.add(ids, vectors)


@pytest.fixture
def setup(tmp_path):
    store = Store()
    return store, VectorIndex(tmp_path / "index", store.vectors, store.state)


def test_search_add_remove_and_filter(setup):
    store, index = setup
    rng = np.random.default_rng(1)
    vectors = unit(rng, 200)
    ids = np.arange(1, 201)
    fill(store, index, ids, vectors)
    hits = index.search(vectors[10], k=3)
    assert hits[0][0] == 11 and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    allowed = np.arange(100, 201)
    filtered = index.search(vectors[10], k=5, allowed=allowed)
    assert len(filtered) == 5 and all(100 <= i <= 200 for i, _ in filtered)
    store.drop([11])
    index.remove([11])
    assert 11 not in [i for i, _ in index.search(vectors[10], k=5)]
    assert index.search(vectors[10], k=5, allowed=np.array([], dtype=np.int64)) == []


def test_saved_index_is_reused_and_rebuilt_when_missing_corrupt_or_stale(setup, tmp_path):
    store, index = setup
    rng = np.random.default_rng(2)
    vectors = unit(rng, 50)
    fill(store, index, np.arange(1, 51), vectors)
    expected = index.search(vectors[3], k=5)

    reopened = VectorIndex(tmp_path / "index", store.vectors, store.state)
    assert reopened.search(vectors[3], k=5) == expected and reopened.rebuilds == 0

    (tmp_path / "index" / "chunks.hnsw").write_bytes(b"garbage")
    corrupt = VectorIndex(tmp_path / "index", store.vectors, store.state)
    assert [i for i, _ in corrupt.search(vectors[3], k=5)] == [i for i, _ in expected]
    assert corrupt.rebuilds == 1

    store.put([99], unit(rng, 1))  # another process added a chunk behind this index's back
    assert 99 in [i for i, _ in corrupt.search(store.rows[99], k=1)]
    assert corrupt.rebuilds == 2

    for name in ("chunks.hnsw", "chunks.meta.json"):
        (tmp_path / "index" / name).unlink()
    missing = VectorIndex(tmp_path / "index", store.vectors, store.state)
    assert missing.search(store.rows[99], k=1)[0][0] == 99 and missing.rebuilds == 1


def test_large_allowed_sets_use_the_hnsw_filter(setup, monkeypatch):
    store, index = setup
    monkeypatch.setattr("luna_core.documents.index.EXACT_SEARCH_LIMIT", 10)
    rng = np.random.default_rng(3)
    vectors = unit(rng, 300)
    fill(store, index, np.arange(300), vectors)
    hits = index.search(vectors[250], k=4, allowed=np.arange(200, 300))
    assert hits[0][0] == 250 and all(200 <= i < 300 for i, _ in hits)


def exact_top(store, query, k, allowed):
    ids, vectors = store.vectors()
    mask = np.isin(ids, allowed)
    scores = vectors[mask] @ query
    order = np.argsort(-scores)[:k]
    return [int(i) for i in ids[mask][order]]


def test_exact_filtered_search_stays_in_step_after_load_add_and_remove(setup, tmp_path):
    store, index = setup
    rng = np.random.default_rng(4)
    vectors = unit(rng, 120)
    fill(store, index, np.arange(1, 121), vectors)
    query, allowed = vectors[7], np.arange(1, 121, 2)

    reopened = VectorIndex(tmp_path / "index", store.vectors, store.state)  # loads the file, no copy yet
    assert [i for i, _ in reopened.search(query, 6, allowed=allowed)] == exact_top(store, query, 6, allowed)

    extra = unit(rng, 5)
    fill(store, reopened, np.arange(121, 126), extra)
    wider = np.arange(1, 126)
    assert reopened.search(extra[2], 1, allowed=wider)[0][0] == 123
    assert [i for i, _ in reopened.search(query, 6, allowed=wider)] == exact_top(store, query, 6, wider)

    store.drop([123, 8])
    reopened.remove([123, 8])
    hits = [i for i, _ in reopened.search(extra[2], 10, allowed=wider)]
    assert 123 not in hits and 8 not in hits
    assert hits == exact_top(store, extra[2], 10, wider)
    np.testing.assert_allclose(reopened.vectors([121, 3]), np.stack([extra[0], vectors[2]]), atol=1e-6)
    with pytest.raises(KeyError):
        reopened.vectors([123])


def test_changes_told_in_any_order_leave_the_index_holding_what_the_store_holds(setup):
    store, index = setup
    rng = np.random.default_rng(5)
    first, second, third = unit(rng, 30), unit(rng, 20), unit(rng, 10)
    index.ensure_current()
    store.put(np.arange(1, 31), first)  # two ingests commit, then tell the index in the other order
    store.put(np.arange(31, 51), second)
    index.add(np.arange(31, 51), second)
    index.add(np.arange(1, 31), first)
    index.add(np.arange(1, 31), first)  # told twice: held once
    assert index.ids().tolist() == list(range(1, 51)) and index.state() == store.state()
    store.drop(range(1, 31))  # a delete and an ingest commit, then tell the index in the other order
    store.put(np.arange(51, 61), third)
    index.add(np.arange(51, 61), third)
    index.remove(range(1, 31))
    assert index.ids().tolist() == list(range(31, 61)) and index.state() == store.state()
    assert {i for i, _ in index.search(first[0], 60)} == set(range(31, 61))
    assert index.search(third[4], 1)[0][0] == 55 and index.rebuilds == 1


def test_an_empty_store_searches_and_forgets_without_a_built_index(setup, tmp_path):
    store, index = setup
    query = unit(np.random.default_rng(6), 1)[0]
    index.remove([7])  # nothing was ever built
    assert index.search(query, 5) == [] and index.search(query, 5, allowed=np.array([1, 2])) == []
    fill(store, index, np.array([1, 2]), unit(np.random.default_rng(7), 2))
    store.drop([1, 2])
    index.remove([1, 2])
    assert index.search(query, 5) == [] and index.ids().tolist() == []
    fresh = VectorIndex(tmp_path / "elsewhere", store.vectors, store.state)  # a restart, no file yet
    fresh.remove([1, 2])
    assert fresh.search(query, 5, allowed=np.array([1])) == [] and fresh.vectors([]).shape == (0, 16)


def test_a_saved_index_is_trusted_only_for_the_labels_it_holds(setup, tmp_path):
    store, index = setup
    rng = np.random.default_rng(8)
    vectors = unit(rng, 40)
    fill(store, index, np.arange(1, 41), vectors)
    store.drop([5, 6])
    index.remove([5, 6])
    reopened = VectorIndex(tmp_path / "index", store.vectors, store.state)  # deletions survive a reload
    assert 5 not in [i for i, _ in reopened.search(vectors[4], 3)]
    assert reopened.rebuilds == 0 and reopened.ids().tolist() == sorted(store.rows)

    folder = tmp_path / "index"
    older = (folder / "chunks.hnsw").read_bytes()
    extra = unit(rng, 3)
    fill(store, index, np.arange(41, 44), extra)
    (folder / "chunks.hnsw").write_bytes(older)  # a crash between the two renames: new metadata, old file
    stale = VectorIndex(folder, store.vectors, store.state)
    assert stale.search(extra[1], 1)[0][0] == 42 and stale.rebuilds == 1
