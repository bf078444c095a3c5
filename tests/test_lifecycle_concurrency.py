"""No deadlock between people: confirming a segment with auto-propagation while someone
saves or confirms one of its twins, and someone else confirms another segment of the
document, in real threads on real PostgreSQL connections.

Before the lifecycle locked twins up front, in the order of their ids, and wrote a
segment and its twins in one statement, the confirming transaction held some of the
document's status tallies (updated by trigger) and then waited for a twin's row lock, or
for another tally row, that the other transaction held while it waited for the first:
PostgreSQL broke the cycle by killing one, an HTTP 500 in most rounds.
"""

import threading

from django.db import connection

from workbench.dashboard.models import StatusTally
from workbench.documents.lifecycle import EditRefused, StaleVersion, write_drafts
from workbench.documents.models import Document, Segment
from workbench.translation.services import do_save_target

ROUNDS = 100
SOURCE = "The appeal is dismissed."
OTHER = "Costs to the respondent."


def make_document(project, round_number):
    document = Document.objects.create(
        project=project,
        title=f"Round {round_number}",
        original_filename="round.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    sources = [SOURCE, SOURCE, OTHER, SOURCE]
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
        for position, source in enumerate(sources, start=1)
    )
    segments = list(document.segments.order_by("position"))
    # The first is an agent's draft: confirming it moves tallies the twins' moves do not.
    write_drafts({segments[0].pk: (0, "上訴被駁回。")})
    segments[0].refresh_from_db()
    return segments


def in_thread(action, barrier, errors):
    def run():
        try:
            barrier.wait()
            action()
        except (StaleVersion, EditRefused):
            pass  # the other person got there first: an answer, not an error
        except Exception as error:  # noqa: BLE001  (every other failure is what we count)
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_confirming_with_propagation_beside_saves_of_twins_never_deadlocks(
    transactional_db, project, translator, reviewer, manager
):
    errors = []
    for round_number in range(ROUNDS):
        segments = make_document(project, round_number)
        twin_action = "confirm" if round_number % 2 else "save"
        work = [
            (segments[0], translator, "上訴駁回。", "confirm"),  # propagates to 2 and 4
            (segments[3], reviewer, "駁回上訴。", twin_action),
            (segments[1], reviewer, "本上訴駁回。", "confirm"),
            (segments[2], manager, "訟費歸答辯人。", "confirm"),  # not a twin
        ]
        barrier = threading.Barrier(len(work))
        threads = [
            in_thread(
                lambda s=segment, u=user, t=text, a=action: do_save_target(
                    s, user=u, role="reviewer", text=t, base_version=s.version, action=a
                ),
                barrier,
                errors,
            )
            for segment, user, text, action in work
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a thread hung"
        for segment in segments:
            segment.refresh_from_db()
            assert segment.target and segment.revisions.count() >= 1
        document = segments[0].document
        tallied = dict(
            StatusTally.objects.filter(document=document, segments__gt=0).values_list(
                "status", "segments"
            )
        )
        counted = {status: n for status, n in document.status_counts().items() if n}
        assert tallied == counted  # the tally triggers lost no count either
    assert errors == []
