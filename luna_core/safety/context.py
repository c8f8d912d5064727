"""Reading the context around a risk word: figurative speech, who is speaking, when, and how.

The crisis rules find risk phrases; this module says when such a phrase does not mean risk to
the writer. ``mask_figurative`` blanks idioms, games, accidents and routine medicine out of the
normalised text before any rule runs ("this commute is killing me", "I keep dying on the boss",
"I cut my finger chopping onions"), so a rule never sees them. The other functions read one
clause: whether the subject is the writer, whether a phrase is negated, past, educational, or a
joke about a trivial trigger. All work on text from ``text.normalise``.
"""

from __future__ import annotations

import re

MASK = " ~ "

_BODY = r"(?:feet|legs|back|head|knees|neck|shoulders|arms|eyes|stomach|hands|calves|thighs|abs)"
_THINGS = (r"(?:phone|battery|laptop|car|computer|charger|plants?|garden|flowers|fish tank|conversation|"
           r"party|vibe|joke|headphones|airpods|tablet|ipad|console|controller|mic|wifi|internet|"
           r"brain cells|group chat|chat|tv|torch|bulb|lawn|grass|hair|trend|show|series|meme)")
_GAME = (r"(?:game|gaming|level|boss|fortnite|minecraft|elden ring|dark souls|souls|valorant|cod|"
         r"call of duty|apex|overwatch|raid|dungeon|lobby|respawn\w*|npc|speedrun|ps5|xbox|"
         r"controller|roblox|league|ranked|match|round|pvp|zombies|mobs?)")
_PETS = (r"(?:cat|dog|pet|puppy|kitten|rabbit|bunny|hamster|guinea pig|horse|bird|budgie|parrot|fish|"
         r"goldfish|tortoise|turtle|snake|ferret|pony)")
