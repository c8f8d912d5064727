"""Crisis rules about other people: the writer threatening someone, and abuse done to the writer.

Each entry is ``(name, category, level, pattern, flags)`` over normalised text; ``rules``
turns them into rules. Threat rules need the writer as the subject ("I will hurt him"); abuse rules
need another person as the actor and the writer as the one harmed ("my dad hits me"), so the
speaker check is off for them and the pattern itself names both.
"""

from __future__ import annotations

OTHERS, ABUSE = "harm_to_others", "abuse"

_HARM = (r"(?:kill|murder|hurt|stab|shank|shoot|strangle|choke|beat up|beat the \w+ out of|batter|punch|attack|"
         r"poison|bash (?:his|her|their) (?:head|face)|glass|deck|end (?=him|her|them)|put (?:him|her|"
         r"them) in (?:the )?(?:hospital|ground)|run over|smash (?:his|her|their) (?:face|head)|slit (?:his|her|"
         r"their) throat|break (?:his|her|their) (?:legs|neck|face|jaw)|make (?:him|her|them|my \w+|that \w+|"
         r"the \w+) (?:pay|suffer|bleed|regret)|get (?:him|her|them) back)")
_TARGET = (r"(?:(?:him|her|them|you|someone|somebody|people|everyone|everybody|my (?:\w+ )?\w+|his \w+|her \w+|"
           r"(?:that|this) (?:guy|girl|man|woman|kid|bitch|bastard|prick|idiot|dude|teacher|boss|person|lady|creep|"
           r"asshole|twat|cunt|fucker)|the (?:guy|girl|man|woman|kids?|teacher|boss|person|people|bully|bullies|"
           r"bitch|bastard|prick|idiot|dude|driver|neighbou?r|cops?|police|class|school|lot of them))\b|"
           r"[a-z]+(?=\s*(?:$|[,.!?]|tonight|tomorrow|today|if|when|and|for|because|i swear|next|"
           r"one day)))(?<!\bmyself)(?<!\bit)(?<!\btime)(?<!walls)(?<!wall)(?<!things)(?<!stuff)(?<!something)(?<!p"
           r"illows)(?<!pillow)(?<!doors)(?<!door)(?<!everything)(?<!my life)(?<!my mind)")
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
UNSURE = (r"(?:is (?:that|this|it) (?:normal|ok|okay|healthy|abuse|controlling)|am i overreacting|is this abuse|"
          r"(?:might|may) be (?:controlling|abusive|manipulative)|i am not sure if|do you think (?:that|this|it) is|"
          r"(?:do not know|not sure) if (?:it is|this is|that is|it counts as) abuse)")

