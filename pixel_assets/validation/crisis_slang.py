"""Algospeak, clipped forms and online-exploitation words, as faster-whisper writes them.

YouTube speakers avoid the words the platform demotes ("unalive" for kill, "SH" for
self-harm, "SA'd" and "graped" for sexually assaulted, "sewerslide", "off myself", "yeet
myself off a bridge") and clip clinical terms ("SI", "OD", "KMS"). Letters spoken one by one
come out as "SH", "S H" or "S.H.", which the spaced text makes ``sh`` or ``s h``; the
apostrophe of "SA'd" or "OD'd" is dropped there ("sad", "odd"), so those forms are matched on
the text as written (``SLANG_RAW_RULES``, case-insensitive). Young people tell online sexual
exploitation in the words of the apps: "send nudes", "noods", "pics of me", "sextorting me",
"an older guy I met on Discord", "he's 30 and I'm 14" (digits, so on the text as written).

Most of these tokens are short and have innocent meanings ("SH" hushing, "SA" for South
Africa, "SI" units, "OD green", "grape juice", "show off myself"), so each rule names the
context that makes it a disclosure; every rule has look-alikes that must not match in
``pixel_assets_tests/validation/test_crisis.py``. Left unflagged on purpose: "catch the bus"
and a bare "ctb" (an ordinary phrase and abbreviation; only "want to / going to ctb" is
matched), "le dollar bean" (a slur-avoidance word, not a risk).
"""

from __future__ import annotations

# Objects that make "unalive ..." a threat to someone else (spaced text).
_OTHERS = (
    r"(?:him|her|them|you|someone|somebody|people|everyone|everybody|my (?:husband|wife|boss|"
    r"dad|father|mom|mum|mother|brother|sister|son|daughter|ex|partner|boyfriend|girlfriend|"
    r"teacher|stepdad|stepfather|neighbou?r|coworker|colleague))\b"
)
_UNALIVE = r"aliv(?:e|ed|es|ing)"
_SELVES = r"(?:my|your|him|her|them)sel"
# "SH" spoken or spelled: "sh", "s h", "s.h.". (?! sh): not a stutter ("did sh- shopping").
_SH = r"(?:sh|s h)\b(?! sh)"
# Contexts that name self-harm whatever follows: "relapsed on SH", "urges to SH".
_SH_STRONG = (
    r"(?:relaps(?:e|ed|es|ing)|slip(?:ped)? up|urges? (?:to|for)|(?:clean|free) (?:from|of)|"
    r"recover(?:ed|ing|y)? from|history of|struggl(?:e|ed|es|ing) with|battl(?:e|ed|ing) with|"
    r"resort(?:ed|ing)? to|turn(?:ed|ing)? (?:back )?to)(?: (?:on|into|with|to|in))?"
)
# Weaker ones ("I started SH", "my SH") need the turn to end or a time or reason to follow.
_SH_WEAK = (
    r"(?:started|start|stopped|stop|quit|quitting|been doing|started doing|stopped doing|"
    r"still doing|did|my|about my|hide my|hiding my|hid my|cover my|covering my)"
)
_SH_AFTER = (
    r"(?= ?$| (?:again|since|when|every|last|to cope|because|as a (?:teen|kid|teenager|child)|"
    r"for (?:years|months|weeks|a while|a long time)|in (?:high school|middle school|secret)|"
    r"at (?:night|school|age))\b)"
)
# "SA" (sexual assault) without the apostrophe: only in a disclosure frame. A survivor's
# frame holds it alone; "my SA", "I was SA" (student ambassador?) need the turn to end or a
# time, place or agent to follow.
_SA_STRONG = (
    r"(?:survived|survivors? of|victims? of|trauma from|heal(?:ing|ed)? from|"
    r"recover(?:ing|ed|y)? from)"
)
_SA_WEAK = (
    r"(?:experienced|disclos(?:e|ed|ing)|report(?:ed|ing)?|my|about my|after my|since my|was|"
    r"were|got|been|being)"
)
_SA_AFTER = (
    r"(?= ?$| (?:as a (?:kid|child|teen|teenager)|happened|trauma|by (?:my|a|an|him|her|them|"
    r"someone|somebody)|at (?:age|the age|a party)|in (?:high school|middle school|college|"
    r"university|uni)|because)\b| when (?:i|we) (?:was|were)(?: ?$| (?:a (?:kid|child|teen|"
    r"teenager|little)|little|young|younger|and|in (?:high|middle|primary|year|grade)|at age|"
    r"[a-z]*teen|five|six|seven|eight|nine|ten|eleven|twelve)\b))"
)
# "OD" spoken as letters: "I took an OD", "I'm going to OD"; not "O.D. green", "the OD of
# the pipe", "odd" (a different word on the spaced text).
_OD_BEFORE = (
    r"(?:took|take|taking|taken|had|having|survived|surviving|after|from|almost|nearly|"
    r"accidentally|accidental|deliberately|intentionally|purposely|tried to|try to|trying to|"
    r"going to|gonna|wanna|want to|wanted to|planning to|plan to|planned to|about to|decided to)"
)
_OD_NOT = r"(?! (?:green|drab|os|ou|size|diameter|pipe|tube|of (?:the|a|an|this|that))\b)"
_DRUGS = (
    r"(?:pills|tablets|meds|medication|drugs|heroin|fentanyl|opioids|painkillers|paracetamol|"
    r"tylenol|xanax|sleeping pills|insulin)"
)
# "OD'd on chocolate", "OD'd on Netflix": too much of a good thing.
_TREATS = (
    r"(?!\s+on\s+(?:chocolate|sugar|candy|sweets|coffee|caffeine|cake|carbs|junk|netflix|tv|"
    r"pizza|food|anime|cookies))"
)
# Distances ("10 kms", "a few kms away") and AWS's Key Management Service are not "KMS".
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten twenty thirty forty fifty hundred dozen "
    "few many couple several of aws the"
).split()
_NOT_A_DISTANCE = r"(?<!\d)(?<!\d )(?<!\d\.)" + "".join(f"(?<!{w} )" for w in _NUMBER_WORDS)

