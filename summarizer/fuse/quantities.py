"""Numbers in news sentences: what value, what it counts, and who it belongs to.

Shared by conflict detection (:mod:`summarizer.fuse.conflicts`) and the hallucination guard
(:mod:`summarizer.fuse.hallucination`), so both read "seven", "7" and "about 17,000" the same way.

A :class:`Quantity` is a value or a range ("between 10,000 and 15,000", "50,000 to 60,000")
with the noun it counts (its *head*: "people", "troops", "years", or a unit such as "percent"
or "usd"), the capitalised words in front of that noun (its *qualifiers*: "US" in "5,000 US
troops"), and flags a comparison needs: approximate ("about", "around"), a part of a total
("including 2,500 Americans"), or a goal rather than a fact ("plans to evacuate 60,000").

Why a hand-written reader instead of a library: quantulum3 knows physical units but calls
"17,000 people" dimensionless, which loses the head noun that tells counts apart;
number-parser had its last release in 2023; word2number and text2num are not on our index.
Written-out numbers in news are small and few, so a table covers them.

Deliberately not read: years ("2001", "1996-2001"), ages ("22-year-old"), decades ("1980s"),
"one" (nearly always "one of ..."), and vague plurals ("hundreds", "tens of thousands").

Every reader takes the sentence's language (ISO 639-1, "en" by default): digits of any script
are read (Arabic-Indic "٢٥", Devanagari "२५"), in the language's conventions ("1,5 million" is
1.5 million in French, "1,50,000" is 150,000 in Hindi, "25 100" is 25,100 wherever a space
groups thousands), and its :class:`~summarizer.fuse.lexicons.Lexicon` names what is counted.
English is read with the tables below, exactly as before other languages came.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicons import DIGIT_MAP, LEXICONS, MARKS, SPACE_GROUPS, Lexicon, NumberFormat, number_format

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
#: Written-out numbers, "seven" → 7, "twenty-one" → 21. "one" is left out: "one of the most ..."
WORD_NUMBERS: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS) if w != "one"}
WORD_NUMBERS.update({w: float(v) for w, v in _TENS.items()})
WORD_NUMBERS.update({f"{t}-{u}": float(v + i) for t, v in _TENS.items() for i, u in enumerate(_UNITS[1:10], start=1)})
WORD_NUMBERS["dozen"] = 12.0

MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
#: Who a number belongs to, folded: "5,000 US troops" and "600 British troops" are different things.
ACTORS = {
    "us": "us", "u.s": "us", "u.s.": "us", "american": "us", "americans": "us", "america": "us", "united states": "us",
    "washington": "us", "pentagon": "us", "uk": "uk", "british": "uk", "britain": "uk", "london": "uk",
    "australia": "australia", "australian": "australia", "canada": "canada", "canadian": "canada",
    "germany": "germany", "german": "germany", "france": "france", "french": "france", "netherlands": "netherlands",
    "dutch": "netherlands", "nato": "nato", "eu": "eu", "russia": "russia", "russian": "russia",
}  # fmt: skip
_ACTOR_WORDS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ACTORS), key=len, reverse=True)) + r")\b", re.I)
#: Attribution ("X said that", "according to X,"): who reports a number, not whom it counts.
_ATTRIBUTION = re.compile(r"\b(said|says|stated|told [A-Za-z]+|announced|reported|estimates?)\b( that)?|\baccording to [^,]+,", re.I)
_CONTRAST = re.compile(r"\b(while|whereas|but)\b|;", re.I)
_MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, start=1)} | {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)}
MONTHS |= {"sept": 9}
CURRENCIES = {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"}
#: Nouns that count the same kind of thing, folded to one head ("civilians" and "lives" are people).
HEAD_CLASSES = {
    "people": "people", "person": "people", "persons": "people", "civilians": "people", "lives": "people",
    "dead": "people", "individuals": "people", "residents": "people", "evacuees": "people", "nationals": "people",
    "citizens": "people",
    "troops": "troops", "soldiers": "troops", "personnel": "troops",
    "ships": "ships", "vessels": "ships", "boats": "ships",
    "jets": "aircraft", "planes": "aircraft", "aircraft": "aircraft", "airliners": "aircraft",
    "percent": "percent", "per": "percent", "%": "percent",
    "metres": "metres", "meters": "metres", "m": "metres", "ft": "feet", "feet": "feet", "km": "km",
    "kilometres": "km", "kilometers": "km", "miles": "miles",
}  # fmt: skip
#: Words that end a noun phrase: what follows the number stops at the first of these.
_STOP = set(
    "a an the and or but of to in on at by for from with without into onto over under about around across after before "
    "since during until within between through toward towards near outside inside among along per than as who whom which "
    "that this these those their its his her our your my is are was were be been being am have has had do does did will "
    "would can could may might must shall should not no so if while when where there here it they he she we you i".split()
)
#: Words before a number that make it approximate: it agrees with anything it rounds to.
_APPROXIMATE = {"about", "around", "some", "roughly", "approximately", "nearly", "almost", "estimated", "circa", "approx"}
#: Words before a number that make it a part of a total given earlier in the sentence.
_PART_OF = {"including", "includes", "include", "among"}
#: Words in the clause before a number that make it a goal, a plan or what is still to happen.
_PENDING = re.compile(r"\b(still|remain(s|ing)?|waiting|wants?|plans?|planned|hopes?|aims?|targets?|expects?|needs? to|to be)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\b(but|while|whereas)\b", re.I)

_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*|%")
_LEADING = ("at least", "more than", "less than", "fewer than", "up to", "as many", "over")

#: English, from the tables above; the other languages' lexicons are in :mod:`summarizer.fuse.lexicons`.
ENGLISH = Lexicon(
    language="en",
    cased=True,
    word_numbers=WORD_NUMBERS,
    multipliers=MULTIPLIERS,
    heads=HEAD_CLASSES,
    stop=frozenset(_STOP),
    approximate=frozenset(_APPROXIMATE),
    part_of=frozenset(_PART_OF),
    leading=_LEADING,
    pending=_PENDING.pattern,
    continuation=r"\W*(as well as|and|along with|plus)\b",
    clause_break=_CLAUSE_BREAK.pattern,
    attribution=_ATTRIBUTION.pattern,
    contrast=_CONTRAST.pattern,
    actors=ACTORS,
    months=MONTHS,
    month_names=tuple(name.title() for name in _MONTH_NAMES),
    between=r"\bbetween\s+",
    range_words=("to",),
    and_words=("and",),
    percent=r"\s?%|\s?per\s?cent\b|\s?percent\b",
    currencies=CURRENCIES,
)
_START = rf"(?<!\w)(?<![{MARKS}])"  # a word starts here, in any script (``\b`` falls inside Hindi words)
_END = rf"(?!\w)(?![{MARKS}])"
_END_LETTER = rf"(?![^\W\d_])(?![{MARKS}])"  # a word ends here, digits may follow: Arabic "و15"
_PUNCTUATION = r"[.,;:!?()،؛؟।]"  # what ends the noun phrase after a number, in every script


def lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (ISO 639-1); one without words, only digits, for the others."""
    return ENGLISH if language == "en" else LEXICONS.get(language) or Lexicon(language=language)


