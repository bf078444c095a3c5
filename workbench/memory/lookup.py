"""Fuzzy TM lookup and concordance search over a project's memories.

A match is scored by characters with rapidfuzz, because that is the number a translator
knows as a "match": 100 is the same text, 101 the same text between the same neighbours,
and anything less says how much of the text is alike. Numbers matter more in judgments
than their length suggests (a date, a sum, a section), so a match whose numbers differ
is never 100 and loses a few points per differing number.

Scoring every unit of a million-unit memory takes seconds, so PostgreSQL first gathers a
few hundred candidates, by three indexes:

- the hash of the source: the same text;
- a fingerprint of the source with its numbers masked: the same sentence with another
  date, sum or section, found however common its words are;
- the source's words and pairs of neighbouring words (pairs of characters in Chinese
  and Japanese, which have no spaces), but only the query's rarest ones. A word in most
  units ("the", "of", 上訴) would make the index read most of the table and says little
  about which unit is alike; the rare ones (a name, a date, "leave_to" next to an
  unusual term) pick out the units that can match. How rare a word is comes from
  PostgreSQL's own statistics of the word column.

The candidates are then scored exactly, so an index only decides which units are
looked at, never a score.
"""

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Lookup, Q
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from agents.languages import is_cjk
from workbench.documents.models import Segment

from .models import TranslationMemory, TranslationUnit

# Units scored in full per lookup, and same-shape units (same words, other numbers)
# fetched at most: a sentence pattern repeated with other dates and sums can be common.
CANDIDATES = 30
SAME_SHAPE_LIMIT = 200
# The word query gathers about WORD_BUDGET units by the query's RARE_WORDS rarest words,
# fetches at most WORD_LIMIT in one step, and takes no step the statistics expect to
# find more than CROWD units.
RARE_WORDS = 5
WORD_BUDGET = 100
WORD_LIMIT = 300
CROWD = 20_000
STATISTICS_SECONDS = 300
NUMBER_PENALTY = 2
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
WORDS = re.compile(r"\d+(?:[.,:/]\d+)*|\w+|\s+|[^\w\s]")
# In Chinese every character is a word; runs of Latin letters and numbers stay whole.
CJK_TOKENS = re.compile(r"\d+(?:[.,:/]\d+)*|[A-Za-z]+|\s+|.", re.DOTALL)


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
    text = " ".join(text.split())
    memory_ids = list(memories_of(project).values_list("pk", flat=True))
    if not text or not memory_ids:
        return []
    units = _candidates(text, memory_ids, threshold)
    cjk = is_cjk(project.source_language)
    matches = [_match(text, unit, context) for unit in units]
    matches = [m for m in matches if m.percent >= threshold]
    matches.sort(key=lambda m: (-m.percent, -m.when.timestamp()))
    matches = matches[:limit]
    for match in matches:  # only for the matches shown: a diff costs more than a score
        source = " ".join(match.source.split())
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


def _candidates(text, memory_ids, threshold):
    """The units worth scoring: the same text, the same text with other numbers, and
    units sharing the query's rarest words; the best CANDIDATES of them by score."""
    table = TranslationUnit._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL, to the end of this transaction: a lookup reads a few hundred rows
        # found by the hash and word indexes. The planner, estimating a query of common
        # words, may prefer a (parallel) scan of the whole table or of the memory's rows
        # in index order, and stopping at the LIMIT, which takes seconds.
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true), "
            "tsvector_to_array(tm_words(%s))",
            [text],
        )
        words = cursor.fetchone()[-1]
        cursor.execute(
            f"""
            (SELECT id, source FROM {table}
             WHERE memory_id = ANY(%s) AND source_hash = %s LIMIT %s)
            UNION ALL
            (SELECT id, source FROM {table}
             WHERE memory_id = ANY(%s) AND source_shape = tm_shape(%s) LIMIT %s)
            """,  # noqa: S608  (the table name is the model's)
            [
                memory_ids,
                TranslationUnit.hash_text(text),
                CANDIDATES,
                memory_ids,
                text,
                SAME_SHAPE_LIMIT,
            ],
        )
        found = dict(cursor.fetchall())
        found.update(_sharing_rare_words(cursor, words, text, memory_ids, threshold))
    scored = process.extract(
        text,
        {pk: " ".join(source.split()) for pk, source in found.items()},
        scorer=fuzz.ratio,
        score_cutoff=threshold,
        limit=CANDIDATES,
    )
    return (
        TranslationUnit.objects.filter(pk__in=[pk for _, _, pk in scored])
        .exclude(quality=TranslationUnit.Quality.WITHDRAWN)
        .select_related("memory", "created_by")
        .defer("source_words")
    )


