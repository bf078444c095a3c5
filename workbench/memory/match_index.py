"""The fuzzy match index: every unit of a memory held in this process, so that lookup
finds the best match there is, as a brute-force scan would, in milliseconds.

Why exact, and how. A match's percent is rapidfuzz's `ratio` of the two texts (less a
penalty for differing numbers), and ratio is 200·LCS / (both lengths), LCS being the
longest common subsequence of characters. Two bounds follow from that definition alone,
so a unit they rule out can never be the best match:

- length: LCS ≤ the shorter length, so ratio ≤ 200·shorter / (both lengths);
- characters: LCS ≤ Σ min(count in query, count in unit) over the characters, and still
  when characters are counted in BUCKETS buckets (a bucket's count is at least any of
  its characters' counts). Each ASCII character has a bucket of its own, so in English
  the bound is that of the characters themselves; others share the buckets by a hash.

The units are kept sorted by length. A lookup walks bands of lengths outward from the
query's own length, computes the character bound of every unit in the band with numpy,
and scores the units whose bound can still beat the best match found so far, best bound
first, with rapidfuzz. The walk stops once no band and no unit left can beat it. Most
queries that have a good match find it among the first few hundred units scored, and
that match's score then rules out almost everything else; a query with no match at all
scores only what its bounds cannot rule out. A unit is scored best ratio first, and its
percent worked out only where it could still beat the best found: never above its ratio,
nor above its ratio less the number penalty when its digits differ in count from the
query's (the digits' buckets count nothing else). Very long slices are counted, and very
many units scored, by as many threads as there are cores (numpy and rapidfuzz let go of
the GIL).

Fresh from PostgreSQL. Each unit row records the transaction that last wrote it
(`changed_xid`, by a column default and an update trigger). Before each lookup the index
asks for the rows written by the transactions that had not ended at its previous look:
those begun since, and those then running, whose ids PostgreSQL's snapshot lists. A
transaction that commits late is still seen, a long one elsewhere (a backup, a big
import) costs nothing, and no write takes a lock to be seen. Deleted units are found when lookup
fetches its matches from the database: they are dropped and the search is run again.

Memory: per unit, BUCKETS (128) bytes of counts, 16 bytes of length and id, and the
source as a Python string (about 50 bytes plus one byte per character in English, two in
Chinese): about 400 MB for 870,000 units of judgments, in each process that looks up (web
workers, agent workers). Indexes not used for a while are dropped when the units held exceed
WORKBENCH_TM_INDEX_UNITS.
"""

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from rapidfuzz import fuzz, process

from .models import TranslationUnit

BUCKET_BITS = 7
BUCKETS = 1 << BUCKET_BITS
DIGITS = np.arange(ord("0"), ord("9") + 1)
# A count is kept in one byte; a full byte means "this many or more".
FULL = 255
# Units scored with rapidfuzz in one step, best bound first.
STEP = 128
# Changes seen since the index was built, beyond which it is built again from scratch.
RECENT_SHARE = 0.1
RECENT_AT_LEAST = 20_000
# The transactions a look must come back for: those not begun yet, and those running,
# this one included (a snapshot leaves out its own transaction, whose writes it sees).
LOOK = """
    SELECT pg_snapshot_xmax(s)::text::bigint,
        array_remove(
            ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(s) AS x)
            || pg_current_xact_id_if_assigned()::text::bigint,
            NULL)
    FROM pg_current_snapshot() AS s
"""
# Shelves of recent changes kept apart before they are built into one.
RECENT_SHELVES = 8
# How far apart the bands of lengths are, in points of the length bound.
BAND_POINTS = 2
EPSILON = 1e-9
# Slices of at least so many units have their bounds counted by THREADS threads at once.
PARALLEL_ROWS = 200_000
THREADS = min(os.cpu_count() or 1, 4)
# Units scored with rapidfuzz by THREADS threads at once when there are so many.
PARALLEL_SCORES = 10_000


def normalise(text):
    """The text as it is scored: inner runs of white space as one space."""
    return " ".join(text.split())


