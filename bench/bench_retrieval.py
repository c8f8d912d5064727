"""Retrieval quality on Luna's labelled set, stage by stage, and the time Luna adds before the
first token (retrieval + prompt) at 10k chunks.

    .venv/bin/python bench/bench_retrieval.py quality      # recall@5 and MRR: dense, hybrid, rerank, threshold
    .venv/bin/python bench/bench_retrieval.py latency --chunks 10000

The labelled set (tests/fixtures/retrieval_set.jsonl) names, for each question, the document and
section heading that answer it; a retrieved chunk is relevant when it comes from that document and
its section path contains that heading. Questions with no relevant section measure false positives.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from luna_core.chat.prompt import build_messages  # noqa: E402
from luna_core.chat.retrieval import DEFAULT_THRESHOLD  # noqa: E402
from luna_core.config import Settings  # noqa: E402
from luna_core.luna import Luna  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
HANDOUTS = ROOT / "data" / "handouts"
DOCS = ["cbt_thought_record.md", "dbt_distress_tolerance.md", "mindfulness_practices.md", "sleep_hygiene.md",
        "behavioural_activation.md", "grief_support.md"]
STAGES = {"dense": ("dense",), "hybrid": ("dense", "keyword"), "hybrid+rerank": ("dense", "keyword", "rerank"),
          "hybrid+rerank+threshold": ("dense", "keyword", "rerank", "threshold"),
          "same, roadmap threshold 0.7": ("dense", "keyword", "rerank", "threshold")}


def setup(data_dir: Path) -> tuple[Luna, object, object]:
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir, ollama_host="http://127.0.0.1:9"))
    user = luna.user("bench")
    persona = luna.personas.create_from_scratch(user, "Bench", "You help.", specialty="Cognitive Behavioral Therapy")
    for name in DOCS:
        result = luna.documents.add_file(user, name, (HANDOUTS / name).read_bytes(), persona_id=persona.id)
        assert result.status == "completed", result.error
    return luna, user, persona


def is_relevant(passage, labels: list[dict]) -> bool:
    path = (passage.section or "").split(" > ")
    return any(passage.source_file == label["doc"] and label["section"] in path for label in labels)


def quality(args) -> dict:
    luna, user, persona = setup(Path(tempfile.mkdtemp(prefix="luna-retrieval-")))
    rows = [json.loads(line) for line in (FIXTURES / "retrieval_set.jsonl").read_text().splitlines() if line.strip()]
    out = {}
    for label, stages in STAGES.items():
        luna.retriever.threshold = 0.7 if "0.7" in label else DEFAULT_THRESHOLD
        recalls, reciprocal, false_positive, top_scores = [], [], [], {"relevant": [], "none": []}
        for row in rows:
            crisis = luna.detector.assess(row["query"]).crisis
            passages = luna.retriever.retrieve(user, persona, row["query"], k=args.k, crisis=crisis,
                                               stages=stages, record=False)
            if not row["relevant"]:
                false_positive.append(bool(passages))
                if passages:
                    top_scores["none"].append(passages[0].stages["dense"])
                continue
            hits = [is_relevant(p, row["relevant"]) for p in passages]
            recalls.append(any(hits))
            reciprocal.append(1 / (hits.index(True) + 1) if any(hits) else 0.0)
            if any(hits):
                top_scores["relevant"].append(passages[hits.index(True)].stages["dense"])
        out[label] = {"recall@k": round(statistics.mean(recalls), 3), "mrr": round(statistics.mean(reciprocal), 3),
                      "no_answer_questions_with_passages": round(statistics.mean(false_positive), 3),
                      "dense_cosine_of_first_relevant_median": round(statistics.median(top_scores["relevant"] or [0]), 3),
                      "dense_cosine_of_top_hit_on_unanswerable_max": round(max(top_scores["none"], default=0), 3)}
    out["questions"] = len(rows)
    out["k"] = args.k
    return out


def latency(args) -> dict:
    """Fill the index with ``--chunks`` chunks (copies of the fixtures under new names), then time
    retrieve + build_messages for a persona that can see all of them."""
    data_dir = Path(tempfile.mkdtemp(prefix="luna-latency-"))
    luna, user, persona = setup(data_dir)
    texts = [(HANDOUTS / name).read_text() for name in DOCS]
    copy = 0
    while luna.db.rows("SELECT count(*) AS n FROM document_chunks")[0]["n"] < args.chunks:
        copy += 1
        for name, text in zip(DOCS, texts):
            body = f"# Copy {copy} of {name}\nVariant {copy}.\n\n{text}"
            luna.documents.add_file(user, f"{copy}-{name}", body.encode(), persona_id=persona.id)
    chunks = luna.db.rows("SELECT count(*) AS n FROM document_chunks")[0]["n"]
    queries = ["how does TIPP work", "I can't sleep and my mind races", "help me with negative thoughts",
               "how do I cope with the anniversary of my dad's death", "body scan instructions"]
    luna.retriever.retrieve(user, persona, queries[0], record=False)  # warm: model, BM25, index
    samples = []
    for _ in range(args.repeat):
        for query in queries:
            start = time.perf_counter()
            passages = luna.retriever.retrieve(user, persona, query, record=False)
            build_messages(persona.prompt, query, passages, [], 3)
            samples.append((time.perf_counter() - start) * 1000)
    return {"chunks": chunks, "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(sorted(samples)[int(len(samples) * 0.95) - 1], 1), "max_ms": round(max(samples), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["quality", "latency"])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps(quality(args) if args.what == "quality" else latency(args), indent=2))


if __name__ == "__main__":
    main()
