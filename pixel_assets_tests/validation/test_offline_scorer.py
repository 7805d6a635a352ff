"""The offline scorer and its rules on crafted exchanges."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pixel_assets.validation.scoring import ScoreThresholds, ScoringOptions, score_exchanges
from pixel_assets.warehouse.contract import validate

PROMPT = "I lost my job last month and I feel like I failed my family. I can't sleep at night."
REPLIES = {
    "empathic": "It sounds like you feel ashamed and exhausted. That must be really hard. "
    "How has it been affecting your days?",
    "empathic_asr": "that sounds really painful thank you for telling me can you tell me more "
    "about what the nights are like",
    "neutral": "I see. When did you lose the job?",
    "dismissive": "Everybody has problems. Just get over it.",
    "minimising": "At least you still have your health, it's not that big of a deal.",
    "insulting": "You are pathetic, stop whining about it.",
    "profane": "That is a stupid reason, stop being so damn dramatic.",
    "blaming": "Well, it is your own fault, you brought this on yourself.",
    "advice_dump": "You should update your CV. You need to call recruiters. Just go to the gym "
    "every day.",
    "stigmatising": "Don't act crazy about it, people will think you're a psycho.",
}
EXPECTED_RULES = {
    "dismissive": {"no_invalidation", "min_empathy"},
    "minimising": {"no_invalidation", "min_empathy"},
    "insulting": {"no_insult", "max_toxicity", "min_appropriateness"},
    "profane": {"no_insult", "max_toxicity", "min_appropriateness"},
    "blaming": {"no_blaming", "min_appropriateness", "min_empathy"},
    "advice_dump": {"max_unsolicited_directives", "min_appropriateness"},
    "stigmatising": {"no_stigma", "min_empathy"},
}


def frame(replies: dict[str, str], prompt: str = PROMPT, **features) -> pd.DataFrame:
    rows = [
        {"exchange_id": f"{i:020x}", "video_id": "vid", "prompt_text": prompt,
         "response_text": text, "context": [], "name": name, **features}
        for i, (name, text) in enumerate(replies.items())
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    exchanges = frame(REPLIES)
    scores = score_exchanges(exchanges)
    return scores.assign(name=exchanges["name"].to_numpy()).set_index("name")


def rules(scores: pd.DataFrame, name: str) -> set[str]:
    return {r["rule"] for r in scores.loc[name, "reasons"]}


def test_empathic_replies_pass(scored: pd.DataFrame):
    for name in ("empathic", "empathic_asr"):
        assert scored.loc[name, "passed"], (name, scored.loc[name, "reasons"])
        assert scored.loc[name, "empathy"] >= 0.6


@pytest.mark.parametrize("name", sorted(EXPECTED_RULES))
def test_bad_replies_fail_with_the_right_reasons(scored: pd.DataFrame, name: str):
    assert not scored.loc[name, "passed"]
    assert EXPECTED_RULES[name] <= rules(scored, name), scored.loc[name, "reasons"]


def test_reasons_are_machine_readable_records(scored: pd.DataFrame):
    (reason,) = [r for r in scored.loc["blaming", "reasons"] if r["rule"] == "no_blaming"]
    assert reason == {"rule": "no_blaming", "column": "blaming", "measured": "true",
                      "threshold": "false"}
    assert scored.loc["empathic", "reasons"] == []


def test_ordering_empathic_neutral_dismissive(scored: pd.DataFrame):
    for column in ("empathy", "overall"):
        assert (scored.loc["empathic", column] > scored.loc["neutral", column]
                > scored.loc["dismissive", column]), column
    assert scored.loc["neutral", "appropriateness"] > scored.loc["dismissive", "appropriateness"]


def test_advice_is_not_penalised_when_the_client_asks_for_it():
    advice = {"advice": "You should write down three small things you can do tomorrow, and "
              "maybe you need to talk to your partner about how you feel."}
    asked = score_exchanges(frame(advice, prompt="What should I do? I feel so stuck."))
    unasked = score_exchanges(frame(advice))
    assert asked["unsolicited_directives"].iloc[0] == 0
    assert unasked["unsolicited_directives"].iloc[0] == 2
    assert asked["appropriateness"].iloc[0] > unasked["appropriateness"].iloc[0]


def test_feature_columns_are_used_when_present():
    reply = {"r": "I see. When did you lose the job?"}
    plain = score_exchanges(frame(reply)).iloc[0]
    rich = score_exchanges(frame(reply, response_empathy=0.9, response_toxicity=0.0,
                                 response_confidence=0.95, response_speech_rate_wps=2.5,
                                 response_filler_rate=0.0, similarity=0.6)).iloc[0]
    off_topic = score_exchanges(frame(reply, similarity=-0.05)).iloc[0]
    mumbled = score_exchanges(frame(reply, response_confidence=0.3, response_filler_rate=0.2,
                                    response_speech_rate_wps=6.5)).iloc[0]
    assert rich["empathy"] > plain["empathy"]
    assert rich["authenticity"] > plain["authenticity"] > off_topic["authenticity"]
    assert rich["naturalness"] > plain["naturalness"] > mumbled["naturalness"]
    assert "min_naturalness" in {r["rule"] for r in mumbled["reasons"]}


def test_thresholds_are_configurable():
    replies = {"neutral": REPLIES["neutral"]}
    strict = ScoringOptions(thresholds=ScoreThresholds(min_empathy=0.5))
    assert score_exchanges(frame(replies))["passed"].iloc[0]
    failed = score_exchanges(frame(replies), strict)
    assert not failed["passed"].iloc[0]
    assert [r["rule"] for r in failed["reasons"].iloc[0]] == ["min_empathy"]


def test_scores_meet_the_table_contract(scored: pd.DataFrame):
    from pixel_assets.validation.schemas import TABLES

    checked = validate(TABLES[0], scored.reset_index(drop=True))
    assert set(checked["scorer"]) == {"offline"}
    assert set(checked["rubric_version"]) == {"offline-v2"}
    assert checked[["empathy", "appropriateness", "authenticity", "naturalness",
                    "overall"]].stack().between(0, 1).all()


def test_crisis_in_context_flags_the_exchange():
    exchanges = frame({"r": REPLIES["empathic"]})
    exchanges.at[0, "context"] = [{"turn_index": 0, "speaker": "B", "role": "client",
                                   "text": "i have been thinking about ending my life"}]
    scores = score_exchanges(exchanges)
    assert scores["crisis"].iloc[0]
    assert scores["crisis_reason"].iloc[0] == "suicidal_ideation"
    assert scores["crisis_text"].iloc[0] == "ending my life"


def test_no_exchanges_give_an_empty_table():
    empty = score_exchanges(frame({}).iloc[0:0])
    assert empty.empty and "passed" in empty


# Dismissive replies dressed in a token of empathy: the empathy markers alone would pass them.
GRIEF = "My dad died three weeks ago and I can't stop crying. I feel like I'm falling apart."
DISMISSIVE_AFTER_EMPATHY = [
    "I hear you, that sounds hard. But other people have it way worse than you, so how are "
    "you coping?",
    "That sounds really painful. Still, you should be over it by now. What's been the hardest "
    "part?",
    "I understand it's hard. Crying won't bring him back though. How are you sleeping?",
    "That must be difficult. Just think positive and you'll be fine. What helps you?",
    "I'm sorry for your loss. Honestly, I don't really have time for this today. Can we talk "
    "about something else?",
    "It sounds like you're grieving. Stop feeling sorry for yourself. How's work?",
    "That sounds hard. You're being a bit dramatic though. What do you think?",
    "I hear how much pain you're in. Everyone's dad dies eventually. What's on your mind?",
    "That sounds exhausting. Look on the bright side, at least he's not suffering. How are you?",
    "It sounds like it hurts. Honestly it's boring listening to you cry every week. What else?",
    "I can see you're upset. Have you tried not thinking about it? What do you feel?",
    "That must be painful. Okay. Anyway, let's move on to your goals for this week.",
    "It sounds like you feel alone. You're such a crybaby though. What would help?",
    "That sounds hard. But honestly, you're kind of a mess. What happened?",
    "I hear you, but you need thicker skin. How are you feeling now?",
    "I understand. You just want attention. What else is going on?",
    "That sounds painful. But time heals everything. How are you coping?",
    "I hear you. Stop playing the victim. What do you think?",
    "I get it, that's hard. It's not the end of the world though. How's work?",
    "That sounds hard. But that's your problem, not mine. What else?",
    "I hear you. Honestly, why would anyone want to be around you? How's work?",
    "Mm. Meh, whatever. What are your plans this weekend?",
    "That sounds painful. Ugh, not this again. How are you sleeping?",
    "I see. That's pathetic. What do you want from today?",
    "That sounds hard. Nobody cares, though. What would help?",
    "I hear you. If you really wanted to get better you would. What's stopping you?",
    "That sounds hard. Well, you chose to stay with him. What did you expect to happen?",
    "I hear you. Have you considered that you might be the common denominator? What do you think?",
    "That must be painful. At your age you should know better though. What happened next?",
    "i understand. im sure there are people far worse off. how are you sleeping?",
    "That sounds hard. Have you tried yoga? What else helps?",
    "I hear you. Just stop drinking then. What's stopping you?",
    "that sounds painful. it was just a dog though. how is work?",
    "I'm sorry. Arent you over that yet? What's been going on?",
    "I hear you. Oh please. What do you want from me?",
    "That sounds hard. You have so much to live for. What's on your mind?",
    "I get it. Honestly, you did this to yourself. What were you hoping for?",
    "That must be hard. Shame on you, though. How could you do that to your kids?",
    "I hear you. You just like being miserable. What would change that?",
]
# The same words negated or reported: these replies validate, and must not be flagged.
VALIDATING_WITH_THE_SAME_WORDS = [
    "You're not overreacting. Losing your dad is huge. How have the nights been?",
    "You don't have to get over it on anyone's schedule. What do you miss most about him?",
    "It sounds like you feel you should be over it by now, and that's adding to the pain.",
    "You feel like you're a burden to everyone right now. That sounds so lonely.",
    "When your dad told you to toughen up, how did that feel?",
    "I'm not going to tell you to cheer up. It makes sense that you're falling apart.",
    "Some people might say you're being dramatic, but what you're feeling is real.",
    "It's not that you're weak; you're carrying a lot. How has that been affecting your week?",
    "Nobody expects you to move on quickly. How are you looking after yourself?",
    "You said everyone keeps telling you to think positive. How does that land for you?",
    "That must be so painful. You're not being dramatic at all. What would you like to say?",
    "It's hard to let it go when it still hurts this much. What do you think would help?",
    "You don't need thicker skin; anyone would be hurt by that. What happened next?",
    "You're not playing the victim by naming what happened. How are you feeling?",
    "You've been told you just want attention, and that hurt. What was that like?",
    "It makes sense that it feels like the end of the world right now. What helps?",
    "You're not too sensitive. Anyone would be hurt by that. How have the nights been?",
    "People keep saying it could be worse, and that must be so painful. How have you been "
    "feeling?",
    "You chose to leave, and that took courage. That must be really hard. How has it been "
    "affecting your days?",
    "You don't have to be strong for anyone right now.",
    "There's no timeline for grief, three weeks is no time at all.",
    "Anyway you feel is okay.",
    "You're not a burden.",
    "Is it okay if we get back to what you said about your dad?",
    "Are you doing okay?",
    "It's only been three weeks. Of course you're still crying.",
    "It makes sense you're still crying after three weeks. There's no deadline.",
    "You were worried you'd make a scene at the funeral. That sounds so hard.",
    "Haha, he sounds like he was a real character. What's a favourite memory?",
    "Let's wrap up by making a plan for tonight so you're not alone.",
    "its okay to not be strong right now",
    "It's okay to cry at work. You don't have to keep it together for anyone.",
    "There's no need to feel embarrassed about crying here.",
    "You shouldn't feel guilty for crying at work.",
    "You might feel you should be better by now, but grief doesn't work on a schedule.",
    "Keeping busy can be a way of coping for a while. How has it been for you?",
    "It sounds like you're relieved he's not suffering anymore, and heartbroken too.",
    "You're a grown man who just lost his dad. Of course you're crying.",
    "But it's been three weeks of barely sleeping. No wonder you're exhausted.",
    "I'm sorry, anyway you look at it this is a huge loss.",
    "Do you feel ready to get back to work yet, or is it too soon?",
]
# Same words again, in replies the content rules must leave alone (whether the rest of the
# reply is empathic enough to pass is the scores' business, not the lexicon's).
SAME_WORDS_NOT_DISMISSIVE = [
    "It can feel like nobody cares when you're this low. I care. What's been hardest?",
    "Your mum might tell you to toughen up, but that isn't what you need. How are you?",
    "It's your problem to solve, and I'm here to help you with it. Where shall we start?",
    "Why would anyone want to hurt you like that? It sounds so frightening. Are you safe?",
    "Ugh, that sounds awful. I'm so sorry. What was the funeral like?",
    "Your dad told you to stop being a baby, and that hurt. What was that like?",
    "it could be worse is what people keep saying, and it doesnt help. how are you?",
    "What did you choose to do next?",
    "You shouldn't have had to go through that alone. Who was with you?",
    "Being told to just relax when you're panicking doesn't help. What does?",
    "You didn't provoke him. Nothing you did made that okay. Are you safe now?",
    "You grew up hearing that big boys don't cry. How does that sit with you now?",
    "That's selfish of him, to leave you with all of that. How are you managing?",
    "It's been three weeks, and it still feels raw. That makes sense.",
    "We've got a few minutes left; I want to make sure you have support tonight.",
    "Let's come back to that next week if you'd like.",
    "Men are often told not to cry, and that's unfair.",
    "It's been three weeks now. How have the nights been?",
    "Three weeks on and you're still crying, and that makes complete sense.",
    "It's exhausting trying to be strong for your mum when you're grieving too.",
    "You've had to be strong for everyone. Who's being strong for you?",
    "You didn't make a scene; you were grieving.",
    "Some people say it was his time, but that doesn't make it hurt less.",
    "He was old, but that doesn't make losing him any easier.",
    "You can't bring him back, and that's what makes this so painful.",
    "We can get back to your goals whenever you're ready; today is about your dad.",
    "Anyway, you were telling me about the funeral.",
    "Time's up for today, but I want to check: are you safe tonight?",
    "Are you done for today, or would you like a few more minutes?",
    "Sorry, I have to stop you there, did you say you have pills at home?",
    "What do you want me to know about him?",
    "Let's take a breath together and put that aside for a moment.",
]
# Brush-offs that passed after this opener until the lexicon learnt them (measured), and the
# content rule each must now fail: minimising, rushing or judging the feeling is invalidation,
# mockery and contempt are insults, gender stereotypes are stigma.
OPENER = "That sounds really hard, I'm so sorry. "
BRUSH_OFFS = [
    ("Okay well we've only got five minutes left so lets wrap up", "no_invalidation"),
    ("mm yeah anyway as I was saying about the paperwork", "no_invalidation"),
    ("Men your age shouldn't be crying like this", "no_stigma"),
    ("Honestly that's kind of a you issue", "no_insult"),
    ("lol okay", "no_insult"),
    ("Ha, that's a bit much isn't it", "no_insult"),
    ("Well he was old, it was his time", "no_invalidation"),
    ("Yeah yeah I get it. Moving on.", "no_invalidation"),
    ("I don't really see why that's a problem", "no_invalidation"),
    ("Well you can't change it so there's no point being upset", "no_invalidation"),
    ("Are you done?", "no_insult"),
    ("Let's get back to your goals for this week.", "no_invalidation"),
    ("But honestly, three weeks is a long time to still be crying.", "no_invalidation"),
    ("Still, you have to be strong for your mum now.", "no_invalidation"),
    ("But you've got to admit he wasn't a great dad.", "no_invalidation"),
    ("Try not to make a scene about it at work.", "no_invalidation"),
    ("But it's been three weeks.", "no_invalidation"),
    ("Anyway, how's your car running?", "no_invalidation"),
]
# A red-team round of the same kinds, as ASR writes them.
MORE_BRUSH_OFFS = [
    ("look its been two months you need to start getting over it", "no_invalidation"),
    ("its been what six months now", "no_invalidation"),
    ("its been six weeks already", "no_invalidation"),
    ("come on its been a month", "no_invalidation"),
    ("surely youre feeling better by now", "no_invalidation"),
    ("you should be over the worst of it already", "no_invalidation"),
    ("isnt it time you moved on", "no_invalidation"),
    ("you shouldnt still be crying", "no_invalidation"),
    ("three weeks and youre still crying", "no_invalidation"),
    ("at your age you should be used to people dying", "no_invalidation"),
    ("he wouldnt want you moping around like this", "no_invalidation"),
    ("youve got to stay strong for the kids", "no_invalidation"),
    ("you need to hold it together for your family", "no_invalidation"),
    ("dont make a scene", "no_invalidation"),
    ("no more tears now", "no_invalidation"),
    ("lets not get too emotional here", "no_invalidation"),
    ("crying about it isnt going to help anyone", "no_invalidation"),
    ("you cant bring him back so theres no use dwelling on it", "no_invalidation"),
    ("whats done is done", "no_invalidation"),
    ("he had a good innings", "no_invalidation"),
    ("death is just part of life", "no_invalidation"),
    ("well everyone dies eventually", "no_invalidation"),
    ("people lose their parents all the time mate", "no_invalidation"),
    ("at least it wasnt sudden", "no_invalidation"),
    ("its not like you didnt know it was coming", "no_invalidation"),
    ("honestly its not that deep", "no_invalidation"),
    ("well thats grief for you", "no_invalidation"),
    ("these things happen", "no_invalidation"),
    ("okay but try to keep busy and you wont think about it so much", "no_invalidation"),
    ("try to think about the good times instead", "no_invalidation"),
    ("lets focus on the positives", "no_invalidation"),
    ("stop wallowing", "no_invalidation"),
    ("wow thats a lot of drama", "no_invalidation"),
    ("lets park that and do your homework review", "no_invalidation"),
    ("right moving on to your sleep diary", "no_invalidation"),
    ("so back to the paperwork", "no_invalidation"),
    ("sorry but i need to get through my questions", "no_invalidation"),
    ("thats enough about your dad for now", "no_invalidation"),
    ("lets talk about something more positive", "no_invalidation"),
    ("changing the subject did you get that form back", "no_invalidation"),
    ("okay times up for today", "no_invalidation"),
    ("were out of time so ill have to stop you there", "no_invalidation"),
    ("haha ok sure", "no_insult"),
    ("lmao", "no_insult"),
    ("oh no anyway", "no_insult"),
    ("are you finished crying yet", "no_insult"),
    ("are we done here", "no_insult"),
    ("what do you want me to say", "no_insult"),
    ("ugh not the waterworks again", "no_insult"),
    ("those are some real crocodile tears", "no_insult"),
    ("youre being a bit much", "no_insult"),
    ("sure you do", "no_invalidation"),
    ("k", "no_insult"),
    ("youre such a snowflake", "no_insult"),
    ("youre a grown man act like it", "no_stigma"),
    ("you cry like a little girl", "no_stigma"),
    ("real men dont cry mate", "no_stigma"),
    ("crying is for girls", "no_stigma"),
    ("women always get so emotional about this stuff", "no_stigma"),
    ("as a man you should be able to handle this", "no_stigma"),
    ("youre the man of the house now so no more tears", "no_stigma"),
]


def asr(text: str) -> str:
    """As ASR writes it: lower case, no punctuation, no apostrophes ("lets", "youre")."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("'", "")).lower().split())