# Images whose threat or request is sexual exploitation (compact text).
_NUDES = (
    r"(?:nudes|noods|nudepic|nudephoto|naked(?:pic|photo|picture|selfie|video)|explicit(?:pic|"
    r"photo|picture|image|video)|(?:pics|pictures|photos|videos|selfies)(?:ofme)?(?:naked|"
    r"inmy(?:underwear|bra|pants|knickers)|withoutclothes|withoutmyclothes|withnoclothes)|"
    r"(?:pics|pictures|photos|videos|selfies)ofmy(?:body|chest|boobs|bum|butt|privates|"
    r"privateparts))"
)
_PICS = r"(?:pics|pictures|photos|videos|images|snaps|selfies)"
# Who will carry out a threat: "he'll", "they'd", "threatening to", "gonna".
_WILL = (
    r"(?:hell|shell|theyll|hewill|shewill|hed|shed|theyd|threaten(?:s|ed|ing)?to|gonna|goingto)"
)
# Not an age: "12 stone", "14 years into my career", "30 minutes".
_NOT_AN_AGE = (
    r"(?!\s*(?:years?\s+(?:in|into|older|younger|of)|%|percent|minutes|kg|stone|lbs|pounds))"
)

# (category, name, pattern on the compact letters-only text)
SLANG_COMPACT_RULES: tuple[tuple[str, str, str], ...] = (
    # "I'm gonna yeet myself off a bridge / into traffic"; not "yeeted myself onto the couch".
    (
        "suicidal_ideation",
        "yeet_myself",
        r"(?:y+e+t(?:ing|ed|s)?|yote)(?:my|him|her|them)sel(?:f|ves)(?:(?:off|outof|outthe|outa|"
        r"from)(?:a|the|my|this|that|our)?(?:bridge|building|roof|cliff|window|balcony|tower|"
        r"ledge|skyscraper)|into(?:the|a|oncoming)?(?:sun|void|abyss|traffic|oncomingtraffic)"
        r"|(?:infrontof|under)(?:a|the)?(?:train|bus|car|lorry|truck|traffic|tracks)"
        r"|onto(?:the)?(?:tracks|traffic))",
    ),
    # Memes for suicide: electrocution in the bath, "commit sudoku" (seppuku), British "neck
    # myself" (not "a pain in the neck, myself included"), "delete myself" / "self-delete"
    # (not from a group chat, not disappearing messages).
    (
        "suicidal_ideation",
        "suicide_meme",
        r"toasterbath|commitsudoku|(?<!the)(?<!my)(?<!his)(?<!her)(?<!your)neck(?:ing|ed)?myself"
        r"|delet(?:e|ed|ing)myself(?!from|off|outof|on(?:line|social|facebook|instagram|"
        r"tiktok|twitter|youtube|the|my|all|every|here|there|this)|of(?:the|this|every|all|"
        r"social|facebook|instagram|tiktok))"
        r"|selfdelet(?:e|ed|ing|ion)(?!(?:message|text|photo|post|chat|story|stories|file|snap|"
        r"tweet|video|s(?:message|text|photo|post|chat|file|snap|tweet|video)))",
    ),
    # The noun the older rules missed ("a survivor of sexual assault"), and "seggsual".
    ("abuse_disclosure", "sexual_assault", r"se(?:x|ggs?|ks)u(?:a|e)?l(?:ly)?(?:assault|abus)"),
    # Sexual images asked for, coerced or threatened (sextortion): "he's threatening to send
    # my pics to everyone unless I pay", "blackmailing me with my nudes", "he makes me send
    # him videos". Not "the pics from the party", "send me the photos of the house".
    (
        "abuse_disclosure",
        "sexual_images",
        r"sextort|(?:blackmail|extort)(?:s|ed|ing)?(?:me|him|her)(?:with|over|using)(?:my|the|"
        rf"some|these|those|her|his)?(?:nudes|noods|{_PICS})"
        rf"|(?:ask|asked|asking|asks|want|wants|wanted|beg|begs|begged|begging|pressur(?:e|es|ed|"
        rf"ing)|make|makes|made|force|forces|forced|threaten(?:s|ed|ing)?)(?:me)?(?:for|to|into)?"
        rf"(?:send|sending|take|taking|share|sharing|post|posting|leak|leaking)?(?:him|her|them)?"
        rf"(?:my|some|a|more|any|the)?{_NUDES}"
        rf"|(?:{_WILL}|(?:he|she|they)(?:will|would))(?:send|post|leak|share|show|spread|expose|"
        rf"upload)(?:my|the|our|those|these|his|her|some)?(?:nudes|noods|{_PICS})(?:ofme)?"
        r"[a-z]{0,40}?(?:unless|ifi(?:dont|didnt|donot|wont|dontsend|dontpay)|orelse|orhell|"
        r"orshell|ortheyll)"
        rf"|(?:post|leak|share|send|spread|show)(?:ing|ed)?(?:my|the)?{_NUDES}"
        rf"|(?:nudes|noods|naked{_PICS}|intimate{_PICS})[a-z]{{0,30}}?{_WILL}(?:send|post|share|"
        r"leak|show|spread|expose|upload)"
        rf"|(?=[pvis])(?<!baby){_PICS}ofme(?!as(?:a)?(?:baby|kid|child|toddler)|when(?:i|iwas)(?:a)?(?:baby|"
        rf"little|kid|younger|small))[a-z]{{0,30}}?{_WILL}(?:show|send|post|share|leak)(?:them|it|"
        r"those)?(?:to)?(?:my(?:parents|mum|mom|dad|family|school|friends|followers)|everyone|"
        r"online)"
        r"|(?:made|makes|make|forced|forces|force|pressur(?:ed|es|ing))me(?:to|into)?send(?:ing)?"
        rf"(?:him|her|them)?(?:some|more)?{_PICS}(?!of(?:the|a|an|our|it|this|that|progress|work)"
        r"|to(?:the|my|our|his|her)|for(?:work|school|the))"
        r"|(?:man|guy|someone|somebody|stranger|adult|person)online[a-z]{0,30}?(?:ask(?:ed|s|ing)?"
        r"(?:me)?(?:for|to(?:send)?)|want(?:s|ed)?me(?:to(?:send)?)?|keepsasking(?:me)?(?:for|"
        rf"to(?:send)?))(?:him|her|them)?(?:some|more|a|my)?{_PICS}"
        r"(?!of(?:the|a|an|this|that|it|his|her|their|our|your)|ofmy(?!body|self))"
        # "He asked me to send him pics and I'm only 13" (the digits are gone from this text).
        rf"|(?:send|sent|sending)(?:him|her|them)(?:some|a|more)?{_PICS}[a-z]{{0,40}}?(?:im|iwas|"
        r"iam)(?:only|just|underage|aminor)(?:$|and|but|he|she|they|[a-z]*teen|twelve|eleven|ten|"
        r"nine|a(?:kid|child|minor))"
        # An older man met on a game or app who wants to meet.
        r"|(?:older|grown|adult)(?:man|guy|men|guys|person|dude|bloke)(?:i|we)?(?:met|know|talk"
        r"to|talked to)?(?:online|on(?:discord|snapchat|snap|roblox|minecraft|fortnite|instagram|"
        r"insta|tiktok|xbox|playstation|twitch|omegle|agame|thegame))[a-z]{0,30}?(?:wants?|"
        r"asked|asking|keepsasking|trying|tried|invited)(?:me)?(?:to)?(?:meet|seeme|comeover|"
        r"cometo(?:his|their))",
    ),
)

