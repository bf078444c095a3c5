"""How long importing a long judgment takes, and how much memory it needs.

    .venv/bin/python bench/import_bench.py

Builds a judgment-like DOCX of 5,000 auto-numbered paragraphs (about 250,000 words) with
headings every 50 paragraphs, tables and footnotes, and imports it with
`import_document` into a throwaway project in the configured database, which is deleted
at the end. Targets: under 10 seconds and under 500 MB. Exits 1 when the import is
refused or a target is missed.

Memory is measured twice, because tracemalloc slows Python down: the timed run reports
the growth of the process's peak resident size (ru_maxrss), and a second, traced run of
the same import reports the peak of Python allocations (tracemalloc).
"""

import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS = 5000
WORDS_PER_PARAGRAPH = 41  # paragraphs end on a whole sentence, about 50 words on average
HEADING_EVERY = 50
TABLE_EVERY = 500
FOOTNOTE_EVERY = 100
TARGET_SECONDS = 10
TARGET_MB = 500


def build_long_judgment():
    """The benchmark DOCX as bytes, with the same writer as the demo judgment."""
    from legal_corpus import legal_pairs

    from workbench.demo.build import JudgmentDocx

    sentences = (english for english, _ in legal_pairs(PARAGRAPHS * 4, seed=5000))
    writer = JudgmentDocx()
    words = 0
    for number in range(PARAGRAPHS):
        if number % HEADING_EVERY == 0:
            section = number // HEADING_EVERY + 1
            level = 1 if number % TABLE_EVERY == 0 else 2
            writer.heading(f"{section}. The issues raised under ground {section}", level=level)
        paragraph = []
        while len(" ".join(paragraph).split()) < WORDS_PER_PARAGRAPH:
            paragraph.append(next(sentences))
        text = " ".join(paragraph)
        words += len(text.split())
        if number % FOOTNOTE_EVERY == FOOTNOTE_EVERY - 1:
            text += f"{{fn: See the transcript, Day {number // 250 + 1}, p. {number % 97 + 1}.}}"
        writer.numbered(text)
        if number % TABLE_EVERY == TABLE_EVERY - 1:
            writer.table(
                [["Date", "Account", "Amount (HK$)"]]
                + [
                    [f"{day} March 2021", f"012-{number:06d}-{day:03d}", f"{day * 12_345:,}.00"]
                    for day in range(1, 6)
                ]
            )
    return writer.to_bytes(title="Import benchmark judgment"), words


def megabytes(kilobytes):
    return kilobytes / 1024  # ru_maxrss is in kilobytes on Linux


def main():
    # Built in a child process, so that its memory does not hide the import's peak.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        data, words = pool.submit(build_long_judgment).result()

    media_root = tempfile.mkdtemp(prefix="import-bench-")
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from workbench.documents.importers.base import ImportRejected
    from workbench.documents.services import import_document
    from workbench.projects.models import Project

    project = Project.objects.create(
        name="Import benchmark (throwaway)",
        slug=f"import-bench-{os.getpid()}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    print(
        f"Importing a judgment of {PARAGRAPHS:,} paragraphs and {words:,} words "
        f"({len(data) / 1024 / 1024:.1f} MB DOCX) into project {project.slug}."
    )
    try:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        document = import_document(project, data=data, filename="long_judgment.docx")
        seconds = time.perf_counter() - started
        rss_growth = megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before)
        segments = document.segments.count()

        tracemalloc.start()
        import_document(project, data=data, filename="long_judgment_traced.docx")
        traced_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    except ImportRejected as error:
        print(f"The import was refused: {error}")
        return 1
    finally:
        project.delete()
        shutil.rmtree(media_root, ignore_errors=True)

    print(f"  seconds           {seconds:8.2f}   (target < {TARGET_SECONDS})")
    print(f"  ru_maxrss growth  {rss_growth:8.1f} MB (target < {TARGET_MB})")
    print(f"  tracemalloc peak  {traced_peak:8.1f} MB (separate traced run)")
    print(f"  segments          {segments:8,}")
    missed = []
    if seconds >= TARGET_SECONDS:
        missed.append(f"{seconds:.1f} s is over {TARGET_SECONDS} s")
    for what, peak in [("resident", rss_growth), ("traced", traced_peak)]:
        if peak >= TARGET_MB:
            missed.append(f"{peak:.0f} MB {what} is over {TARGET_MB} MB")
    if missed:
        print("Target missed: " + "; ".join(missed) + ".")
        return 1
    print("Within target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