_FIGURATIVE = [
    rf"\b(?:this|the|that|my|these|those|it|work|school|traffic|heat|weather|wait|waiting|homework|"
    rf"suspense|commute|song|noise|{_BODY}|\w+ing)\s+(?:is|are|was|were|has been|have been)\s+"
    r"(?:literally |actually |so |really |honestly |just )?killing me\b",
    rf"\b{_BODY} (?:is |are )?killing me\b",
    r"\bkill(?:ing)? for (?:a|an|some|the|one|another) \w+", r"\b(?:kill|killed|killing|kills) it\b",
    r"\b(?:kill|smash|nail|ace|crush|murder|slay|destroy)(?:ed|ing|s)? (?:the|that|my|this|our) (?:exam|test|"
    r"interview|presentation|game|set|workout|audition|performance|gig|show|quiz|match|speech|song)",
    r"\bkill(?:ing)? (?:this|the|my|that) (?:presentation|exam|test|interview|game|workout|set|"
    r"audition|gig|speech|run|race|match)\b", r"\bkill (?:time|the (?:mood|vibe|lights|engine|music))\b",
    r"\bkill ?(?:streak|count|feed|cam|shot)s?\b", r"\b\d+ kills?\b", r"\bkiller (?:\w+)\b",
    r"\bto die for\b", r"\b(?:dying|die|died|dead|death) (?:of|from|with) (?:laughter|laughing|embarrassment|"
    r"boredom|cringe|heat|thirst|hunger|curiosity|excitement|shame|jealousy|envy|cuteness)\b",
    r"\b(?:almost |nearly |literally |just )?died (?:laughing|of laughter)\b", r"\bdying laughing\b",
    r"\bdying to (?:know|see|try|hear|meet|go|get|tell|watch|read|find out)\b",
    r"\bbored (?:to death|(?:that )?i could (?:die|scream))\b", r"\bbored stiff\b",
    r"\b(?:so |such )?(?:embarrass\w*|awkward|cringe\w*) (?:that )?i (?:could|wanted to|want to) die\b",
    r"\bdead (?:tired|serious|set|last|end|on my feet|heat|weight|ringer|centre|center|bolt)\b",
    r"\bdead ?lines?\b", r"\bover my dead body\b", r"\b(?:dead|dying|died) inside (?:lol|after)\b",
    rf"\b(?:my |the |our |his |her )?{_THINGS} (?:\w+ )?(?:is |are |was |were |keeps? |has )?"
    r"(?:dying|dead|died|die|killed)\b",
    rf"\b{_BODY} (?:are|is|feel|felt) (?:dead|dying)\b",
    r"\b(?:nearly |almost |just about )?(?:killed|kill|killing) myself laughing\b|\bcould (?:just )?kill myself for "
    r"\w+ing\b|\b(?:going to|will) be the death of me\b",
    r"\bi (?:am|was) (?:so |literally |absolutely )?dead\b(?= (?:lol|that|this|at|after)|$)",
    r"\bshoot (?:me|you|him|her|them|us) (?:a|an) (?:text|message|email|dm|line|note)\b",
    r"\b(?:shoot|shot|shooting) (?:my|your|his|her) shot\b|\bshoot(?:ing)? (?:a|the|my|our|some) (?:\w+ )?(?:video|"
    r"film|movie|scene|photos?|pictures?|commercial|ad|wedding|content|reel|tiktok|episode)\b",
    r"\bphoto ?shoot\b", r"\bshoot (?:hoops|the breeze|a (?:film|video|scene))\b",
    r"\bcut (?:back|down|out|off|ties|corners|class|school|the (?:cord|grass|cake|line|crap)|my losses|it close)\b",
    r"\bcut (?:my|his|her|their|the) (?:hair|fringe|bangs|nails|grass|lawn|hedge|toenails|beard)\b",
    r"\b(?:cut|burned|burnt|hurt|injured|scratched|banged|hit|bumped|stubbed|grazed|scraped|sprained|"
    r"twisted|pulled) (?:my|myself)(?: \w+){0,3} (?:while|when (?:i|we) (?:was|were|fell|tripped|slipped)|"
    r"on (?:the|a|my) (?:oven|stove|iron|kettle|door|cupboard|table|corner|pan|bed|step|stairs)|"
    r"chopping|cooking|shaving|baking|gardening|at the gym|playing|by accident|accidentally|opening|"
    r"with the (?:knife|oven|iron|kettle|pan|scissors) (?:while|when)|doing)",
    r"\b(?:cut|burned|burnt|sliced|nicked) (?:my )?(?:finger|thumb|hand|tongue|lip|toe|chin|knee) "
    r"(?:on|while|chopping|cooking|shaving|with a (?:knife|grater|can|tin)|opening|slicing|peeling)",
    r"\bhit my (?:head|knee|elbow|toe|shin|funny bone) (?:on|against)\b",
    r"\bhang(?:ing)? (?:out|on|up|in there|tight|around|with|the (?:pictures?|washing|laundry|clothes|"
    r"painting|shelf|shelves|lights|decorations|curtains|mirror))\b",
    r"\bhung (?:out|up|the|some|a)\b", r"\bhangover\b", r"\bhung ?over\b",
    r"\bjump(?:ing|ed)? (?:in|into) (?:the )?(?:pool|lake|sea|ocean|water)(?! and (?:not|never))|\bjump (?:for joy|"
    r"to conclusions|at the chance|rope|start|ship|the queue|on a call)\b",
    rf"\b(?:put|putting|had to put|have to put) (?:my |our |the )?(?:{_PETS}|\w+) (?:down|to sleep)\b",
    rf"\b(?:my |our )?{_PETS} (?:\w+ )?(?:is |was )?(?:dying|died|passed|is dead|put down)\b",
    r"\b(?:chemo|chemotherapy|antibiotics|radiation|treatment|medicine|bleach|soap|spray) (?:is |are |will |to )?"
    r"(?:killing|kill|kills|killed)\b", r"\bkill(?:s|ing|ed)? (?:the |all the )?(?:cancer|bacteria|germs|"
    r"virus|weeds|bugs|pests|cells|mould|mold|flies|spider|wasp|ants|mosquitoes|mice|rats)\b",
    r"\b(?:upped|increased|raised|lowered|reduced|changed|doubled|halved|adjusted) (?:my )?(?:\w+ )?"
    r"(?:dose|dosage|meds|medication|prescription)\b",
    r"\b(?:dose|dosage) (?:was |has been |got )?(?:increased|upped|lowered|changed|reduced|raised)\b",
    r"\b(?:take|took|taking|forgot|forget|remember to take|remind me to take) (?:my|the) (?:pills|meds|"
    r"medication|tablets|antibiotics|vitamins|inhaler)\b(?! all)",
    r"\boverdos\w* on (?:caffeine|coffee|sugar|chocolate|netflix|tv|carbs|junk food|energy drinks|social media|"
    r"tiktok)\b",
    r"\bsuicide (?:squad|mission|doors|run|king|squeeze)\b", r"\bsuicidal (?:pace|mission|move|idea lol)\b",
    r"\b(?:cancel|cancelled|canceled|end|ended|ending) it with (?:him|her|them|my \w+)\b",
    r"\bend (?:it|things) with (?:him|her|them|my \w+)\b",
    r"\b(?:murder|murdered|killed) (?:this|that|the) (?:song|track|karaoke|beat|verse|look|outfit)\b",
    r"\bi (?:would|could) (?:just )?(?:kill|murder) (?:for|someone for)\b",
    r"\b(?:panic attack|heart attack|anxiety attack)\b.*\b(?:going to|gonna|was going to|about to) die\b",
    r"\b(?:thought|felt like|convinced|sure) i (?:was|am) (?:going to|gonna|about to) die\b"
    r"(?=.*\b(?:panic|anxiety|heart|chest|breathe|breathing|attack|turbulence|plane|flight|ride|rollercoaster))",
]
_FIGURATIVE_RE = [re.compile(p) for p in _FIGURATIVE]
_GAME_RE = re.compile(rf"\b{_GAME}\b")
_GAME_DEATH = re.compile(r"\b(?:i |we |you )?(?:keep |kept |just |finally )?(?:dying|died|die|dead|killed|kill|killing|"
                         r"kills|shot|shoot|shooting|stabbed|murdered)\b(?! myself)")


