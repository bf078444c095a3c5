"""How long the project manager's dashboard takes on a large project, in how many queries.

    .venv/bin/python bench/dashboard_bench.py [--documents N] [--segments-per-document N]
                                              [--runs N]
                                              (defaults: 200 documents × 2,500 segments)

Creates a throwaway project in the configured database: documents of judgment-sized
segments in every status, four revisions per segment (the agents' draft, a translator's
save and sign-off, a reviewer's approval or a second save) spread over a year, model
calls, and jobs; all loaded with COPY, which fires the triggers that keep the dashboard's
tallies, as every other write does. It renders the dashboard through Django's test
Client first with a tenth of the documents loaded, then with all of them, and prints the
server time (median of the runs) and the number of SQL queries each time: the count
must not grow with the documents. Target: under 500 ms. Deletes everything at the end;
exits 1 when a target is missed.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 500
DAYS = 365
TRANSLATORS = ["tom", "tina", "tess", "theo"]
REVIEWERS = ["rita", "rex"]
MODEL_CALLS = 20_000


def copy_rows(cursor, model, rows, columns):
    """COPY the rows into the model's table. The model's other columns that may not be
    null get their Django default (the database has no defaults of its own), so new
    fields do not break the loader."""
    from django.db import connection

    named = [model._meta.get_field(c) for c in columns]
    rest = [
        field
        for field in model._meta.concrete_fields
        if field not in named
        and not field.null
        and not field.primary_key
        and field.get_default() is not None
    ]
    defaults = [field.get_db_prep_save(field.get_default(), connection) for field in rest]
    names = ", ".join(connection.ops.quote_name(f.column) for f in named + rest)
    with cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*row, *defaults])


def load_documents(project, translators, reviewers, first, count, segments_per_document, rng):
    """Documents first+1 .. first+count with their segments and four revisions each."""
    from django.db import connection
    from django.utils import timezone

    from workbench.documents.models import Document, Revision, Segment

    now = timezone.now()
    segment_columns = [
        "document", "position", "source", "target", "status", "version", "source_hash",
        "word_count", "char_count", "kind", "paragraph_number", "block", "hidden",
        "structure", "placeholders", "draft_origin", "updated_at",
    ]  # fmt: skip
    revision_columns = [
        "segment", "origin", "author", "agent_role", "model_name", "prompt_version",
        "old_target", "new_target", "old_status", "new_status", "version", "machine_text",
        "machine_origin", "seconds_spent", "created_at",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for number in range(first + 1, first + count + 1):
            document = Document.objects.create(
                project=project,
                title=f"Benchmark judgment {number}",
                original_filename="bench.docx",
                format="docx",
                status="ready",
                due_date=(now + datetime.timedelta(days=rng.randint(-10, 60))).date(),
            )
            # How far along this document is: the first `done` segments approved, the
            # next `confirmed` translated, the rest drafted by the agents.
            done = rng.randint(0, segments_per_document)
            confirmed = rng.randint(0, segments_per_document - done)
            statuses = (
                ["approved"] * done
                + ["translated"] * confirmed
                + ["drafted"] * (segments_per_document - done - confirmed)
            )
            copy_rows(
                cursor,
                Segment,
                (
                    [
                        document.pk,
                        position,
                        f"Paragraph {position} of the judgment.",
                        f"判決第{position}段。",
                        status,
                        3,
                        f"{document.pk}-{position}",
                        12 + position % 30,
                        60,
                        "paragraph",
                        str(position),
                        position,
                        False,
                        "{}",
                        "{}",
                        "agent",
                        now,
                    ]  # fmt: skip
                    for position, status in enumerate(statuses, start=1)
                ),
                segment_columns,
            )
            document.assign(rng.choice(translators), role="translator", by=None)
            document.assign(rng.choice(reviewers), role="reviewer", by=None)
            cursor.execute(
                "SELECT id, status FROM documents_segment WHERE document_id = %s", [document.pk]
            )
            segments = cursor.fetchall()

            def revisions(segments=segments):
                for segment_id, status in segments:
                    drafted = now - datetime.timedelta(days=rng.uniform(30, DAYS))
                    translator = rng.choice(translators).pk
                    draft = "機器譯文"
                    yield [segment_id, "agent", None, "translator", "gpt-4.1-mini",
                           "translator-v3", "", draft, "new", "drafted", 1, "", "{}", None,
                           drafted]  # fmt: skip
                    saved = drafted + datetime.timedelta(days=rng.uniform(0, 20))
                    yield [segment_id, "person", translator, "", "", "", draft, "草稿",
                           "drafted", "drafted", 2, draft, "{}", rng.randint(5, 300),
                           saved]  # fmt: skip
                    signed = min(now, saved + datetime.timedelta(days=rng.uniform(0, 10)))
                    kept = rng.random() < 0.6
                    final = draft if kept else "人工譯文"
                    if status == "drafted":
                        yield [segment_id, "person", translator, "", "", "", "草稿", "草稿二",
                               "drafted", "drafted", 3, draft, "{}", rng.randint(5, 300),
                               signed]  # fmt: skip
                        yield [segment_id, "person", translator, "", "", "", "草稿二", "草稿三",
                               "drafted", "drafted", 4, draft, "{}", rng.randint(5, 300),
                               signed]  # fmt: skip
                        continue
                    yield [segment_id, "person", translator, "", "", "", "草稿", final,
                           "drafted", "translated", 3, draft, "{}", rng.randint(5, 300),
                           signed]  # fmt: skip
                    reviewer = rng.choice(reviewers).pk
                    approved = min(now, signed + datetime.timedelta(days=rng.uniform(0, 5)))
                    if status == "approved":
                        yield [segment_id, "person", reviewer, "", "", "", final, final,
                               "translated", "approved", 4, "", "{}", None,
                               approved]  # fmt: skip
                    else:
                        yield [segment_id, "person", translator, "", "", "", final, final,
                               "translated", "translated", 4, draft, "{}", None,
                               approved]  # fmt: skip

            copy_rows(cursor, Revision, revisions(), revision_columns)


def load_agent_work(project, manager, rng):
    from django.db import connection
    from django.utils import timezone

    from workbench.jobs.models import Job, ModelCall

    now = timezone.now()
    jobs = [
        Job.objects.create(
            kind=kind, project=project, status=status, created_by=manager, error=error,
            progress_done=3, progress_total=10,
        )
        for kind, status, error in [
            ("draft_document", "running", ""),
            ("draft_document", "failed", "The model endpoint timed out three times."),
            ("export", "succeeded", ""),
        ] * 10
    ]  # fmt: skip
    columns = [
        "job", "project", "role", "model", "prompt_version", "tokens_in", "tokens_out",
        "latency_ms", "outcome", "attempts", "error", "created_at",
    ]  # fmt: skip
    roles = [
        ("translator", "gpt-4.1-mini"),
        ("annotator", "qwen2.5-72b"),
        ("proofreader", "gpt-4.1"),
    ]
    with connection.cursor() as cursor:
        copy_rows(
            cursor,
            ModelCall,
            (
                [
                    rng.choice(jobs).pk,
                    project.pk,
                    role,
                    model,
                    f"{role}-v{rng.randint(1, 3)}",
                    rng.randint(500, 4000),
                    rng.randint(100, 1500),
                    rng.randint(300, 9000),
                    "ok" if rng.random() < 0.97 else "timeout",
                    1,
                    "",
                    now - datetime.timedelta(days=rng.uniform(0, DAYS)),
                ]  # fmt: skip
                for role, model in (rng.choice(roles) for _ in range(MODEL_CALLS))
            ),
            columns,
        )


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            raise SystemExit(f"The dashboard answered {response.status_code}.")
        queries = len(captured.captured_queries)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(f"    {float(query['time']) * 1000:6.0f} ms  {query['sql'][:150]}")
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--segments-per-document", type=int, default=2_500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", choices=["day", "week"], default="day")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from workbench.projects.models import Membership, Project

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic here: serve static files by name, as the tests do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(7)
    suffix = os.getpid()
    project = Project.objects.create(
        name="Dashboard benchmark (throwaway)",
        slug=f"dashboard-bench-{suffix}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    manager = User.objects.create_user(f"bench-manager-{suffix}")
    translators = [User.objects.create_user(f"bench-{n}-{suffix}") for n in TRANSLATORS]
    reviewers = [User.objects.create_user(f"bench-{n}-{suffix}") for n in REVIEWERS]
    Membership.objects.create(project=project, user=manager, role="manager")
    for people, role in ((translators, "translator"), (reviewers, "reviewer")):
        for person in people:
            Membership.objects.create(project=project, user=person, role=role)
    client = Client()
    client.force_login(manager)
    url = reverse("dashboard", args=[project.slug]) + f"?period={options.period}"
    missed = []
    try:
        started = time.perf_counter()
        load_agent_work(project, manager, rng)
        first_step = max(1, options.documents // 10)
        results = []
        loaded = 0
        for target in (first_step, options.documents):
            load_documents(
                project,
                translators,
                reviewers,
                loaded,
                target - loaded,
                options.segments_per_document,
                rng,
            )
            loaded = target
            with connection.cursor() as cursor:
                # A bulk load leaves the visibility map empty and the statistics stale;
                # a live database has had autovacuum through it.
                cursor.execute(
                    "VACUUM ANALYZE documents_document, documents_segment, "
                    "translation_revision, jobs_modelcall, documents_assignment, "
                    "dashboard_statustally, dashboard_worktally"
                )
            segments = loaded * options.segments_per_document
            print(
                f"Loaded {loaded} documents, {segments:,} segments, {4 * segments:,} revisions "
                f"({time.perf_counter() - started:.0f} s so far)."
            )
            client.get(url)  # warm: connection, templates, the database's caches
            median, queries = measure(client, url, options.runs)
            results.append((loaded, median, queries))
            print(f"  dashboard p50 {median:7.0f} ms over {options.runs} runs, {queries} queries")
        (_, _, few), (_, slowest, many) = results
        print(
            f"Target: under {TARGET_MS} ms; queries the same at {first_step} and {loaded} documents."
        )
        if slowest >= TARGET_MS:
            missed.append(f"{slowest:.0f} ms with {loaded} documents")
        if many != few:
            missed.append(f"{few} queries became {many}")
    finally:
        # Straight SQL: the ORM would load millions of rows to cascade the delete. The
        # table names are the models' own, not input.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM translation_revision WHERE segment_id IN (SELECT s.id FROM "
                "documents_segment s JOIN documents_document d ON d.id = s.document_id "
                "WHERE d.project_id = %s)",
                [project.pk],
            )
            cursor.execute(
                "DELETE FROM documents_segment WHERE document_id IN (SELECT id FROM "
                "documents_document WHERE project_id = %s)",
                [project.pk],
            )
        project.delete()
        User.objects.filter(pk__in=[u.pk for u in [manager, *translators, *reviewers]]).delete()
    if missed:
        print("Target missed: " + "; ".join(missed) + ".")
        return 1
    print("Within target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
