"""Text features on crafted sentences with known answers (lexicons and phrase rules)."""

from __future__ import annotations

import pytest

from pixel_assets.features import (
    EMOTIONS,
    FeatureOptions,
    counselling_frame,
    emotion_frame,
    sentiment_frame,
    toxicity_scores,
)

REFLECTION = "It sounds like you feel overwhelmed by everything that is happening at work."
DISMISSIVE = "Everybody has problems, just deal with it."


def markers(text: str, **options) -> dict:
    return counselling_frame([text], FeatureOptions(**options)).iloc[0].to_dict()


@pytest.mark.parametrize(
    ("negative", "positive"),
    [
        ("I feel awful and hopeless, nothing works out.", "I feel great, things are going well."),
        ("That was a horrible, painful week.", "That was a lovely, relaxing week."),
        ("I hate how lonely I am.", "I love spending time with my friends."),
    ],
)
def test_negative_sentences_score_below_positive_ones(negative, positive):
    scores = sentiment_frame([negative, positive])
    assert scores.loc[0, "sentiment"] < 0 < scores.loc[1, "sentiment"]
    assert scores.loc[0, "sentiment_neg"] > scores.loc[1, "sentiment_neg"]
    parts = scores[["sentiment_pos", "sentiment_neg", "sentiment_neu"]].sum(axis=1)
    assert parts.round(2).eq(1.0).all()


def test_emotion_shares_follow_the_lexicon():
    frame = emotion_frame(["I am furious and full of rage.", "The table is by the door.", ""])
    shares = frame[[f"emotion_{e}" for e in EMOTIONS]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert frame.loc[0, "dominant_emotion"] == "anger"
    assert frame.loc[0, "emotion_anger"] == 1.0
    assert frame.loc[0, "n_emotion_words"] >= 2
    # No emotion-bearing words: zero shares and "none", not a division by zero.
    assert frame.loc[2, "dominant_emotion"] == "none"
    assert shares.loc[2].sum() == 0.0


def test_inflected_words_fall_back_to_the_lexicon_base_form():
    base, inflected = emotion_frame(["worry", "worries"])[["emotion_fear", "n_emotion_words"]]\
        .to_numpy()
    assert inflected[1] == base[1] == 1
    assert inflected[0] == base[0] > 0


def test_open_and_closed_questions():
    open_q = markers("How have you been feeling since we last met?")
    closed_q = markers("Did you sleep well last night?")
    statement = markers("I slept well last night.")
    assert (open_q["is_question"], open_q["question_type"]) == (True, "open")
    assert (closed_q["is_question"], closed_q["question_type"]) == (True, "closed")
    assert (statement["is_question"], statement["question_type"]) == (False, "none")
    assert open_q["mi_code"] == "open_question"
    assert closed_q["mi_code"] == "closed_question"
    # "How many ..." asks for a number: closed. A prompt without "?" is still an open question.
    assert markers("How many hours do you sleep?")["question_type"] == "closed"
    assert markers("Tell me more about your brother.")["question_type"] == "open"
    # Unpunctuated ASR text starting with a question word.
    assert markers("so what brings you here today")["question_type"] == "open"


def test_empathic_reflection_beats_a_dismissive_reply():
    reflection = markers(REFLECTION)
    dismissive = markers(DISMISSIVE)
    assert reflection["empathy"] > dismissive["empathy"]
    assert reflection["empathy_interpretation"] == 2
    assert reflection["mi_code"] == "reflection"
    assert not reflection["invalidation"]
    assert dismissive["invalidation"]
    assert dismissive["empathy"] == 0.0


@pytest.mark.parametrize(
    "text",
    ["Just get over it.", "Stop complaining, it's not a big deal.", "You're overreacting.",
     "Everyone goes through breakups."],
)
def test_invalidating_phrases_are_flagged(text):
    assert markers(text)["invalidation"]


def test_invalidation_scales_empathy_by_the_configured_factor():
    text = "I'm so sorry, but honestly, just get over it."
    assert markers(text)["empathy"] == 0.0
    kept = markers(text, invalidation_empathy_factor=1.0)
    assert kept["empathy"] > 0 and kept["empathy_emotional_reaction"] == 2


def test_epitome_levels_grade_weak_and_strong_responses():
    weak = markers("I'm sorry. I understand.")
    strong = markers("I'm so sorry you lost your job. That must be really painful.")
    assert (weak["empathy_emotional_reaction"], weak["empathy_interpretation"]) == (1, 1)
    assert strong["empathy_emotional_reaction"] == 2
    generic = markers("What happened?")
    specific = markers("What was it like for you when your father moved out?")
    assert (generic["empathy_exploration"], specific["empathy_exploration"]) == (1, 2)
    assert specific["empathy"] > generic["empathy"]
    # The same open question stays generic when the bar for "specific" is raised above it.
    assert markers("How did you cope with that?", exploration_min_words=10)[
        "empathy_exploration"
    ] == 1
    assert markers("How did you cope with that?")["empathy_exploration"] == 2


def test_mi_codes_for_advice_affirmation_and_other():
    assert markers("You should try going to bed earlier.")["mi_code"] == "advice"
    assert markers("Have you tried writing a list?")["mi_code"] == "advice"
    assert markers("Well done, that took a lot of courage.")["mi_code"] == "affirmation"
    assert markers("The bus leaves at nine.")["mi_code"] == "other"


def test_profane_insult_gets_high_toxicity():
    insult, neutral = toxicity_scores(
        ["You are a fucking idiot, shut the hell up.", "That sounds hard, tell me more."]
    )
    assert insult > 0.8
    assert neutral < 0.2


def test_invalid_invalidation_pattern_names_the_option():
    with pytest.raises(ValueError, match="invalidation_patterns"):
        counselling_frame(["hello"], FeatureOptions(invalidation_patterns=("(unclosed",)))
