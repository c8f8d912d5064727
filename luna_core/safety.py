"""The crisis safety layer: every user message is assessed before the LLM, every reply after it.

``CrisisDetector.assess`` returns a ``CrisisAssessment`` (level, categories, score). A message at
``moderate`` or above is a crisis: Luna puts ``crisis_resources.crisis_message`` first in its reply,
whatever the persona says. ``check_reply`` (in ``safety_reply``) withholds model replies that give
methods, encourage harm, discourage help, or cite an outdated crisis number.

The detector has two stages. Rules (``safety_rules``) over normalised text read who, when and how
(first person or not, past or present, figurative or not, intent, plan, means, time). The semantic
stage (``safety_semantic``), when an ``embed`` function is given, compares the message with
prototype sentences and only ever raises a level the rules found nothing to explain: a message the
rules saw as figurative, past, denied, third-party or educational is not raised. Levels and
categories follow tests/fixtures/crisis_labelling.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from luna_core.safety_reply import ReplyCheck, check_reply
from luna_core.safety_rules import RANK, RuleResult, evaluate
from luna_core.safety_semantic import PrototypeBank, SemanticMatch

__all__ = ["LEVELS", "CATEGORIES", "CrisisAssessment", "CrisisDetector", "ReplyCheck", "check_reply"]

LEVELS = ("none", "low", "moderate", "high", "imminent")
CATEGORIES = ("suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse")
CRISIS_LEVELS = ("moderate", "high", "imminent")

# Margins over the nearest non-crisis prototype (cosine), tuned on tests/fixtures/crisis_dev.jsonl.
SEMANTIC_FLAG = 0.10     # embeddings alone call a crisis
SEMANTIC_RAISE = 0.14    # embeddings raise a message the rules left at none or plain distress
SEMANTIC_LOW = 0.12      # embeddings alone call low-level distress
_LEVEL_SCORE = {"none": 0.05, "low": 0.3, "moderate": 0.55, "high": 0.8, "imminent": 0.95}
# Rule findings that explain a risk word away; the semantic stage must not override them.
_EXPLAINED = ("denied:", "past:", "intrusive:", "disclaimed:", "joke:", "self_harm_past", "denial",
              "anger_disclaimed")


@dataclass(frozen=True)
class CrisisAssessment:
    """The crisis level of one message. ``score`` in [0, 1] grows with level and confidence."""

    level: str
    categories: list[str]
    score: float
    reasons: tuple[str, ...] = field(default=(), compare=False)

    @property
    def crisis(self) -> bool:
        """Whether Luna must put crisis resources first (moderate, high or imminent)."""
        return self.level in CRISIS_LEVELS

    def to_dict(self) -> dict:
        """The ``safety scan`` CLI contract: ``{"crisis", "level", "categories"}``."""
        return {"crisis": self.crisis, "level": self.level, "categories": list(self.categories)}


class CrisisDetector:
    """Assesses messages with the rules, plus prototype similarity when ``embed`` is given.

    ``embed`` maps texts to unit-length float32 rows (``SentenceTransformerEmbedder.embed``). With
    ``use_rules=False`` the prototypes alone decide (for benchmarks; not for production).
    """

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None = None, *, use_rules: bool = True) -> None:
        if embed is None and not use_rules:
            raise ValueError("a detector needs the rules, an embed function, or both")
        self._bank = PrototypeBank(embed) if embed is not None else None
        self._use_rules = use_rules

    def assess(self, text: str) -> CrisisAssessment:
        return self.assess_many([text])[0]

    def assess_many(self, texts: list[str]) -> list[CrisisAssessment]:
        """One assessment per text; the embedding of all texts is done in one batch."""
        texts = [text if isinstance(text, str) else str(text) for text in texts]
        rules = [evaluate(text) if self._use_rules else None for text in texts]
        matches = self._bank.match_many(texts) if self._bank is not None and texts else [None] * len(texts)
        return [_combine(rule, match) for rule, match in zip(rules, matches)]


def _combine(rule: RuleResult | None, match: SemanticMatch | None) -> CrisisAssessment:
    if rule is None:
        return _semantic_only(match)
    level, categories, reasons = rule.level, list(rule.categories), list(rule.reasons)
    if match is not None and _semantic_may_raise(rule):
        if match.margin >= SEMANTIC_RAISE and match.category:
            level = "high" if RANK[match.level] >= RANK["high"] else "moderate"
            categories = [match.category] if match.category != "intent_or_plan" else ["suicidal_ideation"]
            reasons.append(f"semantic:{match.prototype}")
        elif level == "none" and match.low_margin >= SEMANTIC_LOW and match.margin > -0.05:
            level = "low"
            reasons.append("semantic_low")
    return CrisisAssessment(level, categories, _score(level, match), tuple(reasons))


def _semantic_may_raise(rule: RuleResult) -> bool:
    """The rules found nothing, or only plain distress, and nothing that explains a risk word away."""
    if rule.masked or rule.educational or RANK[rule.level] >= RANK["moderate"]:
        return False
    return not any(reason.startswith(_EXPLAINED) for reason in rule.reasons)


def _semantic_only(match: SemanticMatch | None) -> CrisisAssessment:
    if match is None:
        return CrisisAssessment("none", [], _LEVEL_SCORE["none"])
    if match.margin >= SEMANTIC_FLAG and match.category:
        categories = [match.category] + (["intent_or_plan"] if match.level == "imminent" else [])
        return CrisisAssessment(match.level, categories, _score(match.level, match), (match.prototype,))
    if match.low_margin >= SEMANTIC_LOW and match.margin > -0.05:
        return CrisisAssessment("low", [], _score("low", match), ("semantic_low",))
    return CrisisAssessment("none", [], _score("none", match))


def _score(level: str, match: SemanticMatch | None) -> float:
    """The level's base score, nudged (within the level's band) by the semantic margin."""
    nudge = 0.0 if match is None else float(np.clip(match.margin, -0.5, 0.5)) * 0.1
    return round(float(np.clip(_LEVEL_SCORE[level] + nudge, 0.0, 1.0)), 3)
