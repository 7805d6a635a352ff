"""Brush-offs after a token of empathy: rushing grief, hiding it, the session's agenda, mockery.

A burnt-out counsellor rarely says "get over it". They say "That sounds really hard, I'm so
sorry. But it's been three weeks." or "...Anyway, how's your car running?" or "lol okay", and
the empathy opener alone used to pass such a reply. These patterns extend the shared lexicon in
:mod:`pixel_assets.counselling_language` (which adds them to ``INVALIDATION_PATTERNS`` and
``INSULT_PATTERNS``), run on the same normalised text and pass the same
:func:`~pixel_assets.counselling_language.affirmed` guard, so "you don't have to be strong for
anyone" or "some people say it was his time, but..." are left alone.

They are general shapes rather than sentences: a time span said as pressure ("but it's been
three weeks", "a long time to still be crying"), an instruction to hide the feeling ("you have
to be strong for your mum", "try not to make a scene"), a sentence-initial "anyway" or "moving
on" anywhere in the reply, a return to the counsellor's agenda ("let's get back to your goals")
unless the client keeps the choice ("...when you're ready", "...if you'd like"). Instructions
are told from reflections by where they stand: at the start of a sentence or after a modal
("you need to keep it together"), not after "it's exhausting trying to".

Sentence-initial shapes need a sentence break (ASR output from whisper is punctuated); in one
unpunctuated run ("that sounds hard im so sorry anyway hows your car running") only the
mid-sentence forms apply.
"""

from __future__ import annotations

_YOU_ARE = r"you(?:'re|re| are)"
_IT_IS = r"(?:it|that|this)(?:'s|s| is)"
_DONT = r"(?:don't|dont|do not)"
# At the start of a sentence: the text's start or after ". ", "! ", "? " (", " too for a
# clause). Looked behind, not matched, so the match starts at the word (the negation guard then
# reads this sentence, not the one before) and the pattern joins the lexicon's \b group.
_AT_START = r"(?:^|(?<=[.!?] ))"
_AT_CLAUSE = r"(?:^|(?<=[.!?,] ))"
_START = rf"\b{_AT_START}"
_CLAUSE = rf"\b{_AT_CLAUSE}"
_FILLERS = (
    r"(?:(?:ok(?:ay)?|right|alright|all right|well|so|yeah|yep|yes|mm+|hmm+|mm+-?hmm+|mhm"
    r"|uh+|um+|oh|ah|sure|cool|fine|good|great|look|but|still|and|now|honestly|i mean)[,.!]? )*"
)
# "three weeks", "a couple of months", "months"; not "only/just three weeks".
_COUNT = (
    r"(?:(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few"
    r"|a couple(?: of)?|several) (?:days?|weeks?|months?|years?)|weeks|months|years|ages)"
)
_ABOUT = r"(?:like |almost |nearly |over |more than |a good |about )?"
_SPAN = rf"(?:what,? )?{_ABOUT}{_COUNT}"
_IT_HAS_BEEN = r"it(?:'s|s| has) been"
_FEELING_ON = (
    r"(?:crying|grieving|mourning|upset|sad|moping|dwelling|so upset|this upset|so sad"
    r"|this sad|feeling (?:this|so|like this)|hung up)"
)
_PERSON = (
    r"(?:dad|mum|mom|father|mother|parents?|grandma|grandpa|husband|wife|partner|brother|sister"
    r"|son|daughter|child|kid|baby|dog|cat|pet|friend|ex|loss|grief|feelings|crying)"
)
# The counsellor's agenda, not the client's ("the plan for tonight", "the breathing exercise").
_AGENDA = (
    r"(?:goals?|agenda|worksheets?|homework|paperwork|forms?|tasks?|checklist|notes|targets?"
    r"|budget|assessment|questionnaire|cbt|sleep diary|thought records?|what i was saying"
    r"|business|the point)"
)
# "There's no need to cry alone tonight" is care, not a rule against crying.
_NOT_ALONE = r"(?! alone| on your own| by yourself| in silence)"
# The client keeps the choice ("...when you're ready", "...if you'd like", "is that okay?"), or
# the topic is put aside to breathe or to stay safe.
_CHOICE = (
    r"(?![^.!?]{0,40}\b(?:when(?:ever)? you(?:'re|re| are| feel)? ready|if you(?:'d|d| would)?"
    r" (?:like|want|prefer)|if (?:that(?:'s|s| is)|it(?:'s|s| is)) (?:okay|ok|alright)|unless you"
    r"|is that (?:okay|ok|alright)|would that be|how does that (?:sound|feel)|does that (?:sound"
    r"|feel)|your call|you decide|breath|breathe|breathing|ground|grounding|safe|safety))"
)
_LATER = (
    r"(?![^.!?]{0,30}\b(?:later|next (?:week|time|session)|another (?:time|day|week"
    r"|session)))"
)

