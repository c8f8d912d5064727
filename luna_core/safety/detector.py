"""The crisis safety layer: every user message is assessed before the LLM, every reply after it.

``CrisisDetector.assess`` returns a ``CrisisAssessment`` (level, categories, score). A message at
``moderate`` or above is a crisis: Luna puts ``resources.crisis_message`` first in its reply,
whatever the persona says. ``check_reply`` (in ``reply``) withholds model replies that give
methods, encourage harm, discourage help, or cite an outdated crisis number.

The detector has two stages. Rules (``rules``) over normalised text read who, when and how
(first person or not, past or present, figurative or not, intent, plan, means, time). The semantic
stage (``semantic``), when an ``embed`` function is given, compares the message with
prototype sentences and only ever raises a level the rules found nothing to explain: a message the
rules saw as figurative, past, denied, third-party or educational is not raised. Levels and
categories follow tests/fixtures/crisis_labelling.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from luna_core.safety import conversation
from luna_core.safety.concern import FIRST_PERSON_RISK, Concern, assess_concern, others_words, quotes_other
from luna_core.safety.context import has_risk_words
from luna_core.safety.reply import ReplyCheck, check_reply
from luna_core.safety.reply_model import ReplyClassifier
from luna_core.safety.rules import RANK, RuleResult, evaluate
from luna_core.safety.semantic import LONG_WORDS, PrototypeBank, SemanticMatch
from luna_core.safety.text import normalise

__all__ = ["LEVELS", "CATEGORIES", "CrisisAssessment", "CrisisDetector", "ReplyCheck", "assess_fail_safe",
           "check_reply"]

log = logging.getLogger(__name__)
LEVELS = ("none", "low", "moderate", "high", "imminent")
CATEGORIES = ("suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse", "concern_for_other")
CONCERN = "concern_for_other"
_OWN = ("suicidal_ideation", "self_harm", "harm_to_others", "abuse")
CRISIS_LEVELS = ("moderate", "high", "imminent")

# Margins over the nearest non-crisis prototype (cosine), tuned on tests/fixtures/crisis_dev.jsonl.
SEMANTIC_FLAG = 0.10     # embeddings alone call a crisis
SEMANTIC_RAISE = 0.14    # embeddings raise a message the rules left at none or plain distress ...
SEMANTIC_RAISE_GATED = 0.05  # ... or with less margin when a risk word survived the figurative masking
SEMANTIC_RAISE_LONG = 0.10  # ... or by one sentence of a long message (tests/fixtures/crisis_long_tune.jsonl)
LONG_NO_RISK_WORD = 0.08  # ... which needs this much more without a risk word
SEMANTIC_LOW = 0.12      # embeddings alone call low-level distress
SEMANTIC_ACT = 0.05      # a crisis match next to an act under way ("in the bath with a razor") is imminent
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
    def for_other(self) -> bool:
        """The danger is to someone else: resources framed for a helper (the writer shows no own risk)."""
        return CONCERN in self.categories and not any(c in _OWN for c in self.categories)

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

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None = None, *, use_rules: bool = True,
                 reply_model: ReplyClassifier | None = None) -> None:
        if embed is None and not use_rules:
            raise ValueError("a detector needs the rules, an embed function, or both")
        self._bank = PrototypeBank(embed) if embed is not None else None
        self._reply_model = reply_model
        self._use_rules = use_rules

    def assess_turn(self, message: str, earlier: list[str]) -> CrisisAssessment:
        """``message`` read with the person's ``earlier`` turns in this conversation (oldest first):
        see ``conversation.in_context``. One batch for the message, the joined text and the turns."""
        recent = [text for text in earlier[-conversation.RECENT_TURNS:] if text.strip()]
        if not recent:
            return self.assess(message)
        current, together, *before = self.assess_many([message, conversation.joined(recent, message), *recent])
        return conversation.in_context(current, message, before, together)

    def check_reply(self, reply: str, region: str = "US", crisis: bool = False) -> ReplyCheck:
        """``reply.check_reply`` with the trained reply model when this detector has one."""
        return check_reply(reply, region, self._reply_model, crisis)

    def warm_up(self) -> None:
        """Load the reply model now (a second or two), so the first reply checked does not wait; a
        model that cannot load is logged here and the rules check replies alone."""
        if self._reply_model is not None:
            try:
                self._reply_model.scores(["hello"])
            except Exception:  # noqa: BLE001 - check_reply logs it again and keeps the rules
                log.exception("the reply model could not be loaded; replies are checked by the rules")

    def assess(self, text: str) -> CrisisAssessment:
        return self.assess_many([text])[0]

    def assess_many(self, texts: list[str]) -> list[CrisisAssessment]:
        """One assessment per text; the embedding of all texts is done in one batch. A long message
        is also read in windows of two sentences, and its most serious window counts (long venting
        is not a crisis; one line of intent inside it is)."""
        texts = [text if isinstance(text, str) else str(text) for text in texts]
        whole = self._assess_each(texts)
        windows = {i: long_windows(text) for i, text in enumerate(texts)}
        flat = [w for i in sorted(windows) for w in windows[i]]
        if not flat:
            return whole
        # windows are read by the rules only: the semantic stage already compared each sentence
        found = iter(self._assess_each(flat, semantic=False))
        out = []
        for i, assessment in enumerate(whole):
            parts = [next(found) for _ in windows[i]]
            out.append(max([assessment, *parts], key=lambda a: (RANK[a.level], a.score)))
        return out

    def _assess_each(self, texts: list[str], semantic: bool = True) -> list[CrisisAssessment]:
        rules = [evaluate(text) if self._use_rules else None for text in texts]
        matches: list[SemanticMatch | None] = [None] * len(texts)
        if self._bank is not None and (semantic or not self._use_rules):
            # Only messages the prototypes could still change are embedded, with figurative and
            # accidental phrases masked out when the rules ran.
            todo = [i for i, rule in enumerate(rules) if rule is None or _semantics_can_change(rule)]
            seen = [rules[i].text if rules[i] is not None else texts[i] for i in todo]
            try:
                found = self._bank.match_many(seen) if todo else []
            except Exception:  # the rules alone still decide: crisis detection never waits on the model
                if not self._use_rules:
                    raise
                log.exception("semantic crisis check failed; assessing with the rules alone")
                found = []
            for i, match in zip(todo, found):
                matches[i] = match
        out = []
        for rule, match, text in zip(rules, matches, texts):
            own, norm = _combine(rule, match), rule.text if rule else normalise(text)
            out.append(_with_concern(own, rule, _concern(norm, own)))
        return out


def _combine(rule: RuleResult | None, match: SemanticMatch | None) -> CrisisAssessment:
    """The rules' level, raised (never lowered) by the semantic match where the rules allow it."""
    if rule is None:
        return _semantic_only(match)
    level, categories, reasons = rule.level, list(rule.categories), list(rule.reasons)
    if match is None or _explained(rule):
        return CrisisAssessment(level, categories, _score(level, match), tuple(reasons))
    if match.long:  # one sentence of a long message speaks only with a risk word and a wider margin
        needed = SEMANTIC_RAISE_LONG if has_risk_words(match.unit) else SEMANTIC_RAISE_LONG + LONG_NO_RISK_WORD
    else:
        needed = SEMANTIC_RAISE_GATED if rule.risk_words else SEMANTIC_RAISE
    if RANK[level] < RANK["moderate"] and match.margin >= needed and match.category:
        level = "high" if RANK[match.level] >= RANK["high"] else "moderate"
        categories = [match.category]
        reasons.append(f"semantic:{match.prototype}")
    elif level == "none" and match.low_margin >= SEMANTIC_LOW and match.margin > -0.05:
        level = "low"
        reasons.append("semantic_low")
    acting = rule.signals is not None and (rule.signals.act or rule.signals.act_weak or rule.signals.act_cut)
    if acting and level != "imminent" and match.margin >= SEMANTIC_ACT and match.category:
        level = "imminent"
        categories = [c for c in CATEGORIES if c in {match.category, "intent_or_plan", *categories}]
        reasons.append("semantic_with_act")
    return CrisisAssessment(level, categories, _score(level, match), tuple(reasons))


