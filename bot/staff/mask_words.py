"""Word lists for masking (Dutch and English): months, number words, street words, and words that are no name.

Lower case throughout. ``NOT_NAMES`` keeps "ik ben ziek", "I am Syrian" or "call me back" intact: after a
phrase that may introduce a name, a word from this list is never taken for one.
"""

from __future__ import annotations

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|may|june|july|august|october|"
    "jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec"
)

_UNITS_NL = "een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TENS_NL = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_TENS_EN = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: One number word: "nul", "zes", "vierentwintig", "zero", "oh", "twenty-one", "forty five" (two words).
NUMBER_WORD = (
    f"(?:{_UNITS_NL})en(?:{_TENS_NL})|nul|{_UNITS_NL}|tien|elf|twaalf|dertien|veertien|vijftien|zestien|"
    f"zeventien|achttien|negentien|{_TENS_NL}|honderd|"
    f"(?:{_TENS_EN})[-\\s](?:one|two|three|four|five|six|seven|eight|nine)|zero|oh|one|two|three|four|five|"
    f"six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    f"{_TENS_EN}|hundred"
)

#: The end of a Dutch street name written as one word: Kerkstraat, Hoofdweg, Stationsplein.
STREET_ENDINGS = ("straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|pad|park|baan|markt|wal|"
                  "plantsoen|boulevard|hage")
#: Words ending like a street that are not one ("ik ben al 3 dagen onderweg").
NOT_STREETS = frozenset({"onderweg", "terugweg", "heenweg", "halfweg", "loopbaan", "arbeidsmarkt", "woningmarkt",
                         "kerkhof", "gerechtshof", "binnenhof"})
#: A street word standing on its own, before or after the name: "Laan van Meerdervoort", "Baker Street".
STREET_WORDS = ("laan|plein|kade|singel|gracht|dijk|straat|weg|dreef|hof|steeg|park|street|road|avenue|lane|"
                "drive|boulevard|square|place|close|court|crescent|terrace")

#: Particles inside names: "Laan van Meerdervoort", "Ahmed al Hassan", "Jan de Vries".
PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "la", "le", "du",
                       "da", "di", "del", "el", "al", "bin", "ibn", "abu", "bint", "ould"})



def _words(text: str) -> list[str]:
    """The words of a block of text (a list is easier to read and edit this way)."""
    return text.split()


_FUNCTION_WORDS = _words("""
a an the and or but not no yes so to too of in on at by for from with about into over under up down out off
back again now here there then than when where why how what who which if as also just only very really still
already please pls plz thanks thank sorry hello hi hey ok okay sure maybe well good fine bad
i me my mine you your u ur we us our he him his she her they them their it its is am are was were be been
being have has had do does did can could would should will shall may might must going gonna want wanna need
like get got go come called named call help tell ask write text email mail phone ring anytime asap later
today tomorrow tonight soon all any some one other another more most much many few
de het een en of maar niet geen wel ja nee dus te van in op aan bij met voor om tot uit over door naar na
ik mij me mijn jij je jou jouw u uw wij we ons onze jullie hij hem zijn zij ze haar hun het dit dat deze die
er hier daar nu dan als ook nog al zo toch even graag eens heel erg echt net pas bijna altijd nooit soms
ben bent is zijn was waren word wordt worden heb hebt heeft hebben kan kun kunt kunnen wil wilt willen moet
moeten mag mogen zou zal ga gaat gaan kom komt komen doe doet doen weet weten heet heten noem noemen
wrong spelled misspelled different incorrect correct changed unknown same
verkeerd fout gespeld anders onjuist juist veranderd onbekend dezelfde hetzelfde
vandaag morgen straks later alleen samen nergens ergens iemand niemand iets niets alles veel weinig meer
""")

