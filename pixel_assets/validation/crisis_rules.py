"""The crisis detector's rules (see :mod:`pixel_assets.validation.crisis` for how they run).

Each rule is ``(category, name, pattern)``. ``COMPACT_RULES`` match the *compact* text (lower
case, letters only, no spaces), ``SPACED_RULES`` the spaced text with word boundaries (short
words that hide inside others), ``RAW_RULES`` the text as written, case-insensitive (rules that
need digits or apostrophes); ``FUZZY_PHRASES`` are searched approximately when nothing matched
exactly. Every rule has look-alikes that must not match in
``pixel_assets_tests/validation/test_crisis.py``.
Algospeak, clipped forms and the words of online sexual exploitation ("unalive", "SH",
"SA'd", "OD", "KMS", "send nudes") are in :mod:`pixel_assets.validation.crisis_slang`, and
passive ideation, means, goodbyes, grooming, control, neglect and threats with a plan in
:mod:`pixel_assets.validation.crisis_more`; both are appended here.
"""

from __future__ import annotations

from pixel_assets.validation.crisis_more import (
    MORE_COMPACT_RULES,
    MORE_SPACED_RULES,
)
from pixel_assets.validation.crisis_slang import (
    SLANG_COMPACT_RULES,
    SLANG_RAW_RULES,
    SLANG_SPACED_RULES,
)

_MY = r"m[iy]"
_SELF = r"sel[fv]"
# After "…myself": contexts that make it an accident or an idiom, not self-harm.
ACCIDENT_WORDS = (
    r"a(?:slice|piece|cup|drink|sandwich|bit|coffee)|some|playing|lifting|running|skiing|"
    r"falling|fixing|cooking|shaving|during|atthe|atwork|atthegym|onthe|inthe|trying|"
    r"whileplaying|whilerunning"
)
_ACCIDENT = rf"(?!{ACCIDENT_WORDS})"
_PEOPLE = (
    r"(?:him|her|them|you|someone|somebody|people|everyone|everybody|my(?:husband|wife|boss|"
    r"dad|father|mom|mum|mother|brother|sister|son|daughter|neighbou?r|partner|ex|kids|baby|"
    r"boyfriend|girlfriend|teacher|coworker|colleague|stepdad|stepfather)"
    r"|(?:the|those)(?:people|person|guy|man|woman|boys|girls|kids)who|whoever)"
)
_SUBJECTS = (
    r"(?:he|she|they|dad|father|mom|mum|mother|stepdad|stepfather|stepmom|stepmother|husband|"
    r"wife|boyfriend|girlfriend|partner|uncle|aunt|brother|sister|grandpa|grandfather|teacher|"
    r"coach|priest|parents)"
)
_ABUSE_VERBS = (
    r"(?:hits|hit|hitting|beats|beat|beating|hurts|hurt|chokes|choked|choking|punches|punched|"
    r"kicks|kicked|slaps|slapped|touches|touched|touch|touching|rapes|raped|molests|molested|"
    r"abuses|abused|threatens|threatened|locks|locked|burns|burned|strangled|strangles|grabbed|"
    r"shoved|shoves)"
)

# "He beat me at chess", "she beats me in every race": games, not violence.
_GAMES = (
    r"(?:at|in)(?:the|a|every|our)?(?:chess|cards|games?|tennis|golf|pool|football|races?|"
    r"arguments?|everything|it|scrabble|monopoly|videogames|thefeels)"
)

