"""Risk routing: how much a machine-drafted segment needs a person, low, medium or high,
with the reasons, so that review goes where errors are likely and a project may let
low-risk segments skip it.

The signals, each giving a level and a reason a reviewer reads:

- the deterministic checks' findings still open in the final text (`agents.checks`):
  a major or critical one is high, a minor one medium;
- the Annotator's severities: an issue still open in the final text counts as a
  finding; one raised on the draft and revised by the Proofreader still makes the
  segment medium (the model was unsure there);
- agreement between the Translator's draft and the Proofreader's revision
  (`rapidfuzz` similarity): a heavy rewrite is medium;
- the translation memory: a long segment with no close match is medium;
- how many numbers, dates, sums, citations and references it must carry over;
- the segment's function (FUNCTION_CUES): an order, a holding, the disposition or a
  quoted statute is never low.

A critical finding always makes the segment high, so a planted critical error can never
end low. Free of Django: `workbench.drafting.persist` calls `assess` for each result.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex
from rapidfuzz import fuzz

from agents.checks import items_to_carry
from agents.context import SegmentIssue

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVELS = (LOW, MEDIUM, HIGH)
RANK = {LOW: 0, MEDIUM: 1, HIGH: 2}

# The segment's function, recognised by cues in the source (English and Chinese). One
# place for them: the risk, the editor's reasons and the tests read these.
FUNCTION_CUES = {
    "an order": regex.compile(
        r"^\s*(?:ORDERS?|ORDER NISI)\b|\bit is (?:hereby |further )?ordered\b|\bordered to\b"
        r"|\b(?:we|I) (?:therefore |accordingly |would )?(?:order|make (?:an|the following) orders?)\b"
        r"|\border(?:ed|s)? (?:nisi )?that\b|\border as to costs\b|\bcosts? (?:order|nisi)\b"
        r"|\b(?:community service|hospital|restraining|compensation|forfeiture|confiscation"
        r"|detention|probation|supervision|mandamus|certiorari) order\b"
        r"|命令|頒令",
        regex.IGNORECASE,
    ),
    "the disposition": regex.compile(
        r"\b(?:appeal|application|petition|summons|action|claim|review|charge|conviction"
        r"|sentence|judgment|verdict|order)s?\b[^.;:]{0,80}?\b(?:is|are|be|was|were)\s+"
        r"(?:(?:accordingly|therefore|hereby|also|partly)\s+)?(?:dismissed|allowed|granted"
        r"|refused|struck out|quashed|set aside|affirmed|upheld|substituted|varied|remitted)\b"
        r"|\b(?:would|will|do|shall|must)\s+(?:therefore\s+|accordingly\s+|also\s+)?"
        r"(?:dismiss|allow|quash|set aside|grant|refuse|affirm|uphold)\b"
        r"|\b(?:appeal|application)s? (?:dismissed|allowed)\b"
        r"|\b(?:dismissed|allowed|granted|refused) the (?:appeal|application|claim)\b"
        r"|\bleave (?:to appeal )?"
        r"(?:is |be )?(?:granted|refused)|\b(?:not )?guilty\b"
        r"|駁回|得直|撤銷(?:定罪|判刑|原判|命令)|罪名(?:不)?成立|維持原判|批予許可|拒絕(?:批予)?許可",
        regex.IGNORECASE,
    ),
    "a holding": regex.compile(
        r"\b(?:we|I) (?:would |therefore |accordingly |also )?(?:hold|conclude|find)\b"
        r"|\bit is held\b|\bheld,? that\b|\bthe answer to the question\b"
        r"|裁定|本院認為|本席認為|本庭認為",
        regex.IGNORECASE,
    ),
    "a quoted statute": regex.compile(
        r"\b(?:section|s\.|article|art\.|rule|regulation|paragraph)\s*\d+[A-Z]*(?:\(\w+\))*"
        r"(?:\s+of\s+the\s+[\w ()\.]+?)?\s+(?:provides|states|reads|stipulates)\b"
        r"|\bprovides (?:as follows|that)\b|\breads as follows\b|\bOrder \d+,? rules? \d+"
        r"|第\d+[A-Z]*(?:\(\w+\))*[條条](?:訂明|規定|述明|的條文如下)|條文",
        regex.IGNORECASE,
    ),
}

# A segment this long (in words, or Chinese characters / 2) with no close TM match is
# where a draft most often goes wrong.
LONG_WORDS = 40
CLOSE_TM = 75
# A TM match below this, taken as the text, differs from its source somewhere.
EXACT_TM = 100
# Draft and revision less alike than this (0-100): the Proofreader rewrote the draft.
REWRITE_BELOW = 70
# Numbers, dates, sums, citations and references to carry over: this many or more is
# dense legal text.
DENSE_ITEMS = 4
_WORD = regex.compile(r"\p{Han}|[\p{L}\p{N}]+")


@dataclass
class Risk:
    level: str = LOW
    reasons: list[dict] = field(default_factory=list)  # {"level", "reason"}, high first

    def add(self, level, reason):
        self.reasons.append({"level": level, "reason": reason})
        if RANK[level] > RANK[self.level]:
            self.level = level

    def as_stored(self):
        reasons = sorted(self.reasons, key=lambda r: -RANK[r["level"]])
        return self.level, reasons


def functions_of(source: str) -> list[str]:
    """What the segment does that a court relies on: an order, the disposition, a
    holding, a quoted statute."""
    return [name for name, cue in FUNCTION_CUES.items() if cue.search(source)]


def assess(
    source: str,
    final: str,
    *,
    issues: Iterable[SegmentIssue] = (),
    draft_issues: Iterable[SegmentIssue] = (),
    draft: str = "",
    revision: str = "",
    tm_percent: int | None = None,
    tm_match: int | None = None,
) -> Risk:
    """The risk of `final` as the translation of `source`. `issues` are the findings
    still open in it (checks and Annotator); `draft_issues` what the Annotator raised
    on the Translator's draft; `draft` and `revision` the two texts when the Proofreader
    revised; `tm_percent` the best TM match offered to the Translator, or `tm_match`
    the percentage of the TM match that is the text itself."""
    risk = Risk()
    if tm_match is not None and tm_match < EXACT_TM:
        risk.add(MEDIUM, f"A fuzzy translation-memory match ({tm_match}%) is the text.")
    tm_percent = tm_match if tm_match is not None else tm_percent
    for issue in issues:
        who = "Check" if issue.source == "check" else "Annotator"
        level = HIGH if issue.severity in ("major", "critical") else MEDIUM
        risk.add(level, f"{who}: {issue.severity} {issue.category}: {issue.explanation}")
    revised = [i for i in draft_issues if i.source != "check" and i.severity != "minor"]
    if revised:
        worst = "critical" if any(i.severity == "critical" for i in revised) else "major"
        risk.add(
            MEDIUM,
            f"The Annotator found {len(revised)} {worst} issue{'s' if len(revised) > 1 else ''} "
            "in the draft; the Proofreader revised it.",
        )
    if draft and revision and draft != revision:
        alike = fuzz.ratio(draft, revision)
        if alike < REWRITE_BELOW:
            risk.add(MEDIUM, f"The Proofreader rewrote the draft ({alike:.0f}% alike).")
    words = _length(source)
    if words >= LONG_WORDS and (tm_percent or 0) < CLOSE_TM:
        risk.add(
            MEDIUM,
            f"A long segment ({words} words) with no close translation-memory match"
            + (f" (best {tm_percent}%)." if tm_percent else "."),
        )
    items = items_to_carry(source)
    if items >= DENSE_ITEMS:
        risk.add(MEDIUM, f"{items} numbers, dates, sums, citations or references to carry over.")
    for function in functions_of(source):
        risk.add(MEDIUM, f"The segment is {function}: never low risk.")
    if not risk.reasons:
        support = f"; a {tm_percent}% TM match" if tm_percent and tm_percent >= CLOSE_TM else ""
        if tm_match is not None:
            support = f"; an exact ({tm_match}%) TM match"
        risk.reasons.append(
            {
                "level": LOW,
                "reason": "No open findings, draft and revision agree, and nothing of legal "
                f"effect to carry over{support}.",
            }
        )
    return risk


def _length(source: str) -> int:
    han = sum(1 for w in _WORD.findall(source) if len(w) == 1 and regex.match(r"\p{Han}", w))
    return len(_WORD.findall(source)) - han + (han + 1) // 2