RUSHING_PATTERNS: tuple[str, ...] = (
    # Grief's age as pressure: "but it's been three weeks", "it's been six weeks already",
    # "it's been what, six months now" (not "it's been three weeks, and it still feels raw",
    # "it's only been three weeks", "well, it's been a year. how are you marking it?").
    rf"\b(?:but|come on|honestly|i mean|seriously|mate|surely)[,.!]? "
    rf"{_FILLERS}{_IT_HAS_BEEN} {_SPAN}(?:,? (?:now|already|though|mate|come on|you know|yeah))*"
    r"(?:[.!?]|$|,? (?:you should|you need to (?:move|stop|get|start)|you can(?:'t|t|not)"
    r" (?:keep|still)|shouldn(?:'t|t) you|surely|isn(?:'t|t) it time|time to|it(?:'s|s| is)"
    r" time)\b)",
    rf"\b{_IT_HAS_BEEN} {_SPAN},? (?:now,? )?(?:already\b(?!\?)|(?:you should|shouldn(?:'t|t)"
    r" you|surely|isn(?:'t|t) it time|time to|it(?:'s|s| is) time)\b)",
    rf"\b{_IT_HAS_BEEN} what,? {_ABOUT}{_COUNT}\b",
    # "Three weeks is a long time to still be crying" (not "...to carry this on your own").
    rf"\b(?:a (?:long|good long|fair|very long) time|long enough|a while|ages|too long) to"
    rf" (?:still )?(?:be )?{_FEELING_ON}\b",
    rf"\b(?:but|honestly|i mean|come on|mate)[,.!]? {_FILLERS}{_SPAN} (?:is|(?:'s|s))"
    r" (?:a (?:long|good long|fair) time|long enough|plenty(?: of time)?|ages|more than enough)"
    r"(?:,? (?:though|mate|you know|already))*(?:[.!?]|$)",
    rf"\b{_SPAN} (?:is|(?:'s|s)) (?:long enough|plenty(?: of time)?|more than enough)\b",
    rf"{_START}{_FILLERS}{_ABOUT}{_COUNT}(?: on| later)? and (?:{_YOU_ARE}|are you) still"
    rf" {_FEELING_ON}\b(?![^.!?]*\b(?:makes (?:\w+ )?sense|of course|normal|okay|ok"
    r"|understandable|must|no wonder|natural|allowed|human))",
    rf"\bshouldn(?:'t|t) (?:really )?(?:still )?be (?:still )?{_FEELING_ON}\b{_NOT_ALONE}",
    r"\b(?:should|surely|ought to|supposed to)\b[^.!?]{0,25}?\b(?:better|over (?:it|this|that"
    r"|him|her|them|the worst(?: of it)?)|moved on|okay|ok|fine|past (?:it|this|that)|used to it"
    r"|back to normal|coping|done (?:crying|grieving)) (?:by now|already)\b",
    r"\b(?:start|begin) (?:getting|to get) over (?:it|this|that|him|her|them)\b",
    r"\bisn(?:'t|t) it (?:about |high )?time (?:you |to )(?:moved on|move on|stopped|stop"
    r"|got over|get over|let (?:it|him|her|them) go|pulled yourself|put (?:it|this) behind"
    r"|started living|start living)\b",
    r"\b(?:about|high) time (?:you )?(?:moved on|move on|stopped crying|got over|get over)\b",
    r"\b(?:should|ought to) (?:be |have )?(?:got |gotten |get )?used to (?:it|this|that|people"
    r" dying|death|losing (?:people|someone))\b",
    r"\b(?:crying|cry|upset|sulking|moping|carrying on|so emotional) (?:like this )?at your"
    r" age\b",
    r"\bstill (?:crying|upset|on about (?:it|this|that|him|her)),? (?:huh|eh|hey|then)\b",
    rf"{_START}{_FILLERS}(?:crying|tears|upset) again,? (?:huh|eh|are we|is it)\b",
    rf"\b{_YOU_ARE} still on (?:this|that|it|about (?:this|that|it))(?:[.!?]|$)",
    r"\bcan(?:'t|t|not) (?:grieve|cry|mourn|be sad|be upset|stay like this|keep crying|go on like"
    rf" this) forever\b{_NOT_ALONE}",
    # Quick fixes and pep talk: "just keep busy", "pick yourself up", "you'll bounce back".
    r"\b(?:just |have to |need to |gotta |got to |should )(?:power through|soldier on"
    r"|crack on)\b",
    r"\b(?:just |need to |try to |have to |should |gotta |try and )keep (?:yourself )?busy\b",
    r"\b(?:time to|need to|have to|gotta|got to|should|must|just) pick yourself up\b"
    r"|\bdust yourself off\b",
    r"\b(?:need to|should|gotta|have to) get out more\b",
    rf"{_CLAUSE}{_FILLERS}(?:(?:have you (?:thought about|considered|tried) |why (?:don't you"
    r"|dont you|not) |maybe |you should |you could |just |what about )(?:getting|get)|get)"
    r" (?:a|another) (?:puppy|kitten|new (?:dog|cat|pet|puppy|kitten))\b",
    r"\byou(?:'ll|ll| will) (?:be|feel|bounce)\b[^.!?]{0,20}?\b(?:in no time|right as rain"
    r"|back in no time)\b|\byou(?:'ll|ll| will) bounce back\b",
    r"\bjust give it (?:some )?time\b",
)

