"""More crisis rules: passive ideation, means, goodbyes, grooming, control, neglect, threats.

A red-team pass over what distressed young people and adults say on YouTube, as
faster-whisper writes it, found these gaps in :mod:`pixel_assets.validation.crisis_rules`:
wishing not to wake up or never to have been born, poison and bleach, pills hidden or saved
"for when", the edge of a bridge, roof or platform, video goodbyes ("by the time you see
this"), grooming, coercive control, elder abuse and child neglect, stalking, forced marriage
and honour-based threats, FGM, trafficking and county lines, carrying a weapon, and threats
to others with a target or a plan (sextortion and "send nudes" are with the online words in
:mod:`pixel_assets.validation.crisis_slang`). The rules have the shapes of the others
(compact text unless a word hides inside others) and each names the context that makes it a
disclosure; the look-alikes that must not fire are in
``pixel_assets_tests/validation/test_crisis.py``.

Left unflagged on purpose, because the words alone are said as often about ordinary things:
"I'll make them pay" without "all" or a place (revenge talk, lawsuits; "he made me pay for
dinner"), "take care of my cat when I'm gone" (holidays, wills), "this is my last video"
(channels close), "I've picked a date" / "I know how I'm gonna do it" (weddings, plans),
"I won't be here next year / for Christmas" with "here" (moving, travelling; "won't be
*around*" is caught), "the edge of the cliff" without a thought of jumping (views, photos),
"my mum would kill me if she knew" (an idiom; a *reported* threat tied to marriage, a
boyfriend or coming out is caught), a parent checking a teenager's phone, an arranged
marriage the speaker does not say is forced, and "hitting my head against a brick wall".
"""

from __future__ import annotations

# Whoever is harmed or controlled, as the compact text writes them.
_VICTIMS = (
    r"(?:me|us|my(?:kids|children|baby|son|daughter|brother|sister|littlebrother|littlesister|"
    r"babybrother|babysister|siblings|mum|mom|mother|nan|gran|grandma|grandad|grandpa|"
    r"grandmother|grandfather|dad))"
)
# People a threat or a weapon is aimed at (compact text).
_TARGETS = (
    r"(?:him|her|them|you|everyone|everybody|someone|somebody|people|those(?:kids|boys|girls|"
    r"people|guys)|my(?:dad|father|mum|mom|mother|stepdad|stepfather|brother|sister|ex|boss|"
    r"husband|wife|partner|boyfriend|girlfriend|teacher|neighbou?r|bully|bullies))"
)
# Adults whose secrets with a child are grooming (compact text).
_ADULTS = (
    r"(?:teacher|coach|tutor|uncle|stepdad|stepfather|priest|pastor|imam|leader|neighbou?r|"
    r"instructor|trainer|babysitter|familyfriend|(?:mums|moms)boyfriend|(?:older|grown|adult)"
    r"(?:man|guy|men|guys|bloke|dude|person|woman|lady)|(?:man|guy|someone|somebody|stranger)"
    r"online)"
)
_PILLS = r"(?:pills|tablets|meds|medication|painkillers|paracetamol|sleepingpills|insulin)"
_POISONS = (
    r"(?:bleach|antifreeze|ratpoison|weedkiller|drain(?:cleaner|unblocker)|paraquat|"
    r"pesticide|cyanide|lighterfluid|poison(?!ivy|oak|ous|ing|ed))"
)
_TELL_WHOM = (
    r"(?:anyone|anybody|my(?:mum|mom|dad|parents|family)|your(?:mum|mom|dad|parents|family)|"
    r"thepolice|noone)"
)
# Secrets that are kind: a surprise, a present, a pregnancy, a spoiler.
_SURPRISE = (
    r"[a-z]{0,25}(?:surprise|party|present|gift|birthday|recipe|propos|engag|pregnan|christmas|"
    r"spoiler|ending)"
)
# "Dead" in idioms: "deadline", "dead serious", "dead on time", "dead-heading the roses".
_NOT_DEAD_IDIOM = (
    r"(?!line|lift|head|set|on|serious|tired|ly|pan|beat|bolt|weight|end|centre|center|even|heat|"
    r"wood|zone|pool|drunk|cert|easy|good|funny|quiet|right|slow|fast|straight|simple|cute|proud|"
    r"excited|happy|chuffed|keen|nice|sweet)"
)
# Where a drop is lethal: the edge of a bridge, roof or railway platform (not a diving,
# viewing, oil or loading platform; the look-behinds follow the word, which is faster).
_HEIGHTS = (
    r"(?:bridge|roof|rooftop|building|carpark|multistorey|balcony|tower|ledge|(?:train|tube|"
    r"railway|station)?platform(?<!divingplatform)(?<!viewingplatform)(?<!oilplatform)"
    r"(?<!loadingplatform))"
)

