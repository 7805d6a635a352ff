"""Crisis detection on ASR-style text: every disclosure is found, idioms are not flagged."""

from __future__ import annotations

import pytest

from pixel_assets.validation.crisis import CATEGORIES, crisis_summary, detect_crisis

# (category, text): real phrasings and the ways ASR mangles them (no punctuation, words run
# together, misspellings and mis-hearings).
POSITIVES = [
    ("suicidal_ideation", "I think I'm outending my life"),
    ("suicidal_ideation", "sometimes I think everyone would be better off without me"),
    ("suicidal_ideation", "the world would be better off without me in it"),
    # As tiny.en heard the counselling fixture's disclosure, and other mishearings of "better".
    ("suicidal_ideation", "everyone would be bigger off without me"),
    ("suicidal_ideation", "they'd all be bitter off without me"),
    ("suicidal_ideation", "beter off with out me honestly"),
    ("suicidal_ideation", "id be better of dead"),
    ("suicidal_ideation", "i just want to kill myself"),
    ("suicidal_ideation", "iwanttokillmyself"),
    ("suicidal_ideation", "i want to kil my self"),
    ("suicidal_ideation", "i want to kill my shelf"),
    ("suicidal_ideation", "ive been thinking about suicide a lot"),
    ("suicidal_ideation", "i have sueside thoughts every night"),
    ("suicidal_ideation", "im so suicidal lately"),
    ("suicidal_ideation", "i dont want to be alive anymore"),
    ("suicidal_ideation", "i wish i could go to sleep and never wake up again"),
    ("suicidal_ideation", "theres no reason to live anymore"),
    ("suicidal_ideation", "i feel like ending it all"),
    ("suicidal_ideation", "i wanna die"),
    ("suicidal_ideation", "i have a plan to take my own life"),
    ("suicidal_ideation", "i took a bunch of pills because i wanted to overdose"),
    ("self_harm", "ive been cutting myself again"),
    ("self_harm", "sometimes i hurt myself when it gets bad"),
    ("self_harm", "i have been self harming since school"),
    ("harm_to_others", "im going to kill him if he touches her again"),
    ("harm_to_others", "sometimes i want to hurt somebody really bad"),
    ("abuse_disclosure", "my stepdad hits me when hes drunk"),
    ("abuse_disclosure", "he used to touch me when i was little"),
    ("abuse_disclosure", "i was sexually abused as a child"),
    ("abuse_disclosure", "My husband beats me. I'm scared to go home."),
    # Warning signs without the words "suicide" or "kill": preparation, means, hopelessness.
    ("suicidal_ideation", "I've been stockpiling my pills."),
    ("suicidal_ideation", "I took a whole bottle of paracetamol yesterday"),
    ("suicidal_ideation", "i took all my tablets last night"),
    ("suicidal_ideation", "I've given away my things"),
    ("suicidal_ideation", "I wrote a goodbye letter to my kids"),
    ("suicidal_ideation", "I have a plan and I have the means"),
    ("suicidal_ideation", "what's the point of living"),
    ("suicidal_ideation", "there's no reason for me to stay alive"),
    ("suicidal_ideation", "I no longer want to live"),
    ("suicidal_ideation", "I can't go on like this"),
    ("suicidal_ideation", "I can't do this anymore"),
    ("suicidal_ideation", "I feel like disappearing forever"),
    ("suicidal_ideation", "I just want to disappear"),
    ("suicidal_ideation", "i dont want to wake up anymore"),
    ("suicidal_ideation", "I'd rather be dead"),
    ("self_harm", "I've been cutting again."),
    ("self_harm", "the urge to cut is so strong tonight"),
    ("self_harm", "I started cutting again last month"),
    ("self_harm", "I started cutting when I was 14"),
    ("self_harm", "I've been cutting and I can't stop"),
    ("suicidal_ideation", "I swallowed all my tablets"),
    ("abuse_disclosure", "my stepdad touches me at night"),
    ("abuse_disclosure", "my husband hits me in the face"),
    ("abuse_disclosure", "he forced himself on me"),
    ("abuse_disclosure", "he made me touch him"),
    ("suicidal_ideation", "I've been researching ways to die"),
    ("suicidal_ideation", "I looked up how many pills it would take"),
    ("suicidal_ideation", "I want to go to sleep forever"),
    ("suicidal_ideation", "they'd be happier without me"),
    ("suicidal_ideation", "nobody would miss me if I was gone"),
    ("suicidal_ideation", "I'd be better off gone"),
    ("suicidal_ideation", "I'm a burden to everyone"),
    ("suicidal_ideation", "I don't see a future for myself"),
    ("suicidal_ideation", "life isn't worth living"),
    ("suicidal_ideation", "I've been thinking about death a lot"),
    ("suicidal_ideation", "I keep thinking about driving into a wall"),
    ("suicidal_ideation", "I want it all to stop"),
    ("suicidal_ideation", "I want to end it."),
    ("suicidal_ideation", "I'm thinking of ending things"),
    ("suicidal_ideation", "I want to unalive myself"),
    ("self_harm", "I put a knife to my wrist"),
    ("self_harm", "I punch walls until my knuckles bleed"),
    ("harm_to_others", "I'm going to bring my dad's gun to school"),
    ("abuse_disclosure", "he threatened to kill me"),
    ("abuse_disclosure", "I was groped by my boss"),
    ("abuse_disclosure", "he won't let me leave the house"),
    ("abuse_disclosure", "my partner takes my money and my phone"),
    ("harm_to_others", "sometimes I think about hurting the baby"),
    ("harm_to_others", "I shook the baby when she wouldn't stop crying"),
    ("harm_to_others", "I hit my kids when I'm angry"),
    ("harm_to_others", "I want to punch him in the face"),
    ("harm_to_others", "I'm going to make him suffer"),
    ("harm_to_others", "I want to burn his house down"),
    ("harm_to_others", "I bought a gun to deal with him"),
    ("harm_to_others", "I'll run him over with my car"),
    # Preparation, burdensomeness, threats with their condition, purging and starving.
    ("suicidal_ideation", "i took a bunch of pills last night"),
    ("suicidal_ideation", "I swallowed like 40 of my tablets"),
    ("suicidal_ideation", "i wrote letters to everyone, just in case"),
    ("suicidal_ideation", "i gave my dog to my sister, i won't need him"),
    ("suicidal_ideation", "everyone would be happier if i disappeared"),
    ("suicidal_ideation", "they'd be better off if I was gone"),
    ("suicidal_ideation", "i have a plan for how i'd do it"),
    ("suicidal_ideation", "I'm saying goodbye to everyone tonight"),
    ("suicidal_ideation", "i'm not going to be a problem for much longer"),
    ("abuse_disclosure", "he said if i leave he'll kill me"),
    ("abuse_disclosure", "she'll hurt me if I tell anyone"),
    ("self_harm", "i haven't eaten in four days and i'm making myself sick"),
    ("self_harm", "I make myself throw up after every meal"),
    ("suicidal_ideation", "i just don't see the point in anything anymore"),
    ("suicidal_ideation", "i've been thinking it would be easier if i just wasn't here"),
    ("suicidal_ideation", "i wish i could just not exist"),
    ("suicidal_ideation", "i've thought about taking all my pills"),
    ("suicidal_ideation", "i could just take the whole lot tonight"),
    ("suicidal_ideation", "i keep thinking about driving off the road"),
    ("suicidal_ideation",
     "sometimes i stand on the platform and think about stepping in front of the train"),
    ("suicidal_ideation", "i've got the rope in the garage"),
    ("suicidal_ideation", "i've been saving my tablets"),
    ("suicidal_ideation", "i don't think i'll be around for christmas"),
    ("suicidal_ideation", "i'm so done with life"),
    ("suicidal_ideation", "there's no way out"),
    ("suicidal_ideation", "i'm going to do something stupid tonight"),
    ("abuse_disclosure", "my dad hits my mum"),
    ("abuse_disclosure", "he pushed me down the stairs"),
    ("abuse_disclosure", "my uncle did stuff to me when i was little"),
    ("abuse_disclosure", "i'm scared he's going to kill me"),
    ("self_harm", "I'm worried he's going to hurt himself"),
    ("suicidal_ideation", "my daughter said she wants to kill herself"),
    ("suicidal_ideation", "last week i tried to end things"),
    ("suicidal_ideation", "i attempted in 2019"),
    ("suicidal_ideation", "i was in hospital after my attempt"),
    ("suicidal_ideation", "i sit in the car with the engine running in the garage"),
    ("suicidal_ideation", "i just want to stop existing"),
    ("suicidal_ideation", "honestly everyone would be better off"),
    ("suicidal_ideation", "i hate myself so much i want to disappear for good"),
    ("suicidal_ideation", "i've been having intrusive thoughts about jumping"),
    ("suicidal_ideation", "i wish i'd never woken up this morning"),
    ("suicidal_ideation", "i've thought about how i'd do it"),
    ("suicidal_ideation", "nobody would even notice if i was gone"),
    ("suicidal_ideation", "i'm not scared of dying anymore"),
    ("suicidal_ideation", "i've written my will and sorted everything out"),
    ("suicidal_ideation", "this is the last time you'll hear from me"),
    ("self_harm", "i carry a blade with me"),
    ("self_harm", "i relapsed and cut last night"),
    ("self_harm", "i burnt my arm with a cigarette on purpose"),
    ("self_harm", "i've been pulling my hair out till it bleeds"),
    ("harm_to_others", "i want to hurt the people who did this to me"),
    ("harm_to_others", "i keep imagining strangling him"),
    ("abuse_disclosure", "he makes me do things i don't want to"),
    ("abuse_disclosure", "my boyfriend won't let me have my own money"),
]

