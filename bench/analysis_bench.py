#!/usr/bin/env python
"""The analysis of a project by TM match band, at the size of a large order.

    .venv/bin/python bench/analysis_bench.py [--documents N] [--units U]

Imports the demo judgment N times into a throwaway project (the first copy as it is, the
others with a word changed in every sentence, so they are fuzzy matches and repetitions
of each other rather than all repetitions), fills the project memory with U units made
of the judgment's sentences (a third exact, the rest with words left out) and of
unrelated sentences, then times the analysis of the whole project as its job runs it:
seconds, segments per second, and the table. Prints figures; asserts nothing.

Everything is created in a throwaway project in the configured database (files in a
temporary folder) and deleted at the end, also when a step fails.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
# The imported originals go to a throwaway folder, never to the configured MEDIA_ROOT.
MEDIA_ROOT = tempfile.mkdtemp(prefix="analysis-bench-")
os.environ["MEDIA_ROOT"] = MEDIA_ROOT

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from workbench.documents.models import Segment  # noqa: E402
from workbench.documents.services import import_document  # noqa: E402
from workbench.memory.analysis import analyse  # noqa: E402
from workbench.memory.models import TranslationUnit  # noqa: E402
from workbench.memory.services import project_memory  # noqa: E402
from workbench.projects.models import Project  # noqa: E402

DEMO = Path(settings.BASE_DIR) / "workbench/demo/hk_judgment_facc_2024.docx"
FILLER = "The {0} of the {1} was heard by the {2} on the {3} day of the hearing."
WORDS = ["appeal", "application", "summons", "tribunal", "court", "judge", "registrar"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--units", type=int, default=20_000)
    options = parser.parse_args()
    random.seed(15)
    project = Project.objects.create(
        name="Analysis bench",
        slug=f"analysis-bench-{os.getpid()}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    try:
        run(project, options)
    finally:
        project.delete()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


def run(project, options):
    started = time.perf_counter()
    first = import_document(project, data=DEMO.read_bytes(), filename=DEMO.name)
    sources = list(first.segments.order_by("position").values_list("source", flat=True))
    for copy in range(1, options.documents):
        edited = [edit(source, copy) for source in sources]
        import_document(project, data="\n\n".join(edited).encode(), filename=f"copy-{copy}.txt")
    print(f"Imported {options.documents} documents in {time.perf_counter() - started:.1f} s")

    memory = project_memory(project)
    units = []
    for index in range(options.units):
        if index < len(sources) * 3:
            source = sources[index % len(sources)]
            source = source if index % 3 == 0 else leave_out(source, 3 + index % 5)
        else:
            source = FILLER.format(*random.sample(WORDS, 4)) + f" ({index})"
        units.append(
            TranslationUnit(
                memory=memory,
                source=source,
                target="譯文",
                source_hash=TranslationUnit.hash_text(source),
                target_hash=TranslationUnit.hash_text("譯文"),
                source_language="en",
                target_language="zh-Hant-HK",
                origin="import",
                quality="translated",
            )
        )
    TranslationUnit.objects.bulk_create(units, batch_size=2000, ignore_conflicts=True)
    with connection.cursor() as cursor:  # the word statistics autovacuum would gather
        cursor.execute(f"ANALYZE {TranslationUnit._meta.db_table}")
    print(f"Memory of {options.units:,} units")

    segments = Segment.objects.filter(document__project=project).count()
    started = time.perf_counter()
    rows, _, _ = analyse(project)
    seconds = time.perf_counter() - started
    print(
        f"Analysed {segments:,} segments in {seconds:.1f} s: {segments / seconds:,.0f} per second"
    )
    for row in rows:
        print(f"  {row['label']:<20} {row['segments']:>7,} segments {row['words']:>9,} words")


def edit(source, copy):
    words = source.split()
    if len(words) > 3:
        words[len(words) // 2] = random.choice(WORDS)
    return " ".join(words)


def leave_out(source, step):
    words = source.split()
    return " ".join(word for index, word in enumerate(words, start=1) if index % step)


if __name__ == "__main__":
    main()
