"""Word lists the name and place recognisers read beyond faker's English given names and
GeoNames' towns: given names of other languages spoken in the UK, US, Ireland, Australia,
Canada and New Zealand, nicknames, surnames people say on their own, city districts, counties,
and the ordinary words among all of these.

Plain data and one loader, no recogniser: :mod:`pixel_assets.pairs.pii_names`,
:mod:`pixel_assets.pairs.pii_given_names` and :mod:`pixel_assets.pairs.pii_places` read it.
Lists marked "checked" were screened against an English lexicon (TextBlob's, about 94,000
words) when they were written; the lexicon is not needed at run time.
"""

from __future__ import annotations

import functools
import importlib
import unicodedata

# faker locales whose given names (Latin script, accents dropped) are common among speakers in
# our videos: Nigerian, Ghanaian, South and East African, Irish, Polish, Romanian, Spanish and
# Latin American, Portuguese and Brazilian, Italian, French, Turkish, Vietnamese, Japanese and
# Chinese (romanised). German and Dutch are left: their common names are in the English lists.
EXTRA_NAME_LOCALES = (
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "zu_ZA", "sw", "ga_IE", "pl_PL", "es_MX", "es_ES",
    "pt_BR", "it_IT", "fr_FR", "ro_RO", "vi_VN", "ja_JP", "zh_CN", "tr_TR",
)
# Words in those lists that are English words, brands or titles (checked): never names.
_NOT_NAMES_IN_LOCALES = frozenset(
    """africa albino ale amor anel ani apollo ascension bale ball calm canal chi corona dans
    divan dung gala gang georgian idk ion irs isn jua lascar laze lope mar marine min over
    pastor philippine pier ping sac safari salami sayin server sever side sole tan tung yank
    yen us nazi imam doner verde greco bali rembrandt michelangelo loyola nae gaja""".split()
)
# Given names missing from every faker list above, common in British, Irish and American
# families (Yoruba, Igbo, Akan, Nguni, Shona, Somali, Punjabi, Urdu, Hindi, Arabic, Persian,
# Chinese, Korean, Vietnamese, Polish, Russian, Ukrainian spellings), and nicknames.
EXTRA_GIVEN_NAMES = frozenset(
    """oluwaseun seun olamide chidi adebayo thabo sipho efua nkechi tunde babajide folake
    funmilayo temitope dami damilola ayo bukola femi kemi yemi segun wale ade jide kunle lanre
    tolu tosin bola amaka zanele lindiwe themba bongani lerato naledi kagiso tendai tatenda
    farai rudo chipo nyasha hodan ubah fartun warsame thandiwe thandi nomsa chiamaka
    mohamad muhammed mohammod mehmet ahmet mustafa mahmud priyanka deepak raj rajesh sunil anil
    vijay sanjay rohit vikram kiran sunita geeta meena ananya harpreet gurpreet manpreet
    jaswinder jasvinder harjit kuldeep sukhwinder simran navjot amrit gurdeep jaspreet
    rajinder balwinder parminder satnam baljit ranjit inderjit harleen kiranjit sikander imran
    asif faisal waqas adnan sana saima farhana shabana nasreen rukhsana tahmina nusrat shamima
    rahim rahman abdur shahid tanvir rubina samina bushra hira mehwish mahnoor anum iqra amna
    sumaya ruqayyah zaynab nour rania yousef youssef yousuf ilyas eesa haroon uthman othman
    hussain husain abbas reza mehdi arash dariush parisa shirin nasrin fatemeh zahra ladan mei
    jia ling hui xin hao xiao takeshi haruto sakura aiko minji jiwoo seoyeon jihoon minjun
    hyun jin joon kwan trang duc phuong hoa nhung katarzyna malgorzata zofia pawel
    lukasz dmitri dmitry sergei sergey oksana yulia yuliya ekaterina katya nastya alexei
    aleksandr misha andriy andrii taras oleksandr iryna mykola darya dasha ksenia polina galina
    lyudmila artem fionn keyana jonno becks gaz shaz macca robbo tommo kaz lozza dazza hels
    soph abi bex lils baz bazza gazza tez davo stevo muzza shazza kezza jonesy smithy deano
    jacko jez jezza rach steph jen mand liv livvy izzy issy tilly becca bekah tash gem mikey
    jonny paddy mick matty kev kel bri mo mags ange babs jacqui kath suze debs jojo lil syd
    wilf ant ash santi beto kiki coco""".split()
)
# Surnames said on their own ("Nguyen was my teacher", "I told Okafor"), capitalised: common
# surnames that are no English word or place (checked).
SURNAMES_SAID_ALONE = frozenset(
    """Nguyen Tran Pham Huynh Hoang Phan Patel Shah Mistry Chaudhry Choudhury Choudhary
    Siddiqui Qureshi Akhtar Iqbal Hussain Ahmed Mahmood Rahman Begum Okafor Okonkwo Okeke
    Adeyemi Adebayo Oyelaran Olawale Mensah Osei Owusu Boateng Asante Kowalski Nowak
    Wisniewski Kowalczyk Zielinski Wozniak Kaminski Lewandowski Popescu Ionescu
    Gonzalez Hernandez Rodriguez Martinez Lopez Ramirez Sanchez Gutierrez Fernandez Kovacs
    Yilmaz Ozturk Kaya Demir Sahin Celik Abdullahi Mohamud Warsame Nakamura Tanaka Suzuki
    Takahashi Watanabe Kobayashi Zhang Wang Chen Huang Zhao Zhou Kaur Sandhu Gill Dhillon
    Sidhu Grewal Sharma Gupta Verma Malhotra Kapoor Banerjee Chatterjee Mukherjee Bhattacharya
    Thompson Robinson Johnson Williamson Richardson Harrison Patterson Henderson Anderson
    Jenkins Hughes Davies Evans Jones Edwards Roberts Thomas Phillips Parker Collins Murphy
    O'Brien O'Connor O'Neill O'Sullivan Kowalska""".split()
)
# Given names that are ordinary lower-case words (checked): a lower-case one is a name only
# after a cue ("my husband dave"), never after a bare verb ("with silver", "told pleasant").
LOWER_CASE_NOT_NAMES = frozenset(
    """ab abbey al ally alma almond alpha angelic aspen aura baron basil beau belle birdie
    bishop blanche blaze blossom bode brandy burr cadence cain candy cannon canyon champ chancy
    chastity cherish cherry christen cleave collie colon colonel colt comfort coy curt deja del
    delta don dusty ell emerald emit essence ether ethyl fairy fawn felicity flint flora franc
    gale garland garrison gauge gee genesis gorge governor graves gust harden hardy harmony
    heath herb hymen icy ima immaculate ivory jarred journey kale laurel lavender le leafy
    leaner lemon les levis liberty linden link lone luster lute lyric magnolia manila manning
    marina marshal mart marvel mat math maverick maxim meadow melody merrily messiah mignon
    misty nadir octave ole olive ova pansy parley pate pearly penny phoenix pierce pleas
    pleasant porter precious prima prosper prudence purity raid rand ransom rod rosy sable sage
    scarlet senora serenity shepherd sherry shoji sienna silver sincere squire steward stormy
    sunshine sylvan tab tawny terra texas van veer velvet vernal versa victory villa viva von
    walker ward watt wells whit willow windy gem mo ant ash kiki coco lil mick kel bri baz
    mags""".split()
)
# Faker surnames that are ordinary lower-case words (checked): a lower-case surname after a
# lower-case name ("told jessica thompson") is taken only when it is not one of these.
COMMON_WORD_SURNAMES = frozenset(
    """amble arias arroyo bail baker bale ball banks barber bare bass bath bean beard beer bell
    berry best bins birch bird bishop black blanche block bode bond bones booker boon booth
    bore borer branch brewer brick bridge bridges bright brown browning buck bull bullock burns
    burr burrows bush butcher butler cain canning cannon canny carpenter carry carton case
    chambers char chase cherry church clay clear cole colon comer contractor convey cook
    cotter cousins crane craven creed crooks cross cruise curry dada dare das dash date
    davenport day de deacon dean deep dey dick din divan diver divine doctor dower downing
    downs drew drum duke earl early english fair fall fanning farmer fee ferris ferry field
    fielding fields flood flowers foot foster fox frank freely freeman french fresh frost fry
    fuller gala gamble garde garland garner garrison gates gay gee gentry glass glover golden
    good gore grace graham grant graves gray green grey gross guard gunning guy hall ham hand
    hardy hare harry hasty hay hearty heath herd herring hill hills ho holder hood hook hope
    horn house howe hull hunt hunter hurley ivory john judge junior kale key khan kidney king
    knight lacey lacy lad lamb lane law lawless le leach leech levy limo little long lord love
    low loyal lucid lynch mad mall man mane manning marks marry mason master may maye meadows
    mee melody mercer merchant merry miles mills moan monk monks moody moon more morrow moss
    mountain mule muni nail nary noble north oak orchard pace page pal pall pant park parks
    parry peacock peck peter petty pierce pike pope porter potter power powers price priest
    prince proctor pugh quill raid rails raj ram ray read reader rice rich riddle ridge ring
    rivers roach rock rose rout ruddy rush safari said salmon sane sang santos savage sellers
    sexton sha shah sharp shea shepherd sherry shields shine short silk silke small smart snow
    sparks stack stark steed steer stein steward stone story stout street strong summers
    sunder supple sur swift swords tailor tank terry toner too towne toy vasa victor victory
    villa von wade walker wall walls ward ware warren warrior waters watt watts way weeks weir
    wells were west white will william wills winter winters wise wolf wood woods wynne young
    yu""".split()
)