@pytest.mark.parametrize("reply", DISMISSIVE_AFTER_EMPATHY, ids=lambda r: r[:40])
def test_dismissive_reply_fails_despite_a_token_of_empathy(reply: str):
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF)).iloc[0]
    failed = {r["rule"] for r in scores["reasons"]}
    assert not scores["passed"], reply
    # Failed for what it says, not only for a low empathy score.
    assert failed & {"no_invalidation", "no_insult", "no_blaming", "no_stigma"}, failed
    assert "min_appropriateness" in failed, failed


@pytest.mark.parametrize("reply", VALIDATING_WITH_THE_SAME_WORDS, ids=lambda r: r[:40])
def test_negated_or_reported_phrasing_is_not_held_against_the_reply(reply: str):
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF)).iloc[0]
    failed = {r["rule"] for r in scores["reasons"]}
    assert not failed & {"no_invalidation", "no_insult", "no_blaming", "no_stigma"}, failed
    assert scores["appropriateness"] >= 0.6, scores["appropriateness"]
    # Validating the feeling is empathy: these replies are good training data, not rejects.
    assert scores["passed"], failed


@pytest.mark.parametrize("reply", SAME_WORDS_NOT_DISMISSIVE, ids=lambda r: r[:40])
def test_same_words_in_a_caring_reply_raise_no_content_flag(reply: str):
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF)).iloc[0]
    failed = {r["rule"] for r in scores["reasons"]}
    assert not failed & {"no_invalidation", "no_insult", "no_blaming", "no_stigma"}, failed