def bucket_counts(texts, lengths):
    """(BUCKETS, len(texts)) counts of each text's characters by bucket, capped at FULL."""
    count = len(texts)
    counts = np.zeros((BUCKETS, count), dtype=np.uint8)
    # In slices, so that the code points of a million texts are never in memory at once.
    for start in range(0, count, 50_000):
        part = texts[start : start + 50_000]
        rows = np.repeat(np.arange(len(part), dtype=np.int64), lengths[start : start + len(part)])
        tally = np.bincount(
            _buckets("".join(part)) * len(part) + rows, minlength=BUCKETS * len(part)
        )
        counts[:, start : start + len(part)] = np.minimum(tally, FULL).reshape(BUCKETS, len(part))
    return counts


def _buckets(text):
    """The bucket of each character: its own for ASCII (the letters, digits and marks of
    English each counted apart), and for any other character the top bits of a
    multiplicative hash of its code point, so that neighbouring ones (上, 下) land apart."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    hashed = (points * np.uint32(2654435761)) >> np.uint32(32 - BUCKET_BITS)
    # The digits' buckets count ASCII digits only (hashes landing there go to the control
    # characters' buckets), so texts whose digits differ in count have other numbers.
    hashed = np.where((hashed >= DIGITS[0]) & (hashed <= DIGITS[-1]), hashed - DIGITS[0], hashed)
    return np.where(points < BUCKETS, points, hashed).astype(np.int64)


@dataclass
class Shelf:
    """Units sorted by length, with their bucket counts; built once, then only read
    (but for `alive`, which marks units since changed or deleted)."""

    ids: np.ndarray  # int64, in length order
    lengths: np.ndarray  # int32, ascending
    sources: np.ndarray  # of str, normalised, in length order
    counts: np.ndarray  # (BUCKETS, n) uint8
    alive: np.ndarray  # bool
    id_order: np.ndarray  # positions in order of id, to find a unit by its id
    sorted_ids: np.ndarray

    @classmethod
    def build(cls, rows):
        """From (id, source) pairs."""
        sources = [normalise(source) for _, source in rows]
        lengths = np.fromiter((len(s) for s in sources), dtype=np.int32, count=len(sources))
        order = np.argsort(lengths, kind="stable")
        ids = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))[order]
        sources = np.array(sources, dtype=object)[order] if len(sources) else np.array([], object)
        lengths = lengths[order]
        id_order = np.argsort(ids, kind="stable")
        return cls(
            ids=ids,
            lengths=lengths,
            sources=sources,
            counts=bucket_counts(sources, lengths),
            alive=np.ones(len(sources), dtype=bool),
            id_order=id_order,
            sorted_ids=ids[id_order],
        )

    def __len__(self):
        return len(self.sources)

    def forget(self, unit_ids):
        """Mark these units (changed since, or deleted) as no longer here."""
        wanted = np.fromiter(unit_ids, dtype=np.int64)
        if not len(self) or not len(wanted):
            return
        at = np.searchsorted(self.sorted_ids, wanted).clip(0, len(self) - 1)
        here = self.sorted_ids[at] == wanted
        self.alive[self.id_order[at[here]]] = False


class MemoryIndex:
    """One memory's units: a shelf built at the last full load, and small shelves of the
    units written since."""

    def __init__(self, memory_id):
        self.memory_id = memory_id
        self.lock = threading.Lock()
        self.main = Shelf.build([])
        self.recent = []  # shelves of the units written since `main` was built
        self.recent_rows = {}  # id -> source, of those units
        # (the first transaction id not yet given, the transactions still running) at the
        # last look: what may still bring changes.
        self.seen = None
        self.used = time.monotonic()

    def __len__(self):
        return len(self.main) + len(self.recent_rows)

    def refresh(self):
        """Take in what was written since the last look."""
        table = TranslationUnit._meta.db_table
        withdrawn = TranslationUnit.Quality.WITHDRAWN
        with self.lock, connection.cursor() as cursor:
            self.used = time.monotonic()
            # Asked before the rows are read: a transaction not in this answer had ended
            # when it was given, so what it wrote is in the rows read now.
            cursor.execute(LOOK)
            looked = cursor.fetchone()
            if self.seen is not None:
                begun_since, running = self.seen
                most = int(max(RECENT_AT_LEAST, RECENT_SHARE * len(self.main)))
                # Two index scans, whatever the statistics say of the new rows: the rows
                # of transactions begun since, in order (and no more than would be taken
                # in), and those of transactions then running.
                cursor.execute(
                    f"""(SELECT id, source, quality <> %s FROM {table}
                        WHERE memory_id = %s AND changed_xid >= %s
                        ORDER BY changed_xid LIMIT %s)
                    UNION ALL
                    (SELECT id, source, quality <> %s FROM {table}
                        WHERE memory_id = %s AND changed_xid = ANY(%s))""",  # noqa: S608
                    [withdrawn, self.memory_id, begun_since, most + 1]
                    + [withdrawn, self.memory_id, running],
                )
                changed = cursor.fetchall()
                if len(self.recent_rows) + len(changed) <= most:
                    self._take_in(changed)
                    self.seen = looked
                    return
            cursor.execute(
                f"SELECT id, source FROM {table} WHERE memory_id = %s AND quality <> %s",  # noqa: S608
                [self.memory_id, withdrawn],
            )
            self.main = Shelf.build(cursor.fetchall())
            self.recent, self.recent_rows = [], {}
            self.seen = looked

    def _take_in(self, changed):
        if not changed:
            return
        ids = [pk for pk, _, _ in changed]
        for shelf in (self.main, *self.recent):
            shelf.forget(ids)
        for pk, source, offered in changed:
            if offered:
                self.recent_rows[pk] = source
            else:
                self.recent_rows.pop(pk, None)
        if len(self.recent) >= RECENT_SHELVES:
            self.recent = [Shelf.build(list(self.recent_rows.items()))]
        else:
            self.recent.append(Shelf.build([(pk, s) for pk, s, offered in changed if offered]))

    def forget(self, unit_ids):
        """Units the database no longer has (deleted since the last look)."""
        with self.lock:
            for pk in unit_ids:
                self.recent_rows.pop(pk, None)
            for shelf in (self.main, *self.recent):
                shelf.forget(unit_ids)

    def shelves(self):
        return [shelf for shelf in (self.main, *self.recent) if len(shelf)]


_indexes = {}
_indexes_lock = threading.Lock()


def index_of(memory_id):
    """This process's index of a memory, brought up to date."""
    with _indexes_lock:
        index = _indexes.get(memory_id)
        if index is None:
            index = _indexes[memory_id] = MemoryIndex(memory_id)
    index.refresh()
    _keep_within_budget(keep=memory_id)
    return index