# City districts and boroughs GeoNames lists without a population (London boroughs, inner-city
# areas of Birmingham, Leeds, Liverpool, Manchester, Bristol, Newcastle, Glasgow, Edinburgh,
# Cardiff, Belfast, Dublin, New York, Chicago, Boston, Los Angeles).
NEIGHBOURHOODS = frozenset(
    w.strip() for w in """Hackney|Southwark|Hammersmith|Ealing|Lewisham|Bromley|Merton|
    Wandsworth|Clapham|Deptford|Bermondsey|Hoxton|Dalston|Stoke Newington|Finsbury Park|
    Kentish Town|Neasden|
    Woolwich|Penge|Anerley|Shoreditch|Brent|Haringey|Havering|Hillingdon|Redbridge|Newham|
    Tower Hamlets|Waltham Forest|Barnet|Bexley|Camden|Lambeth|Kensington|Handsworth|Moseley|
    Sparkbrook|Small Heath|Erdington|Selly Oak|Digbeth|Edgbaston|Kings Heath|Balsall Heath|
    Lozells|Ladywood|Alum Rock|Kirkstall|Harehills|Beeston|Headingley|Roundhay|Seacroft|Armley|
    Holbeck|Toxteth|Anfield|Croxteth|Norris Green|Speke|Garston|Dingle|Moss Side|Wythenshawe|
    Rusholme|Chorlton|Gorton|Levenshulme|Ancoats|Ardwick|Cheetham Hill|Collyhurst|Harpurhey|
    Blackley|Withington|St Pauls|Knowle West|Hartcliffe|Southmead|Bedminster|Lawrence Hill|
    Stokes Croft|Barton Hill|Byker|Elswick|Jesmond|Fenham|Govan|Partick|Drumchapel|Castlemilk|
    Easterhouse|Gorbals|Possilpark|Springburn|Dennistoun|Maryhill|Pollok|Leith|Wester Hailes|
    Pilton|Muirhouse|Craigmillar|Niddrie|Gorgie|Splott|Butetown|Grangetown|Adamsdown|Cathays|
    Roath|Llanrumney|Shankill|Ardoyne|Andersonstown|Finglas|Coolock|Crumlin|Clondalkin|
    Blanchardstown|Ballyfermot|Darndale|Cabra|Drimnagh|Bronx|Bed-Stuy|Bedford-Stuyvesant|
    Bushwick|Crown Heights|Flatbush|East New York|Brownsville|Washington Heights|Tribeca|
    Greenpoint|Red Hook|Bay Ridge|Canarsie|Jackson Heights|Far Rockaway|Spanish Harlem|
    Pilsen|Bronzeville|Humboldt Park|Logan Square|Wicker Park|Roxbury|Mattapan|Southie|
    Jamaica Plain|Charlestown|Watts|Boyle Heights|Crenshaw|Koreatown|Echo Park|Skid Row|
    Hyde Park""".split("|")
)
# Places said with "the" before them ("I'm from the Bronx").
PLACES_AFTER_THE = frozenset(
    {"Bronx", "Wirral", "Gorbals", "Shankill", "Black Country", "Potteries", "Fylde"}
)
# Counties, provinces and states said after a town ("Marple, Cheshire", "Ennis, County
# Clare"); the country and US state names come from GeoNames.
COUNTIES = frozenset(
    w.strip() for w in """Bedfordshire|Berkshire|Buckinghamshire|Cambridgeshire|Cheshire|
    Cornwall|Cumbria|Derbyshire|Devon|Dorset|Durham|County Durham|Essex|Gloucestershire|
    Hampshire|Herefordshire|
    Hertfordshire|Kent|Lancashire|Leicestershire|Lincolnshire|Norfolk|Northamptonshire|
    Northumberland|Nottinghamshire|Oxfordshire|Rutland|Shropshire|Somerset|Staffordshire|
    Suffolk|Surrey|Sussex|East Sussex|West Sussex|Warwickshire|Wiltshire|Worcestershire|
    Yorkshire|North Yorkshire|West Yorkshire|South Yorkshire|East Yorkshire|Greater Manchester|
    Merseyside|West Midlands|Tyne and Wear|Isle of Wight|Gwynedd|Powys|Ceredigion|
    Pembrokeshire|Carmarthenshire|Glamorgan|Anglesey|Conwy|Denbighshire|Flintshire|
    Monmouthshire|Fife|Lothian|Ayrshire|Lanarkshire|Aberdeenshire|Highlands|Argyll|Perthshire|
    Angus|Antrim|Armagh|Fermanagh|Londonderry|Tyrone|Carlow|Cavan|Clare|Donegal|Galway|Kerry|
    Kildare|Kilkenny|Laois|Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|
    Roscommon|Sligo|Tipperary|Waterford|Westmeath|Wexford|Wicklow|New South Wales|Queensland|
    Western Australia|South Australia|Tasmania|Victoria|Ontario|Quebec|British Columbia|
    Alberta|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|Newfoundland|Canterbury|Otago|
    Waikato|England|Scotland|Wales|Ireland|Northern Ireland|NSW|QLD|UK|USA|AL|AK|AZ|AR|CA|
    CO|CT|DE|FL|GA|ID|IL|IA|KS|KY|LA|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|
    OH|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY""".split("|")
)
# Towns of 50,000 people or more whose names are everyday lower-case words (checked): a
# lower-case town is taken after a residence cue only when it is not one of these.
WORD_LIKE_TOWNS = frozenset(
    """anchorage auburn barking bath bend billings boulder brick buffalo bury centennial clay
    concord confederation cork corona cypress davenport delta derby enterprise erode fishers
    flatlands flint garland grapevine grays highland homestead hove hull independence lima
    manila meridian mission mobile muscat natal normal orange paradise paramount pest phoenix
    plantation providence queens reading reservoir riverside sale sandy shoreline slough
    sparks spring sunrise surprise temple union upland uptown van vista warren woodland
    hope chance crew""".split()
)

_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})


def fold(word: str) -> str:
    """``word`` without accents ("Kraków" -> "Krakow", "Ayşe" -> "Ayse"), as ASR often writes
    names it has not seen with their accents."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    return decomposed.encode("ascii", "ignore").decode()


@functools.cache
def extra_given_names() -> frozenset[str]:
    """Lower-case given names from :data:`EXTRA_NAME_LOCALES` and :data:`EXTRA_GIVEN_NAMES`,
    without accents, three letters or more, less the English words among them."""
    import faker.providers.person as person  # faker ships the lists; nothing is downloaded

    names: set[str] = set(EXTRA_GIVEN_NAMES)
    for locale in EXTRA_NAME_LOCALES:
        provider = importlib.import_module(f"{person.__name__}.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female",
                          "first_romanized_names"):
            for name in getattr(provider, attribute, ()):
                folded = fold(name).lower()
                if folded.isalpha() and len(folded) >= 3:
                    names.add(folded)
    return frozenset(names - _NOT_NAMES_IN_LOCALES)