_THEY_WILL_KILL_ME = re.compile(
    r"\b(?:boss|mum|mom|dad|mother|father|teacher|coach|parents|wife|husband|girlfriend|boyfriend|manager|sister|"
    r"brother|she|he|they) (?:is |are )?(?:going to|will|gonna|would|is gonna) (?:literally |actually )?(?:kill|murder|"
    r"strangle|end) me\b")
_TRIVIAL_TRIGGER = re.compile(
    r"\b(?:grades?|test|exam|results|late|missed|miss|forgot|forget|broke|spent|bill|mess|dent|scratch|report card|"
    r"curfew|homework|score|marks|sees?|finds? out|hears? about|notices?|deadline|lol|haha|burnt|burned|ate|eat|"
    r"fail|failed|lost|crashed|tattoo|piercing|haircut)\b")
_REAL_THREAT = re.compile(r"\b(?:said|says|threaten\w*|swore|told me|keeps saying|if i (?:leave|tell|go|report|"
                          r"call))\b")


def _mask_idiom_threats(text: str) -> str:
    """"my mum will kill me when she sees my grades" is an idiom; "he said he will kill me if i leave" is not."""
    parts = re.split(r"([.!?;\n]+)", text)
    for i, part in enumerate(parts):
        if _THEY_WILL_KILL_ME.search(part) and _TRIVIAL_TRIGGER.search(part) and not _REAL_THREAT.search(part):
            parts[i] = _THEY_WILL_KILL_ME.sub(MASK, part)
    return "".join(parts)


def unmask(text: str) -> str:
    """The masked text readable again (masks become a pause), for the semantic stage."""
    return re.sub(r"\s*~\s*", ", ", text).strip(" ,")


def mask_figurative(text: str) -> str:
    """The text with figurative, game, accidental, veterinary and routine-medical phrases blanked."""
    text = _mask_idiom_threats(text)
    for pattern in _FIGURATIVE_RE:
        text = pattern.sub(MASK, text)
    parts = re.split(r"([.!?;\n]+)", text)
    for i, part in enumerate(parts):
        if _GAME_RE.search(part):
            parts[i] = _GAME_DEATH.sub(MASK, part)
    return "".join(parts)