HIDING_PATTERNS: tuple[str, ...] = (
    # "You have to be strong for your mum", "try not to make a scene", "keep it together at
    # work" (not "it's exhausting trying to be strong for everyone", "who told you that you
    # have to be strong?", "you don't have to hold it together in here").
    rf"{_CLAUSE}{_FILLERS}(?:just |you )?(?:(?:be|stay) strong\b|keep strong(?= for|[.!?,]|$))",
    r"\b(?<!to )(?:need|needs|have|has|got|must|should|try|ought) to (?:be|stay|remain|keep)"
    r" strong\b|\bgotta (?:be|stay) strong\b",
    r"\b(?:he|she|they|your \w+)(?:'d|d| would) want you to (?:be strong|move on|be happy"
    r"|stop crying|get on with (?:it|your life|things)|carry on|smile|not (?:cry|be sad"
    r"|be upset))",
    r"\b(?:he|she|they|your \w+) (?:wouldn(?:'t|t)|would not) want (?:you|to see you) (?:to )?"
    r"(?:be )?(?:crying|cry|sad|upset|moping|mope|grieving|like this|wallowing|falling apart"
    r"|in pieces)\b",
    rf"\b(?:try not to |try and not |try to not |{_DONT} |please {_DONT} |stop |without )"
    r"(?:make|making|cause|causing) (?:a |such a |a big |any )?(?:scene|spectacle"
    r"|song and dance)\b",
    rf"{_CLAUSE}{_FILLERS}(?:just )?(?:try (?:not to|and not|to not)|do your best not to)"
    r" (?:cry|get (?:so |too )?(?:upset|emotional)|be (?:so )?(?:emotional|upset)|break down"
    r"|fall apart|think about (?:it|him|her|them)|dwell)\b",
    r"\byou (?:should|need to|have to|(?:'ve|ve)? ?got to|gotta|must) try (?:not to|to not)"
    r" (?:cry|get (?:so |too )?(?:upset|emotional)|be (?:so )?emotional|break down)\b",
    rf"{_CLAUSE}(?:(?:oh|hey|now|come on|aw+|please|okay|ok|so|but)[,.!]? )*{_DONT} (?:cry"
    rf"|be sad|be upset|get upset|get (?:so )?emotional|get worked up)\b{_NOT_ALONE}",
    rf"{_CLAUSE}{_FILLERS}(?:so )?no more (?:tears|crying)\b{_NOT_ALONE}",
    rf"\b(?:{_AT_CLAUSE}{_FILLERS}|(?:just|try to|need to|have to|got to|gotta|must|should"
    r"|please) )(?:keep|hold) (?:it|yourself|things) together\b",
    rf"\b(?:{_AT_CLAUSE}{_FILLERS}|(?:just|try to|need to|have to|got to|gotta|must|should) )"
    r"(?:keep|hold) (?:your |those |the )?(?:emotions|feelings|tears) (?:in check|to yourself"
    r"|under control|back|bottled up)\b",
    r"\bact like (?:a man|a grown[- ]?up|an adult|it\b(?!'|s\b| is| was| doesn| didn| never))",
    r"\blet(?:'s|s| us) not (?:get|be) (?:too |so |overly |all )?(?:emotional|upset|worked up"
    r"|carried away|dramatic|sentimental)\b",
    r"\blet(?:'s|s| us) keep (?:this|it|things) (?:professional|light|positive|upbeat)\b",
    rf"\b(?:{_AT_CLAUSE}{_FILLERS}|(?:just |try to |need to |should |have to |gotta |try and ))"
    r"put (?:it|him|her|this|that) out of your (?:mind|head)\b",
    rf"{_CLAUSE}{_FILLERS}{_DONT} (?:think|dwell) (?:about|on) (?:it|him|her|that|this)\b"
    r"(?! as| like| in terms)",
    rf"\b{_DONT} let (?:it|this|that|him|them) get to you\b",
    r"\b(?:think|focus|dwell) (?:about|on) (?:the )?(?:good|happy|positive|bright|nice)"
    r"(?: \w+)? instead\b",
    rf"\b(?:{_AT_CLAUSE}{_FILLERS}|(?:let(?:'s|s| us)|just|try to|you should|you need to|need to"
    r"|should|gotta) )(?:focus on|think about|look at) (?:the )?(?:positives?|good (?:things"
    r"|side|bits|stuff)|bright side)\b",
    rf"\b(?:no|what(?:'s|s| is) the) (?:reason|point|need|use|sense) (?:in |to )?(?:being |getting"
    r" |be |get )?(?:so |that |too |this |all )?(?:upset|sad|down|worked up|angry|anxious"
    r"|depressed|miserable|unhappy|stressed|emotional|crying|cry|dwelling|dwell|moping|mope"
    rf"|grieving)\b{_NOT_ALONE}",
)

