"""Dismissive and insulting counsellor language: one lexicon for the feature stage and the scorer.

A reply that minimises, rushes, blames or mocks a person in distress must never pass as
training data, even when it opens with a token of empathy ("That sounds hard. Other people
have it way worse though."). These patterns run on :func:`normalise`-d text (lower case,
straight apostrophes, single spaces) and cover what ASR writes ("youre", "dont").

Groups, after the clinical literature on invalidating responses:

- **minimising / comparing**: "it's not a big deal", "other people have it way worse",
  "everyone's dad dies eventually", "at least he's not suffering";
- **rushing**: "you should be over it by now", "time to move on", "get over it";
- **toxic positivity**: "just think positive", "everything happens for a reason",
  "look on the bright side", "you'll be fine";
- **dismissing**: "I don't have time for this", "who cares", "that's boring", "next
  question", "crying won't bring him back", a change of subject to small talk ("Mm-hmm. So,
  what did you have for breakfast?");
- **judging the feeling**: "you're overreacting", "you're being a bit dramatic", "stop feeling
  sorry for yourself", "toughen up".

The same words also appear in validating replies ("You're not overreacting", "You don't have
to get over it", "You feel like you're a burden", "Your dad told you to toughen up"), so a
match counts only when the words before it in the same sentence do not negate or report it:
see :func:`affirmed`. Validating the feeling itself (``VALIDATION_PATTERNS``: "you're not
overreacting", "anyone would feel that way") counts as a strong emotional reaction.
"""

from __future__ import annotations

import re

from pixel_assets.counselling_dismissals import DISMISSAL_PATTERNS, MOCKERY_PATTERNS
from pixel_assets.regex_alternation import alternation_by_first_char

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})

_YOU_ARE = r"you(?:'re|re| are)"
_IT_IS = r"(?:it|that|this)(?:'s|s| is)"
_DONT = r"(?:don't|dont|do not)"
_PERSON = r"(?:dad|mom|mum|father|mother|parents?|grandma|grandpa|grandmother|grandfather|" \
    r"dog|cat|pet|friend|husband|wife|partner|brother|sister|son|daughter|child|kid|baby)"