_SELF_WORDS = re.compile(r"\b(?:i|me|my|myself|mine)\b")  # "we" is not the writer alone: "we had a suicide call"
_OTHER_WORDS = re.compile(
    r"\b(?:he|she|they|his|hers|their|him|them|himself|herself|themselves|friend|friends|sister|brother|son|"
    r"daughter|mum|mom|dad|mother|father|partner|boyfriend|girlfriend|husband|wife|someone|somebody|"
    r"people|character|cousin|aunt|uncle|kid|kids|child|children|student|students|patient|patients|client|"
    r"colleague|coworker|person|teen|teenager|teenagers|celebrity|singer|actor|neighbour|neighbor|"
    r"roommate|classmate|grandma|grandpa|nan|niece|nephew|guy|girl|man|woman|anyone|you|yourself|"
    r"veterans?|soldiers?|men|women|we|us|our)\b")


def speaker_is_self(clause: str, start: int) -> bool:
    """Whether the phrase at ``start`` has the writer as its subject: the last person word before it
    is I/me/my, or there is none (dropped subjects, "wanna die"). "my friend wants to die": no."""
    before = clause[:start]
    last_self = max((m.end() for m in _SELF_WORDS.finditer(before)), default=-1)
    last_other = max((m.end() for m in _OTHER_WORDS.finditer(before)), default=-1)
    return last_self >= last_other


_NEGATION = re.compile(r"\b(?:not|never|no longer|no)\b(?! (?:stop|help|even|just|only|one|sure)\b)")


def is_negated(clause: str, start: int) -> bool:
    """A negation between the writer's last "i" and the phrase ("i would never kill myself")."""
    before = clause[:start]
    last_i = max((m.end() for m in re.finditer(r"\bi\b", before)), default=max(0, start - 30))
    window = before[last_i:]
    if re.search(r"\blying if i said\b", before):  # "i would be lying if i said i had not thought about it"
        return False
    return bool(_NEGATION.search(window)) and not re.search(r"\b(?:cannot|can not|could not) stop\b", window)


_PAST = re.compile(
    r"\b(?:used to|years ago|months ago|a year ago|last year|in the past|growing up|back in (?:school|high school|"
    r"college|the day)|as a (?:kid|child|teen|teenager|little girl|little boy)|when i was (?:a |in |younger|little|"
    r"young|small|\d+|at )|in recovery|recovered|clean (?:for|since)|(?:days|weeks|months|years) clean|free (?:for|"
    r"since)|(?:much |a lot )?better now|doing (?:much |a lot |way )?better|no longer|not anymore|(?:have not|"
    r"did not|never) (?:cut|self harmed|hurt myself|relapsed|done it) (?:in|since|for)|(?:a couple|a few|two|three|"
    r"\d+) (?:of )?years (?:ago|back)|in (?:19|20)\d\d|therapy (?:really )?helped|survived|scars? (?:from|of))\b")
_CURRENT = re.compile(
    r"\b(?:again|last night|this week|this morning|this evening|today|tonight|right now|lately|recently|these days|"
    r"still (?:do|does|cut|cuts|hit|hits|happens|self harm|hurt|hurts|want|feel)|every (?:night|day|morning)|"
    r"relapsed?|relapsing|currently|yesterday|this month|(?:a|one|two|few|couple of) (?:days|weeks) ago|days ago|"
    r"last week|wish it had worked|at the moment|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|last))\b")


def is_past(clause: str) -> bool:
    """The clause describes something past and over ("I used to cut", "clean for 3 years")."""
    return bool(_PAST.search(clause)) and not _CURRENT.search(clause)


_EDUCATIONAL = re.compile(
    r"\b(?:warning signs?|signs (?:of|that)|symptoms of|statistics|stats|rates? of|risk factors?|prevention|awareness|"
    r"essay|research\w*|paper|article|documentary|book|novel|movie|film|show|series|episode|character|song|"
    r"lyrics|podcast|class|course|lecture|module|homework|assignment|training|workshop|nursing|psychology|"
    r"history|news|headline|report|study|studies|definition|difference between|what (?:is|are|does)|"
    r"how (?:do|can|should|would) (?:i|we|you|someone|people|one) (?:help|support|talk|tell|spot|recognise|"
    r"recognize|respond|approach)|how to (?:help|support|talk|spot|recognise|recognize|respond)|"
    r"what should i (?:do|say)|is it (?:true|normal) that|hotline number|helpline)\b")


