"""Legal references as judgments write them, in English and Chinese.

- Sections, articles, rules, paragraphs and chapters, with their lists and ranges:
  ss. 4 and 5 ↔ 第4及5條, s. 4(1)(a) and (b) ↔ 第4(1)(a)及(b)條, paras. 45 to 52 ↔
  第45至52段, Cap. 221 ↔ 第221章. Each is read into the set of single references it
  names, so a list can be compared with a list written another way.
- Neutral and report citations and action numbers, copied verbatim in either language:
  [2015] HKCFA 23, (2015) 18 HKCFAR 1, FACV 1/2015.
- Case names, which a Chinese translation may keep in English (HKSAR v Chan Tai Man).
"""

from dataclasses import dataclass

import regex

SECTION, PARAGRAPH, CHAPTER = "section", "paragraph", "chapter"
KIND_NAMES = {SECTION: "section", PARAGRAPH: "paragraph", CHAPTER: "chapter"}
CHINESE_FORMS = {SECTION: "第{}條", PARAGRAPH: "第{}段", CHAPTER: "第{}章"}
ENGLISH_FORMS = {SECTION: "s. {}", PARAGRAPH: "para. {}", CHAPTER: "Cap. {}"}
# A range is expanded into its references up to this many; a longer one keeps its ends.
MAX_RANGE = 200

_REF = r"\d+[A-Za-z]{0,2}(?:\(\w{1,4}\))*"
_CONTINUATION = r"\(\w{1,4}\)(?:\(\w{1,4}\))*"
_EN_JOIN = r"\s*(?:,\s*(?:and|or)?|\band\b|\bor\b|\bto\b|-|–|—)\s*"
_ZH_JOIN = r"\s*(?:、|,|，|及|和|與|或|至|到|-|–|—)\s*(?:第\s*)?"
_EN_WORDS = {
    SECTION: r"ss?\.?|sections?|arts?\.|articles?|rr?\.|rules?",
    PARAGRAPH: r"paras?\.?|paragraphs?",
    CHAPTER: r"Cap\.?|Chapter",
}
EN_REFERENCE = regex.compile(
    r"(?<![A-Za-z'’])(?:"
    + "|".join(f"(?P<{kind}>{words})" for kind, words in _EN_WORDS.items())
    + rf")\s*(?P<list>{_REF}(?:{_EN_JOIN}(?:{_REF}|{_CONTINUATION}))*)(?![\w(])",
    regex.IGNORECASE,
)
ZH_REFERENCE = regex.compile(
    rf"第\s*(?P<list>\[?{_REF}\]?(?:{_ZH_JOIN}(?:\[?{_REF}\]?|{_CONTINUATION}))*)\s*(?P<kind>條|条|段|章)"
)
_ZH_KINDS = {"條": SECTION, "条": SECTION, "段": PARAGRAPH, "章": CHAPTER}
_ITEM = regex.compile(
    rf"(?P<join>{_EN_JOIN}|{_ZH_JOIN})?(?P<item>\[?{_REF}\]?|{_CONTINUATION})", regex.IGNORECASE
)
_RANGE_JOINS = {"to", "-", "–", "—", "至", "到"}
_PARTS = regex.compile(r"^(?P<number>\d+)(?P<letters>[A-Z]{0,2})(?P<parens>(?:\(\w{1,4}\))*)$")
_PAREN = regex.compile(r"\((\w{1,4})\)")
_ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}


@dataclass(frozen=True)
class Reference:
    """A list of references as written, and the single references it names."""

    kind: str
    refs: frozenset[str]
    start: int
    end: int
    written: str


def references_in(text: str) -> list[Reference]:
    """Every section, paragraph and chapter reference, English or Chinese form."""
    found = []
    for match in EN_REFERENCE.finditer(text):
        kind = next(k for k in _EN_WORDS if match[k])
        found.append(
            Reference(kind, _expand(match["list"]), match.start(), match.end(), match.group())
        )
    for match in ZH_REFERENCE.finditer(text):
        kind = _ZH_KINDS[match["kind"]]
        found.append(
            Reference(kind, _expand(match["list"]), match.start(), match.end(), match.group())
        )
    return found


def _expand(listed: str) -> frozenset[str]:
    refs: list[str] = []
    for match in _ITEM.finditer(listed):
        item = "".join(match["item"].strip("[]").split()).upper()
        join = (match["join"] or "").strip().lower().removesuffix("第").strip()
        if item.startswith("("):
            if not refs:
                continue
            item = _continue(refs[-1], item)
        if join in _RANGE_JOINS and refs:
            refs.extend(_between(refs[-1], item))
        refs.append(item)
    return frozenset(refs)


def _continue(previous: str, continuation: str) -> str:
    """4(1)(a) and (b) → 4(1)(b); 4(1)(a) and (3) → 4(3): the continuation takes the
    place of the level it is written at (number, letter, roman numeral)."""
    parts = _PARTS.match(previous)
    if not parts:
        return continuation
    levels = _PAREN.findall(parts["parens"])
    first = _PAREN.match(continuation)[1]
    level = _level(first, levels)
    kept = [part for part in levels if _level(part, levels) < level]
    return parts["number"] + parts["letters"] + "".join(f"({p})" for p in kept) + continuation


def _level(part: str, context: list[str]) -> int:
    if part.isdigit():
        return 1
    has_letter = any(p.isalpha() and p not in _ROMAN for p in context)
    return 3 if part in _ROMAN and has_letter else 2


def _between(first: str, last: str) -> list[str]:
    """The references strictly between the ends of a range: 45 to 52, 65C to 65G."""
    a, b = _PARTS.match(first), _PARTS.match(last)
    if not a or not b or a["parens"] or b["parens"]:
        return []
    if not a["letters"] and not b["letters"]:
        low, high = int(a["number"]), int(b["number"])
        if 0 < high - low <= MAX_RANGE:
            return [str(n) for n in range(low + 1, high)]
        return []
    if a["number"] == b["number"] and len(a["letters"]) == len(b["letters"]) == 1:
        low, high = ord(a["letters"]), ord(b["letters"])
        return [a["number"] + chr(c) for c in range(low + 1, high)]
    return []


def written_form(kind: str, ref: str, chinese: bool) -> str:
    return (CHINESE_FORMS if chinese else ENGLISH_FORMS)[kind].format(ref)


# Citations and case names

CITATION = regex.compile(
    r"[\[(]\d{4}[\])]\s+(?:\d+\s+)?[A-Z][A-Za-z]*(?:\s+(?:[A-Z][A-Za-z]*|\(\w+\)))?\s+\d+"
    r"|(?<![A-Za-z])[A-Z]{3,5}\s?\d{1,5}/\d{4}(?!\d)"
)
_NAME_WORD = r"(?:[A-Z][\w'’&.\-]*|\((?:No\.?\s*\d+|[A-Z][\w ]*)\))"
_CONNECTIVE = r"(?:of|for|and|the|de|la|du|van|von|&)"
_PARTY = rf"{_NAME_WORD}(?:\s+(?:{_CONNECTIVE}\s+)*{_NAME_WORD})*"
CASE_NAME = regex.compile(rf"{_PARTY}\s+v\.?\s+{_PARTY}|\b(?:Re|In\s+re|Ex\s+parte)\s+{_PARTY}")