INVALIDATION_PATTERNS: tuple[str, ...] = (
    # getting over it, rushing
    r"\b(?:just )?get over (?:it|this|that|him|her|them)\b",
    r"\b(?:just )?deal with it\b(?! (?:by|in|when|differently|together|alone|on your own))",
    r"\bsuck it up\b",
    r"\bget a grip\b",
    r"\bpull yourself together\b",
    r"\bsnap out of it\b",
    r"\b(?:man|toughen|cheer|harden|buck) up\b",
    r"\b(?:keep your )?chin up\b",
    r"\bit might never happen\b",
    r"\bcalm down\b",
    r"\bchill out\b",
    r"\bmove on\b",
    # "It's hard to let it go" is a reflection: only the instruction counts.
    r"\b(?:^|(?<=[.!?] )|just |\bneed to |\bhave to |\bgot to |\bgotta |\bshould |\btime to )"
    r"(?:let it go|put it behind you)\b",
    r"\b(?:be|have gotten|have got|get) over (?:it|this|that|him|her|them) by now\b",
    r"\bshould (?:be|have gotten|have got) over (?:it|this|that|him|her|them)\b",
    r"\bover (?:it|this|that|him|her|them) yet\b",
    r"\bstill (?:going on|banging on|harping on|on) about\b",
    # judging the feeling
    r"\b(?:stop|quit) (?:your )?(?:complaining|whining|moaning|crying|sulking|dwelling|moping"
    r"|wallowing"
    r"|rambling|making excuses|being so"
    r"|making (?:a big deal|such a fuss|a fuss))\b",
    r"\bstop being (?:so |such a )?(?:dramatic|sensitive|silly|negative|emotional)\b",
    rf"\b{_DONT} be (?:so |such an? )?(?:silly|dramatic|sensitive|ridiculous|negative|"
    r"emotional|a baby|a drama queen)\b",
    r"\bfeeling sorry for yourself\b",
    r"\bself[- ]pity\b",
    r"\bover ?reacting\b",
    r"\bexaggerating\b",
    rf"\b{_YOU_ARE} (?:just |being |so |too |a bit |a little |way |kind of |really )*"
    r"(?:dramatic|hysterical|over ?sensitive|too sensitive|over ?thinking)\b",
    rf"\b{_YOU_ARE} making (?:a big deal|a mountain|too much|a fuss)\b",
    rf"\b{_IT_IS} (?:a bit |so |kind of |kinda |pretty |rather |really |a little )?"
    r"(?:dramatic|boring)\b",
    r"\bboring (?:to listen|listening|to hear|hearing)\b",
    # "It's all in your head", not "what goes on in your head when you wake?".
    r"\b(?:all|just|only) in your (?:head|mind)\b",
    rf"\b{_IT_IS} in your (?:head|mind)\b",
    rf"\b{_YOU_ARE} imagining (?:it|things|that)\b",
    # Not "you shouldn't feel guilty for crying", which validates.
    r"\byou(?: really)? shouldn(?:'t|t) (?:feel\b(?! (?:guilty|ashamed|bad|embarrassed|responsible"
    r"|alone|like (?:a burden|you have to)|you have to|you need to|that you have to))"
    r"|be (?:sad|upset|angry|scared|worried)\b)",
    # minimising and comparing
    r"\b(?:every ?body|every ?one|we all) (?:has|have|goes through|go through|feels|gets|get"
    r"|deals with|has got)\b",
    rf"\bevery ?(?:one|body)(?:'s|s)? {_PERSON}s? (?:dies|die|passes|leaves|leave)\b",
    r"\bit happens to (?:every ?one|every ?body|all of us)\b",
    r"\bnot (?:that |such )?(?:a )?big (?:of a )?deal\b",
    r"\bcould (?:be|have been) (?:a lot |much |way |so much )?worse\b",
    r"\b(?:others|other people|some people|many people|lots of people|plenty of people"
    r"|other kids|some kids) (?:have|had|got) it (?:way |much |a lot |so much |far )?"
    r"(?:worse|harder)\b",
    r"\bthere are (?:people|kids|children) (?:out there )?(?:who|that|with)\b.{0,30}\bworse\b",
    r"\bat least you\b",
    r"\bat least (?:he|she|they|it)(?:'s|s| is| was| were| had| didn't| didnt| wasn't| wasnt"
    r"| weren't| werent| got| knew| went| died| passed)\b",
    r"\b(?:it's|its|it is) (?:not|nothing) (?:that bad|to worry about)\b",
    r"\bno (?:reason|point|need|use) (?:to|in) (?:feel (?:sad|upset|down|depressed|anxious"
    r"|unhappy|miserable|like this|that way)|worry)\b",
    r"\bnothing to (?:cry|be upset|be sad|be scared|be afraid|be worried|worry|be depressed"
    r"|be anxious|be unhappy|be miserable) about\b",
    r"\bwhat (?:do you (?:even )?have|have you (?:even )?got|have you) to be (?:sad|depressed|upset"
    r"|anxious|unhappy|miserable|down) about\b",
    # "You have so much to live for" is what people in crisis say hurts most.
    r"\b(?:so much|a lot|plenty|everything) to (?:be (?:grateful|thankful|happy) (?:for|about)"
    r"|live for)\b",
    # Comparing: "there are people far worse off", "first world problems".
    r"\bworse off than you\b",
    r"\b(?:people|others|kids|children|folks) (?:out there )?(?:who are |that are |are )?(?:far "
    r"|much |way |a lot |so much )?worse off\b",
    r"\bstarving (?:children|kids|people)\b",
    r"\bthink (?:of|about) (?:all )?(?:the |those )?(?:people|kids|children|others) (?:who|that)"
    r" (?:have it|had it|are worse|have (?:nothing|no)|are (?:starving|dying|suffering))",
    r"\b(?:would|'d) (?:kill|love|give anything|die) (?:for |to have )?your (?:life|problems|job"
    r"|house|family)\b",
    r"\bfirst world problems?\b",
    # "It was just a dog" (not "it wasn't just a dog, he was family").
    r"\b(?:it's|its|it is|it was|he was|she was|that's|thats|that is|that was) (?:only|just) a"
    r" (?:job|dog|cat|pet|breakup|break up|game|test|exam|grade|bad day|phase|relationship"
    r"|boyfriend|girlfriend|miscarriage|fish|hamster)\b",
    r"\bfish in the sea\b",
    rf"\byou(?:'ll|ll| will) (?:find|meet|get) (?:someone|somebody|another (?:one|{_PERSON}))\b",
    r"\bnot like (?:anyone|anybody|someone|somebody) died\b",
    r"\bnot like (?:he|she|they) (?:hit|beat|hurt|raped|cheated on) you\b",
    r"\bnot rocket science\b",
    r"\bhow hard can it (?:really )?be\b",
    # "It's not that hard, really", not "it's not that hard to see why you're upset".
    rf"\b{_IT_IS} not (?:that|so|very) (?:hard|difficult|complicated)\b(?! to\b)",
    rf"\bi {_DONT} see (?:what the (?:big )?(?:deal|problem|fuss) is|the (?:big )?(?:deal|problem)"
    rf"|why {_YOU_ARE} (?:so |this |that |even )?(?:upset|worked up|bothered))\b",
    r"\bwhat(?:'s|s| is) the (?:big )?deal\b",
    # "Really? That's what you're upset about?" (not "so that's what you're worried about").
    rf"\b(?:really|seriously|that's it|thats it)[?,.!]? (?:that's|thats|that is) what {_YOU_ARE}"
    r" (?:so )?(?:upset|crying|worked up|worried|stressed|sad|angry) (?:about|over)\b",
    rf"\b(?:that's|thats|that is) all {_YOU_ARE} (?:so )?(?:upset|crying|worked up|worried"
    r"|stressed|sad|angry) (?:about|over)\b",
    r"\bwhy are you (?:even |getting )?(?:so |this |that )(?:upset|worked up|bothered)\b",
    r"\bmaking (?:such |so much of )?a (?:big )?(?:deal|fuss|drama|mountain)\b",
    r"\b(?:upset|crying|worked up|stressed|worrying|fuss|drama) (?:about|over) nothing\b",
    rf"\b{_IT_IS} nothing(?:[.!?]|$| compared| next to)",
    r"\bwelcome to (?:the real world|adulthood|adult life|real life|being an adult)\b",
    r"\bget used to it\b",
    r"\bit(?:'s|s| has) been long enough\b",
    r"\b(?:crying|worrying|being sad|being upset|getting upset|feeling sorry|dwelling on it"
    r"|moping)(?: about (?:it|him|her|this)| over (?:it|him|her|this)| like this| so much"
    r"| all the time| every day)?"
    r" (?:won't|wont|will not|doesn't|doesnt|does not|isn't going to|isnt going to"
    r"|is not going to|ain't going to)"
    r" (?:help|change|fix|bring)\b",
    r"\b(?:that's|thats|that is) (?:just )?life\b(?![- ](?:changing|threatening|saving|long))",
    r"\blife (?:goes|has to go|must go|needs to go|will go|gotta go) on\b",
    r"\bit is what it is\b",
    r"\bwhat doesn(?:'t|t) kill you\b",
    r"\bnot the end of the world\b",
    r"\btime heals\b",
    r"\bgod (?:doesn(?:'t|t)|won(?:'t|t)|does not|will not|never) gives? (?:us|you|anyone)"
    r" more\b",
    r"\b(?:just )?pray (?:about it|it away|harder)\b",
    r"\b(?:need to|should|have to|just|gotta|got to|must) pray more\b",
    r"\byour faith (?:isn't|isnt|is not|wasn't|wasnt|was not) (?:strong|big) enough\b",
    r"\bif you had (?:more|enough|stronger) faith\b",
    r"\b(?:it's|its|it is|it was|this is|this was|that's|thats|all) (?:all )?(?:part of )?"
    r"god(?:'s|s)? (?:plan|will)\b",
    r"\bgod has a plan\b",
    r"\b(?:(?:he|she|they)(?:'s|s| is| are|'re)|(?:he|she|they)(?:'s|s| is| are|'re) now)"
    r" (?:in )?a better place\b",
    rf"\b{_YOU_ARE} (?:so |really )?lucky (?:to|that|you)\b",
    r"\bact your age\b",
    rf"\b{_YOU_ARE} a big (?:girl|boy)\b",
    r"\b(?:^|(?<=[.!?,] )|just |\bshould |\bneed to )be a man\b",
    r"\bgrow (?:a pair|some balls|a spine|a backbone|some (?:thicker )?skin)\b",
    r"\benough (?:already|with the (?:tears|crying|whining|drama|moaning)"
    r"|of (?:this|that|the) (?:crying|whining|moping|drama))\b",
    r"\b(?:^|(?<=[.!?,] ))(?:(?:now|so|come on|okay|ok|right)[,.!]? )*(?:dry|wipe)"
    r" (?:your|those|them|the) (?:eyes|tears)\b",
    # As an instruction only: "it's hard to get on with things" is a reflection.
    r"\b(?:^|(?<=[.!?,] )|just |\bneed to |\btime to |\bshould |\band )get on with (?:it|your life"
    r"|things)\b",
    r"\b(?:just |\bneed to |\bhave to |\btime to |\bshould |\bgotta )move forward\b",
    rf"\b{_YOU_ARE} making excuses\b",
    r"\bexcuses,? excuses\b",
    rf"\b{_IT_IS} (?:just )?(?:an excuse|a cop ?out)\b",
    rf"\b(?:{_YOU_ARE} not|aren't you|arent you) (?:even )?trying(?: hard enough| at all)\b",
    r"\bare you even trying\b",
    rf"\b{_YOU_ARE} not even trying\b",
    r"\bnot trying hard enough\b",
    rf"\b{_YOU_ARE} too old (?:to be|for)\b",
    r"\b(?:thicker|thick) skin\b",
    r"\btry harder\b",
    # toxic positivity
    r"\blook on the bright side\b",
    r"\bsilver lining\b",
    r"\beverything happens for a reason\b",
    r"\bhappiness is a choice\b",
    r"\b(?:just )?choose (?:to be )?happ(?:y|iness)\b",
    r"\bjust (?:smile|be happy|relax|chill)\b",
    r"\b(?:^|(?<=[.!?] ))relax(?:[.!?,]|$)",
    r"\bsmile more\b",
    r"\bgood things come to those\b",
    r"\bkeep calm and carry on\b",
    # Quick fixes for deep pain ("try yoga", "just stop drinking then"), as an instruction or a
    # bare "have you tried", not "some people find yoga helps, if it feels right for you".
    r"\b(?:^|(?<=[.!?,] ))(?:so |well |maybe |just |you should |why don't you |why dont you "
    r"|have you tried |have you thought about )?(?:just )?(?:try |do |doing |take up |go to "
    r"|going for |go for )?(?:some )?(?:yoga|meditation|meditating|a bubble bath|bubble baths"
    r"|essential oils|a walk|going for a walk|a run|going for a run|the gym|a hobby)"
    r"(?:[.!?,]|$| or something| then)",
    r"\bjust (?:stop|quit) (?:drinking|using|smoking|gambling|self[- ]harming|cutting|it)\b",
    r"\bjust (?:drink|eat|smoke|gamble|use|worry|think) less\b",
    r"\b(?:^|(?<=[.!?,] ))(?:so |well |then )?just (?:stop|quit|relax|eat|sleep|go to sleep|smile"
    r"|leave (?:him|her|them))(?: it| then| already| earlier)?(?:[.!?,]|$)",
    # As advice only: "it's hard to stay positive" is a reflection.
    r"\b(?:just |\bshould |\bneed to |\bmust |\btry to |\bhave to |\bgotta |^|(?<=[.!?,] ))"
    r"(?:think|stay|be) positive\b",
    r"\bgood vibes\b",
    r"\bcount your blessings\b",
    r"\b(?:just |\bshould |\bneed to |\bmust |\btry to |\bhave to |^|(?<=[.!?,] ))"
    r"be (?:more )?(?:grateful|glad|thankful)\b",
    r"\byou(?:'ll|ll| will) be (?:just )?fine\b",
    rf"\b{_YOU_ARE} (?:totally |perfectly |just )?fine\b(?! to| with| if| as)",
    rf"\b{_DONT} worry about it\b",
    r"\bhave you tried (?:not|just not) (?:thinking|worrying|being|feeling|dwelling|crying)\b",
    rf"\bjust (?:{_DONT}|stop) (?:think|thinking|worry|worrying|feel|feeling|dwell)\b",
    r"\bstop (?:thinking|worrying|dwelling) (?:about|on) it\b",
    # dismissing the person or the topic
    rf"\b(?:i|we) {_DONT} (?:really |actually )?have (?:the )?time for (?:this|that|you|your)\b",
    r"\bnot here to (?:listen to|hear|deal with)\b",
    r"\bwasting (?:my|our) time\b",
    r"\b(?:^|(?<=[.!?,] ))who cares(?:[.!?,]|$)",
    rf"\bi {_DONT} (?:really )?care(?:[.!?]|$| about (?:this|that|it|your))",
    r"\bnot my problem\b",
    r"\b(?:^|(?<=[.!?,] ))so what(?:[.!?]|$)",
    r"\b(?:^|(?<=[.!?,] ))(?:(?:meh|pfft|eh|ugh)[,.]? )?whatever(?:[.!?,]|$)",
    r"\b^(?:meh|pfft)[.!?,]*$",
    r"\bnot this again\b",
    # "That's your problem, not mine" (not "it's your problem to solve", "yours too").
    r"\b(?:that's|thats|that is|it's|its|it is|sounds like) your (?:own )?(?:problem|issue"
    r"|lookout)\b(?! to\b| too\b| as well\b)",
    r"\bnext question\b",
    # Impatience and sarcasm: "we've been over this", "here we go again", "oh please".
    r"\bwe(?:'ve|ve| have) (?:been|gone) over this\b",
    r"\b(?:told you|heard (?:this|it|that)|talked about (?:this|it|that)|been over (?:this|it"
    r"|that)) (?:a (?:hundred|million|thousand|dozen)|so many|how many) times\b",
    r"\bhere we go again\b",
    r"\bi(?:'ve|ve| have) heard (?:this|it|that|it all|all this|all that) (?:all )?before\b",
    r"\b(?:broken record|change the record)\b",
    rf"\bi {_DONT} have all day\b",
    r"\bmake it (?:quick|snappy|fast)\b",
    r"\bget to the point\b",
    rf"\b{_YOU_ARE} (?:just )?rambling\b",
    r"\b(?:^|(?<=[.!?,] ))oh,? (?:please|come on)(?:[.!?]|$)",
    r"\bspare me\b",
    r"\bgive me a break\b(?! ?down)",
    r"\b^(?:yeah,? )+yeah[.!?]*$|\byeah,? yeah,? (?:whatever|sure|we get it|heard it)\b",
    r"\b^(?:sure,? )+sure[.!?]*$",
    r"\b(?:^|(?<=[.!?,] ))(?:well,? |okay,? |ok,? |right,? )?if you say so(?:[.!?,]|$)",
    r"\bwhatever you say(?:[.!?]|$)",
    r"\bcool story\b",
    r"\b(?:^|(?<=[.!?,] ))(?:oh,? |yeah,? )?sure you (?:are|were|do|did|will)(?:[.!?]|$)",
    r"\b(?:^|(?<=[.!?,] ))(?:well,? )?duh(?:[.!?,]|$)",
    r"\b(?:^|(?<=[.!?] ))(?:so,? |oh,? )?big deal(?:[.!?]|$)",
    r"\band your point is\b",
    r"\byou can(?:'t|t|not) be serious\b",
    r"\bare you serious right now\b",
    r"\bwhy are you telling me (?:this|that|all this)\b",
    r"\bhurry (?:up|it up)\b",
    r"\blet(?:'s|s| us) not make (?:this|it) about you\b",
    r"\bnobody (?:wants|needs|cares) to hear (?:that|this|it|about)\b",
    r"\b(?:it's|its|it is) your (?:own )?choice to (?:feel|be (?:miserable|unhappy|sad|depressed"
    r"|upset|angry|anxious))\b",
    r"\b(?:let's|lets|can we|could we) (?:talk about something else|change the subject)\b",
    # Changing the subject to small talk, marked by "so" / "anyway" ("Mm-hmm. So, what did you
    # have for breakfast?"). Weekend plans are left out: "so, any plans this weekend? will
    # anyone be with you?" is safety planning.
    r"\b(?:^|(?<=[.!?] ))(?:(?:mm+-?hmm+|ok(?:ay)?|right|well|cool|great|nice)[,.!]? )?"
    r"(?:so|anyway|anyways|by the way|on another note|changing the subject)[,.]? "
    r"(?:what did you (?:have|eat) for (?:breakfast|lunch|dinner|tea)"
    r"|how(?:'s|s| is| was) the weather|(?:did you )?(?:watch|see|catch) the (?:game|match"
    r"|football|news|race)|(?:seen|watched) any good (?:films|movies|shows|tv)"
    r"|what(?:'s| is|s) your favou?rite (?:food|colou?r|film|movie|show|band|song|team)"
    r"|where are you going on holiday)\b",
    *DISMISSAL_PATTERNS,
)
"""Minimising, rushing, dismissive or judging phrasing (regular expressions on normalised
text) that sets ``invalidation``, with the brush-offs of
:data:`pixel_assets.counselling_dismissals.DISMISSAL_PATTERNS`. Rule-based: it flags the
phrase, not the intent."""

