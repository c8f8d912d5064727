"""Document pipeline speed against bare embedding, and the vector index at 100k chunks.

    .venv/bin/python bench/bench_pipeline.py booklets     # each 8-page NIMH booklet, stage by stage
    .venv/bin/python bench/bench_pipeline.py index --n 100000 [--data clustered|uniform]

For a booklet: the whole ``DocumentService.add_file`` (extraction in its worker process, chunking,
embedding, DuckDB write, index update) against ``model.encode`` of the very same chunk texts in the
same run, with the model already loaded for both. Goal: whole pipeline within 1.5x of bare embedding.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from luna_core.config import Settings  # noqa: E402
from luna_core.documents.index import IndexState, VectorIndex  # noqa: E402
from luna_core.luna import Luna  # noqa: E402

THERAPY = ROOT.parent / "shared" / "corpus" / "therapy"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def booklets(args) -> list[dict]:
    luna = Luna.open(Settings.from_env({}, data_dir=Path(tempfile.mkdtemp(prefix="luna-pipe-"))))
    user = luna.user("bench")
    luna.embedder.embed(["warm up the model"])
    rows = []
    for path in sorted(THERAPY.glob("*.pdf")):
        data = path.read_bytes()
        start = time.perf_counter()
        result = luna.documents.add_file(user, path.name, data)
        whole = time.perf_counter() - start
        dataset = luna.library.get(user, result.dataset_id)
        texts = [c["content"] for c in luna.library.chunks(user, result.dataset_id)]
        model = luna.embedder._load()
        start = time.perf_counter()
        model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        bare = time.perf_counter() - start
        stages = dataset.metadata.get("timings_s", {})
        rows.append({"file": path.name, "pages": result.pages, "chunks": result.chunk_count,
                     "whole_s": round(whole, 2), "bare_encode_s": round(bare, 2), "ratio": round(whole / bare, 2),
                     **{f"{k}_s": v for k, v in stages.items()}})
    rows.append({"peak_rss_mb": round(peak_rss_mb())})
    return rows


def synthetic(n: int, kind: str, rng) -> np.ndarray:
    """Unit vectors. 'clustered' looks like sentence embeddings of a document library (topics: a
    passage is ~0.7 cosine to its topic); 'uniform' has no structure at all, the worst case for HNSW."""
    if kind == "uniform":
        vectors = rng.normal(size=(n, 384)).astype(np.float32)
    else:
        centres = rng.normal(size=(n // 50, 384)).astype(np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        vectors = centres[rng.integers(0, len(centres), n)] + rng.normal(scale=0.05, size=(n, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def index(args) -> dict:
    rng = np.random.default_rng(7)
    vectors = synthetic(args.n, args.data, rng)
    ids = np.arange(1, args.n + 1)
    state = IndexState(args.n, int(ids.sum()), "bench", 384)
    folder = Path(tempfile.mkdtemp(prefix="luna-index-"))
    before = peak_rss_mb()
    start = time.perf_counter()
    index = VectorIndex(folder, lambda: (ids, vectors), lambda: state)
    index.ensure_current()
    build = time.perf_counter() - start
    # queries: a new passage near an existing one (what a question about a stored passage looks like)
    queries = vectors[rng.integers(0, args.n, 200)] + rng.normal(scale=0.03, size=(200, 384)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def timed(allowed=None) -> float:
        start = time.perf_counter()
        for q in queries:
            index.search(q, 10, allowed=allowed)
        return (time.perf_counter() - start) / len(queries) * 1000

    exact = np.argsort(-(vectors @ queries[:100].T), axis=0)[:10].T + 1
    found = [set(i for i, _ in index.search(q, 10)) for q in queries[:100]]
    recall = np.mean([len(f & set(e)) / 10 for f, e in zip(found, exact)])
    reopened_start = time.perf_counter()
    VectorIndex(folder, lambda: (ids, vectors), lambda: state).ensure_current()
    load = time.perf_counter() - reopened_start
    return {"vectors": args.n, "data": args.data, "build_s": round(build, 1), "load_from_file_s": round(load, 2),
            "query_ms_unfiltered_hnsw": round(timed(), 2),
            "query_ms_filtered_10k_exact": round(timed(ids[:10000]), 2),
            "query_ms_filtered_50k_hnsw": round(timed(ids[:50000]), 2),
            "recall_at_10_unfiltered_vs_exact": round(float(recall), 3),
            "file_mb": round((folder / "chunks.hnsw").stat().st_size / 1e6, 1),
            "rss_growth_mb": round(peak_rss_mb() - before)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["booklets", "index"])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--data", choices=["clustered", "uniform"], default="clustered")
    args = parser.parse_args()
    print(json.dumps(booklets(args) if args.what == "booklets" else index(args), indent=2))


if __name__ == "__main__":
    main()
