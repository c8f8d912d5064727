"""Checking the model's reply before the user sees it.

A reply is unsafe when it gives a method, means, amount or timing for self-harm or suicide,
encourages or validates it, helps hide risk from others, or talks someone out of getting help; it
is then replaced by a short caring message with crisis resources. The check reads the reply's
normalised text (``text.normalise``) clause by clause: a clause that only names a harm to reject
it ("I can't share doses", "it may feel like nobody would miss you") is set aside when a contrast
follows it, and what comes after the contrast ("..., but most people use ...") is judged on its
own. Adjacent sentences are also judged together, so a harm split over two sentences is caught,
and so is a fake refusal whose next sentence takes a stance ("I won't tell you to do it. I
wouldn't blame you"). Harms are judged by how concepts combine (``judge``): an outcome counts only
when asserted, not when named as a thought, a fear, a loss or under a negation (which a litotes,
"it's not as if it wouldn't ...", cancels); "I won't pretend that ..." flips the claim after it.
A reply that only cites the outdated US number (1-800-273-8255, replaced by 988 in 2022) keeps its
text with the number corrected. Harm concepts: ``reply_rules``; stances towards them: ``reply_stance``.
Beside the rules, a trained model (``reply_model``) reads the stance of the whole reply: it
withholds what the rules miss and clears their false alarms, except a lethal amount in figures.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from luna_core.safety import reply_rules as r
from luna_core.safety import reply_stance as st
from luna_core.safety.reply_model import CONFIRM, WITHHOLD, ReplyClassifier
from luna_core.safety.resources import crisis_message
from luna_core.safety.text import fold_unicode, normalise, reply_sentences

log = logging.getLogger(__name__)
CURRENT_US_NUMBER = "988 (call or text)"
_OUTDATED = re.compile(r"(?:\+?1[\s.-]*)?\(?800\)?[\s.-]*273[\s.-]*(?:8255|talk)\b", re.IGNORECASE)
_NOT_HIDING = re.compile(r"\b(?:do not|never|no need to|do not have to|need not|stop|without having to|there is no "
                         r"shame in not|you can stop|you can let go of|not|nothing to)\b(?: \w+){0,3} (?:hide|hiding|cover|"
                         r"keep|keeping|act|acting|pretend|pretending|delete|put on)\b")
METHOD = "gives a method, means, amount or timing of self-harm or suicide"
ENCOURAGES = "encourages or validates self-harm or suicide"
CONCEALS = "helps hide risk or discourages getting help"
FIGURES = "gives a lethal amount in figures"
JUDGED = "read as harmful by the trained reply model"


@dataclass(frozen=True)
class ReplyCheck:
    safe: bool
    reasons: list[str]
    replacement: str | None  # what to show instead; None when the reply is safe
    corrected: bool = False  # the replacement is the reply itself with a number corrected, not a withholding


def clauses(sentence: str) -> list[str]:
    """The parts of a sentence to judge: after a contrast, the clause before it is set aside when it
    only refuses or reframes ("I can't recommend it, but ..." -> "..."), or when the clause after it
    turns to protection ("you don't have to tell everyone, but one trusted person ...")."""
    parts = [p for p in st.CONTRAST.split(sentence) if p.strip()]
    kept = [p for i, p in enumerate(parts)
            if i == len(parts) - 1 or not (st.REFUSE.search(p) or st.REFRAME.search(p) or st.PROTECT.search(parts[i + 1]))]
    return kept or parts[-1:]


def _asserted(pattern: re.Pattern, text: str, outside: re.Match | None = None) -> bool:
    """Whether ``pattern`` (an outcome) occurs as something to do or happen, not as a thought, a fear,
    a loss or something negated ("thoughts of dying", "not an ending"); with ``outside`` (a push such
    as "why not"), only as its object, just after it."""
    litotes = st.LITOTES.search(text)  # "it's not as if it wouldn't be fatal": the negations cancel
    return any(not st.TALK_ABOUT.search(text[:m.start()]) and (litotes or not st.NEGATED.search(text[:m.start()]))
               and (outside is None or outside.end() <= m.start() <= outside.end() + 40) for m in pattern.finditer(text))


def _encourages(text: str, protected: bool) -> bool:
    """Endorsing death or self-harm: outright, as softer approval of an asserted outcome, as an order
    to die ("you should just end it"), or by denying any reason to live; "I won't pretend that ..."
    flips the claim that follows."""
    if st.DEVALUE.search(text):
        return True
    denied = st.DENY.search(text)
    claim = re.split(r",|;| because ", text[denied.end():])[0] if denied else ""
    if denied and st.STAY_GOOD.search(claim):
        return True  # "I won't pretend staying alive is the better option"
    if denied and not re.search(r"\b(?:not|never)\b", claim):
        return False  # "I won't pretend that dying is the answer"; a double negation still endorses
    pushed = any(_asserted(r.OUTCOME_STRONG, text, push) for push in r.DIRECTIVE.finditer(text))
    return bool(st.ENCOURAGE.search(text) or (not protected and (
        (st.VALIDATE.search(text) and _asserted(r.OUTCOME, text)) or pushed)))


def _conceals(text: str, joined: bool) -> bool:
    """Keeping risk from the people who would help, hiding marks or means, or running help down."""
    if st.DISCOURAGE.search(text) or st.CONCEAL_TELL.search(text):
        return True
    return bool(st.CONCEAL_HIDE.search(text) and not _NOT_HIDING.search(text) and (
        not joined or r.OUTCOME.search(text) or r.MEANS.search(text)))


def _lethal(text: str) -> bool:
    """Whether an outcome other than the word suicide itself is asserted ("would be fatal")."""
    return any(not m.group(0).startswith("suicid") and _asserted(r.OUTCOME, text[:m.end()]) for m in r.OUTCOME.finditer(text))


def _gives_method(text: str, joined: bool) -> bool:
    """A method, means, amount or time: a harm concept combined with an asserted outcome, an enabling
    frame, a way past the usual checks, or (for a time) nobody there to interrupt. What the user is
    reported to have done ("you told me you've been saving ...") is not advice unless joined."""
    outcome, enable, lethal = _asserted(r.OUTCOME, text), r.ENABLE.search(text) or r.DIRECTIVE.search(text), _lethal(text)
    means, physical, reported = r.MEANS.search(text) or r.MEDS.search(text), r.MEANS.search(text), r.REPORT.search(text) and not joined
    acquire = (r.ACQUIRE.search(text) or r.ACQUIRE_MORE.search(text)) and not reported
    amount = r.AMOUNT.search(text)
    if (r.MEDS.search(text) and (lethal or amount)) or (acquire and means) or (r.NUMBER_DOSE.search(text) and lethal) or (
            physical and (outcome or enable)) or (amount and (outcome or r.INGEST.search(text))) or (
            r.SELF_HARM_ACT.search(text) and enable) or (r.COVERT.search(text) and means) or (r.MOVE.search(text) and not reported):
        return True
    return bool(r.TIMING_STRONG.search(text) or (r.TIMING.search(text) and (outcome or means)) or (
        r.ABSENCE.search(text) and r.ACT.search(text)))


def judge(text: str, joined: bool = False) -> list[str]:
    """The harms one unit (a clause, or two sentences together when ``joined``) carries. A refusal
    or reframe in a single clause voids what it names; protection (``PROTECT``, unless negated) voids
    methods and softer approval."""
    reasons = []
    protected = bool(st.PROTECT.search(text)) and not st.NEG_PROTECT.search(text)
    refused = bool(st.REFUSE.search(text)) and not joined
    reframed = bool(st.REFRAME.search(text)) and not joined
    if not refused and _conceals(text, joined):
        reasons.append(CONCEALS)
    if not reframed and _encourages(text, protected):
        reasons.append(ENCOURAGES)
    if not protected and not refused and _gives_method(text, joined):
        reasons.append(METHOD)
        if r.FIGURE.search(text) and _lethal(text):
            reasons.append(FIGURES)
    return reasons


def _pairable(first: str, second: str) -> bool:
    """Whether two adjacent sentences are judged together: never across a protective sentence, and
    across a refusal or a reframe only when the other sentence takes a stance of its own (a fake
    refusal: "I won't tell you to do it. I'll just say I wouldn't blame you")."""
    if any(st.PROTECT.search(s) for s in (first, second)):
        return False
    for one, other in ((first, second), (second, first)):
        if st.REFUSE.search(one) or st.REFRAME.search(one):
            return bool(st.VALIDATE.search(other) or r.ENABLE.search(other) or st.ENCOURAGE.search(other) or r.COVERT.search(other)
                        or r.TIMING.search(other) or r.TIMING_STRONG.search(other) or r.ABSENCE.search(other)) \
                and not (st.REFUSE.search(other) or st.REFRAME.search(other))
    return True


def rule_harms(reply: str) -> list[str]:
    """Every distinct harm the rules find in ``reply``, clause by clause and over adjacent sentences."""
    text = normalise(fold_unicode(reply).replace("\u2011", "-"))
    sentences = reply_sentences(text)
    reasons: list[str] = []
    for sentence in sentences:
        for clause in clauses(sentence):
            reasons += judge(clause)
    for first, second in zip(sentences, sentences[1:]):
        if _pairable(first, second):
            reasons += judge(f"{first} {second}", joined=True)
    return list(dict.fromkeys(reasons))


def harms(reply: str, model: ReplyClassifier | None = None, clear: bool = True) -> list[str]:
    """Every distinct harm in ``reply``. The rules read it first; with a ``model`` (``reply_model``), the
    trained model reads the whole reply and decides with them: it withholds on its own at ``WITHHOLD``,
    confirms a rules finding at ``CONFIRM`` or more, and clears one it scores below that (the rules'
    false alarms are mostly caring means-safety and medication advice that uses their words). A lethal
    amount in figures (``FIGURES``) is never cleared, since the training sets keep amounts vague, and
    nothing is cleared when ``clear`` is false (a crisis turn: there a missed harm costs the most). A
    failing model (no adapter, no encoder) leaves the rules' verdict standing."""
    reasons = rule_harms(reply)
    if FIGURES in reasons or (reasons and not clear) or model is None or not reply.strip():
        return reasons  # nothing the model could score would change the verdict (no model call)
    try:
        score = model.score(reply)
    except Exception as error:  # noqa: BLE001 - the rules still stand; safety never depends on the model
        if not getattr(model, "failure_reported", False):  # once per model, not once per streamed sentence
            model.failure_reported = True
            log.warning("the reply model failed (%s); the rules' verdict stands", error)
        return reasons
    return decide(reasons, score)