@pytest.mark.parametrize(("reply", "rule"), BRUSH_OFFS + MORE_BRUSH_OFFS, ids=lambda r: r[:40])
def test_brush_off_after_an_empathy_opener_fails_on_what_it_says(reply: str, rule: str):
    scores = score_exchanges(frame({"r": OPENER + reply}, prompt=GRIEF)).iloc[0]
    assert not scores["passed"], reply
    assert rule in {r["rule"] for r in scores["reasons"]}, scores["reasons"]


@pytest.mark.parametrize(("reply", "rule"), BRUSH_OFFS, ids=lambda r: r[:40])
def test_brush_off_fails_as_one_unpunctuated_asr_run(reply: str, rule: str):
    text = asr(OPENER + reply)  # "that sounds really hard im so sorry but its been three weeks"
    scores = score_exchanges(frame({"r": text}, prompt=GRIEF)).iloc[0]
    assert not scores["passed"], text
    assert rule in {r["rule"] for r in scores["reasons"]}, scores["reasons"]


def test_feature_stage_and_scorer_read_invalidation_alike():
    from pixel_assets.dialogue.markers import text_markers
    from pixel_assets.features.counselling import counselling_row
    from pixel_assets.features.options import FeatureOptions

    options = FeatureOptions()
    for reply in DISMISSIVE_AFTER_EMPATHY + VALIDATING_WITH_THE_SAME_WORDS:
        feature = counselling_row(reply, options)["invalidation"]
        markers = text_markers(reply)
        marker = markers.invalidation or markers.insult or markers.blaming
        assert feature == markers.invalidation, reply
        assert marker == (reply in DISMISSIVE_AFTER_EMPATHY), reply
    for reply in [OPENER + r for r, _ in BRUSH_OFFS + MORE_BRUSH_OFFS] + SAME_WORDS_NOT_DISMISSIVE:
        feature = counselling_row(reply, options)["invalidation"]
        markers = text_markers(reply)
        flagged = markers.invalidation or markers.insult or markers.blaming or markers.stigma
        assert feature == markers.invalidation, reply
        assert flagged == (reply not in SAME_WORDS_NOT_DISMISSIVE), reply


