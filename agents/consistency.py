"""Consistency across a document: the same thing translated the same way throughout, as
Xbench and memoQ's QA check it.

A finding is a segment that renders an item differently from the rest of the document:

- a glossary term (and the brief's key terms) with more than one allowed translation,
  where most segments use one and this one another (the glossary's own check already
  flags a term missing or forbidden, so these are the variants it allows);
- a court or judicial title of Hong Kong (COURTS_AND_TITLES: 上訴法庭 and 上訴庭);
- a party role of the brief (the respondent: 答辯人 in most paragraphs, 被上訴人 here);
- identical source segments with different translations.

The document's usual rendering is the one most of its segments use (ties: the glossary's
preferred term, then the earliest segment); segments that use it beside another are not
flagged. Terms are found by the one glossary matcher (`agents.glossary`) and party roles
by the checks' own table (`agents.checks.ROLE_RENDERINGS`).
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from agents.checks import ROLE_RENDERINGS
from agents.context import GlossaryConstraint, LanguagePair
from agents.glossary import FORBIDDEN, PREFERRED, Termbase, fold
from agents.languages import is_cjk, primary_language
from agents.schemas import DocumentBrief

CATEGORY = "consistency"
SEVERITY = "minor"
QUOTED_CHARS = 80
_SPACES = regex.compile(r"\s+")

# Hong Kong courts and judicial titles with the renderings met in judgments, the usual one
# first: a document should keep to one (上訴法庭 or 上訴庭, not both).
COURTS_AND_TITLES = [
    GlossaryConstraint(source, target, "preferred" if n == 0 else "admitted")
    for source, targets in (
        ("Court of Final Appeal", ("終審法院", "終院")),
        ("Court of Appeal", ("上訴法庭", "上訴庭")),
        ("Court of First Instance", ("原訟法庭", "原訟庭")),
        ("High Court", ("高等法院", "高院")),
        ("District Court", ("區域法院", "地方法院")),
        ("Magistrates' Court", ("裁判法院", "裁判署")),
        ("Lands Tribunal", ("土地審裁處",)),
        ("Chief Justice", ("首席法官", "終審法院首席法官")),
        ("Permanent Judge", ("常任法官",)),
        ("Non-Permanent Judge", ("非常任法官",)),
        ("Justice of Appeal", ("上訴法庭法官", "上訴庭法官")),
        ("Vice-President", ("副庭長",)),
        ("Deputy High Court Judge", ("高等法院暫委法官", "暫委法官")),
        ("Deputy District Judge", ("區域法院暫委法官", "暫委區域法院法官")),
        ("Recorder", ("特委法官",)),
        ("Magistrate", ("裁判官",)),
    )
    for n, target in enumerate(targets)
]


@dataclass(frozen=True)
class SegmentText:
    id: object
    position: int
    source: str
    target: str


@dataclass(frozen=True)
class Inconsistency:
    """Segment `position` renders `item` as `used`; the document mostly uses `usual`, in
    the segments at `elsewhere`."""

    segment_id: object
    position: int
    kind: str  # "term", "role" or "segment"
    item: str
    used: str
    usual: str
    elsewhere: tuple[int, ...]

    category = CATEGORY
    severity = SEVERITY

    @property
    def message(self):
        """Stable while the finding stands, so a stored issue keeps its decision."""
        if self.kind == "segment":
            return (
                "The same source text is translated differently elsewhere in this document: "
                f"“{_quoted(self.usual)}”. Translate it the same way, or check which is right."
            )
        what = "party role" if self.kind == "role" else "term"
        return (
            f"The {what} “{self.item}” is translated “{self.used}” here but “{self.usual}” "
            "elsewhere in this document; keep one translation throughout."
        )

    @property
    def span(self):
        return "" if self.kind == "segment" else self.used

    @property
    def suggestion(self):
        return f"Use “{_quoted(self.usual)}”."


@dataclass
class _Use:
    """The renderings of one item in one segment: folded form -> text as written."""

    segment: SegmentText
    renderings: dict


def find_inconsistencies(
    segments: Iterable[SegmentText],
    pair: LanguagePair,
    glossary: Termbase | Iterable[GlossaryConstraint] = (),
    brief: DocumentBrief | None = None,
) -> list[Inconsistency]:
    """The deviating segments of a document, in segment order. Each segment's renderings
    are remembered by its texts, so checking a document again after one segment changed
    reads only that segment again."""
    segments = [s for s in segments if s.target.strip()]
    key_terms = tuple(
        (k.source, k.target)
        for k in (brief.key_terms if brief else ())
        if k.source.strip() and k.target.strip()
    )
    if not isinstance(glossary, Termbase):
        glossary = Termbase(list(glossary), pair.source, pair.target)
    english_to_chinese = primary_language(pair.source) == "en" and is_cjk(pair.target)
    termbase = _extended(glossary, key_terms, pair, english_to_chinese)
    findings = []
    findings += _term_findings(segments, termbase)
    if english_to_chinese:
        findings += _role_findings(segments)
    findings += _segment_findings(segments)
    return sorted(findings, key=lambda f: (f.position, f.kind, f.item))


@functools.lru_cache(maxsize=32)
def _extended(termbase, key_terms, pair, english_to_chinese):
    """The glossary with the brief's key terms and, from English into Chinese, the Hong
    Kong courts and judicial titles."""
    extra = [GlossaryConstraint(source, target, "admitted") for source, target in key_terms]
    if english_to_chinese:
        extra += COURTS_AND_TITLES
    if not extra:
        return termbase
    return Termbase([*termbase.terms, *extra], pair.source, pair.target)


@functools.lru_cache(maxsize=32)
def _groups(termbase):
    """Per term, its group (the folded source term); the preferred renderings; a label
    per group."""
    group_of = [fold(t.source_term) for t in termbase.terms]
    preferred = frozenset(
        (group_of[n], fold(t.target_term))
        for n, t in enumerate(termbase.terms)
        if t.status == PREFERRED
    )
    label = {}
    for n, t in enumerate(termbase.terms):
        label.setdefault(group_of[n], t.source_term)
    return group_of, preferred, label


@functools.lru_cache(maxsize=16384)
def _term_renderings(termbase, source, target):
    """((group, ((folded rendering, as written), ...)), ...) of one segment."""
    terms = termbase.terms
    group_of = _groups(termbase)[0]
    groups = {group_of[n] for _, _, found in termbase.source.find(source) for n in found}
    if not groups:
        return ()
    spans = defaultdict(list)  # group -> [(start, end, folded rendering)]
    for start, end, found in termbase.target.find(target, overlapping=True):
        for n in found:
            if group_of[n] in groups and terms[n].status != FORBIDDEN:
                spans[group_of[n]].append((start, end, fold(terms[n].target_term)))
    return tuple(
        (
            group,
            tuple((folded, target[start:end]) for start, end, folded in _outermost(spans[group])),
        )
        for group in sorted(groups)
        if spans[group]
    )


def _term_findings(segments, termbase):
    if not len(termbase):
        return []
    _, preferred, label = _groups(termbase)
    uses = defaultdict(list)  # group -> [_Use]
    for segment in segments:
        for group, renderings in _term_renderings(termbase, segment.source, segment.target):
            uses[group].append(_Use(segment, dict(renderings)))
    findings = []
    for group, group_uses in uses.items():
        findings += _deviations(
            "term", label[group], group_uses, lambda r, g=group: (g, r) in preferred
        )
    return findings


def _outermost(spans):
    """Renderings not inside a longer one found at the same place (大法官 holds 法官)."""
    return [
        (start, end, folded)
        for start, end, folded in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    ]


def _role_findings(segments):
    findings = []
    for role, (words, forms) in ROLE_RENDERINGS.items():
        if len(forms) < 2:
            continue
        pattern = regex.compile("|".join(sorted(map(regex.escape, forms), key=len, reverse=True)))
        role_uses = []
        for segment in segments:
            if not words.search(segment.source):
                continue
            found = {form: form for form in pattern.findall(segment.target)}
            if found:
                role_uses.append(_Use(segment, found))
        findings += _deviations("role", role, role_uses, lambda r, f=forms: r == f[0])
    return findings


def _segment_findings(segments):
    by_source = defaultdict(list)
    for segment in segments:
        by_source[_SPACES.sub(" ", segment.source.strip())].append(segment)
    findings = []
    for source, twins in by_source.items():
        if len(twins) < 2:
            continue
        twin_uses = [
            _Use(twin, {_SPACES.sub(" ", twin.target.strip()): twin.target.strip()})
            for twin in twins
        ]
        findings += _deviations("segment", source, twin_uses, lambda r: False)
    return findings


def _deviations(kind, item, uses, is_preferred):
    """The uses that lack the usual rendering of `item`, as findings."""
    count, first, written = defaultdict(int), {}, {}
    for use in uses:
        for folded, text in use.renderings.items():
            count[folded] += 1
            first.setdefault(folded, use.segment.position)
            written.setdefault(folded, text)
    if len(count) < 2:
        return []
    usual = min(count, key=lambda r: (-count[r], not is_preferred(r), first[r]))
    elsewhere = tuple(u.segment.position for u in uses if usual in u.renderings)
    return [
        Inconsistency(
            segment_id=use.segment.id,
            position=use.segment.position,
            kind=kind,
            item=item,
            used=next(iter(use.renderings.values())),
            usual=written[usual],
            elsewhere=elsewhere,
        )
        for use in uses
        if usual not in use.renderings
    ]


def _quoted(text):
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"