# (category, name, pattern on the compact letters-only text)
COMPACT_RULES: tuple[tuple[str, str, str], ...] = (
    # (?<!s): not "skill myself"; ASR never writes the ungrammatical "is kill myself".
    ("suicidal_ideation", "kill_myself", rf"(?<!s)kil+(?:ing|ed|s)?{_MY}{_SELF}"),
    ("suicidal_ideation", "end_my_life", rf"(?:end|ending|ended|endin)(?:of)?{_MY}(?:own)?li[fv]e"),
    ("suicidal_ideation", "take_my_life", rf"(?:take|taking|took)(?:away)?{_MY}(?:own)?li[fv]e"),
    ("suicidal_ideation", "suicide", r"su+[ie]?[cs]+[iy]?d(?:e|al)"),
    ("suicidal_ideation", "want_to_die", r"(?:wan(?:t|na)|wanted|ready|going)(?:to)?die(?!t)"),
    (
        "suicidal_ideation",
        "wish_dead",
        r"wish(?:ed)?i(?:was|were|had)(?:dead|neverbeenborn|neverborn|notalive|gone|notaround)",
    ),
    # ASR hears "better" as "bigger", "bitter", "beta", "bedder": any b-vowel-t/d/g word.
    (
        "suicidal_ideation",
        "better_off_without_me",
        r"b[aeiou][tdg]+(?:e?r|a)of+(?:dead|withoutme|gone|notbeinghere|notaround)",
    ),
    (
        "suicidal_ideation",
        "happier_without_me",
        r"(?:happier|easier|better)withoutme(?!on|for|at|in|there|this|while|tonight|today)"
        r"|(?:nobody|noone|wouldnt)(?:would|will|wouldve)?(?:even)?missme"
        r"(?!at|on|in|for|this|while|tonight|today)",
    ),
    # Perceived burdensomeness, a core risk factor: "I'm a burden to everyone".
    # (?<!h)(?<!cla): not "him a burden", "claim a burden".
    ("suicidal_ideation", "burden", r"(?<!h)(?<!cla)(?:im|iam|feellike|feellikeim|feelslikeim)"
     r"(?:just|such|only)?a?(?:huge|big)?burden"),
    (
        "suicidal_ideation",
        "no_future",
        r"(?:dont|donot|cant|cannot)see(?:a|any)?future(?!with|in(?:this|the|it)|at|for(?!myself"
        r"|me))",
    ),
    (
        "suicidal_ideation",
        "not_worth_living",
        r"(?:not|nt)worthliving|life(?:isnt|isnot|snot|aint)(?:really)?worthit",
    ),
    (
        "suicidal_ideation",
        "researching_methods",
        r"(?:research(?:ing|ed)?|lookedup|lookingup|googl(?:e|ed|ing)|search(?:ed|ing)?(?:for)?)"
        r"(?:different|painless|easy|easiest|quick|quickest|best|fastest)?(?:ways|how|methods)(?:to)?"
        r"(?:die|killmyself|endit|endmylife|commit)"
        r"|howmany(?:pills|tablets|paracetamol|painkillers)(?:it)?(?:would|will|does|do)?(?:it)?"
        r"(?:take|takes|tokill|todie|kill(?:me|you|aperson|someone))",
    ),
    (
        "suicidal_ideation",
        "sleep_forever",
        r"(?:wan(?:t|na)|wish|wished)(?:i|icould|to)?(?:just)?(?:go)?(?:to)?sleepforever",
    ),
    (
        "suicidal_ideation",
        "thinking_about_death",
        r"(?:thinking|think|thought)(?:alot)?about(?:death|dying|beingdead|notbeinghere|"
        r"notexisting)",
    ),
    (
        "suicidal_ideation",
        "crash_on_purpose",
        r"(?:driv(?:e|ing)|crash(?:ing)?|swerv(?:e|ing))(?:my)?(?:car)?(?:into|off)(?:a|the|"
        r"oncoming)?(?:wall|tree|traffic|bridge|cliff|lorry|truck|river)"
        r"|(?:driv(?:e|ing)|swerv(?:e|ing))(?:my)?(?:car)?offthe(?:road|motorway|highway|bridge)"
        r"|crash(?:ing|ed)?(?:my)?caronpurpose",
    ),
    (
        "suicidal_ideation",
        "want_it_all_to_stop",
        r"(?:wan(?:t|na)|wish)(?:it)?(?:all|everything)(?:to)?(?:just)?(?:stop|end|beover)",
    ),
    (
        "suicidal_ideation",
        "no_reason_to_live",
        r"(?:no|nt)(?:reason|point)(?:forme)?(?:to|in|of)?(?:liv(?:e|ing)|goingon|beingalive|"
        r"beinghere|stay(?:ing)?alive|keep(?:ing)?going|keepliving)",
    ),
    (
        "suicidal_ideation",
        "whats_the_point",
        # "What's the point in me even being here" (not "...if you won't listen").
        r"whats?(?:the)?point(?:of|in)(?:me)?(?:even)?(?:living|life|goingon|beingalive|"
        r"beinghere(?!if|when|unless|at|in(?:this|the))|anything|wakingup|tryinganymore|itall)"
        # "I don't see the point in anything anymore" (not "...in going to the gym").
        r"|(?:dont|donot|cant|cannot)see(?:the|any)?point(?:in|of)?(?:anything|living|life|"
        r"goingon|itall|tryinganymore|beinghere|beingalive)",
    ),
    (
        "suicidal_ideation",
        "no_longer_want_to_live",
        r"nolonger(?:wan(?:t|na)|wish)(?:to)?(?:live|bealive|behere|exist)",
    ),
    (
        "suicidal_ideation",
        "dont_want_to_live",
        r"(?:dont|donot|nt)(?:wan(?:t|na))(?:to)?(?:bealive|exist|live(?!in|with|at|here|there|"
        r"near|like|on|so)|behere(?:any|no)more)",
    ),
    (
        "suicidal_ideation",
        "never_wake_up",
        # Not "hope I don't wake up the baby".
        r"(?:hope|wish|want)(?:i|to)?(?:dont|never|not|wouldnt)wakeup(?!the|my|him|her|them|"
        r"you|every|any|mum|mom|dad|early|late|intime)"
        r"|sleepand(?:never|not)wake|(?:never|not)wak(?:e|ing)upagain"
        r"|wish(?:ed)?i(?:d|had)?never(?:wokenup|wokeup|wakeup)",
    ),
    ("suicidal_ideation", "end_it_all", r"end(?:ing)?(?:it|things|everything)(?:all|forgood)"),
    # "I want to end it." at the end of a turn; "…end it with him" is a break-up.
    (
        "suicidal_ideation",
        "want_to_end_it",
        r"(?:wan(?:t|na)|going|ready|gonna|thinking(?:about|of))(?:to)?end(?:ing)?(?:it|things)$",
    ),
    (
        "suicidal_ideation",
        "cant_go_on",
        r"can(?:t|not)goon(?:living|anymore|likethis)|can(?:t|not)dothisanymore",
    ),
    (
        "suicidal_ideation",
        "tired_of_living",
        r"tiredof(?:living|beingalive|life)(?!in|with|at|here|there|near|like|on|out|style)",
    ),
    (
        "suicidal_ideation",
        "jump_off",
        r"(?:jump|jumping|throw(?:ing)?myself)(?:off|from|infrontof)(?:a|the)?"
        r"(?:bridge|building|roof|train|cliff|balcony|carpark|multistorey|tower|ledge)"
        r"|(?:step(?:ping)?|walk(?:ing)?|lie|lying|lay(?:ing)?down|throwmyself)(?:out)?"
        r"(?:infrontof|under|onto)(?:a|the)?(?:train|bus|lorry|truck|traffic|tracks|car)",
    ),
    ("suicidal_ideation", "hang_myself", rf"hang(?:ing)?{_MY}{_SELF}"),
    ("suicidal_ideation", "overdose", r"overdos(?:e|ed|ing)"),
    # Taking or keeping a lethal amount: "took a whole bottle of paracetamol", "took all my
    # pills", "I've been stockpiling my tablets".
    (
        "suicidal_ideation",
        "took_pills",
        r"(?:took|take|taking|swallow(?:ed|ing)?)(?:a|the)?(?:whole|full|entire)(?:bottle|packet|"
        r"pack|box|strip|tub)"
        # Past tense only: "I take all my meds" is adherence, "I took all my pills" is not.
        r"|(?:took|swallow(?:ed|ing)?)(?:all|every)(?:of)?(?:my|the|her|his)?"
        r"(?:pills|tablets|meds|medication|painkillers|sleepingpills|antidepressants)"
        r"|(?:took|take|taking|swallow(?:ed|ing)?)(?:too|so|way)many(?:pills|tablets|meds|"
        r"painkillers|sleepingpills)"
        r"|(?:took|take|taking|swallow(?:ed|ing)?)ahandfulof(?:pills|tablets|meds|painkillers)"
        # "took a bunch of pills", "swallowed thirty tablets" (digits: see _RAW).
        r"|(?:thought|thinking|think|thinks)about(?:taking|swallowing)(?:all|every|awhole|"
        r"thewhole|loadsof)(?:of)?(?:my|the|bottleof|packetof)?(?:pills|tablets|meds|medication|"
        r"painkillers|paracetamol|lot)"
        r"|(?:take|taking|swallow(?:ing)?)(?:the)?wholelot(?:tonight|now|atonce|inone)"
        r"|(?:took|swallow(?:ed|ing)?)(?:a|like|about|over)?(?:bunch|load|loads|lot|pile|"
        r"fistful|dozen|dozens|couple(?:of)?dozen|twenty|thirty|forty|fifty|sixty|hundred)"
        r"[a-z]{0,6}?(?:of)?(?:my|the|her|his)?(?:pills|tablets|meds|painkillers|sleepingpills|"
        r"paracetamol|antidepressants)",
    ),
    (
        "suicidal_ideation",
        "stockpiling_pills",
        r"(?:stockpil(?:e|ed|ing)|hoard(?:ed|ing)?|(?:sav(?:e|ed|ing))up)(?:all)?(?:of)?"
        r"(?:my|some|the|up)?(?:pills|tablets|meds|medication|painkillers|sleepingpills)"
        r"|saving(?:all)?(?:of)?my(?:pills|tablets|meds|medication|painkillers|sleepingpills)"
        r"(?!for(?:the|my|a)?(?:trip|holiday|journey|later|tomorrow|morning|weekend|flight))",
    ),
    # Means at hand: "I've got the rope in the garage", "I bought a rope".
    (
        "suicidal_ideation",
        "means_at_hand",
        r"(?:bought|buy|got|have|hid|hidden|keep|kept|found)(?:a|the|some)rope"
        r"(?!for(?:the|my)?(?:boat|climbing|swing|tent|garden|washing))",
    ),
    (
        "suicidal_ideation",
        "suicide_note",
        r"(?:wrote|write|writing|written|left|leave|leaving)(?:a|my|some)?(?:suicide|goodbye)"
        r"(?:note|letter)s?|(?:said|saying|say)mygoodbyes"
        # "I wrote letters to everyone, just in case", "saying goodbye to everyone tonight".
        r"|(?:wrote|written|writing|left|leaving)(?:some)?(?:letters?|notes?)(?:to|for)"
        r"[a-z]{0,24}?justincase"
        r"|(?:saying|said|say)goodbye(?:to)?(?:everyone|everybody|everything|myfamily|mykids)"
        r"(?:tonight|forever|forgood|onelasttime|beforeigo|justincase)",
    ),
    (
        "suicidal_ideation",
        "giving_things_away",
        r"(?:gave|given|giving|give)(?:away)(?:all)?(?:of)?my(?:things|stuff|belongings|"
        r"possessions)"
        # "I gave my dog to my sister, I won't need him".
        r"|(?:gave|given|giving)(?:away)?my[a-z]{2,40}?(?:i|cos|cause|because|since)"
        r"(?:wont|willnot|shant)(?:be)?need(?:ing)?(?:him|her|it|them|anymore|where)",
    ),
    ("suicidal_ideation", "plan_and_means", r"planandi?(?:have|got)?themeans|themeanstodoit"),
    (
        "suicidal_ideation",
        "not_be_around",
        r"(?:not|wont|nt)bearound(?:anymore|muchlonger|for(?:christmas|mybirthday|much|long)|"
        r"nextyear|bythen)|(?:dont|donot)thinkill(?:still)?bearound(?:for|at|by|next|much|to)"
        # "I'm not going to be a problem for much longer", "won't be a burden much longer".
        r"|(?:not|wont|nt)(?:goingto|gonna)?be(?:a|your)?(?:problem|burden|around)"
        r"(?:for|to)?(?:anyone|anybody|you|everyone|you all)?(?:for)?(?:much|very)longer",
    ),
    # "Everyone would be happier if I disappeared", "they'd be fine if I was gone".
    (
        "suicidal_ideation",
        "happier_if_i_was_gone",
        r"(?:everyone|everybody|they|people|myfamily|mykids|theworld|mymum|mymom|mydad|"
        r"mywife|myhusband|mypartner)(?:would|d|will)be(?:so|much|a lot|alot)?(?:happier|"
        r"better|fine|betteroff|relieved|okay|ok)(?:off)?(?:if|when|once)i(?:just)?"
        r"(?:disappeared|wasgone|weregone|wasnthere|werenthere|wasnthere|died|wasdead|weredead|"
        r"wasntaround|didntexist|wasntalive|killedmyself|wasnthereanymore)",
    ),
    (
        "suicidal_ideation",
        "easier_if_i_wasnt_here",
        r"(?:easier|better|simpler)(?:foreveryone|foreverybody|forthem|forall)?ifi(?:just)?"
        r"(?:wasnthere|werenthere|wasnotthere|didntexist|wasgone|weregone|died|wasdead|"
        r"wasntaround|wasntalive)"
        r"|wish(?:ed)?i(?:could|did)?(?:just)?(?:notexist|didntexist|stopexisting|wasntalive|"
        r"wasnotalive|wasntborn|wasneverborn)",
    ),
    (
        "suicidal_ideation",
        "done_with_life",
        r"(?:im|iam)(?:so|just|really|completely)?donewith(?:life|living|beingalive|itall|"
        r"everything$)"
        r"|(?:theres|thereis|iseeno|seeno|cantseea?)nowayout(?:$|forme|anymore|ofthis(?:$|pain|"
        r"mess|life))",
    ),
    # "I'm going to do something stupid tonight": the classic veiled warning (future only:
    # "I did something stupid at work" is not).
    # A past attempt: "last week I tried to end things" (not "...end things with him"), "I was
    # in hospital after my attempt" (not "my attempt at baking").
    (
        "suicidal_ideation",
        "past_attempt",
        r"(?:tried|try|trying|attempted|attempting)to(?:end(?:it|things|everything|mylife)"
        r"(?!with|between)|killmyself|takemylife|hangmyself|overdose)"
        r"|(?:after|since|before|during|from)(?:my|the|a)(?:last|first|second|previous|suicide)?"
        r"attempt(?!at|to|on)|iattempted(?=$|in|last|when|before|twice|once|again|suicide)",
    ),
    # Means and preparation: a running engine in a closed garage, a will with everything
    # "sorted", a goodbye ("the last time you'll hear from me").
    (
        "suicidal_ideation",
        "means_and_preparation",
        r"(?:engine|car)running(?:in|inside)(?:the|a|my)?garage"
        r"|(?:hose|hosepipe|pipe)(?:from|to|into|onto)(?:the)?exhaust"
        r"|mywill(?:and|then)(?:sorted|put|got)(?:out)?(?:everything|myaffairs|allmy)"
        r"|(?:putting|put|getting|got|sorting)my(?:affairs|things)inorder"
        r"|(?:thisis|itsthe|thatsthe|itllbethe)thelast(?:time)?(?:youll|you)(?:ever)?"
        r"(?:hear|see)(?:from)?me",
    ),
    (
        "suicidal_ideation",
        "burden_unnoticed",
        r"(?:nobody|noone)(?:would|will|wouldve)?(?:even)?(?:notice|care)(?:if|when|once)i"
        r"(?:wasgone|weregone|wasnthere|werenthere|died|disappeared|killedmyself|wasdead|"
        r"wasntaround|stoppedexisting)"
        r"|(?:everyone|everybody|theyd|they|myfamily|mykids|people)(?:would|d)?bebetteroff$"
        r"|(?:not|nt|nolonger)(?:scared|afraid|frightened)of(?:dying|death)"
        r"|(?:intrusive|suicidal|dark|bad)thoughts?(?:about|of)(?:jumping|dying|death|killing"
        r"|ending|hurting|cutting|hanging|overdosing)"
        # "I've thought about how I'd do it" (not "...do it differently").
        r"|(?:thought|thinking|think)about(?:how|when|where)(?:id|iwould|ill|iwill)doit"
        r"(?!differently|better|again|next|if|with|without|properly)",
    ),
    (
        "suicidal_ideation",
        "do_something_stupid",
        r"(?:goingto|gonna|might|mightjust|could|will|ill|wanna|wantto|scaredill|afraidill|"
        r"worriedill)dosomething(?:stupid|drastic|icantundo|icanttakeback)",
    ),
    (
        "suicidal_ideation",
        "have_a_plan",
        # First person only: "we've got a plan for how to do it" is a renovation.
        r"(?:ive|i|ihave|ivegot|igot|imade|imaking)(?:a)?plan(?:for)?how(?:id|iwould|ill|iwill|"
        r"imgoingto|imgonna)(?:do|end)(?:it|things|mylife)",
    ),
    ("suicidal_ideation", "disappear_forever", r"disappear(?:ing|ed)?forever"),
    (
        "suicidal_ideation",
        "want_to_disappear",
        r"(?:wan(?:t|na)|wish(?:i|icould)?)(?:to)?(?:just)?disappear"
        r"(?!from|into|off|to|for(?!ever|good)|under|behind|inthe)"
        r"|(?:wan(?:t|na)|wish(?:i|icould)?)(?:to)?(?:just)?stopexisting",
    ),
    (
        "suicidal_ideation",
        "dont_want_to_wake_up",
        r"(?:dont|donot)wan(?:t|na)(?:to)?wakeup(?!early|at|before|so|in|tomorrowmorning)",
    ),
    ("suicidal_ideation", "rather_be_dead", r"(?:rather|sooner)(?:be|were)dead(?!than)"),
    (
        "self_harm",
        "hurt_myself",
        rf"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|punish|punishing|starve|"
        rf"starving|scratch|scratching|hit|hitting|bang|banging)(?:on)?{_MY}{_SELF}{_ACCIDENT}",
    ),
    ("self_harm", "self_harm", r"sel[fv]e?(?:harm|injur|mutilat)"),
    # "I've been cutting again", "the urge to cut": cutting with no object named.
    (
        "self_harm",
        "cutting_again",
        # Only where no object follows ("been cutting carbs" is a diet): the turn ends, or a
        # clause or "again", "myself", "to cope"... comes next.
        r"cuttingagain|(?:started|start|been|relapsed(?:and)?|back(?:to)?)cutting(?:again)?"
        r"(?=$|again|when|since|because|and|but|so|myself|to(?:cope|feel|numb|release)|atnight|"
        r"every|last|alot|more|secretly|insecret)"
        r"|urges?to(?:cut|burn|hurt)(?:myself)?(?=$|myself|again|is|was|are|were|gets|got|comes|"
        r"came|and|but|so|when|every|tonight|today|has|have|keeps|wont|feels)"
        r"|cutting(?:on)?my(?:arms?|legs?|thighs?|skin|stomach|hips?)",
    ),
    (
        "self_harm",
        "blade_to_skin",
        r"(?:knife|blade|razor|glass)(?:to|on|against|into)my(?:wrists?|arms?|throat|skin|legs?)"
        r"|(?:punch|punching|hit|hitting)(?:the)?walls?until(?:my)?(?:knuckles|hands?|fists?)"
        r"(?:bleed|bled|break|broke)",
    ),
    ("self_harm", "cut_wrists", r"(?:slit|slash|cut|cutting|burn|burning)(?:my|on my)?wrists?"),
    # "I relapsed and cut last night", "I carry a blade with me", "burnt my arm ... on
    # purpose", "pulling my hair out till it bleeds".
    (
        "self_harm",
        "self_injury",
        r"(?:relapsed|slipped|slippedup)(?:and|again)?(?:cut|burned|burnt|hurt|scratched)"
        r"|(?:carry|carrying|keep|keeping)(?:a)?(?:blade|razor|razorblade)(?:with|on|in|under)"
        r"(?:me|mybag|mypocket|myroom|mypillow|mybed)"
        r"|(?:burn|burnt|burned|burning|cut|cutting|hit|hitting|scratched|scratching|bruised)"
        r"my(?:arm|arms|leg|legs|skin|wrist|wrists|thigh|thighs|hand|hands|stomach)[a-z]{0,30}?"
        r"onpurpose"
        r"|(?:pick|picking|picked|pull|pulling|pulled|scratch|scratching|bite|biting)[a-z]{0,24}?"
        r"(?:until|till|til)(?:it|they|i)(?:bleed|bleeds|bled)",
    ),
    # Purging and starving (eating-disorder risk): "I'm making myself sick after meals", "I
    # haven't eaten in four days". Not "make myself sick with worry".
    (
        "self_harm",
        "purging_or_starving",
        r"(?:make|makes|making|made)m[iy]sel[fv](?:sick|throwup|vomit|puke)"
        r"(?!withworry|worrying|thinking|overit|aboutit|with(?:stress|nerves|anxiety))"
        r"|(?:havent|hasnt|hadnt|didnt|nt)eat(?:en)?(?:anything|properly)?(?:in|for)(?:over)?"
        r"(?:two|three|four|five|six|seven|several|afew|acouple(?:of)?)(?:whole)?(?:days|weeks)",
    ),
    (
        "harm_to_others",
        "hurt_someone",
        rf"(?<!it)(?<!that)(?<!this)(?<!which)"
        r"(?:kill|killing|murder|murdering|shoot|shooting|stab|stabbing|strangle|strangling|hurt|"
        r"hurting|"
        rf"poison|poisoning|punch|punching|smother|smothering|drown|drowning){_PEOPLE}"
        rf"(?!up|out|self|selves|s?feelings|chances|a(?:message|text|line|note)|{_GAMES}"
        r"|(?:at|in)(?:the)?(?:final|match|league|tournament|debate|court|polls))",
    ),
    # Someone else at risk: "I'm worried he's going to kill himself" (a reviewer should see it;
    # "he hurt himself playing rugby" is an accident).
    (
        "suicidal_ideation",
        "someone_else_at_risk",
        r"(?<!s)kil+(?:ing|ed|s)?(?:him|her|them)sel(?:f|ves)",
    ),
    (
        "self_harm",
        "someone_else_at_risk",
        rf"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning)(?:him|her|them)sel(?:f|ves)"
        rf"{_ACCIDENT}",
    ),
    # Harm to a child in the client's care: "I shook the baby", "I hit my kids".
    (
        "harm_to_others",
        "hurt_a_child",
        # (?<!it)…: "it hurt my son when…" is about feelings, as is "…my son's feelings".
        r"(?<!it)(?<!that)(?<!this)(?<!which)(?:hit|hitting|smack|smacking|shook|shake|shaking|"
        r"slap|slapping|hurt|hurting|beat|beating)(?:the|my|our)(?:kids|children|child|baby|"
        rf"babies|son|daughter|toddler)(?!s?feelings|{_GAMES})",
    ),
    (
        "harm_to_others",
        "revenge_violence",
        r"make(?:him|her|them)suffer|run(?:him|her|them)over"
        r"|burn(?:ing)?(?:down)?(?:his|her|their)(?:house|home|car|flat|place)"
        r"|(?:bought|got|buy|get|getting)agunto(?:deal|kill|shoot|scare|use|sort)",
    ),
    ("harm_to_others", "shoot_up", r"shoot(?:up)?(?:the|my)?(?:school|office|workplace|church)"),
    (
        "harm_to_others",
        "gun_to_school",
        r"(?:bring|bringing|brought|take|taking|took)[a-z]{0,12}gunto(?:school|work|class|"
        r"the(?:school|office|party))",
    ),
    (
        "abuse_disclosure",
        "abuser_hurts_me",
        rf"{_SUBJECTS}(?:usedto|would|always|kept|keeps|still|has|had|sometimes|often|"
        rf"wouldnt)?{_ABUSE_VERBS}me(?!up|toit|off|back|over|outof|{_GAMES})",
    ),
    # Violence at home told about someone else ("my dad hits my mum"), pushing with a
    # direction ("he pushed me down the stairs", not "pushed me to apply"), and the
    # euphemism children use ("my uncle did stuff to me").
    (
        "abuse_disclosure",
        "violence_at_home",
        rf"{_SUBJECTS}(?:usedto|would|always|still|keeps|kept)?{_ABUSE_VERBS}(?:my)(?:mum|mom|"
        rf"mother|dad|father|sister|brother|baby|babysister|babybrother|little(?:sister|brother)|"
        rf"nan|gran|grandma)(?!{_GAMES})"
        rf"|{_SUBJECTS}(?:pushed|pushes|push|threw|throws|shoved|dragged|drags)me(?:down|into|"
        r"against|over|onto|off|tothe(?:floor|ground)|acrossthe)"
        rf"|{_SUBJECTS}(?:usedto|would)?(?:did|do|does|doing)(?:stuff|things|something|badthings|"
        r"sexualthings)tome",
    ),
    (
        "abuse_disclosure",
        "threatened_me",
        r"threaten(?:ed|s|ing)?(?:to)?(?:kill|hurt|beat|stab|shoot|strangle)me"
        # "If I leave he'll kill me", "she'll hurt me if I tell anyone": a threat with its
        # condition; "mum will kill me" alone is an idiom.
        r"|ifi(?:ever)?(?:leave|left|tell|told|report|reported|callthepolice|wenttothepolice|"
        r"gotothepolice|try(?:to)?leave)[a-z]{0,20}?(?:hell|shell|theyll|hewill|shewill|hed|"
        r"shed|theyd|hewould|shewould|hes(?:going|gonna)to|shes(?:going|gonna)to)(?:(?:kill|hurt|"
        # ... or take the children ("if I leave him he'll take the kids", not "...to school").
        r"murder|beat)me|take(?:away)?(?:the|my|our)(?:kids|children|baby|son|daughter)(?!to|for|"
        r"out|home|with))"
        r"|(?:scared|afraid|terrified|frightened|worried)(?:that)?(?:hes|shes|theyre|he|she|"
        r"they)(?:is|are|will|ll|s)?(?:going|gonna)?(?:to)?(?:kill|hurt|beat|murder)me"
        r"|(?:kill|hurt|murder|beat)meifi(?:ever)?(?:leave|left|tell|told|report|reported|"
        r"callthepolice|gotothepolice|try(?:to)?leave)"
        r"|(?:hell|shell|hewill|shewill|hed|shed|threaten(?:s|ed|ing)?to)take(?:away)?(?:the|my|"
        r"our)(?:kids|children|baby|son|daughter)(?:away)?(?:fromme)?ifi(?:ever)?(?:leave|left|"
        r"tell|told|report|callthepolice|try(?:to)?leave)(?!for|early|to|inthe|at)",
    ),
    ("abuse_disclosure", "groped", r"grop(?:ed|es|ing)|fondl(?:ed|es|ing)"),
    # Coercive control: "he won't let me leave the house", "takes my money and my phone".
    (
        "abuse_disclosure",
        "coercive_control",
        r"(?:wont|doesnt|dont|wouldnt|never|didnt)letme(?:leave|goout|see(?:my)?(?:friends|"
        r"family|mum|mom)|talkto(?:my)?(?:friends|family|anyone))"
        r"|takes?(?:away)?my(?:money|phone|passport|bankcard)and(?:my)?(?:money|phone|passport)"
        r"|(?:wont|doesnt|dont|wouldnt|never|didnt)letmehave(?:my)?(?:own)?(?:money|phone|keys|"
        r"bankcard|bankaccount|friends|passport)",
    ),
    (
        "abuse_disclosure",
        "forced_me",
        r"(?:made|makes|make|forced|forces|force)me(?:to)?(?:touch(?:him|her|it)|undress|"
        r"havesex|dosexual|watchporn|sleepwithhim|performoral|getnaked|dothings(?:idont|"
        r"iwasnt|ididnt|idontwant)|dostuff(?:idont|iwasnt|ididnt))"
        r"|forced(?:him|her)?sel[fv]onme",
    ),
    (
        "abuse_disclosure",
        "was_abused",
        r"(?:was|were|been|being|got|gets|sexually|physically|emotionally)"
        r"(?:abused|assaulted|molested|raped|beatenup|attacked)",
    ),
    ("abuse_disclosure", "abused_me", r"(?:abused|assaulted|molested|raped)(?:me|by|asa)"),
    (
        "abuse_disclosure",
        "afraid_to_go_home",
        r"(?:afraid|scared|terrified)(?:to|of)(?:go|going)home"
        r"|(?:afraid|scared|terrified)of(?:my)?(?:husband|dad|father|stepdad|partner|boyfriend)",
    ),
    (
        "abuse_disclosure",
        "abusive_relationship",
        r"abusive(?:relationship|partner|husband|boyfriend|father|parents|home|dad|mom|mother|"
        r"wife|marriage)|domesticviolence|domesticabuse",
    ),
) + SLANG_COMPACT_RULES + MORE_COMPACT_RULES
# (category, name, pattern on the spaced text with word boundaries): short words.
SPACED_RULES: tuple[tuple[str, str, str], ...] = (
    ("abuse_disclosure", "rape", r"\brap(?:e|ed|ing|ist)\b"),
    ("abuse_disclosure", "incest", r"\bincest\b"),
    ("abuse_disclosure", "molest", r"\bmolest(?:ed|ing|ation)?\b"),
) + SLANG_SPACED_RULES + MORE_SPACED_RULES
# (category, name, pattern on the text as written, case-insensitive): rules that need digits.
RAW_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "suicidal_ideation",
        "took_pills",
        r"\b(?:took|swallowed|swallowing|taken)\s+(?:like\s+|about\s+|around\s+|over\s+)?"
        r"\d{2,3}\s+(?:of\s+(?:my|the|his|her)\s+)?(?:pills|tablets|meds|painkillers|"
        r"paracetamol|sleeping pills|antidepressants)\b",
    ),
) + SLANG_RAW_RULES
# Approximate search when nothing matched exactly: (category, phrase, minimum score).
FUZZY_PHRASES: tuple[tuple[str, str, float], ...] = (
    ("suicidal_ideation", "killmyself", 88),  # not after "s" ("skill myself"): detect_crisis
    ("suicidal_ideation", "endmylife", 88),
    ("suicidal_ideation", "endingmylife", 88),
    ("suicidal_ideation", "takemyownlife", 88),
    ("suicidal_ideation", "betteroffwithoutme", 91),
    ("suicidal_ideation", "betteroffdead", 90),
    ("suicidal_ideation", "suicidal", 87),
    ("suicidal_ideation", "noreasontolive", 88),
    ("suicidal_ideation", "dontwanttobealive", 88),
    ("suicidal_ideation", "dontwanttoliveanymore", 88),
    ("self_harm", "cuttingmyself", 90),
    ("self_harm", "hurtingmyself", 90),
    ("abuse_disclosure", "sexuallyabused", 88),
)
