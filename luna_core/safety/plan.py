"""What turns a crisis hint into a plan: time, means, preparation, a decision, an act under way.

``signals`` reads a whole (normalised, masked) message; ``escalate`` combines those signals with the
rule hits into the labelling rules' levels: ideation plus means, or stated intent plus a time, is
imminent; preparation with finality is high, and imminent with a time or a decision. These signals
mean nothing alone ("I need to take my pills tonight", "wrote a note to my landlord").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SI, SH, PLAN, OTHERS, ABUSE = "suicidal_ideation", "self_harm", "intent_or_plan", "harm_to_others", "abuse"
_RANK = {level: i for i, level in enumerate(("none", "low", "moderate", "high", "imminent"))}

_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIME = re.compile(
    rf"\b(?:tonight|today|tomorrow|this (?:morning|afternoon|evening|weekend|week|{_DAYS})|on {_DAYS}|right now|"
    rf"at (?:midnight|dawn|\d+(?: ?(?:am|pm))?)|after (?:work|school|my shift|class|the funeral|everyone|dinner|"
    rf"this)|(?:when|once|after|before) (?:everyone|everybody|they|my \w+|the \w+|he|she)(?: \w+)? (?:is|are|goes|"
    rf"go|fall|falls|get|gets|have gone|has gone|leave|leaves|left)(?: to)? (?:asleep|sleep|bed|away|out|gone|"
    rf"at work|home|left|for work)|in (?:an|a few|\d+|a couple of) (?:hours?|minutes?|mins)|before (?:the weekend|"
    rf"{_DAYS}|my birthday)|(?:this|tonight) is the (?:night|day)|(?:the|this) weekend|(?:after|by|"
    rf"before) (?:christmas|new year|my birthday|(?:my|the|his|her) \w+s? (?:birthday|wedding|exams?|party|"
    rf"graduation|funeral))|(?:after|when) (?:this|the) (?:semester|term|week|month|year) (?:ends|is over|"
    rf"finishes))\b")
_MEANS_NOUN = (r"(?:pills|tablets|meds|medication|paracetamol|tylenol|acetaminophen|sleeping pills|antidepressants|"
               r"insulin|rope|noose|gun|pistol|rifle|shotgun|bullets|knife|knives|blade|blades|razor|razors|bleach|"
               r"poison|charcoal|helium|bat|belt|cord|boxes)")
_MEANS = re.compile(
    rf"\b(?:have(?! been)|has(?! been)|got|bought|saved|saving|stockpil\w*|collected|hoard\w*|counted|lined up|"
    rf"loaded|tied|found|holding|grabbed|stock(?:ing|ed)? up on|keeps?(?! thinking| looking| staring)|kept|brought|"
    rf"ordered|enough)\b.{{0,40}}\b{_MEANS_NOUN}\b|\b{_MEANS_NOUN}\b.{{0,30}}\b(?:ready|lined up|on my (?:desk|bed|"
    rf"table|lap)|in my (?:hand|lap|pocket|bag|mouth)|next to me|in front of me|all here|tied|loaded|counted|"
    rf"saved up|is here|are here)\b|\bi have enough\b|\b(?:have|got) (?:got )?everything i need\b|"
    rf"\bi know where (?:he|she|they) (?:lives?|parks?|works?|sleeps?)\b|\bthe (?:knife|gun|rope|pills) is\b")
_STRONG_PREP = re.compile(
    r"\bsuicide (?:note|letter)|\bgoodbye (?:note|letter|message|video)s?\b|\bthis is (?:my )?(?:goodbye|the end|"
    r"my last message)\b|\bgoodbye (?:forever|everyone|world|cruel world)\b|\b(?:will not|won't) (?:need|"
    r"be needing) (?:them|it|these|this|those|any of (?:it|this)|my \w+) (?:where i am going|anymore|after|"
    r"when i am gone)|\bwhere i am going\b|\b(?:when|after|once) i am (?:gone|dead|not here)\b|\b(?:put|putting|"
    r"got) my affairs in order\b|\b(?:will not|won't) be (?:around|here) (?:much longer|for long|tomorrow|"
    r"next week|anymore)\b|\b(?:last|final) (?:time|message) you (?:will|are going to) hear from me\b|"
    r"\bwill not hear from me again\b|\b(?:rehomed|found a (?:new )?home for|given|gave) my (?:cat|dog|pet|rabbit|"
    r"hamster|fish|bird)\b.{0,60}\b(?:so|taken care|sorted|after|will be)\b|\b(?:the |my )?(?:suicide )?(?:note|"
    r"letter|letters|notes) (?:is|are) (?:written|done|ready|finished)\b|\b(?:stockpil\w*|stock(?:ing|ed)? up on|"
    r"hoard\w*|sav(?:ing|ed) up|been saving|have saved|collect\w*) (?:on )?(?:my |all my |the |some )?(?:\w+ ){0,2}(?:pills|tablets|meds|"
    r"medication|painkillers|paracetamol|tylenol)\b|\bnot (?:going to|gonna) be (?:around|here|"
    r"alive) (?:much longer|for long|long|next|by)\b|\bgiv\w* (?:away )?(?:all|everything|"
    r"most) (?:of )?my (?:stuff|things|belongings|possessions)\b|\bgiving my (?:stuff|things|belongings|"
    r"possessions) away\b|\bsaid my (?:last )?goodbyes\b|\bfinal goodbye\b")
_WEAK_PREP = re.compile(
    r"\b(?:wrote|written|writing|left|leave) (?:a |my |the |some )?(?:notes?|letters?) (?:to|for) (?:my |"
    r"all my )?(?:family|mum|mom|dad|parents|kids|children|sister|brother|wife|husband|everyone|loved ones|friends|"
    r"boyfriend|girlfriend|partner)\b|\bsaid (?:bye|goodbye) to everyone\b|\b(?:saying|said|"
    r"started saying) (?:goodbye|bye) to (?:people|everyone|everybody|my friends|my family)\b|"
    r"\bwill not be (?:such )?a (?:shock|surprise)\b|\b(?:getting rid of|got rid of|giving away|gave away|"
    r"given away) (?:all )?(?:of )?my \w+|\b(?:do not|will not|wont) need (?:it|them|any of it|these|"
    r"my \w+)(?: anymore| any more| where|\s*$|\s*[.!])|\bone last (?:nice |good |happy )?(?:day|time|night|"
    r"weekend|christmas)\b|\bdeleted (?:all )?my (?:accounts|socials|social media)\b|\beverything is (?:sorted|"
    r"in order|ready)\b|\b(?:left|wrote) (?:the|my|some) (?:letters?|notes?)\b|\bi love you all\b|"
    r"\bi am (?:so )?sorry for everything\b|\bplease forgive me\b|\b(?:sold|gave away|given away) my\b|\bmade (?:a|"
    r"my) will\b|\bthank you for everything\b")
_DECISION = re.compile(
    r"\b(?:i have decided|decided to|made up my mind|i am ready|i think i am ready|ready to go|i am doing it|going to "
    r"do it|i will do it|do it (?:tonight|today|tomorrow|this weekend|now)|tonight is the night|today is the day|"
    r"this is it|(?:it is|is) happening|no going back|(?:on my way|heading) to|this is (?:my )?(?:goodbye|the end)|"
    r"final goodbye|goodbye forever|it is done|(?:not|never) (?:think i am )?(?:coming|walking|going) back|no coming "
    r"back)\b")
_ACT_STRONG = re.compile(
    r"\b(?:took|swallowed|have taken|taken|downed|necked|overdosed on) (?:like |about |around |over )?(?:\d{2,}|all|a "
    r"bunch|a lot|a bottle|the whole|a whole|a handful|every|twenty|thirty|forty|fifty|loads)(?: of)?(?: my| the)?"
    r"(?: \w+)? (?:pills|tablets|meds|medication|paracetamol|tylenol|sleeping pills|antidepressants)?\b|\bthe pills "
    r"(?:are|is) (?:kicking in|working)\b|\b(?:noose|rope) "
    r"(?:is )?(?:around my neck|tied|ready)\b|\btied (?:a|the) noose\b|\bdrank (?:the )?bleach\b|\b(?:engine|car)(?:s| "
    r"is)? (?:running|on)\b.{0,40}\bgarage\b|\bgarage\b.{0,40}\b(?:engine|car)(?:s| is)? (?:running|on)\b")
_ACT_CUT = re.compile(r"\b(?:bleeding|blood) (?:a lot|heavily|everywhere|will not stop|is not stopping|so much)\b|"
                      r"\bcut (?:too|way too|way|really|so) deep\b|\bwill not stop bleeding\b")
_ACT_WEAK = re.compile(
    r"\bi am (?:on|at) (?:the|a) (?:bridge|ledge|roof|rooftop|edge|tracks|railing|cliff)\b|\b(?:sitting|standing|"
    r"lying) (?:\w+ ){0,4}with (?:a|the|my) (?:razor|blade|knife|gun|rope|noose|pills)\b|"
    r"\b(?:i am |i |am )?(?:standing|sitting|stood) (?:on |at )?(?:the |a |my )?(?:edge of the |edge of a )?(?:bridge|"
    r"ledge|roof|rooftop|edge|tracks|railing|balcony|cliff)\b|\b(?:gun|knife|blade|razor|pills|rope) (?:is |are )?"
    r"(?:in my (?:hand|lap|mouth)|against my|to my head|on my lap)\b|\bin my (?:hand|lap)\b|\b(?:already|just) "
    r"(?:swallowed|took|taken|downed) (?:them|it|the lot|everything|the pills|all of them)\b")
_HO_PLAN = re.compile(r"\bon my way to (?:his|her|their|the) (?:house|place|flat|work|school|office)\b|\b(?:waiting|"
                      r"parked) outside (?:his|her|their)\b|\bi know where (?:he|she|they) (?:lives?|parks?|works?)\b")

DISTRESS = [(name, re.compile(pattern)) for name, pattern in [
    ("cannot_cope", r"\b(?:cannot|can not) (?:do this|take (?:it|this|much more|any more|anymore)|cope|handle (?:it|"
                    r"this|anything|life)|keep doing this|deal with (?:this|it|anything))\b"),
    ("falling_apart", r"\b(?:cannot|can not) stop crying (?:and i do not know why|for no reason|all the time|"
                      r"every day)\b|\b(?:falling apart|breaking down|(?:at|reached) (?:my|the) breaking point|"
                      r"how much more i can take)\b"),
    ("self_hate", r"\b(?:hate|loathe|despise) myself\b|\bi am (?:so |such a |a )?(?:worthless|useless|pathetic|"
                  r"waste of space|waste of oxygen)\b|\bfeel (?:so |completely |totally )?(?:worthless|useless)\b|"
                  r"\bnothing i do matters\b"),
    ("numb", r"\b(?:feel|feeling|felt) (?:so |completely |totally )?(?:empty|numb|hollow|nothing)\b|\b(?:have not|"
             r"not) felt anything\b|\bnot sad, not happy\b|\bdead inside\b|\b(?:do not|cannot|"
             r"can not) (?:really )?feel anything\b|\bgoing through the motions\b"),
    ("alone", r"\blonely (?:all the time|every day|it hurts)|\blonel\w+\b.{0,40}\bunbearable\b|\b(?:no one|"
              r"nobody) (?:notices|cares|sees me|listens|understands|would notice|would care)\b|"
              r"\bfeel like a ghost\b|\bfeel like i am drowning\b|\b(?:do not|dont) have (?:any|"
              r"a single) friends?\b|\bno friends\b|\bfeel (?:so |completely |totally )?(?:invisible|unwanted|"
              r"unloved|forgotten|like (?:nobody|no one) (?:cares|would notice))\b|\b(?:so|completely|totally|"
              r"utterly|all) alone\b|\bno one (?:cares|would care) about me\b|\bnobody (?:cares|loves me)\b"),
    ("burden", r"\b(?:a|such a|nothing but a) burden\b"),
    ("give_up", r"\b(?:want to|going to|i just|i) give up\b(?! on (?:this|the|that|my (?:diet|plan)))|\btired of "
                r"everything\b|\bdone with everything\b|\bi am (?:so |just )?done\s*(?:$|[.!,])"),
    ("hopeless", r"\b(?:i am|i feel|feeling|feel) (?:so |completely |totally |just )?hopeless\b(?! (?:at|about|with|"
                 r"in) )"),
    ("denial", r"\bnot (?:going to|gonna) do anything (?:stupid|drastic|silly)\b|\bi am not suicidal\b|\bnot "
               r"(?:going to|gonna) (?:hurt|kill) myself\b"),
    ("intrusive", r"\bintrusive (?:thought|thoughts|images?)\b|\b(?:thoughts|flashes|images|urges?) (?:of|about|to) "
                  r"(?:swerving|jumping|pushing|crashing|stabbing|hurting|drowning)\b"),
    ("anger_disclaimed", r"\b(?:angry|furious|rage|mad|livid|pissed|hate)\b.*\b(?:(?:would|will) never|i never|(?:but|"
                         r"obviously) i (?:will|would) not|vent) (?:actually |really "
                         r"|ever )?(?:hurt|touch|hit|lay a (?:hand|finger) on|harm|kill)\b"),
]]
# Intrusive thoughts: about others, any "thoughts of hurting ..." the writer finds abhorrent; about
# themselves, only thoughts they call intrusive or unwanted ("thoughts of killing myself but I don't
# want to die" is ideation, not an intrusive thought).
_INTRUSIVE_SELF = re.compile(r"\bintrusive\b|\bflashes (?:of|about)\b|\b(?:horrible|awful|scary|disturbing|unwanted) "
                             r"(?:thoughts?|images?)\b")
_INTRUSIVE_OTHERS = re.compile(rf"{_INTRUSIVE_SELF.pattern}|\bthoughts? (?:of|about)\b")
_ABHORRENT = re.compile(r"\b(?:disgust\w*|horrif\w*|scare[sd]? me|terrif\w*|would never|never do|do not want to|"
                        r"hate (?:these|them|it|having))\b")
_ANGER_DISCLAIMER = re.compile(r"\b(?:but|obviously|of course) (?:obviously |of course )?i (?:will not|would not|"
                               r"am not going to)\b|\bjust (?:need|want|wanted|needed) to vent\b|\bi never (?:hurt|"
                               r"hit|touch) (?:anyone|anybody|people|them|him|her)\b|\b(?:would|will|"
                               r"could) never (?:actually |really |ever )?(?:hurt|touch|hit|lay a (?:hand|"
                               r"finger) on|harm|kill|do (?:it|that|anything))\b|"
                               r"\bnot going to (?:actually )?(?:hurt|do anything to|touch)\b")


@dataclass(frozen=True)
class Hit:
    """One rule's finding: a category (None for distress without one), a level, the rule's name."""

    category: str | None
    level: str
    name: str
    method: bool = False
    intent: bool = False


@dataclass(frozen=True)
class PlanSignals:
    time: bool
    means: bool
    strong_prep: bool
    weak_prep: int
    decision: bool
    act: bool
    act_cut: bool
    act_weak: bool
    others_plan: bool

    @property
    def any_plan(self) -> bool:
        return self.means or self.strong_prep or self.act or self.act_cut or self.decision or self.others_plan


def signals(text: str) -> PlanSignals:
    """The plan signals anywhere in the message."""
    return PlanSignals(
        time=bool(_TIME.search(text)), means=bool(_MEANS.search(text)), strong_prep=bool(_STRONG_PREP.search(text)),
        weak_prep=len(_WEAK_PREP.findall(text)), decision=bool(_DECISION.search(text)),
        act=bool(_ACT_STRONG.search(text)), act_cut=bool(_ACT_CUT.search(text)), act_weak=bool(_ACT_WEAK.search(text)),
        others_plan=bool(_HO_PLAN.search(text)))


def escalate(hits: list, s: PlanSignals) -> list:
    """Extra hits that the plan signals add to the rule hits (the rules' own hits are kept)."""
    def top(category: str) -> int:
        return max((_RANK[h.level] for h in hits if h.category == category), default=0)

    si, sh, others, abuse = top(SI), top(SH), top(OTHERS), top(ABUSE)
    intent = any(h.intent or h.method for h in hits if h.category in (SI, OTHERS))
    method = any(h.method for h in hits)
    out = []

    def add(category: str, level: str, name: str) -> None:
        out.extend([Hit(category, level, name), Hit(PLAN, level, name)])

    if s.act_cut and si < _RANK["high"]:
        add(SH, "imminent", "act_under_way")
    if s.act or (s.act_cut and si >= _RANK["high"]) or (s.act_weak and (si >= _RANK["moderate"] or s.decision)):
        add(SI, "imminent", "act_under_way")
    if si >= _RANK["moderate"] and s.means:
        add(SI, "imminent", "ideation_with_means")
    if si >= _RANK["high"] and (intent or s.decision) and s.time:
        add(SI, "imminent", "intent_with_time")
    sh_intent = any(h.intent for h in hits if h.category == SH) or s.decision
    if sh >= _RANK["high"] and sh_intent and (s.means or s.time):
        add(SH, "imminent", "self_harm_with_means_or_time")
    if method and (s.means or s.time or s.decision):
        add(SI, "imminent", "method_with_means_or_time")
    prep = s.strong_prep or (s.weak_prep and (si >= _RANK["moderate"] or s.decision))
    if prep and (s.time or s.decision):
        add(SI, "imminent", "preparation_with_time")
    elif prep or s.weak_prep >= 2:
        add(SI, "high", "preparation")
    elif method:
        out.append(Hit(PLAN, "high", "method"))
    if others >= _RANK["high"] and (s.time or s.means or s.others_plan) and any(h.intent for h in hits):
        add(OTHERS, "imminent", "threat_with_plan")
    elif others and s.others_plan:
        add(OTHERS, "imminent", "threat_with_plan")
    if abuse >= _RANK["high"] and s.time and s.means and any(h.name == "abuse_threat" for h in hits):
        add(ABUSE, "imminent", "abuser_threat_with_means")
    return out


def apply_disclaimers(hits: list, text: str) -> list:
    """Unwanted intrusive thoughts the writer finds abhorrent, and anger that disclaims hurting anyone,
    are low with no category (labelling rules, levels table)."""
    abhorrent = bool(_ABHORRENT.search(text))
    intrusive_self = abhorrent and bool(_INTRUSIVE_SELF.search(text))
    intrusive_others = abhorrent and bool(_INTRUSIVE_OTHERS.search(text))
    disclaims = bool(_ANGER_DISCLAIMER.search(text))
    out = []
    for hit in hits:
        if hit.level == "imminent":
            pass
        elif (hit.category in (SI, SH, PLAN) and intrusive_self) or (hit.category == OTHERS and intrusive_others):
            hit = Hit(None, "low", f"intrusive:{hit.name}")
        elif hit.category == OTHERS and disclaims:
            hit = Hit(None, "low", f"disclaimed:{hit.name}")
        out.append(hit)
    return out