@dataclass(frozen=True)
class _Reader:
    """A lexicon's regular expressions, compiled once per language."""

    lexicon: Lexicon
    number_format: NumberFormat
    quantity: re.Pattern
    word: re.Pattern  # one word (or a percent or currency sign)
    actor_words: re.Pattern  # group 1 is a key of ``lexicon.actors``
    attribution: re.Pattern
    contrast: re.Pattern
    pending: re.Pattern
    continuation: re.Pattern
    clause_break: re.Pattern
    month_after: re.Pattern
    month_before: re.Pattern


def _alternatives(words) -> str:
    """A regex alternation of literal words, longest first (so 'million' wins over 'm')."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"


def _digits(fmt: NumberFormat) -> str:
    """The regex of a number in digits, for one language's conventions (see :func:`_to_float`)."""
    spaced = rf"\d{{1,3}}(?:[{SPACE_GROUPS}{' ' if fmt.decimal_comma else ''}]\d{{3}})+(?!\d)"
    if fmt.decimal_comma:
        return rf"(?<![\w.,])(?:\d{{1,3}}(?:\.\d{{3}})+(?!\d)(?:,\d+)?|{spaced}(?:,\d+)?|\d+\.\d+|\d+(?:,\d+)?)"
    indian = r"\d{1,2}(?:,\d{2})+,\d{3}(?!\d)(?:\.\d+)?|" if fmt.indian_grouping else ""
    short = r"|\d+,\d{1,2}(?!\d)" if fmt.short_comma_decimal else ""
    return rf"(?<![\w.,])(?:{indian}\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{spaced}(?:\.\d+)?{short}|\d+(?:\.\d+)?)"


