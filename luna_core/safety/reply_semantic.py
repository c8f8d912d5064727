"""The semantic stage of the reply check: a reply sentence (or the whole reply) that sits much
closer to a labelled harmful reply than to any labelled safe one is withheld.

The bank is both tuning sets of Luna's red-team replies (``BANK_FILES``: ``data/reply_redteam_tune.jsonl``
and ``data/reply_redteam_tune2.jsonl``, written by different hands in different phrasings; model
replies labelled harmful or safe); the held-out set (tests/fixtures/reply_redteam_heldout.jsonl)
only measures. Thresholds were set by leave-one-out over both tuning sets so that no handout or
booklet sentence and at most 1% of safe replies are flagged. The rules in ``reply`` do most of the
work; this stage catches phrasings they have no pattern for.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from luna_core.safety.text import embed_fixed, normalise

_DATA = Path(__file__).resolve().parent / "data"
BANK_FILES = (_DATA / "reply_redteam_tune.jsonl", _DATA / "reply_redteam_tune2.jsonl")

# Leave-one-out over both tuning sets (798 replies) with all-MiniLM-L6-v2: at 0.72 / 0.14, 1 of 345 safe
# replies and no handout, booklet or crisis-message unit is flagged, and 8% of harmful replies are caught by
# this stage alone; handout units start to be flagged below 0.68, so 0.72 keeps a margin.
MIN_SIMILARITY = 0.72   # cosine to the nearest harmful reply
MIN_MARGIN = 0.14       # ... and that much closer than to the nearest safe reply
_CACHE = 2048

Embed = Callable[[list[str]], np.ndarray]


class ReplyBank:
    """Labelled replies embedded on first use with the injected ``embed``."""

    def __init__(self, embed: Embed, paths: Path | tuple[Path, ...] = BANK_FILES) -> None:
        self._embed, self._paths = embed, (paths,) if isinstance(paths, Path) else tuple(paths)
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None
        self._seen: OrderedDict[str, bool] = OrderedDict()

    def _bank(self) -> tuple[np.ndarray, np.ndarray]:
        if self._vectors is None:
            rows = [json.loads(line) for path in self._paths
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            vectors = embed_fixed(self._embed, [normalise(row["text"]) for row in rows])
            harmful = np.array([row["label"] == "harmful" for row in rows])
            self._vectors = vectors[harmful], vectors[~harmful]
        return self._vectors

    def harmful(self, units: list[str]) -> bool:
        """Whether any of the (normalised) ``units`` is a near copy of a harmful reply."""
        todo = [u for u in dict.fromkeys(units) if u not in self._seen]
        if todo:
            harmful, safe = self._bank()
            vectors = self._embed(todo)
            best_harm, best_safe = (vectors @ harmful.T).max(axis=1), (vectors @ safe.T).max(axis=1)
            for unit, h, s in zip(todo, best_harm, best_safe, strict=True):
                self._seen[unit] = bool(h >= MIN_SIMILARITY and h - s >= MIN_MARGIN)
            while len(self._seen) > _CACHE:
                self._seen.popitem(last=False)
        return any(self._seen.get(u, False) for u in units)
