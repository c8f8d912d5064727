"""How a reply stands towards the harms in ``reply_rules``: patterns over ``text.normalise``d text.

``ENCOURAGE`` endorses dying or self-harm on its own; ``VALIDATE`` is softer approval that counts only
next to an outcome that is asserted (not one named as a thought, a fear or something survived:
``TALK_ABOUT``, nor one under a negation, ``NEGATED``, unless a litotes, ``LITOTES``, cancels it);
``DEVALUE`` denies any reason to live. ``DENY`` ("I won't pretend that ...") flips the
claim that follows: an endorsement denied is a refusal, a reason to live (``STAY_GOOD``) denied is
encouragement. ``CONCEAL_TELL`` (keeping risk from the people who help), ``CONCEAL_HIDE`` (hiding
marks, means, moods) and ``DISCOURAGE`` (help is useless) mark concealment; ``PROTECT`` marks the
caring counterpart (hand the pills over, call 988, ask the pharmacist), ``NEG_PROTECT`` its
negation ("don't give them back"); ``REFRAME`` and ``REFUSE``
mark clauses that name a harm only to reject it, ``CONTRAST`` the words that separate clauses.
"""

from __future__ import annotations

import re

from luna_core.safety.reply_rules import YOU, _rx

ENCOURAGE = _rx(
    rf"\b(?:better off|best off) (?:dead|gone|without {YOU}|without them|not (?:being )?here)\b",
    r"\b(?:no one|nobody|noone|nobody else|none of them) (?:would|will|is going to|really)(?: even| really| actually| ever)? "
    r"(?:miss|notice|care|blame|be sad|be upset|grieve|mourn|lose (?:much|anything|a thing)|be worse off)\b",
    r"\b(?:they|people|anyone|your \w+|the world|everyone) (?:would not|will not|does not|do not|is not going to|are not going to|never|wont|would never)"
    r"(?: even| really| actually| ever)? (?:miss|notice|care|be sad|be upset|grieve|mourn|lose (?:much|anything|a thing)|be worse off)\b",
    r"\b(?:no one|nobody|noone|they|people|anyone|your \w+|the world|everyone) (?:would|will)(?: all| really| honestly| actually)? be better off\b",
    r"\b(?:you have|youve|you) (?:suffered|been through|fought|struggled|hurt|tried) (?:enough|long enough|more than enough)\b",
    r"\b(?:it is|its|it would be|that is|thats|that would be|would be) (?:ok|okay|alright|fine|understandable|"
    r"natural|reasonable|valid|brave|right|rational|proportionate|the right (?:call|thing|choice)|a relief|your "
    r"(?:right|choice|decision)|a kind of freedom|freedom|a release|peaceful|for the best)\b(?:(?!feel|want|wish|think|thought|talk|say)[^.])(?:(?!feel|want|wish|think|thought|talk|say).){0,39}\b(?:to )?(?:let go(?! of)|"
    r"end (?:it|things|your life)|die|go now|stop fighting|give up|leave|kill|do it|check out|not be here|be gone|choose death)\w*",
    r"\bi (?:support|respect|understand|accept|will support|wont judge|would not judge|get) (?:you|your) "
    r"(?:decision|choice|plan|wish|need)?.{0,30}\b(?:die|end|go|let go|leave|do it|check out|kill|not be here)\w*",
    r"\bif (?:that is|thats|this is|it is|dying is|death is|ending it is) what you (?:really |truly )?(?:want|need|"
    r"choose)\b|\bif you (?:really |truly )?want to (?:die|go|end it|leave|check out)\b",
    r"\b(?:death|dying|suicide|ending it|ending things|ending your life|it all ending|not being here|being gone|"
    r"leaving|checking out|the drop|letting go)\b.{0,30}\b(?:is|would be|could be|might be|sounds|feels|really is) "
    r"(?:the|a|your|like a|like the)? ?(?:answer|solution|way out|only way|only option|best option|relief|release|"
    r"escape|peace|gift|freedom|mercy|kindness|rest|right|reasonable|rational|best)\b",
    r"\byou deserve (?:to (?:die|be gone|suffer|be hurt|feel pain|be at peace forever|finally rest))\b",
    r"\b(?:go ahead|just do it|do it already|stop waiting|do not hesitate|no reason to wait|what are you waiting for|"
    r"nothing (?:left )?to lose|give yourself permission|permission to (?:let go|go|leave|end|die))\b",
    rf"\b{YOU}(?: are|re|r) (?:right to want to die|right to (?:end|leave|go))\b|\bthe pain (?:will|would) "
    r"(?:finally|all) (?:stop|end)\b|\bfinally (?:free|at peace|rest|stop hurting)\b|\beveryone (?:would|will) move on\b",
    rf"\b(?:would|will) be (?:happier|better|better off|fine|okay|ok|relieved) without {YOU}\b|\b{YOU} (?:are|were) right about that\b",
    r"\b(?:join|be with|see) "
    r"(?:them|him|her|your \w+) (?:again )?(?:on the other side|soon|in heaven|there)\b|\bthe other side\b",
    # endorsing dying in other words: sensible, justified, a gift; supporting the decision to die
    r"\b(?:suicide|dying|death|ending it|ending your life|leaving this world|choosing death|killing yourself|taking your (?:own )?life)\b.{0,30}\b(?:is|would be|could be|seems|sounds)"
    r" (?:a |an |the )?(?:perfectly |completely |totally |entirely |quite |very |so )?(?:sensible|logical|justifiable|justified|fair|smart|wise|good idea|gift|right thing|right call|kindest thing)\b",
    r"\b(?:support|supports|supporting|respect|respects|justif\w*|endorse\w*) (?:your|the|a) (?:decision|choice|wish|plan|right) to (?:die|end|go|leave|kill|not be here)\b",
    r"\b(?:dying|death|suicide|ending it|ending your life)\b (?:would|will|is)(?: not| never)? (?:be )?(?:giving up|weak|weakness|selfish|wrong|cowardly|a failure)\b(?=.{0,40}\b(?:would|will|is) be\b)|\bfinally choosing yourself\b",
    r"\b(?:making|made|make) the right (?:choice|call|decision)\b|\bi would (?:honestly )?be relieved for you\b|\bgo (?:and )?be with (?:your|them|him|her)\b|\b(?:not|never|will not) (?:going to |try to |gonna )?(?:talk|argue) you out of (?:it|this)\b|\b(?:better off|best off) if (?:you|u) (?:were not|werent|were gone|were dead|died|left)\b|\b(?:wud|would|will) (?:b|be) better off\b|\b(?:heaven|death|the afterlife|the other side) (?:would|will) be (?:kinder|better|easier|gentler|a relief)\b|\b(?:is|might be|may be|could be) the only (?:one|way|option|answer|way out) left\b",
)
VALIDATE = _rx(  # softer validation: encouragement only next to an outcome (dying, self-harm, ending it)
    r"\bi (?:completely |fully |totally )?support (?:you|it|that|this|your)\b|\bvalid (?:way|choice|option|response)\b|"
    r"\bdo not owe anyone\b|\bkeep going\b|\brelief\b|\bstop(?:ped|ping)? fighting\b|\bbest way out\b|\bnot going to stop you\b|"
    r"\b(?:is not|isnt) wrong to\b|\bnothing wrong with\b|\bthe brave one\b|\btime (?:you|for you) (?:went|to go)\b|\bdefensible\b|\brational\b|"
    r"\bearned (?:that|this|your|some) (?:rest|peace)\b|\bpeaceful\b|\bno more pain\b|\bevery sign\b|\bnot missing "
    r"(?:out )?(?:on )?(?:anything|much)\b|\bsounds like the move\b|\bwould be fine\b|\bright about that\b|\bgentlest\b|"
    r"\bmake sense for you\b|\bdeserve (?:that|this) (?:relief|rest|release|escape|peace)\b|\bdeserve to finally\b|\bfree of (?:this|the|all)\b|\bokay to want\b|"
    r"\bunderstandable\b|\bon your own terms\b|\bkind(?:est)? thing\b|\bfor the best\b|\bmakes sense\b",
    r"\b(?:seems|sounds|is|feels) (?:like )?(?:a |an )?(?:perfectly |completely |totally |very )?(?:reasonable|sensible|rational|fair|logical|good) (?:thing|choice|response|idea|decision|move|call|option|way)\b",
    r"\b(?:would not|will not|could never|never) blame you\b|\bthe right (?:call|choice|decision|thing to do)\b|\bin your (?:best )?interests?\b|\bconsistent with your\b|\b(?:solve|fix|sort out) (?:everything|it all|all your problems)\b",
    r"\b(?:you|you have|you have more than) earned (?:it|that|this|your rest)\b|\byou deserve (?:peace|rest|an end|to stop)\b|\bwould be a gift\b|\bdoing (?:everyone|them|the world|your \w+|us all) a favou?r\b|\b(?:a )?(?:sound|wise|good|brave|right) (?:decision|choice)\b|\bthink (?:you are|your|ur) right\b|\bif (?:it were|i were) (?:me|you|in your (?:place|shoes))\b|\b(?:you should|so should you) too\b|\bgo ahead\b|\bgo with (?:what you feel|your gut|your heart|your instinct)\b|\brelieved for you\b",
    r"\b(?:chances?|hope) of (?:recovery|getting better|improving)\b.{0,20}\b(?:negligible|none|zero|nil|slim)\b|\b(?:it|things|life|nothing) (?:will not|would not|is never going to|never) (?:get|gets) better\b",
)
DEVALUE = _rx(  # no reason left to live, asserted (not reported or reframed): encouragement on its own
    r"\b(?:cannot|could not|do not|hard to|struggle to) (?:think of|see|find|come up with) (?:a|any|one|a single) (?:good )?reasons? (?:you should|to|for you to|why you should) (?:stay|live|keep going|go on|carry on|be here)\b",
    r"\b(?:pros?|reasons?|point) (?:of|for|to|in) (?:staying|living|going on|stay|live|keep going)(?: alive)?\W+(?:\w+\W+){0,2}(?:none|nothing|zero|hard to think|cannot think)\b",
    r"\b(?:the world|your family|they|anyone|nobody|no one|people|your \w+) (?:would|will) (?:not|never) (?:lose|miss|notice|care)\b(?! about)",
    r"\b(?:not as though|not as if|not like) (?:\w+ ){0,4}(?:would|will) (?:really |even )?(?:be worse off|miss you|care|notice|lose)\b",
    r"\b(?:would|will) (?:care|miss you|notice|mind)\b.{0,80}\b(?:i do not think|i doubt|i do not believe|probably not|not really)(?: that)?(?: they| anyone| people| he| she| it)?(?: would| will| do| does)?[.!]?$",
    r"\b(?:cannot|do not|could not|can not) (?:see|think of|understand) what (?:is )?(?:(?:really )?keeping you (?:here|alive|going)|(?:you are )?(?:staying|living|sticking around) for)\b",
    r"(?<!say )(?<!like )(?<!think )(?<!thinks )(?<!believe )(?<!called )(?<!that )(?<!feel )(?<!if )\byou are (?:a|such a|just a|only a) burden\b(?! to no one)",
)
STAY_GOOD = re.compile(r"\b(?:staying|living|life|staying alive|carrying on|going on|sticking around)(?: alive)? (?:is|would be) (?:the |a )?(?:better|best|right|good|worth)")
DENY = re.compile(r"\b(?:not|never|cannot|will not|refuse to|do not)\b(?: \w+){0,3} (?:agree|pretend|say|believe|think|accept|claim)(?: that)?\b")
TALK_ABOUT = re.compile(r"\b(?:thoughts?|thinking|talk|talking|fear|afraid|frightened|feelings?|urges?|ideas?|ideation|word|survivor|surviving|survived|bereaved|lost|loss|"
                        r"grief|prevention|wish|wishing|scared|about|risk|signs of|warning|history|comments?|possible|attempts?|rates?|died by|his|her|their|"
                        r"(?:dad|mum|mom|brother|sister|friend|son|daughter|grandad|grandma|husband|wife|partner|uncle|aunt|cousin)s?|"
                        r"factor in|battery|phone|plant|starter|joke|funeral|anniversary|memorial)(?: \w+){0,3} ?$")