@lru_cache(maxsize=None)
def _reader(language: str) -> _Reader:
    lex = lexicon(language)
    fmt = number_format(language)
    words = rf"|{_START}(?:{_alternatives(lex.word_numbers)}){_END}" if lex.word_numbers else ""
    one = (
        rf"(?:(?P<cur#>{_alternatives(lex.currencies)})\s?)?(?P<num#>{_digits(fmt)}{words})"
        rf"(?:\s?(?P<mult#>{_alternatives(lex.multipliers)}){_END})?"
    )
    joins = _alternatives((*lex.and_words, *lex.range_words))
    second = rf"\s*(?P<sep>{_START}(?:{joins}){_END_LETTER}|-|–)\s*{one.replace('#', '2')}"
    # "10% to 15%": a percent sign may follow the range's first end. English reads it there even
    # without a range, so "rose 3.5% elsewhere" loses its unit; kept as it was for English
    # (digests unchanged), fixed for the other languages.
    body = rf"(?:{lex.percent})?(?:{second})?" if lex is ENGLISH else rf"(?:(?:{lex.percent})?{second})?"
    quantity = re.compile(
        rf"(?P<between>{lex.between})?{one.replace('#', '1')}{body}(?P<percent>{lex.percent})?", re.IGNORECASE
    )
    if lex is ENGLISH:  # the patterns English was read with before other languages came
        word, actors = _ENGLISH_WORD, _ACTOR_WORDS
        letters, before_word = "[A-Za-z]+", r"\b"
    else:
        letters, before_word = rf"(?:[^\W\d_]|[{MARKS}])+", _START
        word = re.compile(rf"(?:[^\W\d_]|[{MARKS}])(?:[\w'’.-]|[{MARKS}])*|[%€$£₹]")
        prefixes = _alternatives(lex.prefixes)
        actors = re.compile(rf"{_START}(?:{prefixes}|و)?({_alternatives(lex.actors)}){_END}", re.I)
    return _Reader(
        lexicon=lex,
        number_format=fmt,
        quantity=quantity,
        word=word,
        actor_words=actors,
        attribution=re.compile(lex.attribution, re.I),
        contrast=re.compile(lex.contrast, re.I),
        pending=re.compile(lex.pending, re.I),
        continuation=re.compile(lex.continuation, re.I),
        clause_break=re.compile(lex.clause_break, re.I),
        month_after=re.compile(rf"\s+({letters})"),
        month_before=re.compile(rf"{before_word}({letters})\.?\s+$"),
    )