INSULT_PATTERNS: tuple[str, ...] = (
    rf"\b{_YOU_ARE} (?:an? |such an? |so |being |just |really |a complete |a total |kind of "
    r"|sort of |honestly |frankly |pretty |a bit of |bit of |a real )*"
    r"(?:idiot|stupid|pathetic|useless|lazy|worthless|loser|moron|dumb|fool|joke|failure|"
    r"ridiculous|childish|annoying|boring|exhausting|hopeless|embarrassing|unbearable|"
    r"burden|mess|disappointment|crybaby|cry baby|baby|wimp)\b",
    r"\bshut up\b",
    r"\bwhat(?:'s| is|s) wrong with you\b",
    r"\bgrow up\b",
    r"\bhow stupid\b",
    r"\bstupid (?:reason|idea|question)\b",
    r"\bstop being (?:a |such a )?(?:baby|crybaby|child|wimp|idiot)\b",
    r"\bcry ?baby\b",
    r"\bcry me a river\b",
    rf"\b{_YOU_ARE} (?:acting|behaving) like (?:a |such a )?(?:child|baby|kid|toddler|brat)\b",
    rf"\b{_YOU_ARE} (?:a |such a |just a |nothing but a )?waste of (?:space|time|oxygen|air)\b",
    rf"\b{_YOU_ARE} (?:just )?wasting your (?:life|time)\b",
    rf"\b{_YOU_ARE} (?:a |such a )?(?:lost cause|hopeless case|disgrace|beyond help)\b",
    rf"\b{_YOU_ARE} (?:so |too |really |just |being |such a |a bit )*(?:needy|clingy"
    r"|irresponsible|spineless|a drama queen)\b",
    # Moralising and contempt: "shame on you", "what kind of mother does that".
    r"\bshame on you\b",
    r"\byou (?:should|ought to) be ashamed\b",
    r"\bi(?:'m|m| am) (?:so |really |very |honestly )?disappointed in you\b",
    r"\byou disappoint me\b",
    r"\bwhat kind of (?:a )?(?:mother|father|parent|mum|mom|dad|person|wife|husband|friend)"
    r" (?:does|would|are you)\b",
    rf"\b{_YOU_ARE} (?:a |such a )?(?:bad|terrible|awful|horrible|useless|rubbish|lousy)"
    r" (?:mother|father|parent|mum|mom|dad|person|wife|husband|friend|son|daughter)\b",
    r"\bhow could you (?:do|say|let|even)\b",
    rf"\b{_YOU_ARE} (?:so |just |really )?(?:disgusting|revolting|vile)\b",
    r"\bstop being (?:a |such a |the )?victim\b",
    r"\bvictim mentality\b",
    r"\b(?:doing|saying|did|said) (?:this|that|it) (?:just |only )?(?:for|to get) attention\b",
    r"\bget lost\b",
    r"\bpiss off\b",
    r"\byou disgust me\b",
    r"\bno wonder (?:she|he|they) (?:left|leaves|dumped)\b",
    r"\b(?:nobody|no one) (?:likes|wants|loves|cares about) you\b",
    r"\ba you (?:problem|thing|issue)\b",
    r"\b(?:sounds like|that's|thats|that is|it's|its|it is) a personal problem\b",
    rf"\b{_IT_IS} (?:so |really |pretty |just )?irresponsible\b(?! of (?:him|her|them))",
    r"\bhow could you(?:[.!?]|$)",
    r"\bi can(?:'t|t|not) believe you (?:would|could) (?:do|say) that\b",
    r"\bboo ?hoo\b",
    r"\bget a life\b",
    r"\bplay(?:ing|s)? the victim\b",
    r"\byou (?:just |only )?want (?:attention|sympathy|pity)\b",
    r"\b(?:^|(?<=[.!?,] ))(?:honestly,? |well,? |frankly,? )?(?:nobody|no one) cares"
    r"(?:[.!?,]|$| what you| about (?:you|your|it|that))",
    r"\bwhy would (?:anyone|anybody|someone|somebody) (?:want to |wanna )?(?:be (?:around|with)"
    r"|hang (?:out )?(?:around|with)|date|marry|listen to|put up with|love|like|care about) you\b",
    r"\b(?:that's|thats|that is|how|so) (?:so |just |really |honestly |frankly )?pathetic\b",
    *MOCKERY_PATTERNS,
)
"""Insults and contempt aimed at the person (regular expressions on normalised text), with
the mockery of :data:`pixel_assets.counselling_dismissals.MOCKERY_PATTERNS` ("lol okay",
"are you done?")."""