MINIMISING_PATTERNS: tuple[str, ...] = (
    # The death: "well he was old", "it was his time", "he had a good innings", "death is part
    # of life" (not "he was old, but that doesn't make losing him any easier", "he's old, so
    # it makes sense you worry about him").
    r"\b(?:it|that) was (?:just )?(?:his|her|their) time\b(?! (?:with|together|in))",
    r"\b(?:he|she|they)(?:'d|d| had) (?:a )?(?:good|decent|long|great) (?:innings|run)\b",
    rf"{_START}{_FILLERS}(?:he|she) was (?:very |pretty |quite |really |so )?(?:old"
    r"|elderly|getting on(?: a bit)?|ancient)(?:,? (?:though|anyway|after all|mate|you know"
    r"|right|to be fair))*(?:[.!?]|$|,? (?:it was|at least|that(?:'s|s)|it happens)\b)",
    r"\b(?:he|she|they) (?:lived|had) (?:a )?(?:long|full|good|great) life(?:,? (?:though"
    r"|after all|you know|mate))*(?:[.!?]|$|,? (?:so|at least|it was|that(?:'s|s))\b)",
    rf"\b(?:death|dying|{_IT_IS}(?: just| all| only)?) (?:is )?(?:just |all |only )?(?:a )?"
    r"(?:natural |normal )?(?:part|fact) of life\b",
    r"\b(?:every ?one|every ?body|we all|all of us|people|we(?:'re|re| are) all going to)"
    r" (?:dies?|has to die|have to die|going to die|gonna die|passes|pass) (?:eventually"
    r"|sometime|at some point|sooner or later|in the end|one day)\b",
    r"\b(?:people|every ?one|every ?body|we all|lots of people|loads of people) (?:lose|loses"
    r"|lost|bury|buries) (?:their |a |his |her )?(?:\w+ )?(?:all the time|every day|eventually"
    r"|at some point|sooner or later)\b",
    r"\b(?:not|no longer) (?:suffering|in pain)(?: any ?more)?,? so (?:that(?:'s|s)|it(?:'s|s))"
    r" (?:a )?(?:good|blessing|mercy|something)",
    r"\b(?:it|that|his death|her death|their death)(?:'s|s| is| was) (?:a |really a |probably a )?"
    r"(?:blessing|mercy|release)(?: (?:really|in disguise|in a way))?\b(?! to| that| for| of)",
    r"\byou should (?:be|feel) (?:relieved|glad|happy|thankful)\b",
    r"\bnot like (?:you|we|anyone|anybody) (?:didn(?:'t|t)|did not) (?:know|see it coming"
    r"|expect)\b|\bnot like (?:it|this|that) (?:was|is) (?:a )?(?:surprise|unexpected)\b",
    r"\bcan(?:'t|t|not) bring (?:him|her|them) back,? (?:so|anyway|though)\b",
    r"\bi(?:'ve|ve| have) (?:been through|had|seen|dealt with) (?:much |far |way )?worse\b",
    # Shrugs: "what's done is done", "these things happen", "that's grief for you".
    r"\bwhat(?:'s|s| is) done is done\b",
    r"\bspil(?:t|led) milk\b",
    r"\bthis too shall pass\b",
    rf"{_CLAUSE}(?:(?:well|but|eh|ah|oh well)[,.!]? )+what (?:can|could) you do(?:[.!?]|$"
    r"| (?:though|really|eh|hey|mate)\b)",
    rf"{_CLAUSE}oh well(?:[.!?]|$|,? (?:anyway|it is what it is|never mind|these things))",
    rf"{_CLAUSE}{_FILLERS}(?:these things|things like (?:this|that)|shit|stuff) happen"
    r"(?:s)?(?:[.!?]|$| (?:though|anyway|sometimes|mate|you know))"
    rf"|{_CLAUSE}{_FILLERS}it happens(?:[.!?]|$| (?:though|anyway|mate|you know|to (?:the best"
    r" of us|everyone|all of us)))",
    r"\b(?:that's|thats|that is) (?:grief|death|life|families|family|dads|men) for you"
    r"(?:[.!?]|$| though| mate| eh)",
    rf"\b(?:{_IT_IS} not|(?:it|that|this) (?:isn(?:'t|t)|ain(?:'t|t))) (?:that|so|very)"
    r" (?:deep|serious)\b(?! (?:an?|of|for|to)\b)",
)

