"""Crisis rules about other people: the writer threatening someone, and abuse done to the writer.

Each entry is ``(name, category, level, pattern, flags)`` over normalised text; ``safety_rules``
turns them into rules. Threat rules need the writer as the subject ("I will hurt him"); abuse rules
need another person as the actor and the writer as the one harmed ("my dad hits me"), so the
speaker check is off for them and the pattern itself names both.
"""

from __future__ import annotations

OTHERS, ABUSE = "harm_to_others", "abuse"

_HARM = (r"(?:kill|murder|hurt|stab|shoot|strangle|choke|beat up|beat the \w+ out of|batter|punch|attack|poison|"
         r"run over|smash (?:his|her|their) (?:face|head)|slit (?:his|her|their) throat|break (?:his|her|their) "
         r"(?:legs|neck|face|jaw)|make (?:him|her|them) (?:pay|suffer|bleed)|get (?:him|her|them) back)")
_TARGET = (r"(?:him|her|them|you|someone|somebody|people|everyone|everybody|my (?:\w+ )?\w+|his \w+|her \w+|"
           r"that \w+|this \w+|the \w+|[a-z]+)\b(?<!\bmyself)(?<!\bit)(?<!\btime)")
PERSON = (r"(?:he|she|they|my (?:\w+ )?(?:boyfriend|girlfriend|husband|wife|partner|ex|dad|father|stepdad|stepfather|"
          r"mum|mom|mother|stepmum|stepmom|stepmother|parents?|uncle|aunt|brother|sister|stepbrother|cousin|grandpa|"
          r"grandfather|grandma|grandmother|teacher|coach|boss|carer|babysitter|fiance|fiancee|landlord|neighbour|"
          r"neighbor|pastor|priest|family|foster \w+|guardian|boyfriends|mums|moms|dads|ex husband|ex wife|"
          r"ex boyfriend|ex girlfriend))")
_BY = rf"\b{PERSON} (?:\w+ ){{0,4}}"
_VIOLENCE = (r"(?:hit|hits|hitting|beat|beats|beating|slap\w*|punch\w*|kick\w*|chok\w*|strangl\w*|shov\w*|"
             r"pushe[sd]|pushing|throws? (?:things |stuff |\w+ )?at|threw (?:things |stuff |\w+ )?at|burn\w*|bit|bites|"
             r"grab\w*|drag\w*|pin\w*|smack\w*|whip\w*|belt\w*|spank\w*|hurts|abus\w*|batter\w*|rap(?:e|es|ed)|"
             r"molest\w*|strikes|struck)")
UNSURE = r"(?:is (?:that|this|it) (?:normal|ok|okay|healthy|abuse|controlling)|am i overreacting|is this abuse)"

