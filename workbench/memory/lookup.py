"""Fuzzy TM lookup and concordance search over a project's memories.

A match is scored by characters with rapidfuzz, because that is the number a translator
knows as a "match": 100 is the same text, 101 the same text between the same neighbours,
and anything less says how much of the text is alike. Numbers matter more in judgments
than their length suggests (a date, a sum, a section), so a match whose numbers differ
is never 100 and loses a few points per differing number.

Lookup is exact: the best match it returns scores as high as the best of a scan of every
unit would. The units are found by the match index (match_index.py), which keeps each
memory's units in the process and rules units out only by bounds that follow from the
score's definition. A query longer than LONGEST_FUZZY_QUERY characters is looked up only
as the same text, or the same text with other numbers (by PostgreSQL's hash and shape
indexes), so that a pasted chapter does not cost seconds; the panel says so.
"""

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Func, Lookup, Q, Value
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from agents.languages import is_cjk
from workbench.documents.models import Segment

from . import match_index
from .models import TranslationMemory, TranslationUnit

# Longer queries are matched only as the same text or the same shape (other numbers).
LONGEST_FUZZY_QUERY = 1_000
# Units of the same text or shape fetched at most for a long query.
SAME_SHAPE_LIMIT = 200
NUMBER_PENALTY = 2
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
WORDS = re.compile(r"\d+(?:[.,:/]\d+)*|\w+|\s+|[^\w\s]")
# In Chinese every character is a word; runs of Latin letters and numbers stay whole.
CJK_TOKENS = re.compile(r"\d+(?:[.,:/]\d+)*|[A-Za-z]+|\s+|.", re.DOTALL)
# Units fetched from the database for one lookup at most (those of the same text
# included, of which one may be in context).
MOST_FETCHED = 50
# Searches run again at most this often when the database has lost a unit found.
SEARCHES = 3


@dataclass
class DiffPiece:
    text: str
    kind: str  # "same" | "removed" (only in the match) | "added" (only in the query)
    number: bool = False  # a number that differs: shown louder than other differences


@dataclass
class TMMatch:
    unit_id: int
    source: str
    target: str
    percent: int
    memory_name: str
    origin: str
    origin_label: str
    quality: str
    who: str
    when: datetime
    diff: list = field(default_factory=list)
    changed_numbers: list = field(default_factory=list)

    @property
    def in_context(self):
        return self.percent == 101


def memories_of(project):
    """The project's own memory and the shared memories it reads."""
    return TranslationMemory.objects.filter(Q(owner=project) | Q(readers=project)).distinct()


def is_long(text):
    """Whether a text is past the length fuzzy lookup takes (see LONGEST_FUZZY_QUERY)."""
    return len(" ".join(text.split())) > LONGEST_FUZZY_QUERY


def lookup(segment_or_text, project, *, limit=5, threshold=None, context=None):
    """The best TM matches for a segment (or a bare text), best first.

    `context` is (previous source hash, next source hash); for a segment it is read from
    its neighbours unless given, and a bare text has none, so it can reach 100 but not 101.
    """
    threshold = project.tm_threshold if threshold is None else threshold
    if isinstance(segment_or_text, Segment):
        text = segment_or_text.source
        if context is None:
            context = neighbour_hashes(segment_or_text)
    else:
        text = segment_or_text
    text = match_index.normalise(text)
    memory_ids = list(memories_of(project).values_list("pk", flat=True))
    if not text or not memory_ids:
        return []
    if is_long(text):
        units = _long_query_units(text, memory_ids)
    else:
        units = _units(text, memory_ids, threshold, limit)
    cjk = is_cjk(project.source_language)
    matches = [_match(text, unit, context) for unit in units]
    matches = [m for m in matches if m.percent >= threshold]
    matches.sort(key=lambda m: (-m.percent, -m.when.timestamp()))
    matches = matches[:limit]
    for match in matches:  # only for the matches shown: a diff costs more than a score
        source = match_index.normalise(match.source)
        match.diff = diff(source, text, cjk) if match.percent < 100 else [DiffPiece(source, "same")]
    return matches


