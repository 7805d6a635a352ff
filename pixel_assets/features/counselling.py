"""Rule-based counselling markers: questions, EPITOME-style empathy, MI codes, invalidation.

These are transparent approximations, not trained classifiers. Each is a phrase rule on the
utterance's sentences (split at ``.``, ``!``, ``?``), so they are fast, explainable and
language-specific (English). A trained model (e.g. an EPITOME or MISC classifier) can be added
through the optional classifier backend (``clf_<label>`` columns).

- Questions: a sentence ending in ``?`` (or, for unpunctuated ASR text, starting with a question
  word), plus imperative prompts ("Tell me more about…"). *Open* when it starts with what / how
  / why / tell me / describe / …; *closed* otherwise (do/is/can… yes-no, who/when/where, how
  many/much/long/often).
- Empathy follows the three communication mechanisms of EPITOME (Sharma et al., 2020), each
  0 (none), 1 (weak, generic) or 2 (strong, specific):

  * emotional reaction: "I'm sorry" / "That's hard" (1); "I'm so sorry you…", "That must be
    really painful", or validating the feeling ("You're not overreacting", "Anyone would feel
    that way": ``counselling_language.VALIDATION_PATTERNS``) (2);
  * interpretation (statements only): "I understand" / "That makes sense" (1); "It sounds like
    you feel…", "You must feel…", "What I'm hearing is…" (2);
  * exploration (questions and prompts): a generic question to the listener ("What
    happened?") (1); an open question about the listener's experience of at least
    ``exploration_min_words`` words, or "Tell me more about…" (2).

  ``empathy`` = (sum of the three) / 6, times ``invalidation_empathy_factor`` when the utterance
  invalidates.
- ``mi_code`` (Motivational Interviewing, MITI-style), first match wins: ``reflection``
  (strong interpretation), ``advice`` ("you should", "have you tried", "I suggest"),
  ``open_question``, ``closed_question``, ``affirmation`` ("well done", "that took courage",
  "I like that idea"), else ``other``.
- ``invalidation``: minimising, rushing or dismissive phrasing ("just get over it", "other
  people have it worse", "you should be over it by now"), patterns in
  ``FeatureOptions.invalidation_patterns`` (default: the shared lexicon in
  :mod:`pixel_assets.counselling_language`); a negated or reported match ("you're not
  overreacting", "you feel like you're a burden") does not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd

from pixel_assets.counselling_language import VALIDATION, affirmed, compile_patterns, normalise
from pixel_assets.features.options import FeatureOptions

MI_CODES = ("reflection", "advice", "open_question", "closed_question", "affirmation", "other")
QUESTION_TYPES = ("open", "closed", "none")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LEADING_DISCOURSE = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|now|right|alright|then|also|um|uh)[,\s]+)+"
)
_WORD = re.compile(r"[a-z']+")
_YOU = re.compile(r"\b(you|your|yours|yourself|you're|you've|you'd|you'll)\b")

_OPEN_START = re.compile(
    r"^(what|how|why|tell me|describe|explain|walk me through|help me understand|say more|"
    r"in what way|could you (tell|say|describe)|can you (tell|say|describe)|would you (tell|say|"
    r"describe)|talk (to me )?about)\b"
)
_CLOSED_HOW = re.compile(r"^how (many|much|long|often|old|far|soon)\b")
_QUESTION_START = re.compile(
    r"^(what|how|why|who|whom|whose|when|where|which|do|does|did|is|are|was|were|am|can|could|"
    r"would|will|should|shall|have|has|had|may|might|isn't|aren't|don't|doesn't|didn't|won't)\b"
)
_PROMPT_START = re.compile(r"^(tell me|describe|walk me through|help me understand|say more)\b")

_ER_STRONG = re.compile(
    r"\bi(?: am|'m) (so|really|truly|very|deeply|terribly) sorry\b"
    r"|\bmy heart (goes out|breaks|is breaking)\b"
    r"|\b(that|this|it) (must|would|will) (be|have been|feel|have felt) (so |really |very |"
    r"incredibly |extremely )?(hard|painful|difficult|scary|frightening|overwhelming|"
    r"heartbreaking|exhausting|lonely|awful|devastating|tough|upsetting|frustrating|"
    r"distressing|stressful)\b"
    r"|\bi can(?:'t| not| only)? (only )?imagine how\b"
    r"|\bi(?: am|'m) (so |really )?(sad|heartbroken|moved|touched) (to hear|that|by)\b"
    r"|\bi feel (so |really )?(sad|sorry) (for|that|about)\b"
)
_ER_WEAK = re.compile(
    r"\bsorry\b|\boh no\b|\bthat sucks\b"
    r"|\b(that|this|it)(?:'s| is| sounds| seems| was)? (really |so |very |pretty )?(hard|tough|"
    r"difficult|rough|awful|terrible|painful|sad|scary|frustrating|stressful|exhausting|"
    r"upsetting)\b"
)
_IP_STRONG = re.compile(
    r"\b(it |that )?(sounds|seems|looks) (like|as if|as though) (you|you're|your)\b"
    r"|\bwhat i(?:'m| am)? hear(?:ing)? (is|you say)\b"
    r"|\byou(?:'re| are) (feeling|really feeling|struggling|carrying|worried|scared|afraid|"
    r"overwhelmed|exhausted|frustrated|angry|hurt|lonely|anxious|stuck)\b"
    r"|\byou (feel|felt|must feel|must have felt|must be feeling|seem to feel)\b"
    r"|\byou must be (so |really |very )?\w+(ed|ing)\b"
    r"|\bi (imagine|guess|sense|get the sense) (that )?you\b"
    r"|\bi (can )?(understand|see) (why|how) (you|that)\b"
    r"|\bif i understand (you )?correctly\b|\bin other words\b"
)
_IP_WEAK = re.compile(
    r"\bi (completely |totally )?understand\b|\bi see\b|\bi get (it|that)\b"
    r"|\bi know (how|what) you (feel|mean)\b|\bthat makes (a lot of |total )?sense\b"
    r"|\bi hear you\b|\bi can relate\b|\bi(?:'ve| have) been there\b"
)
_EX_STRONG_PHRASE = re.compile(
    r"\btell me (more|a bit more|a little more) about\b|\bwhat (was|is) (it|that) like\b"
    r"|\bhow did (that|it) (make you )?feel\b|\bcan you (say|tell me) more about\b"
)
_ADVICE = re.compile(
    r"\byou (should|ought to|need to|have to|had better|gotta)\b"
    r"|\bi(?:'d| would)? (suggest|recommend|advise)\b|\bwhy don'?t you\b"
    r"|\b(have|did) you (tried|try|considered|thought about|thought of)\b"
    r"|\byou (could|might|may want to|might want to) (try|consider|start|think about)\b"
    r"|^(try|consider|make sure|remember to|don'?t forget to)\b"
)
_AFFIRMATION = re.compile(
    r"\b(well done|good job|great job|nice work|good for you|way to go)\b"
    r"|\bthat (took|takes) (a lot of |real )?(courage|strength|guts)\b"
    r"|\byou(?:'ve| have)? (did|done|handled|worked|managed) (so |really |very )?(well|hard|"
    r"great)\b"
    r"|\bi (really )?(like|love|appreciate|admire|respect) (that|your|how you|the way you)\b"
    r"|\byou(?:'re| are) (clearly |really |so )?(strong|brave|resilient|capable|courageous|"
    r"doing (well|great|your best))\b"
    r"|\b(that's|that is|what a) (a )?(great|good|wonderful|brilliant|helpful) (idea|step|plan|"
    r"insight|start)\b"
)


@dataclass(frozen=True)
class _Sentence:
    text: str  # lower case, leading discourse markers removed
    is_question: bool
    question_type: str  # open | closed | none


def _classify_sentence(raw: str) -> _Sentence:
    stripped = raw.strip()
    text = _LEADING_DISCOURSE.sub("", stripped.lower()).strip(" ,")
    asks = stripped.endswith("?") or (
        not stripped.endswith((".", "!")) and bool(_QUESTION_START.match(text))
    )
    prompt = bool(_PROMPT_START.match(text))
    if not (asks or prompt):
        return _Sentence(text, False, "none")
    is_open = bool(_OPEN_START.match(text)) and not _CLOSED_HOW.match(text)
    return _Sentence(text, True, "open" if is_open else "closed")


def _sentences(text: str) -> list[_Sentence]:
    return [_classify_sentence(s) for s in _SENTENCE_END.split(text or "") if s.strip()]


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    try:
        return compile_patterns(patterns)
    except re.error as exc:
        raise ValueError(
            f"FeatureOptions.invalidation_patterns holds an invalid regular expression ({exc}); "
            "fix the pattern in the features resource."
        ) from exc


def _level(text: str, strong: re.Pattern[str], weak: re.Pattern[str]) -> int:
    if strong.search(text):
        return 2
    return 1 if weak.search(text) else 0


def _exploration(sentences: list[_Sentence], min_words: int) -> int:
    level = 0
    for s in sentences:
        if not s.is_question:
            continue
        addresses = bool(_YOU.search(s.text))
        if _EX_STRONG_PHRASE.search(s.text) or (
            s.question_type == "open" and addresses and len(_WORD.findall(s.text)) >= min_words
        ):
            return 2
        if s.question_type == "open" or addresses:
            level = 1
    return level


def counselling_row(text: str, options: FeatureOptions) -> dict[str, object]:
    """All counselling markers of one utterance (see the module docstring for the rules)."""
    sentences = _sentences(text)
    statements = " ".join(s.text for s in sentences if not s.is_question)
    whole = " ".join(s.text for s in sentences)
    types = {s.question_type for s in sentences}
    question_type = "open" if "open" in types else "closed" if "closed" in types else "none"
    reaction = 2 if VALIDATION.search(normalise(text)) else _level(whole, _ER_STRONG, _ER_WEAK)
    interpretation = _level(statements, _IP_STRONG, _IP_WEAK)
    exploration = _exploration(sentences, options.exploration_min_words)
    invalidating = _compiled(tuple(options.invalidation_patterns))
    # Negated or reported phrasing ("you're not overreacting") does not count.
    invalidation = affirmed(invalidating, normalise(text))
    empathy = (reaction + interpretation + exploration) / 6.0
    if invalidation:
        empathy *= options.invalidation_empathy_factor
    if interpretation == 2:
        mi_code = "reflection"
    elif any(_ADVICE.search(s.text) for s in sentences):
        mi_code = "advice"
    elif question_type == "open":
        mi_code = "open_question"
    elif question_type == "closed":
        mi_code = "closed_question"
    elif _AFFIRMATION.search(whole):
        mi_code = "affirmation"
    else:
        mi_code = "other"
    return {
        "is_question": question_type != "none",
        "question_type": question_type,
        "empathy_emotional_reaction": reaction,
        "empathy_interpretation": interpretation,
        "empathy_exploration": exploration,
        "empathy": empathy,
        "mi_code": mi_code,
        "invalidation": invalidation,
    }


def counselling_frame(texts: Sequence[str], options: FeatureOptions | None = None) -> pd.DataFrame:
    """Counselling markers for each text, one row per text (input order).

    Returns:
        ``is_question``, ``question_type`` (open/closed/none), ``empathy_emotional_reaction``,
        ``empathy_interpretation``, ``empathy_exploration`` (0/1/2), ``empathy`` (0..1),
        ``mi_code`` (one of :data:`MI_CODES`) and ``invalidation``.
    """
    options = options or FeatureOptions()
    columns = [
        "is_question", "question_type", "empathy_emotional_reaction", "empathy_interpretation",
        "empathy_exploration", "empathy", "mi_code", "invalidation",
    ]
    frame = pd.DataFrame([counselling_row(t, options) for t in texts], columns=columns)
    return frame.astype(
        {
            "is_question": bool,
            "empathy_emotional_reaction": "int64",
            "empathy_interpretation": "int64",
            "empathy_exploration": "int64",
            "empathy": float,
            "invalidation": bool,
        }
    )
