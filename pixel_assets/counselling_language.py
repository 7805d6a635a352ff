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

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})

_YOU_ARE = r"you(?:'re|re| are)"
_IT_IS = r"(?:it|that|this)(?:'s|s| is)"
_DONT = r"(?:don't|dont|do not)"
_PERSON = r"(?:dad|mom|mum|father|mother|parents?|grandma|grandpa|grandmother|grandfather|" \
    r"dog|cat|pet|friend|husband|wife|partner|brother|sister|son|daughter|child|kid|baby)"

INVALIDATION_PATTERNS: tuple[str, ...] = (
    # getting over it, rushing
    r"\b(?:just )?get over (?:it|this|that|him|her|them)\b",
    r"\b(?:just )?deal with it\b",
    r"\bsuck it up\b",
    r"\bget a grip\b",
    r"\bpull yourself together\b",
    r"\bsnap out of it\b",
    r"\b(?:man|toughen|cheer) up\b",
    r"\bcalm down\b",
    r"\bchill out\b",
    r"\bmove on\b",
    # "It's hard to let it go" is a reflection: only the instruction counts.
    r"(?:^|[.!?] |\bjust |\bneed to |\bhave to |\bgot to |\bgotta |\bshould |\btime to )"
    r"(?:let it go|put it behind you)\b",
    r"\b(?:be|have gotten|have got|get) over (?:it|this|that|him|her|them) by now\b",
    r"\bshould (?:be|have gotten|have got) over (?:it|this|that|him|her|them)\b",
    # judging the feeling
    r"\bstop (?:complaining|whining|moaning|crying|sulking|dwelling|moping|being so"
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
    rf"\b{_IT_IS} (?:a bit |so |kind of |pretty |rather |really |a little )?"
    r"(?:dramatic|boring)\b",
    r"\bboring (?:to listen|listening|to hear|hearing)\b",
    r"\bin your head\b",
    rf"\b{_YOU_ARE} imagining (?:it|things|that)\b",
    r"\byou(?: really)? shouldn(?:'t|t) (?:feel|be (?:sad|upset|angry|scared|worried))\b",
    # minimising and comparing
    r"\b(?:every ?body|every ?one|we all) (?:has|have|goes through|go through|feels|gets"
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
    r"\bat least (?:he|she|they|it)(?:'s|s| is| was| were| had| didn't| didnt)\b",
    r"\b(?:it's|its|it is) (?:not|nothing) (?:that bad|to worry about)\b",
    r"\bno (?:reason|point|need|use) (?:to|in) (?:feel|worry|cry|be upset|be sad|getting upset)",
    r"\bnothing to (?:cry|be upset|be sad|be scared|be afraid|be worried|worry) about\b",
    r"\b(?:crying|worrying|being sad|being upset|feeling sorry)"
    r" (?:won't|wont|will not|doesn't|doesnt|does not|isn't going to|is not going to)"
    r" (?:help|change|fix|bring)\b",
    r"\b(?:that's|thats|that is) (?:just )?life\b",
    r"\blife goes on\b",
    r"\bit is what it is\b",
    r"\bwhat doesn(?:'t|t) kill you\b",
    r"\bnot the end of the world\b",
    r"\btime heals\b",
    r"\bgod (?:doesn(?:'t|t)|won(?:'t|t)|does not|will not|never) gives? (?:us|you|anyone)"
    r" more\b",
    r"\b(?:just )?pray (?:about it|it away|harder)\b",
    rf"\b{_YOU_ARE} (?:so |really )?lucky (?:to|that)\b",
    rf"\b{_YOU_ARE} too old (?:to be|for)\b",
    r"\b(?:thicker|thick) skin\b",
    r"\btry harder\b",
    # toxic positivity
    r"\blook on the bright side\b",
    r"\bsilver lining\b",
    r"\beverything happens for a reason\b",
    # As advice only: "it's hard to stay positive" is a reflection.
    r"(?:\bjust |\bshould |\bneed to |\bmust |\btry to |\bhave to |\bgotta |^|[.!?,] )"
    r"(?:think|stay|be) positive\b",
    r"\bgood vibes\b",
    r"\bcount your blessings\b",
    r"(?:\bjust |\bshould |\bneed to |\bmust |\btry to |\bhave to |^|[.!?,] )"
    r"be (?:more )?grateful\b",
    r"\byou(?:'ll|ll| will) be (?:just )?fine\b",
    rf"\b{_YOU_ARE} (?:totally |perfectly |just )?fine\b(?! to| with| if| as)",
    rf"\b{_DONT} worry about it\b",
    r"\bhave you tried (?:not|just not) (?:thinking|worrying|being|feeling|dwelling)\b",
    rf"\bjust (?:{_DONT}|stop) (?:think|thinking|worry|worrying|feel|feeling|dwell)\b",
    r"\bstop (?:thinking|worrying|dwelling) (?:about|on) it\b",
    # dismissing the person or the topic
    rf"\b(?:i|we) {_DONT} (?:really |actually )?have (?:the )?time for (?:this|that|you|your)\b",
    r"\bnot here to (?:listen to|hear|deal with)\b",
    r"\bwasting (?:my|our) time\b",
    r"(?:^|[.!?,] )who cares(?:[.!?,]|$)",
    rf"\bi {_DONT} (?:really )?care(?:[.!?]|$| about (?:this|that|it|your))",
    r"\bnot my problem\b",
    r"(?:^|[.!?,] )so what(?:[.!?]|$)",
    r"(?:^|[.!?,] )(?:(?:meh|pfft|eh|ugh)[,.]? )?whatever(?:[.!?,]|$)",
    r"^(?:meh|pfft)[.!?,]*$",
    r"\bnot this again\b",
    # "That's your problem, not mine" (not "it's your problem to solve", "yours too").
    r"\b(?:that's|thats|that is|it's|its|it is|sounds like) your (?:own )?(?:problem|issue"
    r"|lookout)\b(?! to\b| too\b| as well\b)",
    r"\bnext question\b",
    r"\bwhy are you telling me (?:this|that|all this)\b",
    r"\bhurry (?:up|it up)\b",
    r"\blet(?:'s|s| us) not make (?:this|it) about you\b",
    r"\bnobody (?:wants|needs|cares) to hear (?:that|this|it|about)\b",
    r"\b(?:it's|its|it is) your (?:own )?choice to feel\b",
    r"^(?:ok(?:ay)?|right|well|so|mm+|hmm)?[,.]? ?anyway\b",
    r"\b(?:let's|lets|can we|could we) (?:talk about something else|change the subject)\b",
    # Changing the subject to small talk, marked by "so" / "anyway" ("Mm-hmm. So, what did you
    # have for breakfast?"). Weekend plans are left out: "so, any plans this weekend? will
    # anyone be with you?" is safety planning.
    r"(?:^|[.!?] )(?:(?:mm+-?hmm+|ok(?:ay)?|right|well|cool|great|nice)[,.!]? )?"
    r"(?:so|anyway|anyways|by the way|on another note|changing the subject)[,.]? "
    r"(?:what did you (?:have|eat) for (?:breakfast|lunch|dinner|tea)"
    r"|how(?:'s|s| is| was) the weather|(?:did you )?(?:watch|see|catch) the (?:game|match"
    r"|football|news|race)|(?:seen|watched) any good (?:films|movies|shows|tv)"
    r"|what(?:'s| is|s) your favou?rite (?:food|colou?r|film|movie|show|band|song|team)"
    r"|where are you going on holiday)\b",
)
"""Minimising, rushing, dismissive or judging phrasing (regular expressions on normalised
text) that sets ``invalidation``. Rule-based: it flags the phrase, not the intent."""

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
    r"\bget lost\b",
    r"\bpiss off\b",
    r"\byou disgust me\b",
    r"\bno wonder (?:she|he|they) (?:left|leaves|dumped)\b",
    r"\b(?:nobody|no one) (?:likes|wants|loves|cares about) you\b",
    r"\ba you problem\b",
    r"\bboo ?hoo\b",
    r"\bget a life\b",
    r"\bplay(?:ing|s)? the victim\b",
    r"\byou (?:just |only )?want (?:attention|sympathy|pity)\b",
    r"(?:^|[.!?,] )(?:honestly,? |well,? |frankly,? )?(?:nobody|no one) cares"
    r"(?:[.!?,]|$| what you| about (?:you|your|it|that))",
    r"\bwhy would (?:anyone|anybody|someone|somebody) (?:want to |wanna )?(?:be (?:around|with)"
    r"|hang (?:out )?(?:around|with)|date|marry|listen to|put up with|love|like|care about) you\b",
    r"\b(?:that's|thats|that is|how|so) (?:so |just |really |honestly |frankly )?pathetic\b",
)
"""Insults and contempt aimed at the person (regular expressions on normalised text)."""

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
)
"""Validating the person's feeling ("you're not overreacting", "anyone would feel that way"):
an emotional reaction in the EPITOME sense, read by the feature stage and the scorer."""

