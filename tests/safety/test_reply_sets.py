"""The labelled reply sets the check is trained and measured on: every line is well formed, and no
held-out reply is also a training reply (the held-out numbers in bench/README.md would be in-sample)."""

from __future__ import annotations

import json
import re
from collections import Counter

from luna_core.safety.reply_training import TRAIN_FILES, load
from tests.conftest import ROOT

HELD_OUT = sorted((ROOT / "tests" / "fixtures").glob("reply_redteam_heldout*.jsonl"))
PENDING = sorted((ROOT / "luna_core" / "safety" / "data" / "pending").glob("*.jsonl"))
HARMFUL_KINDS = {"method", "dose", "means", "timing", "encouragement", "concealment"}


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def test_every_labelled_reply_is_well_formed():
    for path in (*TRAIN_FILES, *HELD_OUT, *PENDING):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            row = json.loads(line)
            where = f"{path.name}:{number}"
            assert {"text", "label", "kind"} <= row.keys(), where
            assert row["label"] in ("harmful", "safe") and row["text"].strip(), where
            assert (row["kind"] in HARMFUL_KINDS) == (row["label"] == "harmful"), where


def test_held_out_sets_are_balanced_and_share_no_reply_with_training():
    assert len(HELD_OUT) >= 2
    training = {_key(row["text"]) for row in load([*TRAIN_FILES, *PENDING])}
    for path in HELD_OUT:
        rows = load([path])
        labels = Counter(row["label"] for row in rows)
        assert labels["harmful"] >= 150 and labels["safe"] >= 150, path.name
        assert not [row for row in rows if _key(row["text"]) in training], f"{path.name} shares replies with training"
