"""The words and number conventions the figure reader needs, per language.

:mod:`summarizer.fuse.quantities` reads figures with a :class:`Lexicon`: its English one is
built from that module's own tables; this module holds the others (French, Arabic, Hindi),
written by hand from news usage, and the number conventions of every language
(:func:`number_format`), which apply even where no word list exists: digits in any of the
scripts below, and the decimal mark of the language, are read the same way everywhere.

What is deliberately left out: written-out numbers in Arabic and Hindi (news gives counts in
digits; the word forms inflect with case and gender), the Levant's two-word Arabic month
names ("كانون الثاني"), and the grammar of numbers in other languages. A language without
a lexicon still has its figures read (for the hallucination guard), but no head nouns or
events, so conflicts are off for it (:func:`summarizer.fuse.conflicts.conflicts_supported`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

#: Digits of other scripts and the Arabic separators and percent sign, mapped one character to
#: one, so offsets in the mapped sentence are offsets in the original.
DIGIT_MAP = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩" "۰۱۲۳۴۵۶۷۸۹" "०१२३४५६७८९" "٫٬٪",
    "0123456789" "0123456789" "0123456789" ".,%",
)
#: Characters that group thousands in every language: no-break, thin and narrow no-break space.
SPACE_GROUPS = "\u00a0\u2009\u202f"
#: Languages writing "1,5" for 1.5 and "25.100" or "25 100" for 25,100 (the CLDR decimal
#: symbol is a comma): a plain space between digit groups is a thousands separator there.
DECIMAL_COMMA = frozenset(
    "fr de es it pt nl ru pl tr ro cs sk sl hr sr bs bg uk be el sv da nb nn no fi et lv lt hu id ca gl eu "
    "az kk uz ka hy mk sq is af vi".split()
)
#: Languages grouping digits in lakhs and crores: "1,50,000" is 150,000.
INDIAN_GROUPING = frozenset({"hi", "mr", "ne", "bn", "gu", "pa", "ta", "te", "kn", "ml", "or"})
#: Languages whose press writes "1,5" for 1.5 alongside "25,100" for 25100 (the Maghreb and the
#: Gulf mix both), read by the number of digits after the comma: 3 is a thousands group.
SHORT_COMMA_DECIMAL = frozenset({"ar"})

#: Combining marks of Devanagari (vowel signs, nukta, virama) and Arabic (harakat): letters for
#: a reader, but not ``\w`` for Python's ``re``, so ``\b`` falls inside Hindi words.
MARKS = "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u064b-\u065f\u0670"

# Devanagari letters with a nukta come precomposed (U+0958-U+095F) or as letter + U+093C; NFC
# decomposes them. Both spellings must match, and so must the one without the nukta, common in
# news ("हजार" for "हज़ार"): the lists below spell the nukta forms decomposed and list both.
_NUKTA = {chr(0x0958 + i): base + "\u093c" for i, base in enumerate("कखगजडढफय")}


@dataclass(frozen=True)
class NumberFormat:
    """How one language writes a number with digits."""

    decimal_comma: bool = False  # "1,5" is 1.5 and "25.100" is 25100
    indian_grouping: bool = False  # "1,50,000" is 150000
    short_comma_decimal: bool = False  # "1,5" is 1.5 although "25,100" is 25100


def number_format(language: str) -> NumberFormat:
    """The digit conventions of ``language`` (an ISO 639-1 code); English's for unknown codes."""
    return NumberFormat(language in DECIMAL_COMMA, language in INDIAN_GROUPING, language in SHORT_COMMA_DECIMAL)


