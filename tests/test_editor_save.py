"""The save view: save, confirm, approve and restore over HTTP, and what a stale or
broken save answers."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workbench.documents.models import Document, Segment
from workbench.memory.glossary import glossary_read_once, termbase_for
from workbench.memory.models import Term
from workbench.translation import qa
from workbench.translation.services import do_save_target


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    for position, source in enumerate(
        ["The appeal is dismissed.", "Costs to the respondent.", "The appeal is dismissed."], 1
    ):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    return document


def save_url(segment, tail="save/"):
    document = segment.document
    return reverse("segment_save", args=[document.project.slug, document.pk, segment.pk]).replace(
        "save/", tail
    )


def first(document):
    return document.segments.get(position=1)


def test_saving_returns_the_fresh_row(client_for, translator, document):
    segment = first(document)

    response = client_for(translator).post(
        save_url(segment), {"text": "上訴駁回。", "version": 0}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["X-Segment-Version"] == "1"
    assert f'id="seg-{segment.pk}"' in response.content.decode()
    assert 'data-version="1"' in response.content.decode()
    assert "X-Next-Segment" not in response


def test_confirming_names_the_next_unconfirmed_segment_and_the_propagated_rows(
    client_for, translator, document
):
    segment = first(document)

    response = client_for(translator).post(
        save_url(segment), {"text": "上訴駁回。", "version": 0, "action": "confirm"}
    )

    twin = document.segments.get(position=3)
    assert response["X-Next-Segment"] == str(document.segments.get(position=2).pk)
    assert response["X-Next-Position"] == "2"
    assert f'id="seg-{twin.pk}"' in response.content.decode()


def test_approving_names_the_next_segment_waiting_for_review(client_for, reviewer, document):
    Segment.objects.filter(document=document).update(target="上訴駁回。", status="translated")
    Segment.objects.filter(document=document, position=2).update(status="new")

    response = client_for(reviewer).post(
        save_url(first(document)), {"text": "上訴駁回。", "version": 0, "action": "approve"}
    )

    assert response.status_code == 200
    assert response["X-Next-Position"] == "3"


def test_a_stale_save_gets_409_with_both_texts(client_for, translator, reviewer, document):
    segment = first(document)
    do_save_target(segment, user=reviewer, role="reviewer", text="本上訴駁回。", base_version=0)

    response = client_for(translator).post(save_url(segment), {"text": "上訴被駁回", "version": 0})

    content = response.content.decode()
    assert response.status_code == 409
    assert "本上訴駁回。" in content and "上訴被駁回" in content
    assert "rita" in content
    assert 'data-version="1"' in content
    assert Segment.objects.get(pk=segment.pk).target == "本上訴駁回。"


def test_a_broken_tag_gets_400_with_what_to_do(client_for, translator, document):
    response = client_for(translator).post(
        save_url(first(document)), {"text": "上訴 \u27e61 駁回", "version": 0}
    )

    assert response.status_code == 400
    assert "broken tag" in response.content.decode()
    assert Segment.objects.get(pk=first(document).pk).version == 0


def test_a_save_without_a_version_is_refused(client_for, translator, document):
    response = client_for(translator).post(save_url(first(document)), {"text": "上訴駁回。"})

    assert response.status_code == 400
    assert "no version" in response.content.decode()


def test_a_translator_cannot_approve(client_for, translator, document):
    response = client_for(translator).post(
        save_url(first(document)), {"text": "上訴駁回。", "version": 0, "action": "approve"}
    )

    assert response.status_code == 403
    assert Segment.objects.get(pk=first(document).pk).status == "new"


def test_a_reviewer_approves(client_for, reviewer, document):
    response = client_for(reviewer).post(
        save_url(first(document)), {"text": "上訴駁回。", "version": 0, "action": "approve"}
    )

    assert response.status_code == 200
    assert Segment.objects.get(pk=first(document).pk).status == "approved"


def test_an_outsider_gets_404(client_for, outsider, document):
    response = client_for(outsider).post(save_url(first(document)), {"text": "x", "version": 0})

    assert response.status_code == 404


def test_a_segment_of_another_document_is_404(client_for, translator, document, project):
    other = Document.objects.create(
        project=project, title="Other", original_filename="o.txt", format="txt", status="ready"
    )
    segment = first(document)
    url = reverse("segment_save", args=[project.slug, other.pk, segment.pk])

    assert client_for(translator).post(url, {"text": "x", "version": 0}).status_code == 404


def test_it_rejects_get(client_for, translator, document):
    assert client_for(translator).get(save_url(first(document))).status_code == 405


def test_it_requires_the_csrf_token(translator, document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(translator)

    response = client.post(save_url(first(document)), {"text": "上訴駁回。", "version": 0})

    assert response.status_code == 403
    assert Segment.objects.get(pk=first(document).pk).version == 0


def test_restore_saves_an_older_text(client_for, translator, document):
    segment = first(document)
    do_save_target(segment, user=translator, role="translator", text="上訴被駁回", base_version=0)
    do_save_target(segment, user=translator, role="translator", text="上訴駁回。", base_version=1)
    older = segment.revisions.order_by("pk").first()
    url = reverse(
        "revision_restore",
        args=[document.project.slug, document.pk, segment.pk, older.pk],
    )
    client = client_for(translator)

    assert client.post(url, {"version": 1}).status_code == 409
    response = client.post(url, {"version": 2})

    assert response.status_code == 200
    segment.refresh_from_db()
    assert (segment.target, segment.version) == ("上訴被駁回", 3)


def test_a_confirm_checks_its_text_once_and_asks_for_the_glossary_once(
    translator, document, monkeypatch
):
    """The QA gate's findings serve the issues that follow the text, and the glossary's
    fingerprint is read once, not by the gate, the issues and consistency each."""

    checked = []
    run = qa._checks
    monkeypatch.setattr(qa, "_checks", lambda *args: checked.append(args[1]) or run(*args))
    segment = first(document)

    with CaptureQueriesContext(connection) as queries:
        do_save_target(
            segment,
            user=translator,
            role="translator",
            text="上訴駁回。",
            base_version=0,
            action="confirm",
        )

    assert checked == ["上訴駁回。"]  # its twin, propagated, shares the findings
    assert Segment.objects.get(document=document, position=3).target == "上訴駁回。"
    fingerprints = [q for q in queries.captured_queries if 'COUNT("memory_term"' in q["sql"]]
    assert len(fingerprints) == 1
    assert Segment.objects.get(pk=segment.pk).status == Segment.Status.TRANSLATED


def test_outside_a_save_each_check_reads_the_glossary_afresh(project, document):
    """The memo lives only within a save: a term added since is seen by the next check."""

    segment = first(document)
    before = termbase_for(project).recognise(segment.source)
    with glossary_read_once():
        termbase_for(project)
    Term.objects.create(project=project, source_term="appeal", target_term="上訴")

    assert not before
    assert [hit.term.source_term for hit in termbase_for(project).recognise(segment.source)] == [
        "appeal"
    ]
