"""Deterministic quality checks, run on every drafted segment beside the Annotator, in the
editor as a person types, and by `manage.py qa_check`.

What a legal translation must carry over is checked by rule, in both directions
(English ⇄ Chinese), never left to the model alone:

- script: Simplified characters in a Traditional target, or the reverse (OpenCC tables);
- numbers: digits, Chinese numerals and English number words (六個月, 一百萬, five);
- dates: 12 March 2023 ↔ 2023年3月12日 ↔ 二〇二三年三月十二日;
- units: quantities keep their unit (months are not years, kg is not g) and rates their
  period (per annum is not per month); 三年六個月 is 42 months, and so is 3 years and 6
  months;
- currency: a sum keeps its currency ($ ≡ HK$ ≡ 港幣 ≡ 港元 ≡ 元 in a Hong Kong document;
  HK$ → 人民幣 is an error);
- citations, verbatim; references (sections, articles, paragraphs, chapters) with their
  lists and ranges (ss. 4 and 5 ↔ 第4及5條);
- negation: a not, never, without, 不, 未, 沒有, 無, 毋須 lost in translation;
- parties: roles and names against the document brief, substituted or swapped;
- untranslated text (case names and citations may stay in English in a Chinese target);
- the glossary (`agents.glossary`, the one matcher) and the length of the translation;
- tokens in double brackets (formatting ⟦1⟧, withheld personal data ⟦P1⟧) kept as often
  as in the source.

Each check returns findings in the Annotator's shape (`SegmentIssue`, source "check") with
the check's name, a category the Annotator also uses, a severity, a message a person
reads, the span of the target concerned and a suggestion. `run_checks` marks the findings
whose severity blocks (major and critical by default). One slip should make one finding:
numbers inside dates, citations, references and measures are left to those checks.
"""

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from agents import numbers as num
from agents.context import GlossaryConstraint, LanguagePair, SegmentIssue
from agents.glossary import Termbase, TermProblem
from agents.languages import is_cjk, local_currency, wrong_script_characters
from agents.references import CASE_NAME, CITATION, references_in, written_form
from agents.schemas import BLOCKING_SEVERITIES, DocumentBrief

# Target characters per source character. Headings and other short segments vary too
# much to judge, so segments shorter than MIN_CHARS_FOR_RATIO are not measured.
LENGTH_BOUNDS = {
    "to_cjk": (0.15, 0.8),
    "from_cjk": (1.2, 6.0),
    "generic": (0.5, 2.0),
}
MIN_CHARS_FOR_RATIO = 20
# Untranslated text: this many Latin words in a row in a Chinese target, or Han
# characters in a row in an English one, that are not names, citations or references.
UNTRANSLATED_WORDS = 4
UNTRANSLATED_HAN = 4

CHECKS = (
    "empty",
    "untranslated",
    "script",
    "numbers",
    "dates",
    "units",
    "currency",
    "citations",
    "references",
    "negation",
    "parties",
    "terminology",
    "length",
)

_HAN = regex.compile(r"\p{Han}")
_LETTERS = regex.compile(r"\p{L}{2}")
_LATIN = regex.compile(r"\p{Latin}")
_HAN_RUN = regex.compile(r"\p{Han}(?:[\p{Han}，、]*\p{Han})?")
_LATIN_WORDS = regex.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)+")
_CONNECTIVES = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "v",
        "vs",
        "de",
        "la",
        "du",
        "van",
        "von",
        "ex",
        "parte",
        "re",
    ]
)


def run_checks(
    source: str,
    target: str,
    pair: LanguagePair,
    glossary: Termbase | Iterable[GlossaryConstraint] = (),
    brief: DocumentBrief | None = None,
    blocking_severities: Iterable[str] = BLOCKING_SEVERITIES,
) -> list[SegmentIssue]:
    """Every check on one segment, in a stable order. `blocking_severities` says which
    severities block (a project may choose); each finding carries `blocking`."""
    blocking = frozenset(blocking_severities)
    if not target.strip():
        findings = [
            _issue(
                "empty",
                "omission",
                "critical",
                "",
                "Translate the segment.",
                "The translation is empty.",
            )
        ]
    else:
        termbase = _termbase(glossary, pair)
        tokens = check_tokens(source, target)
        # A token's digits ("⟦P12⟧") are not numbers of the text: one lost token, one issue.
        source, target = _TOKEN.sub(" ", source), _TOKEN.sub(" ", target)
        findings = [
            *tokens,
            *check_untranslated(source, target, pair, brief),
            *check_script(target, pair, brief),
            *check_numbers(source, target),
            *check_dates(source, target, pair),
            *check_units(source, target, pair),
            *check_sums(source, target, pair),
            *check_citations(source, target),
            *check_legal_references(source, target, pair),
            *check_negation(source, target),
            *check_parties(source, target, brief, termbase),
            *check_glossary(source, target, termbase, pair),
            *check_length(source, target, pair),
        ]
    for finding in findings:
        finding.blocking = finding.severity in blocking
    return findings


_TOKEN = regex.compile(r"\u27e6/?P?\d{1,5}\u27e7")


def check_tokens(source: str, target: str) -> list[SegmentIssue]:
    """Tokens in double brackets must come through unchanged, as often as in the source:
    formatting (⟦1⟧, ⟦2⟧…⟦/2⟧) and personal data the workbench withheld (⟦P1⟧), which
    only the token brings back into the translation."""
    wanted, found = Counter(_TOKEN.findall(source)), Counter(_TOKEN.findall(target))
    issues = [
        _issue(
            "tokens",
            "omission",
            "major",
            "",
            f"Put {token} back, unchanged, where its words belong.",
            f"The source has {token}, which the translation lost; copy it as it is.",
        )
        for token in wanted
        if found[token] < wanted[token]
    ]
    issues += [
        _issue(
            "tokens",
            "addition",
            "major",
            token,
            f"Remove the extra {token}.",
            f"The translation has {token} more often than the source.",
        )
        for token in found
        if found[token] > wanted[token]
    ]
    return issues


