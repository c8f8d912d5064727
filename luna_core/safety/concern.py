"""Worry about someone else: the writer reports that another person may be at risk.

``concern_for_other`` is its own category (../shared/CLI.md): the level is the other person's
danger (imminent: now, tonight, an act under way, a goodbye sent; high: active ideation, recent
self-harm, a threat to a third person; moderate: worrying signs), and Luna answers with resources
framed for a helper. A supportive message the writer drafts for someone else ("please don't do
it, call 988") is the other person's risk, never the writer's own ideation. Patterns run over
``text.normalise``d text; labelled sets: tests/fixtures/concern_other_*.jsonl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = (r"(?:(?:(?:my|our|a|his|her|their|this|one of my|one of our) (?:\w+ ){0,2})?(?:friend|friends|mate|bestie|bff|bf|gf|"
        r"boyfriend|girlfriend|partner|husband|wife|fiance|fiancee|ex|son|daughter|kid|kids|child|teen|teenager|"
        r"brother|sister|twin|sibling|cousin|mum|mom|mother|dad|father|parent|grandpa|grandma|grandad|nan|uncle|aunt|"
        r"nephew|niece|student|pupil|classmate|roommate|flatmate|housemate|coworker|colleague|teammate|neighbou?r|"
        r"patient|client|guy|girl|boy|lad|person|someone|member|stepdad|stepmum|stepmom|stepson|stepdaughter)s?|"
        r"(?:he|she|they|someone i know|somebody i know|a guy|a girl|this guy|this girl|the girl|the boy|the kid))")
_OTHER_SELF = r"(?:himself|herself|themselves|themself|hisself)"
_THEIR = r"(?:his|her|their)"
_IDEATION = (rf"(?:(?:kill|kills|killing) {_OTHER_SELF}|end\w* {_THEIR} (?:own )?life|tak\w* {_THEIR} (?:own )?life|"
             rf"(?:is|was|been|feeling|feels|sounds|seems) suicidal|(?:about|of|thinking about|talking about|talks about|"
             rf"mentioned|attempted|tried|considering) (?:suicide|sewerslide|unaliving)|"
             rf"(?:want|wants|wanted|wanting|wishes|wished) to die|(?:wish|wishes|wished) (?:he|she|they) (?:was|were) "
             rf"dead|(?:he|she|they) (?:is|are|does|do|is not|does not|do not)? ?(?:not )?(?:want|wanting|wants) to (?:live|be alive|be here) ?(?:anymore)?|"
             rf"(?:he|she|they) (?:has|have|got) nothing to live for|"
             rf"go through with it|check\w* out|hurt\w* {_OTHER_SELF}|harm\w* {_OTHER_SELF}|cut\w* {_OTHER_SELF}|"
             rf"(?:is|was|been|has been|started|keeps) self harm\w*|self harm\w* again|relapsed|overdosed|is overdosing|"
             rf"(?:going to|will|gonna|wants to|plans to|threatening to) (?:overdose|od|jump|do it|end it)|"
             rf"(?:took|taken|swallowed) (?:a bunch of |all (?:of )?(?:his|her|their|the) |the whole |loads of |some |a lot of )?"
             rf"(?:pills|tablets|meds|them all)|pile of pills|(?:pills|tablets|meds) (?:counted|lined up|saved|stockpiled|"
             rf"ready)|jump\w* (?:off|from|in front)(?! of (?:joy|excitement))|hang\w* {_OTHER_SELF}|shoot\w* {_OTHER_SELF}|"
             rf"walk\w* into the (?:sea|river|lake|traffic)|drive\w* (?:his|her|their) car into|end it all|"
             rf"(?:is|was|has been|been) (?:cutting|carving|burning)|sleep forever|(?:posted|sent|wrote|left) (?:me )?(?:a )?"
             rf"(?:goodbye|good bye|suicide note|note)|saying goodbye|put the (?:pills|knife|blade|gun|rope) down|get off the "
             rf"(?:bridge|roof|ledge)|(?:please |pls )?do not do it)")
_ACUTE = re.compile(r"\b(?:tonight|right now|just now|this (?:morning|afternoon|evening|weekend)|an hour ago|at midnight|after "
          r"(?:his|her|their) shift|goodbye|good bye|last message|suicide note|a note|sorry and goodbye|took (?:them all|all|"
          r"a bunch|a lot|loads|pills|tablets|some|the whole)|taken (?:pills|tablets|a bunch|all)|swallowed|already took|"
          r"pile of pills|counted out|lined up|sorry babe|a rope|the rope|a gun|the gun|a blade|the blade|a knife|on the "
          r"(?:roof|bridge|ledge|edge|platform|tracks)|at the (?:bridge|cliff|station|edge)|get off the (?:bridge|roof|ledge)|"
          r"put the (?:pills|knife|blade|gun|rope) down|not answering|stopped answering|will not answer|went offline|turned "
          r"(?:his|her|their) location off|hung up|bleeding|in the bath|passed out|will not wake|this weekend|on (?:friday|"
          r"saturday|sunday|monday)|doing it (?:on|this|at|when|after)|walk into the sea|just left|nobody can reach|no one can "
          r"reach|cannot reach|is not making sense|(?:is|am|are) on (?:my|our) way|5 min away|minutes away)\b")
_WORRY_SIGNS = (r"\b(?:better off without (?:him|her|them|me)|would not notice if (?:he|she|they|i) (?:was|were) gone|"
                r"not (?:be|being) around|(?:giv\w*|gave) (?:away )?(?:me )?(?:his|her|their) (?:\w+ ){0,2}(?:away|stuff|"
                r"things|dog|cat|guitar|xbox|necklace|ring|clothes)|long sleeves|flinch\w*|dark stuff|no "
                r"point|nothing matters|hopeless|talking about death|talks about death|sitting alone|wants to disappear|"
                r"(?:wishes|wish) (?:he|she|they) could (?:just )?disappear)\b")
_WORRIED = r"\b(?:worried|scared|afraid|terrified|concerned|freaking out|panicking|what do i do|what should i do|how (?:do|can) i help|is (?:she|he|they) (?:ok|okay|safe))\b"
_THREAT_THIRD = (rf"\b{_WHO} (?:\w+ ){{0,3}}(?:says|said|keeps saying|is going to|wants to|will|threatened to|"
                 rf"swears) (?:\w+ ){{0,3}}(?:kill|hurt|beat up|stab|shoot|attack|batter) (?:his|her|their|the|that|"
                 rf"my|him|her|them)\b")
_PAST_ONLY = re.compile(r"\b(?:used to|years ago|last year|when i was|in (?:19|20)\d\d|last (?:spring|summer|autumn|fall|winter)|when (?:he|she|they) (?:was|were) (?:younger|a teen|in)|"
                        r"(?:is|are|seems) (?:doing )?(?:fine|better|great|ok|okay) now|in recovery|clean for|"
                        r"passed away|died|funeral|lost (?:my|our|a)|anniversary)\b")
_EDUCATIONAL = re.compile(r"\b(?:warning signs|how (?:can|do|would) i (?:tell|know) if|in english|in class|the play|signs (?:of|that)|how (?:do|can|should|would) (?:i|you|we|someone) "
                          r"(?:help|support|talk to|spot|recognise|recognize)|what (?:are|is) the|essay|research|"
                          r"training|volunteer\w*|course|class on|podcast|documentary|movie|film|show|series|book|"
                          r"novel|song|lyrics|character|episode|news|article|statistics)\b")
_ACCIDENT = re.compile(r"\baccident\w*|\bby mistake\b|\bbungee\b|\bparamedic\b|\bnurse\b|\bcall (?:today|at work)\b")
_JOKING = re.compile(r"\blol\b|\bjoking\b|\bjokingly\b|\bkidding\b|\bas a joke\b|\bmeme\b")


@dataclass(frozen=True)
class Concern:
    level: str            # the other person's danger: moderate, high or imminent
    reasons: tuple[str, ...]


def assess_concern(text: str) -> Concern | None:
    """Whether ``text`` (normalised) reports another person at risk, and how acutely; None if not."""
    subject = re.search(rf"\b{_WHO}\b", text)
    if subject is None:
        return None
    ideation = re.search(rf"\b{_WHO}\b.{{0,120}}?\b{_IDEATION}\b", text)
    threat = re.search(_THREAT_THIRD, text)
    signs = re.search(_WORRY_SIGNS, text) and not FIRST_PERSON_RISK.search(text)
    if not (ideation or threat or signs):
        return None
    if (_EDUCATIONAL.search(text) and not _ACUTE.search(text)) or (
            _PAST_ONLY.search(text) and not _ACUTE.search(text) and not re.search(r"\bagain\b|\blast night\b", text)):
        return None
    if _ACCIDENT.search(text) and not re.search(r"\bsuicid|\bon purpose\b", text):
        return None
    if _JOKING.search(text) and not re.search(_WORRIED, text):
        return None
    if ideation and _ACUTE.search(text):
        return Concern("imminent", ("concern:acute",))
    if ideation or threat:
        return Concern("high", ("concern:ideation" if ideation else "concern:threat_to_third",))
    return Concern("moderate", ("concern:signs",))


_REPORTED = re.compile(rf"\b{_WHO}\b (?:\w+ ){{0,3}}(?:said|says|keeps saying|keeps telling me|told me|texted|wrote|posted|"
                       rf"messaged|admitted|is saying|keeps sending|sent me|snapchatted|dmed|called me)\b")
_DRAFTING = re.compile(rf"\b(?:texting|sending|send|drafting|draft|replying|reply|typing|writing|write|message|text|"
                       rf"what i (?:just )?sent|i sent)\b(?: \w+){{0,3}} (?:to )?{_WHO}\b")
_SECOND_PERSON = [(r"\byou are\b", "i am"), (r"\byou were\b", "i was"), (r"\byou have\b", "i have"),
                  (r"\byourself\b", "myself"), (r"\byour\b", "my"), (r"\byou\b", "i")]
_THIRD_PERSON = [(r"\b(?:he|she) (?:is|has)\b", "i am"), (r"\b(?:he|she) was\b", "i was"), (r"\b(?:he|she)\b", "i"),
                 (r"\b(?:himself|herself|themself)\b", "myself"), (r"\b(?:his|her)\b", "my"),
                 (r"\b(?:says|said|keeps saying|told me|texted|wrote|admitted)\b", "said")]


def others_words(text: str) -> str | None:
    """The part of ``text`` that speaks for someone else, in the first person: what they said or
    wrote (reported speech), or a message drafted to them with 'you' read as their 'I'. None when
    the message quotes or addresses no one else."""
    drafted = _DRAFTING.search(text)
    reported = _REPORTED.search(text) or re.search(rf"\b{_WHO}\b (?:\w+ ){{0,2}}(?:is|has been|keeps|just|is now)\b", text)
    if not (drafted or reported) or _EDUCATIONAL.search(text) or (_PAST_ONLY.search(text) and not _ACUTE.search(text)):
        return None
    for pattern, repl in (_SECOND_PERSON if drafted else []) + _THIRD_PERSON:
        text = re.sub(pattern, repl, text)
    return text


# The writer's own risk in the first person: then a crisis is never moved onto someone else.
FIRST_PERSON_RISK = re.compile(r"\b(?:i (?:do not want|want|wanna|am going|have been|keep|feel like|wish|will|might|cannot)\b.{0,40}"
                               r"\b(?:die|dead|kill|end|hurt|cut|harm|overdose|jump|not wake|disappear|be gone|be here|live|exist)|myself|"
                               r"my (?:own )?life|suicid\w* (?:thoughts|feelings)|i am (?:suicidal|not safe))")


def quotes_other(text: str) -> bool:
    """The writer reports what someone else said or wrote, or drafts a message to them."""
    return bool(_REPORTED.search(text) or _DRAFTING.search(text))
