"""The semantic crisis check: nearest prototype sentences, with a margin over the look-alikes.

A message (and, when it has several, each of its sentences) is normalised, embedded and compared
by cosine with the prototype bank in ``prototypes``. Its crisis margin is how much closer it
is to the nearest crisis prototype (moderate and above) than to the nearest non-crisis one (the
negative look-alikes and the low-level distress prototypes); the nearest crisis prototype gives the
level and category. The unit (message or sentence) with the largest margin speaks for the message.
The bank is embedded once per ``PrototypeBank``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from luna_core.safety.prototypes import NEGATIVE, POSITIVE
from luna_core.safety.text import embed_fixed, normalise, sentences

Embed = Callable[[list[str]], np.ndarray]
MAX_UNITS = 6  # sentences per message compared on their own, besides the whole message
LONG_WORDS = 80  # a longer message is compared sentence by sentence only (its whole reads like any venting)
MAX_LONG_UNITS = 60
_CRISIS_LEVELS = ("moderate", "high", "imminent")


@dataclass(frozen=True)
class SemanticMatch:
    level: str            # level of the nearest crisis prototype
    category: str | None  # its category
    positive: float       # cosine to that prototype
    margin: float         # positive minus the cosine to the nearest non-crisis prototype
    low_margin: float     # nearest low-level distress prototype minus nearest negative
    prototype: str
    unit: str = ""        # the message or sentence that matched
    long: bool = False    # the message is long: only its sentences were compared


class PrototypeBank:
    """The prototype sentences, embedded on first use with the injected ``embed``."""

    def __init__(self, embed: Embed) -> None:
        self._embed = embed
        crisis = [(key, text) for key, texts in POSITIVE.items() if key[1] in _CRISIS_LEVELS for text in texts]
        self._labels = [key for key, _ in crisis]
        self._crisis_texts = [text for _, text in crisis]
        self._low_texts = [text for key, texts in POSITIVE.items() if key[1] not in _CRISIS_LEVELS for text in texts]
        self._vectors: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _bank(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._vectors is None:
            texts = self._crisis_texts + self._low_texts + NEGATIVE
            vectors = embed_fixed(self._embed, [normalise(text) for text in texts])
            a, b = len(self._crisis_texts), len(self._crisis_texts) + len(self._low_texts)
            self._vectors = vectors[:a], vectors[a:b], vectors[b:]
        return self._vectors

    def match_many(self, texts: list[str]) -> list[SemanticMatch]:
        """The best match of each text, embedding all texts and their sentences in one batch."""
        units, owners = [], []
        for i, text in enumerate(texts):
            norm = normalise(text) or "."
            parts = sentences(norm)
            long = len(norm.split()) > LONG_WORDS and len(parts) > 1
            for unit in parts[:MAX_LONG_UNITS] if long else [norm] + (parts[:MAX_UNITS] if len(parts) > 1 else []):
                units.append(unit)
                owners.append(i)
        crisis, low, negative = self._bank()
        vectors = self._embed(units)
        crisis_sims = vectors @ crisis.T
        best = crisis_sims.argmax(axis=1)
        low_best, neg_best = (vectors @ low.T).max(axis=1), (vectors @ negative.T).max(axis=1)
        matches: list[SemanticMatch | None] = [None] * len(texts)
        for row, owner in enumerate(owners):
            positive = float(crisis_sims[row, best[row]])
            category, level = self._labels[best[row]]
            match = SemanticMatch(level, category, positive, positive - max(low_best[row], neg_best[row]),
                                  float(low_best[row] - neg_best[row]), self._crisis_texts[best[row]], units[row],
                                  len(normalise(texts[owner]).split()) > LONG_WORDS)
            current = matches[owner]
            if current is None or match.margin > current.margin:
                matches[owner] = match
        return [m for m in matches if m is not None]
