"""How fast a large approved corpus is exported, and how much memory it needs.

    .venv/bin/python bench/export_bench.py [--segments N]    (default 1,000,000)

Creates a throwaway project in the configured database with N approved English ->
Traditional Chinese segments (loaded with COPY, spread over documents of 10,000
segments), exports it as TMX and as JSONL for fine-tuning to files in /tmp, and deletes
everything at the end. Targets per format: at least 20,000 units per second and under
300 MB. Exits 1 when a target is missed.

Each format is exported twice: a timed run, measuring units per second and the growth
of the process's peak resident size (ru_maxrss), and a traced run reporting the peak of
Python allocations (tracemalloc), which slows Python down too much to be timed.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEGMENTS_PER_DOCUMENT = 10_000
DISTINCT_PAIRS = 5_000
TARGET_UNITS_PER_SECOND = 20_000
TARGET_MB = 300
FORMATS = ["tmx", "jsonl-sft"]


def megabytes(kilobytes):
    return kilobytes / 1024  # ru_maxrss is in kilobytes on Linux


# Sentences of a judgment's length with the things that need escaping in XML and JSON.
SENTENCES = [
    (
        "The applicant was convicted under section {n} of the Theft Ordinance (Cap. 210) and "
        "sentenced to {m} months' imprisonment.",
        "申請人根據《盜竊罪條例》(第210章)第{n}條被定罪，並被判處監禁{m}個月。",
    ),
    (
        'The sum of HK${n},{m}00 was paid into the "client" account on {m} March 2021 & kept there.',
        "港幣{n},{m}00元於2021年3月{m}日存入「客戶」帳戶並留存該處。",
    ),
    (
        "In HCMA {n}/2019 the Court of Appeal held that the judge at paragraph {m} erred <in law>.",
        "在HCMA {n}/2019一案中，上訴法庭裁定原審法官在第{m}段犯了<法律上的>錯誤。",
    ),
]


def sentence_pair(number):
    english, chinese = SENTENCES[number % len(SENTENCES)]
    values = {"n": number % 997 + 1, "m": number % 28 + 1}
    return english.format(**values), chinese.format(**values)


def load_corpus(project, count):
    """`count` approved segments with COPY; returns the documents' ids."""
    from django.db import connection
    from django.utils import timezone

    from workbench.documents.models import Document, Segment

    pairs = [sentence_pair(number) for number in range(DISTINCT_PAIRS)]
    fields = [f for f in Segment._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    document_ids = []
    with connection.cursor() as cursor:
        for first in range(0, count, SEGMENTS_PER_DOCUMENT):
            document = Document.objects.create(
                project=project,
                title=f"Benchmark judgment {first // SEGMENTS_PER_DOCUMENT + 1}",
                original_filename="bench.txt",
                format="txt",
                status="ready",
            )
            document_ids.append(document.pk)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            copy_sql = f"COPY {Segment._meta.db_table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for position in range(1, min(SEGMENTS_PER_DOCUMENT, count - first) + 1):
                    english, chinese = pairs[(first + position) % DISTINCT_PAIRS]
                    values = {
                        "document": document.pk,
                        "position": position,
                        "source": english,
                        "target": chinese,
                        "status": "approved",
                        "source_hash": Segment.hash_source(english),
                        "block": position,
                        "paragraph_number": str(position),
                        "updated_at": now,
                    }
                    copy.write_row(
                        [
                            f.get_db_prep_save(values.get(f.name, f.get_default()), connection)
                            for f in fields
                        ]
                    )
    return document_ids


def export(project, format_name, path, traced):
    from workbench.feedback.exports import Corpus, export_corpus

    if traced:
        tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(path, "wb") as out:
        tally = export_corpus(Corpus(project), format_name, out)
    seconds = time.perf_counter() - started
    rss_growth = megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before)
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return tally.units, seconds, rss_growth, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=1_000_000)
    count = parser.parse_args().segments

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.db import connection

    from workbench.documents.models import Segment
    from workbench.projects.models import Project

    project = Project.objects.create(
        name="Export benchmark (throwaway)",
        slug=f"export-bench-{os.getpid()}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    missed = []
    try:
        started = time.perf_counter()
        document_ids = load_corpus(project, count)
        print(
            f"Loaded {count:,} approved segments in {len(document_ids)} documents "
            f"({time.perf_counter() - started:.0f} s) into project {project.slug}."
        )
        for format_name in FORMATS:
            with tempfile.NamedTemporaryFile(prefix=f"export-bench-{format_name}-") as file:
                units, seconds, rss_growth, _ = export(project, format_name, file.name, False)
                size = Path(file.name).stat().st_size / 1024 / 1024
                _, _, _, traced_peak = export(project, format_name, file.name, True)
            rate = units / seconds
            print(f"{format_name}: {units:,} units, {size:.0f} MB file")
            print(f"  units per second  {rate:10,.0f}   (target >= {TARGET_UNITS_PER_SECOND:,})")
            print(f"  seconds           {seconds:10.1f}")
            print(f"  ru_maxrss growth  {rss_growth:10.1f} MB (target < {TARGET_MB})")
            print(f"  tracemalloc peak  {traced_peak:10.1f} MB (separate traced run)")
            if units != count:
                missed.append(f"{format_name} wrote {units:,} units, not {count:,}")
            if rate < TARGET_UNITS_PER_SECOND:
                missed.append(f"{format_name} at {rate:,.0f} units/s")
            for what, peak in [("resident", rss_growth), ("traced", traced_peak)]:
                if peak >= TARGET_MB:
                    missed.append(f"{format_name} {peak:.0f} MB {what}")
    finally:
        # Straight SQL: the ORM would load a million segments to cascade the delete.
        # The table name is the model's own, not input.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Segment._meta.db_table} WHERE document_id = ANY(%s)",  # noqa: S608
                [list(project.documents.values_list("pk", flat=True))],
            )
        project.delete()
    if missed:
        print("Target missed: " + "; ".join(missed) + ".")
        return 1
    print("Within target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
