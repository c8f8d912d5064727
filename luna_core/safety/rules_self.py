"""Crisis rules about the writer's own risk: suicidal ideation and self-harm.

Each entry is ``(name, category, level, pattern, flags)`` over normalised text (see
``text.normalise``: lowercase, contractions expanded, slang spelled out); ``rules``
turns them into rules. Flags: ``self_only`` (default True) needs the writer as the subject unless
the match itself says I/me/my; ``negatable`` (default True) turns "i would never ..." into a
denial; ``method`` marks a chosen method (adds intent_or_plan); ``intent`` a stated intent.
"""

from __future__ import annotations

SI, SH = "suicidal_ideation", "self_harm"

_INTENT = (r"(?:going to|will|plan(?:ning)? to|about to|ready to|decided to|(?:i am )?doing it|gonna|"
           r"i swear|i mean it|tonight|today)")
_WANT = (r"(?:want(?:ed|s)? to|wanna|would like to|wish i could|need to|have to|trying to|tempted to|urges? to|"
         r"feel like|ready to|about to|decided to|plan(?:ning)? to|deserve to|should(?: just)?|(?:thinking|think|"
         r"thought|thoughts) (?:about|of)|considering|might|could just|i will)")
_DRUGS = (r"(?:pills|tablets|meds|medication|medicine|paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|insulin|"
          r"painkillers|sleeping pills|antidepressants|prescription|lithium|opioids|oxy\w*|sertraline|\w+ pills)")
_PLACE = (r"(?:bridge|roof|building|balcony|cliff|car park|parking garage|train|bus|truck|lorry|tower|window|"
          r"overpass|ledge|platform|edge|car|traffic)")
_METHOD = (rf"(?:(?:jump|jumped|jumping|throw myself|step|stepped|stepping) (?:off|from|in front of) (?:the |a |"
           rf"my |this |that )?(?:\w+ )?{_PLACE}|(?:step|walk|lie down|throw myself) in front of (?:a |"
           rf"the )?(?:train|bus|truck|lorry|car|traffic)|driv\w* (?:my car |the car |it )?(?:into|off) (?:a |"
           rf"the )?(?:river|wall|tree|cliff|bridge|lake|sea|oncoming|traffic|lorry|truck|barrier)|(?:slit|slash|"
           rf"cut|open) (?:my )?wrists?|hang myself|blow my brains out|pull the trigger|put a (?:gun|bullet) (?:to|"
           rf"in) my (?:head|mouth)|gas myself|exit bag|overdos(?:e|ing)|(?:take|taking|swallow|"
           rf"swallowing) (?:them|it|these|those) all|(?:take|taking|swallow|swallowing|down) (?:all|every one|"
           rf"every|the whole (?:bottle|box|pack|packet)|a whole (?:bottle|box|pack)) (?:of )?(?:my |the |these |"
           rf"those )?(?:\w+ )?{_DRUGS}|(?:swallow|take|down) everything (?:in|from) (?:the|my) (?:cupboard|"
           rf"cabinet|medicine \w+|drawer|bathroom))")
# Words that may sit between a wish and a death word without changing who or what ("i would honestly rather be
# dead", "i want it all to be over"); nouns may not, so "i wish my plant was not dead" does not match.
_FILL = (r"(?:to|just|really|honestly|so|be|being|could|would|i|it|all|actually|literally|already|finally|simply|"
         r"rather|even|fucking|kind of|sort of|truly|seriously|better|off|much|more|am|was|were|have|had|been|get|"
         r"go|at this point|sometimes)")
_GAP = rf"(?:\s+{_FILL}){{0,4}}\s+"
_DESIRE = (r"(?:want|wanna|wants|wanted|wish|wishing|hope|hoping|rather|prefer|longing|long|ready|waiting|craving|"
           r"crave|dream(?:ing)? (?:of|about)|tempted|need)")
_NO_SPEAKER = {"self_only": False}
_PASSIVE = {"negatable": False}