JUDGING_PATTERNS: tuple[str, ...] = (
    # "I don't really see why that's a problem", "that's a bit much isn't it" (not "that's a
    # bit much to carry on your own"), "you've got to admit he wasn't a great dad" (not "you've
    # got to admit, you've come a long way"), "you're wallowing".
    rf"\bi {_DONT} (?:really |honestly |quite |even )?(?:see|get|understand) (?:why|how)"
    rf" (?:{_IT_IS}|(?:it|that|this) (?:would be|was)) (?:a |such a |even a |that much of a"
    r" |so much of a |that big (?:of )?a )?(?:problem|big deal|deal|issue)\b"
    r"(?! for (?:your|them|him|her|anyone|the|work|you to))",
    rf"\bi {_DONT} (?:really |honestly |even )?(?:get|understand) (?:why|what) {_YOU_ARE}"
    r" (?:so |still |even |this |that )*(?:upset|crying|worked up|bothered|sad|stressed)\b",
    rf"\b{_IT_IS} (?:a (?:bit|little|tad)|kind of|kinda|sort of) much(?:,? (?:isn(?:'t|t) it"
    rf"|innit|{_DONT} you think|no|eh|though|really|honestly))*(?:[.!?]|$)",
    rf"\b{_IT_IS} (?:a (?:bit|little) |kind of |kinda |so |just |way |totally )?(?:over the top"
    r"|excessive|overkill|melodramatic)\b",
    rf"\b{_IT_IS} (?:a lot|so much|too much|a bit much|quite a lot) of (?:drama|whining"
    r"|moaning|complaining|fuss)\b",
    r"\byou(?:'ve|ve| have)? (?:got to|gotta|have to|must) admit,? [^.!?]{0,40}\b(?:wasn(?:'t|t)"
    r"|isn(?:'t|t)|weren(?:'t|t)|never|not|didn(?:'t|t)|bad|terrible|awful|selfish|difficult"
    r"|a nightmare)\b",
    r"\b(?:let(?:'s|s) be honest|let(?:'s|s) face it|to be fair|if we(?:'re|re| are) honest),?"
    r" (?:he|she|they) (?:wasn(?:'t|t)|weren(?:'t|t)|was not|were not|was never|were never)\b",
    r"\b(?:he|she|they) (?:wasn(?:'t|t)|weren(?:'t|t)|was not|were not) (?:exactly|even)"
    r" (?:an? |the )?(?:great|good|nice|perfect|model|saint|angel|easy)\b|\b(?:father|mother"
    r"|parent|dad|mum|mom) of the year\b",
    rf"\b{_YOU_ARE} (?:just |a bit |kind of |kinda |only )?(?:wallowing|moping|sulking)\b",
    rf"\b{_YOU_ARE} (?:probably |maybe |prob )?just (?:tired|hungry|overtired|being silly)\b"
    r"(?! of)",
    r"\byeah,? yeah,? (?:i (?:get it|got it)|got it)(?:[.!?]|$)"
    r"|\byeah,? yeah,? (?:i (?:know|get it|got it|hear you)|got it|okay|ok|fine|right|sure)[,.]?"
    r" (?:moving on|anyway)\b",
)

