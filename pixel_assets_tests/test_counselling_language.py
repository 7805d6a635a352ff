"""The shared counselling lexicon on single sentences: what it flags, and the look-alikes a
good counsellor says that it must leave alone (advice versus reflection, questions, negation)."""

from __future__ import annotations

import pytest

from pixel_assets.counselling_language import INSULT, INVALIDATION, affirmed, normalise

DISMISSIVE = [
    "Just think positive.",
    "You should be grateful.",
    "Be grateful you have a roof over your head.",
    "Stay positive!",
    "Who cares?",
    "I don't care.",
    "Honestly, I don't care about your problems.",
    "Why don't you just get over it?",
    "dont be so dramatic",
    "I'm not sure, but you're overreacting.",
    "You're fine.",
    "Sounds like a you problem.",
    "That's your problem, not mine.",
    "Meh, whatever.",
    "Nobody cares.",
    "That's pathetic.",
    "Why would anyone want to be around you?",
    "i'm sure there are people far worse off",
    "it was just a dog",
    "plenty more fish in the sea, youll find someone else",
    "arent you over that yet",
    "we've been over this a hundred times",
    "oh please.",
    "try yoga",
    "just stop drinking then",
    "you need to pray more",
    "it's not rocket science",
    "i dont see what the big deal is",
    "you have so much to live for",
    "what have you got to be sad about",
    "quit your whining",
    "just get on with your life",
    "happiness is a choice",
    "its not like anyone died",
    "shame on you",
    "what kind of mother does that",
    "youre acting like a baby",
    "you're doing this for attention",
    "you're not even trying",
    "It's all in your head.",
    # Brush-offs after a token of empathy, as ASR writes them too.
    "But it's been three weeks.",
    "but its been three weeks",
    "its been six weeks already",
    "it's been what, six months now",
    "But honestly, three weeks is a long time to still be crying.",
    "you shouldnt still be crying",
    "surely youre feeling better by now",
    "isnt it time you moved on",
    "Still, you have to be strong for your mum now.",
    "stay strong",
    "he wouldnt want you moping around like this",
    "Try not to make a scene about it at work.",
    "dont cry",
    "keep it together at work yeah",
    "Well he was old, it was his time",
    "he had a good innings",
    "death is just part of life",
    "well everyone dies eventually",
    "people lose their parents all the time mate",
    "whats done is done",
    "well you cant change it so theres no point being upset",
    "I don't really see why that's a problem",
    "Ha, that's a bit much isn't it",
    "But you've got to admit he wasn't a great dad.",
    "Yeah yeah I get it. Moving on.",
    "yeah yeah i get it moving on",
    "okay well weve only got five minutes left so lets wrap up",
    "Let's get back to your goals for this week.",
    "lets park that and do your homework review",
    "Anyway, how's your car running?",
    "I'm so sorry. Anyway, how's your car running?",
    "im so sorry anyway hows your car running",
    "mm yeah anyway as i was saying about the paperwork",
    "Right. Moving on to your sleep diary.",
    "okay times up for today",
    "we're out of time so I'll have to stop you there",
    "lol okay",
    "Are you done?",
    "im so sorry are you done",
    "are you finished crying yet",
    "haha ok sure",
    "oh no anyway",
    "what do you want me to say",
    "ugh not the waterworks again",
    "youre being a bit much",
    "honestly thats kinda a you issue",
    "stop wallowing",
    "you just need to keep busy",
    "come on now dry those eyes",
    "lets not get too emotional here",
    "thats enough about your dad for now",
    "lets talk about something more positive",
    "you cant grieve forever",
    "k",
    # A sentence-initial brush-off reads its own sentence, not the one before.
    "Your dad told you to toughen up. Who cares?",
]
LEFT_ALONE = [
    "It's hard to stay positive when everything hurts.",
    "It's hard to be grateful when you're hurting this much.",
    "That's a bit much to carry on your own.",
    "Who cares for you at home?",
    "I don't care what others think; I care about you.",
    "I don't care how long it takes, we'll go at your pace.",
    "This isn't self-pity, it's grief.",
    "You're fine with that?",
    "You're not overreacting.",
    "you dont have to get over it",
    "You feel like you're a burden.",
    "Your mum told you to toughen up.",
    "Whatever you decide, I'm here.",
    "So what happened next?",
    "It can feel like nobody cares.",
    "Some people might tell you to toughen up, but that isn't what you need.",
    "Ugh, that sounds awful.",
    "Why would anyone want to hurt you?",
    "it could be worse is what people keep saying, and it doesn't help",
    "everyone keeps saying it could be worse, and you're tired of hearing it",
    "being told to cheer up when you're grieving is hard",
    "that's life-changing news",
    "What's going on in your head right now?",
    "it's not that hard to see why you're exhausted",
    "You've had to just get on with things for so long.",
    "it's not as simple as just stop drinking, is it?",
    "Some people find yoga helps, but only if it feels right for you.",
    "did going for a walk help at all?",
    "Whatever you say here stays between us.",
    "Oh, please don't apologise.",
    "It's a big deal. It really is.",
    "You're not over it yet, and that's okay.",
    "You're not a bad mother.",
    "you worry you're a terrible father",
    "It's normal to feel like you're wasting your life when you're depressed.",
    "some people call it a cop out, but asking for help takes courage",
    "How could you have known?",
    # The same words validating, reporting, or offering the client the choice.
    "You don't have to be strong for anyone right now.",
    "There's no timeline for grief, three weeks is no time at all.",
    "It's been three weeks, and it still feels raw. That makes sense.",
    "Anyway you feel is okay.",
    "anyway you look at it this is a huge loss",
    "Anyway, you were telling me about the funeral.",
    "You're not a burden.",
    "We've got a few minutes left; I want to make sure you have support tonight.",
    "Let's come back to that next week if you'd like.",
    "Is it okay if we get back to what you said about your dad?",
    "We can get back to your goals whenever you're ready; today is about your dad.",
    "Let's wrap up by making a plan for tonight so you're not alone.",
    "Time's up for today, but I want to check: are you safe tonight?",
    "Sorry, I have to stop you there, did you say you have pills at home?",
    "Are you doing okay?",
    "Are you done for today, or would you like a few more minutes?",
    "It's only been three weeks. Of course you're still crying.",
    "It's been three weeks now. How have the nights been?",
    "You said it's been three weeks. How has each week felt?",
    "Three weeks on and you're still crying, and that makes complete sense.",
    "Three weeks is a long time to carry this on your own.",
    "It's exhausting trying to be strong for your mum when you're grieving too.",
    "You've had to be strong for everyone. Who's being strong for you?",
    "You don't always have to be strong.",
    "You wonder if he'd want you to be happy.",
    "There's no need to feel embarrassed about crying here.",
    "You shouldn't feel guilty for crying at work.",
    "There's no point pretending you're fine in here.",
    "No one's asking you to move on.",
    "You might feel you should be better by now, but grief doesn't work on a schedule.",
    "You were worried you'd make a scene at the funeral.",
    "You didn't make a scene; you were grieving.",
    "Don't worry about making a scene in here; this is a safe place.",
    "you dont have to hold it together in here",
    "He was 80, and losing him still hurts.",
    "He was old, but that doesn't make losing him any easier.",
    "He lived a long life, and you were a big part of it.",
    "Some people say it was his time, but that doesn't make it hurt less.",
    "You said he wasn't a great dad, and grieving someone complicated is confusing.",
    "Haha, he sounds like he was a real character.",
    "Ha, I love that he used to sing in the car.",
    "Moving on can feel impossible right now.",
    "There's no rush to start moving on.",
    "What do you want me to know about him?",
    "You can't bring him back, and that's what makes this so painful.",
    "It happens a lot after a loss, and it's normal.",
    "Tell me what you notice when it happens.",
    "It's frightening how fast these things happen.",
    "Keeping busy can be a way of coping for a while.",
    "It's not wallowing. It's grief.",
    "Let's not go there today unless you want to.",
    "Enough about me; how are you feeling?",
    "That's enough to make anyone cry.",
    "I'm sorry. Crying again and again is exhausting.",
    "Let's take a breath together and put that aside for a moment.",
    "What can you do to look after yourself tonight?",
    "Keep strong boundaries with him if you can.",
    "Who told you that you need to be strong for everyone?",
    "Where did you learn that you have to be strong?",
    "He's old, so it makes sense you worry about him.",
    "Well, it's been a year. How are you marking the anniversary?",
    "Still, it's been three weeks. No wonder you're exhausted.",
    "It's been three weeks of hell for you, hasn't it?",
    "You've got to admit, you've come a long way.",
    "Yeah, yeah, I know. It's awful.",
    "So back to work on Monday, how are you feeling about it?",
    "Let's go back to the breathing exercise for a minute.",
    "Let's get back to the plan for tonight.",
    "We'll get back to your goals next week; today is about your dad.",
    "Anyway, I'm here for you.",
    "Let's try the breathing together. Here we go.",
    "Oh no, not again. That must be so disheartening.",
    "Seriously? He said that to you?",
    "You act like it's fine, but you're hurting.",
    "Panic peaks and passes; you can ride it out with your breathing.",
    "You're just tired of fighting, aren't you?",
    "Some people bounce back quickly and some don't.",
    "Get it out of your head and onto paper tonight.",
    "Don't think about it as failing.",
    "No more crying alone, okay? Call me.",
    "You shouldn't be grieving alone.",
    "There's no need to cry alone tonight.",
    "That's grief for you, it comes in waves.",
    "It's not that serious to others, but it matters to you.",
    "Enough of the theory, tell me how you are.",
    "Upset again? Tell me what happened.",
    "Let's wrap up by checking who you can call tonight.",
    "Are you through the worst of the paperwork now?",
]