DEFLECTIONS = [
    "Mm-hmm. So, what did you have for breakfast?",
    "Okay. Anyway, did you watch the game last night?",
    "That sounds hard. So how's the weather where you are?",
    "Right. By the way, seen any good films lately?",
]
# Food, weekends and the weather asked about as care, not as a change of subject.
NOT_DEFLECTIONS = [
    "Have you been eating? What did you have for breakfast today?",
    "So, any plans this weekend? Will anyone be with you?",
    "When grief is this raw, even the weather can feel wrong. What's the hardest time of day?",
]


@pytest.mark.parametrize("reply", DEFLECTIONS, ids=lambda r: r[:40])
def test_off_topic_deflection_after_a_disclosure_fails(reply: str):
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF, similarity=0.0)).iloc[0]
    assert not scores["passed"]
    assert "no_invalidation" in {r["rule"] for r in scores["reasons"]}


@pytest.mark.parametrize("reply", NOT_DEFLECTIONS, ids=lambda r: r[:40])
def test_care_about_food_weekends_or_weather_is_not_a_deflection(reply: str):
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF)).iloc[0]
    assert "no_invalidation" not in {r["rule"] for r in scores["reasons"]}


# Small talk with no marker: a deflection only when the client never raised the topic.
UNMARKED_DEFLECTIONS = [
    ("Mm-hmm. What did you have for breakfast?", "food"),
    ("That sounds really painful. How's the weather where you are?", "weather"),
    ("Okay. Did you catch the match on Saturday?", "sport and screen"),
    ("I see. What's your favourite film?", "sport and screen"),
    ("Right. Any holiday plans this year?", "holidays"),
    ("Mm. Is it raining there?", "weather"),
    ("mm hmm whats for dinner tonight", "food"),
    ("okay whatd you have for breakfast", "food"),
    ("Right. Did you catch the footy?", "sport and screen"),
    ("I hear you. Have you watched anything good on Netflix lately?", "sport and screen"),
]
# The same questions where the conversation is on their topic, or the client asked for a
# break, or the counsellor asks as care or about the person who died.
NOT_UNMARKED_DEFLECTIONS = [
    (GRIEF, "Have you been eating? What did you have for breakfast today?"),
    ("I haven't eaten properly since the funeral.", "Mm-hmm. What did you have for breakfast?"),
    ("The rain makes it worse, grey every single day.", "How's the weather been this week?"),
    ("We used to watch the football together every Saturday.",
     "Did you watch the game this weekend? How did it feel without him?"),
    (GRIEF, "What was his favourite film? Sometimes memories help."),
    ("Can we talk about something lighter? I'm tired of crying.",
     "Of course. What's your favourite film?"),
    ("I don't want to talk about it today.", "That's okay. Any holiday plans coming up?"),
    (GRIEF, "Let's try grounding. Look outside: what's the weather doing right now?"),
    (GRIEF, "I'm not going to ask what you had for breakfast. Tell me about your dad."),
]


@pytest.mark.parametrize(("reply", "topic"), UNMARKED_DEFLECTIONS, ids=lambda r: str(r)[:40])
def test_unmarked_change_of_subject_after_a_disclosure_fails(reply: str, topic: str):
    from pixel_assets.validation.deflection import changed_subject

    assert changed_subject(GRIEF, reply) == topic
    scores = score_exchanges(frame({"r": reply}, prompt=GRIEF, similarity=0.0)).iloc[0]
    assert not scores["passed"]
    assert "no_change_of_subject" in {r["rule"] for r in scores["reasons"]}
    assert bool(scores["change_of_subject"])


@pytest.mark.parametrize(("prompt", "reply"), NOT_UNMARKED_DEFLECTIONS, ids=lambda r: r[:40])
def test_small_talk_on_the_clients_topic_or_asked_for_is_not_a_change_of_subject(
    prompt: str, reply: str
):
    scores = score_exchanges(frame({"r": reply}, prompt=prompt)).iloc[0]
    assert not bool(scores["change_of_subject"])
    assert "no_change_of_subject" not in {r["rule"] for r in scores["reasons"]}
