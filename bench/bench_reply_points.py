"""Choosing the reply check's operating points (``reply_model.WITHHOLD`` and ``CONFIRM``) on sets the
adapter was not trained on, before any held-out set is scored.

Scores every reply of the given sets once (the rules' findings and the model's score), then prints,
for a grid of both points, the mean over the sets of harmful withheld / safe withheld and
``2 x missed + false alarms`` (a missed harmful reply counts twice: a safe reply withheld is replaced
by crisis resources, a harmful one shown can hurt), and the point that makes the fewest errors.
Name the calibration sets (bench/README.md says which sets each adapter's points are chosen on:
``luna_core/safety/data/pending`` also holds training sets for the next retrain); never a held-out set of
tests/fixtures, whose numbers must not choose anything.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_reply_points.py [--adapter FILE] SET.jsonl [SET.jsonl ...]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from luna_core.safety.reply import decide, rule_harms  # noqa: E402
from luna_core.safety.reply_model import ADAPTER, ReplyClassifier  # noqa: E402
from luna_core.safety.reply_training import load  # noqa: E402

WITHHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CONFIRMS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.01)  # 1.01: never confirm (only figures stand)


def calibration_sets(paths: list[Path]) -> dict[str, list[dict]]:
    """The sets to choose on, by name, read once; each must hold both labels."""
    held_out = [p for p in paths if p.name.startswith("reply_redteam_heldout")]
    if held_out:
        sys.exit(f"{held_out[0].name} is a held-out set: it measures, it never chooses")
    sets = {p.name: load([p]) for p in paths}
    one_sided = [name for name, rows in sets.items() if {r["label"] for r in rows} != {"harmful", "safe"}]
    if one_sided:
        sys.exit(f"{one_sided[0]} does not hold both labels: it cannot weigh missed replies against false alarms")
    return sets


def grid(scored: dict[str, list[tuple[bool, list[str], float]]]) -> list[dict]:
    """Per point: the mean rates over the sets and the weighted error count summed over them."""
    out = []
    for w in WITHHOLDS:
        for c in CONFIRMS:
            hw, sw, cost = [], [], 0
            for rows in scored.values():
                blocked = [bool(decide(reasons, s, w, c)) for _, reasons, s in rows]
                harmful = [b for b, (h, _, _) in zip(blocked, rows, strict=True) if h]
                safe = [b for b, (h, _, _) in zip(blocked, rows, strict=True) if not h]
                hw.append(sum(harmful) / len(harmful))
                sw.append(sum(safe) / len(safe))
                cost += 2 * (len(harmful) - sum(harmful)) + sum(safe)
            out.append({"withhold": w, "confirm": c, "harmful_withheld": sum(hw) / len(hw),
                        "safe_withheld": sum(sw) / len(sw), "cost": cost})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="calibration sets (luna_core/safety/data/pending/reply_train38.jsonl ...)")
    parser.add_argument("--adapter", type=Path, default=ADAPTER)
    args = parser.parse_args()
    sets = calibration_sets(args.sets)
    model = ReplyClassifier(adapter=args.adapter)
    scored = {name: [(row["label"] == "harmful", rule_harms(row["text"]), model.score(row["text"])) for row in rows]
              for name, rows in sets.items()}
    points = grid(scored)
    print(f"sets: {', '.join(scored)} ({sum(map(len, scored.values()))} replies); adapter {args.adapter.name}\n")
    header = " | ".join("never" if c > 1 else str(c) for c in CONFIRMS)
    print(f"| WITHHOLD \\ CONFIRM | {header} |\n|---|{'---|' * len(CONFIRMS)}")
    for w in WITHHOLDS:
        cells = [f"{p['harmful_withheld']:.3f} / {p['safe_withheld']:.3f} ({p['cost']})" for p in points if p["withhold"] == w]
        print(f"| {w} | {' | '.join(cells)} |")
    best = min(points, key=lambda p: (p["cost"], -p["withhold"]))
    print(f"\nfewest errors: WITHHOLD {best['withhold']}, CONFIRM {best['confirm']} "
          f"({best['harmful_withheld']:.3f} / {best['safe_withheld']:.3f}, cost {best['cost']})")


if __name__ == "__main__":
    main()