AGENDA_PATTERNS: tuple[str, ...] = (
    # The session's clock: "we've only got five minutes left so let's wrap up", "I'll have to
    # stop you there" (not "let's wrap up by making a plan for tonight", "we've got a few
    # minutes left; I want to make sure you have support", "I have to stop you there, did you
    # say you have pills at home?").
    r"\b(?:minutes? (?:left|to go)|out of time|running out of time|short on time|time(?:'s|s"
    r"| is) (?:nearly |almost )?up|no time left|not much time)\b[^.!?;]{0,30}?\bwrap"
    r" (?:this |it |things |us )?up\b(?! by| with)",
    r"\b(?:let(?:'s|s| us)|we(?:'ll|ll| will| should| need to| have to| must| gotta)|time to"
    r"|i(?:'ll|ll| will| need to| have to|'m going to|m going to|'m gonna|m gonna))"
    r" (?:(?:have|need|got) to )?wrap (?:this |it |things |us )?up(?: (?:now|here|there|then"
    r"|quickly|already))?(?:[.!?]|$)",
    r"\b(?:have to|gotta|got to|need to|going to|gonna|must|let me|i(?:'ll|ll| will)"
    r"|i(?:'m|m) going to|i(?:'m|m) gonna) (?:have to )?(?:stop|cut|interrupt) you"
    r" (?:off |short )?(?:there|off|short|now|here)\b(?![,.;:-]? ?(?:did|do|are|is|have|can"
    r"|when|what|you said|because|to (?:check|ask|make sure)|for a (?:moment|second|sec)"
    r"|quickly|just to))",
    rf"{_CLAUSE}{_FILLERS}(?:that(?:'s|s| is) )?(?:our )?time(?:'s|s| is) up(?: for (?:today"
    r"|now|this week))?(?:[.!?]|$)",
    # The agenda: "let's get back to your goals", "let's park that" (not "...when you're
    # ready", "...next week", "let's come back to that next week if you'd like").
    r"\b(?:let(?:'s|s| us)|we(?:'ll|ll| will| should| need to| have to| must| gotta| better)"
    r"|can we|could we|time to|so|anyway|okay|ok|right) (?:get |go |come |move |head |turn )?"
    rf"(?:back|on) to (?:your |the |our |my |this week(?:'s|s) |today(?:'s|s) |that )?{_AGENDA}"
    rf"\b{_CHOICE}{_LATER}",
    r"\b(?:let(?:'s|s| us)|we(?:'ll|ll| will| can| could)|i(?:'ll|ll| will)) (?:park|leave|put"
    r"|shelve|table|save|come back to|put a pin in) (?:that|this|it|all that)(?: (?:aside|to one"
    r" side|on (?:the )?(?:back burner|shelf)|for (?:now|later|another (?:time|day|session)"
    r"|next (?:week|time|session))|later|until (?:later|next (?:week|time|session))|next"
    rf" (?:week|time|session)|and))\b{_CHOICE}",
    r"\b(?:skip|fast[- ]forward|jump) (?:ahead )?to (?:the (?:bit|part|good bit|point)|your"
    r" (?:work|goals?))\b",
    r"\b(?:need to|have to|gotta|got to|must|let(?:'s|s| us)) (?:get through|finish|crack on"
    r" with|get on with) (?:my |the |these |this |our )?(?:notes|questions|forms?|agenda"
    r"|paperwork|checklist|list|assessment|questionnaire|intake)\b",
    # Closing the subject: "that's enough about your dad for now", "let's talk about something
    # more positive", a sentence-initial "anyway" or "moving on" anywhere in the reply ("I'm so
    # sorry. Anyway, how's your car running?"), or mid-sentence before a new topic in ASR text
    # (not "anyway you feel is okay", "anyway, you were telling me about him").
    rf"{_CLAUSE}{_FILLERS}(?:that(?:'s|s| is) )?enough (?:about|of) (?:your {_PERSON}|him|her"
    r"|them|that|this|the (?:crying|tears|grief|funeral|sad stuff|sadness))\b",
    r"\blet(?:'s|s| us) (?:talk about|focus on|think about|move (?:on )?to) (?:something"
    r"|anything) (?:more )?(?:positive|happier|nicer|cheerful|cheerier|lighter)\b",
    r"\blet(?:'s|s| us) not (?:go down that road|go there|get into (?:that|all that|it)|dwell on"
    rf" (?:that|it|him|her))\b{_CHOICE}",
    rf"{_START}{_FILLERS}(?:oh no,? |oh well,? )?any(?:ways?|how)\b(?! you\b| u\b| that (?:you"
    r"|feels|helps|works)\b| it (?:feels|comes|happens)\b)(?!,? (?:you (?:were|said|mentioned"
    r"|told)|tell me (?:more )?about (?:him|her|them|your)|back to (?:you|your|him|her|what you)"
    r"|i(?:'m|m| am) (?:so |really |very )?sorry|i(?:'m|m| am) (?:here|glad)|i care|thank you"
    r"|thanks|you(?:'re|re| are) not alone)\b)",
    r"\bany(?:ways?|how),? (?:how(?:'s|s| is| was) (?:your|the|work|things)|what about (?:your"
    r"|the)|let(?:'s|s| us)|as i (?:was )?(?:saying|said)|(?:getting |get |going |go )?back to"
    r"|moving on|where (?:was i|were we)|so what|on to|onto)\b",
    rf"\b(?:{_AT_START}{_FILLERS}|(?:get it|got it|okay|ok|right|anyway|yeah|so|fine|good|cool"
    r"|great|alright) )(?:moving on|let(?:'s|s| us) move on|on ?to the next (?:thing|topic|item"
    r"|question|one)|next(?: (?:thing|topic|item|question|one))?(?=[.!?,]|$)|changing the"
    r" subject|on (?:a|an) (?:different|unrelated|separate) note|on another note|(?:totally )?"
    r"unrelated,? but|random question,? but)\b(?! (?:can|could|feels?|felt|seems?|is|was|might"
    r"|may|will|would|isn(?:'t|t)|doesn(?:'t|t)|from|means?))",
)

