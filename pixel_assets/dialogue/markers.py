"""Counselling-language markers: rule-based cues read from (ASR) text.

Used by role inference (who asks, reflects and speaks in the second person) and by the
offline exchange scorer (empathy levels, invalidation, blaming, stigma, directives). They are
approximations, documented here so a reviewer can see why a reply scored as it did:

- **Questions**: a ``?`` or a clause opening with an interrogative (ASR output often drops the
  question mark). **Open** questions ask what/how/why or "tell me more".
- **Empathy, EPITOME-style** (Sharma et al. 2020, three mechanisms, levels 0/1/2):
  emotional reaction ("that sounds painful" or validating the feeling, "you're not
  overreacting" = 2; "I see"/"I understand" = 1), interpretation
  (a reflection naming a feeling, "it sounds like you feel ashamed" = 2; a reflection without a
  feeling word = 1), exploration (a specific open question about the person's experience,
  "how has that been affecting you" = 2; any other question = 1). Feeling words come from the
  NRC emotion lexicon (in the ``nrclex`` wheel) plus a few everyday words it lacks.
- **Invalidation/minimising** ("just get over it", "other people have it worse", "you should be
  over it by now") and **insults** come from the shared lexicon in
  :mod:`pixel_assets.counselling_language`, which ignores negated or reported phrasing ("you're
  not overreacting", "you feel like you're a burden"); **blaming** ("it's your own fault"),
  **stigmatising language** ("crazy", "psycho", "committed suicide"), read the same way, and
  **directives** ("you
  should", "just stop", imperatives); a directive is *unsolicited* when the prompt did not ask
  for advice ("what should I do").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pixel_assets.counselling_language import (
    INSULT,
    INVALIDATION,
    VALIDATION,
    affirmed,
    compile_patterns,
    normalise,
)

__all__ = ["TextMarkers", "feeling_words", "normalise", "text_markers"]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# "you're", "youre" and "you are" all appear in ASR text.
_YOU_ARE = r"you(?:'re|re| are)"
_I_AM = r"i(?:'m|m| am)"

QUESTION = _rx(
    r"\?|(?:^|[.!,;]\s*)(?:what|how|why|when|where|who|which|whats|hows)\b"
    r"|(?:^|[.!,;]\s*)(?:do|does|did|are|is|was|were|can|could|would|will|have|has|should)"
    r" (?:you|it|that|they|he|she|we)\b|\btell me (?:more|about)\b|\bi wonder\b"
)
OPEN_QUESTION = _rx(
    r"(?:^|[.!,;]\s*)(?:what|how|why|whats|hows)\b|\btell me (?:more|about)\b"
    r"|\bcan you (?:tell|say|describe)\b|\bcould you (?:tell|say|describe)\b"
)
REFLECTION = _rx(
    r"\b(?:it |that )?sounds? like\b|\bit (?:seems|sounds) (?:like|as if|as though|that)\b"
    rf"|\b{_YOU_ARE} (?:feeling|carrying|dealing with|going through|struggling|worried|"
    r"scared|afraid|angry|hurt|exhausted|overwhelmed|frustrated|lonely|anxious|tired)\b"
    r"|\byou (?:feel|felt|seem|sound)\b|\bwhat i(?:'m|m| am) hearing\b|\bif i understand\b"
    r"|\bso (?:you|the|it|that|for you)\b|\byou(?:'ve| have) been\b|\byou(?:'re| are) saying\b"
)
EMOTIONAL_REACTION_STRONG = _rx(
    r"\bthat (?:sounds|seems|must be|must have been) (?:really |so |very |incredibly )?"
    r"(?:hard|painful|difficult|tough|overwhelming|scary|frightening|exhausting|frustrating|"
    r"lonely|heavy|awful|upsetting|distressing|heartbreaking)\b"
    rf"|\b{_I_AM} (?:so |really |very )?sorry\b|\bthank you for (?:telling|sharing|trusting)\b"
    r"|\bthat must (?:be|have been)\b|\bi can (?:imagine|only imagine|see why|hear how)\b"
    r"|\bit makes sense\b|\bunderstandable\b|\bi(?:'m|m| am) glad you\b"
    rf"|\b{_YOU_ARE} not alone\b|\bthat(?:'s| is) (?:really |so )?(?:hard|painful|a lot)\b"
)
EMOTIONAL_REACTION_WEAK = _rx(
    r"\bi (?:see|understand|hear you|get it)\b|\bokay\b|\bmm+\b|\bi know\b"
)
EXPLORATION_STRONG = _rx(
    r"\btell me more\b|\bcan you (?:tell|say) (?:me )?(?:a bit |a little )?more\b"
    r"|\bwhat (?:was|is|has) (?:that|it) (?:been )?like\b"
    r"|\bhow (?:did|does|do|has|have|is|was) (?:that|it|this|those|these)\b"
    r"|\bwhat do you (?:think|feel|mean|notice)\b|\bwhat (?:helps|happened|goes through)\b"
    r"|\bhow (?:are|were|have) you (?:feeling|coping|managing|doing)\b|\bmore about\b"
)
FIRST_PERSON = _rx(r"\b(?:i|i'm|im|me|my|mine|myself|i've|ive|i'd|i'll)\b")
SECOND_PERSON = _rx(r"\b(?:you|your|yours|yourself|you're|youre|you've|you'd|you'll)\b")

BLAMING = _rx(
    r"\b(?:it(?:'s| is)|that(?:'s| is)) (?:all )?your (?:own )?fault\b"
    r"|\byou brought (?:this|it|that) on yourself\b|\byou(?: only)? have yourself to blame\b"
    r"|\bwhat did you expect\b|\byou deserved? (?:it|this|that)\b|\byou asked for it\b"
    r"|\byou should have known\b|\byour own doing\b|\byou made (?:this|that|it) happen\b"
    r"|\byou chose (?:this|that|it)\b"
    # "You chose to stay with him" blames; "you chose to stay to protect the kids" and "you
    # chose to leave" do not.
    r"|\byou chose to (?:stay|keep seeing (?:him|her|them)|(?:go|get) back (?:to|with) (?:him|her"
    r"|them)|drink|use|(?:trust|believe|marry|be with|date|move in with) (?:him|her|them))\b"
    r"(?!.{0,40}\b(?:protect|safe|for (?:your|the) (?:kids|children)|because|courage|strength"
    r"|brave))"
    r"|\byourself to thank\b"
    rf"|\byou did (?:this|it|that) to yourself\b|\b{_YOU_ARE} to blame\b"
    r"|\b(?:that's|thats|that is|that one's|that ones|it's|its|it is) (?:all )?on you\b(?! to\b)"
    r"|\b(?:asking|asked) for (?:it|trouble)\b|\breap what you sow\b"
    r"|\bactions have consequences\b|\btakes two to tango\b|\bmade your (?:own )?bed\b"
    r"|\bthat's what you get\b|\bthats what you get\b|\bcommon denominator\b"
    r"|\byou must have done something\b|\bwhat were you wearing\b"
    r"|\bwhat did you do to (?:make|provoke|upset|annoy|deserve|set)\b"
    r"|\byou (?:must have |probably |obviously )?provoked (?:him|her|them|it)\b"
    r"|\byou let (?:it|this|that|him|her|them) (?:happen|treat you|do (?:that|this|it) to you"
    r"|walk all over you|get away)\b"
    # Not "you shouldn't have had to go through that", "shouldn't have been treated like that".
    r"|\byou shouldn(?:'t|t) have (?:gone|been (?:drinking|out|there|alone with)|worn|drunk"
    r"|trusted|stayed|walked|dressed|got in|gone back|let (?:him|her|them))\b"
    r"|\bwhy didn(?:'t|t) you (?:just )?(?:leave|say no|tell (?:someone|anyone)|fight back"
    r"|report it|call the police|stop (?:him|her|it)|walk away|go to the police)\b"
    r"|\byou could (?:have|'ve|ve|of) (?:just )?(?:left|said no|walked away|stopped (?:it|him|her)"
    r"|fought back)\b"
    r"|\b(?:nobody|no one) (?:made|forced) you(?: to)?(?: do (?:it|that|this)| stay| go back"
    r"| drink| take| use| marry| date|[.!?]|$)"
    r"|\byou knew (?:what you were getting into|the risks|better)\b"
    r"|\b(?:should|ought to) (?:have )?know(?:n)? better\b|\bold enough to know better\b"
    r"|\b(?:no ?one|nobody|no body) to blame but yourself\b"
    r"|\bwhat were you thinking,? (?:going|getting|trusting|marrying|staying|letting|drinking)\b"
    r"|\bwhy (?:did|would) you (?:ever |even )?(?:go back to|stay with|trust|marry|date|let)"
    r" (?:him|her|them)\b"
    r"|\bstop blaming (?:everyone|everybody|other people|others|the world)\b"
    r"|\byou (?:just |secretly |clearly |must )?(?:love|like|enjoy) (?:the drama|drama|being"
    r" (?:miserable|sad|unhappy|a victim|depressed|upset))\b"
    r"|\byou (?:just |secretly |clearly )?want to be (?:miserable|unhappy|sad|a victim|depressed)\b"
    r"|\byou(?:'re|re| are)? (?:choosing|choose|chose) to (?:be|feel|stay) (?:miserable|unhappy|sad"
    r"|depressed|angry|upset|anxious|this way|like this|that way)\b"
    rf"|\b{_YOU_ARE} the (?:problem|reason)\b|\bbecause you (?:always|never)\b"
    r"|\bif you (?:had|hadn(?:'t|t)) .{0,40}\b(?:wouldn(?:'t|t)|would not|would never)\b"
    # "If you really wanted to get better you would."
    r"|\bif you (?:really|truly|actually|honestly) wanted (?:to|it)\b.{0,40}\byou(?:'d|d| would)\b"
    r"|\byou(?:'d|d| would) (?:have )?(?:be|get|got|gotten|done|change|changed)\b.{0,30}"
    r"\bif you (?:really|truly|actually) (?:wanted|tried|cared)\b"
)
STIGMA_PATTERNS: tuple[str, ...] = (
    r"\b(?:crazy|psycho|psychotic|nuts|insane|lunatic|loony|nutcase|basket case|mental case"
    r"|schizo|retard|retarded|junkie|nutter|attention[- ]?seek(?:er|ing)|drama queen)\b",
    r"\bnuthouse|madhouse|funny farm|psych ward\b",
    r"\bcommit(?:ted|s)? suicide\b|\bsuicide is (?:selfish|cowardly)\b",
    r"\b(?:suicide|killing yourself|ending (?:your life|it all|it)) (?:is|would be) (?:so |really"
    r" |just |pretty )?(?:selfish|cowardly)\b|\bcoward(?:'s|s)? way out\b",
    rf"\b{_YOU_ARE} (?:just |being |so |really |too |such a |a bit )*(?:weak|selfish|broken)\b",
    # "That's selfish", not "that's selfish of him" about someone who hurt them.
    r"\b(?:that's|thats|that is) (?:so |really |pretty |just )?selfish\b(?! of (?:him|her|them))",
    # "Depression is just laziness", "addicts never change" (not "addiction is not a choice").
    r"\b(?:depression|anxiety|ptsd|adhd|ocd|mental illness|addiction)"
    r" (?:isn't|isnt|is not|aren't|arent|are not) (?:real|a real (?:thing|illness|disease))\b",
    r"\b(?:depression|anxiety|mental illness|addiction|adhd|ptsd) (?:is|are) (?:just |only "
    r"|really |all )?(?:laziness|lazy|an excuse|a weakness|weakness|a choice|a phase|made up"
    r"|in your (?:head|mind)|attention seeking)\b",
    r"\bonce an? (?:addict|alcoholic|junkie|drunk) always\b",
    r"\b(?:addicts|alcoholics|junkies|drunks|people like you|you people) (?:never|don't|dont"
    r"|do not|can't|cant|cannot|won't|wont) (?:change|get better|recover|get well|stop)\b",
    r"\b(?:belong|should be|need to be|ought to be) (?:locked up|in (?:a |the )?(?:psych ward"
    r"|mental (?:hospital|institution|asylum|home)|asylum|nuthouse|loony bin|madhouse))\b",
    # "You're mental" (ASR also writes "you're mental health" for "your mental health").
    rf"\b(?:{_YOU_ARE}|are you) (?:just |completely |totally )?mental\b"
    r"(?! health| state| illness| well)",
    # A diagnosis used as an insult ("you're acting so bipolar"), not named as a condition
    # ("your OCD makes mornings hard"): only after "acting", "being", "so", "such a".
    rf"\b{_YOU_ARE} (?:just |really )?(?:(?:acting|being) (?:so |such an? )?|so |such an? "
    r"|a total |a complete )(?:bipolar|ocd|schizophrenic|psychotic|mental|paranoid|hysterical)\b",
    rf"\b{_YOU_ARE} (?:just |really )?(?:such )?(?:an addict|a drunk|an alcoholic|a junkie)\b",
    r"\btypical (?:woman|women|man|men|girl|girls|boy|boys)\b",
    r"\b(?:men|boys|real men|grown (?:men|adults|ups)|grown-ups|adults) (?:don't|dont|do not)"
    r" cry\b",
    # Gender stereotypes about feelings: "men your age shouldn't be crying like this", "you cry
    # like a girl", "as a man you should be able to handle this" (not "men are often told not
    # to cry", "some men can't cry after a loss", "you're a grown man who just lost his dad").
    r"\b(?:men|guys|blokes|lads|boys|a (?:grown )?(?:man|guy|bloke|lad|woman)|grown (?:men|women)"
    r"|real men|women|girls)(?: (?:of |at )?your age| like you)? (?:shouldn(?:'t|t)|should not"
    r"|don(?:'t|t)|do not|doesn(?:'t|t)|does not|mustn(?:'t|t)|(?:are|is)(?:n't|nt| not)"
    r" (?:supposed|meant) to|ain(?:'t|t) supposed to) (?:be )?(?:cry|crying|get (?:emotional"
    r"|upset)|be emotional|show (?:their |your )?(?:feelings|emotions|weakness)|break down"
    r"|fall apart|talk about (?:their |your )?feelings)\b",
    r"\b(?:cry|crying|cries|sob|sobbing|whine|whining|act|acting) like (?:a |some )?(?:little )?"
    r"(?:girl|woman|schoolgirl)\b",
    rf"\b{_YOU_ARE} a grown (?:man|woman)\b(?![,.]? (?:and|who|but|with|allowed|can|whose))",
    r"\ba grown (?:man|woman) (?:like you )?(?:crying|cries|sobbing)\b",
    r"\b(?:women|girls|men|boys) (?:(?:are|get|always|just|all) )*(?:always|just|so|too|such)"
    r" (?:(?:so|too|really|such) )?(?:emotional|dramatic|hysterical|irrational|hormonal"
    r"|crybabies|cry babies)\b",
    rf"\b(?:{_YOU_ARE} (?:such a (?:girl|little girl)|a sissy|a big girl(?:'s|s)? blouse)"
    r"|(?:don(?:'t|t) be|stop being) (?:such )?(?:a )?(?:girl|little girl|sissy"
    r"|big girl(?:'s|s)? blouse))\b",
    r"\b(?:crying|tears|feelings|emotions) (?:is|are) (?:for|what) (?:girls|women|babies"
    r"|little girls|sissies)\b",
    r"\b(?:only|just) (?:girls|women) (?:cry|get (?:emotional|upset))\b",
    r"\b(?:that(?:'s|s| is)|it(?:'s|s| is)|so|how|bit) (?:a )?(?:girly|girlie|unmanly)\b"
    r"|\bnot (?:very )?manly\b",
    r"\b(?:real men|a real man) (?:just )?(?:get on with it|deal with it|suck it up|handle it"
    r"|keep it together|don(?:'t|t) complain)\b"
    r"|\b(?:men|a man|blokes|lads) (?:just )?(?:suck it up|don(?:'t|t) complain)\b"
    r"|\b(?:women|girls) cry,? (?:men|boys|lads|blokes) (?:just )?(?:get on with it|deal with it"
    r"|don(?:'t|t))\b",
    r"\bas a man,? you (?:should|need to|have to|ought to|gotta|must)\b",
    r"\b(?:a )?(?:man|men|guy|lad|bloke)(?: of| at)? your age (?:should|ought to|needs? to|has to"
    r"|must) (?:be able to )?(?:cope|handle|deal|manage|be (?:strong|tougher|over))",
    rf"\b{_YOU_ARE} the man of the (?:house|family)\b",
    rf"\b{_YOU_ARE} (?:just |probably |being )+hormonal\b"
    r"|\b(?:is it|must be|probably|it(?:'s|s) just) (?:that |your )?time of the month\b",
)
"""Stigmatising language about mental illness, suicide, addiction and gender (regular
expressions on normalised text), one alternation through :func:`compile_patterns`."""
STIGMA = compile_patterns(STIGMA_PATTERNS)
DIRECTIVE = _rx(
    r"\byou (?:should|need to|have to|must|ought to|gotta|better)\b"
    r"|\b(?:just|simply) (?:go|do|try|stop|start|get|be|tell|quit|leave|ignore|forget)\b"
    r"|\bwhy don(?:'t|t) you\b|\bmy advice\b|\bif i were you\b"
    r"|(?:^|[.!;]\s*)(?:go|stop|start|quit|leave|get|take|call|exercise|sleep|eat|drink|"
    r"forget|ignore|tell)\b"
)
ASKS_FOR_ADVICE = _rx(
    r"\bwhat (?:should|can|could|do) i do\b|\bwhat should i\b|\bany (?:advice|tips|ideas)\b"
    r"|\bhow (?:do|can|should) i\b|\bwhat would you (?:do|suggest|recommend)\b"
    r"|\bshould i\b|\bhelp me (?:figure|decide|work out)\b|\bwhat do you (?:suggest|recommend)\b"
)

# Everyday feeling words the NRC lexicon lacks (it is a word-emotion association list).
_EXTRA_FEELINGS = frozenset(
    "sad scared afraid alone stressed worried upset ashamed overwhelmed exhausted lost stuck "
    "numb empty nervous panicky trapped helpless hopeless drained isolated lonely".split()
)
_NRC_FEELINGS = frozenset({"anger", "fear", "sadness", "joy", "disgust", "negative"})
_WORD = re.compile(r"[a-z']+")


@cache
def feeling_words() -> frozenset[str]:
    """Words that name or carry a feeling: NRC emotion lexicon entries plus everyday extras."""
    import nrclex  # the lexicon ships inside the wheel

    path = Path(nrclex.__file__).parent / "data" / "nrc_en.json"
    lexicon: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    words = {w for w, tags in lexicon.items() if _NRC_FEELINGS.intersection(tags)}
    return frozenset(words | _EXTRA_FEELINGS)


@dataclass(frozen=True)
class TextMarkers:
    """Markers of one utterance (see the module docstring for each rule)."""

    is_question: bool
    is_open_question: bool
    is_reflection: bool
    emotional_reaction: int
    interpretation: int
    exploration: int
    first_person: int
    second_person: int
    invalidation: bool
    blaming: bool
    stigma: bool
    insult: bool
    directives: int
    asks_for_advice: bool
    n_words: int

    @property
    def empathy(self) -> float:
        """EPITOME levels combined into 0..1 (sum of the three levels / 6)."""
        return (self.emotional_reaction + self.interpretation + self.exploration) / 6.0


def text_markers(text: str | None) -> TextMarkers:
    """Compute every marker of one utterance."""
    t = normalise(text)
    words = _WORD.findall(t)
    is_question = bool(QUESTION.search(t))
    is_reflection = bool(REFLECTION.search(t))
    feelings = feeling_words()
    names_feeling = any(w in feelings for w in words)
    if EMOTIONAL_REACTION_STRONG.search(t) or VALIDATION.search(t):
        reaction = 2
    else:
        reaction = 1 if EMOTIONAL_REACTION_WEAK.search(t) else 0
    interpretation = (2 if names_feeling else 1) if is_reflection else 0
    if EXPLORATION_STRONG.search(t):
        exploration = 2
    else:
        exploration = 1 if is_question else 0
    return TextMarkers(
        is_question=is_question,
        is_open_question=bool(OPEN_QUESTION.search(t)),
        is_reflection=is_reflection,
        emotional_reaction=reaction,
        interpretation=interpretation,
        exploration=exploration,
        first_person=len(FIRST_PERSON.findall(t)),
        second_person=len(SECOND_PERSON.findall(t)),
        invalidation=affirmed(INVALIDATION, t),
        blaming=affirmed(BLAMING, t),
        stigma=affirmed(STIGMA, t),
        insult=affirmed(INSULT, t),
        directives=len(DIRECTIVE.findall(t)),
        asks_for_advice=bool(ASKS_FOR_ADVICE.search(t)),
        n_words=len(words),
    )