def flagged(text: str) -> bool:
    t = normalise(text)
    return affirmed(INVALIDATION, t) or affirmed(INSULT, t)


@pytest.mark.parametrize("text", DISMISSIVE)
def test_dismissive_sentences_are_flagged(text: str):
    assert flagged(text)


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_reflections_questions_and_negations_are_left_alone(text: str):
    assert not flagged(text)


STIGMATISING = [
    "You're acting so bipolar today.",
    "you are so bipolar",
    "You're such an addict.",
    "You're being mental.",
    "You're a drunk.",
    "Typical woman, always so emotional.",
    "Men don't cry.",
    "What a nutter.",
    "youre so weak",
    "killing yourself is selfish",
    "depression is just laziness",
    "once an addict always an addict",
    "people like you never get better",
    "you belong in a psych ward",
    "grown adults dont cry about this",
    "you're mental",
    "Men your age shouldn't be crying like this",
    "men your age shouldnt be crying like this",
    "you cry like a girl",
    "crying is for girls",
    "real men get on with it",
    "as a man you should be able to handle this",
    "a man your age should be able to cope",
    "youre the man of the house now so no more tears",
    "women always get so emotional about this stuff",
    "dont be such a girl",
    "youre a grown man act like it",
    "women cry men get on with it",
]
NAMING_A_CONDITION = [
    "Bipolar disorder can make mood shifts feel overwhelming.",
    "You mentioned your OCD makes mornings hard.",
    "You're bipolar, and you've been managing it for years.",
    "You're not an addict because you slipped once.",
    "Addiction is an illness, not a failure.",
    "How has your mental health been?",
    "You're feeling paranoid that people are watching you?",
    "you're mental health has taken a hit this year",
    "Wanting time for yourself isn't selfish.",
    "That's selfish of him, to leave you with all of that.",
    "He used to say men don't cry, and you learned to hide it.",
    "You've heard people say addicts never change, and you're proving them wrong.",
    "You were scared you'd be locked up if you told anyone.",
    "You've been called a drama queen your whole life.",
    "Men are often told not to cry, and that's unfair.",
    "A lot of men your age find it hard to let themselves cry.",
    "Boys are often told they shouldn't cry, and that stays with you.",
    "You grew up hearing that men shouldn't cry.",
    "Real men cry too, and so do you.",
    "You're a grown man who just lost his dad. Of course you're crying.",
    "You were told crying is for girls, and that stuck with you.",
    "Your dad used to say real men get on with it.",
    "It's not girly or weak to cry for your dad.",
    "You've felt like you had to be the man of the house since he died.",
    "Some men can't cry after a loss, and that's normal too.",
    "Some men deal with it by working more.",
    "In your family, men don't talk about their feelings.",
    "Growing up, boys didn't cry in your house.",
    "Men are emotional too, they just hide it.",
    "You have feelings for women, and that's something we can talk about.",
    "She was a girly girl, you said.",
    "You're a little girl again in that memory. What do you need?",
    "You're hormonal after the birth, and grief on top of that is a lot.",
    "You mentioned it's worse at that time of the month.",
]