SELF_SPECS = [
    # active ideation: high
    ("kill_myself", SI, "high", r"\b(?:kill|killing|killed|end|ending|hang|hanging|shoot|shooting|drown|drowning|"
     r"poison|poisoning|suffocate|suffocating|off) myself\b", {}),
    ("end_my_life", SI, "high", r"\b(?:end|ending|take|taking|took) (?:my (?:own )?life|it all)\b", {}),
    ("end_it_intent", SI, "high", rf"\b{_INTENT} (?:\w+ )?(?:end|do) (?:it|everything|things)\b(?! (?:with|between|"
     r"for the day|early|later|properly|right))|\b(?:so |really )?close to (?:ending|doing it|ending it|giving up on "
     r"life)", {"intent": True}),
    ("found_dead", SI, "high", r"\b(?:imagin\w*|picture|picturing|think\w* about) (?:my \w+|them|someone|people|"
                               r"everyone) finding (?:me|my body)\b|\bfind my body\b", {}),
    ("suicide_self", SI, "high", r"(?<!\ba )(?<!\bthe )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bthat )(?<!\bthis )"
     r"\bsuicid(?:e|al)\b(?! (?:prevention|awareness|hotline|helpline|lifeline|rates?|statistics|barrier|call|case|"
     r"victim|bomb\w*|of a|squad))", {}),
    ("want_to_die", SI, "high", rf"\b{_WANT} (?:just |really |honestly |actually |fucking )?(?:die|be dead|not be "
     r"alive|stop living)\b|\bgoing to die (?:tonight|today|tomorrow|this week|soon|by my own hand)\b", {}),
    ("desire_death", SI, "high", rf"\b{_DESIRE}{_GAP}(?:die|dead|dying)\b(?! (?:of|from|laughing|to))", {}),
    ("desire_gone", SI, "moderate", rf"\b{_DESIRE}{_GAP}(?:over|gone|disappear|vanish|not exist|not wake up|sleep "
     r"forever|end (?:it|everything)|stop (?:existing|living|breathing|everything)|not be (?:here|alive|around))\b"
     r"(?=\s*(?:$|[,.!?]|forever|already|for good|now|soon|and|but|i|tbh|to be honest|anymore))", {}),
    ("no_future_alive", SI, "moderate", r"\b(?:do not|cannot|can not) see myself (?:being )?(?:alive|here|around|"
     r"living)\b|\b(?:do not|not) know if i (?:will|am going to|can) (?:make it|survive|last|get through)\b(?: (?:to|"
     r"through|until|past) (?:next|the|this|tomorrow|tonight|christmas|my)|\s*(?:$|[,.!?]))|\bpoint (?:of|in) trying"
     r"(?: anymore| at all|\s*$| when)\b|\bfail(?:ing)? at life\b", _PASSIVE),
    ("insurance", SI, "high", r"\bbetter off with (?:the|my) (?:life )?(?:insurance|inheritance)\b|\b(?:life )?"
     r"insurance (?:pays? out|payout|covers?) (?:if|for|on) (?:suicide|i die|i kill myself)\b", _NO_SPEAKER),
    ("wish_dead", SI, "high", r"\b(?:wish|wished|hope) (?:that )?i (?:was|were|had been|would be|could be) dead\b|"
                              r"\b(?:i would|i am|i would be|would be|i think i would be) better off dead\b|"
                              r"\bwish it had worked\b|\bwish (?:it|they|he|she|someone|the car|"
                              r"the driver) (?:had not|did not) (?:swerved|stopped|found me|saved me|called|"
                              r"noticed|braked)\b|\bwish (?:it|they|he|she) had not\s*(?:$|[.!,])|"
                              r"\bwish i (?:had not|did not) (?:been found|wake up|woken up|survive|survived)\b",
     _NO_SPEAKER),
    ("thoughts_of_ending", SI, "high", r"\b(?:thoughts|thinking|think|thought) (?:a lot |again )?(?:about|"
                                       r"of) (?:ending (?:it|things|everything|it all|my life)|killing myself|"
                                       r"taking my (?:own )?life|not being alive)\b|\b(?:keep|"
                                       r"been) thinking about (?:the|my|all the|all my) (?:pills|tablets|meds|rope|"
                                       r"gun|razor|bridge|tracks)\b", {}),
    ("planning_how", SI, "high", r"\bplan(?:ning|ned)? (?:how|when|where) (?:i would|i will|i am going to|i could|to) "
     r"(?:do it|end it|kill myself|die|go)\b|\bpicked (?:a|the) (?:date|day|time|method|spot|place)\b",
     {"method": True}),
    ("fear_of_self", SI, "moderate", r"\b(?:scared|afraid|frightened|terrified) of (?:myself|what i (?:might|will|"
                                     r"could) do)\b|\b(?:do not|cannot) trust myself\b", {}),
    ("attempt", SI, "high", r"\b(?:took|taken|had) an overdose\b|\b(?:tried|attempted) to (?:kill myself|"
                            r"end my life|take my (?:own )?life|die|end it)\b|\b(?:suicide attempt|"
                            r"attempted suicide)\b", {}),
    ("ways_to_die", SI, "high", r"\bways (?:to|of) (?:die|dying|end it|end my life|kill myself|do it)\b|\b(?:my |a "
     r")?(?:overdose|suicide) plan\b|\b(?:i will|i am going to|i will not) be (?:gone|dead) (?:by|before|after|soon|"
     r"next|in)\b", {"method": False}),
    ("method_intent", SI, "high", rf"\b(?:{_WANT}|{_INTENT}) (?:just |really |finally )?{_METHOD}",
     {"method": True, "intent": True}),
    ("method_question", SI, "high", r"\bhow (?:many|much)\b.{0,60}\b(?:to die|to (?:kill|end)|would (?:kill|"
                                    r"be fatal|be lethal|be enough|it take)|(?:is|be) (?:fatal|lethal|deadly|"
                                    r"enough to)|to not wake up|to never wake up|until (?:you|i|someone|"
                                    r"a person) (?:die|dies)|before (?:you|i) (?:die|pass out)|to overdose)\b|"
                                    r"\b(?:painless|easiest|quickest|fastest|best|surest|least painful|peaceful|"
                                    r"quietest) ways? (?:to|of) (?:die|dying|go|kill myself|end it|end my life|"
                                    r"commit suicide|do it)\b|\b(?:lethal|fatal|deadly) (?:dose|amount|quantity)\b|"
                                    r"\bhow long (?:does it |would it |it )?takes? to (?:bleed out|die|suffocate|"
                                    r"drown)\b|\bhow high (?:does|do|would|should) .{0,30} (?:to die|be fatal|"
                                    r"to kill)\b|\b(?:highest|max\w*|most) (?:dose|amount)\b.{0,50}\b(?:before|"
                                    r"until) (?:it|they|you|i) (?:kills?|die|dies)\b|\b(?:which|what) (?:bridge|"
                                    r"building|cliff|car park|tower|roof) (?:is|near me is) (?:the )?(?:highest|"
                                    r"tallest)\b|\b(?:googl\w*|research\w*|look\w* up|"
                                    r"search\w*)\b.{0,40}\b(?:overdose|lethal|suicide|hang\w*|noose|painless|"
                                    r"to die|carbon monoxide)\b", {"self_only": False, "method": True}),
    ("method_plain", SI, "high", rf"\bi (?:am |will |have |was )?(?:just )?{_METHOD}", {"method": True}),
    ("method_scene", SI, "high", rf"\b(?:bottle|box|boxes|pack|packet|handful|pile|stack|all) of (?:my )?(?:\w+ )?"
     rf"{_DRUGS}\b.{{0,40}}\b(?:in front of me|lined up|next to me|ready|counted out|on the (?:desk|table|bed))",
     {"self_only": False, "method": True}),
    ("looked_and_thought", SI, "high", r"\b(?:looked|stared|looking|staring) (?:at|down at|over) (?:the|a) (?:bridge|"
     r"edge|water|tracks|drop|ledge|rope|river|train)\b.{0,60}\bthought about (?:it|jumping|doing it)\b", {}),
    # passive ideation and hopelessness about living: moderate
    ("wish_gone", SI, "moderate", r"\bwish (?:that )?i (?:was|were|had)? ?(?:not|never|no longer) (?:here|alive|born|"
     r"been born|around|existed|exist|woken up)\b|\bwish i (?:could|would) (?:just )?(?:disappear|vanish|stop existing|"
     r"not exist|cease to exist|sleep forever|not wake up|never wake up|fade away|not be (?:here|alive|around))\b|"
     r"\bwish i (?:was|were|would be) gone\b|\bwish i (?:had )?never (?:been born|existed|woke up)\b", {}),
    ("not_wake_up", SI, "moderate", r"\b(?:sleep|go to sleep|fall asleep|close my eyes) and (?:never|not) (?:wake|"
                                    r"open)|\b(?:sleep|go to sleep|fall asleep) and stay asleep\b|\b(?:easier|"
                                    r"better|best|nice|fine) if i (?:just )?(?:died|was dead|were dead|"
                                    r"did not wake up|never woke up|disappeared|was gone)\b|"
                                    r"\bhoping something (?:bad )?happens(?: to me)?\b|\b(?:do not|never|"
                                    r"not) want to wake up\b|\bhope i (?:do not|never) wake up\b|\bif i (?:do not|"
                                    r"did not|never) wake up\b.{0,30}\b(?:fine|okay|ok|good|better|relief|not mind|"
                                    r"not care)\b|\b(?:would not|wouldnt) mind (?:dying|if i died|not waking up|"
                                    r"being dead)\b", _PASSIVE),
    ("not_want_live", SI, "moderate", r"\b(?:do not|dont|no longer|not) (?:really |even |think i |know if i |"
                                      r"think i really )?(?:want|wanna) to (?:live|be alive|exist|be here|"
                                      r"be around|go on|keep living|keep going|carry on|be in this world|"
                                      r"be (?:a )?part of (?:it|this|the world|anything))\b(?! (?:in|with|at|"
                                      r"near)\b)|\bnot (?:be|being) (?:here|alive|around) (?:anymore|any more)\b|"
                                      r"\b(?:easier|easy|better|nice|peaceful) (?:to )?(?:just )?(?:not be here|"
                                      r"not exist|not wake up|disappear|be dead|die|not be alive|stop existing)\b",
     _PASSIVE),
    ("tired_of_living", SI, "moderate", r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|existing|"
     r"life|being me|waking up|being here|it all|my life)\b", _PASSIVE),
    ("better_off_without", SI, "moderate", r"\bbetter off (?:without me|if i (?:was|were|was not|were not|"
                                           r"had never|disappeared|died|did not exist|left for good|was gone|"
                                           r"were gone))|\b(?:no one|nobody|none of them|would anyone|"
                                           r"would anybody|they) (?:would )?(?:even )?(?:care|notice|miss me|"
                                           r"be sad|cry)\b.{0,20}\bif i (?:died|was gone|were gone|disappeared|"
                                           r"was not here|were not here|killed myself|was dead|were dead|"
                                           r"did not wake up|vanished)|\bif i (?:died|disappeared|was gone|"
                                           r"vanished)\b.{0,40}\b(?:no one|nobody|anyone|anybody)\b|\b(?:happier|"
                                           r"easier for everyone) (?:if|when) i (?:was|am|were) (?:gone|dead|"
                                           r"not here|not around)\b|\b(?:better|happier|"
                                           r"easier)(?: off)? without me\b|\bbetter (?:off )?(?:for (?:everyone|"
                                           r"everybody|them|my family|the world) )?if i (?:was not|were not|"
                                           r"had not been|had never been|was never|were never) (?:born|here|"
                                           r"around)\b|\b(?:everyone|they|people|my family|the world|"
                                           r"everybody) (?:would|will) (?:be|cope|manage|do|get on) (?:fine|better|"
                                           r"okay|ok|happier|great|just fine)\b.{0,25}\bif i (?:just )?(?:was not|"
                                           r"were not|was gone|were gone|disappeared|died|was not here|"
                                           r"was not around|were not around)\b|\b(?:only|one) (?:thing|reason|"
                                           r"person) (?:keeping|that keeps|holding) me (?:here|alive|going)\b|"
                                           r"\b(?:would|will) (?:anyone|anybody) (?:come to|even come to|"
                                           r"care about|notice) my funeral\b",
     {"negatable": False, "self_only": False}),
    ("no_point_living", SI, "moderate", r"\b(?:no|(?:what is|whats|is there)(?: even| really| actually|"
                                        r" honestly)? (?:the|any|a)|not much|there is no) (?:point|reason|"
                                        r"purpose) (?:in |of |to )?(?:living|life|being alive|going on|existing|"
                                        r"carrying on|keep going|anything|any of it|me|it all|trying anymore|"
                                        r"waking up|being here)\b|\b(?:no reason|nothing) (?:left )?to live for\b|"
                                        r"\blife (?:is )?(?:just |really |simply |honestly )?(?:not|no longer|"
                                        r"not even) worth (?:living|it)\b|\bwhat is the point(?: anymore)?\s*$|"
                                        r"\b(?:do not|cannot|can not) see (?:the|any|a) (?:point|reason) (?:in |"
                                        r"of |to )?(?:living|life|being alive|going on|existing|carrying on|"
                                        r"anything|any of it|waking up|being here)\b", _PASSIVE),
    ("disappear", SI, "moderate", r"\b(?:want|wanna|need|wish) to (?:just )?(?:disappear|vanish|stop existing|"
                                  r"not exist|cease to exist|fade away|be gone|sleep forever|"
                                  r"go to sleep forever)\b|\bstop(?:ped)? existing\b|"
                                  r"\bif i (?:just )?(?:disappeared|vanished|was not here|were not here|was gone|"
                                  r"died)\b.{0,40}\b(?:would anyone|would anybody|anyone even|who would)\b|"
                                  r"\bwish i could (?:just )?(?:go to )?sleep (?:forever|for (?:a )?(?:hundred|"
                                  r"thousand|100|1000) years)\b", {}),
    ("hope_die", SI, "moderate", r"\bhope (?:i|that i) (?:get hit|die|crash|get cancer|do not make it|get killed|never "
     r"come back)\b|\bhope (?:the|this) (?:plane|bus|car|train) (?:crashes|goes down)\b", {}),
    ("cannot_go_on", SI, "moderate", r"\b(?:cannot|can not) (?:go on|keep living|carry on living|live like this|"
                                     r"do life|keep existing|be alive)\b", _PASSIVE),
    ("own_death", SI, "moderate", r"\bmy (?:own )?(?:funeral|death)\b|\bthink(?:ing)? (?:a lot |so much |"
                                  r"constantly |more and more )?(?:about|of) (?:dying|death|not being here|"
                                  r"not existing|being dead)\b|\b(?:give|given|giving) up on (?:life|living)\b|"
                                  r"\b(?:my )?life is (?:over|pointless|meaningless|hopeless|not worth)\b|"
                                  r"\bi am (?:pointless|a waste of (?:space|life|air))\b|"
                                  r"\bnothing (?:is ever going to|will ever|is going to|is ever gonna) (?:get|"
                                  r"be) better\b|\bready to (?:go|leave this world)\b|\b(?:there is )?no (?:future|"
                                  r"hope) for me\b|\bi have no future\b|\b(?:disappointed|upset|sad|"
                                  r"angry) (?:that )?i (?:woke up|am still (?:here|alive)|survived)\b|\b(?:dying|"
                                  r"death|being dead|not waking up|not existing|to die) (?:would|might|could|"
                                  r"will) be (?:a |such a )?(?:relief|easier|better|peaceful|nice|release|welcome|"
                                  r"mercy)\b|\bfinally (?:going to )?be (?:free|at peace|at rest)\b",
     {}),
    ("end_it_vague", SI, "moderate", r"\b(?:end|ending) (?:it|everything|things)\b(?! (?:with|between|for the day|"
     r"early|later|properly|right|on a))|\bwant (?:it|everything|it all|the pain) to (?:stop|end) (?:for good|forever|"
     r"permanently)\b|\bno way out\b|\bwant (?:the|this|all (?:the|this)) (?:pain|hurt|suffering) to (?:stop|end)\b"
     r".{0,30}\b(?:do not care how|any way|forever|permanently|for good|whatever it takes)\b", {}),
    # self-harm
    ("self_harm_act", SH, "high", r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|scratch\w*|carv\w*|hit|hitting|"
                                  r"punch\w*|bang\w*|slap\w*|harm\w*|hurt|hurting|stab\w*|bite|biting|bit|pinch\w*|"
                                  r"starv\w*|bruis\w*) myself\b|\bself harm(?:ed|ing)?\b|\b(?:cut|cutting|burn\w*|"
                                  r"scratch\w*|carv\w*|bit|bite|biting) (?:up )?(?:my|into my) (?:arms?|wrists?|"
                                  r"legs?|thighs?|skin|stomach|hips?|body|hands?)\b|\bfresh (?:cuts|wounds|"
                                  r"burns)\b|\b(?:cuts|burns|scratches) on my (?:arms?|wrists?|legs?|thighs?|"
                                  r"stomach|hips?)\b(?! from (?:the|a|my) (?:cat|dog|fall|accident|surgery|bike))|"
                                  r"\b(?:till|until) (?:they|it|i|my \w+) (?:bleed|bled|bruise|bruised|break|"
                                  r"broke)\b|\bcarv\w* (?:\w+ ){0,3}(?:into|in|on) my (?:arm|leg|skin|wrist|thigh|"
                                  r"stomach|hand)\b", {}),
    ("self_harm_urge", SH, "moderate", r"\b(?:look\w*|star\w*) at (?:my|the) (?:razor|blade|blades|knife|scissors)|"
     r"\b(?:hid|hide|hiding|keep|keeping|kept|have) (?:the|my|a|some)(?: old| spare| hidden)? (?:razor )?(?:blades?|"
     r"razors?|sharpener blades?)\b|\b(?:hide|"
     r"hiding|hid|cover|covering|covered) (?:up )?(?:my )?(?:arms|wrists|scars|cuts|thighs)\b|\blong sleeves\b.{0,50}"
     r"\b(?:so|no one|nobody|hide|see|summer)\b|\bdeserve (?:to be hurt|pain|to hurt|to suffer|to be punished|to "
     r"bleed)\b|\b(?:the )?(?:old )?urges? (?:is|are) back\b|\bwant to feel (?:pain|physical pain|the pain)\b|\bwant "
     r"to (?:rip|tear|claw|scratch|peel) (?:off )?my (?:skin|face|hair|eyes)\b", {}),
    ("self_harm_bare", SH, "high", r"\b(?:i|been|started|start|keep|kept|want to|need to|urge to|going to|"
                                   r"really want to|relapsed and) (?:cutting|cut|burning|burn|burned|burnt|"
                                   r"scratching|scratched)\b(?=\s*(?:$|again|rn|right now|tonight|so bad|badly|"
                                   r"really bad|more|deeper|lately|recently|when|because|every|since|for (?:the|a|"
                                   r"weeks|months|days)|[,.!?]))|\b(?:use|using) (?:it|them|the \w+|a \w+|this|"
                                   r"that) on myself\b", {}),
    ("self_harm_strong_urge", SH, "high", r"\b(?:urges?|temptation) (?:to (?:cut|self harm|hurt myself|burn myself) )?"
     r"(?:is|are) (?:so |really |very )?(?:strong|bad|overwhelming|intense|unbearable)\b|\bscared i (?:will|am going "
     r"to|might) (?:relapse|cut|hurt myself)\b", {}),
    ("self_harm_head", SH, "high", r"\b(?:hitting|banging|bashing|slamming|punching) my (?:head|fists?|hands?|"
                                   r"face) (?:against|on|into)\b|\b(?:hit|bang|bash|slam|slammed|"
                                   r"banged) my (?:head|fists?|face) (?:against|on|into) (?:the |a )?(?:wall|floor|"
                                   r"door|desk)\b.{0,30}\b(?:on purpose|when i|until|again|every time)\b|"
                                   r"\b(?:blades?|razors?)\b.{0,60}\b(?:i am going to|going to use|will use)\b", {}),
    ("self_harm_thoughts", SH, "moderate", r"(?<!had )(?<!any )\b(?:thinking|think|thought|thoughts) (?:a lot |about "
     r"it |again )?(?:about|of) (?:self harm\w*|cutting|hurting myself|burning myself|cutting myself|harming "
     r"myself)\b", {}),
    ("self_harm_past", SH, "low", r"\bused to (?:cut|self harm|burn myself|scratch myself|hurt myself|harm myself)\b|"
     r"\b(?:clean|free) from (?:self harm|cutting)\b|\bscars (?:from|of) (?:self harm|cutting)\b", _PASSIVE),
]
