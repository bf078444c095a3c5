"""Deterministic quality checks, run on every drafted segment beside the Annotator.

Tokens in double brackets (formatting, withheld personal data), numbers, dates, sums,
case citations, ordinance references, glossary terms, length and script are checked by
rule, never left to the model alone. Each check returns issues in
the Annotator's shape (`SegmentIssue` with source "check"). Comparisons use NFKC, so
full-width digits and brackets in Chinese text count as their ASCII forms.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import regex

from agents.context import GlossaryConstraint, LanguagePair, SegmentIssue

CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})

# Target characters per source character. Headings and other short segments vary too
# much to judge, so segments shorter than MIN_CHARS_FOR_RATIO are not measured.
LENGTH_BOUNDS = {
    "to_cjk": (0.15, 0.8),
    "from_cjk": (1.2, 6.0),
    "generic": (0.5, 2.0),
}
MIN_CHARS_FOR_RATIO = 20

# Common characters that exist only in Simplified Chinese, each with its Traditional
# form. Characters valid in both scripts (后, 里, 干, 台, 准, 于, 范, 着...) are left out.
_SIMPLIFIED_TO_TRADITIONAL = dict(
    zip(
        "们这国时会说对过还从发觉现问经两学关应头实点务员为来个见长门东车业当书开无没让听"
        "进运动电话语认识请谁读写买卖钱银货费贵资产权条约纪级线组织结给统继续维总决况减则"
        "刚创别劳势区医华单卫历厅县参变号吗园围图团坏处备够妇孙宝审宪导层岁师帮广庄庆废"
        "张弹归录彻忆态怀恶执扩扫护报担拥择换据击损摄敌数断显术杀杂极构枪标样桥检档梦欢"
        "殴毕气汉沟泪洁测济渐温湾灭灯灵爱牵犹狱环疗盖监矿码础确离种称积竞笔签简类纸绝网"
        "罚职联胜脑临举与兴节药获营补规视览观计订议记讲许论设证评诉词试诚询该详误谈调谋"
        "谢贝负责败账质购贷赔赛践轻较辑输辩边达迁迟选递逻遗邻释针钟铁链销锁错镇间闻阅队"
        "阶际陆陈险随隐难顺须顾预领题风飞饭马驾验鱼鸟龙齐龄讼诺诈骗窃伪赃贿赂伤亲养抚赡"
        "债违贸项厂仓乡侦侨储优亚价众传伦体军农刘劝协压严丧乐习乱争亿仅仪伟佣侧俭倾偿儿"
        "党兽册冻净凉凤凭删剂剑剧办励劲卢却厌厦双叙叠吓吕吨启吴响哑",
        "們這國時會說對過還從發覺現問經兩學關應頭實點務員為來個見長門東車業當書開無沒讓聽"
        "進運動電話語認識請誰讀寫買賣錢銀貨費貴資產權條約紀級線組織結給統繼續維總決況減則"
        "剛創別勞勢區醫華單衛歷廳縣參變號嗎園圍圖團壞處備夠婦孫寶審憲導層歲師幫廣莊慶廢"
        "張彈歸錄徹憶態懷惡執擴掃護報擔擁擇換據擊損攝敵數斷顯術殺雜極構槍標樣橋檢檔夢歡"
        "毆畢氣漢溝淚潔測濟漸溫灣滅燈靈愛牽猶獄環療蓋監礦碼礎確離種稱積競筆簽簡類紙絕網"
        "罰職聯勝腦臨舉與興節藥獲營補規視覽觀計訂議記講許論設證評訴詞試誠詢該詳誤談調謀"
        "謝貝負責敗賬質購貸賠賽踐輕較輯輸辯邊達遷遲選遞邏遺鄰釋針鐘鐵鏈銷鎖錯鎮間聞閱隊"
        "階際陸陳險隨隱難順須顧預領題風飛飯馬駕驗魚鳥龍齊齡訟諾詐騙竊偽贓賄賂傷親養撫贍"
        "債違貿項廠倉鄉偵僑儲優亞價眾傳倫體軍農劉勸協壓嚴喪樂習亂爭億僅儀偉傭側儉傾償兒"
        "黨獸冊凍淨涼鳳憑刪劑劍劇辦勵勁盧卻厭廈雙敘疊嚇呂噸啟吳響啞",
        strict=True,
    )
)
_TRADITIONAL_TO_SIMPLIFIED = {t: s for s, t in _SIMPLIFIED_TO_TRADITIONAL.items()}

_MONTHS = {
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
_MONTH_NAMES = [
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
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ENGLISH_NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        [
            ("zero",),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
        ]
    )
    for word in words
}
_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_MYRIADS = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_CHINESE_NUMERAL = r"[零〇一二兩两三四五六七八九十百千]"

_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = regex.compile(
    rf"(?<!\d)(?<!\d[.,])(?P<number>{_ARABIC})(?:\s*(?P<scale>million|billion)\b|\s*(?P<myriad>[萬万億亿]))?",
    regex.IGNORECASE,
)
_CHINESE_NUMBER = regex.compile(rf"{_CHINESE_NUMERAL}+[萬万億亿{_CHINESE_NUMERAL[1:-1]}]*")
_WORD = regex.compile(r"[A-Za-z]+")

_CJK_DATE = regex.compile(
    rf"(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*(?P<month>\d{{1,2}}|{_CHINESE_NUMERAL}{{1,3}})\s*月"
    rf"(?:\s*(?P<day>\d{{1,2}}|{_CHINESE_NUMERAL}{{1,3}})\s*[日號号])?"
)
_DAY_MONTH_YEAR = regex.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\s*,?\s+(?P<year>\d{{4}})\b",
    regex.IGNORECASE,
)
_MONTH_DAY_YEAR = regex.compile(
    rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,\s*(?P<year>\d{{4}})\b",
    regex.IGNORECASE,
)
_MONTH_YEAR = regex.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b", regex.IGNORECASE)
_ISO_DATE = regex.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
# Longest forms first: a date matched once is blanked before the next pattern looks.
_DATE_PATTERNS = (_CJK_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO_DATE, _MONTH_YEAR)

_CURRENCY_CODES = {
    "hk$": "HKD",
    "hkd": "HKD",
    "$": "HKD",
    "港幣": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "us$": "USD",
    "usd": "USD",
    "美元": "USD",
    "rmb": "CNY",
    "人民幣": "CNY",
    "人民币": "CNY",
    "元人民幣": "CNY",
    "£": "GBP",
    "gbp": "GBP",
    "英鎊": "GBP",
    "英镑": "GBP",
    "€": "EUR",
    "eur": "EUR",
    "歐元": "EUR",
    "欧元": "EUR",
}
_CURRENCY_BEFORE = regex.compile(
    r"(?P<currency>HK\$|US\$|HKD|USD|RMB|GBP|EUR|港幣|港币|港元|美元|人民幣|人民币|英鎊|英镑|歐元|欧元|£|€|\$)"
    rf"\s*(?P<amount>(?:{_ARABIC})(?:\s*(?:million|billion)\b|\s*[萬万億亿])?)",
    regex.IGNORECASE,
)
_CURRENCY_AFTER = regex.compile(
    rf"(?P<amount>(?:{_ARABIC})(?:\s*[萬万億亿])?)\s*(?P<currency>元人民幣|港元|美元|英鎊|英镑|歐元|欧元)"
)

_CITATION = regex.compile(
    r"[\[(]\d{4}[\])]\s+(?:\d+\s+)?[A-Z][A-Za-z]*(?:\s+(?:[A-Z][A-Za-z]*|\(\w+\)))?\s+\d+"
    r"|(?<![A-Za-z])[A-Z]{3,5}\s?\d{1,5}/\d{4}(?!\d)"
)
_CHAPTER_EN = regex.compile(
    r"(?<![A-Za-z])(?:Cap\.?|Chapter)\s*(?P<ref>\d+[A-Z]{0,2})(?![\dA-Za-z])", regex.IGNORECASE
)
_CHAPTER_ZH = regex.compile(r"第\s*(?P<ref>\d+[A-Z]{0,2})\s*章")
_SECTION_REF = r"(?P<ref>\d+[A-Z]{0,2}(?:\(\w{1,4}\))*)"
_SECTION_EN = regex.compile(
    rf"(?<![A-Za-z'’])(?:ss?\.?|sections?)\s*{_SECTION_REF}", regex.IGNORECASE
)
_SECTION_ZH = regex.compile(rf"第\s*{_SECTION_REF}\s*條")

_HAN = regex.compile(r"\p{Han}")
_TOKEN = regex.compile(r"\u27e6/?P?\d{1,5}\u27e7")
_LATIN = regex.compile(r"\p{Latin}")


def run_checks(
    source: str,
    target: str,
    pair: LanguagePair,
    glossary: Iterable[GlossaryConstraint] = (),
) -> list[SegmentIssue]:
    """Every check on one segment, in a stable order."""
    if not target.strip():
        return [
            _issue(
                "omission",
                "critical",
                "",
                "Translate the segment.",
                "The translation is empty.",
            )
        ]
    tokens = check_tokens(source, target)
    # A token's digits ("⟦P12⟧") are not numbers of the text: one lost token, one issue.
    source, target = _TOKEN.sub(" ", source), _TOKEN.sub(" ", target)
    return [
        *tokens,
        *check_untranslated(source, target, pair),
        *check_script(target, pair),
        *check_numbers(source, target),
        *check_dates(source, target, pair),
        *check_sums(source, target),
        *check_citations(source, target),
        *check_legal_references(source, target, pair),
        *check_glossary(source, target, glossary),
        *check_length(source, target, pair),
    ]


def check_tokens(source: str, target: str) -> list[SegmentIssue]:
    """Tokens in double brackets must come through unchanged, as often as in the source:
    formatting (⟦1⟧, ⟦2⟧…⟦/2⟧) and personal data the workbench withheld (⟦P1⟧), which
    only the token brings back into the translation."""
    wanted, found = Counter(_TOKEN.findall(source)), Counter(_TOKEN.findall(target))
    issues = [
        _issue(
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


def check_numbers(source: str, target: str) -> list[SegmentIssue]:
    """Each number written in digits in the source must appear in the target, in digits,
    in Chinese numerals, as a number word or as a month name. Numbers inside dates,
    citations and references are left to their own checks, so one slip is one issue."""
    required = _digit_numbers(_without_references(source))
    available = _all_numbers(target)
    issues = [
        _issue(
            "number_date",
            "major",
            "",
            f"Include {written}.",
            f"The source has the number {written}, which is not in the translation.",
        )
        for value, written in required.items()
        if value not in available
    ]
    in_source = set(required) | _all_numbers(source)
    issues += [
        _issue(
            "number_date",
            "minor",
            written,
            f"Check {written} against the source.",
            f"The translation has the number {written}, which is not in the source.",
        )
        for value, written in _digit_numbers(_without_references(target)).items()
        if value not in in_source
    ]
    return issues


def check_dates(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """A date in the source must be in the target, in either language's form
    (3 March 2021 ↔ 2021年3月3日)."""
    in_target = set(_dates(target))
    issues = []
    for date, written in _dates(source).items():
        if date in in_target:
            continue
        expected = _format_date(date, pair.target)
        issues.append(
            _issue(
                "number_date",
                "major",
                "",
                f"Write the date as {expected}.",
                f"The source has the date {written}, which is not in the translation.",
            )
        )
    return issues


def check_sums(source: str, target: str) -> list[SegmentIssue]:
    """A sum of money keeps its currency (HK$1,250,000 ↔ 港幣1,250,000元). A sum whose
    amount is missing altogether is left to check_numbers."""
    in_target = _sums(target)
    target_numbers = _all_numbers(target)
    issues = []
    for (currency, amount), written in _sums(source).items():
        if (currency, amount) in in_target or amount not in target_numbers:
            continue
        issues.append(
            _issue(
                "number_date",
                "major",
                "",
                f"Give the amount in {currency} as in the source.",
                f"The source has {written}; the translation has the amount without that currency.",
            )
        )
    return issues


def check_citations(source: str, target: str) -> list[SegmentIssue]:
    """Neutral and report citations and action numbers are copied verbatim:
    [2015] HKCFA 23, (2015) 18 HKCFAR 1, FACV 1/2015."""
    target_text = _collapse(target)
    return [
        _issue(
            "citation",
            "major",
            "",
            f"Copy the citation {citation} exactly.",
            f"The citation {citation} is not in the translation as written in the source.",
        )
        for citation in dict.fromkeys(
            _collapse(m.group()) for m in _CITATION.finditer(_nfkc(source))
        )
        if citation not in target_text
    ]


def check_legal_references(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """Chapters and sections keep their numbers: Cap. 221 ↔ 第221章 and
    s. 65C(2)(b) ↔ 第65C(2)(b)條; copying the source form is accepted too."""
    source_text, target_text = _nfkc(source), _nfkc(target)
    chinese_target = _primary(pair.target) == "zh"
    issues = []
    for kind, patterns, chinese_form, english_form in [
        ("chapter", (_CHAPTER_EN, _CHAPTER_ZH), "第{}章", "Cap. {}"),
        ("section", (_SECTION_EN, _SECTION_ZH), "第{}條", "s. {}"),
    ]:
        in_target = {_squeeze(m["ref"]) for p in patterns for m in p.finditer(target_text)}
        wanted = {_squeeze(m["ref"]): m.group() for p in patterns for m in p.finditer(source_text)}
        for ref, written in wanted.items():
            if ref in in_target:
                continue
            expected = (chinese_form if chinese_target else english_form).format(ref)
            issues.append(
                _issue(
                    "citation",
                    "major",
                    "",
                    f"Write {expected}.",
                    f"The source refers to {kind} {written.strip()}, which the translation does not.",
                )
            )
    return issues


def check_glossary(
    source: str, target: str, glossary: Iterable[GlossaryConstraint]
) -> list[SegmentIssue]:
    """Where a glossary source term occurs, a preferred or admitted rendering must be used
    and a forbidden one must not."""
    allowed: dict[str, list[GlossaryConstraint]] = {}
    issues = []
    for term in terms_in(source, glossary):
        if term.status == "forbidden":
            found = _find(term.target_term, target)
            if found:
                issues.append(
                    _issue(
                        "terminology",
                        "major",
                        found,
                        f"Do not use {term.target_term} for {term.source_term}.",
                        f"The glossary forbids {term.target_term} as a rendering of {term.source_term}.",
                    )
                )
        else:
            allowed.setdefault(term.source_term, []).append(term)
    for source_term, terms in allowed.items():
        if any(_find(term.target_term, target) for term in terms):
            continue
        preferred = next((t for t in terms if t.status == "preferred"), terms[0])
        issues.append(
            _issue(
                "terminology",
                "major",
                "",
                f"Use {preferred.target_term}.",
                f"The glossary renders {source_term} as {preferred.target_term}, which the translation does not use.",
            )
        )
    return issues


def terms_in(text: str, glossary: Iterable[GlossaryConstraint]) -> list[GlossaryConstraint]:
    """The glossary constraints whose source term occurs in `text`."""
    return [term for term in glossary if _find(term.source_term, text)]


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
            "omission" if too_short else "addition",
            severity,
            "",
            "Check that nothing was left out." if too_short else "Check that nothing was added.",
            f"The translation is {ratio:.2f} times the length of the source; "
            f"between {low} and {high} is usual for {pair.source}→{pair.target}.",
        )
    ]


def length_bounds(pair: LanguagePair) -> tuple[float, float]:
    source_cjk = _primary(pair.source) in CJK_LANGUAGES
    target_cjk = _primary(pair.target) in CJK_LANGUAGES
    if target_cjk and not source_cjk:
        return LENGTH_BOUNDS["to_cjk"]
    if source_cjk and not target_cjk:
        return LENGTH_BOUNDS["from_cjk"]
    return LENGTH_BOUNDS["generic"]


def check_untranslated(source: str, target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """The target repeats the source, or is written mostly in the source's script.
    Citations, references and numbers are left out of the count: they stay as written."""
    # A segment that is only a citation or a number ("[2024] HKCFA 12") stays as it is.
    words_to_translate = regex.search(r"\p{L}{2}", _strip_references(source))
    if _collapse(source) == _collapse(target) and words_to_translate:
        return [
            _issue(
                "accuracy",
                "critical",
                target.strip(),
                "Translate the segment.",
                "The translation is the source text, untranslated.",
            )
        ]
    source_cjk = _primary(pair.source) in CJK_LANGUAGES
    target_cjk = _primary(pair.target) in CJK_LANGUAGES
    if source_cjk == target_cjk:
        return []
    prose = _strip_references(target)
    han, latin = len(_HAN.findall(prose)), len(_LATIN.findall(prose))
    if target_cjk:
        untranslated = latin >= 12 and latin / (han + latin) > 0.6
    else:
        untranslated = han >= 4 and han / (han + latin) > 0.3
    if not untranslated:
        return []
    return [
        _issue(
            "accuracy",
            "major",
            "",
            f"Translate the remaining {pair.source} text.",
            f"Most of the translation is still in the script of the source ({pair.source}).",
        )
    ]


def check_script(target: str, pair: LanguagePair) -> list[SegmentIssue]:
    """Simplified characters in a Traditional Chinese target, or the reverse."""
    script = pair.target_script
    if script == "Hant":
        wrong, wanted, other = _SIMPLIFIED_TO_TRADITIONAL, "Traditional", "Simplified"
    elif script == "Hans":
        wrong, wanted, other = _TRADITIONAL_TO_SIMPLIFIED, "Simplified", "Traditional"
    else:
        return []
    found = list(dict.fromkeys(ch for ch in target if ch in wrong))
    if not found:
        return []
    shown = found[:10]
    return [
        _issue(
            "fluency",
            "major",
            found[0],
            "Write " + ", ".join(f"{wrong[ch]} for {ch}" for ch in shown) + ".",
            f"The translation should be in {wanted} Chinese but has {other} characters: "
            f"{''.join(shown)}. Use their {wanted} forms.",
        )
    ]


def _issue(category, severity, span, suggestion, explanation) -> SegmentIssue:
    return SegmentIssue(
        span=span,
        category=category,
        severity=severity,
        suggestion=suggestion,
        explanation=explanation,
        source="check",
    )


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _collapse(text: str) -> str:
    return " ".join(_nfkc(text).split())


def _squeeze(text: str) -> str:
    return "".join(text.split()).upper()


def _decimal(written: str) -> str | None:
    try:
        value = Decimal(written.replace(",", ""))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


def _scaled(written: str, factor: int) -> str | None:
    value = _decimal(written)
    return None if value is None else format((Decimal(value) * factor).normalize(), "f")


def _digit_numbers(text: str) -> dict[str, str]:
    """Numbers written in digits, by value: "1,250,000", "1.25 million" and "125萬" are
    all 1250000."""
    numbers: dict[str, str] = {}
    for match in _NUMBER.finditer(_nfkc(text)):
        written = match["number"]
        if match["scale"]:
            factor = 1_000_000 if match["scale"].lower() == "million" else 1_000_000_000
        elif match["myriad"]:
            factor = _CHINESE_MYRIADS[match["myriad"]]
        else:
            factor = 1
        value = _scaled(written, factor)
        if value is not None:
            numbers.setdefault(value, match.group().strip())
    return numbers


def _all_numbers(text: str) -> set[str]:
    """Every value the text expresses: digits (with and without their scale), Chinese
    numerals, English number words and month names."""
    normalised = _nfkc(text)
    values = set(_digit_numbers(normalised))
    values |= {v for m in _NUMBER.finditer(normalised) if (v := _decimal(m["number"]))}
    values |= {str(_chinese_int(m.group())) for m in _CHINESE_NUMBER.finditer(normalised)}
    for word in _WORD.findall(normalised):
        lowered = word.lower()
        if lowered in _ENGLISH_NUMBER_WORDS:
            values.add(str(_ENGLISH_NUMBER_WORDS[lowered]))
        if lowered in _MONTHS and len(lowered) > 3:
            values.add(str(_MONTHS[lowered]))
    return values


def _chinese_int(numeral: str) -> int:
    """一百二十五萬 → 1250000; digit by digit when there are no units (二〇二一 → 2021)."""
    if not any(ch in _CHINESE_UNITS or ch in _CHINESE_MYRIADS for ch in numeral):
        return int("".join(str(_CHINESE_DIGITS[ch]) for ch in numeral))
    total = section = digit = 0
    for ch in numeral:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            section += (digit or 1) * _CHINESE_UNITS[ch]
            digit = 0
        else:
            total += (section + digit) * _CHINESE_MYRIADS[ch]
            section = digit = 0
    return total + section + digit


def _number_part(written: str) -> int:
    written = written.strip()
    return int(written) if written.isdigit() else _chinese_int(written)


def _dates(text: str) -> dict[tuple[int, int, int | None], str]:
    """Dates by (year, month, day or None) → as written."""
    remaining = _nfkc(text)
    dates: dict[tuple[int, int, int | None], str] = {}
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(remaining):
            month = match["month"].rstrip(".").lower()
            month_number = _MONTHS[month] if month in _MONTHS else _number_part(month)
            day = match.groupdict().get("day")
            key = (_number_part(match["year"]), month_number, _number_part(day) if day else None)
            dates.setdefault(key, match.group())
        remaining = pattern.sub(lambda m: " " * len(m.group()), remaining)
    return dates


def _format_date(date: tuple[int, int, int | None], language: str) -> str:
    year, month, day = date
    if _primary(language) in CJK_LANGUAGES:
        return f"{year}年{month}月" + (f"{day}日" if day else "")
    return (f"{day} " if day else "") + f"{_MONTH_NAMES[month - 1]} {year}"


def _sums(text: str) -> dict[tuple[str, str], str]:
    sums: dict[tuple[str, str], str] = {}
    normalised = _nfkc(text)
    for pattern in (_CURRENCY_BEFORE, _CURRENCY_AFTER):
        for match in pattern.finditer(normalised):
            currency = _CURRENCY_CODES[match["currency"].lower()]
            amounts = _digit_numbers(match["amount"])
            for amount in amounts:
                sums.setdefault((currency, amount), match.group())
    return sums


def _without_references(text: str) -> str:
    text = _nfkc(text)
    for pattern in (_CITATION, _CHAPTER_EN, _CHAPTER_ZH, _SECTION_EN, _SECTION_ZH, *_DATE_PATTERNS):
        text = pattern.sub(" ", text)
    return text


def _strip_references(text: str) -> str:
    text = _nfkc(text)
    for pattern in (_CITATION, _CHAPTER_EN, _SECTION_EN, _CURRENCY_BEFORE, _NUMBER):
        text = pattern.sub(" ", text)
    return text


def _find(term: str, text: str) -> str:
    """The text's own spelling of `term` (case-insensitive, whole words for Latin
    terms), or ""."""
    if not term.strip():
        return ""
    escaped = regex.escape(term)
    pattern = rf"(?<!\w){escaped}(?!\w)" if regex.search(r"\p{Latin}", term) else escaped
    match = regex.search(pattern, text, regex.IGNORECASE)
    return match.group() if match else ""