# (category, name, pattern on the spaced text with word boundaries)
SLANG_SPACED_RULES: tuple[tuple[str, str, str], ...] = (
    # On the spaced text, where "fun, alive" cannot make it; also run together ("iwantto
    # unalivemyself"). "Unalive him" is a threat to someone else.
    (
        "suicidal_ideation",
        "unalive",
        rf"(?:\b|(?<=to)|(?<=na)|(?={_UNALIVE}{_SELVES}))un ?{_UNALIVE}(?:\b|(?={_SELVES}))"
        rf"(?! {_OTHERS})",
    ),
    ("harm_to_others", "unalive_someone", rf"\bun ?aliv(?:e|ed|ing) {_OTHERS}"),
    ("suicidal_ideation", "sewerslide", r"\bsewer ?slide"),
    # "I'm going to off myself", "he offed himself"; not "show off myself", "pay it off myself".
    (
        "suicidal_ideation",
        "off_myself",
        r"\b(?:to|gonna|wanna|ill|id|hell|shell|theyll|might|could|would|will|should|just|"
        r"finally|literally|then) off (?:my|him|her|them)sel(?:f|ves)\b"
        r"|\boff(?:ing|ed) (?:my|him|her|them)sel(?:f|ves)\b",
    ),
    # "SI" / "sui" for suicidal ideation: "si thoughts", "S.I. is back", "sui ideation"; not
    # Spanish "sí", "SI units", "my SI joint", "sui generis".
    (
        "suicidal_ideation",
        "si",
        r"\b(?:si|s i|sui) (?:thoughts?|ideations?|urges?|feelings?|attempts?|episodes?)\b"
        r"|\b(?:si|s i) (?:is|was|has been|s been|been|keeps|kept|came|comes|coming)(?: (?:so|"
        r"really|pretty|super|getting|got|coming))? (?:back|bad|worse|rough|intense|loud|strong|"
        r"awful|terrible|hard)\b"
        r"|\b(?:passive|active) (?:si |s i |suicidal )?ideation\b",
    ),
    # "CTB" ("catch the bus", pro-suicide forums) only with intent; "ctb" alone is an
    # abbreviation of many things and "catch the bus" is mostly a bus.
    (
        "suicidal_ideation",
        "ctb",
        r"\b(?:want to|wanna|wanted to|ready to|going to|gonna|planning to|plan to|planned to|"
        r"decided to|tried to|try to|trying to|thinking (?:about|of)|thought about|almost|nearly|"
        r"about to) (?:c t b|ctb)(?:d|ed|ing)?\b(?! (?:office|offices|headquarters|building|"
        r"campus|exams?|tests?|website|results?)\b)",
    ),
    (
        "suicidal_ideation",
        "od",
        rf"\b{_OD_BEFORE}(?: an| a)? o ?d\b{_OD_NOT}"
        rf"|\bo ?d (?:on|with) (?:my |the |her |his |some )?{_DRUGS}\b"
        r"|\b(?:was|were|been|almost|nearly|keep|kept) o ?ding\b",
    ),
    (
        "self_harm",
        "sh",
        rf"\b{_SH_STRONG} {_SH}"
        rf"|\b{_SH_WEAK} {_SH}{_SH_AFTER}"
        r"|\b(?:sh|s h) (?:scars?|urges?|relapses?|marks|wounds?|cuts|habits?|recovery|"
        r"behaviou?rs?|injur(?:y|ies)|tools|kit)\b"
        r"|\b(?:days?|weeks?|months?|years?|been|im|stay(?:ed|ing)?|being) (?:sh|s h) "
        r"(?:free|clean)\b"
        r"|\b(?:been|started|stop|stopped|keep|kept|was|not|still|quit) (?:sh ?ing|s h ing)\b"
        # "self h..." cut off mid-word.
        r"|\bsel[fv] h\b",
    ),
    # "I was graped" (algospeak for raped); not "grapes", "grape juice", "scraped".
    (
        "abuse_disclosure",
        "graped",
        r"\bgrap(?:ed|ing)\b|\b(?:to|tried to|try to|gonna|wanna|would|will|did) grape "
        r"(?:me|her|him|them)\b",
    ),
    (
        "abuse_disclosure",
        "sa",
        rf"\b{_SA_STRONG} s ?a\b(?! (?:team|rugby|cricket|squad|police|government)\b)"
        rf"|\b{_SA_WEAK} s ?a\b{_SA_AFTER}|\bs ?a (?:survivors?|trauma)\b"
        r"|\bse(?:x|ggs?|ks) ?assault",
    ),
)