VALIDATION_PATTERNS: tuple[str, ...] = (
    rf"\b{_YOU_ARE} not (?:over ?reacting|being (?:dramatic|silly|weak|selfish|too sensitive)"
    r"|weak|crazy|alone|a burden|making (?:it|this) up|imagining (?:it|this|things)|broken"
    r"|too sensitive|to blame)\b",
    rf"\byou {_DONT} (?:have|need) to (?:get over|be okay|be ok|be strong|have it all|go through"
    r"|move on|apologi[sz]e|pretend|justify|earn|feel better)\b",
    r"\b(?:nobody|no one) (?:expects|is asking|needs) you to\b",
    r"\b(?:that's|thats|that is|it's|its|it is) (?:completely |totally |so |very |entirely "
    r"|perfectly )?(?:understandable|valid|normal|natural|human|okay to feel|ok to feel)\b",
    r"\banyone (?:would|could) (?:feel|be|struggle|find)\b",
    rf"\b(?:of course|no wonder) (?:you|{_YOU_ARE}|you feel|you felt)\b",
    r"\b(?:it's|its|it is) (?:okay|ok|alright|all right) (?:to|if you) (?:feel|cry|be|not|take"
    r"|grieve|miss)\b",
    r"\bthere(?:'s| is|s) no (?:right|wrong|correct) way to (?:grieve|feel|heal|cope)\b",
    r"\byour (?:feelings|reaction|grief|anger|sadness) (?:is|are|makes?) (?:valid|sense"
    r"|understandable|real)\b",
    rf"\bwhat {_YOU_ARE} (?:feeling|going through) is (?:real|valid|understandable|normal)\b",
    # Grief has no deadline: "there's no timeline for grief", "three weeks is no time at all".
    r"\bthere(?:'s| is|s) no (?:timeline|deadline|time limit|schedule|right amount of time)"
    r" (?:for|on|to) (?:grief|grieving|this|healing|losing)\b|\bis no time at all\b"
    r"|\bgrief (?:doesn(?:'t|t)|does not) (?:work on|have|follow) a (?:schedule|timeline"
    r"|deadline|clock)\b",
    rf"\b(?:no need to|you {_DONT} need to|you shouldn(?:'t|t)|you never have to) feel"
    r" (?:guilty|ashamed|embarrassed|bad) (?:about|for|of)\b",
)
"""Validating the person's feeling ("you're not overreacting", "anyone would feel that way"):
an emotional reaction in the EPITOME sense, read by the feature stage and the scorer."""

