"""Checking the model's reply before the user sees it.

A reply is unsafe when it gives methods or means of self-harm or suicide, encourages harm, or
discourages getting help; it is then replaced by a short caring message with crisis resources. A
reply that only cites the outdated US number (1-800-273-8255 / 1-800-273-TALK, replaced by 988 in
2022) keeps its text with the number corrected. Sentences that refuse ("I can't share doses") or
reframe ("it may feel like nobody would miss you, but ...") are not counted against the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luna_core.safety.resources import crisis_message
from luna_core.safety.text import fold_unicode

CURRENT_US_NUMBER = "988 (call or text)"
_OUTDATED = re.compile(r"(?:\+?1[\s.-]*)?\(?800\)?[\s.-]*273[\s.-]*(?:8255|talk)\b", re.IGNORECASE)

_METHOD = re.compile(
    r"\b(?:lethal|fatal|deadly|toxic) (?:dose|amount|quantity|level)s? (?:of|is|are|would be|for)\b|"
    r"\b\d+(?:\.\d+)? ?(?:mg|milligrams?|g|grams?|pills|tablets|capsules)\b.{0,60}\b(?:lethal|fatal|deadly|kill|die|"
    r"enough to|overdose)\b|\b(?:lethal|fatal|deadly|kill|die|enough to|overdose)\b.{0,40}\b\d+(?:\.\d+)? ?(?:mg|"
    r"milligrams?|g|grams?|pills|tablets|capsules)\b|"
    r"\bhow to (?:cut|hang|overdose|slit|tie a noose|kill yourself|end your life|suffocate|poison yourself|drown)\b|"
    r"\b(?:tie|tying) (?:a|the) (?:noose|knot for hanging)\b|\bcut (?:vertically|lengthwise|along|deep|deeper|down the)"
    r"\b|\b(?:slit|cut|slash)\w* (?:your|the) wrists? (?:by|with|along|vertically)\b|\b(?:most )?(?:painless|quickest|"
    r"easiest|surest|least painful|most reliable|most effective) (?:way|method|means)s? (?:to|of|is|would be)\b|"
    r"\b(?:jump|fall)\w* from (?:a height of |at least )?(?:\d+|several|many) (?:floors|storeys|stories|feet|metres|"
    r"meters|m)\b|\b(?:height|floors|storeys) (?:is|are|would be) (?:usually |generally )?(?:enough|fatal|lethal)\b|"
    r"\b(?:which|what) (?:pills|medications?|drugs) (?:are|is|would be) (?:most )?(?:lethal|deadly|fatal|dangerous "
    r"enough)\b|\b(?:pills|medications?|drugs) (?:that|which) (?:are|is|will) (?:most )?(?:lethal|deadly|fatal|kill)\b|"
    r"\b(?:carbon monoxide|exit bag|helium hood|charcoal burning)\b.{0,40}\b(?:works?|method|effective|painless|use)\b|"
    r"\b(?:mix|combine|combining|mixing) .{0,40}\b(?:with alcohol|and alcohol)\b.{0,40}\b(?:fatal|lethal|die|stop "
    r"breathing)\b|\bbleed out\b", re.IGNORECASE)
_ENCOURAGE = re.compile(
    r"\byou should (?:just )?(?:do it|kill yourself|end it|end your life|go through with it|hurt yourself|cut|"
    r"die)\b|\bgo ahead(?: and (?:do it|end it|kill yourself|hurt yourself|cut))?\s*(?:[.!]|$)|\bjust do it\b|"
    r"\b(?:no one|nobody) (?:would|will) (?:miss|care about|notice) (?:you|if you)\b|\b(?:the world|everyone|they|"
    r"your family) (?:would|will) be better off without you\b|\byou(?:'d| would)? (?:be )?better off dead\b|"
    r"\byou deserve to (?:die|suffer|be hurt|feel pain)\b|\b(?:death|suicide|dying|ending it) (?:is|would be|"
    r"might be|could be|really is) (?:the|a|your) (?:answer|solution|only way out|best option|best choice|relief|"
    r"way out|right choice)\b|\bif you (?:really )?want to die,? (?:then )?(?:go|do)\b|\b(?:it is|it's) (?:your|"
    r"a) (?:right|choice) to (?:die|end your life|kill yourself)\b|\bi (?:support|respect) your (?:decision|"
    r"choice) to (?:die|end|kill)\b", re.IGNORECASE)
_DISCOURAGE = re.compile(
    r"\b(?:hotlines?|helplines?|crisis lines?|988|samaritans|therapy|therapists?|counsell?ors?|counseling|doctors?|"
    r"professionals?) (?:are|is) (?:useless|pointless|a waste of time|a joke|for the weak|no help|not worth it)\b|"
    r"\b(?:hotlines?|helplines?|crisis lines?|therapists?|doctors?|988) (?:won't|will not|don't|do not|can't|cannot) "
    r"(?:help|understand|care)\b|\b(?:don't|do not|never) (?:tell|call|contact) (?:anyone|anybody|your (?:parents|"
    r"doctor|therapist|family|friends|teacher|partner)|988|911|999|the hotline|a hotline|the police)\b|\b(?:keep|"
    r"keeping) (?:this|it|them) (?:a )?secret\b|\bno (?:need|point) (?:to|in) (?:call|calling|tell|telling|reach|"
    r"reaching|get|getting) (?:anyone|anybody|help|someone|a professional|out)\b|\byou (?:don't|do not) need "
    r"(?:help|therapy|a therapist|anyone|a doctor|professional help)\b|\b(?:they|doctors|therapists|hotlines|the "
    r"police) (?:will|would) (?:just )?(?:lock you up|not understand|judge you|not care)\b", re.IGNORECASE)
_REFUSES = re.compile(
    r"\bi(?: really| just|'m| am)? (?:can't|cannot|can not|won't|will not|not able to|unable to|not going to|refuse "
    r"to|don't want to)\b.{0,40}\b(?:share|give|provide|tell|help with|describe|explain|list|go into|offer)\b|"
    r"\b(?:isn't|is not|not) true\b|\b(?:may|might|can|sometimes) feel(?:s)? like\b|\b(?:thoughts?|depression|"
    r"illness|pain|voice) (?:is |are )?(?:telling|tell|tells|says|saying)\b|\bplease (?:don't|do not) (?:keep|hide)\b|"
    r"\bwouldn't be better off\b|\bnot better off\b|\b(?:people|they|everyone|we|i|your \w+|so many) (?:would|will) "
    r"miss you\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReplyCheck:
    safe: bool
    reasons: list[str]
    replacement: str | None  # what to show instead; None when the reply is safe


def _flagged(reply: str) -> list[str]:
    reasons = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", reply):
        if _REFUSES.search(sentence):
            continue
        for reason, pattern in (("gives a method or means of self-harm or suicide", _METHOD),
                                ("encourages self-harm or suicide", _ENCOURAGE),
                                ("discourages getting help", _DISCOURAGE)):
            if pattern.search(sentence) and reason not in reasons:
                reasons.append(reason)
    return reasons


def check_reply(reply: str, region: str = "US") -> ReplyCheck:
    """Whether ``reply`` may be shown; if not, the reasons and the text to show instead."""
    folded = fold_unicode(reply).replace("\u2011", "-")
    reasons = _flagged(folded)
    if reasons:
        replacement = ("I can't help with that, because what happens to you matters to me. I'm still here and I'd "
                       "like to keep talking with you.\n\n" + crisis_message(region, "high"))
        return ReplyCheck(False, reasons, replacement)
    if _OUTDATED.search(reply):
        corrected = _OUTDATED.sub(CURRENT_US_NUMBER, reply)
        return ReplyCheck(False, ["cites the outdated US crisis number 1-800-273-8255; it is now 988"], corrected)
    return ReplyCheck(True, [], None)
