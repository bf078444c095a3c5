"""No deadlock between people: confirming a segment with auto-propagation while someone
saves or confirms one of its twins, in real threads on real PostgreSQL connections.

Before the lifecycle locked twins up front, in the order of their ids, the confirming
transaction held the document's status tallies (updated by trigger) and then waited for
a twin's row lock that the other transaction held while it waited for the tallies:
PostgreSQL broke the cycle by killing one, an HTTP 500 in 60–96 of 100 rounds.
"""

import threading

from django.db import connection

from workbench.documents.lifecycle import EditRefused, StaleVersion
from workbench.documents.models import Document, Segment
from workbench.translation.services import do_save_target

ROUNDS = 100
SOURCE = "The appeal is dismissed."


def make_document(project, round_number):
    document = Document.objects.create(
        project=project,
        title=f"Round {round_number}",
        original_filename="round.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            source=SOURCE,
            source_hash=Segment.hash_source(SOURCE),
        )
        for position in (1, 2, 3)
    )
    return list(document.segments.order_by("position"))


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
    transactional_db, project, translator, reviewer
):
    errors = []
    for round_number in range(ROUNDS):
        first, second, third = make_document(project, round_number)
        other = "confirm" if round_number % 2 else "save"
        barrier = threading.Barrier(3)
        threads = [
            in_thread(
                lambda s=first: do_save_target(
                    s,
                    user=translator,
                    role="translator",
                    text="上訴駁回。",
                    base_version=0,
                    action="confirm",
                ),
                barrier,
                errors,
            ),
            in_thread(
                lambda s=third, other=other: do_save_target(
                    s,
                    user=reviewer,
                    role="reviewer",
                    text="駁回上訴。",
                    base_version=0,
                    action=other,
                ),
                barrier,
                errors,
            ),
            in_thread(
                lambda s=second: do_save_target(
                    s,
                    user=reviewer,
                    role="reviewer",
                    text="本上訴駁回。",
                    base_version=0,
                    action="confirm",
                ),
                barrier,
                errors,
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a thread hung"
        for segment in (first, second, third):
            segment.refresh_from_db()
            assert segment.target and segment.revisions.count() >= 1
    assert errors == []