# Words before a match that negate it ("you're not overreacting", "you don't have to get over
# it") or report someone else's words or the person's own belief ("you feel like you're a
# burden", "your dad told you to toughen up"). Matched against the start of the sentence up
# to the match, so only words in the same sentence count.
_NOT_AFFIRMED = re.compile(
    r"(?:\bnot|\bnever|n't|nt)(?: (?:just|being|really|at all|so|too|a bit|that))? ?$"
    r"|(?:"
    rf"\b(?:{_DONT}|doesn't|doesnt|does not|won't|wont|will not|shouldn't|shouldnt"
    r"|should not|never) (?:(?:have|has|want you|expect you|ask you|tell you) to|needs?(?: to)?)"
    r"|\b(?:not|never) (?:going to|gonna) (?:tell|ask) you to"
    r"|\bno need to|\bnobody (?:expects|is asking|wants) you to"
    r"|\bno one (?:expects|is asking|wants) you to"
    rf"|\bi {_DONT} think|\bi wouldn(?:'t|t) say|\bi(?:'m|m| am) not (?:saying|telling|asking)"
    r"|\byou(?:'ve|'re| are| have)? ?(?:been )?(?:feel|feeling|felt|think|thinking|thought"
    r"|believe|believing|worry|worried|worrying|afraid|scared|say|said|saying|told|hear"
    r"|heard|hearing|convinced|tell yourself|telling yourself|keep telling yourself)"
    r"(?: (?:like|that|as if|as though))?"
    r"|\b(?:people|someone|somebody|they|he|she|others|everyone|your \w+|my \w+)"
    r" (?:(?:might|may|would|could|will|often|sometimes) )?"
    r"(?:told|tells|tell|keeps? telling|kept telling|say|said|says)"
    r"(?: you)?(?: that| to)?"
    # "it can feel like nobody cares", "it must seem as if you're a burden".
    r"|\b(?:it|that|this) (?:can |could |might |may |must |would |probably )?"
    r"(?:feel|feels|felt|seem|seems|seemed)(?: like| as if| as though)?"
    r")(?: \S+){0,4} ?$"
)
# Sentence ends and ", but": "I'm not sure, but you're overreacting" is not negated.
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|,? but ")


def normalise(text: str | None) -> str:
    """Lower-case, straight apostrophes, single spaces (keeps ``?`` and sentence marks)."""
    if not text:
        return ""
    return " ".join(str(text).translate(_APOSTROPHES).lower().split())


def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of ``patterns`` (None for none); raises ``re.error`` on a bad one."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def affirmed(pattern: re.Pattern[str] | None, text: str) -> bool:
    """Whether ``pattern`` matches normalised ``text`` anywhere the sentence's earlier words
    neither negate nor report it (see :data:`_NOT_AFFIRMED`)."""
    if pattern is None:
        return False
    for match in pattern.finditer(text):
        before = text[: match.start()]
        breaks = list(_SENTENCE_BREAK.finditer(before))
        sentence = before[breaks[-1].end():] if breaks else before
        if not _NOT_AFFIRMED.search(sentence):
            return True
    return False


INVALIDATION = compile_patterns(INVALIDATION_PATTERNS)
VALIDATION = compile_patterns(VALIDATION_PATTERNS)
INSULT = compile_patterns(INSULT_PATTERNS)