OTHERS_SPECS = [
    ("threat", OTHERS, "high", rf"\bi (?:am |will |would |swear i will |swear i am going to |really |seriously |"
     rf"actually |fucking |just |finally )*(?:going to |gonna |want to |wanna |plan to |planning to |about to |ready to |"
     rf"need to |will )?(?:really |actually |seriously |fucking |finally |just )?{_HARM} {_TARGET}",
     {"self_only": False, "negatable": True, "intent": True}),
    ("threat_short", OTHERS, "high", rf"\b(?:going to|will|gonna) {_HARM} (?:him|her|them|that \w+)\b"
     rf"|\b(?:he|she|they) (?:is|are) going to pay\b|\bmake (?:him|her|them) (?:pay|regret)\b|\b(?:get|take|getting|"
     r"taking) (?:my )?revenge\b|\b(?:he|she|they) will regret (?:it|this|that)\b", {"intent": True}),
    ("harm_thoughts", OTHERS, "moderate", r"\b(?:fantasi[sz]\w*|imagin\w*|daydream\w*|dream\w*|think\w*|thoughts?|"
     r"feel like|could) (?:about |of )?(?:killing|hurting|stabbing|shooting|punching|strangling|beating|murdering|"
     r"attacking|poisoning|choking|smashing|kill|hurt|stab|shoot|punch|strangle|murder) (?:him|her|them|someone|"
     r"people|my|the|his|her|everyone|that|this)\b", {}),
    ("harm_thoughts_growing", OTHERS, "high", r"\b(?:fantasi[sz]\w*|imagin\w*|daydream\w*|think\w*|thoughts?) (?:about "
     r"|of )?(?:killing|hurting|stabbing|shooting|strangling|murdering|attacking|poisoning)\b.{0,80}\b(?:getting (?:more "
     r"real|stronger|worse|harder to (?:resist|control|ignore))|might actually|i think i will|could actually do it|"
     r"planning)\b", {}),
    ("mass_violence", OTHERS, "high", r"\bshoot(?:ing)? up (?:the |my |our )?(?:school|work|office|class|mall|"
     r"church|campus|college|uni)\b|\b(?:bring|take|bringing|taking) a (?:gun|knife|bomb|weapon) (?:to|into) "
     r"(?:school|work|class|the office|campus)\b|\bbomb (?:the|my) (?:school|work|office)\b|\bschool shooting\b",
     {}),
    ("abuse_violence", ABUSE, "high", rf"{_BY}{_VIOLENCE} (?:me|my)\b(?! (?:up|to it|at|in|with (?:a|the) (?:pillow|"
     r"news|question)|so hard with)\b)|(?<!hope )\bi (?:am|was|get|got|have been) (?:being )?(?:beaten|raped|molested|"
     r"abused|sexually assaulted|assaulted|strangled|choked|groped)\b|\bi (?:am|was|get|got) (?:being )?hit by (?:my|him|"
     r"her|them)\b", {"self_only": False, "negatable": False}),
    ("abuse_sexual", ABUSE, "high", r"\btouch\w* me (?:there|at night|inappropriately|down there|under|when|in "
     r"places|where)\b|\bforc\w* (?:me )?(?:to have sex|(?:him|her)self on me|me to (?:do (?:things|stuff|sexual)|"
     r"touch|kiss|watch|send|have sex))|\bmakes? me (?:have sex|touch (?:him|her)|do (?:sexual|things|stuff))\b|"
     r"\bcomes? into my (?:room|bed) at night\b|\b(?:has|have|had) sex with me (?:even )?when i (?:say|said) no\b|"
     r"\bsexually (?:abus\w*|assault\w*|touch\w*) me\b|\bgroom\w* me\b", {"self_only": False, "negatable": False}),
    ("abuse_secret", ABUSE, "high", rf"{_BY}(?:says|said|told me|tells me|makes me promise)\b.{{0,30}}\b(?:not (?:to )?"
     r"tell|cannot tell|must not tell|never tell|not allowed to tell|(?:our|a) (?:little )?secret|no one (?:will|would) "
     r"believe)", {"self_only": False, "negatable": False}),
    ("abuse_fear", ABUSE, "high", r"\b(?:scared|afraid|terrified|frightened) (?:to go home|of going home|of (?:him|"
     r"my (?:\w+ )?(?:dad|father|stepdad|husband|boyfriend|partner|mum|mom|mother|stepmum|stepmom|wife|girlfriend|"
     r"uncle|ex)))\b|\b(?:do not|never|no longer|cannot|not) feel safe (?:at home|in my (?:own )?(?:home|house|"
     r"room)|around (?:him|her|them|my)|with (?:him|her|them|my))\b", {"negatable": False}),
    ("abuse_threat", ABUSE, "high", rf"{_BY}(?:threaten\w*|said (?:he|she|they) (?:would|will|is going to)|says "
     r"(?:he|she|they) (?:will|would|is going to)|swore (?:he|she|they) would|told me (?:he|she|they) would) (?:to )?"
     r"(?:kill|hurt|hit|beat|stab|shoot|burn|strangle) (?:me|my)\b|\b(?:he|she|they|keeps?) (?:\w+ )?threatening "
     r"me\b|\b(?:he|she|they) (?:will|would|is going to|are going to) (?:kill|hurt|beat|hit) me\b",
     {"self_only": False, "negatable": False}),
    ("abuse_control", ABUSE, "high", r"\b(?:will not|does not|never|wont|no longer) lets? me (?:see|leave|go|have|"
     r"talk|eat|work|use|out|call|visit|sleep)\b|\b(?:takes|took|controls|keeps|has taken|took away|holds) (?:all )?(?:my|our|the) "
     r"(?:money|bank card|card|phone|passport|keys|wages|salary|car keys|id|benefits)\b|\breads (?:all )?my "
     r"(?:messages|texts|emails|dms)\b|\bchecks my (?:phone|messages|texts)\b|\bdecides who i (?:can|am allowed to) "
     r"(?:see|talk to|text)\b|\btrack\w* my (?:location|phone|car)\b|\b(?:have|has|need) to ask (?:(?:him|her|them|my "
     r"\w+) )?(?:before|for permission|if i can)\b|\bnot allowed to (?:see|leave|go out|have friends|talk to|work|"
     r"have my own)\b", {"self_only": False, "negatable": False}),
    ("abuse_emotional", ABUSE, "high", rf"{_BY}(?:calls?|tells?|told|says?|screams?|yells?|shouts?)(?: at)?(?: me)?"
     r"(?: that)? (?:i am |i was |i should |she |he )?(?:\w+ )?(?:worthless|useless|a mistake|a waste|should never "
     r"have been born|wish\w* (?:i|you) (?:had|was|were) never (?:been )?born|wish\w* i was dead|better off dead|"
     rf"nothing)\b|{PERSON} wish\w* (?:i|that i) (?:had|was|were) never (?:been )?born\b",
     {"self_only": False, "negatable": False}),
    ("abuse_stalking", ABUSE, "high", r"\bfollow\w* me (?:home|everywhere|to work|to school|around)\b|\b(?:turn\w*|"
     r"show\w*) up (?:outside|at) my (?:work|house|home|school|flat|door|job)\b|\bstalk\w* me\b|\bkeeps? (?:texting|"
     r"calling|messaging) me (?:after|even though|when i)\b", {"self_only": False, "negatable": False}),
    ("abuse_locked", ABUSE, "high", rf"{_BY}lock\w* me (?:in|out|up)\b", {"self_only": False, "negatable": False}),
]
