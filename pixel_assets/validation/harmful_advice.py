"""Harmful advice and professional boundary violations in a counsellor's reply.

"That sounds hard. Honestly a few drinks tonight will help you relax." opens with empathy and
passes every other rule, yet no clinician would accept it, and a model trained on it learns to
give that advice. This lexicon fails such a reply under every scorer (``no_harmful_advice``):

- **substances**: drink, weed or "something" as a way to cope;
- **medication**: stopping, skipping or changing medication without a doctor;
- **secrecy**: promising to keep a secret even when the person is in danger;
- **abuse**: telling someone to stay with or keep quiet about an abuser, or to fight back;
- **self_harm**: permitting self-harm or suicide ("if that's what you want to do, go ahead");
- **boundaries**: romantic or sexual remarks about the client, asking for personal contact or
  to meet privately, gifts and money;
- **diet_sleep**: dangerous eating or sleeping advice ("skip meals", "just don't sleep");
- **professional_help**: discouraging help ("you don't need therapy", "don't go to the police").

Good practice uses the same words ("Have you been drinking more to cope?", "Please don't stop
your medication without your GP", "You don't have to stay with him", "It's your choice
whether to report it"), so each group is built for precision:

- *advice* patterns count only after an advice frame: the start of a clause ("Stop taking
  your meds"), "just", "you should/could/need to", "why not", "have you thought about",
  "it's fine to"; a question about what the person did ("Did you stop taking your meds?")
  is not advice;
- every match goes through :func:`affirmed`, so negated or reported phrasing ("I'm not
  saying you should stop your meds", "you said he told you to keep quiet") does not count;
- medication advice that names a doctor in the same sentence is not held against the reply
  ("you could stop your meds, but only with your doctor");
- permission phrases ("that's your choice", "if that's what you want, go ahead") and advice
  that is harmful only about an abuser ("stay with him", "keep it to yourself") count only
  when the prompt, an earlier turn or the reply speaks of self-harm or suicide, or of abuse.

Rule-based, on :func:`normalise`-d text as either kind of transcript writes it ("don't",
"dont"): it flags the phrase, not the intent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pixel_assets.counselling_language import affirmed, compile_patterns, normalise
from pixel_assets.validation.crisis import detect_crisis

_YOU_ARE = r"(?:you(?:'re|re| are)|ur|u r)"
_DONT = r"(?:don't|dont|do not)"
_YOUR = r"(?:your|ur|those|these|the|them|that|this|all (?:of )?(?:your|those|the))"
_MEDS = (
    r"(?:meds|medication|medications|medicine|pills|tablets|antidepressants?"
    r"|anti[- ]?depressants?|prescriptions?|lithium|sertraline|citalopram|fluoxetine|prozac"
    r"|zoloft|lexapro|escitalopram|mirtazapine|venlafaxine|quetiapine|olanzapine|risperidone"
    r"|aripiprazole|antipsychotics?|mood stabili[sz]ers?|insulin|inhalers?)"
)
_SUBSTANCE = (
    r"(?:drinks?|beers?|glass(?:es)? of (?:wine|whisky|whiskey|vodka|something)|wine|vodka"
    r"|whisky|whiskey|gin|rum|tequila|booze|alcohol|shots?|pints?|cans?|nightcap|joints?"
    r"|spliffs?|weed|pot|cannabis|edibles?|blunts?|bong|coke|cocaine|xanax|valium|diazepam"
    r"|benzos?|mdma|molly|pills?)"
)
_HELP = (
    r"(?:therapy|therapists?|counsell?ing|counsell?ors?|doctors?|gps?|psychiatrists?"
    r"|psychologists?|professional(?: help)?|professionals|treatment|rehab|a shrink|shrinks?"
    r"|medication|meds|antidepressants|helplines?|crisis lines?|support groups?)"
)

# Where an instruction can start: a sentence, or the clause after a condition or an opener
# ("If you can't sleep, ...", "That sounds hard, ..."), but not the next item of a list ("you
# come home tired, skip dinner, and lie awake").
_START = (
    r"(?:^|(?<=[.!?;:] )|(?<=[.!?;:]['\"] )|(?<= - )|(?<=\u2014 ))(?:(?:(?:if|when|whenever"
    r"|once|next time) (?:[a-z']+ )?(?:(?!\b(?:i|you|he|she|we|they)\b)[^,.!?;]){0,50}"
    r"|(?:that sounds|that must be|it sounds|i hear you|i(?:'m|m| am) sorry|i know"
    r"|i understand|i get it|don't worry|dont worry)[^,.!?;]{0,25}), )?"
)
# Where ASR has dropped the full stop after an opener: "im sorry have a drink", "that sounds
# hard stop taking them" (not "I hear you stop taking them when you feel better").
_OPENER = (
    r"(?:(?<=\bi'm sorry )|(?<=\bim sorry )|(?<=\bi get it )|(?<=\bi understand ))"
    r"|(?:(?:that|it) (?:sounds|must be|must have been)|that(?:'s|s| is))(?: (?:so|really|very"
    r"|incredibly|pretty|quite|absolutely))* (?:hard|tough|awful|difficult|rough|painful|scary"
    r"|frightening|exhausting|stressful|horrible|terrible|lonely|frustrating|tiring|upsetting"
    r"|overwhelming) "
)
_DISCOURSE = (
    r"(?:(?:so|well|honestly|look|listen|okay|ok|yeah|and|then|maybe|seriously|tonight|hey"
    r"|right|now|trust me|to be honest|tbh|please|i mean|you know what|if i were you"
    r"|if i was you|personally|my advice(?: is| would be)?)[,]? )*"
)
_MODAL = (
    r"(?:you|u|ya) (?:(?:really|honestly|probably|definitely|totally|seriously) )?(?:should"
    r"|could|can|need to|needa|have to|must|ought to|might want to|may want to|gotta|got to"
    r"|'ve got to|ve got to|'d better|d better|had better|better|might as well|may as well)"
)
_SUGGEST = (
    r"(?:why (?:not|don't you|dont you)|how about|what about|have you (?:ever )?(?:thought"
    r"|considered|tried)(?: about)?|(?:you )?ever thought about|i(?:'d|d| would)"
    r"|i (?:think|reckon|say) (?:that )?you (?:should|could|need to)|i (?:suggest|recommend)"
    r"(?: that you)?|(?:the )?best (?:thing )?(?:(?:is|would be|to do is|you can do is) )?to"
    r"|it(?:'s|s| is| would be|'d be|d be|'ll be|ll be|will be) (?:totally |perfectly "
    r"|completely )?(?:fine|okay|ok|alright|all right|good|better|best|smart|healthy|normal)"
    r" (?:for you )?to|(?:there(?:'s|s| is) )?nothing wrong with|no harm in|go(?: out)? and"
    r"|try(?: to| and)?|let(?:'s|s| us)|i want you to|i need you to|make sure you"
    r"|feel free to)"
)
# "just" and "maybe" give an instruction ("just stop taking them"), not in "did you just
# stop?"; a bare "don't" is one ("don't go to the police"), not in "doctors don't call".
_SUBJECT_BEFORE = (
    r"(?<!did you )(?<!do you )(?<!have you )(?<!are you )(?<!were you )(?<!can you )"
    r"(?<!could you )(?<!would you )(?<!if you )(?<!when you )(?<!that you )(?<!\bu )(?<!\bhe )"
    r"(?<!\bshe )(?<!\bthey )(?<!\bwe )(?<!\bi )(?<!did )(?<!who )(?<!why )(?<!and )(?<!or )"
    r"(?<!s )"
)
_JUST = rf"{_SUBJECT_BEFORE}(?:just|simply|maybe|perhaps) |{_SUBJECT_BEFORE}(?=(?:{_DONT}|never) )"
# A clause that opens with a gerund is about the act, not an instruction ("Confronting him
# could be dangerous"); "Have you thought about confronting him?" is one.
_DO = (
    rf"(?:(?:{_START}|{_OPENER}){_DISCOURSE}(?![a-z]+ing\b)|{_MODAL} |{_SUGGEST} |{_JUST})"
    r"(?:(?:just|really|maybe|simply|probably|definitely|totally|honestly|always|try to"
    r"|try and|go and|go out and) )*"
    # A second instruction joined by "and": "you should confront him tonight and fight back"
    # (not "so you come home and have a few drinks", which tells what the person does).
    r"(?:(?:(?!(?:i|you|u|he|she|we|they)\b)[a-z']+ ){1,5}?and (?:then )?)?"
)
"""An advice frame: what comes before an instruction (consumed, so a match starts there)."""

_SELF_HARM_TALK = re.compile(
    r"\b(?:(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|kill|killing|starve|starving"
    r"|punish|punishing) (?:my|your|him|her|them|ur)sel(?:f|ves)|self[- ]?harm\w*|cutting"
    r"|suicid\w*|end (?:it all|my life|your life)|take (?:my|your) (?:own )?life|overdos\w*"
    r"|wan(?:t to|na) die|better off dead)\b"
)
_ABUSE_TALK = re.compile(
    r"\b(?:abus\w*|violent|violence|hits? (?:me|you)|hitting (?:me|you)|beats? (?:me|you)"
    r"|beat (?:me|you) up|punch\w* (?:me|you)|kick\w* (?:me|you)|slap\w* (?:me|you)"
    r"|chok\w* (?:me|you)|push\w* (?:me|you)|shov\w* (?:me|you)|hurts? (?:me|you)"
    r"|threaten\w*|controlling|coercive|(?:scared|afraid|frightened|terrified) of (?:him|her"
    r"|them)|domestic|rap(?:e|ed|es))\b"
)
_CONTEXTS = {"self_harm": (_SELF_HARM_TALK, {"suicidal_ideation", "self_harm"}),
             "abuse": (_ABUSE_TALK, {"abuse_disclosure"})}


class Lexicon(NamedTuple):
    """A group's patterns (on normalised text): ``said`` wherever affirmed, ``advised`` after
    an advice frame (:data:`_DO` is put before them), and the same two ``_in_context``: only
    when the conversation is on the group's context."""

    said: tuple[str, ...] = ()
    advised: tuple[str, ...] = ()
    said_in_context: tuple[str, ...] = ()
    advised_in_context: tuple[str, ...] = ()