OTHERS_SPECS = [
    ("threat", OTHERS, "high", rf"\bi (?:am |will |would |swear i will |swear i am going to |really |seriously |"
                               rf"actually |fucking |just |finally )*(?:going to |gonna |want to |wanna |plan to |"
                               rf"planning to |about to |ready to |need to |will )?(?:really |actually |seriously |"
                               rf"fucking |finally |just )?(?:snap and |lose it and |end up )?{_HARM} {_TARGET}",
     {"self_only": False, "negatable": True, "intent": True}),
    ("threat_short", OTHERS, "high", rf"\b(?:going to|will|gonna) {_HARM} (?:him|her|them|that \w+)\b|"
                                     rf"\bmake (?:him|her|them|my \w+|that \w+|the \w+) (?:pay|suffer|regret)\b|"
                                     rf"\b(?:he|she|they) (?:is|are) going to pay\b|\bwant (?:him|her|them|my \w+|"
                                     rf"that \w+) (?:dead|to die|to suffer)\b|\b(?:get|take|getting|"
                                     rf"taking) (?:my )?revenge\b|\b(?:he|she|they) will regret (?:it|this|that)\b",
     {"intent": True}),
    ("harm_thoughts", OTHERS, "moderate", r"\b(?:fantasi[sz]\w*|imagin\w*|daydream\w*|dream\w*|think\w*|thoughts?|"
                                          r"picture|picturing|visuali[sz]\w*|envision\w*|feel like|"
                                          r"could) (?:about |of )?(?:killing|hurting|stabbing|shooting|punching|"
                                          r"strangling|beating|murdering|attacking|poisoning|choking|smashing|"
                                          r"pushing|throwing|drowning|burning|hitting|slapping|kill|hurt|stab|"
                                          r"shoot|punch|strangle|murder|push|driving (?:my car |a car )?into|"
                                          r"running over|run over) (?:him|her|them|someone|people|my|the|his|her|"
                                          r"everyone|that|this|a crowd|kids)\b", {}),
    ("harm_thoughts_growing", OTHERS, "high", r"\b(?:fantasi[sz]\w*|imagin\w*|daydream\w*|think\w*|"
                                              r"thoughts?) (?:about |of )?(?:killing|hurting|stabbing|shooting|"
                                              r"strangling|murdering|attacking|"
                                              r"poisoning)\b.{0,80}\b(?:getting (?:more real|stronger|worse|"
                                              r"harder to (?:resist|control|ignore))|might actually|i think i will|"
                                              r"could actually do it|planning)\b", {}),
    ("conditional_threat", OTHERS, "high", r"\b(?:he|she|they|you) (?:is|are|will be) (?:so )?dead if\b|\b(?:he|she) "
     r"is a dead (?:man|woman)\b|\b(?:i will|i am going to) (?:kill|hurt|stab|end) (?:him|her|them|you) if\b",
     {"self_only": False}),
    ("mass_violence", OTHERS, "high", r"\bshoot(?:ing)? up (?:the |my |our )?(?:school|work|office|class|mall|"
     r"church|campus|college|uni)\b|\b(?:bring|take|bringing|taking) (?:a|my|the|his|her|my \w+s?) (?:gun|knife|bomb|"
     r"weapon|blade|machete) (?:to|into) "
     r"(?:school|work|class|the office|campus)\b|\bbomb (?:the|my) (?:school|work|office)\b|\bschool shooting\b",
     {}),
    ("abuse_violence", ABUSE, "high", rf"{_BY}{_VIOLENCE} (?:me|my)\b(?! (?:up|to it|at|in|with (?:a|"
                                      rf"the) (?:pillow|news|question)|so hard with)\b)|(?<!hope )\bi (?:am|was|"
                                      rf"get|got|have been) (?:being )?(?:beaten|raped|molested|abused|"
                                      rf"sexually assaulted|assaulted|strangled|choked|groped)\b|\bi (?:am|was|get|"
                                      rf"got) (?:being )?hit by (?:my|him|her|them)\b",
     {"self_only": False, "negatable": False}),
    ("abuse_image", ABUSE, "high", r"\b(?:posted|shared|leaked|sent|spread|spreading|sharing|posting) my (?:nudes|"
     r"naked (?:photos|pictures|pics)|intimate (?:photos|images|pictures))\b|\b(?:threatening|threatens|threatened) to "
     r"(?:post|share|leak|send) my (?:nudes|photos|pictures|pics)\b", {"self_only": False, "negatable": False}),
    ("abuse_sexual", ABUSE, "high", r"\b(?:comes?|coming|walks?|walking) (?:in|into) (?:the bathroom|my room|"
                                    r"my bedroom|the shower) when i (?:am|was) (?:showering|in the shower|changing|"
                                    r"naked|undressed|getting changed|asleep)\b|\btouch\w* me (?:there|at night|"
                                    r"inappropriately|down there|under|when|in places|where)\b|"
                                    r"\bforc\w* (?:me )?(?:to have sex|(?:him|her)self on me|me to (?:do (?:things|"
                                    r"stuff|sexual)|touch|kiss|watch|send|have sex))|\bmakes? me (?:have sex|"
                                    r"touch (?:him|her)|do (?:sexual|things|stuff))\b|\bcomes? into my (?:room|"
                                    r"bed) at night\b|\b(?:has|have|had) sex with me (?:even )?when i (?:say|"
                                    r"said) no\b|\bsexually (?:abus\w*|assault\w*|touch\w*) me\b|\bgroom\w* me\b",
     {"self_only": False, "negatable": False}),
    ("abuse_secret", ABUSE, "high", rf"{_BY}(?:says|said|told me|tells me|"
                                    rf"makes me promise)\b.{{0,30}}\b(?:not (?:to )?tell|cannot tell|must not tell|"
                                    rf"never tell|not allowed to tell|(?:our|a) (?:little )?secret|no one (?:will|"
                                    rf"would) believe)", {"self_only": False, "negatable": False}),
    ("abuse_secret_any", ABUSE, "high", r"\b(?:tells|told|makes|made|asks|asked) me (?:not to tell|to keep (?:it|this|"
     r"our \w+|them) (?:a )?secret|to promise not to tell)\b|\bnot to tell my (?:parents|mum|mom|dad|teacher|family)\b",
     {"self_only": False, "negatable": False}),
    ("armed_on_the_way", OTHERS, "imminent", r"\b(?:heading|on my way|going|driving|walking|coming) (?:over |back )?to "
     r"(?:his|her|their|the|my \w+s) (?:house|place|flat|work|school|office|job)\b.{0,40}\b(?:gun|knife|bat|weapon|"
     r"hammer|machete|crowbar)\b", {"self_only": False, "intent": True}),
    ("abuse_restraint", ABUSE, "high", rf"\b{PERSON}\b.{{0,60}}\b(?:held|holds|pinned|pins|pushed|pushes|shoved|"
                                       rf"shoves|slammed|slams|threw|throws) me (?:against|down|to the|into|"
                                       rf"up against|on the)\b|\b(?:keeps?|kept|has been|always|"
                                       rf"started) touching me\b|\btouch(?:es|ed|ing) my (?:leg|legs|thigh|thighs|"
                                       rf"chest|breasts?|bum|butt|private\w*|body|crotch)\b",
     {"self_only": False, "negatable": False}),
    ("abuse_fear", ABUSE, "high", r"\b(?:scared|afraid|terrified|frightened) (?:to go home|of going home|of (?:him|"
     r"my (?:\w+ )?(?:dad|father|stepdad|husband|boyfriend|partner|mum|mom|mother|stepmum|stepmom|wife|girlfriend|"
     r"uncle|ex)))\b|\b(?:do not|never|no longer|cannot|not) feel safe (?:at home|in my (?:own )?(?:home|house|"
     r"room)|around (?:him|her|them|my)|with (?:him|her|them|my))\b", {"negatable": False}),
    ("abuse_threat", ABUSE, "high", rf"{_BY}(?:threaten\w*|said (?:he|she|they) (?:would|will|is going to)|"
                                    rf"says (?:he|she|they) (?:will|would|is going to)|swore (?:he|she|they) would|"
                                    rf"told me (?:he|she|they) would) (?:to )?(?:kill|hurt|hit|beat|stab|shoot|"
                                    rf"burn|strangle) (?:me|my)\b|\b(?:he|she|they|"
                                    rf"keeps?) (?:\w+ )?threatening me\b|\b(?:he|she|they) (?:will|would|"
                                    rf"is going to|are going to) (?:kill|hurt|beat|hit) me\b|\b(?:said|says|"
                                    rf"threaten\w*|swore|told me) (?:that )?(?:he|she|they) (?:would|will|"
                                    rf"is going to) (?:take the kids|take my kids|make sure i never see|ruin me|"
                                    rf"destroy me|kill (?:himself|herself|themselves)|tell everyone|post)\b|"
                                    rf"\b(?:keeps? )?(?:messaging|sending|texting) me threats\b|"
                                    rf"\bthreaten\w* to (?:kill|hurt) (?:himself|herself|themselves) if i\b",
     {"self_only": False, "negatable": False}),
    ("abuse_control", ABUSE, "high", r"\b(?:will not|does not|never|wont|no longer) lets? me (?:see|leave|go|have|"
                                     r"talk|eat|work|use|out|call|visit|sleep)\b|\b(?:takes|took|controls|keeps|"
                                     r"has taken|took away|holds) (?:all )?(?:my|our|the) (?:money|bank card|card|"
                                     r"phone|passport|keys|wages|salary|car keys|id|benefits)\b|"
                                     r"\breads (?:all )?my (?:messages|texts|emails|dms)\b|\bchecks my (?:phone|"
                                     r"messages|texts)\b|\bdecides who i (?:can|am allowed to) (?:see|talk to|"
                                     r"text)\b|\btrack\w* my (?:location|phone|car)\b|\b(?:have|has|"
                                     r"need) to ask (?:(?:him|her|them|my \w+) )?(?:before|for permission|"
                                     r"if i can)\b|\bnot allowed to (?:see|leave|go out|have friends|talk to|work|"
                                     r"have my own)\b|\b(?:might be|may be|is (?:being )?|is kind of|seems|"
                                     r"can be) (?:so |really |very )?(?:controlling|abusive|manipulative)\b|"
                                     r"\b(?:gets|get|goes) (?:really )?(?:upset|angry|mad|furious|jealous) (?:if|"
                                     r"when) i (?:go out|see my friends|talk to|text|wear)\b",
     {"self_only": False, "negatable": False}),
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