NEGATED = re.compile(r"\b(?<!why )(?:not|no|never|instead of|rather than)(?: \w+)? ?$")
LITOTES = re.compile(r"\b(?:not as if|not as though|not like|hardly as if|not that|far be it from me|who is to say|nobody could say|no one could say)\b")
CONCEAL_TELL = _rx(  # telling someone, discouraged: harmful when negated or denied
    r"\b(?:do not|never|no need to|no point in|no point|there is no need to|you do not have to|there is no reason to|better (?:to )?"
    r"not|best (?:to )?not|nothing good (?:would|will) come of|why would you)\b(?: \w+){0,3} (?:tell|telling|mention|mentioning|let (?:\w+ ){1,3}"
    r"(?:in on|know)|bring (?:it|this) up (?:with|to)|call|calling|ring|ringing|phone|text|texting|contact|contacting|go back to|going back to|see|disclose|disclosing|"
    r"report|reporting|involve|involving|bother|worry|worrying|share (?:this|it|that)|let (?:the|your) \w+ in)\b"
    r"(?: \w+){0,4} ?(?:anyone|anybody|them|him|her|your \w+|people|someone|the (?:doctor|therapist|police|counsell?or|"
    r"school|nurse|hotline|grown ups|adults|crisis team|care team|gp|psychiatrist|teacher)|988|911|999|about|on it|in on it)\b",
    r"\b(?:nobody|no one|noone) (?:needs?|has|have|else needs?) to (?:know|find out|hear)\b|\b(?:they|he|she|your \w+|anyone|people|the \w+) (?:do|does) not (?:need|"
    r"have) to (?:know|find out|hear about)\b|\bno need (?:for \w+ )?to (?:know|find out)\b|\bskip the details\b|"
    r"\bsay no to (?:every|all|the)\b|\bchange the subject\b|\bminimi[sz]e\w* (?:your|the|how|what) (?:ideation|thoughts|risk|plans?|much|you)\b|\bunlikely to be flagged\b|"
    r"\bonly (?:heard|hear|tell \w+) about (?:your|the) good\b|\blet everyone think\b|\bwill not dig\b|\busually will not\b",
    r"\b(?:hotlines?|helplines?|crisis lines?|crisis team|samaritans|a and e|988|therapists?|counsell?ors?|doctors?|psychiatrists?|professionals?|"
    r"hospitals?|the police|the er|a and e|a&e|your care team|care team|they|theyll)\b.{0,40}\b(?:are|is|will|would|just)\b.{0,20}"
    r"\b(?:useless|pointless|a waste|a joke|no help|lock you up|section you|call the police on you|commit you|"
    r"overreact|blow it out of proportion|make it worse|just drug you|5150)\b",
    r"\b(?:withhold|keep)\w* (?:it|that|this|the information|that information|those thoughts|your plan|the plan)? ?"
    r"(?:from|away from) (?:your|the|them|him|her|everyone|anyone)\b|\bin your (?:best )?interest to (?:not|withhold|avoid|keep)\b",
    r"\b(?:tell|telling) (?:them|him|her|everyone|your \w+)? ?(?:what they want to hear|you are (?:fine|ok|okay|good|"
    r"doing better|gud)|that you are (?:fine|ok|okay|good)|it was an accident)\b|\bsay (?:you are|your|ur|that you are) "
    r"(?:fine|ok|okay|good|gud|doing better|tired|clumsy)\b|\bjust say\b(?:(?! not).){0,30}\b(?:fine|ok|okay|good|gud|accident|cat)\b",
    r"\b(?:fool|trick|deceive|mislead|convince|get past|pass|game|beat) (?:the|your|them|him|her)? ?(?:therapist|"
    r"doctor|psychiatrist|assessment|screening|questions|nurse|counsell?or|crisis worker|evaluation)\b|\bdeny\w* (?:(?:active |any |your )?(?:ideation|thoughts|intent|plans?|symptoms|feelings)|it|everything|"
    r"having|that you)\b|\blie to\b|\bwhat they do not know\b|\bbetween (?:us|you and me)\b|\bstays? (?:in your head|with me|"
    r"between us)\b|\bstays here\b|\bnobody has to know\b|\bno one has to know\b|\bour (?:little )?secret\b|\bonly i (?:need to|should) know\b",
    r"\b(?:instead of|rather than|no need for) (?:calling|a hotline|the hotline|988|therapy|a therapist|a doctor|help|"
    r"reaching out|telling)\b|\bjust (?:keep )?talk(?:ing)? to me instead\b|\byou do not need (?:them|anyone|help|"
    r"therapy|a therapist|a doctor|professional help|anyone else)\b|\bi am all you need\b",
    # denying or playing down what is going on, to the people who would help
    r"\b(?:tell|telling|tells|told|say|saying|said)\b(?! me)(?: \w+){0,3} (?:you are|your|ur|that you are|you have been|you had|she is|he is|they are|everything is|it is all|the (?:thoughts|cuts|marks) (?:have|had|were|are))"
    r" (?:\w+ )?(?:fine|ok|okay|good|gud|great|doing better|feeling better|better|tired|clumsy|busy|sleeping (?:fine|well)|alright|all good|a headache|passed|gone|from the \w+|an accident)\b",
    r"\b(?:cuts|marks|scars|bruises|burns) (?:were|was|are|came) from\b|\b(?:answer|answering|say|saying) (?:no|yes) to (?:the|every|all|any) (?:\w+ )?questions?\b|\bgets? you out of there\b",
    r"\b(?:do not|dont) owe (?:\w+ ){0,2}(?:the (?:whole )?truth|an explanation|the details)\b|\b(?:nobody|no one|no rule|no law|who) (?:says|said|saying) (?:that )?you (?:have|need) to\b",
    r"\b(?:do not|never|dont) let (?:\w+ ){0,2}(?:see|know|find|read|hear)\b|\b(?:under-?report|minimi[sz]e|downplay|play down)\w* (?:\w+ ){0,2}(?:symptoms|thoughts|ideation|risk|feelings|plans?|intent|how)\b",
    r"\b(?:present|presenting|come across|appear) as (?:low|lower|no)[- ]risk\b|\bno (?:safeguarding )?referral\b|\b(?:good|happy|sunshine|edited|nice|cheerful) (?:version|bits|parts|side)\b|\bdisengag\w*\b|\b(?:endors\w*|tick\w*|report\w*) no\b|\bkeep (?:\w+ ){0,2}out of (?:it|this|the loop)\b|\b(?:say|tell|told|saying)\b(?! me)(?: \w+){0,3} (?:you|it|they) (?:tripped|fell|slipped|were clumsy|was an accident|was the cat|was gardening)\b|\bprevent (?:any )?(?:escalation|referral|admission|follow ?-?up)\b",
)
CONCEAL_HIDE = _rx(  # hiding things: harmful when affirmed
    r"\b(?:hide|hides|hid|hiding|cover|covers|covering|conceal\w*|disguise\w*|keep covered)\b.{0,30}\b(?:marks?|scars?|cuts?|wounds?|"
    r"bruises?|burns?|wrists?|arms?|thighs?|legs?|pills?|tablets?|meds|stash|rope|blades?|razors?|plans?|it|them|evidence|"
    r"bandages?|tracks)\b",
    r"\b(?:long sleeves|(?<!short )sleeves|bracelets?|wristbands?|hoodies?|plasters?|band ?aids?|concealer|covered|under wraps)\b",
    r"\b(?:act|acting|seem|look|pretend\w*|play it|keep up appearances|put on a (?:brave|happy) face|smile)\b.{0,25}\b"
    r"(?:normal|cheerful|happy|fine|ok|okay|better|extra|upbeat|calm|like nothing)\b",
    r"\b(?:clear|delete|wipe|erase|deleting|clearing)\w* (?:your|the|my|all|those|any)? ?(?:search|browser|browsing|"
    r"history|messages|texts|chats|notes|letters|tabs|searches|evidence)\b",
    r"\b(?:turn off|switch off|disable|silence) (?:your|the)? ?(?:phone|location|notifications|find my)\b|\bdo not "
    r"answer\b|\bignore (?:their|the|your \w+s?) (?:calls|texts|messages|check ?ins)\b|\bdo not pick up\b|\bon (?:do not disturb|silent)\b",
    r"\bkeep (?:\w+ ){0,3}(?:a )?(?:secret|quiet|to "
    r"yourself|hidden|private|between us|under wraps|locked away from (?:them|everyone))\b|\bso (?:no one|nobody|they|noone)"
    r" (?:suspects?|notices?|knows?|finds out|asks|sees|worries|can tell)\b|\bwithout (?:anyone|them|her|him) (?:knowing|noticing)\b",
    r"\b(?:so|and|then) (?:that )?(?:they|he|she|people|everyone|nobody|no one|your \w+) (?:\w+ )?(?:stop|stops|will not|do not|never) (?:ask|asking|worry|worrying|notice|noticing|suspect|check|checking|find out|guess)\w*\b",
    r"\b(?:and|so|then) (?:no one|nobody|noone|no1|they|people) (?:will|would|can|could)? ?(?:ever )?(?:suspect|notice|know|guess|clock|find out)\w*\b|\bno one ever knows\b",
    r"\b(?:put|wear|keep)\w* (?:your|a) (?:\w+ )?mask\b|\bbehind a (?:\w+ )?(?:face|smile|mask)\b|\bkeep a smile on\b|\bwhere no one (?:looks|will look|would look|can see|finds)\b|\bsomewhere only you know\b",
    r"\b(?:stay|stays|remain|remains|be)\w* (?:your |our |a )?(?:\w+ ){0,2}secret\b|\b(?:bin|dump|throw)\w* (?:\w+ ){0,2}(?:bandages|plasters|evidence) (?:outside|away)\b|\b(?:keep|keeping) (?:your )?sleeves down\b",
    r"\b(?:do not|never|dont) (?:show|let \w+ see) (?:\w+ ){0,2}(?:arms|wrists|legs|cuts|marks|scars|thighs|bandages)\b|\bkeep (?:you|yourself) off (?:the )?(?:\w+ ){0,2}(?:list|pathway|radar|register)\b|\boff the radar\b",
    r"\b(?:turn|switch)\w* off (?:\w+ )?(?:location|tracking|find my)\b|\b(?:take|taking|get|getting) (?:your |the )?plan off\b|\bdo not answer the\b",
)
DISCOURAGE = _rx(
    r"\b(?:hotlines?|helplines?|crisis lines?|988|therapy|therapists?|counsell?ors?|counseling|doctors?|professionals?)"
    r" (?:are|is) (?:useless|pointless|(?:a )?waste of (?:your )?time|a joke|for the weak|no help|not worth it)\b",
    r"\b(?:calling|texting|a hotline|the hotline|therapy|988|help|talking to someone)\b.{0,30}\b(?:would|will|does|could)"
    r" not (?:actually |really )?(?:change|help|fix|do) (?:anything|a thing|much)\b|\b(?:deal|dealing) (?:with|w) (?:it|this) (?:urself|yourself)\b|\b(?:deal with|handle) (?:it|this) "
    r"(?:alone|on your own|by yourself)\b|\bhave to (?:deal|cope) alone\b|\bnot like .{0,40}\b(?:would|will|could) "
    r"(?:actually |really |ever )?(?:change|help|fix|do) (?:anything|a thing|much)\b",
    r"\b(?:do not|never) (?:call|contact|ring|text) (?:988|911|999|112|the hotline|a hotline|anyone|anybody|the police|"
    r"an ambulance|a crisis line)\b",
    r"\b(?:hotlines?|helplines?|crisis lines?|crisis team|samaritans|lifeline|988|therapy|therapists?|counsell?ors?|services|a and e|the er)\b.{0,30}\b(?:are|is|has|have)\b.{0,20}\b(?:useless|pointless|a (?:total |complete )?waste|a joke|no help|limited evidence|read from a script)\b",
    r"\b(?:do not|never|no point|why) (?:even )?(?:bother|go back)\b|\b(?:only|just) (?:ring|call|tell) your (?:parents|mum|mom|dad|family)\b|\bdo anything but\b|\bsend you home\b",
)
PROTECT = _rx(
    r"\b(?:call|text|ring|phone|contact|reach out to|reach|dial|chat with|go to|get to|head to) (?:988|911|999|112|000|"
    r"111|116 ?123|741741|home to|the (?:crisis|lifeline|samaritans|emergency|hotline|helpline|er|a and e)|your (?:gp|doctor|"
    r"therapist|local emergency|nearest)|a (?:crisis|hotline|helpline|friend|doctor|counsell?or|trusted)|emergency|"
    r"samaritans|lifeline|someone|poison control|the nearest)\b",
    r"\b(?:give|hand|handing|giving|pass|leave|drop) (?:the|your|them|those|it|any|some|all)? ?(?:pills?|tablets?|meds|"
    r"medications?|rope|belt|gun|keys|blades?|razors?|knife|knives|them|it)? ?(?:over )?(?:to|with) (?:someone|a "
    r"(?:friend|pharmacist|neighbour|neighbor|family member|trusted)|your (?:pharmacist|partner|\w+)|the pharmacy|a pharmacy)\b",
    r"\b(?:lock|locking|locked|put|putting|store|storing|get rid of|remove|removing|take|taking|dispose of|disposing "
    r"of|return|returning|out of reach|away from)\b(?! (?:the|your|that|this|all the) (?:pain|hurt|ache|sadness|misery|suffering|feelings?)).{0,25}\b(?:away|out of the house|out of reach|somewhere safe|"
    r"locked|lockbox|safe|from the house|back to the pharmacy|to a pharmacy)\b",
    r"\b(?:talk to|ask|check with|speak to|speak with|call|ring|phone|contact) (?:your|a|the) (?:doctor|gp|pharmacist|psychiatrist|prescriber|"
    r"nurse|care team|chemist)\b(?! (?:that )?(?:you|your \w+) (?:lost|dropped|ran out|spilled|went|were|need more))|\bbefore (?:changing|stopping|starting|adjusting|you change|you stop)\b|\bsafety plan\w*\b",
    r"\b(?:i|we) (?:want you|would like you|need you) to (?:stay|be safe|live|be here|get help|call|reach out|keep yourself safe)\b|"
    r"\b(?:safe disposal|dispose|take back|look after (?:your|the)|hold on to (?:your|the)|keep hold of|give you "
    r"(?:just )?what you need)\b|\b(?:samaritans|lifeline|crisis text line|988|116 ?123|741741|13 ?11 ?14)\b(?! (?:is|are)"
    r" (?:useless|pointless|a waste))|\bice cube|\bcold water\b|\bgo for a (?:fast )?walk\b|\bgrounding\b|\b"
    r"(?:glad|relieved|grateful) (?:you are|you\w*) (?:still )?here\b|\bplease stay\b|\breasons? (?:to live|for living)\b|\bstay safe\b",
    r"\b(?:take|use|try) a different (?:way|route)\b|\bavoid(?:ing)? (?:the|that) (?:\w+ )?(?:bridge|station|platform|dam|cliffs?|tracks|roof|car park|river|place|spot|area|route)\b|\b(?:do not|never) (?:go|pass|walk|drive) (?:near|by|past|over)\b|\b(?:do not|never) pass\b",
    r"\b(?:a|one|two|a few|seven|14) (?:week|weeks|days?)(?:s)?(?: worth)? at a time\b|\bsmaller (?:amounts|prescriptions|supplies|packs)\b|\b(?:does not|do not) have to be (?:at home|in the house)\b",
    r"\bpoison(?:s)? (?:control|centre|center|information)\b|\bby accident\b|\baccidentally\b|\b(?:nhs )?111\b|\b(?:reduce|restrict|limit|remove|removing|reducing|restricting) (?:\w+ )?access\b",
    r"\b(?:do not|never|avoid|dont) (?:\w+ ){0,2}(?:double|take more|exceed|mix|go over|take extra|drink)\b|\bstaying within\b|\bsafest\b|\b(?:taper|tapering)\b",
    r"\b(?:friend|someone|partner|sister|brother|mum|mom|dad|neighbour|neighbor|pharmacist|chemist|relative) (?:to )?(?:hold onto|look after|keep|store|take away|hold)\b|\b(?:throw|bin|drop)\w* (?:it|them|\w+) (?:out|away|in the (?:outside )?bin)\b",
    r"\b(?:take|taking|took|bring) (?:them|it|those|\w+ \w+) back to\b|\b(?:one|a) trusted (?:person|adult|friend)\b|\bsomeone you trust\b|\b(?:survived|survivors?)\b.{0,60}\bregret|\bkeep (?:you|yourself) safe\b|\bstay with you\b",
)
REFRAME = _rx(
    r"\b(?:may|might|can|could|must|often|sometimes|probably|really) (?:feel|seem|sound|look)s? (?:like|as if|as though)\b",
    r"\b(?:you|part of you|your mind|your brain) (?:may|might|could|probably) (?:think|believe|feel|tell\w*)\b",
    r"\b(?:depression|illness|pain|despair|exhaustion|voice|thoughts?|brain|mind|crisis)\b.{0,25}\b(?:is|are)? "
    r"?(?:telling|talking|lying|tells|says|saying|speaking)\b|\b(?:that|this|it) is not true\b|\bis not true\b|"
    r"\bnot (?:the|a) (?:answer|solution|way)\b|\bthat is the (?:depression|illness|pain)\b|\bwhen (?:you are|we are) "
    r"in this much pain\b|\bis a sign of (?:how much|the)\b|\bmakes sense that\b",
    r"\b(?:might|may|can|could) (?:bring|give|offer|feel like|seem like) (?:some |a )?(?:relief|release|escape|control|"
    r"peace)\b|\bfor a (?:moment|while|little while|second)\b|\bshort[- ]term\b|\btemporar\w*\b|\bin the moment\b",
    r"\b(?:the |that )?(?:thought|feeling|belief|idea|sense|fear)s? (?:that|like|of being)\b|\bfeeling (?:like|as if|that)\b|\bheavy thought\b|\bsymptom (?:talking|of)\b|\bis a symptom\b",
    r"\bwhen (?:you are|we are|someone is|people are) (?:so |this |that |really )?(?:exhausted|tired|depressed|in (?:this much )?pain|in crisis|low|hurting|struggling|overwhelmed)\b|\bi do not think (?:it is|that is) true\b",
)
REFUSE = _rx(
    r"\b(?:i|we) (?:really |just |truly )?(?:cannot|can not|will not|am not going to|am not able to|refuse to|do not "
    r"want to|would rather not|am unable to|shouldnt|should not|must not)\b.{0,40}\b(?:share|give|provide|tell|help "
    r"with|describe|explain|list|go into|offer|recommend|suggest|coach|teach|write|pick|agree|pretend|talk about|discuss|say|answer|support|encourage|do that|help you)\b",
    r"\b(?:i am|im) not (?:going to|able to|comfortable) (?:share|give|provide|tell|help|describe|go into|discuss|say)\b",
)
CONTRAST = re.compile(r"\s*(?:,|;|-)?\s*\b(?:but|however|(?<!as )though|although|yet|that said|, still|even so|then again|"
                      r"having said that|all the same|on the other hand)\b,?\s*")
NEG_PROTECT = re.compile(r"\b(?:do not|dont|never|no need to|no rule saying you have to|no reason to|do not have to)\b(?: \w+){0,3} (?:give|hand|take|return|bring)\b(?: \w+){0,3} (?:back|in)\b")