# Words before a match that negate it ("you're not overreacting", "you don't have to get over
# it") or report someone else's words or the person's own belief ("you feel like you're a
# burden", "your dad told you to toughen up"). Matched against the start of the sentence up
# to the match, so only words in the same sentence count.
_NOT_AFFIRMED = re.compile(
    r"(?:\bnot|\bnever|n't|nt)(?: (?:just|being|really|at all|so|too|a bit|that|always"
    r"|necessarily|even))? ?$"
    r"|(?:"
    rf"\b(?:{_DONT}|doesn't|doesnt|does not|won't|wont|will not|shouldn't|shouldnt"
    r"|should not|never) (?:(?:have|has|want you|expect you|ask you|tell you) to|needs?(?: to)?)"
    r"|\b(?:not|never) (?:going to|gonna) (?:tell|ask) you to"
    r"|\bno need to|\b(?:nobody|no one|no-one)(?:'s|s| is)? (?:expects|expecting|asking"
    r"|wants|needs|saying|telling you)(?: you)?(?: to| that)?"
    r"|\bpretend(?:s|ed|ing)?(?: (?:that|like|to be))?"
    # "Where did you learn that you have to be strong?", "in your family, men don't cry".
    r"|\b(?:learn(?:ed|t|ing)?|taught|who (?:told|says|said)(?: you)?|the (?:idea|message|belief"
    r"|rule))(?: that)?|\b(?:in your (?:family|house|home|culture|community|world)|growing up"
    r"|where you grew up),?"
    # "Being told to cheer up hurts", "you had to just get on with it", "it's not as simple
    # as just stop drinking".
    r"|\b(?:being|been|was|were|get|got|getting|gets) (?:told|called|labell?ed|accused of)"
    r"|\bgrew up (?:hearing|being told)|\byou(?:'ve|ve| have)? had to"
    r"|\bto (?:feel|think|believe)(?: like| that| as if| as though)?"
    r"|\b(?:not|isn't|isnt) (?:as |that |so )?(?:simple|easy) as"
    rf"|\bi {_DONT} think|\bi wouldn(?:'t|t) say|\bi(?:'m|m| am) not (?:saying|telling|asking)"
    r"|\byou(?:'ve|'re| are| have| were| had)? ?(?:(?:might|may|could|would|probably|sometimes"
    r"|often|still|also) )?(?:been )?(?:feel|feeling|felt|think|thinking"
    r"|thought|believe|believing|worry|worried|worrying|afraid|scared|say|said|saying|told|hear"
    r"|heard|hearing|convinced|tell yourself|telling yourself|keep telling yourself|wonder"
    r"|wondering|wondered|ask yourself|asking yourself|asked yourself|fear|feared|hope|hoping"
    r"|accused of|called|take comfort|find comfort|grew up hearing|grew up being told)"
    r"(?: (?:like|that|as if|as though))?"
    r"|\b(?:people|someone|somebody|they|he|she|others|everyone|your \w+|my \w+)"
    r" (?:(?:might|may|would|could|will|often|sometimes) )?"
    r"(?:told|tells|tell|keeps? telling|kept telling|say|said|says|keeps? saying|kept saying"
    r"|used to (?:say|tell)|think|thinks|thought|call|calls|called)"
    r"(?: you)?(?: that| to)?"
    # "it can feel like nobody cares", "it must seem as if you're a burden".
    r"|\b(?:it|that|this) (?:can |could |might |may |must |would |probably )?"
    r"(?:feel|feels|felt|seem|seems|seemed)(?: like| as if| as though)?"
    r")(?: \S+){0,4} ?$"
)
# Words after a match that report it: "'it could be worse' is what people keep saying",
# "'that's life,' he said". Only a comma or quote may come between.
_REPORTED_AFTER = re.compile(
    r"[\"']?,?[\"']? ?(?:(?:is|was|are|were) (?:all |just |exactly )?what )?"
    r"(?:(?:people|everyone|everybody|they|he|she|someone|others|your \w+|my \w+)"
    r" (?:keeps? |kept |always |would |used to )?(?:say|says|said|saying|tell|tells|told"
    r"|telling)|you(?:'ve| have)? (?:been )?(?:told|hear|heard|keep hearing))\b"
)
# Sentence ends and ", but": "I'm not sure, but you're overreacting" is not negated.
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|,? but ")


