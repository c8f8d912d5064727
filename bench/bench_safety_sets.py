"""Crisis detection beyond single short messages: long messages, worry about someone else, and
conversations (the last message read with the earlier user turns).

Each family has a tuning set (used while writing the rules and thresholds) and a held-out set
written by another author and never used to tune. Prints JSON, then a Markdown table.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_safety_sets.py

Measures: crisis recall (labelled moderate+, assessed moderate+), false alarms (labelled none,
assessed moderate+), low over-flag (labelled low, assessed moderate+), and for the concern sets
the share of concern messages (labelled moderate+) given the ``concern_for_other`` category, and
the share of the writer's own crises answered as worry about someone else (which would frame the
resources for a helper: the error to avoid most).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.documents.embeddings import SentenceTransformerEmbedder  # noqa: E402
from luna_core.safety.detector import CrisisDetector  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
FAMILIES = {"long messages": "crisis_long_{}.jsonl", "concern for others": "concern_other_{}.jsonl",
            "conversations": "crisis_conversation_{}.jsonl"}
RANK = {level: i for i, level in enumerate(("none", "low", "moderate", "high", "imminent"))}


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def score(detector: CrisisDetector, rows: list[dict]) -> dict:
    if "turns" in rows[0]:
        found = [detector.assess_turn(r["turns"][-1], r["turns"][:-1]) for r in rows]
    else:
        found = detector.assess_many([r["text"] for r in rows])
    pos = [i for i, r in enumerate(rows) if RANK[r["level"]] >= 2]
    none = [i for i, r in enumerate(rows) if r["level"] == "none"]
    low = [i for i, r in enumerate(rows) if r["level"] == "low"]
    concern = [i for i in pos if "concern_for_other" in rows[i]["categories"]]
    own = [i for i in pos if "concern_for_other" not in rows[i]["categories"]]
    return {"messages": len(rows), "crisis": len(pos), "crisis_recall": _rate(sum(found[i].crisis for i in pos), len(pos)),
            "false_alarm_rate": _rate(sum(found[i].crisis for i in none), len(none)),
            "low_over_flag_rate": _rate(sum(found[i].crisis for i in low), len(low)),
            "concern_category_recall": _rate(sum("concern_for_other" in found[i].categories for i in concern),
                                             len(concern)),
            "own_risk_taken_as_concern": _rate(sum(found[i].for_other for i in own), len(own))}


def main() -> None:
    detector = CrisisDetector(SentenceTransformerEmbedder().embed)
    results = {family: {split: score(detector, [json.loads(line) for line in (FIXTURES / pattern.format(split))
                                                 .read_text(encoding="utf-8").splitlines() if line.strip()])
                        for split in ("tune", "heldout")} for family, pattern in FAMILIES.items()}
    print(json.dumps(results, indent=2))
    print("\n| set | split | messages | crisis recall | false alarms | low over-flag | concern category | own risk as concern |")
    print("|---|---|---|---|---|---|---|---|")
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    for family, splits in results.items():
        for split, r in splits.items():
            print(f"| {family} | {split} | {r['messages']} | {fmt(r['crisis_recall'])} | {fmt(r['false_alarm_rate'])} | "
                  f"{fmt(r['low_over_flag_rate'])} | {fmt(r['concern_category_recall'])} | "
                  f"{fmt(r['own_risk_taken_as_concern'])} |")


if __name__ == "__main__":
    main()
