"""The tallies the dashboard reads equal a recount from the segments and revisions, after
every kind of write: save, bulk_create, queryset.update, delete, and writers at once."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import make_user
from workbench.dashboard.metrics import daily_work
from workbench.dashboard.models import StatusTally, WorkTally
from workbench.documents.models import Document, Revision, Segment

FIGURES = [
    "revisions",
    "words_translated",
    "words_propagated",
    "words_approved",
    "timed_revisions",
    "seconds",
    "offered",
    "accepted",
]


def make_document(project, title, words):
    """A document whose segments have the given word counts, all new."""
    document = Document.objects.create(
        project=project, title=title, original_filename=f"{title}.txt", format="txt"
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=n,
            source=f"Paragraph {n}.",
            source_hash=f"{title}-{n}",
            word_count=count,
        )
        for n, count in enumerate(words, start=1)
    )
    return document


def status_tallies():
    return {
        (tally.document_id, tally.status): (tally.segments, tally.words)
        for tally in StatusTally.objects.all()
        if tally.segments or tally.words
    }


def recounted_statuses():
    counts = {}
    for document, status, words in Segment.objects.values_list("document", "status", "word_count"):
        segments, total = counts.get((document, status), (0, 0))
        counts[(document, status)] = (segments + 1, total + words)
    return counts


def quarter(moment):
    moment = moment.astimezone(datetime.UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def work_tallies():
    tallies = {}
    for tally in WorkTally.objects.all():
        figures = tuple(getattr(tally, figure) for figure in FIGURES)
        if any(figures):
            tallies[(tally.project_id, tally.person_id, tally.quarter)] = figures
    return tallies


def recounted_work():
    """The figures of migration 0002, counted again in Python from every revision."""
    work = {}
    revisions = Revision.objects.filter(origin__in=["person", "propagation"]).select_related(
        "segment__document"
    )
    for revision in revisions:
        person = revision.origin == "person"
        signs_off = revision.old_status in ("", "new", "drafted") and revision.new_status in (
            "translated",
            "approved",
        )
        approves = revision.new_status == "approved" and revision.old_status != "approved"
        offered = signs_off and revision.machine_text != ""
        words = revision.segment.word_count
        figures = (
            1,
            words if person and signs_off else 0,
            words if not person and signs_off else 0,
            words if person and approves else 0,
            1 if person and revision.seconds_spent is not None else 0,
            (revision.seconds_spent or 0) if person else 0,
            1 if person and offered else 0,
            1 if person and offered and revision.new_target == revision.machine_text else 0,
        )
        key = (
            revision.segment.document.project_id,
            revision.author_id,
            quarter(revision.created_at),
        )
        work[key] = tuple(a + b for a, b in zip(work.get(key, (0,) * 8), figures, strict=True))
    return work


def revision(segment, author, new_status, *, origin="person", machine_text="", seconds=None):
    return Revision(
        segment=segment,
        origin=origin,
        author=author,
        old_target=segment.target,
        new_target="人工譯文",
        old_status=segment.status,
        new_status=new_status,
        version=segment.version + 1,
        machine_text=machine_text,
        seconds_spent=seconds,
    )


def test_it_counts_segments_created_one_by_one_and_in_bulk(project):
    document = make_document(project, "Chan", [10, 20, 30])
    Segment.objects.create(document=document, position=4, source="x", word_count=7)
    assert status_tallies() == {(document.pk, "new"): (4, 67)}
    assert status_tallies() == recounted_statuses()


def test_it_follows_status_changes_by_save_and_by_queryset_update(project, zh_project):
    chan = make_document(project, "Chan", [10, 20, 30, 40])
    wong = make_document(zh_project, "Wong", [5, 6])
    Segment.objects.filter(document__project=project).update(status="drafted")
    segment = chan.segments.get(position=2)
    segment.status = "translated"
    segment.save()
    segment.target = "新譯文"  # a text saved without a change of status
    segment.save()
    Segment.objects.filter(document=chan, position__gte=3).update(status="approved")
    Segment.objects.filter(document=wong, position=1).update(word_count=9)
    assert status_tallies() == recounted_statuses()
    assert status_tallies()[(chan.pk, "approved")] == (2, 70)
    assert status_tallies()[(wong.pk, "new")] == (2, 15)


def test_it_forgets_deleted_segments_and_documents(project):
    chan = make_document(project, "Chan", [10, 20, 30])
    wong = make_document(project, "Wong", [5, 6])
    chan.segments.filter(position=1).delete()
    wong.delete()
    assert status_tallies() == recounted_statuses() == {(chan.pk, "new"): (2, 50)}
    assert not StatusTally.objects.filter(document_id=wong.pk).exists()


def test_it_tallies_the_work_of_people_and_propagation_but_not_of_machines(
    project, translator, reviewer
):
    document = make_document(project, "Chan", [10, 20, 30, 40])
    first, second, third, fourth = document.segments.order_by("position")
    revision(first, translator, "translated", machine_text="人工譯文", seconds=40).save()
    Revision.objects.bulk_create(
        [
            revision(second, translator, "translated", machine_text="機器譯文", seconds=25),
            revision(third, translator, "translated", origin="propagation"),
            revision(fourth, None, "drafted", origin="agent"),
            revision(first, reviewer, "approved"),
        ]
    )
    first.status = "approved"
    revision(first, reviewer, "approved").save()  # a second save of an approved text
    assert work_tallies() == recounted_work()
    (translated,) = WorkTally.objects.filter(person=translator)
    assert (translated.words_translated, translated.words_propagated) == (30, 30)
    assert (translated.offered, translated.accepted, translated.seconds) == (2, 1, 65)
    assert WorkTally.objects.get(person=reviewer).words_approved == 10
    assert not WorkTally.objects.filter(person=None).exists()


def test_it_moves_work_when_a_revision_changes_time_or_loses_its_author(
    project, translator, reviewer
):
    document = make_document(project, "Chan", [10, 20])
    first, second = document.segments.order_by("position")
    Revision.objects.bulk_create(
        [
            revision(first, translator, "translated", seconds=30),
            revision(second, reviewer, "approved"),
        ]
    )
    last_week = timezone.now() - datetime.timedelta(days=7, minutes=3)
    Revision.objects.filter(author=translator).update(created_at=last_week)
    assert work_tallies() == recounted_work()
    assert WorkTally.objects.get(person=translator, revisions=1).quarter == quarter(last_week)
    reviewer.delete()
    assert work_tallies() == recounted_work()
    assert WorkTally.objects.get(person=None).words_approved == 20


def test_it_subtracts_the_work_on_a_deleted_document(project, translator):
    chan = make_document(project, "Chan", [10, 20])
    wong = make_document(project, "Wong", [5])
    Revision.objects.bulk_create(
        revision(segment, translator, "translated")
        for segment in Segment.objects.filter(document__project=project)
    )
    wong.delete()
    assert work_tallies() == recounted_work()
    assert WorkTally.objects.get(project=project).words_translated == 30
    chan.segments.first().delete()
    assert work_tallies() == recounted_work()


def test_a_deleted_project_leaves_no_tallies(project, translator):
    document = make_document(project, "Chan", [10, 20])
    revision(document.segments.first(), translator, "translated").save()
    project.delete()
    assert not StatusTally.objects.exists()
    assert not WorkTally.objects.exists()


def test_days_are_local_even_where_the_offset_is_not_whole_hours(project, translator, settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+5:30
    document = make_document(project, "Chan", [10, 20])
    first, second = document.segments.order_by("position")
    Revision.objects.bulk_create(
        [revision(first, translator, "translated"), revision(second, translator, "translated")]
    )
    with timezone.override("Asia/Kolkata"):
        day = timezone.localdate() - datetime.timedelta(days=3)
        midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        before, after = midnight - datetime.timedelta(minutes=5), midnight
        Revision.objects.filter(segment=first).update(created_at=before)
        Revision.objects.filter(segment=second).update(created_at=after)
        rows = daily_work(project, day - datetime.timedelta(days=1))
    assert [(row["day"], row["words_translated"]) for row in rows] == [
        (day - datetime.timedelta(days=1), 10),
        (day, 20),
    ]


def test_the_migration_counts_what_is_already_there_and_can_be_undone(project, translator):
    document = make_document(project, "Chan", [10, 20, 30])
    document.segments.filter(position=1).update(status="translated")
    revision(document.segments.get(position=1), translator, "translated", seconds=9).save()
    executor = MigrationExecutor(connection)
    # Undoing the later migrations drops a foreign key to projects (model prices per
    # project), which PostgreSQL refuses while this transaction's inserts still have
    # deferred checks pending: run them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor.migrate([("dashboard", "0001_model_prices")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dashboard_tally_%%'")
        assert cursor.fetchone() == (0,)
    Segment.objects.filter(document=document, position=2).update(status="approved")
    executor.loader.build_graph()
    executor.migrate([("dashboard", "0002_tallies")])
    assert status_tallies() == recounted_statuses()
    assert work_tallies() == recounted_work() != {}


def _in_own_transaction(work, barrier, errors):
    from django.db import transaction

    try:
        with transaction.atomic():
            barrier.wait(timeout=10)
            work()
    except Exception as error:  # the test reports it
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_lose_no_counts(project, translator, reviewer):
    document = make_document(project, "Chan", [10] * 40)
    segments = list(document.segments.order_by("position"))
    people = [translator, reviewer, make_user("tina"), make_user("theo")]

    def sign_off(person, mine):
        def work():
            Segment.objects.filter(pk__in=[s.pk for s in mine]).update(status="translated")
            Revision.objects.bulk_create(revision(s, person, "translated") for s in mine)

        return work

    barrier = threading.Barrier(len(people))
    errors = []
    threads = [
        threading.Thread(
            target=_in_own_transaction,
            args=(sign_off(person, segments[n::4]), barrier, errors),
        )
        for n, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert status_tallies() == recounted_statuses() == {(document.pk, "translated"): (40, 400)}
    assert work_tallies() == recounted_work()
    assert sum(figures[1] for figures in work_tallies().values()) == 400
