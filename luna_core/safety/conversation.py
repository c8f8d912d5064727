"""The conversation counts: a message is assessed together with the person's recent turns.

After a disclosure of suicidal thoughts, "would it hurt much?" is a crisis turn although it says
nothing alarming alone. ``in_context`` combines the message's own assessment with those of the
earlier user turns (at most ``RECENT_TURNS``) and of the turns read together: a follow-up that
touches the risk (pain, amounts, places, times, whether anyone would notice) keeps the earlier
level or the joined one, whichever is higher; an abrupt change of topic keeps the conversation at
moderate, so the resources stay first; a person who says they are safer now is met at low.
Labelled sets: tests/fixtures/crisis_conversation_*.jsonl.
"""

from __future__ import annotations

import re
from dataclasses import replace

from luna_core.safety.context import has_risk_words
from luna_core.safety.rules import RANK
from luna_core.safety.text import normalise

RECENT_TURNS = 3
_SAFER = re.compile(
    r"\b(?:i (?:am|feel) (?:a (?:bit|little) )?(?:safer|safe|better|ok|okay|calmer|alright|fine) (?:now|again|today)?|"
    r"(?:feeling|feel|doing) (?:a (?:bit|little|lot) )?(?:safer|better|calmer)|i am (?:safe|fine)|cooled off|calmed down|used my safety plan|made a safety plan|"
    r"(?:that|it|this|you) helped|(?:the|my) urge (?:has )?passed|i will not (?:do|act on) (?:it|anything)|"
    r"i (?:called|texted|talked to|spoke to|reached out to) (?:988|the (?:crisis|hotline|helpline)|my (?:therapist|"
    r"counsell?or|doctor|gp|friend|mum|mom|dad|partner))|thank(?:s| you)\b.{0,40}\b(?:help|listen))")
_FOLLOW_UP = re.compile(
    r"\b(?:hurt|hurts|painful|pain|how (?:many|much|long|fast|high|far|deep)|quick\w*|fast\w*|easi\w*|which (?:one|is|"
    r"would)|where|tallest|highest|would (?:anyone|anybody|they|it)|notice|work|enough|what if i|is tonight|too soon|"
    r"would i|dose|pills?|tablets?|meds|rope|bridge|jump|train|gun|knife|blade|razor|will|letters?|note|goodbye|"
    r"until then|before|after|nobody|no one|stop me|away|alone|tonight|weekend|tomorrow|sleep|wake|cuts?|bleed\w*|"
    r"heal|stitches|bruises?|burns?|forever|gone|over)\b")


def joined(earlier: list[str], message: str) -> str:
    """The recent user turns and the message as one text, for the rules to read across turns."""
    return " \n".join([*earlier[-RECENT_TURNS:], message])


def in_context(current, message: str, earlier, together):
    """``current`` (the message alone) combined with ``earlier`` (assessments of the recent user
    turns) and ``together`` (the assessment of ``joined``), all ``CrisisAssessment``."""
    crisis_before = [a for a in earlier if a.crisis]
    if not crisis_before:
        return current
    prior = max(crisis_before, key=lambda a: RANK[a.level])
    norm = normalise(message)
    if _SAFER.search(norm) and RANK[current.level] < RANK["high"]:  # safer now: met at low, never below
        return replace(current, level="low", categories=[], score=0.3, reasons=(*current.reasons, "context:safer"))
    candidates = [current]
    if _FOLLOW_UP.search(norm) or has_risk_words(norm):
        candidates += [prior, together] if together.crisis else [prior]
        reason = "context:follow_up"
    else:
        candidates.append(replace(prior, level="moderate", score=0.55, reasons=()))
        reason = "context:topic_change"
    best = max(candidates, key=lambda a: (RANK[a.level], a.score))
    if best is current:
        return current
    categories = [c for c in best.categories if c != "intent_or_plan" or RANK[best.level] >= RANK["high"]]
    return replace(best, categories=categories or list(prior.categories), reasons=(*best.reasons, reason))
