"""Reading numbers, dates, quantities and sums of money in English and Chinese.

What a translation of a judgment must carry over is read here into comparable values:
`1,250,000`, `1.25 million`, `125萬` and `一百二十五萬` are all 1250000; `3 March 2021`
and `二〇二一年三月三日` are (2021, 3, 3); `三年六個月` and `3 years and 6 months` are the
same 42 months; `$5,000,000` and `5,000,000元` are the same sum in a Hong Kong document.
The checks (`agents.checks`) compare what this module reads on both sides. Texts are read
after NFKC, so full-width digits count as ASCII ones.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import regex

# Numbers


def value_text(value: Decimal | Fraction | int) -> str:
    """The canonical text of a value, so equal values compare equal: 1250000, 0.5, 1/3."""
    if isinstance(value, Fraction):
        denominator = value.denominator
        while denominator % 2 == 0:
            denominator //= 2
        while denominator % 5 == 0:
            denominator //= 5
        if denominator != 1:  # 1/3 has no exact decimal
            return f"{value.numerator}/{value.denominator}"
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format(Decimal(value).normalize(), "f")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_ENGLISH_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_CHINESE_MULTIPLIERS = {
    "萬": 10_000,
    "万": 10_000,
    "億": 100_000_000,
    "亿": 100_000_000,
    "千": 1_000,
    "百萬": 1_000_000,
    "百万": 1_000_000,
    "千萬": 10_000_000,
    "千万": 10_000_000,
}
DIGITS = regex.compile(
    rf"(?<![\d.,])(?P<number>{_ARABIC})"
    r"(?:\s*(?P<scale>thousand|million|billion)\b|(?P<multiplier>百萬|百万|千萬|千万|萬|万|億|亿|千)(?!克))?",
    regex.IGNORECASE,
)

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "貳": 2,
    "贰": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "參": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陸": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CHINESE_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "廿": 20}
CHINESE_MYRIADS = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_NUMERAL_START = "零〇一壹二貳贰兩两三參叁四肆五伍六陸陆七柒八捌九玖十拾廿"
_NUMERAL_BODY = _NUMERAL_START + "百佰千仟萬万億亿"
# A Chinese numeral starts with a digit or 十 (not 百, 千 or 萬: 千萬 is "by all means").
CHINESE_NUMERAL = regex.compile(
    rf"[{_NUMERAL_START}][{_NUMERAL_BODY}]*(?:點[零〇一二三四五六七八九]+)?"
)


def chinese_value(numeral: str) -> Decimal | None:
    """一百二十五萬 → 1250000; 二〇二一 → 2021 (digit by digit, no units); 一點二 → 1.2."""
    whole, _, decimals = numeral.partition("點")
    if not whole:
        return None
    if not any(ch in CHINESE_UNITS or ch in CHINESE_MYRIADS for ch in whole):
        if any(ch not in CHINESE_DIGITS for ch in whole):
            return None
        value = Decimal("".join(str(CHINESE_DIGITS[ch]) for ch in whole))
    else:
        total = section = digit = 0
        for ch in whole:
            if ch in CHINESE_DIGITS:
                digit = CHINESE_DIGITS[ch]
            elif ch in CHINESE_UNITS:
                unit = CHINESE_UNITS[ch]
                section += (digit or (1 if unit != 20 else 1)) * unit
                digit = 0
            elif ch in CHINESE_MYRIADS:
                total += (section + digit) * CHINESE_MYRIADS[ch]
                section = digit = 0
            else:
                return None
        value = Decimal(total + section + digit)
    if decimals:
        if any(ch not in CHINESE_DIGITS for ch in decimals):
            return None
        value += Decimal("0." + "".join(str(CHINESE_DIGITS[ch]) for ch in decimals))
    return value


_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "twentieth": 20,
    "thirtieth": 30,
    "firstly": 1,
    "secondly": 2,
    "thirdly": 3,
    "fourthly": 4,
    "fifthly": 5,
}
_WORD_SCALES = {"hundred": 100, **_ENGLISH_SCALES}
_NUMBER_WORD = "|".join(sorted([*_ONES, *_TENS, *_WORD_SCALES], key=len, reverse=True))
ENGLISH_NUMBER = regex.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*\b", regex.IGNORECASE
)
_ORDINAL = regex.compile(
    r"\b(?P<word>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b"
    r"|\b(?P<digits>\d+)(?:st|nd|rd|th)\b",
    regex.IGNORECASE,
)
_FRACTION_DENOMINATORS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
# "One-third", not "a third": "a third party" is not a fraction.
ENGLISH_FRACTION = regex.compile(
    r"\b(?P<top>one|two|three)[\s-]+(?P<bottom>half|thirds?|quarters?)\b", regex.IGNORECASE
)
CHINESE_FRACTION = regex.compile(
    rf"(?P<bottom>[{_NUMERAL_BODY}]+|\d+)分之(?P<top>[{_NUMERAL_BODY}點]+|\d+(?:\.\d+)?)"
)


_WORD_BREAK = regex.compile(r"[\s-]+")
_PLAIN_DIGITS = regex.compile(r"\d+(?:\.\d+)?")
_ASCII_LETTER = regex.compile(r"[A-Za-z]")


def english_value(words: str) -> int | None:
    """ "twenty-five" → 25; "one hundred and twenty" → 120; "two million" → 2000000."""
    total = current = 0
    seen = False
    for word in _WORD_BREAK.split(words.lower()):
        if word == "and":
            continue
        if word in _ONES:
            current += _ONES[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _ENGLISH_SCALES:
            total += (current or 1) * _ENGLISH_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass(frozen=True)
class Number:
    value: str
    start: int
    end: int
    written: str
    # "digits", "chinese", "words", "ordinal", "fraction"
    kind: str


def digit_numbers(text: str) -> list[Number]:
    """Numbers in digits, with their scale: "1.25 million" and "125萬" are 1250000."""
    found = []
    for match in DIGITS.finditer(text):
        try:
            value = Decimal(match["number"].replace(",", ""))
        except InvalidOperation:
            continue
        if match["scale"]:
            value *= _ENGLISH_SCALES[match["scale"].lower()]
        elif match["multiplier"]:
            value *= _CHINESE_MULTIPLIERS[match["multiplier"]]
        found.append(Number(value_text(value), match.start(), match.end(), match.group(), "digits"))
    return found


def chinese_numbers(text: str) -> list[Number]:
    found = []
    for match in CHINESE_NUMERAL.finditer(text):
        value = chinese_value(match.group())
        if value is not None:
            found.append(
                Number(value_text(value), match.start(), match.end(), match.group(), "chinese")
            )
    for match in CHINESE_FRACTION.finditer(text):
        top, bottom = _any_value(match["top"]), _any_value(match["bottom"])
        if top is not None and bottom:
            found.append(
                Number(
                    value_text(Fraction(top) / Fraction(bottom)),
                    match.start(),
                    match.end(),
                    match.group(),
                    "fraction",
                )
            )
    return found


def english_numbers(text: str) -> list[Number]:
    found = []
    if not _ASCII_LETTER.search(text):
        return found
    for match in ENGLISH_NUMBER.finditer(text):
        words = match.group()
        # "hundreds of", "thousands of" are not numbers; a lone scale word is not either.
        if words.lower() in _WORD_SCALES:
            continue
        value = english_value(words)
        if value is not None:
            found.append(Number(str(value), match.start(), match.end(), words, "words"))
    for match in _ORDINAL.finditer(text):
        value = ORDINALS[match["word"].lower()] if match["word"] else int(match["digits"])
        found.append(Number(str(value), match.start(), match.end(), match.group(), "ordinal"))
    for match in ENGLISH_FRACTION.finditer(text):
        top = _ONES[match["top"].lower()]
        bottom = _FRACTION_DENOMINATORS[match["bottom"].lower()]
        found.append(
            Number(
                value_text(Fraction(top, bottom)),
                match.start(),
                match.end(),
                match.group(),
                "fraction",
            )
        )
    return found


def _any_value(written: str) -> Decimal | None:
    if _PLAIN_DIGITS.fullmatch(written):
        return Decimal(written)
    return chinese_value(written)


# In what a translation says, "a third" is one-third too (a source's "a third party" is
# not a fraction, so it is never required).
_A_FRACTION = regex.compile(r"\ban?[\s-]+(?P<bottom>half|third|quarter)\b", regex.IGNORECASE)
# Words that carry a number without writing one.
_IMPLIED = {
    "both": "2",
    "twice": "2",
    "once": "1",
    "single": "1",
    "dozen": "12",
    "雙": "2",
    "首": "1",
}
_IMPLIED_WORDS = regex.compile(r"\b(?:both|twice|once|single|dozen)\b|[雙首]", regex.IGNORECASE)


def values_in(text: str) -> set[str]:
    """Every value a text expresses, in any form: digits with and without their scale,
    Chinese numerals, English number words and ordinals, fractions, month names, and
    words such as "both" or 雙 that mean a number."""
    values = {n.value for n in digit_numbers(text)}
    values |= {
        value_text(Decimal(m["number"].replace(",", "")))
        for m in DIGITS.finditer(text)
        if m["scale"] or m["multiplier"]
    }
    values |= {n.value for n in chinese_numbers(text)}
    values |= {n.value for n in english_numbers(text)}
    values |= {_IMPLIED[m.group().lower()] for m in _IMPLIED_WORDS.finditer(text)}
    values |= {str(MONTHS[m.group().lower()]) for m in _MONTH_NAME.finditer(text)}
    values |= {
        value_text(Fraction(1, _FRACTION_DENOMINATORS[m["bottom"].lower()]))
        for m in _A_FRACTION.finditer(text)
    }
    return values


# Dates

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
# Full month names only: "Mar" and "May" are words too.
_MONTH_NAME = regex.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)
_CHINESE_DAY = rf"[{_NUMERAL_START}]{{1,3}}"
_CJK_DATE = regex.compile(
    rf"(?:(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<month>\d{{1,2}}|{_CHINESE_DAY})\s*月"
    rf"(?:\s*(?P<day>\d{{1,2}}|{_CHINESE_DAY})\s*[日號号])?"
)
_DAY_MONTH_YEAR = regex.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?P<month>{_MONTH})(?:\s*,?\s+(?P<year>\d{{4}}))?\b"
)
_MONTH_DAY_YEAR = regex.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*(?P<year>\d{{4}}))?\b"
)
_MONTH_YEAR = regex.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b")
_ISO_DATE = regex.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
# Longest forms first: a date matched once is blanked before the next pattern looks.
DATE_PATTERNS = (_CJK_DATE, _DAY_MONTH_YEAR, _ISO_DATE, _MONTH_DAY_YEAR, _MONTH_YEAR)

_ENGLISH_DATES = (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR)
_MONTH_HINT = regex.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")

DateKey = tuple[int | None, int, int | None]


@dataclass(frozen=True)
class Date:
    key: DateKey  # (year or None, month, day or None)
    start: int
    end: int
    written: str


def dates_in(text: str) -> list[Date]:
    """Dates with their spans: 3 March 2021, March 3, 2021, 2021年3月3日, 二〇二一年三月三日,
    June 2019, and dates whose year a range leaves out (1 January, 6月30日)."""
    remaining = text
    found = []
    english = _MONTH_HINT.search(text) is not None
    for pattern in DATE_PATTERNS:
        # Most sentences have no date: skip the patterns that cannot match.
        if (pattern is _CJK_DATE and "月" not in text) or (
            pattern is _ISO_DATE and "-" not in text
        ):
            continue
        if pattern in _ENGLISH_DATES and not english:
            continue
        matches = list(pattern.finditer(remaining))
        for match in matches:
            key = _date_key(match)
            if key is not None:
                found.append(Date(key, match.start(), match.end(), match.group()))
        if matches:
            remaining = pattern.sub(lambda m: " " * len(m.group()), remaining)
    found += _days_carried_over(text, found)
    return sorted(found, key=lambda date: date.start)


# A Chinese range or list that names the month once: 2月26日至28日, 3月1日、2日及5日.
_NEXT_DAY = regex.compile(
    r"\s*(?:至|到|及|和|與|、|－|-|–|—)\s*(?P<day>\d{1,2}|[〇零一二兩三四五六七八九十廿卅]{1,3})\s*日"
)


def _days_carried_over(text: str, dates: list) -> list:
    """The later days of a Chinese range or list that carries the first date's year and
    month over: each is a date of its own."""
    carried = []
    for date in dates:
        if "日" not in date.written or date.key[2] is None:
            continue
        end = date.end
        while match := _NEXT_DAY.match(text, end):
            day = _small_number(match["day"])
            if day is None or not 1 <= day <= 31:
                break
            carried.append(
                Date(
                    (date.key[0], date.key[1], day),
                    match.start("day"),
                    match.end(),
                    match.group().strip(),
                )
            )
            end = match.end()
    return carried


def _date_key(match) -> DateKey | None:
    groups = match.groupdict()
    month_text = groups["month"].rstrip(".").lower()
    month = MONTHS.get(month_text) or _small_number(month_text)
    day = _small_number(groups["day"]) if groups.get("day") else None
    year = _small_number(groups["year"]) if groups.get("year") else None
    if not month or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    # A Chinese month without a year or a day (三月) is not read as a date: 三個月 is a
    # duration and a bare month is too little to compare.
    if year is None and day is None:
        return None
    return (year, month, day)


def _small_number(written: str) -> int | None:
    written = written.strip()
    if written.isdigit():
        return int(written)
    value = chinese_value(written)
    return int(value) if value is not None else None


def date_matches(wanted: DateKey, found: DateKey) -> bool:
    """A date in a range may leave out its year (1 January to 30 June 2021)."""
    if wanted[1:] != found[1:]:
        return False
    return wanted[0] is None or found[0] is None or wanted[0] == found[0]


def format_date(date: DateKey, chinese: bool) -> str:
    year, month, day = date
    if chinese:
        return (f"{year}年" if year else "") + f"{month}月" + (f"{day}日" if day else "")
    return (f"{day} " if day else "") + MONTH_NAMES[month - 1] + (f" {year}" if year else "")


# Quantities with units


@dataclass(frozen=True)
class Unit:
    name: str  # as a person reads it: "months", "kg"
    dimension: str  # units of one dimension can be mistaken for each other
    group: str  # units of one group convert exactly: years and months, weeks to minutes
    factor: Fraction  # in the group's base unit
    chinese: str  # how a Chinese translation writes it


UNITS = {
    "year": Unit("years", "time", "calendar", Fraction(12), "年"),
    "month": Unit("months", "time", "calendar", Fraction(1), "個月"),
    "week": Unit("weeks", "time", "clock", Fraction(7 * 24 * 60), "星期"),
    "day": Unit("days", "time", "clock", Fraction(24 * 60), "日"),
    "hour": Unit("hours", "time", "clock", Fraction(60), "小時"),
    "minute": Unit("minutes", "time", "clock", Fraction(1), "分鐘"),
    "kg": Unit("kg", "mass", "mass", Fraction(1000), "公斤"),
    "g": Unit("grammes", "mass", "mass", Fraction(1), "克"),
    "mg": Unit("mg", "mass", "mass", Fraction(1, 1000), "毫克"),
    "km": Unit("km", "length", "length", Fraction(1000), "公里"),
    "m": Unit("metres", "length", "length", Fraction(1), "米"),
    "percent": Unit("per cent", "ratio", "ratio", Fraction(1), "%"),
    "age": Unit("years of age", "age", "age", Fraction(1), "歲"),
}

_EN_UNIT_WORDS = [
    ("age", r"years?[\s-]+old|years?\s+of\s+age|year-old"),
    ("year", r"years?|yrs?"),
    ("month", r"months?|mths?"),
    ("week", r"weeks?|wks?"),
    ("day", r"days?"),
    ("hour", r"hours?|hrs?"),
    ("minute", r"minutes?|mins?"),
    ("mg", r"mg|milligram(?:me)?s?"),
    ("kg", r"kg|kgs|kilo(?:gram(?:me)?)?s?"),
    ("g", r"g|gm|gms|gram(?:me)?s?"),
    ("km", r"km|kilomet(?:re|er)s?"),
    ("m", r"metres?|meters?"),
    ("percent", r"%|per\s*cent|percent"),
]
_EN_UNIT = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _EN_UNIT_WORDS)
_EN_AMOUNT = (
    rf"(?P<amount>{_ARABIC}|(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*|an?)"
    r"(?P<half>\s+and\s+a\s+half)?"
)
EN_QUANTITY = regex.compile(
    rf"(?<![\w.,])(?:half\s+an?\s+(?P<halfunit>year|month|week|day|hour)\b"
    rf"|{_EN_AMOUNT}[\s-]*(?:{_EN_UNIT})(?:'s|s'|’s|s’)?(?![A-Za-z]))",
    regex.IGNORECASE,
)
_AGED = regex.compile(
    r"\baged\s+(?P<amount>\d+|(?:" + _NUMBER_WORD + r")(?:-\w+)?)\b", regex.IGNORECASE
)

_ZH_UNIT_WORDS = [
    ("month", r"個多?月|个月"),
    ("year", r"年"),
    ("week", r"個?星期|個?禮拜|周|週|个星期"),
    ("day", r"日|天"),
    ("hour", r"個?小時|個?鐘頭|小时"),
    ("minute", r"分鐘|分钟"),
    ("age", r"歲|岁"),
    ("mg", r"毫克|mg"),
    ("kg", r"公斤|千克|kg"),
    ("g", r"公克|克|g(?![a-z])"),
    ("km", r"公里|km"),
    ("m", r"公尺|米"),
    ("percent", r"%"),
]
_ZH_UNIT = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _ZH_UNIT_WORDS)
ZH_QUANTITY = regex.compile(
    rf"(?P<amount>{_ARABIC}|[{_NUMERAL_START}][{_NUMERAL_BODY}]*(?:點[零〇一二三四五六七八九]+)?|半)"
    rf"\s*(?:{_ZH_UNIT})(?P<half>半)?"
    r"|百分之(?P<percent>[" + _NUMERAL_BODY + r"點]+|\d+(?:\.\d+)?)"
)


@dataclass(frozen=True)
class Quantity:
    value: Fraction
    unit: str
    start: int
    end: int
    written: str

    @property
    def dimension(self) -> str:
        return UNITS[self.unit].dimension

    @property
    def group(self) -> str:
        return UNITS[self.unit].group

    @property
    def total(self) -> Fraction:
        return self.value * UNITS[self.unit].factor


@dataclass
class Measure:
    """Quantities written together: 三年六個月, 8 years and 4 months."""

    parts: list[Quantity] = field(default_factory=list)

    @property
    def group(self) -> str:
        return self.parts[0].group

    @property
    def total(self) -> Fraction:
        return sum((part.total for part in self.parts), Fraction(0))

    @property
    def written(self) -> str:
        return " ".join(part.written for part in self.parts)


_JOINED = regex.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|又|零)?\s*", regex.IGNORECASE)


def quantities_in(text: str, chinese: bool) -> list[Quantity]:
    """Quantities with units, dates left out (2021年 is a year, not a duration)."""
    found = []
    if chinese:
        for match in ZH_QUANTITY.finditer(text):
            quantity = _chinese_quantity(match)
            if quantity is not None:
                found.append(quantity)
    else:
        for match in EN_QUANTITY.finditer(text):
            quantity = _english_quantity(match)
            if quantity is not None:
                found.append(quantity)
        for match in _AGED.finditer(text):
            value = _english_amount(match["amount"].split("-")[0])
            if value is not None:
                found.append(Quantity(value, "age", match.start(), match.end(), match.group()))
    return sorted(found, key=lambda q: q.start)


def _chinese_quantity(match) -> Quantity | None:
    if match["percent"]:
        value = _any_value(match["percent"])
        unit = "percent"
    else:
        unit = next(name for name, _ in _ZH_UNIT_WORDS if match[name])
        amount = match["amount"]
        value = Decimal("0.5") if amount == "半" else _any_value(amount.replace(",", ""))
        if value is None:
            return None
        # 2021年 and 二〇二一年 are years of the calendar, not durations.
        if unit == "year" and value >= 1000:
            return None
        if match["half"]:
            value += Decimal("0.5")
    if value is None:
        return None
    return Quantity(Fraction(value), unit, match.start(), match.end(), match.group())


def _english_quantity(match) -> Quantity | None:
    if match["halfunit"]:
        return Quantity(
            Fraction(1, 2), match["halfunit"].lower(), match.start(), match.end(), match.group()
        )
    unit = next(name for name, _ in _EN_UNIT_WORDS if match[name])
    value = _english_amount(match["amount"])
    if value is None:
        return None
    if match["half"]:
        value += Fraction(1, 2)
    if unit == "year" and value >= 1000:
        return None
    # "g" and "m" alone are units only after digits ("25.6 g"), not after words.
    if unit in ("g", "m") and not match["amount"][0].isdigit():
        return None
    return Quantity(value, unit, match.start(), match.end(), match.group())


def _english_amount(amount: str) -> Fraction | None:
    amount = amount.strip()
    if amount.lower() in ("a", "an"):
        return Fraction(1)
    if amount[0].isdigit():
        try:
            return Fraction(Decimal(amount.replace(",", "")))
        except InvalidOperation:
            return None
    value = english_value(amount)
    return Fraction(value) if value is not None else None


def measures_in(text: str, chinese: bool) -> list[Measure]:
    """Quantities grouped into the measures they are written as: 三年六個月 is one
    measure of 42 months, 8 years and 4 months one of 100."""
    measures: list[Measure] = []
    previous = None
    for quantity in quantities_in(text, chinese):
        joined = (
            previous is not None
            and previous.group == quantity.group
            and quantity.dimension == "time"
            and _JOINED.fullmatch(text, previous.end, quantity.start)
        )
        if joined:
            measures[-1].parts.append(quantity)
        else:
            measures.append(Measure([quantity]))
        previous = quantity
    return measures


# Rates: per annum, a month


RATE_PERIODS = ("year", "month", "week", "day", "hour")
_EN_RATE = regex.compile(
    r"\b(?:per|each|every)\s+(?P<period>annum|year|month|week|day|hour)\b"
    r"|(?<=(?:\d|%|\bcent|\bonce|\btwice|\btimes)\s+)an?\s+(?P<after>year|month|week|day|hour)\b"
    r"|\b(?P<adverb>annually|yearly|monthly|weekly|daily|hourly)\b",
    regex.IGNORECASE,
)
_EN_PERIODS = {
    "annum": "year",
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}
_ZH_RATE = regex.compile(
    r"(?P<year>年息|年利率|每年|按年|年薪)|(?P<month>月息|每月|按月|月租|月薪|月入)"
    r"|(?P<week>每星期|每周|每週|週薪|周薪)|(?P<day>每日|每天|日薪)|(?P<hour>每小時|時薪)"
)


def rate_periods(text: str, chinese: bool) -> dict[str, str]:
    """The periods rates are given per, with their words: {"year": "per annum"}."""
    periods: dict[str, str] = {}
    if chinese:
        for match in _ZH_RATE.finditer(text):
            period = next(p for p in RATE_PERIODS if match[p])
            periods.setdefault(period, match.group())
        return periods
    for match in _EN_RATE.finditer(text):
        word = (match["period"] or match["after"] or match["adverb"]).lower()
        periods.setdefault(_EN_PERIODS.get(word, word), match.group())
    return periods


# Sums of money

_CURRENCY_WORDS = {
    "hk$": "HKD",
    "hkd": "HKD",
    "港幣": "HKD",
    "港币": "HKD",
    "港元": "HKD",
    "hong kong dollars": "HKD",
    "us$": "USD",
    "usd": "USD",
    "美元": "USD",
    "美金": "USD",
    "us dollars": "USD",
    "united states dollars": "USD",
    "rmb": "CNY",
    "cny": "CNY",
    "人民幣": "CNY",
    "人民币": "CNY",
    "元人民幣": "CNY",
    "元人民币": "CNY",
    "renminbi": "CNY",
    "yuan": "CNY",
    "£": "GBP",
    "gbp": "GBP",
    "英鎊": "GBP",
    "英镑": "GBP",
    "pounds": "GBP",
    "€": "EUR",
    "eur": "EUR",
    "歐元": "EUR",
    "欧元": "EUR",
    "euros": "EUR",
    "新台幣": "TWD",
    "nt$": "TWD",
    "澳門幣": "MOP",
    "澳門元": "MOP",
    "mop": "MOP",
}
# Written for the local dollar: $ and 元 in a Hong Kong document are Hong Kong dollars.
LOCAL = "local"
_LOCAL_WORDS = {"$": LOCAL, "元": LOCAL, "圓": LOCAL, "dollars": LOCAL}
_CHINESE_AMOUNT = rf"[{_NUMERAL_START}][{_NUMERAL_BODY}]*"
_AMOUNT = (
    rf"(?P<amount>(?:{_ARABIC})(?:\s*(?:thousand|million|billion)\b|\s*(?:百萬|百万|千萬|千万|萬|万|億|亿|千))?"
    rf"|{_CHINESE_AMOUNT})"
)
_BEFORE = (
    r"(?P<before>HK\$|US\$|NT\$|HKD|USD|RMB|CNY|GBP|EUR|MOP|港幣|港币|港元|美元|美金|人民幣|人民币"
    r"|英鎊|英镑|歐元|欧元|新台幣|澳門幣|£|€|\$)"
)
_AFTER = (
    r"(?P<after>元人民幣|元人民币|港元|港幣|美元|美金|人民幣|英鎊|英镑|歐元|欧元|澳門元|元|圓"
    r"|(?:Hong\s+Kong|US|United\s+States)\s+dollars|dollars|yuan|renminbi|pounds|euros)"
)
SUM = regex.compile(
    rf"{_BEFORE}\s*{_AMOUNT}(?:\s*{_AFTER})?|{_AMOUNT}\s*{_AFTER}",
    regex.IGNORECASE,
)


_SUM_HINT = regex.compile(
    r"[$元圓幣币£€]|HKD|USD|RMB|CNY|GBP|EUR|MOP|dollars|yuan|renminbi|pounds|euros|美金|英鎊|英镑|歐元|欧元",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class Sum:
    currency: str  # an ISO code, or LOCAL for $ and 元
    amount: str
    start: int
    end: int
    written: str


def sums_in(text: str) -> list[Sum]:
    """Sums of money: HK$1,250,000, 港幣125萬元, 5,000,000元, RMB 2 million."""
    found = []
    if not _SUM_HINT.search(text):
        return found
    for match in SUM.finditer(text):
        amount = _amount_value(match["amount"])
        if amount is None:
            continue
        words = [w for w in (match["before"], match["after"]) if w]
        codes = [_currency_code(w) for w in words]
        # 港幣5,000元 and 人民幣200萬元: the named currency decides, 元 only counts.
        named = [c for c in codes if c != LOCAL]
        currency = named[0] if named else LOCAL
        found.append(Sum(currency, amount, match.start(), match.end(), match.group()))
    return found


def _currency_code(word: str) -> str:
    key = " ".join(word.lower().split())
    return _CURRENCY_WORDS.get(key) or _LOCAL_WORDS.get(key, LOCAL)


def _amount_value(written: str) -> str | None:
    written = written.strip()
    if written[0].isdigit():
        numbers = digit_numbers(written)
        return numbers[0].value if numbers else None
    value = chinese_value(written)
    return value_text(value) if value is not None else None
