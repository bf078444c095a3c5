"""Consistency across a document: the same thing translated the same way throughout, as
Xbench and memoQ's QA check it.

A finding is a segment that renders an item differently from the rest of the document:

- a glossary term (and the brief's key terms) with more than one allowed translation,
  where most segments use one and this one another (the glossary's own check already
  flags a term missing or forbidden, so these are the variants it allows);
- a party role of the brief (the respondent: 答辯人 in most paragraphs, 被上訴人 here);
- identical source segments with different translations.

The document's usual rendering is the one most of its segments use (ties: the glossary's
preferred term, then the earliest segment); segments that use it beside another are not
flagged. Terms are found by the one glossary matcher (`agents.glossary`) and party roles
by the checks' own table (`agents.checks.ROLE_RENDERINGS`).
"""

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
    """The deviating segments of a document, in segment order."""
    segments = [s for s in segments if s.target.strip()]
    termbase = _with_key_terms(glossary, brief, pair)
    findings = []
    findings += _term_findings(segments, termbase)
    if primary_language(pair.source) == "en" and is_cjk(pair.target):
        findings += _role_findings(segments)
    findings += _segment_findings(segments)
    return sorted(findings, key=lambda f: (f.position, f.kind, f.item))


def _with_key_terms(glossary, brief, pair):
    terms = list(glossary.terms if isinstance(glossary, Termbase) else glossary)
    key_terms = [
        GlossaryConstraint(k.source, k.target, "admitted")
        for k in (brief.key_terms if brief else ())
        if k.source.strip() and k.target.strip()
    ]
    if isinstance(glossary, Termbase) and not key_terms:
        return glossary
    return Termbase([*terms, *key_terms], pair.source, pair.target)


def _term_findings(segments, termbase):
    if not len(termbase):
        return []
    terms = termbase.terms
    group_of = [fold(t.source_term) for t in terms]
    uses = defaultdict(list)  # group -> [_Use]
    for segment in segments:
        groups = {
            group_of[n] for _, _, found in termbase.source.find(segment.source) for n in found
        }
        if not groups:
            continue
        spans = defaultdict(list)  # group -> [(start, end, folded rendering)]
        for start, end, found in termbase.target.find(segment.target, overlapping=True):
            for n in found:
                if group_of[n] in groups and terms[n].status != FORBIDDEN:
                    spans[group_of[n]].append((start, end, fold(terms[n].target_term)))
        for group in groups:
            renderings = {
                folded: segment.target[start:end] for start, end, folded in _outermost(spans[group])
            }
            if renderings:
                uses[group].append(_Use(segment, renderings))
    preferred = {
        (group_of[n], fold(t.target_term)) for n, t in enumerate(terms) if t.status == PREFERRED
    }
    label = {}
    for n, t in enumerate(terms):
        label.setdefault(group_of[n], t.source_term)
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
