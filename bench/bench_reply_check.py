"""How often the reply check withholds harmful model replies, and how often it withholds safe ones.

Reads labelled red-team sets (lines ``{"text", "label": harmful|safe, "kind", "disguise"}``): the
training sets (``reply_training.TRAIN_FILES``, in-sample for the trained model, so only a sanity
check) and the held-out sets by other authors (every tests/fixtures/reply_redteam_heldoutN.jsonl),
never used to train or tune; held-out sets 1 to 4 were retired into the training sets
once they had been looked at (bench/README.md). Scores the rules alone, the trained model alone
(``reply_model.WITHHOLD``) and both together as Luna runs them (``reply.harms``: the model also
confirms or clears the rules' findings). Also counts how many units of real material (the handouts,
the NIMH booklets' paragraphs when ../shared is there, Luna's own crisis messages) the production
check would withhold if a reply quoted them. Prints JSON, then a Markdown table.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_reply_check.py [--show-misses] [--no-training]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.documents.extract.reader import extract  # noqa: E402
from luna_core.safety.reply import harms, rule_harms  # noqa: E402
from luna_core.safety.reply_model import WITHHOLD, ReplyClassifier  # noqa: E402
from luna_core.safety.reply_training import TRAIN_FILES, load  # noqa: E402
from luna_core.safety.resources import crisis_message  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
HELD_OUT = {f"held-out {n}": FIXTURES / f"reply_redteam_heldout{n}.jsonl"  # every set in tests/fixtures, by number
            for n in sorted(int(p.stem.removeprefix("reply_redteam_heldout")) for p in FIXTURES.glob("reply_redteam_heldout*.jsonl"))}
BOOKLETS = ROOT.parent / "shared" / "corpus" / "therapy"


def rates(blocked: list[bool], rows: list[dict]) -> dict:
    harmful = [b for b, row in zip(blocked, rows, strict=True) if row["label"] == "harmful"]
    safe = [b for b, row in zip(blocked, rows, strict=True) if row["label"] == "safe"]
    return {"harmful": len(harmful), "safe": len(safe), "harmful_withheld": round(sum(harmful) / len(harmful), 3),
            "safe_withheld": round(sum(safe) / len(safe), 3)}


def score(rows: list[dict], model: ReplyClassifier, show: bool) -> dict:
    start = time.perf_counter()
    production = [bool(harms(row["text"], model)) for row in rows]
    ms = (time.perf_counter() - start) * 1000 / len(rows)
    out = {"rules only": rates([bool(rule_harms(row["text"])) for row in rows], rows),
           "model only": rates([model.score(row["text"]) >= WITHHOLD for row in rows], rows),
           "rules + model (Luna)": rates(production, rows) | {"ms_per_reply": round(ms, 1)}}
    missed = [row for b, row in zip(production, rows, strict=True) if row["label"] == "harmful" and not b]
    false = [row for b, row in zip(production, rows, strict=True) if row["label"] == "safe" and b]
    out["rules + model (Luna)"] |= {"missed_by_kind": dict(Counter(r["kind"] for r in missed)),
                                    "false_alarms_by_kind": dict(Counter(r["kind"] for r in false))}
    if show:
        for row in missed:
            print("MISSED", row["kind"], row["disguise"], row["text"], file=sys.stderr)
        for row in false:
            print("FALSE ALARM", row["kind"], row["text"], file=sys.stderr)
    return out


def material() -> dict[str, list[str]]:
    """Paragraphs of real, safe material a reply might quote; the model was trained on the booklets
    and three of the handouts (``reply_train7_booklets``, ``reply_train8_handouts``), not the rest."""
    def paragraphs(text: str) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 5]

    trained = {row["from"] for row in load([p for p in TRAIN_FILES if p.name.startswith("reply_train8")])}
    handouts = sorted((ROOT / "data" / "handouts").glob("*.md"))
    units = {"handouts, held out": [p for path in handouts if path.name not in trained for p in paragraphs(path.read_text("utf-8"))],
             "handouts, trained on": [p for path in handouts if path.name in trained for p in paragraphs(path.read_text("utf-8"))],
             "crisis messages": [crisis_message(region, level, for_other=other) for region in ("US", "UK", "IE", "CA", "AU", "NZ")
                                 for level in ("moderate", "high", "imminent") for other in (False, True)]}
    if BOOKLETS.is_dir():
        units["NIMH booklet pages, trained on"] = [p for path in sorted(BOOKLETS.glob("*.pdf"))
                                                   for page in extract(path.read_bytes(), path.name).pages for p in paragraphs(page.text)]
    return units


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true", help="print missed and falsely withheld held-out replies")
    parser.add_argument("--no-training", action="store_true", help="skip the in-sample pass over the training sets")
    args = parser.parse_args()
    model = ReplyClassifier()
    results = {} if args.no_training else {"training (in-sample)": score(load(TRAIN_FILES), model, False)}
    results |= {name: score(load([path]), model, args.show_misses) for name, path in HELD_OUT.items()}
    found = material()
    real = {name: sum(bool(harms(u, model)) for u in units) for name, units in found.items()}
    print(json.dumps({"sets": results, "real material withheld": {n: f"{real[n]} of {len(found[n])}" for n in real}}, indent=2))
    print("\n| set | stage | harmful withheld | safe withheld |\n|---|---|---|---|")
    for name, stages in results.items():
        for stage, r in stages.items():
            print(f"| {name} ({r['harmful']} harmful, {r['safe']} safe) | {stage} | {r['harmful_withheld']:.3f} | "
                  f"{r['safe_withheld']:.3f} |")


if __name__ == "__main__":
    main()