def neighbour_hashes(segment):
    hashes = dict(
        Segment.objects.filter(
            document_id=segment.document_id,
            position__in=[segment.position - 1, segment.position + 1],
        ).values_list("position", "source_hash")
    )
    return hashes.get(segment.position - 1, ""), hashes.get(segment.position + 1, "")


def _units(text, memory_ids, threshold, limit):
    """The best units the match index finds, as the database has them now: `limit` of
    them, and every unit of the same text (one may be in context, 101). A unit deleted
    since the index last looked is forgotten and the search run again, as it may have
    ruled out the units that are now the best."""
    indexes = [match_index.index_of(memory_id) for memory_id in memory_ids]
    for _ in range(SEARCHES):
        found = match_index.best_units(
            text, indexes, threshold, percent_of, enough=limit, number_penalty=NUMBER_PENALTY
        )
        same_text = sum(unit.score == 100 for unit in found)
        found = found[: min(max(limit, same_text), MOST_FETCHED)]
        units = list(
            TranslationUnit.objects.filter(pk__in=[unit.unit_id for unit in found])
            .exclude(quality=TranslationUnit.Quality.WITHDRAWN)
            .select_related("memory", "created_by")
        )
        gone = {unit.unit_id for unit in found} - {unit.pk for unit in units}
        if not gone:
            break
        for index in indexes:
            index.forget(gone)
    return units


def _long_query_units(text, memory_ids):
    """For a long query, the units of the same text or the same text with other numbers."""
    return (
        TranslationUnit.objects.filter(memory_id__in=memory_ids)
        .filter(
            Q(source_hash=TranslationUnit.hash_text(text))
            | Q(source_shape=Func(Value(text), function="tm_shape"))
        )
        .exclude(quality=TranslationUnit.Quality.WITHDRAWN)
        .select_related("memory", "created_by")[:SAME_SHAPE_LIMIT]
    )


def percent_of(text, source, ratio):
    """A unit's match percent from the texts (normalised) and their rapidfuzz ratio."""
    if source == text:
        return 100
    return max(min(int(ratio), 99) - NUMBER_PENALTY * _numbers_differing(text, source), 0)


def _numbers_differing(text, source):
    """How many numbers differ either way: what `differing_numbers` counts, without the
    list (a search scores one query against thousands of units)."""
    wanted = _numbers(text)
    found = NUMBER.findall(source)
    common = 0
    left = dict(wanted)
    for number in found:
        if left.get(number, 0) > 0:
            left[number] -= 1
            common += 1
    return max(len(found), sum(wanted.values())) - common


def differing_numbers(text, source):
    """(the numbers only in the source, how many numbers differ either way)."""
    numbers_query, numbers_source = _numbers(text), _numbers(source)
    if numbers_query == numbers_source:
        return [], 0
    changed = numbers_source - numbers_query
    added = numbers_query - numbers_source
    return list(changed.elements()), max(sum(changed.values()), sum(added.values()))


@functools.lru_cache(maxsize=4096)
def _numbers(text):
    """The numbers of a text, counted (a lookup scores one query against many units)."""
    return Counter(NUMBER.findall(text))


def _match(text, unit, context):
    source = match_index.normalise(unit.source)
    if source == text:
        in_context = (
            context is not None
            and unit.origin != TranslationUnit.Origin.IMPORT
            and (unit.previous_hash, unit.next_hash) == tuple(context)
        )
        percent = 101 if in_context else 100
    else:
        percent = percent_of(text, source, fuzz.ratio(text, source))
    return TMMatch(
        unit_id=unit.pk,
        source=unit.source,
        target=unit.target,
        percent=percent,
        memory_name=unit.memory.name,
        origin=unit.origin,
        origin_label=unit.get_origin_display(),
        quality=unit.get_quality_display(),
        who=unit.created_by.get_username() if unit.created_by else unit.get_origin_display(),
        when=unit.updated_at,
        changed_numbers=differing_numbers(text, source)[0],
    )