@dataclass(frozen=True)
class HarmGroup:
    """One group of harmful advice and its compiled patterns.

    Attributes:
        name: What :func:`harmful_advice` returns for it.
        lexicon: The patterns as written; ``said``, ``advised`` (after an advice frame) and
            ``in_context`` (both in-context lists) are them compiled.
        context: ``"self_harm"`` or ``"abuse"``: what the conversation must be on.
        unless: A sentence that also says this (a doctor) is not held against the reply.
        asked: Whether a question about what the person does ("Did you stop taking your
            meds?") still counts (an invitation: "Do you want to meet up after this?").
    """

    name: str
    lexicon: Lexicon
    said: re.Pattern[str] | None
    advised: re.Pattern[str] | None
    in_context: re.Pattern[str] | None
    context: str | None = None
    unless: re.Pattern[str] | None = None
    asked: bool = False


def _advice(actions: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(rf"\b{_DO}(?:{a})" for a in actions)


SUBSTANCES = Lexicon(
    said=(
        # "a few drinks tonight will help you relax"
        r"\b(?:a|one|a few|a couple(?: of)?|some|couple|few|two|three|another|a glass of"
        rf"|a bottle of|a stiff|a little|a bit of|a nice|a cold) (?:\w+ )?{_SUBSTANCE}"
        r"(?: \w+){0,2}? (?:will|would|should|could|'ll|ll|can|always|usually|definitely"
        r"|is the best way to|is a great way to|are a great way to)(?: (?:really|definitely"
        r"|totally|probably|honestly|always|help to))* (?:help you|help (?:relax|sleep|unwind"
        r"|cope|switch off|calm down)|calm you|relax you|chill you|settle you|sort you"
        r"|take the edge off|knock you out|send you off|get you to sleep|make you feel better"
        r"|do you good|do the trick|cheer you up|perk you up|loosen you up|numb (?:it|the pain))"
        r"\b(?![^.!?]*\b(?:but|though|although|however|worse|short[- ]term|at first"
        r"|in the moment|in the end|later)\b)",
        # "drinking is a good way to cope"
        r"\b(?:drinking|alcohol|booze|weed|cannabis|smoking weed|getting (?:drunk|high|stoned)"
        r"|a drink|a joint|wine|beer)(?: really)? (?:is|are|can be|'s|s) (?:a |the |your )?"
        r"(?:great|good|best|perfect|healthy|easy) (?:way|cure|answer|fix|solution|medicine"
        r"|remedy)\b",
        r"\bself[- ]?medicat\w* (?:a bit |a little )?(?:is|'s|s) (?:fine|okay|ok|alright|normal)",
        r"\b(?:drinking|alcohol|a drink|weed|a joint|smoking weed|getting high) (?:really "
        r"|always |definitely )?helps(?: you)? (?:relax|cope|sleep|switch off|unwind|calm down"
        r"|take the edge off)\b(?![^.!?]*\b(?:but|though|although|worse|short[- ]term|at first"
        r"|in the end|later)\b)",
    ),
    advised=(
        rf"(?:have|grab|get|pour(?: yourself)?|down|drink|neck|sink|knock back|crack open|smoke"
        r"|roll|light|pop|take|do|hit) (?:yourself )?(?:a|one|a few|a couple(?: of)?|some"
        rf"|another|more|a bit of|a little|a big|a stiff|a nice|a cold)(?: \w+)? {_SUBSTANCE}\b"
        r"(?! of (?:water|tea|juice|milk|coke|pop|soda|coffee|squash)| water)",
        r"(?:get|getting) (?:really |properly |absolutely )?(?:drunk|wasted|hammered|stoned"
        r"|high|smashed|plastered|off your (?:face|head|tits))\b(?! (?:blood|marks?|scores?|grades?"
        r"|quality|up|enough|on life))",
        r"(?:smoke|smoking) (?:some |a bit of |a little )?(?:weed|pot|cannabis|a joint|a spliff)",
        r"drown(?:ing)? (?:your|ur) sorrows",
        r"(?:drink|drinking|smoke|smoking) (?:it|them|him|her|the pain|your feelings) (?:off"
        r"|away)",
        r"take (?:something|anything|a pill|a tablet|some pills) (?:to|that'll|thatll|that will)"
        r" (?:help you )?(?:calm (?:you )?down|relax|sleep|knock you out|take the edge off|chill)",
        r"(?:take|borrow|use|try|have) (?:some of )?(?:your|his|her|their|a friend's|a friends)"
        r" (?:mum's|mums|mom's|moms|dad's|dads|mother's|father's|friend's|friends|partner's"
        r"|sister's|brother's|flatmate's|roommate's) (?:\w+ )?(?:pills|tablets|meds|valium"
        r"|xanax|diazepam|sleeping pills)",
        r"self[- ]?medicat(?:e|ing)",
    ),
)
MEDICATION = Lexicon(
    said=(
        rf"\byou {_DONT} (?:really |even |actually )?need (?:(?:those|these|them|the|your|any"
        rf"|that|this|more|all (?:those|these|that)) )?(?:\w+ )?{_MEDS}\b(?! to (?:have fun"
        r"|party|fit in|be (?:liked|accepted|confident)))",
        rf"\b{_MEDS}(?: (?:are|is|'re|re))? (?:just |only |probably |really )?(?:poison"
        r"|a crutch|a scam|for the weak|for weak people|rotting your brain|turning you into a"
        r" zombie)\b",
    ),
    advised=(
        r"(?:stop|quit|come off|get off|ditch|drop|skip|cut out|give up|forget)(?: taking)?"
        rf" (?:{_YOUR} )?(?:\w+ ){{0,2}}?(?:{_MEDS}|dose|doses)\b",
        r"(?:double|triple|up|increase|raise|halve|cut|lower|decrease|change|adjust|mess with"
        r"|play with|play around with|tweak) (?:your|ur|the) (?:\w+ )?(?:dose|doses|dosage|meds"
        r"|medication|pills|tablets)\b",
        r"take (?:a few |some |a couple of |an |a )?(?:extra|more|double|a double)"
        r" (?:\w+ )?(?:pills?|tablets?|doses?|meds|of your (?:pills|tablets|meds))\b",
        r"take more than (?:you(?:'re|re| are)|the) (?:prescribed|dose)",
    ),
)
# A doctor in the same sentence: "you could stop them, but only with your GP".
_WITH_A_DOCTOR = re.compile(
    r"\b(?:with|ask|asking|talk to|talking to|speak to|speaking to|check with|checking with"
    r"|see|seeing|call|tell|discuss|supervised by|guidance of|help of|advice of|support of"
    r"|your|ur) (?:your |a |the )?(?:own )?(?:doctor|gp|psychiatrist|prescriber|pharmacist"
    r"|nurse|consultant|physician|care team|mental health team|clinic)\b"
)
_PROMISE = (
    r"(?:i|we)(?:(?:'d|d| would|'ll|ll| will) never| never| won't| wont| will not| wouldn't"
    r"| wouldnt| would not|(?:'m|m| am|'re|re| are) not (?:going to|gonna)| (?:promise|swear)"
    r" (?:not to|(?:i|we) (?:won't|wont|will not|will never)))"
)
SECRECY = Lexicon(
    said=(
        # "I'd never tell anyone even if you were in danger", "... no matter what"
        rf"\b{_PROMISE} (?:ever )?(?:tell|say|share|report|repeat|breathe a word|pass"
        r" (?:it|this) on|call|contact)(?: \S+){0,6}?,? (?:even (?:if|when|though)(?: \S+){0,4}"
        r" (?:danger|dangerous|risk|unsafe|hurt|hurting|harm|kill|killing|suicid\w*|die|dying"
        r"|abus\w*|serious|plan\w*|going to|gonna|life)|no matter what|whatever happens"
        r"|regardless|whatever you (?:tell|say))\b",
        r"\b(?:stays?|remains?|kept|keep (?:it|this)|is) (?:just )?between (?:us|you and me"
        r"|the two of us|me and you)(?: \w+){0,3}?,? (?:no matter what|whatever happens|forever"
        r"|even if|regardless|whatever you (?:tell|say))\b",
        r"\b(?:i|we) (?:promise|swear)(?: (?:you|that))?(?: i| we)? (?:will never|won't|wont"
        r"|will not|'ll never|ll never|never|would never|'d never|d never) (?:ever )?(?:tell"
        r"|say|share|report|repeat) (?:anyone|anybody|a soul|a word)\b(?![^.!?]*\b(?:without"
        r"|unless|except|apart from|but if)\b)",
        r"\b(?:your|this|the|our) secrets?(?:'s|s| is| are)? safe with me\b(?![^.!?]*\b(?:unless"
        r"|except|but if)\b)",
    ),
)
_BEHIND = (
    r"(?:stay|staying|stick it out|sticking it out|stick with|sticking with|go back to"
    r"|going back to|work it out with|make it work with|give|giving) "
)
_ABUSER = (
    r"(?:him|her|them|your (?:husband|partner|boyfriend|wife|girlfriend|abuser|dad|father"
    r"|stepdad|step dad|mum|mom|mother))"
)
ABUSE = Lexicon(
    said=(
        r"\b(?:it(?:'s|s| is)|its) not worth (?:breaking up|splitting up|tearing apart"
        r"|wrecking|ruining) (?:the|your|a) (?:family|home|marriage)\b",
        r"\b(?:for|think (?:of|about)) (?:the (?:kids|children|family)|your (?:kids|children"
        r"|family))(?:'s|s)? sake,? (?:just )?(?:stay|keep quiet|put up with it)\b",
    ),
    advised=(
        r"(?:stay|staying|stick it out|sticking it out) (?:with (?:him|her|them) |together "
        r"|married |in the (?:marriage|relationship) )?(?:for (?:the|your) (?:kids|children"
        r"|family)|for the sake of (?:the|your) (?:kids|children|family))",
        r"(?:keep|keeping) (?:the|your) family together",
        r"(?:fight|fighting|hit|hitting|punch|slap|kick|beat|smack|stab|attack|get) (?:him|her"
        r"|them) back\b|(?:fight|fighting|hit|hitting) back\b(?! (?:against|at (?:the|those"
        r"|these|your) (?:thoughts|voice)))",
        r"(?:get|getting) (?:revenge|even with (?:him|her|them)|back at (?:him|her|them))"
        r"|teach (?:him|her|them) a lesson|give (?:him|her|them) a taste of (?:his|her|their)"
        r" own medicine|beat (?:him|her|them) up",
        r"(?:keep|keeping) (?:quiet|silent|it quiet|your mouth shut) about (?:it|this|that|what"
        r" (?:happened|he did|she did|they did)|the abuse|him|her)",
    ),
    advised_in_context=(
        rf"(?:{_BEHIND}{_ABUSER}(?: (?:another|a second|one more) chance)?|(?:stay|staying)"
        r" (?:together|married|in (?:the|that|your) (?:marriage|relationship|house|home))"
        r"|(?:stay|staying|stay put|stick it out)(?= and| (?:and )?keep))"
        # Not "it's okay to stay with him while we make a plan", which respects a choice.
        r"(?![^.!?]*\b(?:plan|safe|safety|support|while|for now|until|your (?:choice"
        r"|decision))\b)",
        r"(?:keep|keeping|stay|staying) (?:quiet|silent|it quiet|your mouth shut|it (?:to"
        r" yourself|between you|in the family)|(?:this|that) (?:quiet|to yourself))\b",
        rf"{_DONT} (?:make|cause) (?:a fuss|a scene|trouble|waves)|{_DONT} rock the boat"
        rf"|{_DONT} tell (?:anyone|anybody|a soul|the police|your family|your friends)"
        r"(?: about (?:it|this|what happened|what he did|what she did|him|her))?(?=[.!?,;]|$"
        r"| and| or| it| if| because| cos| cause| they| he| she)",
        r"(?:confront|confronting|have it out with|face|stand up to) (?:him|her|them)\b",
        r"(?:not to|and not) (?:provoke|upset|annoy|anger|wind up) (?:him|her|them)\b",
    ),
)
_IF_YOU_WANT = (
    r"if you (?:really |truly |honestly )?(?:want|wanna|need|choose|decide)(?: to)?"
    r" (?:(?:hurt|harm|cut|burn|starve|punish|kill) (?:yourself|urself)|end (?:it all|your"
    r" life)|take your (?:own )?life|overdose|commit suicide|die|self[- ]?harm)"
)
_PERMIT = (
    r"(?:(?:that(?:'s|s| is)|it(?:'s|s| is)|its) (?:(?:totally|entirely|completely|really"
    r"|ultimately|all) )?(?:your (?:own )?(?:choice|call|decision|business|life|right"
    r"|prerogative)|up to you|on you|fine|okay|ok|alright)|go ahead|go for it"
    r"|i (?:won't|wont|will not|can't|cant|cannot|can not) stop you|who am i to (?:stop|judge))"
)
SELF_HARM = Lexicon(
    said=(
        # "If you want to hurt yourself, that's your choice"
        rf"\b{_IF_YOU_WANT}\b[^.!?]{{0,40}}?{_PERMIT}\b",
        r"\b(?:go ahead|go on|feel free|be my guest)(?: and)? (?:hurt|harm|cut|burn|kill|starve"
        r"|punish) (?:yourself|urself)\b",
        r"\b(?:hurting|harming|cutting|killing|burning|starving) yourself (?:is|'s|s)"
        r" (?:(?:totally|entirely|completely|really|ultimately|all) )?(?:your (?:own )?(?:choice"
        r"|call|decision|business|right)|up to you|fine|okay|ok|alright)\b",
        r"\bif (?:cutting|self[- ]harm(?:ing)?|hurting yourself|harming yourself|burning"
        r" yourself|starving yourself) (?:really |actually )?helps?(?: you)?(?: (?:to )?(?:cope"
        r"|feel better|get through|calm down|feel something|release))?,? (?:then )?(?:just )?"
        r"(?:keep (?:doing|at) (?:it|that)|do it|carry on|go ahead|go for it|(?:that(?:'s|s"
        r"| is)|it(?:'s|s| is)) (?:fine|okay|ok|alright|all right|good))\b",
    ),
    said_in_context=(
        # After "Sometimes I want to hurt myself": "If that's what you want to do, go ahead."
        r"\bif (?:that(?:'s|s| is)|this is|it(?:'s|s| is)|its) what you (?:really |truly )?"
        r"(?:want|need)(?: to do)?,? (?:then )?(?:just |you should )?(?:go ahead|do it"
        r"|go for it|(?:that(?:'s|s| is)|it(?:'s|s| is)) (?:your (?:own )?(?:choice|call"
        r"|decision|life|business)|up to you)|i (?:won't|wont|will not|can't|cant|cannot)"
        r" stop you)\b"
        # Not "if that's what you want, go ahead and tell your mum, that's a brave step".
        r"(?![^.!?]*\b(?:tell|telling|talk|call|ring|reach|brave|idea|step|plan|help|support"
        r"|safe)\w*\b)",
        r"\bif (?:it|that) (?:really |actually )?helps(?: you)?(?: (?:to )?(?:cope|feel better"
        r"|get through|calm down))?,? (?:then )?(?:just )?(?:keep (?:doing|at) (?:it|that)"
        r"|carry on)\b",
        rf"\b{_START}(?:(?:well|okay|ok|fine|then|so|look|honestly)[,]? )*(?:that(?:'s|s| is)"
        r"|it(?:'s|s| is)|its) (?:(?:totally|entirely|completely|really|ultimately|all) )?"
        r"(?:your (?:own )?(?:choice|call|decision|business|life|prerogative)|up to you)"
        r"(?=[.!?]|$| then| i guess| really| at the end of the day| in the end|,? (?:that(?:'s|s"
        r"| is)|it(?:'s|s| is)|its) (?:your|up to you))",
        r"\b(?:i|we) (?:won't|wont|will not|am not going to|'m not going to|m not going to"
        r"|'m not gonna|m not gonna) (?:try to )?stop you\b(?! from (?:leaving|going|taking"
        r"|talking)| if you (?:want|need) to (?:leave|go|stop|take a break))",
    ),
)
_WITH_US = (
    r"(?:meet|meeting|hang|hang out|date|drink|drinks|dinner|coffee|somewhere|weekend|tonight"
    r"|sometime|my place)"
)
BOUNDARIES = Lexicon(
    said=(
        # Romantic or sexual remarks about the client.
        rf"\b{_YOU_ARE} (?:(?:so|really|very|super|actually|honestly|quite|such a|such|too"
        r"|incredibly|absolutely|kinda|kind of|damn|bloody|a) )*(?:(?:pretty|beautiful|cute)"
        r"(?=[.!?,;]|$| though| tho| and (?:smart|funny|clever|sweet|kind)| girl| woman| lady"
        r"| you know| honestly)|hot\b(?![- ]?head)|sexy|gorgeous|stunning|attractive"
        r"|handsome|a babe|a stunner|a looker|a hottie|good[- ]looking|irresistible|my type)",
        r"\byou look (?:(?:so|really|very|absolutely|super) )*(?:pretty|hot|sexy|gorgeous"
        r"|beautiful|stunning|cute|handsome|fit) (?:today|tonight|in (?:that|those|this))\b",
        r"\bi(?:'m|m| am| have been|'ve been|ve been) (?:really |so |kind of |kinda |a bit "
        r"|a little )?(?:attracted to you|in love with you|falling for you|into you)\b"
        r"|\bi (?:really |kind of |kinda )?(?:fancy you|have feelings for you|have a crush on"
        r" you)\b|\b(?:can i|could i|let me|i want to|i wanna|i'd like to|id like to|i(?:'d|d)"
        r" love to) (?:kiss you|date you|sleep with you|take you out|touch you|hold you)\b",
        # Personal contact, meeting privately.
        r"\b(?:give|send|text|dm|message|pass) me (?:your|ur) (?:personal |private |phone "
        r"|mobile |cell |home )?(?:number|phone number|digits|snapchat|snap|instagram|insta"
        r"|whatsapp|facebook|socials)\b"
        # A helpline asks for a number to call back: "in case we get cut off".
        r"(?![^.!?]*\b(?:cut off|disconnected|call you back|ring you back|in case|emergency"
        r"|safety|records|on file)\b)",
        r"\b(?:here(?:'s|s| is) my|take my|this is my|i(?:'ll|ll| will) (?:give|send|text|dm)"
        r" you my|(?:text|call|ring|message) me on my|(?:add|follow|message|dm|find) me on)"
        r" (?:personal |private |own |home |mobile |cell )?(?:number|phone|mobile|cell|email"
        r"|snapchat|snap|instagram|insta|whatsapp|facebook|socials)\b",
        r"\b(?:text|message|dm|snap) me (?:any ?time|whenever|tonight|later|after|at home)\b",
        r"\b(?:we|let(?:'s|s| us)|you and (?:me|i)|me and you) (?:could |can |should |might "
        r"|will |'ll |ll )?(?:go out|meet up|meet|hang out|hook up|date|see each other|get a"
        r" drink|grab a drink|get drinks|grab a coffee|get coffee|get dinner|grab dinner|have"
        r" dinner|go for (?:a )?(?:drink|drinks|dinner|coffee|a meal))(?: \w+){0,4}?"
        r" (?:sometime|some time|after (?:this|the session|our session|work|we finish)|tonight"
        r"|this weekend|outside (?:of )?(?:sessions?|here|work|therapy)|just the two of us"
        r"|(?:at|round|to) (?:my|your) (?:place|house|flat|home))\b",
        rf"\b{_WITH_US}\b[^.!?]{{0,40}}\bjust (?:the two of us|you and me|you and i|me and you)"
        rf"\b|\bjust (?:the two of us|you and me|me and you)\b[^.!?]{{0,30}}\b{_WITH_US}\b",
        r"\bi(?:'ll|ll| will| can| could|'d|d| would) (?:come (?:round|over) to your|come to your"
        r" (?:place|house|flat|home)|come (?:round|over)(?: \w+){0,2} tonight)\b",
        r"\b(?:come|coming) (?:round|over|back) to my (?:place|house|flat|home|apartment)\b",
        rf"\b{_DONT} tell (?:anyone|anybody|your \w+) (?:about (?:us|me)|(?:that )?(?:we|i)"
        r" (?:talked|spoke|met|said|text|texted|messaged))\b",
        # Gifts and money.
        r"\b(?:i(?:'ll|ll| will| can| could| want to| wanna|'d like to|d like to)|let me)"
        r" (?:(?:just|happily|gladly|totally) )?(?:lend|give|send|transfer|loan|pay) you (?:some "
        r"|a (?:little |bit of )?)?(?:money|cash|a loan|\d+|£\s?\d+|\$\s?\d+|(?:a )?few"
        r" (?:quid|bucks|hundred)|a tenner|a fiver)\b",
        r"\b(?:i(?:'ll|ll| will| can| could| want to| wanna|'d like to|d like to)|let me)"
        r" (?:(?:just|happily|gladly|totally) )?buy you (?:a present|a gift|gifts|presents"
        r"|something nice|flowers|dinner|drinks|a drink|jewell?ery)\b",
        r"\b(?:send|give|lend) me (?:some )?(?:money|cash|£|\$)|\bpay me (?:directly|in cash"
        r"|privately|on the side|instead)\b",
    ),
)
DIET_SLEEP = Lexicon(
    said=(
        rf"\byou {_DONT} (?:really )?need (?:to )?(?:sleep|eat)(?=[.!?,;]|$| that much| much)",
        r"\bsleep is (?:overrated|for the weak)\b",
    ),
    advised=(
        r"(?:skip|skipping|miss|missing|cut out|cutting out) (?:(?:a|some|your|the|all|all your"
        r"|a few|most|most of your) )?(?:meals?|eating|(?:breakfast|lunch|dinner) (?:and|or)"
        r" (?:breakfast|lunch|dinner))\b",
        r"(?:stop|stopping) eating(?=[.!?,;]|$| for (?:a |a few |the )?(?:day|days|week|while)"
        r"| altogether| entirely| completely| after (?:lunch|breakfast|\d))",
        r"(?:starve|starving) yourself|go without (?:food|eating)|eat (?:nothing|as little as"
        r" (?:you can|possible))|(?:only )?eat once a day|make yourself (?:sick|throw up|vomit)"
        r"|(?:take|try|use) (?:some )?(?:laxatives|diet pills)",
        # Not "don't go to bed until you feel sleepy", which is sleep therapy.
        rf"{_DONT} (?:sleep|go to (?:bed|sleep))(?=[.!?,;]|$| at all| tonight| and| or| just"
        r"| stay)",
        r"(?:stay|staying) (?:up|awake) (?:all night|for (?:two|three|2|3|a couple of) (?:days"
        r"|nights)|and power through)|(?:pull|pulling) an all[- ]?nighter|power through"
        r" (?:without|on no) sleep",
    ),
)
PROFESSIONAL_HELP = Lexicon(
    said=(
        rf"\byou (?:{_DONT}|won't|wont) (?:really |even |actually )?need (?:any |a |to see a "
        rf"|to see |to go to |to get |to talk to |more )?{_HELP}\b(?!'s|s'| (?:referral|letter"
        r"|note|appointment|first|before|beforehand|to (?:refer|book|access|get)|forever"
        r"|for ever|for life|every))",
        rf"\b(?:{_HELP}|the police|cops|getting help|social services) (?:is|are|'s|s|'re|re)"
        r" (?:(?:just|all|only|really|totally|such|honestly) )*(?:a )?(?:waste of (?:time|money"
        r"|effort)|pointless|useless|a scam|rubbish|bullshit|a joke|for (?:the )?(?:weak|crazy"
        r" people|crazies|nutters|losers))\b",
        rf"\b(?:{_HELP}|the police|cops) (?:won't|wont|will not|don't|dont|never|can't|cant)"
        r" (?:help|do (?:anything|nothing))(?=[.!?,;]|$| you| anyway| at all| they)",
        r"\b(?:they(?:'ll|ll| will)?|doctors(?:'ll|ll| will)?|therapists(?:'ll|ll| will)?"
        r"|the (?:gp|doctor)(?:'ll|ll| will)?) (?:just |only )?(?:drug you|dope you|pump you full"
        r"|throw pills at you|section you|lock you up|put you away)\b",
        r"\b(?:there(?:'s|s| is)|it(?:'s|s| is)|its) no (?:point|use|sense) (?:in )?(?:seeing"
        r"|going to|calling|telling|talking to|getting|asking|ringing|contacting|bothering with)"
        r"(?: a| the| your| any)? (?:doctor|gp|therapist|counsell?or|police|cops|psychiatrist"
        r"|helpline|crisis line|therapy|counsell?ing|help|professional)\b",
    ),
    advised=(
        rf"(?:{_DONT}|never) (?:go|call|ring|phone|contact|tell|talk to|speak to|report (?:it"
        r"|this|him|her|them) to|involve|bother (?:going to|with|calling)) (?:to )?(?:the |a "
        r"|your |any )?(?:police|cops|doctor|gp|therapist|counsell?or|therapy|counsell?ing"
        r"|psychiatrist|social services|helpline|crisis line|professional help|professionals"
        r"|lawyer|school|teacher)\b(?! (?:alone|on your own"
        r"|by yourself|without|until|unless|before|yet|just yet))",
        r"(?:stop|quit|drop out of|give up (?:on )?|cancel) (?:your |the |going to |seeing )?"
        r"(?:therapy|counsell?ing|therapist|counsell?or|support group|treatment|rehab"
        r"|aa meetings)\b(?![^.!?]*\b(?:come back|go back|return|break|when you(?:'re|re| are)"
        r" ready|any ?time|whenever|your (?:choice|decision|call)|if you (?:want|wish|need))\b)",
    ),
)

# A question about what the person does or did is not advice ("Did you stop taking your
# meds?", "Are you staying with him for the kids?"); "Why not ...?" and "Have you thought
# about ...?" are, and so is an invitation ("Do you want to meet up after this?").
_ASKS_WHAT_THEY_DO = re.compile(
    r"^(?:(?:and|so|but|okay|ok|right|mm+|hmm+|um+|uh+),? )*(?:did|do|does|are|were|was|is"
    r"|has|had|have you been|when|where|who|which|how(?! about)|what(?! about| if))\b.*\?$"
    # Unmistakable questions, also as ASR writes them (no question mark).
    r"|^(?:(?:and|so|but|okay|ok|right|mm+|hmm+|um+|uh+),? )*(?:what (?:was|is|has|were) it"
    r"(?: been)? like|how (?:did|does|do|has|have|was|were)|when (?:did|do|does|was|were)"
    r"|what (?:happened|made|did|do|does)|why did)\b"
)
# Someone else's view or the person's own, in the third person ("part of you feels therapy
# won't help", "I wonder if ..."), which :func:`affirmed` reads only in the second.
_HEDGED = re.compile(
    r"(?:\b(?:part of you|(?!(?:i|we|i'd|id)\b)[a-z']+) (?:feels?|thinks?|believes?|says?"
    r"|said|worries|fears|wonders|insists?|tells? you|told you|keeps? saying)(?: like| that"
    r"| as if)?|\bi wonder (?:if|whether)(?: \w+)?)(?: \S+){0,4} ?$"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def _group(name: str, lexicon: Lexicon, *, context: str | None = None,
           unless: re.Pattern[str] | None = None, asked: bool = False) -> HarmGroup:
    in_context = lexicon.said_in_context + _advice(lexicon.advised_in_context)
    return HarmGroup(name, lexicon, compile_patterns(lexicon.said),
                     compile_patterns(_advice(lexicon.advised)), compile_patterns(in_context),
                     context, unless, asked)


GROUPS: tuple[HarmGroup, ...] = (
    _group("substances", SUBSTANCES),
    _group("medication", MEDICATION, unless=_WITH_A_DOCTOR),
    _group("secrecy", SECRECY, asked=True),
    _group("abuse", ABUSE, context="abuse"),
    _group("self_harm", SELF_HARM, context="self_harm", asked=True),
    _group("boundaries", BOUNDARIES, asked=True),
    _group("diet_sleep", DIET_SLEEP),
    _group("professional_help", PROFESSIONAL_HELP),
)
"""The groups, in the order :func:`harmful_advice` tries them."""

# Every pattern without its advice frame, as one alternation: most replies match none, and
# the frames (which can start at almost any word) are tried only on those that do.
_ANY = compile_patterns(
    tuple(
        p
        for g in GROUPS
        for p in (*g.lexicon.said, *g.lexicon.said_in_context,
                  *(rf"\b(?:{a})" for a in (*g.lexicon.advised, *g.lexicon.advised_in_context)))
    )
)


def _on_topic(context: str, texts: Sequence[str]) -> bool:
    """Whether ``texts`` speak of self-harm or abuse: the words, or a crisis disclosure."""
    talk, categories = _CONTEXTS[context]
    return any(talk.search(t) or any(m.category in categories for m in detect_crisis(t))
               for t in texts)


def harmful_advice(reply: str | None, said_before: Sequence[str | None] = ()) -> str | None:
    """The group of harmful advice or boundary violation the reply affirms, else None.

    Args:
        reply: The counsellor's reply.
        said_before: The client's prompt and earlier turns: some advice is harmful only after
            a disclosure of self-harm or abuse ("If that's what you want to do, go ahead").

    Returns:
        A group name from :data:`GROUPS` ("substances", "medication", ...) or None.
    """
    text = normalise(reply)
    if not text or _ANY is None or not _ANY.search(text):
        return None
    earlier = [normalise(t) for t in said_before if t]
    topics: dict[str, bool] = {}
    for sentence in _SENTENCE.split(text):
        if not _ANY.search(sentence):
            continue
        asks = bool(_ASKS_WHAT_THEY_DO.match(sentence))
        for group in GROUPS:
            if asks and not group.asked:
                continue
            if group.unless is not None and group.unless.search(sentence):
                continue
            if _says(group.said, sentence) or _says(group.advised, sentence):
                return group.name
            if not _says(group.in_context, sentence):
                continue
            context = group.context or ""
            if context not in topics:
                topics[context] = _on_topic(context, [*earlier, text])
            if topics[context]:
                return group.name
    return None


def _says(pattern: re.Pattern[str] | None, sentence: str) -> bool:
    """Whether ``pattern`` matches where the sentence neither hedges nor, by
    :func:`affirmed`, negates or reports it."""
    if pattern is None:
        return False
    for match in pattern.finditer(sentence):
        if _HEDGED.search(sentence, 0, match.start()):
            continue
        if affirmed(re.compile(re.escape(match.group(0))), sentence):
            return True
    return False