def _keep_within_budget(keep):
    """Drop the indexes used longest ago while the units held exceed the budget."""
    budget = settings.WORKBENCH_TM_INDEX_UNITS
    with _indexes_lock:
        held = sum(len(index) for index in _indexes.values())
        for memory_id, index in sorted(_indexes.items(), key=lambda item: item[1].used):
            if held <= budget:
                break
            if memory_id != keep:
                held -= len(index)
                del _indexes[memory_id]


@dataclass
class Found:
    unit_id: int
    source: str  # normalised
    ratio: float
    score: int


class _Search:
    """One query against some shelves: bands of lengths walked outward from the query's
    length, each unit's bound computed, the promising ones scored best bound first."""

    def __init__(self, query, threshold, score, enough, number_penalty):
        self.query, self.length = query, len(query)
        self.threshold, self.score, self.enough = max(threshold, 1), score, enough
        self.number_penalty = number_penalty
        tally = np.bincount(_buckets(query), minlength=BUCKETS)
        self.used = [(int(b), int(tally[b])) for b in np.flatnonzero(tally)]
        self.digits = np.minimum(tally[DIGITS], FULL).astype(np.uint8)[:, None]
        self.found = {}
        self.matching = 0  # units found that reach the threshold by `score`
        self.best = 0

    def bar(self):
        """What a unit must reach to be worth scoring: the threshold, or once `enough`
        are found, the best score found (only a better one could change the answer)."""
        if self.matching < self.enough:
            return self.threshold
        return max(self.threshold, self.best)

    def run(self, shelves):
        # Per shelf, the slice of lengths already done: [shorter, longer).
        done = []
        for shelf in shelves:
            at = int(np.searchsorted(shelf.lengths, np.int32(self.length), "right"))
            done.append([at, at])
        low = 100.0
        while True:
            low = max(low - BAND_POINTS, self.threshold)
            for shelf, edges in zip(shelves, done, strict=True):
                self._band(shelf, edges, low)
            # The next band's units cannot score above this band's lowest bound.
            if low <= self.bar() + EPSILON:
                return list(self.found.values())

    def _band(self, shelf, edges, low):
        """The units not yet looked at whose length bound is at least `low`."""
        share = low / 100
        shortest = math.ceil(self.length * share / (2 - share) - 1e-6)
        longest = math.floor(self.length * (2 - share) / share + 1e-6)
        # As int32, the lengths' own type: any other would copy them to compare.
        start = int(np.searchsorted(shelf.lengths, np.int32(shortest), "left"))
        stop = int(np.searchsorted(shelf.lengths, np.int32(min(longest, 2**31 - 1)), "right"))
        if start < edges[0]:
            self._slice(shelf, start, edges[0])
            edges[0] = start
        if stop > edges[1]:
            self._slice(shelf, edges[1], stop)
            edges[1] = stop

    def _slice(self, shelf, start, stop):
        if stop - start >= PARALLEL_ROWS and THREADS > 1:
            # numpy lets go of the GIL while it counts: the cores share a long slice.
            edges = np.linspace(start, stop, THREADS + 1).astype(int)
            parts = _pool().map(lambda a, b: self._common(shelf, a, b), edges[:-1], edges[1:])
            common = np.concatenate(list(parts))
        else:
            common = self._common(shelf, start, stop)
        lengths = shelf.lengths[start:stop]
        worth = np.flatnonzero((common >= self._least_common(lengths)) & shelf.alive[start:stop])
        # The ratio each could reach, by the characters it has in common with the query.
        bound = 200.0 * common[worth] / (lengths[worth] + self.length)
        worth, bound = worth[bound + EPSILON >= self.bar()], bound[bound + EPSILON >= self.bar()]
        # The STEP best bounds first: what they find raises the bar for the rest, which
        # are then scored only where their bound reaches it, in no particular order.
        if len(worth) > STEP:
            first = np.argpartition(-bound, STEP - 1)[:STEP]
            self._verify(shelf, start, worth[first])
            rest = np.ones(len(worth), dtype=bool)
            rest[first] = False
            worth, bound = worth[rest], bound[rest]
            worth = worth[bound + EPSILON >= self.bar()]
        if len(worth):
            self._verify(shelf, start, worth)

    def _least_common(self, lengths):
        """For each of these lengths (ascending), about the fewest characters in common
        with the query a unit of that length needs to reach the bar (a little fewer, never
        more: the exact test follows on the units that pass). Counted once per length,
        not in floating point for every unit."""
        if not len(lengths):
            return np.zeros(0, dtype=np.uint16)
        shortest, longest = int(lengths[0]), int(lengths[-1])
        each = np.arange(shortest, longest + 1)
        least = np.floor((self.bar() - 1e-6) * (each + self.length) / 200)
        least = np.clip(least, 0, 2**16 - 1).astype(np.uint16)
        ends = np.searchsorted(lengths, np.arange(shortest, longest + 2, dtype=np.int32), "left")
        return np.repeat(least, np.diff(ends))

    def _common(self, shelf, start, stop):
        """For each unit of the slice, at most how many characters it has in common with
        the query, by the counts of its buckets."""
        size = stop - start
        common = np.zeros(size, dtype=np.uint16)
        # Summed in bytes while the query's counts add up to a byte at most (no unit can
        # exceed them), which spares numpy a conversion for each bucket.
        group = np.zeros(size, dtype=np.uint8)
        least = np.empty(size, dtype=np.uint8)
        # numpy takes the least of two arrays many times faster than of an array and a
        # number: each count the query has is an array of its own.
        counts = {}
        room = FULL
        for bucket, count in self.used:
            column = shelf.counts[bucket, start:stop]
            if count >= FULL:
                # A full byte stands for that many or more: the query's count bounds it.
                common += np.where(column == FULL, np.uint16(count), column.astype(np.uint16))
                continue
            if count > room:
                common += group
                group[:] = 0
                room = FULL
            if count not in counts:
                counts[count] = np.full(size, count, dtype=np.uint8)
            np.minimum(column, counts[count], out=least)
            np.add(group, least, out=group)
            room -= count
        common += group
        return common

    def _verify(self, shelf, start, rows):
        """Score these rows of the slice exactly, and keep those that reach the bar, best
        ratio first. A unit's score is never above its ratio, nor above its ratio less
        the number penalty when its digits differ from the query's; a unit is scored only
        where that ceiling could beat the best found, or while fewer than `enough` are
        found, reach the threshold."""
        # A list: rapidfuzz reads it faster than an array of objects.
        sources = shelf.sources[start + rows].tolist()
        cutoff = self.bar() - EPSILON
        if len(sources) >= PARALLEL_SCORES and THREADS > 1:
            # Many to score: shared among the cores by this process's threads (faster
            # here than rapidfuzz's own workers, which start threads for each call).
            edges = np.linspace(0, len(sources), THREADS + 1).astype(int)
            parts = _pool().map(
                lambda a, b: _ratios(self.query, sources[a:b], cutoff), edges[:-1], edges[1:]
            )
            ratios = np.concatenate(list(parts))
        else:
            ratios = _ratios(self.query, sources, cutoff)
        hits = np.flatnonzero(ratios >= self.bar() - EPSILON)
        hits = hits[np.argsort(-ratios[hits], kind="stable")]
        digits = shelf.counts[DIGITS[0] : DIGITS[-1] + 1, start + rows[hits]]
        other_numbers = (digits != self.digits).any(axis=0)
        for at, numbers_differ in zip(hits.tolist(), other_numbers.tolist(), strict=True):
            ratio = float(ratios[at])
            if ratio < self.bar() - EPSILON:
                return
            ceiling = ratio - self.number_penalty if numbers_differ else ratio
            # Every unit of the same text is kept: one of them may be in context (101).
            if ratio < 100 and (
                ceiling < self.threshold - EPSILON
                or (self.matching >= self.enough and ceiling <= self.best + EPSILON)
            ):
                continue
            unit_id = int(shelf.ids[start + rows[at]])
            if unit_id not in self.found:
                score = self.score(self.query, sources[at], ratio)
                self.found[unit_id] = Found(unit_id, sources[at], ratio, score)
                self.matching += score >= self.threshold
                self.best = max(self.best, score)


def _ratios(query, sources, cutoff):
    """rapidfuzz's ratio of the query to each source (0 under the cutoff)."""
    return process.cdist(
        [query], sources, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64
    )[0]


_threads = None


def _pool():
    """The threads this process counts bounds in (made after a worker process forks)."""
    global _threads
    if _threads is None or _threads[0] != os.getpid():
        _threads = (os.getpid(), ThreadPoolExecutor(THREADS, thread_name_prefix="tm-bounds"))
    return _threads[1]


def best_units(query, indexes, threshold, score, enough=5, number_penalty=0):
    """The units of these indexes that match `query` (normalised) at `threshold` or more,
    best first by `score(query, source, ratio)`, which is never above the ratio, nor above
    the ratio less `number_penalty` when the two texts' numbers differ. The first
    scores as high as the best of a scan of every unit would; the others (at least
    `enough`, where there are so many) are the best the search met on its way.

    Returns [Found].
    """
    if not query:
        return []
    shelves = [shelf for index in indexes for shelf in index.shelves()]
    found = _Search(query, threshold, score, enough, number_penalty).run(shelves)
    return sorted(found, key=lambda unit: (-unit.score, -unit.ratio))