def diff(matched, query, cjk=False):
    """Pieces that turn the matched source into the query: word by word, or character by
    character for Chinese and Japanese."""
    pattern = CJK_TOKENS if cjk else WORDS
    old, new = pattern.findall(matched), pattern.findall(query)
    pieces = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(old, new):
        if tag == "equal":
            _append(pieces, "".join(old[i1:i2]), "same")
            continue
        if i2 > i1:
            _append_tokens(pieces, old[i1:i2], "removed")
        if j2 > j1:
            _append_tokens(pieces, new[j1:j2], "added")
    return pieces


def _append_tokens(pieces, tokens, kind):
    for token in tokens:
        _append(pieces, token, kind, number=bool(NUMBER.fullmatch(token)))


def _append(pieces, text, kind, number=False):
    if pieces and pieces[-1].kind == kind and pieces[-1].number == number:
        pieces[-1].text += text
    else:
        pieces.append(DiffPiece(text, kind, number))


# Concordance -------------------------------------------------------------------------


class ContainsIgnoringCase(Lookup):
    """`field__ilike=pattern`: PostgreSQL's ILIKE, which a gin_trgm_ops index serves."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


for _model in (TranslationUnit, Segment):
    for _name in ("source", "target"):
        _model._meta.get_field(_name).register_lookup(ContainsIgnoringCase)

CONCORDANCE_STATUSES = (Segment.Status.TRANSLATED, Segment.Status.APPROVED)


@dataclass
class ConcordanceHit:
    source: list  # [(text, is_hit)], hits marked on the searched side only
    target: list
    where: str  # the memory's name, or the document and segment number
    url_kind: str  # "unit" | "segment"
    status: str
    when: datetime


def concordance(query, project, side="source", limit=50):
    """Where a phrase occurs, case-insensitively, in the project's memories and in the
    segments people have translated or approved (machine drafts are not precedent).

    `side` is the text searched: "source" or "target", so a phrase can be looked up in
    either language. The same pair found in a memory and a segment is shown once.
    """
    query = " ".join(query.split())
    if not query or side not in ("source", "target"):
        return []
    contains = {f"{side}__ilike": contains_pattern(query)}
    units = (
        TranslationUnit.objects.filter(memory__in=memories_of(project), **contains)
        .select_related("memory")
        .order_by("-updated_at")[:limit]
    )
    segments = (
        Segment.objects.filter(
            document__project=project, status__in=CONCORDANCE_STATUSES, **contains
        )
        .select_related("document")
        .order_by("-updated_at")[:limit]
    )
    finder = re.compile(re.escape(query), re.IGNORECASE)
    hits, seen = [], set()
    for text_source, text_target, where, kind, status, when in [
        *(
            (u.source, u.target, u.memory.name, "unit", u.get_quality_display(), u.updated_at)
            for u in units
        ),
        *(
            (
                s.source,
                s.target,
                f"{s.document.title} #{s.position}",
                "segment",
                s.get_status_display(),
                s.updated_at,
            )
            for s in segments
        ),
    ]:
        key = (TranslationUnit.hash_text(text_source), TranslationUnit.hash_text(text_target))
        if key in seen:
            continue
        seen.add(key)
        searched = text_source if side == "source" else text_target
        pieces = highlight(searched, finder)
        plain = [(text_target if side == "source" else text_source, False)]
        hits.append(
            ConcordanceHit(
                source=pieces if side == "source" else plain,
                target=plain if side == "source" else pieces,
                where=where,
                url_kind=kind,
                status=status,
                when=when,
            )
        )
    return hits[:limit]


def contains_pattern(text):
    """An ILIKE pattern for text anywhere, its own % and _ taken literally. (ILIKE rather
    than Django's UPPER(..) LIKE, so that the trigram indexes can answer it.)"""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def highlight(text, finder):
    """Split text into (piece, is_hit) so a template can wrap hits in <mark> while
    escaping every piece: user text is never marked safe."""
    pieces, last = [], 0
    for found in finder.finditer(text):
        if found.start() > last:
            pieces.append((text[last : found.start()], False))
        pieces.append((found.group(), True))
        last = found.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces
