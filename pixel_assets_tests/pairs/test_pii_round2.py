"""PII scrubbing, second red-team round: names without a cue in lower case, with apostrophes,
accents and surnames, names faker's English lists lack, names that are also places or months,
letters and spelled names; districts, towns with their county, places the speaker names; plates,
IBANs, card tails and IP addresses; and the look-alikes each rule must leave alone."""

from __future__ import annotations

import pytest

from pixel_assets.pairs.pii import PiiOptions, PiiScrubber

POSITIVES2 = [
    # Lower-case names beside a word that needs a person, before "'s", between a comma and a
    # stop, after a greeting; a listed surname after one.
    ("i told jessica everything", ["[NAME]"], "jessica"),
    ("i was with kyle last night", ["[NAME]"], "kyle"),
    ("jessica said i was being dramatic", ["[NAME]"], "jessica"),
    ("i told jessica and kyle", ["[NAME]", "[NAME]"], "kyle"),
    ("kyle's car was outside again", ["[NAME]"], "kyle"),
    ("i told jessica thompson everything", ["[NAME]"], "thompson"),
    ("that makes sense, priya.", ["[NAME]"], "priya"),
    ("hi sophie, welcome back", ["[NAME]"], "sophie"),
    ("i broke up with oliver in june", ["[NAME]"], "oliver"),
    # Apostrophes, capitals inside, hyphens, particles and accents.
    ("I told O'Connor everything", ["[NAME]"], "Connor"),
    ("D'Angelo was there that night", ["[NAME]"], "Angelo"),
    ("Kyle O'Brien hit me", ["[NAME]"], "Brien"),
    ("Kyle McDonald hit me", ["[NAME]"], "Donald"),
    ("Kyle Smith-Jones hit me", ["[NAME]"], "Jones"),
    ("I told Jessica van der Berg", ["[NAME]"], "Berg"),
    ("I told DeShawn about it", ["[NAME]"], "Shawn"),
    ("Mary-Jane said I was fine", ["[NAME]"], "Jane"),
    ("I texted Róisín and Zoë", ["[NAME]", "[NAME]"], "Zoë"),
    ("my daughter Zoë O'Sullivan is six", ["[NAME]"], "Sullivan"),
    # Names faker's English lists lack, nicknames, surnames said alone.
    ("Oluwaseun said I should leave", ["[NAME]"], "Oluwaseun"),
    ("I told Thandiwe about the baby", ["[NAME]"], "Thandiwe"),
    ("Harpreet picked me up", ["[NAME]"], "Harpreet"),
    ("I met Agnieszka at work", ["[NAME]"], "Agnieszka"),
    ("Tadhg is my ex", ["[NAME]"], "Tadhg"),
    ("Mohamad said no", ["[NAME]"], "Mohamad"),
    ("I told Jonno and he laughed", ["[NAME]"], "Jonno"),
    ("Becks said no", ["[NAME]"], "Becks"),
    ("Nguyen was my teacher", ["[NAME]"], "Nguyen"),
    # A name that is a town, a country or a month, beside a person word.
    ("I was at Kyle's house", ["[NAME]"], "Kyle"),
    ("I went to Jordan's after school", ["[NAME]"], "Jordan"),
    ("I told Jordan everything", ["[NAME]"], "Jordan"),
    ("Georgia said she hates me", ["[NAME]"], "Georgia"),
    ("I texted April last night", ["[NAME]"], "April"),
    ("Grace said it wasn't my fault", ["[NAME]"], "Grace"),
    ("I told Christian the truth", ["[NAME]"], "Christian"),
    # A letter read out, and names spelled out.
    ("Dear Sophie, I am writing to say sorry", ["[NAME]"], "Sophie"),
    ("she wrote dear jessica, sorry", ["[NAME]"], "jessica"),
    ("it's spelled J A K E", ["[NAME]"], "J A K E"),
    ("that's K-Y-L-E with a K", ["[NAME]"], "K-Y-L-E"),
    ("my name is spelt k y l e", ["[NAME]"], "k y l e"),
    # Districts, towns GeoNames lacks after a residence cue or with their county or state, a
    # town between two cues, a town before "office", lower-case big towns, accents.
    ("we lived in Hackney for years", ["[PLACE]"], "Hackney"),
    ("I'm from the Bronx", ["[PLACE]"], "Bronx"),
    ("I grew up in Ballyjamesduff", ["[PLACE]"], "Ballyjamesduff"),
    ("she grew up in Little Snoring", ["[PLACE]"], "Snoring"),
    ("a little village called Marple", ["[PLACE]"], "Marple"),
    ("we lived in Smallville, Kansas", ["[PLACE]"], "Smallville"),
    ("I was in Hicksville, NY", ["[PLACE]"], "Hicksville"),
    ("I work at Tesco in Croydon", ["[PLACE]"], "Croydon"),
    ("the Leeds office is closing", ["[PLACE]"], "Leeds"),
    ("Croydon council won't help", ["[PLACE]"], "Croydon"),
    ("i grew up in croydon", ["[PLACE]"], "croydon"),
    ("I moved here from Kraków", ["[PLACE]"], "Krak"),
    # Places the speaker names, and institutions with a type word.
    ("my school's called Oakwood", ["[PLACE]"], "Oakwood"),
    ("my college is called Greenfield", ["[PLACE]"], "Greenfield"),
    ("I work at a place called Fernbrook", ["[PLACE]"], "Fernbrook"),
    ("my GP is at the Elm Tree Medical Centre", ["[PLACE]"], "Elm Tree"),
    ("she works at Oakwood Care Home", ["[PLACE]"], "Oakwood"),
    ("he's in HMP Wandsworth", ["[PLACE]"], "Wandsworth"),
    ("we go to St Mark's church", ["[PLACE]"], "Mark"),
    # Plates, IBANs, card tails, prison and reference numbers, IP addresses.
    ("he drove a silver Corsa, KX65 ABC", ["[NUMBER]"], "KX65"),
    ("license plate 7ABC123", ["[NUMBER]"], "7ABC123"),
    ("my iban is GB29 NWBK 6016 1331 9268 19", ["[NUMBER]"], "NWBK"),
    ("the last four digits are 4321", ["[NUMBER]"], "4321"),
    ("my cvv is one two three", ["[NUMBER]"], "one two"),
    ("my prison number is A1234BC", ["[NUMBER]"], "A1234BC"),
    ("my student loan reference is 1234567", ["[NUMBER]"], "1234567"),
    ("my IP address is 192.168.1.20", ["[NUMBER]"], "168"),
]