def long_windows(text: str) -> list[str]:
    """Overlapping two-sentence windows of a long message ([] for a short one)."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text) if p.strip()]
    if len(text.split()) <= LONG_WORDS or len(parts) < 3:
        return []
    return [" ".join(parts[i:i + 2]) for i in range(len(parts) - 1)]


def _concern(norm: str, own: CrisisAssessment) -> Concern | None:
    """Worry about someone else: the concern patterns, or what the writer reports someone else said
    or wrote (or drafts to them) when that reads as suicide or self-harm risk and the writer shows
    no risk of their own in the first person. Abuse of the writer and the writer's threats stay theirs."""
    if len(norm.split()) > LONG_WORDS:  # a long message is read for worry about others in its windows
        return None
    concern = assess_concern(norm)
    own_other = {"abuse", "harm_to_others"} & set(own.categories)
    if own_other or FIRST_PERSON_RISK.search(norm) or not quotes_other(norm):
        return concern
    candidates = [concern] if concern else []
    if own.crisis and set(own.categories) <= {"suicidal_ideation", "self_harm", "intent_or_plan"}:
        candidates.append(Concern(own.level, ("concern:their_words",)))
    theirs = evaluate(others_words(norm))
    if RANK[theirs.level] >= RANK["moderate"] and set(theirs.categories) <= {"suicidal_ideation", "self_harm",
                                                                             "intent_or_plan"} and not (
            theirs.educational or theirs.joke or theirs.third_party
            or any(r.startswith(("past:", "denied:")) for r in theirs.reasons)):
        candidates.append(Concern(theirs.level, ("concern:their_words",)))
    return max(candidates, key=lambda c: RANK[c.level]) if candidates else None