@dataclass(frozen=True)
class Quantity:
    """One number (or range) in a sentence, with what it counts."""

    low: float
    high: float  # equal to low for a single value
    text: str  # as written, with its approximating words: "about 17,000", "between 10,000 and 15,000"
    head: str  # folded head noun or unit: "people", "troops", "years", "percent", "usd"; "" if none
    qualifiers: frozenset[str]  # whose: capitalised words before the head, or else countries named
    # around the number, folded by ACTORS: "5,000 US troops" → {"us"}, "British authorities evacuated" → {"uk"}
    approximate: bool  # "about", "around", ...: agrees with any value it rounds to
    part: bool  # "including 2,500 Americans": a part of a total, not a total
    pending: bool  # "still waiting", "plans to": a goal or remainder, not a done count
    start: int  # character offset in the sentence

    def interval(self) -> tuple[float, float]:
        """The values this quantity admits: an approximate number spans its rounding unit."""
        if not self.approximate or self.low != self.high:
            return self.low, self.high
        half = _rounding_unit(self.low) / 2
        return self.low - half, self.high + half


def _rounding_unit(value: float) -> float:
    """10 ** (trailing zeros): 17,000 → 1000, 25,100 → 100, 7 → 1."""
    unit, number = 1.0, int(value)
    if number != value or number == 0:
        return 1.0
    while number % 10 == 0:
        unit, number = unit * 10, number // 10
    return unit


def _to_float(number: str, fmt: NumberFormat) -> float:
    """A number in digits as its language writes it: '25,100' is 25100 in English, '1,5' is 1.5
    in French, where '25.100' and '25 100' are 25100 and '1.5' (no group of three) is 1.5."""
    digits = re.sub(rf"[ {SPACE_GROUPS}]", "", number)
    if fmt.decimal_comma:
        if "," not in digits and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
            return float(digits)
        return float(digits.replace(".", "").replace(",", "."))
    if fmt.short_comma_decimal and re.fullmatch(r"\d+,\d{1,2}", digits):
        return float(digits.replace(",", "."))
    return float(digits.replace(",", ""))


def _value(number: str, multiplier: str | None, reader: _Reader) -> float:
    word = number.lower()
    words = reader.lexicon.word_numbers
    base = words[word] if word in words else _to_float(number, reader.number_format)
    return base * reader.lexicon.multipliers.get((multiplier or "").lower(), 1.0)


def _is_year(match: re.Match, sentence: str) -> bool:
    """'2001', '1996-2001', 'the 1980s', '22-year-old': not quantities to compare."""
    number = match.group("num1")
    after = sentence[match.end() : match.end() + 9].lower()
    if re.fullmatch(r"(1[89]|20)\d\d", number) and not match.group("cur1") and not match.group("mult1"):
        return True
    return after.startswith(("s ", "s.", "s,", "-year", " year-old", "-strong", "th", "st ", "nd ", "rd "))


def extract_quantities(sentence: str, language: str = "en") -> list[Quantity]:
    """Every comparable number of one sentence, in order (see the module docstring).

    Args:
        sentence: one sentence.
        language: ISO 639-1 code of its language: which digits' conventions apply ("1,5" is 1.5
            in French, 1 and 5 in English) and which words name what a number counts.
    """
    return list(_extract_cached(sentence, language))


@lru_cache(maxsize=1 << 16)
def _extract_cached(sentence: str, language: str) -> tuple[Quantity, ...]:
    """Memoised extraction: fusion and conflict search ask about the same sentences many times."""
    return tuple(_extract(sentence, _reader(language)))