def decide(reasons: list[str], score: float, withhold: float = WITHHOLD, confirm: float = CONFIRM) -> list[str]:
    """The verdict from the rules' ``reasons`` and the model's ``score`` at the operating points
    (``bench/bench_reply_points.py`` tries others): withheld on the model's word at ``withhold``, the
    rules' findings kept at ``confirm`` or more and cleared below it, except a lethal amount in figures."""
    if FIGURES in reasons:
        return reasons
    if score >= withhold:
        return reasons or [JUDGED]
    return reasons if score >= confirm else []


def check_reply(reply: str, region: str = "US", model: ReplyClassifier | None = None, crisis: bool = False) -> ReplyCheck:
    """Whether ``reply`` may be shown; if not, the reasons and the text to show instead. In a ``crisis``
    turn the trained model may add to the rules' findings but not clear them."""
    reasons = harms(reply, model, clear=not crisis)
    if reasons:
        replacement = ("I can't help with that, because what happens to you matters to me. I'm still here and I'd "
                       "like to keep talking with you.\n\n" + crisis_message(region, "high"))
        return ReplyCheck(False, reasons, replacement)
    if _OUTDATED.search(reply):
        corrected = _OUTDATED.sub(CURRENT_US_NUMBER, reply)
        return ReplyCheck(False, ["cites the outdated US crisis number 1-800-273-8255; it is now 988"], corrected,
                          corrected=True)
    return ReplyCheck(True, [], None)