_EDUCATIONAL_STRONG = re.compile(
    r"\b(?:warning signs?|signs (?:of|that)|symptoms of|statistics|rates? of|risk factors?|prevention|awareness|essay|"
    r"documentary|novel|character|lyrics|podcast|lecture|homework|assignment|nursing|psychology|definition|"
    r"difference between|how (?:do|can|should|would) (?:i|we|you|someone|people|one) (?:help|support|talk|tell|spot|"
    r"recognise|recognize|respond|approach)|how to (?:help|support|talk|spot|recognise|recognize|respond)|"
    r"what should i (?:do|say)|(?:movie|film|show|series|book|episode|game|song) (?:where|about|in which))\b")


def is_educational(clause: str) -> bool:
    """The clause asks about or discusses the topic (warning signs, essays, media), not the writer."""
    return bool(_EDUCATIONAL.search(clause))


def is_educational_message(text: str) -> bool:
    """The message is plainly a question or study about the topic (a narrower test than
    ``is_educational``: it stops the semantic stage from raising the message at all)."""
    return bool(_EDUCATIONAL_STRONG.search(text))


_DISTRESS = re.compile(
    r"\b(?:lost my|got dumped|dumped me|broke up|moved out|left me|alone|no one|nobody|cannot cope|can not cope|"
    r"not (?:even )?joking|serious(?:ly)?|for real|i mean it|anymore|every (?:day|night)|hate my life|depress\w*|"
    r"tired of|hopeless|worthless|crying|cried|funeral|divorce|fired|evicted|homeless|kicked out|abus\w*|"
    r"nothing left|no point|burden|empty|numb|cannot do this|exhausted|done with)\b")
_JOKE = re.compile(r"\blol\b|\bjust kidding\b|\bjoking\b(?<!not joking)|:p\b|xd\b")
_ONE_MORE = re.compile(r"\b(?:one more|if i (?:have to|hear|see)|if (?:this|that|he|she) \w+ (?:one more|again))\b"
                       r".*\b(?:kill myself|die|going to die|will die)\b")


_RISK_WORDS = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|overdos\w*|pills|tablets|meds|blades?|razors?|knife|gun|rope|noose|"
    r"cut\w*|burn\w*|hurt\w*|harm\w*|bleed\w*|blood|hit|hits|beat\w*|touch\w*|abus\w*|rape\w*|threat\w*|alive|live|"
    r"exist\w*|disappear\w*|goodbye|bridge|jump\w*|hang\w*|scared|afraid|pain|punish\w*|burden|worthless|hopeless|"
    r"weapon|stab\w*|shoot\w*|shot|punch\w*|scars?|wrists?)\b")


_THIRD_PARTY = re.compile(
    r"\b(?:killed|kills|hanged|hung|shot|overdosed) (?:himself|herself|themselves)\b|\b(?:died|dies|dead) (?:by|"
    r"from|of) (?:suicide|an overdose|overdose)\b|\btook (?:his|her|their) (?:own )?life\b|\b(?:he|she|they|"
    r"\w+) committed suicide\b|\b(?:his|her|their) suicide\b|\b(?:he|she|they) (?:self harms?|cuts? (?:himself|"
    r"herself|themselves))\b|\b(?:is|are|was|were|has been|have been) self harming\b")


def is_third_party_report(text: str) -> bool:
    """Someone else's suicide, self-harm or death is reported (not the writer's own risk)."""
    return bool(_THIRD_PARTY.search(text))


def has_risk_words(text: str) -> bool:
    """Whether the (masked) text still holds a word from the risk vocabulary; the semantic stage
    needs less margin to raise such a message than one with no risk word at all."""
    return bool(_RISK_WORDS.search(text))


def is_trivial_joke(text: str) -> bool:
    """Tie-breaker 2: a joke marker and no distress context ("lol i wanna die, my mum showed ...")."""
    return bool(_JOKE.search(text)) and not re.search(r"\bnot (?:even )?joking\b", text) \
        and not _DISTRESS.search(text)


def is_trivial_hyperbole(text: str) -> bool:
    """"one more meeting and i will kill myself": a trivial trigger with no distress context."""
    return bool(_ONE_MORE.search(text)) and not _DISTRESS.search(text)