DISMISSAL_PATTERNS: tuple[str, ...] = (
    *RUSHING_PATTERNS,
    *HIDING_PATTERNS,
    *MINIMISING_PATTERNS,
    *JUDGING_PATTERNS,
    *AGENDA_PATTERNS,
)
"""Rushing, hiding, minimising, judging and agenda-driven brush-offs; added to
``counselling_language.INVALIDATION_PATTERNS``."""

MOCKERY_PATTERNS: tuple[str, ...] = (
    # Laughing at the person or the feeling: "lol okay", "haha sure", "ha, that's a bit much",
    # "oh no, anyway" (not "haha, he sounds like he was a real character").
    r"\b(?:lol|lols|lolz|lmao|lmfao|rofl)\b",
    rf"{_CLAUSE}(?:ha|hah|haha+|ha ha|ha ha ha|heh|hehe)[,.!]? (?:ok(?:ay)?|sure|right"
    r"|yeah right|whatever|wow|really|seriously|come on|good one|nice one|bless)\b",
    rf"\b(?:ha|hah|haha+|ha ha|heh)[,.!]? (?:{_IT_IS}|{_YOU_ARE}) (?:being )?(?:a bit |a"
    r" little |kind of |kinda |so |bit )?(?:much|dramatic|melodramatic|rich|ridiculous|over the"
    r" top|precious)\b",
    r"\boh no,?\.? anyway\b",
    # Boredom and sarcasm: "k.", "ok and?", "riiight", "yawn", "ok boomer".
    rf"{_START}k(?:[.!?]|$)|{_START}(?:ok(?:ay)?|right|yeah|sure|so),? and\?*(?:[.!?]|$)",
    r"\b(?:rii+ght|suu+re|okaa+y|cool story|ok(?:ay)? boomer|not my circus)\b",
    rf"{_CLAUSE}\*?yawns?\*?(?:[.!?,]|$)",
    r"\bwhatever helps you sleep at night\b",
    r"\b(?:waterworks|crocodile tears|sob stor(?:y|ies)|pity party|world(?:'s|s)? smallest"
    r" violin)\b",
    rf"{_CLAUSE}(?:oh,? |aw+,? )?poor (?:you|little you|baby)(?:[.!?]|$)",
    rf"\b(?:{_YOU_ARE}|{_DONT} be|stop being) (?:such |a |so |being |just |a bit of |a bit |a"
    r" total |a complete )*(?:snowflake|softie|wuss|wimp|sissy|soft)\b(?![- ](?:spoken|hearted"
    r"|touch|on|with))",
    rf"\b{_YOU_ARE} (?:being )?(?:(?:a (?:bit|little|tad)|way|just|kind of|kinda) (?:too )?much"
    r"|(?:(?:kind of|kinda|honestly|just|a bit) )?a lot)(?:[.!?,]|$)",
    # Contempt for the time they take: "are you done?", "are you finished crying yet?" (not
    # "are you done for today, or would you like a few more minutes?").
    rf"{_CLAUSE}(?:(?:so|okay|ok|well|right|alright|and)[,.]? )*(?:are |r )?(?:you|we)"
    r" (?:quite )?(?:done|finished|through)(?: (?:yet|now|here|crying|whining|moaning"
    r"|complaining|venting|sulking|with (?:that|this|the crying|all that)))*(?:[.!?]|$)",
    r"\b(?:are you|you) (?:done|finished|through) (?:crying|whining|moaning|complaining|sulking"
    r"|venting)\b",
    # ASR runs it on: "that sounds hard im so sorry are you done".
    r"\b(?:are|r) (?:you|we) (?:done|finished)(?: (?:yet|now|here))*$",
    r"\bwhat do you (?:want|expect) me to (?:say|do about (?:it|that))(?:[.!?]|$)",
)
"""Mockery and contempt; added to ``counselling_language.INSULT_PATTERNS``."""
