"""The open editor's poll for changes made elsewhere: an empty 204 from the document's
change stamp while nothing changed, the changed rows and counts when something did
(anyone's save, an agent's suggestion), and the database's answer whenever the stamp
cannot tell."""

import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.loopback_llm import REVISED_CJK
from tests.test_drafting import SOURCES, small_document
from workbench.documents import changes
from workbench.jobs.services import enqueue, run_job
from workbench.translation.services import CONFIRM, do_save_target

CURSOR = re.compile(r'data-cursor="([^"]*)"')


@pytest.fixture
def document(project):
    return small_document(project, SOURCES)


def forget_stamp(document):
    changes._redis(django_settings.REDIS_URL).delete(changes._key(document.pk))


@pytest.fixture(autouse=True)
def fresh_stamp(document):
    """Each test starts without the stamp an earlier run may have left for this id."""
    forget_stamp(document)


def page_cursor(client, document):
    page = client.get(reverse("editor", args=[document.project.slug, document.pk]))
    return CURSOR.search(page.content.decode()).group(1)


def poll(client, document, cursor):
    url = reverse("editor_changes", args=[document.project.slug, document.pk])
    return client.get(url, {"since": cursor}, HTTP_HX_REQUEST="true")


def confirm(segment, user, text):
    return do_save_target(
        segment, user=user, role="manager", text=text, base_version=segment.version, action=CONFIRM
    )


def test_it_answers_an_unmoved_cursor_with_nothing(
    client_for, translator, document, django_assert_max_num_queries
):
    client = client_for(translator)
    cursor = page_cursor(client, document)

    # The session, its user, the membership and the document: no revision is read.
    with django_assert_max_num_queries(4):
        response = poll(client, document, cursor)

    assert response.status_code == 204
    assert response.content == b""


def test_another_persons_save_is_in_the_next_answer(
    client_for, translator, manager, document, django_capture_on_commit_callbacks
):
    client = client_for(translator)
    cursor = page_cursor(client, document)
    segment = document.segments.get(position=4)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(segment, manager, "上訴駁回，並判處訟費。")

    response = poll(client, document, cursor)

    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [segment.pk]
    assert "上訴駁回，並判處訟費。" in response.content.decode()
    assert response.context["counts"]["translated"] == 1
    # The answer's cursor has seen the save: the next poll is empty again.
    assert poll(client, document, str(response.context["cursor"])).status_code == 204


def test_an_agents_suggestion_is_in_the_next_answer(
    client_for, translator, document, settings, loopback_llm, django_capture_on_commit_callbacks
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    client = client_for(translator)
    cursor = page_cursor(client, document)
    segment = document.segments.get(position=1)
    job = enqueue(
        "revise_segment",
        project=document.project,
        document=document,
        params={"segment_id": segment.pk, "instruction": "use 上訴人 for appellant"},
        user=translator,
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_job(job.pk)

    response = poll(client, document, cursor)
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [segment.pk]
    assert segment.suggestions.get().text.endswith(REVISED_CJK)


def test_a_change_is_seen_after_the_stamp_is_gone(
    client_for, translator, manager, document, django_capture_on_commit_callbacks
):
    client = client_for(translator)
    cursor = page_cursor(client, document)
    segment = document.segments.get(position=4)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(segment, manager, "上訴駁回，並判處訟費。")
    # Redis restarted, or the stamp expired: it starts again at another number.
    forget_stamp(document)

    response = poll(client, document, cursor)

    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [segment.pk]


def test_without_redis_every_poll_reads_the_database(
    client_for, translator, manager, document, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    client = client_for(translator)
    cursor = page_cursor(client, document)
    assert cursor.endswith(".")  # no stamp

    assert poll(client, document, cursor).status_code == 200
    segment = document.segments.get(position=4)
    confirm(segment, manager, "上訴駁回，並判處訟費。")  # the stamp cannot move
    response = poll(client, document, cursor)
    assert [row.pk for row in response.context["rows"]] == [segment.pk]


def test_a_cursor_from_before_the_stamps_is_answered_from_the_database(
    client_for, translator, document
):
    response = poll(client_for(translator), document, "0.0")

    assert response.status_code == 200
    assert response.context["cursor"].stamp


def test_the_save_answer_brings_the_status_counts(client_for, translator, document):
    segment = document.segments.get(position=4)
    url = reverse("segment_save", args=[document.project.slug, document.pk, segment.pk])

    response = client_for(translator).post(
        url,
        {"text": "上訴駁回，並判處訟費。", "version": 0, "action": "confirm"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'id="status-counts"' in response.content.decode()
    assert response.context["counts"]["translated"] == 1
    assert [row.pk for row in response.context["rows"]] == [segment.pk]


def save_since(client, segment, text, cursor):
    document = segment.document
    url = reverse("segment_save", args=[document.project.slug, document.pk, segment.pk])
    return client.post(
        url,
        {"text": text, "version": segment.version, "action": "confirm", "since": cursor},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.django_db(transaction=True)
def test_the_pages_own_save_moves_its_cursor_past_it(client_for, translator, document):
    client = client_for(translator)
    cursor = page_cursor(client, document)

    response = save_since(
        client, document.segments.get(position=4), "上訴駁回，並判處訟費。", cursor
    )

    moved = response["X-Changes-Cursor"]
    assert poll(client, document, moved).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_a_save_after_anothers_change_leaves_the_cursor_to_the_next_poll(
    client_for, translator, manager, document
):
    client = client_for(translator)
    cursor = page_cursor(client, document)
    theirs = document.segments.get(position=4)
    confirm(theirs, manager, "上訴駁回，並判處訟費。")

    response = save_since(client, document.segments.get(position=6), "見[2015] HKCFA 23。", cursor)

    assert response.status_code == 200
    assert "X-Changes-Cursor" not in response
    answer = poll(client, document, cursor)
    assert {row.pk for row in answer.context["rows"]} == {
        theirs.pk,
        document.segments.get(position=6).pk,
    }
