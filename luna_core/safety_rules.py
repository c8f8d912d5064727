"""High-precision crisis rules over normalised text (see ``safety_text.normalise``).

Each rule is a phrase pattern with a category and a level; the context module decides whether a
match speaks about the writer, now, in earnest. Rules for the writer's own risk live here; rules
for harm to others and abuse live in ``safety_rules_others``; the signals that turn ideation into an
imminent plan (time, means, preparation, an act under way) live in ``safety_plan``.
``evaluate`` reads a whole message and returns the level the rules support, with the reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luna_core import safety_context as ctx
from luna_core import safety_plan as plan
from luna_core.safety_plan import Hit
from luna_core.safety_rules_others import OTHERS_SPECS, UNSURE
from luna_core.safety_text import normalise, sentences

LEVELS = ("none", "low", "moderate", "high", "imminent")
RANK = {level: i for i, level in enumerate(LEVELS)}
SI, SH, PLAN, OTHERS, ABUSE = "suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str | None      # None: distress without a category (a "low" signal)
    level: str
    pattern: re.Pattern
    self_only: bool = True     # the writer must be the subject
    negatable: bool = True     # "i would never ..." turns the hit into a denial
    method: bool = False       # a chosen method: adds intent_or_plan
    intent: bool = False       # a stated intent ("going to", "will"): a time then makes it imminent


def _rule(name: str, category: str | None, level: str, pattern: str, **flags) -> Rule:
    return Rule(name, category, level, re.compile(pattern), **flags)


_INTENT = (r"(?:going to|will|plan(?:ning)? to|about to|ready to|decided to|(?:i am )?doing it|gonna|"
           r"i swear|i mean it|tonight|today)")
_WANT = (r"(?:want(?:ed|s)? to|wanna|would like to|wish i could|need to|have to|trying to|tempted to|"
         r"urges? to|feel like|ready to|going to|about to|decided to|plan(?:ning)? to|deserve to|should(?: just)?|"
         r"(?:thinking|think|thought|thoughts) (?:about|of)|considering|might|could just|i will)")
_METHOD = (r"(?:(?:jump|jumping|throw myself) (?:off|from|in front of) (?:the |a |my |this |that )?(?:\w+ )?"
           r"(?:bridge|roof|building|balcony|cliff|car park|parking garage|train|bus|truck|lorry|tower|window|"
           r"overpass|ledge)|(?:step|walk|lie down|throw myself) in front of (?:a |the )?(?:train|bus|truck|lorry|"
           r"car|traffic)|driv\w* (?:my car |the car |it )?(?:into|off) (?:a |the )?(?:river|wall|tree|cliff|"
           r"bridge|lake|sea|oncoming|traffic|lorry|truck|barrier)|(?:slit|slash|cut|open) (?:my )?wrists?|"
           r"hang myself|blow my brains out|pull the trigger|put a (?:gun|bullet) (?:to|in) my (?:head|mouth)|"
           r"gas myself|exit bag|overdos(?:e|ing)|(?:take|taking|swallow|swallowing) (?:them|it|these|those) all|(?:take|taking|swallow|swallowing|down) (?:all|every one|every|"
           r"the whole (?:bottle|box|pack|packet)|a whole (?:bottle|box|pack)) (?:of )?(?:my |the |these |those )?"
           r"(?:\w+ )?(?:pills|tablets|meds|medication|paracetamol|tylenol))")

SELF_RULES = [
    # active ideation: high
    _rule("kill_myself", SI, "high", r"\b(?:kill|killing|killed|end|ending|hang|hanging|shoot|shooting|drown|"
          r"drowning|poison|poisoning|suffocate|suffocating|off) myself\b"),
    _rule("end_my_life", SI, "high", r"\b(?:end|ending|take|taking|took) (?:my (?:own )?life|it all)\b"),
    _rule("end_it_intent", SI, "high", rf"\b{_INTENT} (?:\w+ )?(?:end|do) (?:it|everything|things)\b"
          r"(?! (?:with|between|for the day|early|later|properly|right))", intent=True),
    _rule("suicide_self", SI, "high", r"\bsuicid(?:e|al)\b(?! (?:prevention|awareness|hotline|helpline|"
          r"lifeline|rates?|statistics|barrier))"),
    _rule("want_to_die", SI, "high", rf"\b{_WANT} (?:just |really |honestly |actually |fucking )?"
          r"(?:die|be dead|not be alive|stop living)\b"),
    _rule("wish_dead", SI, "high", r"\b(?:wish|wished|hope) (?:that )?i (?:was|were|had been|would be|could be) dead\b|"
          r"\b(?:i would|i am|i would be|would be) better off dead\b|\bwish it had worked\b"),
    _rule("ways_to_die", SI, "high", r"\bways (?:to|of) (?:die|dying|end it|end my life|kill myself|do it)\b"),
    _rule("method_intent", SI, "high", rf"\b(?:{_WANT}|{_INTENT}) (?:just |really |finally )?{_METHOD}",
          method=True, intent=True),
    _rule("method_question", SI, "high", r"\bhow (?:many|much)\b.{0,60}\b(?:to die|to (?:kill|end)|would (?:kill|be "
          r"fatal|be lethal|be enough|it take)|(?:is|be) (?:fatal|lethal|deadly|enough to)|to not wake up|to never "
          r"wake up|until (?:you|i|someone|a person) (?:die|dies)|before (?:you|i) (?:die|pass out)|to overdose)\b|"
          r"\b(?:painless|easiest|quickest|fastest|best|surest|least painful|peaceful|quietest) ways? (?:to|of) "
          r"(?:die|dying|go|kill myself|end it|end my life|commit suicide|do it)\b|\b(?:lethal|fatal|deadly) "
          r"(?:dose|amount|quantity)\b|\bhow long (?:does it|would it) take to (?:bleed out|die)\b|\bhow high "
          r"(?:does|do|would|should) .{0,30} (?:to die|be fatal|to kill)\b", self_only=False, method=True),
    _rule("method_plain", SI, "high", rf"\bi (?:am |will |have )?(?:just )?{_METHOD}", method=True),
    # passive ideation and hopelessness about living: moderate
    _rule("wish_gone", SI, "moderate", r"\bwish (?:that )?i (?:was|were|had)? ?(?:not|never|no longer) (?:here|alive|"
          r"born|been born|around|existed|exist|woken up)\b|\bwish i (?:could|would) (?:just )?(?:disappear|vanish|"
          r"stop existing|not exist|cease to exist|sleep forever|not wake up|never wake up|fade away)\b|"
          r"\bwish i (?:could|would) (?:just )?not be (?:here|alive|around)\b|\bwish i (?:was|were|would be) gone\b|\bwish i (?:had )?never (?:been born|existed|woke up)\b"),
    _rule("not_wake_up", SI, "moderate", r"\b(?:sleep|go to sleep|fall asleep|close my eyes) and (?:never|not) "
          r"(?:wake|open)|\b(?:do not|never|not) want to wake up\b|\bhope i (?:do not|never) wake up\b",
          negatable=False),
    _rule("not_want_live", SI, "moderate", r"\b(?:do not|dont|no longer|not) (?:really )?want to (?:live|be alive|"
          r"exist|be here|be around|go on|keep living|keep going|carry on|be in this world)\b(?! (?:in|with|at|near)\b)",
          negatable=False),
    _rule("tired_of_living", SI, "moderate", r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|"
          r"existing|life|being me|waking up|being here|it all|my life)\b", negatable=False),
    _rule("better_off_without", SI, "moderate", r"\bbetter off (?:without me|if i (?:was|were|was not|were not|had "
          r"never|disappeared|died|did not exist|left for good|was gone|were gone))|\b(?:no one|nobody|none of them|"
          r"would anyone|would anybody|they) (?:would )?(?:even )?(?:care|notice|miss me|be sad|cry)\b.{0,20}\bif i "
          r"(?:died|was gone|were gone|disappeared|was not here|were not here|killed myself|was dead|were dead|"
          r"did not wake up|vanished)|\bif i (?:died|disappeared|was gone|vanished)\b.{0,40}\b(?:no one|nobody|"
          r"anyone|anybody)\b|\b(?:happier|easier for everyone) (?:if|when) i (?:was|am|were) (?:gone|dead"
          r"|not here|not around)\b|\b(?:better|happier|easier)(?: off)? without me\b", negatable=False, self_only=False),
    _rule("no_point_living", SI, "moderate", r"\b(?:no|what is the|whats the|is there any|is there even a|not "
          r"much|there is no) (?:point|reason|purpose) (?:in |of |to )?(?:living|life|being alive|going on|existing|"
          r"carrying on|keep going|anything|any of it|me|it all|trying anymore|waking up|being here)\b|\b(?:no reason|"
          r"nothing) (?:left )?to live for\b|\blife (?:is not|is no longer|is not even|not) worth (?:living|it)\b|"
          r"\bwhat is the point(?: anymore)?\s*$|\b(?:do not|cannot|can not) see (?:the|any|a) (?:point|reason) (?:in |of |to )?"
          r"(?:living|life|being alive|going on|existing|carrying on|anything|any of it|waking up|being here)\b",
          negatable=False),
    _rule("disappear", SI, "moderate", r"\b(?:want|wanna|need|wish) to (?:just )?(?:disappear|vanish|stop existing|"
          r"not exist|cease to exist|fade away|be gone|sleep forever|go to sleep forever)\b|\bstop existing\b"),
    _rule("hope_die", SI, "moderate", r"\bhope (?:i|that i) (?:get hit|die|crash|get cancer|do not make it|get killed|"
          r"never come back)\b|\bhope (?:the|this) (?:plane|bus|car|train) (?:crashes|goes down)\b"),
    _rule("cannot_go_on", SI, "moderate", r"\b(?:cannot|can not) (?:go on|keep living|carry on living|live like this|"
          r"do life|keep existing|be alive)\b", negatable=False),
    _rule("own_death", SI, "moderate", r"\b(?:my (?:own )?funeral|my (?:own )?death)\b|\bthink(?:ing)? (?:a lot |so much |constantly |more and more )?(?:about|of) "
          r"(?:dying|death|not being here|not existing|being dead)\b|\b(?:give|given|giving) up on (?:life|living)\b|"
          r"\b(?:my )?life is (?:over|pointless|meaningless|hopeless|not worth)\b|\bi am (?:pointless|a waste of (?:space|"
          r"life|air))\b|\bnothing (?:is ever going to|will ever|is going to|is ever gonna) (?:get|be) better\b|\bready to (?:go|leave this world)\b"),
    _rule("end_it_vague", SI, "moderate", r"\b(?:end|ending) (?:it|everything|things)\b(?! (?:with|between|for the "
          r"day|early|later|properly|right|on a))|\bwant (?:it|everything|it all|the pain) to (?:stop|end) (?:for "
          r"good|forever|permanently)\b|\bno way out\b"),
    # self-harm
    _rule("self_harm_act", SH, "high", r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|scratch\w*|carv\w*|hit|"
          r"hitting|punch\w*|bang\w*|slap\w*|harm\w*|hurt|hurting|stab\w*|bite|biting|bit|pinch\w*|starv\w*|bruis\w*) "
          r"myself\b|\bself harm(?:ed|ing)?\b|\b(?:cut|cutting|burn\w*|scratch\w*|carv\w*) (?:up )?(?:my|into my) "
          r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|body|hands?)\b"),
    _rule("self_harm_urge", SH, "moderate", r"\b(?:look\w*|star\w*) at (?:my|the) (?:razor|blade|blades|knife|"
          r"scissors)|\b(?:hid|hide|hiding|keep|keeping|kept|have) (?:the|my|a) (?:blades?|razors?|sharpener blades?)\b|"
          r"\b(?:hide|hiding|hid|cover|covering|covered) (?:up )?(?:my )?(?:arms|wrists|scars|cuts|thighs)\b|"
          r"\blong sleeves\b.{0,50}\b(?:so|no one|nobody|hide|see|summer)\b|\bdeserve (?:to be hurt|pain|to hurt|to "
          r"suffer|to be punished|to bleed)\b|\b(?:the )?(?:old )?urges? (?:is|are) back\b"),
    _rule("self_harm_bare", SH, "high", r"\b(?:been|started|start|keep|kept|want to|need to|urge to|going to|"
          r"really want to|relapsed and) (?:cutting|cut|burning|burn|scratching)\b(?=\s*(?:$|again|rn|right now|tonight|"
          r"so bad|badly|really bad|more|deeper|lately|recently|when|because|every|since|for (?:the|a|weeks|months|days)|"
          r"[,.!?]))|\b(?:use|using) (?:it|them|the \w+|a \w+|this|that) on myself\b", intent=False),
    _rule("self_harm_thoughts", SH, "moderate", r"(?<!had )(?<!any )\b(?:thinking|think|thought|thoughts) (?:a lot |about it |again )?"
          r"(?:about|of) (?:self harm\w*|cutting|hurting myself|burning myself|cutting myself|harming myself)\b"),
    _rule("self_harm_past", SH, "low", r"\bused to (?:cut|self harm|burn myself|scratch myself|hurt myself|harm "
          r"myself)\b|\b(?:clean|free) from (?:self harm|cutting)\b|\bscars (?:from|of) (?:self harm|cutting)\b",
          negatable=False),
]
_STRONG_URGE = re.compile(r"\b(?:urges?|want to|wanna|need to)\b.{0,40}\b(?:so bad|really bad|strong|cannot resist|"
                          r"cannot stop|right now|scared i will|overwhelming|badly|unbearable)\b")
_SH_THOUGHT = re.compile(r"\b(?:thinking|think|thought|thoughts) (?:about|of) (?:self harm|cutting|hurting myself|"
                         r"burning myself)\b")
_INTENT_BEFORE = re.compile(r"\b(?:going to|will|plan(?:ning)? to|about to|ready to|decided to|doing it|swear i will)"
                            r"(?: \w+){0,2}\s*$")
_UNSURE = re.compile(UNSURE)
_UNSURE_RULES = ("abuse_control", "abuse_emotional", "abuse_stalking", "abuse_fear")
_ALL_RULES = SELF_RULES + [_rule(name, cat, level, pattern, **flags)
                            for name, cat, level, pattern, flags in OTHERS_SPECS]


@dataclass
class RuleResult:
    level: str = "none"
    categories: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    masked: bool = False       # a figurative, accidental or game phrase was removed
    educational: bool = False  # the message asks about the topic rather than disclosing


_ASKED_SAID_NO = re.compile(r"\b(?:asked|asks|ask|asking) (?:me )?(?:if|whether)\b.*\b(?:i said no|said no)\b")


def _clause_hits(clause: str) -> list[Hit]:
    hits = []
    past, educational = ctx.is_past(clause), ctx.is_educational(clause)
    answered_no = bool(_ASKED_SAID_NO.search(clause))
    for rule in _ALL_RULES:
        for match in rule.pattern.finditer(clause):
            if rule.self_only and not ctx.speaker_is_self(clause, match.start()):
                continue
            if answered_no or (rule.negatable and ctx.is_negated(clause, match.start())):
                hits.append(Hit(None, "low", f"denied:{rule.name}"))
                continue
            if educational and rule.category in (SI, SH) and rule.name in ("suicide_self", "self_harm_act"):
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


def evaluate(text: str, normalised: bool = False) -> RuleResult:
    """The level and categories the rules support for one message, with the names of the rules."""
    norm = text if normalised else normalise(text)
    masked = ctx.mask_figurative(norm)
    result = RuleResult(masked=masked != norm)
    hits = [hit for clause in sentences(masked) for hit in _clause_hits(clause)]
    hits += _distress_hits(masked)
    signals = plan.signals(masked)
    hits += plan.escalate(hits, signals)
    if ctx.is_trivial_joke(masked) or ctx.is_trivial_hyperbole(masked):
        if not signals.any_plan:
            hits = [Hit(None, "low", f"joke:{hit.name}") if RANK[hit.level] >= RANK["moderate"] else hit
                    for hit in hits]
            if ctx.is_trivial_joke(masked):
                hits = [hit for hit in hits if not hit.name.startswith("joke:")]
    hits = plan.apply_disclaimers(hits, masked)
    if _UNSURE.search(masked):  # "is that normal?": possible abuse the writer is unsure about
        hits = [Hit(ABUSE, "moderate", hit.name) if hit.name in _UNSURE_RULES else hit for hit in hits]
    result.educational = ctx.is_educational(masked)
    if not hits:
        return result
    result.level = max((hit.level for hit in hits), key=RANK.__getitem__)
    result.reasons = sorted({hit.name for hit in hits})
    result.categories = _categories(hits, result.level)
    return result


def _categories(hits: list[Hit], level: str) -> list[str]:
    """Categories of the hits that reach the message level (at low, only the writer's own past)."""
    floor = RANK["low"] if level == "low" else RANK["moderate"]
    cats = {hit.category for hit in hits if hit.category and RANK[hit.level] >= floor}
    if RANK[level] < RANK["high"]:
        cats.discard(PLAN)
    if level == "low":
        cats = {hit.category for hit in hits if hit.category and hit.level == "low"}
    order = (SI, SH, PLAN, OTHERS, ABUSE)
    return [c for c in order if c in cats]
