"""The editor page: the grid, its pages of rows, its filters, and who may see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from workbench.documents.models import Document, Segment
from workbench.translation.models import Annotation, Comment


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            source=f"Paragraph {position}: the appeal is dismissed.",
            target=f"第{position}段：上訴駁回。" if position % 2 else "",
            status="drafted" if position % 2 else "new",
            source_hash=Segment.hash_source(f"Paragraph {position}"),
        )
        for position in range(1, 121)
    )
    return document


def url(document, **params):
    base = reverse("editor", args=[document.project.slug, document.pk])
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{base}?{query}" if query else base


def positions(response):
    return [segment.position for segment in response.context["rows"]]


def test_it_shows_the_first_page_of_rows_to_a_member(client_for, translator, document):
    response = client_for(translator).get(url(document))

    assert response.status_code == 200
    assert positions(response) == list(range(1, 51))
    assert b'hx-trigger="revealed"' in response.content
    assert b"js/editor.js" in response.content
    assert "第1段：上訴駁回。" in response.content.decode()


def test_the_next_rows_arrive_as_a_fragment(client_for, translator, document):
    response = client_for(translator).get(url(document, after=50), HTTP_HX_REQUEST="true")

    assert positions(response) == list(range(51, 101))
    assert b"<html" not in response.content
    assert b"after=100" in response.content


def test_the_last_page_has_no_more_rows_to_load(client_for, translator, document):
    response = client_for(translator).get(url(document, after=100), HTTP_HX_REQUEST="true")

    assert positions(response) == list(range(101, 121))
    assert b"revealed" not in response.content


def test_the_first_page_takes_few_queries(
    client_for, translator, document, django_assert_max_num_queries
):
    client = client_for(translator)
    Annotation.objects.create(
        segment=document.segments.get(position=3),
        source="annotator",
        category="accuracy",
        severity="critical",
    )
    # One of them is the audit log's entry that the translator opened the document, one
    # the cursor from which the editor polls for changes made elsewhere.
    with django_assert_max_num_queries(10):
        response = client.get(url(document))
    assert b"\xe2\x9a\x91 1" in response.content  # the issue flag of segment 3


def test_it_filters_by_status(client_for, translator, document):
    response = client_for(translator).get(url(document, status="new"))

    assert positions(response)[:3] == [2, 4, 6]
    assert response.context["matching"] == 60


def test_it_searches_source_and_target(client_for, translator, document):
    client = client_for(translator)

    assert positions(client.get(url(document, q="Paragraph 7:"))) == [7]
    assert positions(client.get(url(document, q="第11段"))) == [11]


def test_it_filters_open_issues_and_unresolved_comments(client_for, translator, document):
    Annotation.objects.create(
        segment=document.segments.get(position=5),
        source="check",
        category="style",
        severity="minor",
    )
    Annotation.objects.create(
        segment=document.segments.get(position=6),
        source="check",
        category="style",
        severity="minor",
        status="dismissed",
    )
    Comment.objects.create(segment=document.segments.get(position=8), author=translator, text="?")
    Comment.objects.create(
        segment=document.segments.get(position=9), author=translator, text="ok", resolved=True
    )
    client = client_for(translator)

    assert positions(client.get(url(document, issues="on"))) == [5]
    assert positions(client.get(url(document, comments="on"))) == [8]


def test_assigned_to_me_shows_the_documents_of_an_assignee(
    client_for, translator, reviewer, document
):
    document.assign(translator, role="translator", by=None)

    assert len(positions(client_for(translator).get(url(document, mine="on")))) == 50
    assert positions(client_for(reviewer).get(url(document, mine="on"))) == []


def test_it_filters_by_change_date(client_for, translator, document):
    Segment.objects.filter(document=document).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    Segment.objects.filter(document=document, position=42).update(updated_at=timezone.now())
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()

    assert positions(client_for(translator).get(url(document, since=since))) == [42]


def test_it_jumps_to_a_segment_number(client_for, translator, document):
    response = client_for(translator).get(url(document, go=77))

    assert positions(response)[:2] == [77, 78]


def test_a_bad_filter_value_is_reported_and_ignored(client_for, translator, document):
    response = client_for(translator).get(url(document, since="yesterday", go="x"))

    assert response.status_code == 200
    assert positions(response)[:1] == [1]
    assert "Enter a valid date." in response.content.decode()


def test_changed_filters_return_the_grid_for_htmx(client_for, translator, document):
    response = client_for(translator).get(url(document, status="new"), HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.startswith('<div id="grid"')
    assert "60 segments match the filters" in content


def test_segment_text_is_escaped(client_for, translator, document):
    Segment.objects.filter(document=document, position=1).update(
        source="<script>alert(1)</script>", target="<img src=x onerror=alert(1)>"
    )

    content = client_for(translator).get(url(document)).content.decode()

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_structure_is_marked(client_for, translator, document):
    Segment.objects.filter(document=document, position=1).update(
        kind="heading", structure={"level": 2}
    )
    Segment.objects.filter(document=document, position=2).update(
        kind="table_cell", structure={"table": 0, "row": 1, "col": 2}, hidden=True
    )
    Segment.objects.filter(document=document, position=3).update(
        kind="footnote", paragraph_number="12."
    )

    content = client_for(translator).get(url(document)).content.decode()

    assert "kind-heading level-2" in content
    assert "Table 1 · r2 c3" in content
    assert "hidden-text" in content and ">Hidden<" in content
    assert ">Footnote<" in content and '<td class="para">12.</td>' in content


def test_an_outsider_gets_404(client_for, outsider, document):
    assert client_for(outsider).get(url(document)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, document):
    response = client.get(url(document))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