def _with_concern(own: CrisisAssessment, rule: RuleResult | None, concern: Concern | None) -> CrisisAssessment:
    """The writer's own assessment merged with worry about someone else. The writer keeps only the
    risk the rules attribute to them in the first person; the rest was the other person's."""
    if concern is None:
        return own
    first_person = rule is not None and "concern:their_words" not in concern.reasons and (any(
        not r.startswith(("semantic", "denied:", "past:")) for r in rule.reasons) or bool(FIRST_PERSON_RISK.search(rule.text)))
    categories = [c for c in own.categories if c in _OWN and first_person and RANK[own.level] >= RANK["moderate"]]
    if "harm_to_others" in categories and not any(r.startswith("threat") and r != "threat_short" for r in rule.reasons):
        categories.remove("harm_to_others")
    own_level = own.level if categories else "none"
    level = max(own_level, concern.level, key=RANK.__getitem__)
    extra = ["intent_or_plan"] if level == "imminent" else []
    categories = [c for c in CATEGORIES if c in {*categories, *extra, CONCERN}]
    return CrisisAssessment(level, categories, _score(level, None), (*own.reasons, *concern.reasons))


def _semantics_can_change(rule: RuleResult) -> bool:
    """Whether a semantic match could change the rules' level (see ``_combine``)."""
    if _explained(rule):
        return False
    acting = rule.signals is not None and (rule.signals.act or rule.signals.act_weak or rule.signals.act_cut)
    return RANK[rule.level] < RANK["moderate"] or (acting and rule.level != "imminent")


def _explained(rule: RuleResult) -> bool:
    """The rules saw why the risk words are not the writer's risk: figurative speech (and no risk
    word left), an educational question, a joke, a denial, the past, an abhorrent intrusive thought."""
    if (rule.masked and not rule.risk_words) or rule.educational or rule.joke or rule.third_party:
        return True
    return any(reason.startswith(_EXPLAINED) for reason in rule.reasons)


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


def assess_fail_safe(detector: CrisisDetector, message: str, earlier: list[str] | None = None,
                     failures: list[str] | None = None) -> CrisisAssessment:
    """``detector``'s assessment of ``message`` (with the person's ``earlier`` turns); if it fails,
    the rules alone; if they fail too, a crisis (resources first): an assessment that cannot be
    made is never taken as 'no risk'. A failure appends "assessment" to ``failures``."""
    try:
        return detector.assess_turn(message, earlier or [])
    except Exception:  # noqa: BLE001 - the crisis path must survive any failure
        log.exception("crisis assessment failed; using the rules alone")
        if failures is not None:
            failures.append("assessment")
        try:
            return _RULES_ONLY.assess_turn(message, earlier or [])
        except Exception:  # noqa: BLE001
            log.exception("rule-based crisis assessment failed; treating the message as a crisis")
            return CrisisAssessment("high", [], 0.8, ("assessment_failed",))


_RULES_ONLY = CrisisDetector(None)