# (category, name, pattern on the text as written, case-insensitive): apostrophes and digits.
SLANG_RAW_RULES: tuple[tuple[str, str, str], ...] = (
    # "He SA'd me", "I was S.A.'d"; not the name "Sa'd" (no subject or object around it).
    (
        "abuse_disclosure",
        "sa",
        r"\b(?:was|were|got|get|gets|getting|been|being|he|she|they|him|who|someone|somebody|"
        r"ex|dad|uncle|brother|cousin|boyfriend|husband|partner|teacher|coach|stepdad|guy|man)"
        r"\s+s\.?\s?a\.?\s?(?:['’‘`]\s?d|-?ed)\b"
        r"|\bs\.?\s?a\.?\s?['’‘`]\s?d\s+(?:me|her|him|them|us|my|by)\b",
    ),
    # "I OD'd", "she O.D.'d", "he ODed"; "Oded" is a name, so "-ed" needs a subject.
    (
        "suicidal_ideation",
        "od",
        rf"\bo\.?\s?d\.?\s?['’‘`]\s?d\b{_TREATS}"
        rf"|\b(?:i|he|she|they|who|almost|nearly|had|has|have|just)\s+o\.?d\.?-?ed\b{_TREATS}",
    ),
    # "KMS", "K M S", "k.m.s." (kill myself), not a distance or an AWS key.
    (
        "suicidal_ideation",
        "kms",
        rf"{_NOT_A_DISTANCE}\bk[.\s-]{{0,2}}m[.\s-]{{0,2}}s\b\.?(?!\s+(?:away|per|an hour|a "
        r"day|north|south|east|west|in total|keys?|encryption|api)\b)",
    ),
    # Digits and signs the compact text drops from the ends: "5uicide", "suicid3".
    ("suicidal_ideation", "suicide", r"[5$]u[i1!|l]?[cs][i1!|l]?d[e3]|su[i1!|l]?[cs][i1!|l]?d3"),
    # An adult and a child together: "he's 30 and I'm 14", "I'm 13 and he's 25"; not "12
    # stone", "14 years into my career".
    (
        "abuse_disclosure",
        "adult_and_child",
        r"\b(?:he|she|this (?:guy|man)|my (?:boyfriend|girlfriend|bf|gf))(?:'s|’s|s|\s+is|\s+was)"
        r"\s+(?:like\s+|about\s+|around\s+|almost\s+|nearly\s+|over\s+)?(?:1[89]|[2-9]\d)\b"
        rf"{_NOT_AN_AGE}"
        r"[^.?!]{0,30}?\b(?:i'?m|i’m|i am|i was)\s+(?:only\s+|just\s+)?(?:[5-9]|1[0-5])\b"
        rf"{_NOT_AN_AGE}"
        r"|\b(?:i'?m|i’m|i am|i was)\s+(?:only\s+|just\s+)?(?:[5-9]|1[0-5])\b"
        rf"{_NOT_AN_AGE}"
        r"[^.?!]{0,30}?\b(?:he|she|my (?:boyfriend|girlfriend|bf|gf))(?:'s|’s|s|\s+is|\s+was)\s+"
        r"(?:like\s+|about\s+|around\s+|almost\s+|nearly\s+|over\s+)?(?:1[89]|[2-9]\d)\b"
        rf"{_NOT_AN_AGE}",
    ),
)