def _extract(original: str, reader: _Reader) -> list[Quantity]:
    """Read the sentence with its digits mapped to ASCII (offsets unchanged), quote the original."""
    sentence = original.translate(DIGIT_MAP)
    lex = reader.lexicon
    found: list[Quantity] = []
    position = 0
    while match := reader.quantity.search(sentence, position):
        position = match.end()
        if _is_year(match, sentence):
            continue
        currency = lex.currencies.get((match.group("cur1") or "").lower())
        mult1, mult2 = (_multiplier(match, i, currency) for i in (1, 2))
        low = high = _value(match.group("num1"), mult1, reader)
        end = match.end()
        if match.group("num2") is not None:
            if match.group("sep").lower() in lex.and_words and not match.group("between"):
                # "seven and 20" is two numbers, not a range: read the second one on its own
                end = position = match.end("mult1") if mult1 else match.end("num1")
            else:
                high = _value(match.group("num2"), mult2 or mult1, reader)
                if not mult1 and mult2:  # "10-15 million": the multiplier applies to both
                    low *= lex.multipliers[mult2.lower()]
        if high < low:
            continue  # "24-7" or a score, not a range
        if match.group("percent") and end == match.end():
            head, qualifiers = "percent", frozenset()
        else:
            rest = sentence[_unit_start(match, end, mult1, mult2) :]
            head, qualifiers = _head(rest) if lex.cased else _head_uncased(rest, reader)
        before = reader.word.findall(sentence[: match.start()].lower())[-3:]
        written = _written(original[match.start() : end], before, lex)
        month = _month(match, sentence, reader)
        if month and low == high and 1 <= low <= 31 and low == int(low):
            # a day of the month: compared as month * 100 + day, written as "15 August"
            written = f"{int(low)} {lex.month_names[month - 1]}"
            low = high = float(month * 100 + low)
            head, qualifiers = "date", frozenset()
        clause = _clause(sentence, match.start(), end, reader)
        pending = bool(reader.pending.search(clause))
        if not pending and found and reader.continuation.match(clause):
            pending = found[-1].pending  # "... still in Afghanistan, as well as 50,000 Afghans"
        found.append(
            Quantity(
                low=low,
                high=high,
                text=written,
                head=currency or head,
                qualifiers=frozenset(lex.actors.get(q, q) for q in qualifiers) or _actors(sentence, match.start(), end, reader),
                approximate=bool(lex.approximate & set(before)),
                part=bool(lex.part_of & set(before[-2:])),
                pending=pending,
                start=match.start(),
            )
        )
    return found


def _actors(sentence: str, start: int, end: int, reader: _Reader) -> frozenset[str]:
    """Countries named around a number, attribution left out.

    Before it, from the last "X said"/"according to X," or "while": 'the British authorities
    evacuated 5,000'; after it, to the end of its clause: '25,100 evacuated on planes from the
    United States'.
    """
    before = sentence[:start]
    cuts = list(reader.attribution.finditer(before)) + list(reader.contrast.finditer(before))
    subject = before[max(cut.end() for cut in cuts) :] if cuts else before
    after = reader.clause_break.search(sentence, end)
    rest = sentence[end : after.start() if after else len(sentence)]
    actors = reader.lexicon.actors
    return frozenset(actors[m.group(1).lower()] for m in reader.actor_words.finditer(subject + " " + rest))


def _month(match: re.Match, sentence: str, reader: _Reader) -> int:
    """The month of '15 August', 'August 15' or 'Aug. 14' around a day number, or 0."""
    after = reader.month_after.match(sentence[match.end("num1") :])
    before = reader.month_before.search(sentence[: match.start()])
    months = reader.lexicon.months
    for found in (after, before):
        if found and found.group(1).lower() in months:
            return months[found.group(1).lower()]
    return 0


def _multiplier(match: re.Match, i: int, currency: str | None) -> str | None:
    """The multiplier word of number i; a bare 'm' is metres unless it follows a currency."""
    word = match.group(f"mult{i}")
    if word and word.lower() == "m" and not currency:
        return None
    return word


def _unit_start(match: re.Match, end: int, mult1: str | None, mult2: str | None) -> int:
    """Where the text after the number starts; '400m' leaves the 'm' to be read as a unit."""
    last = 2 if match.group("num2") is not None and end == match.end() else 1
    word, used = match.group(f"mult{last}"), (mult2 if last == 2 else mult1)
    return match.start(f"mult{last}") if word and not used else end


