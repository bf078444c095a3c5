"""How long the reviewers' quality report (LQA) takes: one document's, and the whole
project's as the dashboard's quality section counts it.

    .venv/bin/python bench/lqa_bench.py [--documents N] [--segments-per-document N]
                                        [--runs N]
                                        (defaults: 40 documents × 2,500 segments)

Creates a throwaway project in the configured database: documents whose segments each
have an agent's draft and a translator's confirmation (half of them changed, so half the
text is the agent's and half the translators'), two thirds approved by a reviewer, and
an error recorded on every 50th segment. It prints the time of one document's report
and of the project's quality overview (median of the runs) with their SQL query counts:
the counts must not grow with the documents. Targets: a document's report under 300 ms,
the project's overview under 5 s per 100,000 segments (it loads after the dashboard
page). Deletes everything at the end; exits 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOCUMENT_TARGET_MS = 300
OVERVIEW_TARGET_MS_PER_100K = 5000
SEVERITIES = ["minor", "major", "critical"]


def load(project, translators, reviewer, documents, per_document):
    from workbench.documents.models import Document, Revision, Segment
    from workbench.feedback.models import LqaError

    for number in range(documents):
        document = Document.objects.create(
            project=project,
            title=f"Judgment {number + 1}",
            original_filename="judgment.txt",
            format="txt",
            status="ready",
        )
        segments = Segment.objects.bulk_create(
            Segment(
                document=document,
                position=i + 1,
                source=f"Paragraph {i + 1} of the judgment.",
                target=f"判決第{i + 1}段。",
                status="approved" if i % 3 else "translated",
                version=3,
                source_hash=f"{number}-{i}",
                word_count=20,
            )
            for i in range(per_document)
        )
        revisions = []
        for i, segment in enumerate(segments):
            draft = "判決段落。"
            confirmed = segment.target if i % 2 else draft
            revisions += [
                Revision(
                    segment=segment,
                    origin="agent",
                    agent_role="translator",
                    model_name="bench-model",
                    new_target=draft,
                    new_status="drafted",
                    version=1,
                ),
                Revision(
                    segment=segment,
                    origin="person",
                    author=translators[i % len(translators)],
                    old_target=draft,
                    new_target=confirmed,
                    new_status="translated",
                    version=2,
                ),
            ]
            if i % 3:
                revisions.append(
                    Revision(
                        segment=segment,
                        origin="person",
                        author=reviewer,
                        old_target=confirmed,
                        new_target=confirmed,
                        new_status="approved",
                        version=3,
                    )
                )
        Revision.objects.bulk_create(revisions, batch_size=5000)
        LqaError.objects.bulk_create(
            LqaError(
                project=project,
                document=document,
                segment=segment,
                category="terminology",
                severity=SEVERITIES[i % 3],
                reviewer=reviewer,
                text_origin="person",
                translator=translators[i % len(translators)],
            )
            for i, segment in enumerate(segments[::50])
        )


def timed(runs, action):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            action()
        times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--segments-per-document", type=int, default=2_500)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from workbench.feedback import lqa
    from workbench.projects.models import Membership, Project

    suffix = os.getpid()
    project = Project.objects.create(
        name="LQA benchmark (throwaway)",
        slug=f"lqa-bench-{suffix}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    translators = [User.objects.create_user(f"lqa-bench-t{n}-{suffix}") for n in range(4)]
    reviewer = User.objects.create_user(f"lqa-bench-r-{suffix}")
    for person in translators:
        Membership.objects.create(project=project, user=person, role="translator")
    Membership.objects.create(project=project, user=reviewer, role="reviewer")
    missed = []
    try:
        counts = []
        first = max(1, options.documents // 10)
        for loaded, target in ((0, first), (first, options.documents)):
            load(project, translators, reviewer, target - loaded, options.segments_per_document)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            segments = target * options.segments_per_document
            document = project.documents.first()
            document_ms, document_queries = timed(
                options.runs, lambda document=document: lqa.report(project, [document])
            )
            overview_ms, overview_queries = timed(
                options.runs, lambda: lqa.quality_overview(project)
            )
            score = lqa.quality_overview(project)["report"].score
            counts.append((document_queries, overview_queries))
            overview_target = OVERVIEW_TARGET_MS_PER_100K * max(segments, 100_000) / 100_000
            print(
                f"{target} documents, {segments:,} segments, {score.errors:,} errors, "
                f"{score.words:,} evaluated words, {score.per_1000:.2f} points per 1,000"
            )
            print(
                f"  one document's report: {document_ms:.0f} ms in {document_queries} queries "
                f"(target < {DOCUMENT_TARGET_MS} ms)"
            )
            print(
                f"  project quality overview: {overview_ms:.0f} ms in {overview_queries} "
                f"queries (target < {overview_target:.0f} ms)"
            )
            if document_ms > DOCUMENT_TARGET_MS:
                missed.append("document report")
            if overview_ms > overview_target:
                missed.append("project overview")
        if counts[0] != counts[1]:
            print(f"  query counts grew with the documents: {counts[0]} → {counts[1]}")
            missed.append("query count")
    finally:
        project.delete()
        User.objects.filter(
            username__startswith="lqa-bench-", username__endswith=f"-{suffix}"
        ).delete()
    if missed:
        print("MISSED:", ", ".join(missed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