def _sharing_rare_words(cursor, words, text, memory_ids, threshold):
    """{id: source} of units holding many of the query's rarest words.

    First the units holding all of them, then those missing one, two, ...: each step is
    cheap while the units found are few, and stops once there are WORD_BUDGET of them, or
    when the next step would bring in a crowd (by the statistics, or in fact: WORD_LIMIT
    found), so that the units kept are the most alike rather than an arbitrary part of
    the crowd. Missing words are allowed because they are often what changed: another
    case number, a name spelt differently.
    """
    if not words:
        return {}
    frequencies, unseen, units = word_frequencies()
    rarest = sorted(words, key=lambda word: (frequencies.get(word, unseen), -len(word)))
    rarest = rarest[:RARE_WORDS]
    chances = [frequencies.get(word, unseen) for word in rarest]
    shortest, longest = length_window(len(text), threshold)
    found = {}
    for needed in range(len(rarest), 0, -1):
        if found and units * chance_of_at_least(needed, chances) > CROWD:
            break
        cursor.execute(
            f"""
            SELECT id, source FROM {TranslationUnit._meta.db_table}
            WHERE source_words @@ %s::tsquery AND memory_id + 0 = ANY(%s)
              AND char_length(source) BETWEEN %s AND %s
            LIMIT %s
            """,  # noqa: S608  (the table name is the model's)
            # memory_id + 0: check the memory of the rows the words found, rather than
            # also read the memory's index, which lists all its (perhaps million) rows.
            [any_of(rarest, needed), memory_ids, shortest, longest, WORD_LIMIT],
        )
        rows = cursor.fetchall()
        found.update(rows)
        if len(rows) == WORD_LIMIT or len(found) >= WORD_BUDGET:
            break
    return found


def word_frequencies():
    """({word: share of units holding it}, the share assumed for a word not listed,
    how many units there are), from the statistics ANALYZE keeps of the word column.

    Autovacuum analyses the table after large changes; the answer is kept for a few
    minutes, as word frequencies of a large memory change slowly. Without statistics
    (a new, small table) every word counts as rare, which is right for a small table.
    """
    global _frequencies
    if _frequencies is None or time.monotonic() - _frequencies[0] > STATISTICS_SECONDS:
        table = TranslationUnit._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,
                       (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)
                FROM pg_stats s
                WHERE s.schemaname = current_schema() AND s.tablename = %s
                  AND s.attname = 'source_words'
                """,
                [table, table],
            )
            row = cursor.fetchone()
        words, shares, units = row if row else (None, None, 0)
        frequencies = dict(zip(words or (), shares or (), strict=False))
        # Words below the least common listed word are not listed: count them at half.
        unseen = min(frequencies.values(), default=0.0) / 2
        _frequencies = (time.monotonic(), (frequencies, unseen, max(units or 0, 0)))
    return _frequencies[1]


_frequencies = None


def chance_of_at_least(count, chances):
    """The chance that at least `count` of independent events with these chances occur."""
    exactly = [1.0]  # exactly[k]: the chance that k of the events so far occurred
    for chance in chances:
        exactly = [
            (exactly[k] if k < len(exactly) else 0.0) * (1 - chance)
            + (exactly[k - 1] * chance if k else 0.0)
            for k in range(len(exactly) + 1)
        ]
    return sum(exactly[count:])


def any_of(words, needed):
    """A tsquery true for a text holding at least `needed` of `words`."""
    quoted = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    return " | ".join("(" + " & ".join(group) + ")" for group in combinations(quoted, needed))


def length_window(length, threshold):
    """The source lengths that can reach `threshold` against a query of `length`:
    rapidfuzz's ratio is at most 2·shorter / (both lengths), whatever the text."""
    share = max(threshold, 1) / 100
    shortest = math.ceil(length * share / (2 - share))
    # Stored sources keep their inner runs of spaces, which scoring ignores: some slack.
    longest = math.floor(length * (2 - share) / share * 1.25) + 10
    return shortest, longest


def _match(text, unit, context):
    source = " ".join(unit.source.split())
    numbers_query, numbers_source = Counter(NUMBER.findall(text)), Counter(NUMBER.findall(source))
    changed = numbers_source - numbers_query
    differing = max(sum(changed.values()), sum((numbers_query - numbers_source).values()))
    if source == text:
        in_context = (
            context is not None
            and unit.origin != TranslationUnit.Origin.IMPORT
            and (unit.previous_hash, unit.next_hash) == tuple(context)
        )
        percent = 101 if in_context else 100
    else:
        percent = min(int(fuzz.ratio(text, source)), 99) - NUMBER_PENALTY * differing
    return TMMatch(
        unit_id=unit.pk,
        source=unit.source,
        target=unit.target,
        percent=max(percent, 0),
        memory_name=unit.memory.name,
        origin=unit.origin,
        origin_label=unit.get_origin_display(),
        quality=unit.get_quality_display(),
        who=unit.created_by.get_username() if unit.created_by else unit.get_origin_display(),
        when=unit.updated_at,
        changed_numbers=list(changed.elements()),
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