# (category, name, pattern on the compact letters-only text)
MORE_COMPACT_RULES: tuple[tuple[str, str, str], ...] = (
    # Passive ideation: hoping not to wake up, or to die or be hit, is a recognised risk
    # indicator even without a plan. Not "hope I don't die", "hope I die laughing",
    # "cross my heart and hope to die" (no "I").
    (
        "suicidal_ideation",
        "hope_to_die",
        r"(?:hope|hoping|pray|praying|wish)(?:every(?:night|day|morning)|allthetime)?(?:that)?i"
        r"(?:just)?(?:die(?!laughing|happy|of(?:old|natural)|before(?:i|my)getold|before(?:you|"
        r"him|her|my)|first|peacefully|rich|famous|[a-z]{0,15}(?:old|ninety|hundred))|(?:dont|never)wakeup(?!the|my|"
        r"him|her|them|you|every|any|mum|mom|dad|early|late|intime)|"
        r"getkilled|gethitby(?:a|the)?(?:car|bus|train|lorry|truck))"
        # "I wish a car would hit me", "I wish something bad would happen to me".
        r"|wish(?:ed)?(?:a|the|some)(?:car|bus|train|lorry|truck)would(?:just)?hitme"
        r"|wish(?:ed)?something(?:bad|terrible|awful)?would(?:just)?happentome(?=$|so|and|like"
        r"|(?:a|an)(?:accident|crash))",
    ),
    # Indifference to dying: "I wouldn't care if I died tomorrow"; not "…if I dyed (died) my
    # hair" as ASR sometimes writes it.
    (
        "suicidal_ideation",
        "indifferent_to_dying",
        r"(?:wouldnt|wouldnot|dont|donot|wont)(?:even|really)?(?:care|mind|bebothered)(?:if|"
        r"when)i(?:just)?(?:died|die(?!d)|gothit|gotkilled|didntwakeup|neverwokeup|wasdead|"
        r"stoppedbreathing)(?!my|it|her|his|the|them|trying|doing|laughing)"
        r"|ifi(?:just)?died(?!my|it|her|his|the|them)[a-z]{0,30}?(?:wouldnt|wouldnot|dont|donot|"
        r"would|will)(?:even|really)?(?:care|mind|notice)",
    ),
    # "I wish I'd never been born" (the older rule had "was/were/had" only).
    (
        "suicidal_ideation",
        "wish_never_born",
        r"wish(?:ed)?(?:i|id|ihad|iwas|iwere)(?:just)?never(?:been|was|got)?born"
        r"|wish(?:ed)?(?:i|id)?(?:hadnt|hadnot|wasnt|wasnot)(?:ever)?(?:been)?born"
        r"|wish(?:ed)?my(?:mum|mom|mother|parents)(?:had)?(?:never|hadnt|didnt)(?:had|have)me",
    ),
    # "Everyone would be fine without me": the conditional, not "they'll be fine without me
    # for a week".
    (
        "suicidal_ideation",
        "fine_without_me",
        r"(?:everyone|everybody|they|people|myfamily|mykids|theworld|mymum|mymom|mydad|mywife|"
        r"myhusband|mypartner|myfriends)(?:would|d)(?:all)?(?:be)?(?:just|all)?(?:fine|okay|ok|"
        r"alright)withoutme(?!on|for|at|in|there|this|while|tonight|today|until|till|when|"
        r"tomorrow|next)"
        r"|(?:better|happier)placewithoutme|b[aeiou][tdg]+(?:e?r|a)of+not(?:existing|alive|"
        r"beingalive)",
    ),
    # "I'm not gonna be here much longer" (not "…here next week, I'm on holiday"; not "…here
    # much longer, my train's at six").
    (
        "suicidal_ideation",
        "not_here_much_longer",
        r"(?:not|wont|nt|nolonger)(?:goingto|gonna)?(?:be|still)?(?:here|alive)(?:for)?(?:much|"
        r"very|alot)longer(?!today|tonight|this|at|in(?:this|the)|(?:my|the|our)(?:train|bus|"
        r"flight|shift|lift|taxi|contract|lease|visa|placement|internship|course|job|tenancy)|(?:i|im|ive|we)(?:have|ve|got|gotta|m)(?:to)?(?:go|leave|catch|get)|"
        r"(?:because|cos|cause|as)(?:im|i|my|we))"
        r"|(?:im|i|iam|ill)(?:probably)?(?:not|wont|nt)(?:goingto|gonna)?bealive(?:nextyear|"
        r"bychristmas|bytheweekend|bynextweek|tomorrow)",
    ),
    # Worthlessness about life itself: "I don't deserve to live", "I shouldn't be alive" (not
    # "…to live here", not "I shouldn't be alive after that crash").
    (
        "suicidal_ideation",
        "dont_deserve_to_live",
        r"(?:dont|donot|nt)deserve(?:to)?(?:live(?!in|with|at|here|there|near|like|on|so|a|"
        r"this|that|the)|bealive|exist|breathe)"
        r"|i(?:shouldnt|shouldnot)(?:even|really)?(?:bealive|exist)(?!after|bynow|today|"
        r"becauseof|withthat|thedoctors|(?:it|this|that)?(?:was|is|s)amiracle)",
    ),
    (
        "suicidal_ideation",
        "want_it_to_end_forever",
        r"(?:wan(?:t|na)|wish)(?:it|itall|everything|thepain|allthepain|mythoughts|myhead)(?:to)?"
        r"(?:just)?(?:stop|end|go(?:dark|black|quiet))(?:forever|forgood|permanently)"
        r"|(?:wan(?:t|na)|wish)(?:it|itall|everything)(?:to)?(?:just)?go(?:dark|black)$",
    ),
    # Means: poison and bleach ("I drank a bottle of bleach", "thinking about drinking
    # bleach"); not "don't drink bleach", not "told people to drink bleach", not the dog.
    (
        "suicidal_ideation",
        "poison",
        # (?=...) first: a cheap test of the first letter before the look-behinds (speed).
        r"(?=[dsgaei])(?<!dont)(?<!not)(?<!never)(?<!peopleto)(?<!usto)(?<!themto)(?<!dog)(?<!cat)"
        r"(?<!puppy)(?<!accidentally)"
        r"(?:drank|drink|drinking|swallow(?:ed|ing)?|gulp(?:ed)?|ate|eat|eating|inject(?:ed|ing)?)"
        rf"(?:a|the|some|abottleof|acupof|aglassof|amouthfulof|half(?:a)?bottleof|loadsof|"
        rf"acapfulof)?{_POISONS}(?!byaccident|bymistake|thinkingit)"
        rf"|(?:bought|buy|buying|got|have|hid|hidden|keep|kept)(?:a|the|some)?{_POISONS}"
        r"(?:to|so(?:i|that)i|for)(?:takemyself|drink|killmyself|die|endit|myself|take)",
    ),
    # Pills kept for later: "I've got the pills saved up", "a stash of pills", "enough tablets
    # to do it", "hiding my tablets in a box", buying paracetamol from several shops (UK pack
    # limits). Not "saved for the trip", "I hide my pills from the kids", "keep some
    # paracetamol in my bag".
    (
        "suicidal_ideation",
        "pills_kept_for_later",
        rf"{_PILLS}(?:all)?(?:saved|stashed|stockpiled|hoarded|squirrel+ed)(?:up|away)?"
        r"(?!for(?:the|my|a)?(?:trip|holiday|journey|flight|later|tomorrow|morning|weekend)|on|"
        r"to(?:my|the)|in(?:my|the)?(?:phone|notes|list|app|basket|cart|favourites))"
        rf"|(?:stash|stockpile|hoard|pile)of{_PILLS}"
        rf"|enough{_PILLS}(?:saved|stashed|hidden|left)?(?:up)?to(?:doit|endit|kill|die|"
        r"overdose|takemyself|finishit|endthings|notwakeup)"
        rf"|(?:hid|hide|hiding|hidden|collect(?:ed|ing)|stash(?:ed|ing)?)(?:all|up)?(?:of)?(?:my|"
        rf"the|some)?{_PILLS}(?:(?:in|inside|under)(?:a|my|the)?(?:box|jar|drawer|sock|tin|"
        r"envelope|wardrobe|shoebox|pillow|mattress)(?!so|from|away|outof|uphigh|becauseofthe)|"
        r"for(?:months|weeks)|insteadoftaking|andnottaking)"
        # Kept "for when I'm ready"; not "in my bag for when I need them".
        rf"|(?:hid|hide|hiding|hidden|collect(?:ed|ing)|stash(?:ed|ing)?|keep(?:ing)?|kept)"
        rf"(?:all|up)?(?:of)?(?:my|the|some)?{_PILLS}[a-z]{{0,25}}?(?:for(?:when|whenever)(?:im|"
        r"iam|i)(?:ready|decide|cant(?:take|cope))|forwhenitgetstoomuch|forthe(?:right|day))"
        rf"|(?:buy|buying|bought)(?:loads|lots|packs|boxes)?(?:of)?{_PILLS}(?:from|in|at)"
        r"(?:different|several|afew|lotsof|loadsof|multiple|every|allthe)(?:shops|stores|"
        r"chemists|pharmacies|supermarkets|places)"
        rf"|(?:not|nt|stopped|stop)tak(?:ing|e)(?:my|the)?{_PILLS}(?:and|but|so)(?:im|i|ive)?"
        r"(?:been)?(?:saving|keeping|hiding|collecting|stockpiling|storing)",
    ),
    (
        "suicidal_ideation",
        "noose_or_gas",
        r"(?:tied|tie|tying|made|make|making|bought|got|have|hung|hang|put(?:up)?|setup|"
        r"learn(?:ed|t)?(?:how)?to(?:tie|make))(?:a|the|my)noose"
        r"|(?:hose|hosepipe|pipe)(?:on|onto|up)(?:the|my)?exhaust|gas(?:sing|sed)?myself(?!up)"
        r"|exitbag",
    ),
    # High places and railways: standing on the edge of a bridge, roof or platform, on the
    # tracks, over the railing; any of them with a thought of jumping. Not the edge of a
    # stage, a diving or viewing platform, "waiting for the train", photos of the view.
    (
        "suicidal_ideation",
        "edge_of_a_drop",
        r"(?:stood|stand|standing|sat|sit|sitting|climbed|climbing|went|was|were|been|leaning|"
        r"leant|leaned)(?:right)?(?:on|onto|over|up|out|to|at)(?:on|onto|to)?(?:the)?(?:very)?"
        rf"(?:edge|ledge|railings?|barrier|parapet)(?:of|on)(?:the|a|that|this){_HEIGHTS}"
        r"(?!waitingfor|(?:when|as)(?:the|a|my)(?:train|tube)|to(?:get|catch|board|take)|and(?:got|"
        r"caught|took|take|waited)|for(?:the|a)"
        r"?(?:view|photo|picture|selfie|train|tube)|watching|taking|looking(?:at|out)(?:the)?"
        r"(?:view|sunset|city))"
        r"|climbed(?:over|onto|up)(?:the)?(?:railings?|barrier|fence|parapet|ledge)(?:on|of|at)"
        rf"(?:the|a)?{_HEIGHTS}"
        r"|(?:stood|stand|standing|sat|sit|sitting|climbed|climbing)(?:on|onto|over)(?:the|a)?"
        rf"{_HEIGHTS}(?:edge|ledge|railings?|barrier|parapet)"
        r"|(?:walked|walking|stepped|stepping|went|climbed)onto(?:the)?(?:train|railway|rail)?"
        r"(?:tracks|railwayline|rails)"
        r"|(?:stood|stand|standing|sat|sit|sitting|lay|lie|lying|laid|laydown|layingdown|knelt|"
        r"kneeling|waited|waiting)(?:down)?(?:on|onto|across|between)(?:the)?(?<!old)"
        r"(?<!abandoned)(?<!disused)(?<!toy)(?<!model)(?:train|railway|rail)?(?:tracks|"
        r"railwayline|raillines?|trainline|rails)"
        rf"|{_HEIGHTS}[a-z]{{0,40}}?(?:thinking|thought|wanting|wantedto|wanna|gonna|goingto|"
        r"abouttojump|readyto|tempted|wantto)(?:about|of)?(?:to)?(?:just)?(?:jump(?:ing|ed)?(?!in"
        r"(?!frontof)|on|at|ship|aboard|the(?:queue|gun))|stepoff|steppingoff|lettinggo|letgo|"
        r"fall(?:ing)?off)"
        r"|(?:thought|thinking|think|wanna|wantto|wanted|tempted)(?:about|of)?(?:to)?(?:just)?"
        r"walk(?:ing)?(?:out)?into(?:the)?(?:sea|ocean|river|lake)"
        r"|walk(?:ing)?(?:out)?into(?:the)?(?:sea|ocean|river|lake)(?:and)?(?:never|not)"
        r"(?:come|coming)back"
        # "I went up to the roof to jump"; not "to jump into the pool", "to jump on the bed".
        rf"|(?:went|go|going|climbed|climb|walked|drove)(?:up)?(?:on)?(?:to|onto)(?:the|a)?"
        rf"{_HEIGHTS}(?:s)?to(?:jump|throwmyself|endit|die)(?!in|on|with|around|over|up|rope)",
    ),
    # Video goodbyes: "by the time you see this I'll be gone", "this is goodbye", "if you don't
    # hear from me again, I love you". Not "…I'll be gone on holiday", "goodbye for now",
    # "goodbye to the channel".
    (
        "suicidal_ideation",
        "goodbye_message",
        r"bythetime(?:you|anyone|someone|people|yall|youguys|everyone)(?:see|sees|watch|watches|"
        r"read|reads|hear|hears|find|finds)(?:this|these|it)(?:video|message|note|letter)?"
        r"(?:ill|iwill|id|i)(?:already)?(?:be)?(?:already)?(?:gone|dead|notbehere|nothere|"
        r"wontbehere|wontbearound|nolongerbehere|notalive)(?!on|to|for|from|away|abroad|back|"
        r"at|in|ill|im|iwill|because|cos|cause)"
        r"|if(?:you|yall|youguys|anyone|someone)(?:re|are|is)?(?:watching|reading|seeing|hearing|"
        r"finding)this(?:video|message|note|letter)?(?:then)?(?:im|iam|ive|ill|i)(?:already|"
        r"probably)?(?:be|been)?(?:gone|dead|notalive|nothere|nolongerhere|passedaway)(?!on|to|"
        r"for|from|away|abroad|back|at|in|camping|travel)"
        r"|thisis(?:my)?(?:final|last)?goodbye(?!to(?:the|this|my)?(?:channel|series|house|"
        r"city|job|school|flat|car|year|summer|season|show|stream|podcast)|to(?!you|everyone|"
        r"everybody|all|my(?:family|friends|kids))|for(?:now|today|the|this)|video|party|letter|"
        r"card|scene|episode)(?![a-z]*(?:seeyou|nextseason|newchannel|"
        r"newvideo))"
        r"|goodbyeforever(?!to(?:the|plastic|this|that|my(?:old|job|car)))"
        r"|if(?:you|yall|youguys|anyone|anybody)?(?:dont|donot|never|nt|doesnt)(?:ever)?(?:hear|"
        r"see)(?:from)?meagain(?:just|please|pleaseknow|know|remember|i)?(?:that)?(?:i)?(?:love"
        r"you|imsorry|goodbye|thankyouforeverything|itsnotyourfault)",
    ),
    # Grooming: "I'm being groomed", "he groomed me"; not "grooming the dog", "the dog was
    # groomed", "he's being groomed for the top job".
    (
        "abuse_disclosure",
        "groomed",
        r"(?:im|iam|iwas|ivebeen|iwasbeing|imbeing|igot|wewere|webeing|(?:i|we)think(?:im|iwas|"
        r"wewere|were))(?:being|getting|been)?groomed(?!for|to(?:be|take|lead|run|succeed|become)"
        r"|as(?:a|the)|into(?:the|a)|daily|weekly|regularly|professionally|at(?:the|a)(?:salon|"
        r"barber|groomers))"
        r"|groom(?:ed|ing|s)(?:me|us|my(?:daughter|son|child|kids|sister|brother|niece|nephew|"
        r"stepdaughter|stepson))(?!for|to(?:be|take|lead|run|succeed|become)|up)"
        r"|(?=[wbg])(?<!dog)(?<!dogs)(?<!cat)(?<!horse)(?<!pony)(?<!puppy)(?:was|were|been|being|got|gets|"
        r"getting)groomed(?:online|ontheinternet|by(?!(?:a|the|our|my)?(?:groomer|professional|"
        r"salon|stylist|barber|vet|hairdresser|company|club|party|team|boss|manager)))"
        r"|(?:victim|victims|survivor|survivors)of(?:online|child)?grooming",
    ),
    # The secret that marks grooming: "it's our little secret", "told me not to tell anyone
    # what we do", an adult who "says keep it secret". Not a surprise party or a pregnancy.
    (
        "abuse_disclosure",
        "secret_with_adult",
        r"(?:says|said|tells?me|told(?:me|us))(?:that)?(?:what(?:we|he|she|happened)(?:do|did|"
        r"does|have|had)?(?:together)?(?:is|was|hastobe|hastostay|stays))?(?:its|itsjust|thisis|"
        r"thatsjust|thats|itwas)?our(?:little|special|own)secret(?!the|a|an|about|my|your|his|"
        rf"her|{_SURPRISE})"
        r"|(?:says|said|tells?me|told(?:me|us))(?:that)?(?:to|i(?:have|had|must|should)to|we"
        rf"(?:have|had|must)to)?(?:not|never|dont)(?:to)?(?:ever)?tell{_TELL_WHOM}?(?:about"
        r"(?:us|what(?:we|he|she|happened)|the(?:pictures|photos|pics|messages|videos|texts)|"
        r"him|her)|what(?:we|he|she|happened)|thathe|thatshe|thatwe|or(?:else|hell|shell|"
        r"theyll|(?:i|we)(?:ll|will|d|would)getintrouble))"
        rf"|{_ADULTS}[a-z]{{0,60}}?(?:says|said|tells?me|told(?:me|us)|mademe(?:promise|swear))"
        r"(?:that|to|i(?:have|had|must|should)to)?(?:keep(?:it|this|that|us|everything|what(?:we|"
        r"he|she)(?:do|did|does)?|ourrelationship)(?:a|our)?(?:little|special|big)?secret|(?:not|"
        rf"never|dont)(?:to)?(?:ever)?tell{_TELL_WHOM}(?=$|about(?:us|it|this|that|what|him|her|"
        r"the(?:pictures|photos|pics|messages|videos|texts|gifts|money))|what|or|because|cos|and|"
        rf"but|ever|anything))(?!{_SURPRISE})",
    ),
    # Coercive control: "he checks my phone and goes mad if I talk to anyone", "I'm not allowed
    # to leave the house without him", "he took my passport". Not "not allowed to go out on
    # school nights", "the hotel took my passport", "mum took my passport to renew it".
    (
        "abuse_disclosure",
        "coercive_control",
        r"(?:goes|went|gets|got)(?:mad|crazy|mental|angry|furious|nuts|ballistic|jealous)"
        r"(?:atme)?(?:if|when|whenever|everytime)i(?:ever)?(?:talk|text|speak|message|chat)(?:ed)?"
        r"(?:to|with)(?:anyone|anybody|other(?:men|guys|women|girls|people)|aguy|agirl|aman|"
        r"awoman|my(?:friends|family|mum|mom|sister|brother))(?!during|inclass|inthe(?:exam|test|"
        r"class|lesson))"
        r"|(?:husband|wife|partner|boyfriend|girlfriend|fiance|fiancee|ex)(?:always|constantly|"
        r"keeps|still)?(?:checks|checked|checking|reads|read|tracks|tracked|tracking|monitors|"
        r"monitoring|goesthrough|wentthrough|controls|controlled|controlling)(?:all)?(?:of)?(?:my|"
        r"the|our)(?:phone|messages|texts|emails|location|whereabouts|money|finances|bankaccount|"
        r"spending|calls)"
        r"|(?:he|she)(?:always|constantly)?(?:tracks|monitors)my(?:location|whereabouts|phone)"
        r"|(?:im|iam|wewere|were|iwas)(?:not|nt|never)allowed(?:to)?(?:leave(?:the(?:house|flat|"
        r"home)|home)|see(?:my)?(?:friends|family|mum|mom|sister|brother|parents)|talkto(?:anyone"
        r"|anybody|my(?:friends|family))|have(?:my(?:own)?)?(?:money|phone|bankaccount|keys)|goto"
        r"(?:school|thedoctors?|hospital))(?!until|till|til|today|tonight|tomorrow|this|after|on"
        r"(?:school|week)|because|cos|cause|since|while|with(?:a|my)?(?:fever|cold|covid|"
        r"temperature)|for(?:a|the|two|three|one)?(?:week|weeks|days|month|exams)|during|in"
        r"(?:quarantine|lockdown|isolation)|grounded)"
        r"|(?:he|she|they|husband|wife|partner|boyfriend|girlfriend|boss|employer|family|parents|"
        r"dad|father|uncle|inlaws)(?:has|have|had|s|ve)?(?:took|taken|takes|hid|hidden|hides|"
        r"confiscated|burnt|burned|destroyed|lockedaway|lockedup)(?:away)?(?:my|our)(?:passport|"
        r"passports|documents|papers|visa|birthcertificate)(?!to(?:the)?(?:embassy|office|bank|"
        r"postoffice|get|renew|copy|check|scan|apply)|forme|atthe(?:airport|hotel|desk))"
        r"|controls?(?:all)?(?:of)?(?:the|our)(?:money|finances)[a-z]{0,30}?(?:gives?me|puts"
        r"me(?:on)?)(?:an|a)?(?:allowance|pocketmoney)"
        r"|(?:controls|controlled|controlling)(?:all)?(?:of)?my(?:money|finances|bankaccount|wages|"
        r"benefits)"
        r"|(?:takes?|took|keeps?|kept)(?:away)?(?:all)?my(?:bankcard|card|wages|salary|benefits|"
        r"pay|paycheck|money)[a-z]{0,10}?(?:and|then)(?:only)?(?:gives?|leaves?|lets?)me(?:have)?"
        r"(?:a|an|just|only)?(?:few|little|allowance|pocketmoney|nothing|twenty|ten|fifty|five|"
        r"some)"
        r"|ihaveto(?:ask|beg)(?:him|her)(?:for)?(?:permission|money)?(?:to|before|if)(?:i)?(?:can)?"
        r"(?:leave(?:the)?(?:house|flat|home)|goout|see(?:my)?(?:friends|family|mum|mom)|spend|"
        r"buy(?:anything|food)|eat|talkto)"
        r"|(?:checks|checked|reads|read|goesthrough|wentthrough|tracks|monitors)(?:all)?my(?:phone|"
        r"messages|texts|location|emails)[a-z]{0,40}?(?:tellsme(?:what(?:to|ican)wear|who(?:i|"
        r"ican)(?:can)?(?:see|talkto))|(?:goes|gets)(?:mad|crazy|angry|mental|jealous)|wontletme|"
        r"doesntletme|(?:hits|hurts|slaps|punishes)me)"
        r"|(?:took|taken|takes|hid|hidden)(?:away)?my(?:phone|money|keys)and(?:my)?(?:passport|"
        r"documents|papers)"
        r"|(?:says|said|tells?me|told(?:me|her|him))(?:that)?(?:nobody|noone)(?:will|would|is"
        r"(?:going|gonna)to|d|ll)?(?:ever)?believe(?:me|her|him|you|aword)(?!about(?:the|my|our)?"
        r"(?:fish|catch|holiday|trip|score))",
    ),
    # Strangling told without the word, a marker of lethal risk in domestic abuse: "he put his
    # hands around my neck"; not a pulse being taken or a joke.
    (
        "abuse_disclosure",
        "hands_on_my_neck",
        r"(?:put|puts|had|has|grabbed|grabs|wrapped|wraps|squeezed|squeezes|pressed|presses)"
        r"(?:both)?(?:his|her|their)hands?(?:around|round|on|over)my(?:neck|throat|mouth)"
        r"(?!to(?:check|feel|take)|(?:to)?stopme(?:laughing|giggling)|asajoke|jokingly)",
    ),
    # Elder and care abuse: "my son takes my pension and leaves me with nothing", "the carers
    # hit her", "leaves her in dirty sheets", "they lock my grandad in his room".
    (
        "abuse_disclosure",
        "elder_or_care_abuse",
        r"(?:takes?|took|taking|steals?|stole|stealing|drain(?:s|ed|ing)?|empt(?:ies|ied|ying))"
        r"(?:all)?(?:the)?(?:money)?(?:from|outof|of)?my(?:pension|benefits|savings|bankaccount|"
        r"account|lifesavings|bankcard)[a-z]{0,30}?(?:withoutasking|withoutpermission|withoutmy"
        r"(?:permission|knowing|consent)|withouttellingme|behindmyback|andleaves?me(?:with)?"
        r"(?:nothing|nomoney|nofood|short)|forhimself|forherself|fordrugs|fordrink|ongambling)"
        r"|(?:carers?|careworkers?|nurses|staff)[a-z]{0,25}?(?:hit|hits|hitting|slap|slaps|"
        r"slapped|pushe?s?d?|shove[sd]?|shout(?:s|ed)?at|scream(?:s|ed)?at|hurt|hurts|bruised|"
        r"tie[sd]?|starve[sd]?|drug(?:s|ged)|sedate[sd]?)(?:her|him|them|me|my(?:mum|mom|nan|"
        r"gran|dad|grandma|grandad|grandpa|grandmother|grandfather))"
        r"|(?:leave|leaves|left|leaving)(?:her|him|them|me|my(?:mum|mom|nan|gran|dad|grandma|"
        r"grandad|grandpa))(?:lying|sitting)?in(?:her|his|their|my)?(?:(?:own)?(?:dirty|soiled|wet|"
        r"filthy)(?:sheets|bed|clothes|nappy|nappies|pads?)|own(?:mess|urine|wee|poo|faeces|"
        r"excrement|vomit|sick))"
        rf"|(?:lock|locks|locked|locking){_VICTIMS}(?:up)?(?:in|inside)(?:my|his|her|their|our|"
        r"a|the)?(?:room|bedroom|cupboard|cellar|basement|shed|garage|closet|attic|cage)"
        r"(?!byaccident|accidentally|asajoke|forajoke|forfun)",
    ),
    # Child neglect: "mum leaves us alone for days with no food", "she doesn't feed us",
    # "there's never any food in the house and I have to feed my little brother".
    (
        "abuse_disclosure",
        "child_neglect",
        r"(?:leave|leaves|left|leaving)(?:us|me|my(?:brother|sister|siblings|little(?:brother|"
        r"sister)|kids|children|baby))(?:all)?(?:alone|onmyown|onourown|bymyself|byourselves|"
        r"athome|home)(?:alone)?(?:for)?(?:days|weeks|nights|(?:two|three|four|five|six|several|"
        r"afew|acoupleof|acouple)(?:whole)?(?:days|nights|weeks))"
        r"|(?:leave|leaves|left|leaving)(?:us|me)(?:alone|onmyown|onourown|athome)?(?:with"
        r"(?:no|out)(?:any)?(?:food|money|heating|electricity))"
        r"|(?:mum|mom|mother|dad|father|parents|stepmum|stepmom|stepdad)(?:doesnt|dont|didnt|"
        r"never|wont|hardlyever|rarely)(?:even)?(?:feed|feeds|fed|cookfor)(?:us|me|my(?:brother|"
        r"sister|siblings|little(?:brother|sister)))(?!vegetables|veg|meat|fish|sweets|junk|"
        r"healthy|breakfast|until|till|after|before)"
        r"|(?:never|no|nt|nothing)(?:any)?(?:food|thingtoeat)(?:in|at)(?:the|our)?(?:house|home|"
        r"flat|fridge)(?:and|so)(?:i|we)(?:have|had|always|gotta)?(?:to)?(?:feed|steal|beg|go"
        r"(?:to)?(?:bed|school)hungry|skip)"
        r"|(?:feed|feeds|lookafter|looksafter|takecareof|takescareof|cookfor|raise|raising)(?:my)?"
        r"(?:little|baby|younger)?(?:brothers?|sisters?|siblings)[a-z]{0,20}?(?:because|cos|cause|"
        r"since|as|when|while)(?:my)?(?:mum|mom|mother|dad|father|parents|she|he|they)(?:is|s|are|"
        r"re|was|were|gets)?(?:always|never|usually|often|too)?(?:drunk|high|wasted|passedout|"
        r"stoned|nothome|neverhome|neverthere|gonefordays)"
        r"|(?:always|usually|often|mostnights|everynight|alot)(?:go|went|havetogo|hadtogo)(?:to)?"
        r"(?:bed|school)(?:hungry|withouteating|withoutfood|withoutdinner)"
        r"|(?:we|kids|children|baby|brother|sister|siblings)(?:havent|hasnt|hadnt|didnt|havenot)"
        r"(?:had|eaten|eat)(?:any)?(?:food|anything|ameal|aproper(?:meal))?(?:in|for)(?:days|"
        r"weeks|(?:two|three|four|five|six|several|afew|acoupleof)(?:whole)?days)",
    ),
    # Stalking and harassment: "my ex is stalking me", "he follows me home", "keeps turning up
    # outside my house", "a tracker on my car", fake accounts after a block. Not "stalked her
    # Instagram", "follows me on TikTok", "I put an AirTag on my bike".
    (
        "abuse_disclosure",
        "stalking",
        r"stalk(?:s|ed|ing)(?:me|my(?:family|kids|daughter|son|house|home|work))"
        r"|(?:being|been|was|were|get|got|getting|im)stalked|(?:my|a|hasa|gota)stalker"
        r"|(?:follows?|followed|following)me(?:home|toschool|towork|fromwork|fromschool|inhis|"
        r"inher|inacar|inthecar|tomyhouse|tomycar|offthe(?:bus|train))"
        r"|(?:been|keeps?|kept|started|starts)followingme(?:$|and|from|outside|everywhere|"
        r"whereveri|home)(?!on)"
        r"|(?:been|keeps?|kept|started|starts)(?:watching|filming|photographing)me(?:$|from|"
        r"outside|through|everywhere|whereveri|without)"
        r"|(?:keeps?|kept|always|constantly|still)(?:on)?(?:turning|showing|popping)up(?:at|"
        r"outside|near)?my(?:house|home|work|school|flat|door|office|job|college|uni|apartment|"
        r"window)(?!with|to(?:deliver|drop|bring|fix|help))"
        r"|(?=[phif])(?<!i)(?<!we)(?:put|puts|putting|hid|hidden|placed|installed|install|installing|found)"
        r"(?:a|an|some)?(?:tracker|trackingdevice|gpstracker|airtag|spyware|trackingapp|"
        r"stalkerware|hiddencamera|spycamera)(?:on|in|under)my(?:car|phone|bag|laptop|bike|coat|"
        r"jacket|room|bedroom|keys)"
        r"|(?:made|makes|making|creates?|created|creating)(?:new|fake|different|another|loadsof|"
        r"multiple)(?:fake)?(?:accounts?|profiles?|numbers?)(?:to|and|just)?(?:message|text|"
        r"contact|follow|harass|dm|watch|call|find)me"
        r"|(?:keeps?|kept|still|wontstop)(?:messaging|texting|calling|ringing|contacting|emailing|"
        r"dming|harassing)me[a-z]{0,30}?(?:eventhough|evenafter|after|since|but)i(?:blocked|told|"
        r"asked|changed|moved|reported)"
        r"|sexual(?:ly)?harass",
    ),
    # Forced marriage and honour-based abuse: "my family are making me marry my cousin",
    # "taking me abroad to get married", "shame on the family ... they'll kill me", a reported
    # threat over marrying, a boyfriend or coming out. Not "I'm getting married", "my
    # girlfriend wants me to marry her", "taking me to Spain for a wedding".
    (
        "abuse_disclosure",
        "forced_marriage",
        r"(?:making|make|makes|made|forc(?:e|es|ed|ing)|pressur(?:e|es|ed|ing))me(?:to|into)?"
        r"(?:get)?(?:an?)?(?:arranged)?(?:marry|married|marriage|awedding)(?!in(?:a|the)(?:church|mosque|temple|"
        r"registryoffice|synagogue|castle|garden)|sooner|earlier|quickly|before(?:the)?baby)"
        r"|forced(?:into|to)?(?:a)?(?:marry|marriage|married)|forcedmarriage"
        r"|(?:taking|take|takes|took|sending|send|sent)(?:me|her|mysister|mydaughter|mycousin)"
        r"(?:back)?(?:abroad|home|overseas|to[a-z]{3,12})(?:to|for)(?:get|be)?(?:married|marry|"
        r"marriage)"
        r"|(?:arranged|arranging)(?:a)?marriage[a-z]{0,30}?(?:againstmywill|idontwant|ididntwant|"
        r"withoutmyconsent|icantsayno|icouldntsayno|idonotwant)"
        r"|(?:shame|dishonou?r)[a-z]{0,60}?(?:kill|hurt|beat|murder|burn|disown|lockmeup|"
        r"sendmeaway|sendmeback)(?:me|her|him|us)"
        r"|honou?r(?:based)?(?:killing|violence|abuse|crime)"
        r"|ifi(?:dont|donot|wont|refuseto|sayno(?:to)?)(?:marry|getmarried)[a-z]{0,30}?(?:kill|"
        r"hurt|beat|disown|kickmeout|throwmeout|lockme|sendme|cutmeoff|orworse)"
        r"|(?:said|says|threatened|swore|toldme)(?:that)?(?:he|she|they|hed|shed|theyd|hell|shell"
        r"|theyll)(?:ll|will|would|d|re(?:going|gonna)to|s(?:going|gonna)to)?(?:kill|murder)me"
        r"(?:if|when|because)i(?:ever)?(?:marry|married|date|dated|seehim|seeher|comeout|cameout|"
        r"(?:am|m|was)gay|(?:am|m)(?:lesbian|bi|trans)|convert|leave(?:the|my)?(?:religion|faith)|"
        r"takeoff(?:my)?(?:hijab|scarf)|gotaboyfriend|havea(?:boyfriend|girlfriend)|refuse)",
    ),
    # FGM: "they want to cut me when we go back home", "I have to be cut like the other
    # girls", "taking my sister abroad to be cut". Not "cut me out of the will", "cut from the
    # team", "get her hair cut".
    (
        "abuse_disclosure",
        "fgm",
        r"femalegenital(?:mutilation|cutting)|femalecircumcision"
        r"|(?:want|wants|going|gonna|planning|plan|trying)(?:to)?cut(?:me|her|mysister|mydaughter|"
        r"us)(?:when|while|during|over|in|at)?(?:we|i|she)?(?:go|goes|went|visit|travel)?(?:back)?"
        r"(?:home|abroad|overseas|thesummer|summer|holidays?)"
        r"|(?:i|she|mysister|mydaughter|mycousin|mylittlesister|girls|we)(?:have|has|had|need|"
        r"needs)?(?:to)?(?:be|get|got|gets|was|were)(?:cut|circumcised)(?:like(?:the|all|my)|when"
        r"(?:we|i|she)(?:go|went)|because|before|as(?:a|all)|too|backhome|abroad|$)"
        r"|(?:taking|take|takes|took|sending|send|sent)(?:me|her|mysister|mydaughter|mycousin|us)"
        r"(?:back)?(?:abroad|home|overseas|to[a-z]{3,12})(?:to|for)(?:be|get)?(?:cut|circumcised)",
    ),
    # Trafficking and criminal exploitation: work or sex to pay a debt, documents held, selling
    # drugs for someone ("county lines"), being sold. Not "my mum makes me carry the shopping".
    (
        "abuse_disclosure",
        "trafficking",
        r"(?:make|makes|made|force|forces|forced)(?:me|us)(?:to)?(?:work|sell|deal|carry|move|run)"
        r"(?:for(?:no|free|nothing)(?:money|pay)?|withoutpay|withnopay)(?:and|but|so)?(?:i|we)"
        r"(?:cant|cannot|couldnt)(?:leave|goanywhere|escape|gohome)"
        r"|(?:make|makes|made|force|forces|forced|groom(?:ed|ing)|pressur(?:e|es|ed|ing)|using|"
        r"used|uses|use)(?:me|us|myson|mybrother)(?:to|into)?(?:sell|selling|deal|dealing|carry|"
        r"carrying|move|moving|run|running|hold|holding|stash|stashing|hide|hiding)(?:their|the|"
        r"his|some)?(?:drugs|gear|weed|coke|crack|heroin|cannabis)"
        r"|i(?:owe|owed)(?:them|him|her|thesepeople|thegang|themen)[a-z]{0,30}?(?:they|he|she)"
        r"(?:make|makes|made|force|forces|forced)me(?:to)?(?:sleepwith|havesex|work|sell|deal|"
        r"carry|dothings)"
        r"|(?:ihaveto|ihadto|imforcedto|iwasforcedto|theymakeme|hemakesme)(?:sell|deal|carry|move|"
        r"run|hold|stash)(?:their|the|some)?(?:drugs|gear|weed|coke|crack|heroin|cannabis)for"
        r"(?:them|him|her|agang|thegang|someone|people|older(?:boys|guys|men))"
        r"|(?:work|sell|deal|carry|run|sleepwith[a-z]{0,10}?)[a-z]{0,20}?for(?:them|him|her|"
        r"thegang|thesepeople)[a-z]{0,10}?to(?:payoff|payback|cover|pay)(?:my|the|a|our)?(?:debt|"
        r"debts|loan|fee|transport|journey)"
        r"|(?:sleepwith|havesexwith)(?:men|guys|strangers|clients|customers|his(?:friends|mates))"
        r"(?:for(?:money|them|him|rent|food|aplace)|topay)"
        r"|(?:sell|sells|sold|selling|pimp(?:s|ed|ing)?)me(?:out)?(?:to|for)(?:his|their|other|"
        r"older)?(?:friends|mates|men|guys|people|clients|customers|money|sex)|passedmearound"
        r"|(?:they|he|she|boss|employer)(?:keep|keeps|kept|have|has|hold|holds|took)(?:all)?(?:my|"
        r"our)(?:passport|documents|papers|id)(?:and|so)(?:i|we)(?:cant|cannot|couldnt)(?:leave|"
        r"goanywhere|escape|gohome|goback)"
        r"|(?:i|we)(?:cant|cannot|couldnt)(?:leave|goanywhere|escape|gohome)(?:because|cos|cause|"
        r"as|since)?(?:they|he|she)(?:have|has|took|keep|keeps|kept|hold|holds|got)(?:my|our)"
        r"(?:passport|documents|papers|id)",
    ),
    # Carrying a weapon: "I carry a knife for protection", "a blade to school", "a gun under
    # my bed". Not "a pocket knife for camping", a chef's knife at work.
    (
        "harm_to_others",
        "carrying_weapon",
        r"(?:carry|carries|carrying|carried|bring|brings|bringing|brought|take|takes|taking|took|"
        r"keep|keeps|keeping|kept|hide|hides|hid|hiding|have|got)(?:a|my|the|his|her|their)?"
        r"(?:knife|blade|machete|zombieknife|shank|gun|pistol|firearm|weapon|knuckleduster|"
        r"brassknuckles|taser)(?:onme|withme|inmy(?:bag|pocket|waistband|sock|room)|to(?:school|"
        r"college|class|parties|theparty|thepark)|forprotection|forsafety|justincase|undermy"
        r"(?:bed|pillow|mattress)|underthebed|everywhere|wheniout|whenigoout|(?:because|cos|"
        r"cause|as)(?:everyone|everybody|allmymates|people)(?:else)?(?:does|do|carries))"
        r"(?!for(?:art|class|dt|technology|woodwork|cooking|aproject|work))",
    ),
    # Threats with a target, a weapon or a plan: "make them pay, all of them", "they're all
    # gonna pay", "I want them all dead", "I know where he lives and I'm gonna get him", "I've
    # got a knife and I'm gonna use it on him", a list of those who bullied me. "All" or a place
    # is the sign of a plan; "I'll make them pay" alone is revenge talk and stays unflagged.
    (
        "harm_to_others",
        "threat_with_plan",
        r"make(?:them|those[a-z]{0,20}?|thesepeople|every(?:one|body)[a-z]{0,30}?)allpay"
        r"|make(?:them|those[a-z]{0,20}?|thesepeople)pay(?:every|allof(?:them|those|you)|"
        r"everyoneofthem|everysingle(?:one|person)|everylastone)"
        r"|(?:theyll|theywill|theyre|theyare|youll|youwill|youre)all(?:going|gonna)?(?:to)?pay"
        r"(?=forwhat|forthis|foreverything|foritall|(?:tomorrow|tonight|onmonday)?(?:at|in)school"
        r"(?!for|the|their)|$)"
        r"|(?:want|wanted|wish|wished)(?:them|him|her|everyone|everybody|those[a-z]{0,15}?)"
        rf"(?:all)?(?:to)?(?:be|were|was)?(?:all)?dead{_NOT_DEAD_IDIOM}"
        r"|wish(?:ed)?(?:they|he|she|everyone|everybody)(?:were|was|would)(?:all)?(?:just)?(?:be)?"
        rf"(?:all)?dead{_NOT_DEAD_IDIOM}"
        r"|iknowwhere(?:he|she|they|you)(?:lives?|works|sleeps|parks|goestoschool)[a-z]{0,40}?"
        rf"(?:gonna|goingto|will|ll|wanna|wantto)(?:get|hurt|kill|stab|shoot|dealwith|sort|burn)"
        r"(?:him|her|them|you)(?!a|an|some|the|something|flowers|backon|backinto|present)"
        r"|(?:knife|blade|gun|machete|hammer|weapon|axe|acid)[a-z]{0,30}?(?:gonna|goingto|will|"
        r"ll|wanna|wantto|planto|planningto|readyto)(?:use|pull|stab|shoot|throw)(?:it|them)?"
        rf"(?:on|at|against|in){_TARGETS}"
        r"|(?:made|make|making|wrote|writing|written|have|got|keep|keeping)(?:a|my)?(?:hit)?list"
        r"(?:of)?(?:everyone|everybody|thepeople|people|allthe(?:people|kids)|thekids|names)"
        r"(?:who|that)(?:bullied|laughedat|pickedon)(?:me|us)"
        r"|hitlist(?:of)?(?:people|everyone|kids|names|teachers|students)"
        r"|(?:made|make|making|wrote|writing|written|have|got|keep|keeping)(?:a|my)hitlist(?!of"
        r"(?:restaurants|songs|places|books|films|movies|things|bars|jobs|tasks|shows|games))",
    ),
    # Self-harm the older rules missed: punching or choking oneself (not "pinch myself"),
    # banging one's head against a wall again and again (not "like banging my head against a
    # brick wall", not "hit my head on the door").
    (
        "self_harm",
        "hurt_myself_more",
        r"(?=[pcs])(?<!could)(?:punch|punching|punched|choke|choking|choked|strangle|strangling|strangled|"
        r"suffocate|suffocating|suffocated|smother|smothering)m[iy]sel[fv](?!up|in(?!the|my)|on(?:a|my|the|"
        r"some)|with(?:food|laughter|my(?:drink|food))|laughing|for)"
        r"|(?=[kbsa])(?<!like)(?:keep|kept|been|started|start|always|still)(?:on)?(?:bang|banging|hit|"
        r"hitting|smash|smashing|slam|slamming|punch|punching)my(?:head|fist|fists|face)(?:against"
        r"|into)(?:the|a)?(?!brick)(?:wall|walls|door|floor|mirror)(?!trying|explaining|with)",
    ),
)

# (category, name, pattern on the spaced text with word boundaries): short words.
MORE_SPACED_RULES: tuple[tuple[str, str, str], ...] = (
    # "FGM", "F G M": a disclosure topic like "domestic violence" in the older rules.
    ("abuse_disclosure", "fgm", r"\bf ?g ?m\b(?! (?:team|group|class|club)\b)"),
)
