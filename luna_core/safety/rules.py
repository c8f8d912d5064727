"""The rule stage of the crisis detector, over normalised text (see ``text.normalise``).

Each rule is a phrase pattern with a category and a level: the writer's own risk in
``rules_self``, harm to others and abuse in ``rules_others``. ``context``
masks figurative speech first and decides whether a match speaks about the writer, now, in
earnest; ``plan`` adds the signals that turn ideation into an imminent plan (time, means,
preparation, an act under way). ``evaluate`` reads a whole message and returns the level the rules
support, with the names of the rules that fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luna_core.safety import context as ctx
from luna_core.safety import plan
from luna_core.safety.plan import Hit
from luna_core.safety.rules_others import OTHERS_SPECS, UNSURE
from luna_core.safety.rules_self import SELF_SPECS
from luna_core.safety.text import normalise, sentences

LEVELS = ("none", "low", "moderate", "high", "imminent")
RANK = {level: i for i, level in enumerate(LEVELS)}
SI, SH, PLAN, OTHERS, ABUSE = "suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str | None      # None: distress without a category (a "low" signal)
    level: str
    pattern: re.Pattern
    self_only: bool = True     # the writer must be the subject, unless the match itself says i/me/my
    negatable: bool = True     # "i would never ..." turns the hit into a denial
    method: bool = False       # a chosen method: adds intent_or_plan
    intent: bool = False       # a stated intent ("going to", "will"): a time then makes it imminent


def _rule(name: str, category: str | None, level: str, pattern: str, **flags) -> Rule:
    return Rule(name, category, level, re.compile(pattern), **flags)


_STRONG_URGE = re.compile(r"\b(?:urges?|want to|wanna|need to)\b.{0,40}\b(?:so bad|really bad|strong|cannot resist|"
                          r"cannot stop|right now|scared i will|overwhelming|badly|unbearable)\b")
_SH_THOUGHT = re.compile(r"\b(?:thinking|think|thought|thoughts) (?:about|of) (?:self harm|cutting|hurting myself|"
                         r"burning myself)\b")
_INTENT_BEFORE = re.compile(r"\b(?:going to|will|plan(?:ning)? to|about to|ready to|decided to|doing it|swear i will)"
                            r"(?: \w+){0,2}\s*$")
_UNSURE = re.compile(UNSURE)
_UNSURE_RULES = ("abuse_control", "abuse_emotional", "abuse_stalking", "abuse_fear")
_ALL_RULES = [_rule(name, cat, level, pattern, **flags)
              for name, cat, level, pattern, flags in SELF_SPECS + OTHERS_SPECS]
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself)\b")


@dataclass
class RuleResult:
    level: str = "none"
    categories: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    masked: bool = False       # a figurative, accidental or game phrase was removed
    educational: bool = False  # the message asks about the topic rather than disclosing
    joke: bool = False         # tie-breaker 2: hyperbole about a trivial trigger
    third_party: bool = False  # reports someone else's suicide, self-harm or death
    text: str = ""             # the normalised text with figurative phrases masked out
    signals: plan.PlanSignals | None = None
    risk_words: bool = False   # a risk word survives masking (see ``context.has_risk_words``)


_ASKED_SAID_NO = re.compile(r"\b(?:asked|asks|ask|asking) (?:me )?(?:if|whether)\b.*\b(?:i said no|said no)\b")


def _clause_hits(clause: str) -> list[Hit]:
    hits = []
    past, educational = ctx.is_past(clause), ctx.is_educational(clause)
    answered_no = bool(_ASKED_SAID_NO.search(clause))
    for rule in _ALL_RULES:
        for match in rule.pattern.finditer(clause):
            if rule.self_only and not _FIRST_PERSON.search(match.group(0)) \
                    and not ctx.speaker_is_self(clause, match.start()):
                continue
            if answered_no or (rule.negatable and ctx.is_negated(clause, match.start())):
                hits.append(Hit(None, "low", f"denied:{rule.name}"))
                continue
            if educational and rule.name in ("suicide_self", "self_harm_act"):  # "an essay on suicide"
                continue
            level = rule.level
            if rule.name == "self_harm_act" and _SH_THOUGHT.search(clause) and not _STRONG_URGE.search(clause):
                level = "moderate"
            if past and rule.category in (SI, SH, ABUSE):
                hits.append(Hit(rule.category, "low", f"past:{rule.name}"))
                continue
            intent = rule.intent or bool(_INTENT_BEFORE.search(clause[:match.start()]))
            hits.append(Hit(rule.category, level, rule.name, rule.method, intent))
    return hits


def _distress_hits(text: str) -> list[Hit]:
    return [Hit(None, "low", name) for name, pattern in plan.DISTRESS if pattern.search(text)]


def _without_jokes(hits: list[Hit], masked: str) -> list[Hit]:
    """Tie-breaker 2: hyperbole about a trivial trigger is none with a joke marker, else low."""
    if ctx.is_trivial_joke(masked):
        return [hit for hit in hits if RANK[hit.level] < RANK["moderate"]]
    return [Hit(None, "low", f"joke:{hit.name}") if RANK[hit.level] >= RANK["moderate"] else hit for hit in hits]


def evaluate(text: str) -> RuleResult:
    """The level and categories the rules support for one message, with the names of the rules."""
    norm = normalise(text)
    masked = ctx.mask_figurative(norm)
    result = RuleResult(masked=masked != norm, risk_words=ctx.has_risk_words(masked),
                        third_party=ctx.is_third_party_report(masked), text=ctx.unmask(masked))
    hits = [hit for clause in sentences(masked) for hit in _clause_hits(clause)]
    hits += _distress_hits(masked)
    signals = result.signals = plan.signals(masked)
    hits += plan.escalate(hits, signals)
    result.joke = ctx.is_trivial_joke(masked) or ctx.is_trivial_hyperbole(masked)
    if result.joke and not (signals.any_plan or signals.time):
        hits = _without_jokes(hits, masked)
    hits = plan.apply_disclaimers(hits, masked)
    if _UNSURE.search(masked):  # "is that normal?": possible abuse the writer is unsure about
        hits = [Hit(ABUSE, "moderate", hit.name) if hit.name in _UNSURE_RULES else hit for hit in hits]
    result.educational = ctx.is_educational_message(masked)
    if not hits:
        return result
    result.level = max((hit.level for hit in hits), key=RANK.__getitem__)
    result.reasons = sorted({hit.name for hit in hits})
    result.categories = _categories(hits, result.level)
    if result.level == "imminent" and PLAN not in result.categories:  # every imminent message has a plan or act
        result.categories = [c for c in (SI, SH, PLAN, OTHERS, ABUSE) if c in result.categories or c == PLAN]
    return result


def _categories(hits: list[Hit], level: str) -> list[str]:
    """Categories of the hits that reach the message level (at low, only the writer's own past)."""
    floor = RANK["low"] if level == "low" else RANK["moderate"]
    cats = {hit.category for hit in hits if hit.category and RANK[hit.level] >= floor}
    if level == "low":  # only the writer's own past (past:..., self_harm_past)
        cats = {hit.category for hit in hits if hit.category and hit.level == "low"}
    if RANK[level] < RANK["high"]:
        cats.discard(PLAN)
    order = (SI, SH, PLAN, OTHERS, ABUSE)
    return [c for c in order if c in cats]