_STATES = _words("""
sick ill tired happy sad afraid scared worried alone married single divorced pregnant new old young sure
lost confused homeless unemployed student refugee asylum seeker migrant here ready born looking trying
ziek moe blij bang verdrietig bezorgd alleen getrouwd gescheiden ongehuwd zwanger nieuw oud jong zeker
kwijt verward dakloos werkloos student vluchteling asielzoeker statushouder migrant hier klaar geboren
gevlucht bezig op zoek benieuwd vader moeder ouder kind zoon dochter broer zus man vrouw weduwe weduwnaar
father mother parent child son daughter brother sister husband wife widow widower family
god allah
""")

_CALENDAR = _words("""
monday tuesday wednesday thursday friday saturday sunday maandag dinsdag woensdag donderdag vrijdag
zaterdag zondag january february march april may june july august september october november december
januari februari maart mei juni juli augustus oktober
""")

#: Countries, nationalities, languages and religions (both languages): "I am Syrian", "ik ben Syriër".
_PEOPLE = _words("""
syria syrian syrië syriër syrische eritrea eritrean eritreeër eritrese afghanistan afghan afghaan afghaans
afghaanse iraq iraqi irak iraaks irakees iraakse iran iranian iraans iraniër iraanse perzisch persian
turkey turkish turk turkije turks turkse morocco moroccan marokko marokkaan marokkaans marokkaanse algeria
algerian algerije algerijn algerijns tunisia tunisian tunesië tunesiër tunesisch libya libyan libië libiër
libisch egypt egyptian egypte egyptenaar egyptisch sudan sudanese soedan soedanees soedanese somalia somali
somalian somalië somaliër somalisch ethiopia ethiopian ethiopië ethiopiër ethiopisch nigeria nigerian
nigeriaan nigeriaans ghana ghanaian ghanees ghanese yemen yemeni jemen jemeniet pakistan pakistani
pakistaan pakistaans bangladesh bangladeshi india indian indiër indiaas china chinese chinees ukraine
ukrainian oekraïne oekraïner oekraïens oekraïense russia russian rusland rus russisch georgia georgian
georgië georgiër georgisch armenia armenian armenië armeniër armeens azerbaijan azerbaijani azerbeidzjan
albania albanian albanië albanees albanese serbia serbian servië serviër servisch kosovo kosovar bosnia
bosnian bosnië bosniër moldova moldovan moldavië moldaviër romania romanian roemenië roemeen roemeens
bulgaria bulgarian bulgarije bulgaar bulgaars poland polish pole polen pool pools colombia colombian
colombiaan colombiaans venezuela venezuelan venezolaan venezolaans brazil brazilian brazilië braziliaan
braziliaans suriname surinamese surinamer surinaams cuba cuban cubaan cubaans mongolia mongolian mongolië
mongool mongools palestine palestinian palestina palestijn palestijns lebanon lebanese libanon libanees
jordan jordanian jordanië jordaniër congo congolese congolees cameroon cameroonian kameroen kameroener
guinea guinean guinee guineeër senegal senegalese senegalees gambia gambian gambiaan uganda ugandan
oegandees kenya kenyan kenia keniaan burundi burundian rwanda rwandan angola angolan angolees mali malian
malinees netherlands dutch nederland nederlander nederlands nederlandse holland hollander belgium belgian
belgië belg belgisch germany german duitsland duitser duits france french frankrijk fransman frans spain
spanish spanje spanjaard spaans italy italian italië italiaan italiaans britain british uk english brit
engels europe european europa europeaan europees africa african afrika afrikaan afrikaans asia asian azië
aziaat arab arabic arabier arabisch kurd kurdish koerd koerdisch amazigh berber tamil hazara pashtun
tigrinya dari farsi urdu muslim moslim islamic christian christen christelijk catholic katholiek jewish
jood joods hindu sikh buddhist boeddhist yazidi jezidi
""")

NOT_NAMES = frozenset(_FUNCTION_WORDS + _STATES + _CALENDAR + _PEOPLE)