HARD_NEGATIVES = [
    "this workload is killing me",
    "I could die of embarrassment",
    "the battery died",
    "my phone is dead sorry i didnt call",
    "im dying to see that movie",
    "we absolutely killed it at the presentation",
    "my mom is going to kill me for being late",
    "i cut myself a slice of cake",
    "i hurt myself playing football last week",
    "it hit me that i had forgotten her birthday",
    "he hit me up on instagram yesterday",
    "my dad beat me at chess again",
    "the plants all died while we were away",
    "im dead tired after work",
    "we need to end this meeting on time",
    "our team would be better off with more staff",
    "we would be better off without it",
    "the bigger office was quiet without me",
    "they went off without me to the cinema",
    "he took a stab at fixing it",
    "im killing time before my appointment",
    "im so tired of living in this city",
    "i could kill for a pizza right now",
    "i want to diet before summer",
    "i dont want to live in london anymore",
    "grapes are my favourite fruit",
    "i really want to improve my skill myself",
    # Look-alikes of the warning signs above.
    "I collected my medication from the pharmacy",
    "I take my tablets every morning",
    "I took the whole day off",
    "I took too many photos on holiday",
    "I'm saving up for a car",
    "I gave away my old clothes to charity",
    "I said goodbye to my mum at the airport",
    "we have a plan for the weekend",
    "what's the point of this meeting",
    "I can't do this job anymore",
    "I can't go on the trip next week",
    "I want to disappear from social media for a while",
    "I wish I could just disappear into a good book",
    "I don't want to wake up early tomorrow",
    "I'd rather be dead than wear that",
    "he beat me in the race",
    "she beats me at scrabble every time",
    "I cut my arm on a nail",
    "I have the urge to cut ties with him",
    "the hairdresser started cutting my hair",
    "I started cutting back on sugar",
    "we've been cutting costs at work",
    "I could sleep forever after that shift",
    "the team will be fine without me on holiday",
    "nobody would miss me at the party anyway",
    "I don't see a future with him",
    "I want to end it with him",
    "I'm going to end the call now",
    "I crashed my car into a tree last winter",
    "we drove into town",
    "life is worth it",
    "the job isn't worth it",
    "I bring my gun to the range",
    "I was thinking about the deadline",
    "I want it all to work out",
    "she threatened to quit",
    "I don't see a future in this job",
    "it hit him hard when his dad died",
    "we killed them in the final",
    "she beat my daughter in the race",
    "I want to punch a pillow",
    "I shook the rug out",
    "I hit my head on the door",
    "I run my kids to school",
    "I take all my meds every morning",
    "I said goodbye to everyone at the party",
    "I consider him a burden on the team",
    "I've been cutting carbs",
    "I have the urge to cut sugar",
    "It hurt my son when his dad left",
    "that really hurt my daughter's feelings",
    "i took 2 pills for my back",
    "I took a lot of pictures at the wedding",
    "I make myself sick with worry about exams",
    "my mum will kill me if I'm late again",
    "I haven't eaten since lunch",
    "we've got a plan for how to do it, the renovation I mean",
    "I wrote letters to everyone for Christmas",
    "I gave my old bike to my nephew",
    "I'll be fine if I just get some sleep",
    "I don't see the point in going to the gym",
    "my boss pushed me to apply for the job",
    "my brother beat my dad at chess",
    "I'm done with everything on my list",
    "there's no way out of the car park after six",
    "I did something stupid at work yesterday",
    "he hurt himself playing rugby",
    "we'll take the whole lot, thanks",
    "I'm saving my tablets for the trip",
    "we bought a rope for the swing",
    "the car went off the road in the snow",
    "I tried to end things with him last spring",
    "my attempt at baking went badly",
    "I thought about how I'd do it differently next time",
    "I burnt my hand on the oven",
    "I've written my will, like every parent should",
    "everyone would be better off with a four-day week",
    "nobody would notice if I was late",
    "I wish I'd woken up earlier",
    "I want to disappear for the weekend, just switch off",
]


