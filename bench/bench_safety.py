"""How well the crisis detector finds real risk, and how often it cries wolf.

Reads a JSONL set (lines ``{"text", "level", "categories"}``, labelled by
tests/fixtures/crisis_labelling.md) and scores three modes: the rules alone, the prototype
embeddings alone, and both combined (production). Prints one JSON object, then a Markdown table.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_safety.py [tests/fixtures/crisis_messages.jsonl]

Measures: crisis recall (moderate+ labelled, assessed moderate+), recall per category (messages
with that category, assessed moderate+; for ``intent_or_plan``, assessed high+), exact-level
accuracy, false-alarm rate (none-labelled assessed moderate+), low over-flag rate (low-labelled
assessed moderate+), imminent recall, and the time per message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.documents.embeddings import SentenceTransformerEmbedder  # noqa: E402
from luna_core.safety.detector import CATEGORIES, CrisisDetector  # noqa: E402

RANK = {level: i for i, level in enumerate(("none", "low", "moderate", "high", "imminent"))}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def score(rows: list[dict], levels: list[str]) -> dict:
    """The quality measures for predicted ``levels`` against the labelled ``rows``."""
    crisis = [RANK[p] >= 2 for p in levels]
    gold = [RANK[r["level"]] for r in rows]
    per_category = {}
    for category in CATEGORIES:
        floor = 3 if category == "intent_or_plan" else 2
        idx = [i for i, r in enumerate(rows) if category in r["categories"] and gold[i] >= 2]
        per_category[category] = _rate(sum(RANK[levels[i]] >= floor for i in idx), len(idx))
    pos = [i for i, g in enumerate(gold) if g >= 2]
    none = [i for i, g in enumerate(gold) if g == 0]
    low = [i for i, g in enumerate(gold) if g == 1]
    imminent = [i for i, g in enumerate(gold) if g == 4]
    return {
        "crisis_recall": _rate(sum(crisis[i] for i in pos), len(pos)),
        "imminent_recall": _rate(sum(levels[i] == "imminent" for i in imminent), len(imminent)),
        "recall_per_category": per_category,
        "exact_level_accuracy": _rate(sum(levels[i] == r["level"] for i, r in enumerate(rows)), len(rows)),
        "false_alarm_rate": _rate(sum(crisis[i] for i in none), len(none)),
        "low_over_flag_rate": _rate(sum(crisis[i] for i in low), len(low)),
        "counts": {"messages": len(rows), "crisis": len(pos), "none": len(none), "low": len(low)},
    }


def run(detector: CrisisDetector, rows: list[dict]) -> tuple[list[str], dict]:
    texts = [r["text"] for r in rows]
    detector.assess_many(texts[:1])  # warm up: loads the model and embeds the prototype bank
    start = time.perf_counter()
    batch = detector.assess_many(texts)
    batch_ms = (time.perf_counter() - start) * 1000 / len(texts)
    sample = texts[:: max(1, len(texts) // 50)]  # spread over the set: crisis messages skip the embedding
    start = time.perf_counter()
    for text in sample:
        detector.assess(text)
    single_ms = (time.perf_counter() - start) * 1000 / len(sample)
    return [a.level for a in batch], {"batched_ms_per_message": round(batch_ms, 2),
                                      "single_ms_per_message": round(single_ms, 2)}


def markdown(results: dict) -> str:
    modes = list(results)
    rows = [("crisis recall (moderate+)", "crisis_recall"), ("imminent recall", "imminent_recall")]
    rows += [(f"recall: {c}", c) for c in CATEGORIES]
    rows += [("exact-level accuracy", "exact_level_accuracy"), ("false alarms (none -> moderate+)", "false_alarm_rate"),
             ("low over-flag (low -> moderate+)", "low_over_flag_rate"), ("ms / message, batched", "batched_ms_per_message"),
             ("ms / message, one by one", "single_ms_per_message")]
    lines = ["| measure | " + " | ".join(modes) + " |", "|---" * (len(modes) + 1) + "|"]
    for label, key in rows:
        cells = []
        for mode in modes:
            value = results[mode]["recall_per_category"].get(key) if key in CATEGORIES else results[mode].get(key)
            cells.append("n/a" if value is None else f"{value:.3f}" if key.endswith(("rate", "recall", "accuracy"))
                         or key in CATEGORIES else f"{value}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default=str(ROOT / "tests/fixtures/crisis_messages.jsonl"))
    args = parser.parse_args()
    rows = load(Path(args.path))
    embed = SentenceTransformerEmbedder().embed
    detectors = {"rules only": CrisisDetector(None), "embeddings only": CrisisDetector(embed, use_rules=False),
                 "combined": CrisisDetector(embed)}
    results = {}
    for mode, detector in detectors.items():
        levels, timing = run(detector, rows)
        results[mode] = {**score(rows, levels), **timing}
    print(json.dumps({"set": args.path, "results": results}, indent=2))
    print()
    print(f"{len(rows)} messages from `{Path(args.path).name}`\n")
    print(markdown(results))


if __name__ == "__main__":
    main()
