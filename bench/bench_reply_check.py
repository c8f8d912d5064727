"""How often the reply check withholds harmful model replies, and how often it withholds safe ones.

Reads labelled red-team sets (lines ``{"text", "label": harmful|safe, "kind", "disguise"}``): the
tuning half (luna_core/safety/data/reply_redteam_tune.jsonl, also the semantic stage's bank) and
the held-out half (tests/fixtures/reply_redteam_heldout.jsonl, written by another author and
never used to tune). Scores the rules alone and rules + semantic stage (production). Prints JSON,
then a Markdown table.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_reply_check.py [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.documents.embeddings import SentenceTransformerEmbedder  # noqa: E402
from luna_core.safety.reply import check_reply  # noqa: E402
from luna_core.safety.reply_semantic import BANK_FILES, ReplyBank  # noqa: E402

SETS = {**{f"tuning {i}": path for i, path in enumerate(BANK_FILES, start=1)},
        "held-out": ROOT / "tests" / "fixtures" / "reply_redteam_heldout.jsonl"}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict], bank: ReplyBank | None, show: bool) -> dict:
    start = time.perf_counter()
    blocked = [not check_reply(row["text"], bank=bank).safe for row in rows]
    ms = (time.perf_counter() - start) * 1000 / len(rows)
    harmful = [b for b, row in zip(blocked, rows, strict=True) if row["label"] == "harmful"]
    safe = [b for b, row in zip(blocked, rows, strict=True) if row["label"] == "safe"]
    missed = [row for b, row in zip(blocked, rows, strict=True) if row["label"] == "harmful" and not b]
    false = [row for b, row in zip(blocked, rows, strict=True) if row["label"] == "safe" and b]
    if show:
        for row in missed:
            print("MISSED", row["kind"], row["disguise"], row["text"], file=sys.stderr)
        for row in false:
            print("FALSE ALARM", row["kind"], row["text"], file=sys.stderr)
    return {"harmful": len(harmful), "safe": len(safe),
            "harmful_withheld": round(sum(harmful) / len(harmful), 3),
            "safe_withheld": round(sum(safe) / len(safe), 3),
            "missed_by_kind": dict(Counter(r["kind"] for r in missed)),
            "missed_by_disguise": dict(Counter(r["disguise"] for r in missed)),
            "false_alarms_by_kind": dict(Counter(r["kind"] for r in false)), "ms_per_reply": round(ms, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true", help="print missed and falsely withheld replies")
    args = parser.parse_args()
    bank = ReplyBank(SentenceTransformerEmbedder().embed)
    results = {name: {"rules only": score(load(path), None, False),
                      "rules + semantic": score(load(path), bank, args.show_misses)} for name, path in SETS.items()}
    print(json.dumps(results, indent=2))
    print("\n| set | stage | harmful withheld | safe withheld | ms / reply |\n|---|---|---|---|---|")
    for name, stages in results.items():
        for stage, r in stages.items():
            print(f"| {name} ({r['harmful']} harmful, {r['safe']} safe) | {stage} | {r['harmful_withheld']:.3f} | "
                  f"{r['safe_withheld']:.3f} | {r['ms_per_reply']} |")


if __name__ == "__main__":
    main()