# Reading a text once for all checks


class _Reading:
    """One text as the checks read it: NFKC, and the dates, citations and references
    found in it, with a copy in which they are blanked so their numbers are not read
    again as plain numbers."""

    def __init__(self, text: str):
        self.text = num.nfkc(text)
        self.chinese = bool(_HAN.search(self.text))
        self.dates = num.dates_in(self.text)
        self.citations = [m.span() for m in CITATION.finditer(self.text)]
        self.references = references_in(self.text)
        spans = [(d.start, d.end) for d in self.dates] + self.citations
        spans += [(r.start, r.end) for r in self.references]
        self.masked = _blank(self.text, spans)

    @functools.cached_property
    def measures(self) -> list[num.Measure]:
        return num.measures_in(self.masked, self.chinese)

    @functools.cached_property
    def sums(self) -> list[num.Sum]:
        return num.sums_in(self.masked)

    @functools.cached_property
    def values(self) -> set[str]:
        return num.values_in(self.text)

    @functools.cached_property
    def masked_digits(self) -> list[num.Number]:
        return num.digit_numbers(self.masked)


def items_to_carry(text: str) -> int:
    """How many numbers, dates, citations and references a translation of `text` must
    carry over (risk routing counts them)."""
    reading = _read(text)
    items = len(reading.dates) + len(reading.citations) + len(reading.references)
    return items + len(num.values_in(reading.masked))


def _blank(text: str, spans) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@functools.lru_cache(maxsize=256)
def _read(text: str) -> _Reading:
    return _Reading(text)


# Numbers

# After a Chinese numeral, what makes it a count or a measure that a translation must
# carry: 六個月, 三名證人, 一百萬元. Idioms such as 一般, 一致, 十分 are left alone.
_MEASURE_WORDS = regex.compile(
    r"個|名|位|項|宗|次|條|段|款|頁|包|塊|粒|支|把|部|輛|架|間|張|件|份|元|圓|萬|億|倍|級|層"
    r"|比|隻|盒|袋|瓶|樽|封|套|枚|顆|期|屆|歲|年|月|星期|周|週|禮拜|日|天|小時|鐘頭|分鐘|秒"
    r"|公斤|千克|公克|克|毫克|公里|公尺|米|呎|港元|美元|英鎊|歐元|人"
)


_PERCENT_IN_WORDS = regex.compile(r"百分之([零〇一二兩三四五六七八九十百點]+)")


def check_numbers(source: str, target: str) -> list[SegmentIssue]:
    """Each number of the source (digits, Chinese numerals that count or measure, English
    number words) must appear in the target in any form: digits, Chinese numerals, words
    or a month name. A measure (六個月, 3 years and 6 months) must appear as a measure of
    the target: its number given for another measure does not count. Numbers inside dates,
    citations and references are left to their own checks, and a measure whose unit
    changed to the units check, so one slip is one finding. A digit number the source
    does not have is a minor finding."""
    source_reading, target_reading = _read(source), _read(target)
    measures = _compare_measures(source, target)
    available = target_reading.values
    issues = []
    reported = set()
    for part in measures.missing:
        value = num.value_text(part.value)
        reported.add(value)
        issues.append(_missing_number(part.written.strip(), value, quoted=True))
    in_measures = [(p.start, p.end) for m in source_reading.measures for p in m.parts]
    for number in _required_numbers(source_reading):
        if number.value in available or number.value in reported:
            continue
        if any(start <= number.start < end for start, end in in_measures):
            continue
        reported.add(number.value)
        issues.append(
            _missing_number(number.written.strip(), number.value, quoted=number.kind != "digits")
        )
    in_source = {n.value for n in _required_numbers(source_reading)} | source_reading.values
    seen = set()
    for number in target_reading.masked_digits:
        if number.value in in_source or number.value in seen:
            continue
        # 42 months for 三年六個月: the measure matched, so its number is no stranger.
        if any(start <= number.start < end for start, end in measures.matched):
            continue
        seen.add(number.value)
        issues.append(
            _issue(
                "numbers",
                "number_date",
                "minor",
                number.written.strip(),
                f"Check {number.written.strip()} against the source.",
                f"The translation has the number {number.written.strip()}, which is not in the source.",
            )
        )
    return issues


def _missing_number(written: str, value: str, quoted: bool) -> SegmentIssue:
    shown = f"{written} ({value})" if quoted and written != value else written
    return _issue(
        "numbers",
        "number_date",
        "major",
        "",
        f"Include {written if not quoted else value}.",
        f"The source has the number {shown}, which is not in the translation.",
    )


def _required_numbers(reading: _Reading) -> list[num.Number]:
    """The numbers a translation of this text must carry."""
    text = reading.masked
    found = list(reading.masked_digits)
    for number in num.chinese_numbers(text):
        if number.kind == "fraction":
            found.append(number)
            continue
        if number.value in ("1", "0"):
            continue
        ordinal = number.start > 0 and text[number.start - 1] == "第"
        if ordinal or _MEASURE_WORDS.match(text, number.end):
            found.append(number)
    for match in _PERCENT_IN_WORDS.finditer(text):
        value = num.chinese_value(match[1])
        if value is not None:
            found.append(
                num.Number(
                    num.value_text(value), match.start(), match.end(), match.group(), "chinese"
                )
            )
    for number in num.english_numbers(text):
        if (
            number.kind == "words"
            and number.value not in ("0", "1")
            or number.kind == "ordinal"
            and number.written.isalpha()
            and int(number.value) >= 3
            or number.kind == "fraction"
        ):
            found.append(number)
    return sorted(found, key=lambda n: n.start)