LOOK_ALIKES2 = [
    # Brands, titles, feast days, faiths: capitalised, listed as given names, no person.
    "I love Little Mix",
    "we went to McDonald's after",
    "I got a MacBook for uni",
    "I drive a Mercedes",
    "I use Alexa for reminders",
    "Happy Valentine's Day",
    "on Saint Patrick's Day we went out",
    "I pray to the Virgin Mary",
    "King Charles was on telly",
    "during Ramadan it's hard",
    "we went to Nando's",
    "I'm a Christian and so is my mum",
    "Christian values matter to me",
    "she's such a Karen",
    "on YouTube and TikTok",
    # Countries, states and months named like people, after a place word or with no person.
    "I went to Georgia last summer",
    "I'm from Jordan originally",
    "the Victoria line was shut",
    "in April we moved",
    "I was with friends in May",
    # Residence cues before words that are no town.
    "I grew up in England",
    "I grew up in North Yorkshire",
    "I'm in Year 10 and I hate it",
    "she's in Care now",
    "I came to Jesus when I was 20",
    "I was raised in Foster Care",
    "I go to the Job Centre",
    "Honestly, Texas was hard",
    "i live in hope",
    "i'm in love",
    "i live in reading",
    "we moved to america",
    "my school is really strict",
    "my school is Catholic",
    "a place called home",
    "I support Manchester United",
    # Lower-case cue words before ordinary words.
    "i was with my mum",
    "i told him everything",
    "i texted back",
    "hello everyone",
    "thanks, mate.",
    "thank you, grace.",
    "i was with german friends",
    # Spelling that is no name, initialisms, a unit after a number.
    "she spells it with a y",
    "I have A D H D",
    "I have P T S D and O C D",
    "A B C D E F G",
    "I went to A and E",
    "Mean power over active 30 ms frames",
    # ID cues before no ID.
    "version 10.2.3.4 of the app",
    "the last time I saw him",
    "the last four years were hard",
    "my reg was fine",
    "the plate was broken",
    "in reference to that",
    "my cvv got stolen",
]


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    return PiiScrubber()


@pytest.mark.parametrize(("text", "placeholders", "secret"), POSITIVES2,
                         ids=[p[0][:30] for p in POSITIVES2])
def test_more_asr_style_pii_is_replaced(scrubber, text, placeholders, secret):
    result = scrubber.scrub(text)
    assert [p for p in placeholders if p in result.text] == placeholders, result.text
    assert secret.lower() not in result.text.lower(), result.text
    assert result.count == len(placeholders)


@pytest.mark.parametrize("text", LOOK_ALIKES2)
def test_more_look_alikes_are_left_alone(scrubber, text):
    result = scrubber.scrub(text)
    assert result.text == text and result.count == 0


def test_prefilter_never_changes_the_result_of_the_second_round():
    fast, full = PiiScrubber(), PiiScrubber(PiiOptions(prefilter=False))
    for text in [p[0] for p in POSITIVES2] + LOOK_ALIKES2:
        assert fast.scrub(text) == full.scrub(text), text


def test_a_town_named_like_a_person_is_a_place_after_a_residence_cue(scrubber):
    # The town recogniser and the given-name recogniser agree on who takes the word.
    assert scrubber.scrub("I moved to Charlotte for work").text == "I moved to [PLACE] for work"
    assert scrubber.scrub("I texted Charlotte for work").text == "I texted [NAME] for work"
    assert scrubber.scrub("I was at Kyle's house").text == "I was at [NAME]'s house"