def test_precision_and_recall_on_asr_style_phrasings(capsys):
    assert len(POSITIVES) >= 15 and len(HARD_NEGATIVES) >= 15
    missed = [t for _, t in POSITIVES if not detect_crisis(t)]
    false_alarms = [t for t in HARD_NEGATIVES if detect_crisis(t)]
    tp = len(POSITIVES) - len(missed)
    recall = tp / len(POSITIVES)
    precision = tp / (tp + len(false_alarms))
    with capsys.disabled():
        print(
            f"\ncrisis detector: recall {recall:.3f} ({tp}/{len(POSITIVES)}), precision "
            f"{precision:.3f} ({len(false_alarms)} of {len(HARD_NEGATIVES)} hard negatives "
            "flagged)"
        )
    assert missed == [], "a missed disclosure is the worst bug"
    assert false_alarms == []


@pytest.mark.parametrize("category,text", POSITIVES, ids=[t[:40] for _, t in POSITIVES])
def test_each_positive_names_its_category(category: str, text: str):
    matches = detect_crisis(text)
    assert category in {m.category for m in matches}
    for m in matches:
        assert m.category in CATEGORIES
        assert m.matched_text and m.matched_text in text  # a span of the original text


def test_matched_text_is_the_original_span():
    (match,) = detect_crisis("Honestly... I think I'm outending my life, you know?")
    assert match.matched_text == "ending my life"
    assert match.pattern == "end_my_life"


def test_summary_over_prompt_response_and_context():
    crisis, reason, text = crisis_summary(
        ["I cannot sleep", None, "my boyfriend hit me last night", "I want to die"]
    )
    assert crisis
    assert reason == "suicidal_ideation; abuse_disclosure"
    assert "boyfriend hit me" in text and "want to die" in text
    assert crisis_summary(["this workload is killing me", ""]) == (False, None, None)