def check_dates(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """A date in the source must be in the target, in either language's form
    (3 March 2021 ↔ 2021年3月3日 ↔ 二〇二一年三月三日). A date in a range may leave out its
    year (1 January to 30 June 2021 ↔ 2021年1月1日至6月30日)."""
    in_target = [date.key for date in _read(target).dates]
    issues = []
    for date in _read(source).dates:
        if any(num.date_matches(date.key, found) for found in in_target):
            continue
        expected = num.format_date(date.key, is_cjk(pair.target))
        issues.append(
            _issue(
                "dates",
                "number_date",
                "major",
                "",
                f"Write the date as {expected}.",
                f"The source has the date {date.written.strip()}, which is not in the translation.",
            )
        )
    return issues


# Units and measures


def check_units(source: str, target: str, pair: LanguagePair | None = None) -> list[SegmentIssue]:
    """A measure keeps its unit: 6 months are not 6 years, 1.2 kg is not 1.2 g, 16 weeks
    are not 16 months. A measure written in other units with the same total passes
    (12 months ↔ 一年, 3 years and 6 months ↔ 42個月). A rate keeps its period (per annum
    ↔ 年息, not 每月)."""
    chinese_target = _read(target).chinese if pair is None else is_cjk(pair.target)
    issues = [
        _issue(
            "units",
            "number_date",
            "major",
            other.written.strip(),
            f"Write {_measure_form(part, chinese_target)}.",
            f"The source has {part.written.strip()} ({num.value_text(part.value)} "
            f"{num.UNITS[part.unit].name}); the translation has {other.written.strip()} "
            f"({num.UNITS[other.unit].name}).",
        )
        for part, other in _compare_measures(source, target).conflicts
    ]
    return issues + _check_rates(_read(source), _read(target))


@dataclass
class _MeasureComparison:
    conflicts: list  # (source part, target part): the same number in another unit
    missing: list  # source parts the target does not give
    matched: list  # (start, end) of the target's parts matched to the source's


@functools.lru_cache(maxsize=256)
def _compare_measures(source: str, target: str) -> _MeasureComparison:
    """Source measures matched one to one with the target's: by their total (三年六個月 ↔
    42 months, 12 months ↔ 一年) or part by part. What is left is a number given in
    another unit, or missing (its number appears in the target only inside measures
    matched to other parts of the source)."""
    target_measures = _read(target).measures
    used: set[int] = set()  # ids of target parts matched
    unresolved = []

    def take(parts):
        used.update(id(p) for p in parts)

    def free(parts):
        return not any(id(p) in used for p in parts)

    def same_total(wanted):
        """A free target measure with the total of `wanted` (a measure or one part)."""
        return next(
            (
                m
                for m in target_measures
                if free(m.parts) and m.group == wanted.group and m.total == wanted.total
            ),
            None,
        )

    def free_part(accepts):
        return next((t for m in target_measures for t in m.parts if free([t]) and accepts(t)), None)

    for measure in _read(source).measures:
        whole = same_total(measure)
        if whole:
            take(whole.parts)
            continue
        for part in measure.parts:
            same = free_part(lambda t, part=part: t.unit == part.unit and t.value == part.value)
            if same:
                take([same])
                continue
            total = same_total(part)
            if total:
                take(total.parts)
                continue
            unresolved.append(part)
    conflicts, missing = [], []
    for part in unresolved:
        other = free_part(
            lambda t, part=part: t.value == part.value and t.dimension == part.dimension
        )
        if other:
            take([other])
            conflicts.append((part, other))
        else:
            missing.append(part)
    # One is often left implicit (a year → 年, a month → 月入): never required, as elsewhere.
    missing = [p for p in missing if p.value != 1]
    matched = [(t.start, t.end) for m in target_measures for t in m.parts if id(t) in used]
    if missing:
        free_values = num.values_in(_blank(_read(target).masked, matched))
        missing = [p for p in missing if num.value_text(p.value) not in free_values]
    return _MeasureComparison(conflicts, missing, matched)


def _check_rates(source_reading: _Reading, target_reading: _Reading) -> list[SegmentIssue]:
    wanted = num.rate_periods(source_reading.text, source_reading.chinese)
    found = num.rate_periods(target_reading.text, target_reading.chinese)
    if not wanted or not found or set(wanted) & set(found):
        return []
    period, written = next(iter(wanted.items()))
    other, other_written = next(iter(found.items()))
    return [
        _issue(
            "units",
            "number_date",
            "major",
            other_written,
            f"Give the rate per {period}, as the source does.",
            f"The source gives a rate {written} (per {period}); the translation gives it "
            f"{other_written} (per {other}).",
        )
    ]


def _measure_form(part: num.Quantity, chinese: bool) -> str:
    value = num.value_text(part.value)
    unit = num.UNITS[part.unit]
    return f"{value}{unit.chinese}" if chinese else f"{value} {unit.name}"


# Sums of money


def check_sums(source: str, target: str, pair: LanguagePair | None = None) -> list[SegmentIssue]:
    """A sum of money keeps its currency. In a Hong Kong document $, HK$, 港幣, 港元 and
    a bare 元 are all Hong Kong dollars (`$5,000,000` → `5,000,000元` is right); another
    currency for the same amount is a major error (HK$ → 人民幣). A foreign sum whose
    amount the target gives without any currency is major, a local one minor. A sum
    whose amount is missing altogether is left to check_numbers."""
    local = local_currency(pair.source, pair.target) if pair else local_currency()
    target_reading = _read(target)
    in_target = target_reading.sums
    issues = []
    for found in _read(source).sums:
        currency = _resolve(found.currency, local)
        same_amount = [t for t in in_target if t.amount == found.amount]
        if any(_resolve(t.currency, local) == currency for t in same_amount):
            continue
        if same_amount:
            other = same_amount[0]
            issues.append(
                _issue(
                    "currency",
                    "number_date",
                    "major",
                    other.written.strip(),
                    f"Give the amount in {currency} as in the source.",
                    f"The source has {found.written.strip()} ({currency}); the translation has "
                    f"{other.written.strip()} ({_resolve(other.currency, local)}).",
                )
            )
        elif found.amount in target_reading.values:
            foreign = currency != local
            issues.append(
                _issue(
                    "currency",
                    "number_date",
                    "major" if foreign else "minor",
                    "",
                    f"Give the amount in {currency} as in the source.",
                    f"The source has {found.written.strip()}; the translation has the amount "
                    f"without its currency ({currency}).",
                )
            )
    return issues


def _resolve(currency: str, local: str) -> str:
    return local if currency == num.LOCAL else currency


# Citations and references


def check_citations(source: str, target: str) -> list[SegmentIssue]:
    """Neutral and report citations and action numbers are copied verbatim:
    [2015] HKCFA 23, (2015) 18 HKCFAR 1, FACV 1/2015."""
    target_text = _collapse(target)
    source_text = _read(source).text
    return [
        _issue(
            "citations",
            "citation",
            "major",
            "",
            f"Copy the citation {citation} exactly.",
            f"The citation {citation} is not in the translation as written in the source.",
        )
        for citation in dict.fromkeys(
            _collapse(source_text[start:end]) for start, end in _read(source).citations
        )
        if citation not in target_text
    ]


def check_legal_references(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """Chapters, sections (and articles, rules) and paragraphs keep their numbers, lists
    and ranges: Cap. 221 ↔ 第221章, s. 65C(2)(b) ↔ 第65C(2)(b)條, ss. 4 and 5 ↔ 第4及5條,
    s. 4(1)(a) and (b) ↔ 第4(1)(a)及(b)條, paras. 45 to 52 ↔ 第45至52段. Copying the
    source form is accepted too."""
    chinese_target = is_cjk(pair.target)
    in_target: dict[str, set[str]] = {}
    for reference in _read(target).references:
        in_target.setdefault(reference.kind, set()).update(reference.refs)
    in_source: dict[str, set[str]] = {}
    issues = []
    by_kind: dict[str, list] = {}
    for reference in _read(source).references:
        in_source.setdefault(reference.kind, set()).update(reference.refs)
        missing = sorted(reference.refs - in_target.get(reference.kind, set()), key=_ref_order)
        if missing:
            by_kind.setdefault(reference.kind, []).append((reference, missing))
    for kind in ("chapter", "section", "paragraph"):
        if kind in by_kind:
            written = "; ".join(reference.written.strip() for reference, _ in by_kind[kind])
            missing = list(dict.fromkeys(ref for _, refs in by_kind[kind] for ref in refs))
            expected = ", ".join(written_form(kind, ref, chinese_target) for ref in missing)
            issues.append(
                _issue(
                    "references",
                    "citation",
                    "major",
                    "",
                    f"Write {expected}.",
                    f"The source refers to {kind} {written}, which the translation does not "
                    f"({', '.join(missing)} missing).",
                )
            )
            continue
        # A list or range the translation extends (paras. 45 to 52 → 第45至55段). Only where
        # the source cites that kind at all: "at [45]" may become 第[45]段.
        extra = sorted(in_target.get(kind, set()) - in_source.get(kind, set()), key=_ref_order)
        if extra and in_source.get(kind):
            issues.append(
                _issue(
                    "references",
                    "citation",
                    "major",
                    written_form(kind, extra[0], chinese_target),
                    f"Remove {', '.join(extra)} or check the source.",
                    f"The translation refers to {kind} {', '.join(extra)}, which the source "
                    "does not.",
                )
            )
    return issues


_LEADING_DIGITS = regex.compile(r"\d+")


def _ref_order(ref: str):
    digits = _LEADING_DIGITS.match(ref)
    return (int(digits.group()) if digits else 0, ref)


# Negation

# Clear negation in English: each must show up in the translation.
_EN_NEGATION = regex.compile(
    r"\bnot\b|n't\b|\bnever\b|\bneither\b|\bnor\b|\bnone\b|\bnothing\b|\bnobody\b|\bno\s+one\b"
    r"|\bnowhere\b|\bcannot\b|\bwithout\b|\bunless\b|\bno\b(?!\.?\s*\d)",
    regex.IGNORECASE,
)
# Not a negation to render: "whether or not", "not only", "without more" (by itself), and a
# double negation that affirms ("no one could have failed to find" → 必然會裁定).
_EN_NOT_NEGATION = regex.compile(
    r"\bwhether\s+or\s+not\b|\bnot\s+only\b|\bwithout\s+more\b"
    r"|\b(?:no|not|never|none|nobody|no\s+one)\b[^.;:!?]{0,80}?\bfail(?:ed|s|ing)?\s+to\b",
    regex.IGNORECASE,
)
# Clear negation in Chinese, without the words where a negative character is part of a
# word that English renders positively: 不服 (appeal against), 不論, 是否, 否則, 未滿
# (under), 非常 (very), 無論...
_ZH_NEGATION = regex.compile(r"沒有|没有|[不未沒没無无非毋勿莫否]")
_ZH_NOT_NEGATION = regex.compile(
    r"不服|不論|不管|不過|不斷|不久|不少|不得不|不僅|不但|不只|不單|不禁|不妨|不外乎|不時"
    r"|未來|未滿|未成年|無論|非常|是否|與否|否則|否認|否決|莫名|除非|沒收|不見了"
)
# What may carry a negation in English besides `not`: negative affixes and words, and
# the bounds that render 不少於 / 不超過 (at least, at most).
_EN_NEGATIVE = regex.compile(
    r"\bnot\b|n't\b|\bnever\b|\bneither\b|\bnor\b|\bnone\b|\bnothing\b|\bnobody\b|\bnowhere\b"
    r"|\bcannot\b|\bwithout\b|\bunless\b|\bno\b|\bfail\w*|\brefus\w*|\breject\w*|\bdeclin\w*"
    r"|\bden(?:y|ied|ies|ial)\b|\bacquit\w*|\babsen\w*|\black\w*|\bexcept\w*|\binstead\b"
    r"|\brather\s+than\b|\bother\s+than\b|\bprohibit\w*|\bforbid\w*|\bbarred\b|\bprevent\w*"
    r"|\bexclud\w*|\bomit\w*|\bignor\w*|\bat\s+(?:least|most)\b|\bup\s+to\b|\bminimum\b"
    r"|\bmaximum\b|\bwithin\b|\bonly\b|\bvoid\b|\badverse\w*|\bclea[nr]\s+record\b"
    r"|\bmissing\b|\bbeyond\s+(?:all\s+)?(?:reasonable\s+)?doubt\b"
    r"|\bun(?!der|til|it|ion|ique|ivers|anim|iform)\w{3,}|\bnon-?\w+|\bdis(?:honest|agree|allow"
    r"|qualif|regard|credit|approv|obey|entitl|miss)\w*|\b(?:in|im|il|ir)(?:admissib|sufficien"
    r"|correct|consisten|appropriat|valid|capab|competen|accura|adequa|effective|nocen|legal"
    r"|legitima|proper|possib|plausib|relevan|regular|rational|respective)\w*|\w+less\b",
    regex.IGNORECASE,
)
_ZH_NEGATIVE = regex.compile(
    r"[不未沒没無无非毋勿莫否免拒缺]|禁止|至少|最少|最多|以內|為限|上限|下限"
)


# English words that carry their own negation into Chinese (adverse → 不利, unlawful →
# 不合法): a translation keeps it for them, so it cannot also stand for a dropped "no".
_EN_NEGATIVE_WORDS = regex.compile(
    r"\b(?:adverse\w*|unlawful\w*|illegal\w*|invalid\w*|dishonest\w*|unfair\w*|unsafe"
    r"|unreasonabl\w*|improper\w*|inadmissible|insufficient\w*|unable|unnecessar\w*|untrue)\b",
    regex.IGNORECASE,
)


def check_negation(source: str, target: str) -> list[SegmentIssue]:
    """A negation of the source (not, no, never, neither, nor, without, unless; 不, 未,
    沒有, 無, 非, 毋須, 並非, 不得, 否...) must be rendered: the target needs at least as many
    words that carry a negation as the source has clear ones. Negative affixes and words
    (unlawful, dishonest, fails, rejected, 不誠實, 拒絕) and bounds (at least ↔ 不少於) count
    on the target's side."""
    source_text, target_text = _read(source).text, _read(target).text
    if _read(source).chinese:
        clear = list(_ZH_NEGATION.finditer(_blank_matches(source_text, _ZH_NOT_NEGATION)))
    else:
        clear = list(_EN_NEGATION.finditer(_blank_matches(source_text, _EN_NOT_NEGATION)))
        # neither ... nor is one negation, rendered 既不 ... 亦不 or 均沒有.
        if any(m.group().lower() == "neither" for m in clear):
            clear = [m for m in clear if m.group().lower() != "nor"]
        if clear:
            clear += list(_EN_NEGATIVE_WORDS.finditer(source_text))
    if not clear:
        return []
    pattern = _ZH_NEGATIVE if _read(target).chinese else _EN_NEGATIVE
    carried = len(pattern.findall(target_text))
    if carried >= len(clear):
        return []
    words = ", ".join(
        dict.fromkeys(m.group() for m in clear if not _EN_NEGATIVE_WORDS.fullmatch(m.group()))
    )
    return [
        _issue(
            "negation",
            "accuracy",
            "major",
            "",
            "Render the negation of the source.",
            f"The source is negative ({words}) but the translation has "
            + ("no negation." if carried == 0 else "fewer negations than the source."),
        )
    ]


def _blank_matches(text: str, pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


# Parties

_ROLES = {
    "appellant": (r"appellants?", "上訴人"),
    "respondent": (r"respondents?", "答辯人|被上訴人"),
    "applicant": (r"applicants?", "申請人"),
    "plaintiff": (r"plaintiffs?", "原告人|原告"),
    "defendant": (r"defendants?|accused", "被告人|被告"),
    "petitioner": (r"petitioners?", "呈請人"),
    "claimant": (r"claimants?", "申索人"),
    "prosecution": (r"prosecution|prosecutor", "控方"),
    "defence": (r"defen[cs]e", "辯方"),
}
_ROLE_NAMES_ZH = {zh: role for role, (_, forms) in _ROLES.items() for zh in forms.split("|")}
# The Chinese renderings of each English party role, for the document's consistency
# (agents.consistency): 答辯人 in one paragraph and 被上訴人 in the next is a slip.
ROLE_RENDERINGS = {
    role: (regex.compile(rf"\b(?:{words})\b", regex.IGNORECASE), tuple(forms.split("|")))
    for role, (words, forms) in _ROLES.items()
}
_EN_ORDINALS = {
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
}
_ZH_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_EN_ROLE = regex.compile(
    r"\b(?:(?P<ordinal>1st|2nd|3rd|4th|first|second|third|fourth)\s+)?(?P<role>"
    + "|".join(f"(?P<{role}>{words})" for role, (words, _) in _ROLES.items())
    + r")\b|\b(?P<short>[DP])(?P<number>[1-9])\b",
    regex.IGNORECASE,
)
_ZH_ROLE = regex.compile(
    r"(?:第(?P<ordinal>[一二三四五]))?(?P<role>"
    + "|".join(sorted(_ROLE_NAMES_ZH, key=len, reverse=True))
    + ")"
)
_HKSAR = ("HKSAR", "香港特別行政區", "香港特區")
# Chinese official titles: 入境事務處處長 is also called 處長, as the Director.
_ZH_TITLES = ("處長", "司長", "局長", "署長", "專員", "主席", "總監")
_EN_APPOSITION = regex.compile(
    r"(?:,\s*|\s+)(?:(?:is|was|being|as)\s+)?(?:the\s+)?", regex.IGNORECASE
)
_ZH_APPOSITION = regex.compile(r"\s*(?:是|即|為)?\s*")
# Before these a party comes first in English but later in Chinese (the respondent, whom
# the appellant..., according to the appellant).
_REORDERING = regex.compile(
    r"\b(?:whom|whose|which|who|according\s+to)\s+(?:the\s+)?$", regex.IGNORECASE
)


@dataclass(frozen=True)
class _Mention:
    identity: str  # "party:N" for a party of the brief, else "role:ROLE:NUMBER"
    role: str  # the role it names or the brief gives, with its number: "defendant:1"
    by_name: bool
    start: int
    end: int
    written: str


def check_parties(
    source: str,
    target: str,
    brief: DocumentBrief | None = None,
    glossary: Termbase | None = None,
) -> list[SegmentIssue]:
    """Party roles and names against the document brief: a role rendered as another
    (respondent → 上訴人), a party named as another, two parties swapped (the respondent
    ... the appellant → 上訴人 ... 答辯人), or a named party given another party's role.
    Roles the glossary governs are left to the glossary check."""
    cast = _cast_of(brief)
    source_mentions = _mentions(_read(source), cast)
    target_mentions = _mentions(_read(target), cast)
    if not source_mentions and not target_mentions:
        return []
    issues = []
    governed = _glossary_roles(source, source_mentions, glossary)
    issues += _substituted(source_mentions, target_mentions, by_name=False, governed=governed)
    issues += _substituted(source_mentions, target_mentions, by_name=True, governed=set())
    if not issues:
        issues += _swapped(source, target, source_mentions, target_mentions)
    issues += _misnamed(_read(target), target_mentions, cast)
    # One slip, one finding: a swap is also a substitution.
    return issues[:1]


@dataclass(frozen=True)
class _Party:
    number: int
    role: str
    aliases: tuple[str, ...]

    @property
    def identity(self) -> str:
        return f"party:{self.number}"


class _Cast:
    """The parties of a brief, compiled once: their roles, the names each is known by in
    either language (Chan Tai Man, 陳大文; Director of Immigration, 入境事務處處長, 處長),
    and the names that stay as written (parties and judges)."""

    def __init__(self, parties: tuple, judges: tuple):
        self.parties = [self._party(n, *fields) for n, fields in enumerate(parties)]
        self.party_of = {alias: party for party in self.parties for alias in party.aliases}
        if not self.parties:
            self.party_of = dict.fromkeys(_HKSAR)
        aliases = sorted(self.party_of, key=len, reverse=True)
        self.names = tuple(sorted({*aliases, *(j for j in judges if j)}, key=len, reverse=True))
        self.han_names = tuple(n for n in self.names if _HAN.search(n))
        self.name_pattern = _alternation(aliases)
        self.kept_pattern = _alternation(self.names)

    @staticmethod
    def _party(number, name, role, referred_to_as):
        aliases = set()
        for text in (name, referred_to_as):
            for chunk in _HAN_CHUNK.findall(text):
                aliases.add(chunk)
                aliases.update(t for t in _ZH_TITLES if chunk.endswith(t) and len(chunk) > len(t))
            for chunk in _LATIN_CHUNK.findall(text):
                chunk = _LEADING_THE.sub("", chunk.strip())
                if chunk and not _EN_ROLE.fullmatch(chunk):
                    aliases.add(chunk)
        if any(alias in name for alias in _HKSAR):
            aliases.update(_HKSAR)
        return _Party(number, _role_key(role), tuple(sorted(aliases, key=len, reverse=True)))


_HAN_CHUNK = regex.compile(r"\p{Han}+")
_LATIN_CHUNK = regex.compile(r"[A-Za-z][A-Za-z .,'’&()-]*[A-Za-z.)]")
_LEADING_THE = regex.compile(r"^(?:the|The)\s+")


def _alternation(names):
    if not names:
        return None
    return regex.compile(
        "|".join(
            regex.escape(name)
            if _HAN.search(name)
            else rf"(?<![A-Za-z]){regex.escape(name)}(?![A-Za-z])"
            for name in names
        )
    )


def _cast_of(brief: DocumentBrief | None) -> _Cast:
    if brief is None:
        return _cast((), ())
    parties = tuple((p.name, p.role, p.referred_to_as) for p in brief.parties)
    return _cast(parties, tuple(brief.judges))


@functools.lru_cache(maxsize=64)
def _cast(parties: tuple, judges: tuple) -> _Cast:
    return _Cast(parties, judges)


def _role_key(text: str) -> str:
    match = _EN_ROLE.search(text) or _ZH_ROLE.search(text)
    if not match:
        return ""
    return _role_of(match)


def _role_of(match) -> str:
    groups = match.groupdict()
    if groups.get("short"):
        role = "defendant" if groups["short"].upper() == "D" else "plaintiff"
        return f"{role}:{groups['number']}"
    if "appellant" in groups:  # English
        role = next(r for r in _ROLES if groups.get(r))
        number = _EN_ORDINALS.get((groups["ordinal"] or "").lower(), "")
    else:
        role = _ROLE_NAMES_ZH[groups["role"]]
        number = _ZH_ORDINALS.get(groups["ordinal"] or "", "")
    return f"{role}:{number}"


def _mentions(reading: _Reading, cast: _Cast) -> list[_Mention]:
    text = reading.text
    found: list[_Mention] = []
    taken = []
    if cast.name_pattern is not None:
        for match in cast.name_pattern.finditer(text):
            party = cast.party_of[match.group()]
            identity = party.identity if party else "party:HKSAR"
            role = party.role if party else ""
            found.append(_Mention(identity, role, True, match.start(), match.end(), match.group()))
            taken.append(match.span())
    role_pattern = _ZH_ROLE if reading.chinese else _EN_ROLE
    for match in role_pattern.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        role = _role_of(match)
        found.append(
            _Mention(
                _identity_of_role(role, cast.parties),
                role,
                False,
                match.start(),
                match.end(),
                match.group(),
            )
        )
    return sorted(found, key=lambda m: m.start)


def _identity_of_role(role: str, parties: list[_Party]) -> str:
    """The brief's party with this role, when exactly one has it."""
    name, _, number = role.partition(":")
    matching = [
        p for p in parties if p.role == role or (not number and p.role.partition(":")[0] == name)
    ]
    return matching[0].identity if len(matching) == 1 else f"role:{role}"


def _glossary_roles(source: str, mentions: list[_Mention], glossary: Termbase | None) -> set[str]:
    if not glossary or not len(glossary):
        return set()
    hits = [(hit.start, hit.end) for hit in glossary.recognise(_read(source).text)]
    return {
        m.role.partition(":")[0]
        for m in mentions
        if not m.by_name and any(start < m.end and m.start < end for start, end in hits)
    }


def _roles_match(wanted: str, found: str) -> bool:
    name, _, number = wanted.partition(":")
    other, _, other_number = found.partition(":")
    return name == other and (not number or not other_number or number == other_number)


def _substituted(source_mentions, target_mentions, *, by_name, governed) -> list[SegmentIssue]:
    """A role (or a named party) of the source is missing from the target, and the target
    has another one instead."""
    wanted = [m for m in source_mentions if m.by_name == by_name]
    found = [m for m in target_mentions if m.by_name == by_name]
    key = (lambda m: m.identity) if by_name else (lambda m: m.role)
    same = (lambda a, b: a == b) if by_name else _roles_match
    missing = [
        m
        for m in wanted
        if m.role.partition(":")[0] not in governed and not any(same(key(m), key(f)) for f in found)
    ]
    extra = [f for f in found if not any(same(key(m), key(f)) for m in wanted)]
    if not missing or not extra:
        return []
    lost, instead = missing[0], extra[0]
    what = "party" if by_name else "role"
    return [
        _issue(
            "parties",
            "accuracy",
            "major",
            instead.written,
            f"Check who is meant: the source has {lost.written}.",
            f"The source refers to {lost.written}, which the translation does not; it has "
            f"{instead.written} instead, another {what}.",
        )
    ]


def _swapped(source, target, source_mentions, target_mentions) -> list[SegmentIssue]:
    """The same two parties, named in the opposite order: the respondent submitted that
    the appellant... → 上訴人陳詞指答辯人... Constructions that put a party first in one
    language and last in the other (whom the appellant..., according to...) are left
    alone."""
    for text, mentions in (
        (_read(source).text, source_mentions),
        (_read(target).text, target_mentions),
    ):
        if any(_REORDERING.search(text[: m.start]) for m in mentions):
            return []
    first = _first_mentions(source_mentions, target_mentions)
    second = _first_mentions(target_mentions, source_mentions)
    if len(first) < 2 or set(first) != set(second) or first == second:
        return []
    a, b = next((x, y) for x, y in zip(first, second, strict=True) if x != y)
    written = {m.identity: m.written for m in _unify(target_mentions, source_mentions)}
    return [
        _issue(
            "parties",
            "accuracy",
            "major",
            written.get(b, ""),
            "Check that each party is where the source puts it.",
            f"The parties are in the opposite order: the source names "
            f"{_written_of(a, source_mentions)} where the translation names {written.get(b, b)}; "
            "two parties may have been swapped.",
        )
    ]


def _written_of(identity, mentions):
    return next((m.written for m in mentions if m.identity == identity), identity)


def _unify(mentions: list[_Mention], other: list[_Mention]) -> list[_Mention]:
    """A role without a number (被告人) stands for the one party of that role the other
    text names (D1)."""
    unified = []
    for mention in mentions:
        name, _, number = mention.role.partition(":")
        if mention.identity.startswith("role:") and not number:
            candidates = {m.identity for m in other if m.role.partition(":")[0] == name}
            if len(candidates) == 1:
                mention = _Mention(
                    candidates.pop(),
                    mention.role,
                    mention.by_name,
                    mention.start,
                    mention.end,
                    mention.written,
                )
        unified.append(mention)
    return unified


def _first_mentions(mentions, other) -> list[str]:
    return list(dict.fromkeys(m.identity for m in _unify(mentions, other)))


def _misnamed(reading: _Reading, mentions: list[_Mention], cast: _Cast) -> list[SegmentIssue]:
    """A role set beside a name (上訴人陳大文, the respondent is HKSAR) that is not the
    role the brief gives that party."""
    if not cast.parties:
        return []
    text = reading.text
    apposition = _ZH_APPOSITION if reading.chinese else _EN_APPOSITION
    for left, right in zip(mentions, mentions[1:], strict=False):
        if left.by_name == right.by_name or not apposition.fullmatch(text, left.end, right.start):
            continue
        name, role = (left, right) if left.by_name else (right, left)
        if (
            name.role
            and not _roles_match(name.role, role.role)
            and not _roles_match(role.role, name.role)
        ):
            return [
                _issue(
                    "parties",
                    "accuracy",
                    "major",
                    role.written,
                    f"Give {name.written} the role the brief gives: {name.role.partition(':')[0]}.",
                    f"The translation calls {name.written} {role.written}, but the document "
                    f"brief gives that party the role {name.role.replace(':', ' ').strip()}.",
                )
            ]
    return []


# Glossary


def check_glossary(
    source: str,
    target: str,
    glossary: Termbase | Iterable[GlossaryConstraint],
    pair: LanguagePair | None = None,
) -> list[SegmentIssue]:
    """Where a glossary source term occurs, a preferred or admitted rendering must be used
    and a forbidden one must not (the matcher of `agents.glossary`)."""
    termbase = _termbase(glossary, pair)
    if not len(termbase):
        return []
    issues = []
    for problem in termbase.check(source, target):
        if problem.kind == TermProblem.FORBIDDEN:
            suggestion = f"Do not use {problem.span} for {problem.term.source_term}." + (
                f" Use {problem.wanted[0]}." if problem.wanted else ""
            )
            span = problem.span
        else:
            suggestion, span = f"Use {problem.wanted[0]}.", ""
        issues.append(
            _issue("terminology", "terminology", "major", span, suggestion, problem.message)
        )
    return issues


def terms_in(text: str, glossary: Iterable[GlossaryConstraint]) -> list[GlossaryConstraint]:
    """The glossary constraints whose source term occurs in `text`."""
    return _termbase(glossary, None).terms_in(text)


def _termbase(glossary, pair: LanguagePair | None) -> Termbase:
    if isinstance(glossary, Termbase):
        return glossary
    return Termbase(glossary, pair.source if pair else None, pair.target if pair else None)


# Length


def check_length(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """Target length against source length, within bounds for the language pair. Outside
    the bounds is minor; beyond half the lower bound or double the upper bound is major,
    as something was left out or added."""
    source_chars = len(_collapse(source))
    if source_chars < MIN_CHARS_FOR_RATIO:
        return []
    low, high = length_bounds(pair)
    ratio = len(_collapse(target)) / source_chars
    if low <= ratio <= high:
        return []
    too_short = ratio < low
    severity = "major" if ratio < low / 2 or ratio > high * 2 else "minor"
    return [
        _issue(
            "length",
            "omission" if too_short else "addition",
            severity,
            "",
            "Check that nothing was left out." if too_short else "Check that nothing was added.",
            f"The translation is {ratio:.2f} times the length of the source; "
            f"between {low} and {high} is usual for {pair.source}→{pair.target}.",
        )
    ]


def length_bounds(pair: LanguagePair) -> tuple[float, float]:
    source_cjk, target_cjk = is_cjk(pair.source), is_cjk(pair.target)
    if target_cjk and not source_cjk:
        return LENGTH_BOUNDS["to_cjk"]
    if source_cjk and not target_cjk:
        return LENGTH_BOUNDS["from_cjk"]
    return LENGTH_BOUNDS["generic"]


# Untranslated text and script


def check_untranslated(
    source: str, target: str, pair: LanguagePair, brief: DocumentBrief | None = None
) -> list[SegmentIssue]:
    """The target repeats the source, or keeps part of it in the source's script.
    Citations, references, numbers, case names (HKSAR v Chan Tai Man) and the parties'
    names stay as written and are not counted."""
    # A segment that is only a citation or a number ("[2024] HKCFA 12") stays as it is.
    if _collapse(source) == _collapse(target) and _LETTERS.search(_strip_kept(source, brief)):
        return [
            _issue(
                "untranslated",
                "accuracy",
                "critical",
                target.strip(),
                "Translate the segment.",
                "The translation is the source text, untranslated.",
            )
        ]
    source_cjk, target_cjk = is_cjk(pair.source), is_cjk(pair.target)
    if source_cjk == target_cjk:
        return []
    prose = _strip_kept(target, brief)
    han, latin = len(_HAN.findall(prose)), len(_LATIN.findall(prose))
    if target_cjk:
        mostly = latin >= 12 and latin / (han + latin) > 0.6
        left = next((run for run in _LATIN_WORDS.findall(prose) if _is_prose(run)), "")
    else:
        mostly = han >= 4 and han / (han + latin) > 0.3
        left = next(
            (run for run in _HAN_RUN.findall(prose) if len(_HAN.findall(run)) >= UNTRANSLATED_HAN),
            "",
        )
    if not mostly and not left:
        return []
    explanation = (
        f"Most of the translation is still in the script of the source ({pair.source})."
        if mostly
        else f"Part of the translation is still in the source language: “{left}”."
    )
    return [
        _issue(
            "untranslated",
            "accuracy",
            "major",
            left,
            f"Translate the remaining {pair.source} text.",
            explanation,
        )
    ]


def _is_prose(run: str) -> bool:
    """Words left untranslated rather than a name kept in English: several words, at least
    two of them in lower case and not connectives (the burden and standard of proof, not
    Police and Criminal Evidence Act)."""
    words = run.split()
    if len(words) < UNTRANSLATED_WORDS:
        return False
    lower = [w for w in words if w[0].islower() and w.lower() not in _CONNECTIVES]
    return len(lower) >= 2


def _strip_kept(text: str, brief: DocumentBrief | None) -> str:
    """The text without what stays as written in a translation: case names, citations,
    references, sums, numbers and the parties' and judges' names."""
    return _kept_stripped(text, _cast_of(brief))


@functools.lru_cache(maxsize=256)
def _kept_stripped(text: str, cast: _Cast) -> str:
    masked = _read(text).masked
    for pattern in (CASE_NAME, num.SUM, num.DIGITS, cast.kept_pattern):
        if pattern is not None:
            masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    return masked


def check_script(
    target: str, pair: LanguagePair, brief: DocumentBrief | None = None
) -> list[SegmentIssue]:
    """Simplified characters in a Traditional Chinese target, or the reverse, by OpenCC's
    conversion tables. A character both scripts use counts only where the words around
    it want the other form (于 in 由于, not 后 in 皇后); names in the brief are left alone."""
    script = pair.target_script
    if script not in ("Hant", "Hans"):
        return []
    found = wrong_script_characters(target, script, _cast_of(brief).han_names)
    if not found:
        return []
    wanted, other = (
        ("Traditional", "Simplified") if script == "Hant" else ("Simplified", "Traditional")
    )
    certain = [w for w in found if w.certain]
    shown = list(dict.fromkeys((w.character, w.replacement) for w in certain or found))[:10]
    if certain:
        explanation = (
            f"The translation should be in {wanted} Chinese but has {other} characters: "
            f"{''.join(bad for bad, _ in shown)}. Use their {wanted} forms."
        )
    else:
        explanation = (
            f"{''.join(bad for bad, _ in shown)}: {wanted} Chinese usually writes "
            f"{''.join(good for _, good in shown)} in these words; usage differs by region."
        )
    return [
        _issue(
            "script",
            "fluency",
            "major" if certain else "minor",
            (certain or found)[0].character,
            "Write " + ", ".join(f"{good} for {bad}" for bad, good in shown) + ".",
            explanation,
        )
    ]


def _issue(check, category, severity, span, suggestion, explanation) -> SegmentIssue:
    return SegmentIssue(
        span=span,
        category=category,
        severity=severity,
        suggestion=suggestion,
        explanation=explanation,
        source="check",
        check=check,
    )


def _collapse(text: str) -> str:
    return " ".join(num.nfkc(text).split())