def normalise(text: str | None) -> str:
    """Lower-case, straight apostrophes, single spaces (keeps ``?`` and sentence marks)."""
    if not text:
        return ""
    return " ".join(str(text).translate(_APOSTROPHES).lower().split())


def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    r"""One alternation of ``patterns`` (None for none); raises ``re.error`` on a bad one.

    The patterns that start with ``\b`` share one ``\b(?:...)`` group: the same matches, but
    a position inside a word is then rejected once instead of once per pattern, which made
    matching the ~170 invalidation patterns 3x faster. Inside it they are grouped by the
    character their match can start with (read from the parsed pattern; a pattern that can
    start anywhere joins every group), each group in the original order, so a word is tried
    against at most 75 of the 262 invalidation patterns instead of all of them: the same
    matches, 2.7x faster. Sentence-initial patterns say so with a lookbehind,
    ``\b(?:^|(?<=[.!?] ))``, rather than by matching the ". " before them, so they join the
    group too.
    """
    if not patterns:
        return None
    for p in patterns:
        re.compile(p)  # name the bad pattern itself in the error
    at_word = [p[2:] for p in patterns if p.startswith(r"\b")]
    others = [p for p in patterns if not p.startswith(r"\b")]
    branches = [f"(?:{p})" for p in others]
    if at_word:
        branches.insert(0, r"\b(?:" + alternation_by_first_char(at_word) + ")")
    return re.compile("|".join(branches))


def affirmed(pattern: re.Pattern[str] | None, text: str) -> bool:
    """Whether ``pattern`` matches normalised ``text`` anywhere the sentence's earlier words
    neither negate nor report it, nor the words right after report it (see
    :data:`_NOT_AFFIRMED` and :data:`_REPORTED_AFTER`)."""
    if pattern is None:
        return False
    for match in pattern.finditer(text):
        before = text[: match.start()]
        breaks = list(_SENTENCE_BREAK.finditer(before))
        sentence = before[breaks[-1].end():] if breaks else before
        if not (_NOT_AFFIRMED.search(sentence) or _REPORTED_AFTER.match(text, match.end())):
            return True
    return False


INVALIDATION = compile_patterns(INVALIDATION_PATTERNS)
VALIDATION = compile_patterns(VALIDATION_PATTERNS)
INSULT = compile_patterns(INSULT_PATTERNS)