def _written(text: str, before: list[str], lex: Lexicon) -> str:
    """The number as written, with a leading 'about', 'at least' or 'more than' if there is one."""
    for phrase in sorted(lex.leading, key=lambda p: -len(p.split())):
        words = phrase.split()
        if before[-len(words) :] == words:
            return f"{phrase} {text.strip()}"
    if before and before[-1] in lex.approximate:
        return f"{before[-1]} {text.strip()}"
    return text.strip()


def _clause(sentence: str, start: int, end: int, reader: _Reader) -> str:
    """The clause holding the number, from the last break before it to the next one after."""
    breaks_before = list(reader.clause_break.finditer(sentence[:start]))
    after = reader.clause_break.search(sentence, end)
    begin = breaks_before[-1].start() if breaks_before else 0
    return sentence[begin : after.start() if after else len(sentence)]


def _head(rest: str) -> tuple[str, frozenset[str]]:
    """The noun a number counts, and the capitalised words in front of it (English).

    '5,000 US troops' → ('troops', {'us'}); '2,500 Americans.' → ('people', {'american'});
    '20 years of war' → ('years', {}); '18 passenger jets' → ('aircraft', {}).
    """
    words = _ENGLISH_WORD.findall(re.split(r"[.,;:!?()]", rest, maxsplit=1)[0]) if not rest[:1] in ".,;:" else []
    qualifiers: list[str] = []
    head = ""
    for index, word in enumerate(words[:4]):
        lower = word.lower().strip(".'’")
        if lower in _STOP or lower in WORD_NUMBERS:
            break
        if word[0].isupper() and lower not in HEAD_CLASSES:
            if head:
                break
            qualifiers.append(lower)
            continue
        after_demonym = index > 0 and re.fullmatch(r"[A-Z][a-z]+s", words[index - 1]) is not None
        if lower not in HEAD_CLASSES and (lower.endswith("ed") or after_demonym):
            break  # a verb: "Afghans died", "Americans remain"
        head = lower
        if lower in HEAD_CLASSES:
            break
    if not head and qualifiers and qualifiers[-1].endswith("s"):
        head, qualifiers[-1] = "people", qualifiers[-1][:-1]  # a demonym: "seven Afghans", "2,500 Americans"
    return HEAD_CLASSES.get(head, head), frozenset(qualifiers)


def _head_uncased(rest: str, reader: _Reader) -> tuple[str, frozenset[str]]:
    """The noun a number counts, in a language without capitalised owners (all but English).

    The first of the next three words that the lexicon folds ('1,5 million de personnes' →
    'people', '20 भारतीय सैनिक' → 'troops', head-final Hindi putting the adjective first),
    else the first content word as it is. Owners come from :func:`_actors` instead: French
    and Arabic name them after the noun ('soldats américains').
    """
    if rest[:1] in ".,;:،؛":
        return "", frozenset()
    lex = reader.lexicon
    content = []
    for word in reader.word.findall(re.split(_PUNCTUATION, rest, maxsplit=1)[0])[:4]:
        lower = word.lower().strip(".'’")
        if lower in lex.skip and not content:
            continue
        if lower in lex.stop or lower in lex.word_numbers or lower in lex.multipliers or len(content) == 3:
            break
        content.append(lower)
    for lower in content:
        for form in (lower, *(lower[len(p) :] for p in lex.prefixes if lower.startswith(p))):
            if form in lex.heads:
                return lex.heads[form], frozenset()
    return (content[0] if content else ""), frozenset()


def numbers_in(text: str, language: str = "en") -> set[float]:
    """Every value a text mentions, range ends included (for the hallucination guard)."""
    return {value for q in extract_quantities(text, language) for value in (q.low, q.high)} | {
        float(m.group()) for m in re.finditer(r"\b(1[89]|20)\d\d\b", text.translate(DIGIT_MAP))
    }