@pytest.mark.parametrize("text", STIGMATISING)
def test_a_diagnosis_or_stereotype_used_as_an_insult_is_stigma(text: str):
    from pixel_assets.dialogue.markers import text_markers

    assert text_markers(text).stigma


@pytest.mark.parametrize("text", NAMING_A_CONDITION)
def test_naming_a_condition_is_not_stigma(text: str):
    from pixel_assets.dialogue.markers import text_markers

    markers = text_markers(text)
    assert not (markers.stigma or markers.insult or markers.invalidation)


@pytest.mark.parametrize("name", ["INVALIDATION", "INSULT", "STIGMA"])
def test_grouping_patterns_by_first_character_keeps_every_match(name: str):
    """compile_patterns groups the patterns by the character their match can start with:
    the matches must be those of one plain alternation."""
    import re

    from pixel_assets import counselling_language
    from pixel_assets.dialogue import markers

    patterns = {
        "INVALIDATION": counselling_language.INVALIDATION_PATTERNS,
        "INSULT": counselling_language.INSULT_PATTERNS,
        "STIGMA": markers.STIGMA_PATTERNS,
    }[name]
    grouped = counselling_language.compile_patterns(patterns)
    at_word = [p[2:] for p in patterns if p.startswith(r"\b")]
    others = [f"(?:{p})" for p in patterns if not p.startswith(r"\b")]
    plain = re.compile("|".join([r"\b(?:" + "|".join(f"(?:{p})" for p in at_word) + ")",
                                 *others]))
    for text in DISMISSIVE + LEFT_ALONE + STIGMATISING + NAMING_A_CONDITION:
        t = normalise(text)
        assert [m.span() for m in grouped.finditer(t)] == [m.span() for m in plain.finditer(t)]