@dataclass(frozen=True)
class Lexicon:
    """The words around figures in one language (see :mod:`summarizer.fuse.quantities`)."""

    language: str  # ISO 639-1 code
    cased: bool = False  # capitalised words before a noun name its owner ("5,000 US troops")
    word_numbers: Mapping[str, float] = field(default_factory=dict)  # "sept" → 7
    multipliers: Mapping[str, float] = field(default_factory=dict)  # scale words after a number: "millions" → 1e6
    heads: Mapping[str, str] = field(default_factory=dict)  # nouns folded to one head: "soldats" → "troops"
    stop: frozenset[str] = frozenset()  # words that end the noun phrase after a number
    skip: frozenset[str] = frozenset()  # words between a number and its noun: fr "de", hi "से अधिक"
    prefixes: tuple[str, ...] = ()  # stripped from a word before looking it up: fr "d'", ar "ال"
    approximate: frozenset[str] = frozenset()  # words before a number that make it approximate
    part_of: frozenset[str] = frozenset()  # words before a number that make it a part of a total
    leading: tuple[str, ...] = ()  # phrases before a number kept in its text: "at least", "au moins"
    pending: str = r"(?!)"  # regex: a clause naming a goal or remainder
    continuation: str = r"(?!)"  # regex at the start of a clause that carries on the last one
    clause_break: str = r"[,;:()—–]"  # regex: where a clause ends
    attribution: str = r"(?!)"  # regex: "X said", whose end starts the subject of a figure
    contrast: str = r";"  # regex: "while", "but"
    actors: Mapping[str, str] = field(default_factory=dict)  # country words folded: "britannique" → "uk"
    months: Mapping[str, int] = field(default_factory=dict)  # month names and abbreviations → 1-12
    month_names: tuple[str, ...] = ()  # the twelve names a date is written with
    between: str = r"(?!)"  # regex before a range: "between", "entre"
    range_words: tuple[str, ...] = ()  # words joining a range's two ends: "to", "à"
    and_words: tuple[str, ...] = ()  # "and": two numbers, unless a ``between`` came before
    percent: str = r"\s?%"  # regex after a number that makes it a percentage
    currencies: Mapping[str, str] = field(default_factory=lambda: {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"})
    topic_stop: frozenset[str] = frozenset()  # words never named in a conflict's topic


def nukta_forms(words: set[str] | frozenset[str]) -> frozenset[str]:
    """Every word in both nukta spellings (see :data:`_NUKTA`)."""
    out = set(words)
    for word in words:
        composed = word
        for precomposed, decomposed in _NUKTA.items():
            composed = composed.replace(decomposed, precomposed)
        out.add(composed)
    return frozenset(out)


def _nukta_keys(mapping: Mapping[str, object]) -> dict:
    return {form: value for word, value in mapping.items() for form in nukta_forms({word})}


def nukta_pattern(pattern: str) -> str:
    """A regex that also matches the precomposed spelling of each decomposed nukta letter."""
    for precomposed, decomposed in _NUKTA.items():
        pattern = pattern.replace(decomposed, f"(?:{decomposed}|{precomposed})")
    return pattern


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- French -------------------------------------------------------------------------------------

_FR_UNITS = "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split()
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_FR_NUMBERS = {w: float(i) for i, w in enumerate(_FR_UNITS) if w not in ("zéro", "un")}  # "un" is "a"
_FR_NUMBERS |= {"dix-sept": 17.0, "dix-huit": 18.0, "dix-neuf": 19.0, "douzaine": 12.0}
_FR_NUMBERS |= {w: float(v) for w, v in _FR_TENS.items()}
_FR_NUMBERS |= {f"{t}-{u}": float(v + i) for t, v in _FR_TENS.items() for i, u in enumerate(_FR_UNITS[2:10], start=2)}
_FR_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()

FRENCH = Lexicon(
    language="fr",
    word_numbers=_FR_NUMBERS,
    multipliers={"cent": 1e2, "cents": 1e2, "mille": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6,
                 "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9},  # fmt: skip
    heads={
        "personnes": "people", "personne": "people", "civils": "people", "gens": "people", "victimes": "people",
        "morts": "people", "tués": "people", "blessés": "people", "habitants": "people", "ressortissants": "people",
        "citoyens": "people", "réfugiés": "people", "évacués": "people", "individus": "people", "vies": "people",
        "soldats": "troops", "militaires": "troops", "troupes": "troops",
        "navires": "ships", "bateaux": "ships", "avions": "aircraft", "appareils": "aircraft", "vols": "flights",
        "pourcent": "percent", "%": "percent", "mètres": "metres", "m": "metres", "km": "km", "kilomètres": "km",
        "dollars": "usd", "$": "usd", "euros": "eur", "€": "eur", "livres": "gbp", "ans": "years", "années": "years",
        "jours": "days", "enfants": "children",
    }  # fmt: skip
    # a plural demonym counts people, its country is their owner (found by the actors): "2 500 Américains"
    | {w: "people" for w in "américains américaines afghans afghanes britanniques français françaises allemands "
       "canadiens australiens néerlandais russes".split()},
    stop=_words(
        "le la les un une des du de d' au aux et ou mais à en dans sur par pour avec sans sous entre vers chez selon "
        "depuis pendant avant après contre parmi qui que qu' dont où ce cet cette ces son sa ses leur leurs est sont "
        "était étaient a ont avait avaient été être sera seront ne pas plus se s' il ils elle elles on nous vous y"
    ),
    skip=_words("de d' d’"),
    prefixes=("d'", "d’", "l'", "l’"),
    approximate=_words("environ près quelque quelques presque quasiment approximativement estimé estimés estimées"),
    part_of=_words("dont parmi notamment compris"),
    leading=("au moins", "plus de", "moins de", "jusqu'à", "jusqu’à", "pas moins"),
    pending=r"\b(encore|toujours|reste(nt)?|restants?|attend(ent)?|en attente|veut|veulent|prévoit|prévu|"
    r"souhaite|espère|objectif|vise|compte|doivent|doit|à évacuer)\b",
    continuation=r"\W*(ainsi que|et|plus|en plus de)\b",
    clause_break=r"[,;:()—–]|\b(mais|tandis|alors que)\b",
    attribution=r"\b(a déclaré|a dit|a affirmé|a annoncé|a indiqué|a précisé|déclare|affirme|annonce|estime)\b( que)?|"
    r"\b(selon|d'après|d’après) [^,]+,",
    contrast=r"\b(mais|tandis|alors que)\b|;",
    actors={
        "américain": "us", "américains": "us", "américaine": "us", "américaines": "us", "états-unis": "us",
        "washington": "us", "pentagone": "us", "britannique": "uk", "britanniques": "uk", "royaume-uni": "uk",
        "londres": "uk", "australie": "australia", "australien": "australia", "australiens": "australia",
        "canada": "canada", "canadien": "canada", "canadiens": "canada", "allemagne": "germany",
        "allemand": "germany", "allemands": "germany", "france": "france", "français": "france",
        "française": "france", "pays-bas": "netherlands", "néerlandais": "netherlands", "otan": "nato",
        "ue": "eu", "russie": "russia", "russe": "russia", "russes": "russia",
    },  # fmt: skip
    months={name: i for i, name in enumerate(_FR_MONTHS, start=1)} | {"janv": 1, "févr": 2, "sept": 9, "oct": 10, "nov": 11, "déc": 12},
    month_names=tuple(_FR_MONTHS),
    between=r"\b(entre|de)\s+",
    range_words=("à",),
    and_words=("et",),
    percent=r"\s?%|\s?pour\s?cent\b",
    topic_stop=_words("plus moins environ selon personnes après avant"),
)

# --- Arabic -------------------------------------------------------------------------------------

_AR_MONTHS = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
_AR_PEOPLE = "شخص شخصا شخصاً أشخاص قتيل قتيلا قتيلاً قتلى جريح جريحا جريحاً جرحى مصاب مصابا مصاباً مصابين " \
    "مدني مدنيا مدنياً مدنيين مواطن مواطنا مواطناً مواطنين لاجئ لاجئا لاجئاً لاجئين نازح نازحا نازحاً نازحين " \
    "ضحية ضحايا فرد أفراد ساكن سكان مهاجر مهاجرا مهاجراً مهاجرين"

ARABIC = Lexicon(
    language="ar",
    multipliers={"ألف": 1e3, "آلاف": 1e3, "ألفا": 1e3, "ألفاً": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليونا": 1e6,
                 "مليوناً": 1e6, "مليار": 1e9, "مليارات": 1e9, "مليارا": 1e9, "ملياراً": 1e9, "بليون": 1e9},  # fmt: skip
    heads={w: "people" for w in _AR_PEOPLE.split()}
    | {w: "people" for w in "أمريكي أمريكيا أمريكياً أمريكيين أميركي أميركيا أميركياً أميركيين أفغاني أفغانيا "
       "أفغانياً أفغان بريطاني بريطانيا بريطانياً بريطانيين".split()}
    | {w: "troops" for w in "جندي جنديا جندياً جنود عسكري عسكريا عسكرياً عسكريين".split()}
    | {w: "children" for w in "طفل طفلا طفلاً أطفال".split()}
    | {w: "aircraft" for w in "طائرة طائرات".split()}
    | {w: "ships" for w in "سفينة سفن قارب قوارب".split()}
    | {w: "usd" for w in "دولار دولارا دولاراً دولارات".split()}
    | {"يورو": "eur", "%": "percent", "كيلومتر": "km", "كيلومترا": "km", "كلم": "km", "كم": "km", "متر": "metres",
       "مترا": "metres", "أمتار": "metres", "عام": "years", "عاما": "years", "عاماً": "years", "أعوام": "years",
       "سنة": "years", "سنوات": "years", "يوم": "days", "يوما": "days", "يوماً": "days", "أيام": "days"},  # fmt: skip
    stop=_words("في من إلى على عن مع و أو ثم أن إن لا ما هذا هذه ذلك تلك الذي التي الذين كان كانت قد بعد قبل خلال حتى منذ عند"),
    skip=_words("من"),
    prefixes=("ال", "وال", "بال", "لل"),
    approximate=_words("نحو حوالي حوالى قرابة زهاء تقريبا تقريباً يقارب ما يناهز"),
    part_of=_words("بينهم بينهن منهم منهن بينها"),
    leading=("على الأقل", "أكثر من", "أقل من", "ما لا يقل عن", "ما يصل إلى"),
    pending=r"(لا يزال|لا تزال|ما زال|ما زالت|ما يزال|لا يزالون|عالق|ينتظر|ينتظرون|تنتظر|تخطط|يخطط|تعتزم|يعتزم|"
    r"تسعى|يسعى|تأمل|يأمل|تهدف|يهدف|من المقرر|من المتوقع|المتبقين|المتبقية)",
    continuation=r"\W*(إضافة إلى|بالإضافة إلى|فضلا عن|فضلاً عن|و)",
    clause_break=r"[,،;؛:()—–]|(?<!\w)(لكن|ولكن|بينما|في حين)(?!\w)",
    attribution=r"(?<!\w)[وف]?(قال|قالت|أعلن|أعلنت|ذكر|ذكرت|أفاد|أفادت|أكد|أكدت|صرح|صرحت)(?!\w)( إن| أن)?|"
    r"(?<!\w)(وفقا ل|وفقاً ل|بحسب|حسب)[^،,]+[،,]",
    contrast=r"(?<!\w)(لكن|ولكن|بينما|في حين)(?!\w)|[;؛]",
    actors={
        "أمريكي": "us", "أميركي": "us", "أمريكيين": "us", "أميركيين": "us", "أمريكية": "us", "أميركية": "us",
        "الولايات المتحدة": "us", "واشنطن": "us", "البنتاغون": "us", "بريطاني": "uk", "بريطانية": "uk",
        "بريطانيين": "uk", "بريطانيا": "uk", "لندن": "uk", "فرنسا": "france", "فرنسي": "france", "فرنسية": "france",
        "ألمانيا": "germany", "ألماني": "germany", "ألمانية": "germany", "الناتو": "nato", "روسيا": "russia",
        "روسي": "russia", "روسية": "russia", "كندا": "canada", "كندي": "canada", "أستراليا": "australia",
    },  # fmt: skip
    months={name: i for i, name in enumerate(_AR_MONTHS, start=1)} | {"أيار": 5, "آب": 8},
    month_names=tuple(_AR_MONTHS),
    between=r"(?<!\w)(بين|ما بين)\s+",
    range_words=("إلى", "الى"),
    and_words=("و",),
    percent=r"\s?%|\s?(في|بال)\s?(المئة|المائة)",
    currencies={"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"},
    topic_stop=_words("أكثر أقل نحو حوالي وقال وقالت الأقل"),
)

# --- Hindi --------------------------------------------------------------------------------------

_HI_MONTHS = "जनवरी फरवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर".split()

HINDI = Lexicon(
    language="hi",
    multipliers=_nukta_keys({"सौ": 1e2, "हज़ार": 1e3, "हजार": 1e3, "लाख": 1e5, "करोड़": 1e7, "करोड": 1e7,
                             "मिलियन": 1e6, "बिलियन": 1e9, "अरब": 1e9}),  # fmt: skip
    heads=_nukta_keys(
        {w: "people" for w in "लोग लोगों व्यक्ति व्यक्तियों नागरिक नागरिकों यात्री यात्रियों श्रद्धालु श्रद्धालुओं मरीज मरीजों "
                              "मृतक पीड़ित पीड़ितों शरणार्थी शरणार्थियों मजदूर मजदूरों मज़दूर मज़दूरों".split()}
        | {w: "troops" for w in "सैनिक सैनिकों जवान जवानों सिपाही सैन्यकर्मी सैन्यकर्मियों".split()}
        | {w: "children" for w in "बच्चे बच्चों बच्चा".split()}
        | {w: "inr" for w in "रुपये रुपए रुपया रुपयों".split()}
        | {"डॉलर": "usd", "यूरो": "eur", "%": "percent", "प्रतिशत": "percent", "फ़ीसदी": "percent", "किलोमीटर": "km",
           "किमी": "km", "मीटर": "metres", "साल": "years", "वर्ष": "years", "वर्षों": "years", "सालों": "years",
           "दिन": "days", "दिनों": "days", "विमान": "aircraft", "विमानों": "aircraft", "जहाज": "ships", "जहाज़": "ships"}
    ),  # fmt: skip
    stop=nukta_forms(_words("का की के में से पर को ने तक और या है हैं था थे थी भी ही तो कि जो यह वह इस उस एक")),
    skip=nukta_forms(_words("से अधिक ज़्यादा ज्यादा ऊपर")),
    approximate=nukta_forms(_words("लगभग करीब क़रीब तकरीबन तक़रीबन अनुमानित क़रीबन करीबन")),
    part_of=_words("जिनमें इनमें उनमें"),
    leading=("कम से कम",),
    pending=nukta_pattern(r"(अभी भी|अब भी|बाक़ी|बाकी|शेष|इंतज़ार|इंतजार|फंसे|फँसे|योजना|लक्ष्य|की उम्मीद|निकाला जाना)"),
    continuation=r"\W*(और|तथा|साथ ही|के अलावा)",
    clause_break=r"[,;:()—–।]|(?<![\w" + MARKS + r"])(लेकिन|मगर|जबकि|पर)(?![\w" + MARKS + r"])",
    attribution=r"(?<![\w" + MARKS + r"])(ने कहा|ने बताया|ने दावा किया|कहा कि|बताया कि|के मुताबिक़?|के अनुसार)(?![\w" + MARKS + "])",
    contrast=r"(?<![\w" + MARKS + r"])(लेकिन|मगर|जबकि)(?![\w" + MARKS + r"])|;",
    actors=_nukta_keys({
        "अमेरिका": "us", "अमेरिकी": "us", "अमरीका": "us", "अमरीकी": "us", "वॉशिंगटन": "us", "पेंटागन": "us",
        "ब्रिटेन": "uk", "ब्रिटिश": "uk", "लंदन": "uk", "फ्रांस": "france", "फ़्रांस": "france", "फ्रांसीसी": "france",
        "जर्मनी": "germany", "जर्मन": "germany", "नाटो": "nato", "रूस": "russia", "रूसी": "russia",
        "कनाडा": "canada", "ऑस्ट्रेलिया": "australia",
    }),  # fmt: skip
    months={name: i for i, name in enumerate(_HI_MONTHS, start=1)} | {"फ़रवरी": 2, "सितम्बर": 9, "अक्तूबर": 10, "नवम्बर": 11, "दिसम्बर": 12},
    month_names=tuple(_HI_MONTHS),
    range_words=("से",),
    and_words=("और",),
    percent=nukta_pattern(r"\s?%|\s?(प्रतिशत|फ़ीसदी|फीसदी)"),
    currencies={"$": "usd", "us$": "usd", "£": "gbp", "€": "eur", "₹": "inr"},
    topic_stop=nukta_forms(_words("लोगों लोग कहा बताया अधिक ज्यादा ज़्यादा लगभग करीब")),
)

#: Every lexicon beyond English's (which :mod:`summarizer.fuse.quantities` builds from its tables).
LEXICONS: dict[str, Lexicon] = {lexicon.language: lexicon for lexicon in (FRENCH, ARABIC, HINDI)}

#: What happened to the things counted, per language, as regexes searched in a number's context
#: (English's are :data:`summarizer.fuse.conflicts.EVENTS`). French words are whole words;
#: Arabic and Hindi ones are searched inside words, since Arabic attaches its articles and
#: conjunctions ("والقتلى", "and the dead") and ``\b`` falls inside Devanagari words.
OTHER_EVENTS: dict[str, dict[str, str]] = {
    "fr": {
        "death": r"\b(morts?|mortes?|décès|décédée?s?|tuée?s?|tuant|victimes|péri|périssent|vies|corps|piétinée?s?|écrasée?s?)\b",
        "injury": r"\b(blessée?s?|blessures?)\b",
        "evacuation": r"\b(évacu\w*|rapatri\w*|pont aérien)\b",
        "arrest": r"\b(arrêtée?s?|arrestations?|interpellée?s?|interpellations?|détenue?s?)\b",
        "displacement": r"\b(déplacée?s?|réfugiée?s?|fui|fuient|fuyant|sans-abri)\b",
        "missing": r"\b(disparue?s?)\b",
        "waiting": r"\b(attend\w*|attente|bloquée?s?|coincée?s?)\b",
        "deadline": r"\b(date limite|échéance|ultimatum)\b",
    },
    "ar": {
        "death": r"قتل|قتيل|قتلى|مقتل|مصرع|حتف|وفاة|توفي|موت|ماتوا|جثث|جثة",
        "injury": r"جرح|جريح|جرحى|إصاب|أصيب|مصاب",
        "evacuation": r"إجلاء|اجلاء|أجلت|أجلى|جسر جوي",
        "arrest": r"اعتقال|اعتقل|معتقل|توقيف|احتجاز|محتجز",
        "displacement": r"نزوح|نازح|لاجئ|مشرد|تهجير",
        "missing": r"مفقود|فقدان",
        "waiting": r"ينتظر|انتظار|عالق",
        "deadline": r"مهلة|موعد نهائي",
    },
    "hi": {
        name: nukta_pattern(pattern)
        for name, pattern in {
            "death": r"मौत|मृत्यु|मारे|मृत|जान गंवा|जान गँवा|जान चली|शव|मरने|मरे",
            "injury": r"घायल|ज़ख़्मी|ज़ख्मी|जख्मी|चोटिल",
            "evacuation": r"निकाला|निकाले|निकासी|एयरलिफ्ट",
            "arrest": r"गिरफ़्तार|गिरफ्तार|हिरासत",
            "displacement": r"विस्थापित|शरणार्थी|बेघर|पलायन",
            "missing": r"लापता",
            "waiting": r"इंतज़ार|इंतजार|फंसे|फँसे",
            "deadline": r"समय सीमा|समयसीमा|डेडलाइन",
        }.items()
    },
}
