#!/usr/bin/env python
"""Translation memory at scale: import a large TMX, then time fuzzy lookups.

    .venv/bin/python bench/tm_bench.py [--units N] [--queries Q]

Generates synthetic English → Traditional Chinese sentence pairs in the style of Hong
Kong judgments (parties, sections, Cap. numbers, dates, sums), writes them as TMX,
imports the file through the workbench's importer (seconds, and how much the process's
peak resident memory grew), copies the units into a Chinese → English memory, and times
`lookup()` for English and for Chinese queries (half near-duplicates of stored units,
half new sentences). In the same run a brute-force rapidfuzz scan over every unit, for a
sample of the queries, shows what the indexes save (time, and the ratio to the median
lookup) and what they cost in quality: for how many queries lookup's top 5 held the
unit the scan found best, and for how many lookup's best match scored as high.

Targets: import of 1,000,000 units under 5 minutes in flat memory; lookup p95 under
50 ms in both languages. Exits 1 when one is missed.

Everything is created in throwaway projects in the configured database and deleted at
the end, also when a step fails or the run is interrupted (Ctrl+C, SIGTERM).
"""

import argparse
import os
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from legal_corpus import corpus, near_duplicate, write_tmx  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from workbench.memory.lookup import lookup  # noqa: E402
from workbench.memory.models import TranslationMemory, TranslationUnit  # noqa: E402
from workbench.memory.services import project_memory  # noqa: E402
from workbench.memory.tm_io import import_memory_file  # noqa: E402
from workbench.projects.models import Project  # noqa: E402

IMPORT_SECONDS = 300
LOOKUP_P95_MS = 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute", type=int, default=50, help="queries for the brute-force scan")
    args = parser.parse_args()
    # A SIGTERM becomes SystemExit, so the `finally` below still deletes the data.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    suffix = f"{os.getpid()}"
    projects = []
    try:
        for language, other in (("en", "zh-Hant-HK"), ("zh-Hant-HK", "en")):
            projects.append(
                Project.objects.create(
                    name=f"TM bench {language} {suffix}",
                    slug=f"tm-bench-{language.lower()}-{suffix}",
                    source_language=language,
                    target_language=other,
                )
            )
        met = run(args, *projects)
    finally:
        for project in projects:
            TranslationUnit.objects.filter(memory__owner=project).delete()
            project.delete()
    sys.exit(0 if met else 1)


def run(args, en_project, zh_project):
    print(f"load average at the start: {_load()}")
    rng = random.Random(7)
    keep_every = max(1, args.units // args.queries)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.tmx"
        started = time.perf_counter()
        sample = write_tmx(path, args.units, seed=2024, keep_every=keep_every)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"wrote {args.units:,} units as TMX ({size:.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        memory = project_memory(en_project)
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            result = import_memory_file(memory, stream, "bench.tmx")
        seconds = time.perf_counter() - started
    growth = _peak_rss_mb() - rss_before
    import_met = seconds < IMPORT_SECONDS
    print(
        f"import: {result.added:,} added, {result.merged:,} merged in {seconds:.1f} s "
        f"({args.units / seconds:,.0f} units/s; target < {IMPORT_SECONDS} s: "
        f"{_verdict(import_met)}); peak RSS grew by {growth:.0f} MB "
        f"(to {_peak_rss_mb():.0f} MB)"
    )
    copy_reversed(memory, project_memory(zh_project))

    met = import_met
    half = args.queries // 2
    new_sentences = list(corpus(args.queries - half, seed=99))
    for label, project, side in [("English", en_project, 0), ("Chinese", zh_project, 1)]:
        queries = [near_duplicate(pair[side], rng) for pair in sample[:half]]
        queries += [pair[side] for pair in new_sentences]
        rng.shuffle(queries)
        lookup(queries[0], project)  # warm the connection and caches
        times, hits = timed_lookups(queries, project)
        p95 = percentile(times, 0.95)
        met = met and p95 < LOOKUP_P95_MS
        print(
            f"{label} lookup, {len(queries)} queries: p50 {percentile(times, 0.5):.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms (target p95 < {LOOKUP_P95_MS} ms: "
            f"{_verdict(p95 < LOOKUP_P95_MS)}); {hits} with a match at or above "
            f"{project.tm_threshold}%"
        )
        brute_force(label, project, rng.sample(queries, min(args.brute, len(queries))), times)
    print(f"load average at the end: {_load()}")
    return met


def copy_reversed(memory, zh_memory):
    """The Chinese → English memory holds the same units the other way round."""
    started = time.perf_counter()
    table = TranslationUnit._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"""INSERT INTO {table} (memory_id, source, target, source_language, target_language,
                source_hash, target_hash, previous_hash, next_hash, origin, quality,
                imported_from, created_at, updated_at)
            SELECT %s, target, source, target_language, source_language, target_hash,
                source_hash, '', '', origin, quality, imported_from, created_at, updated_at
            FROM {table} WHERE memory_id = %s""",  # noqa: S608  (the model's table)
            [zh_memory.pk, memory.pk],
        )
    print(f"copied the units into a zh → en memory in {time.perf_counter() - started:.1f} s")
    # What autovacuum does after a million inserts (PostgreSQL 13 and later): the word
    # statistics lookup reads, the visibility map, the GIN pending lists merged.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"vacuumed and analysed the table in {time.perf_counter() - started:.1f} s")


def timed_lookups(queries, project):
    times, hits = [], 0
    for query in queries:
        started = time.perf_counter()
        matches = lookup(query, project, limit=5)
        times.append((time.perf_counter() - started) * 1000)
        hits += bool(matches)
    times.sort()
    return times, hits


def percentile(times, fraction):
    return times[min(len(times) - 1, int(len(times) * fraction))]


def brute_force(label, project, queries, times):
    """Score every unit with rapidfuzz: the answer lookup should find, and what it costs."""
    memory = TranslationMemory.objects.get(owner=project)
    sources = list(memory.units.values_list("source", flat=True).iterator(chunk_size=20000))
    started = time.perf_counter()
    best = [process.extractOne(query, sources, scorer=fuzz.ratio) for query in queries]
    per_query = (time.perf_counter() - started) * 1000 / max(1, len(queries))
    median = statistics.median(times)
    # Only a best unit at or above the threshold is one lookup should return.
    reachable = [(q, b) for q, b in zip(queries, best, strict=True) if b[1] >= project.tm_threshold]
    same_unit = as_good = 0
    for query, (source, score, _) in reachable:
        found = lookup(query, project, limit=5)
        same_unit += any(" ".join(source.split()) == " ".join(m.source.split()) for m in found)
        as_good += max((fuzz.ratio(query, m.source) for m in found), default=0) >= score
    print(
        f"{label} brute force over {len(sources):,} units, {len(queries)} queries: "
        f"{per_query:.0f} ms per query, {per_query / max(median, 0.001):,.0f}× the median "
        f"lookup. Of the {len(reachable)} queries whose best unit scores at least "
        f"{project.tm_threshold}%, lookup's top 5 held that unit for {same_unit} "
        f"({_share(same_unit, reachable)}) and a match scoring as high for {as_good} "
        f"({_share(as_good, reachable)})"
    )


def _share(count, total):
    return f"{100 * count / len(total):.0f}%" if total else "n/a"


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _verdict(met):
    return "met" if met else "MISSED"


if __name__ == "__main__":
    main()
