"""Assigning a document, or a range of its segments, to translate or review by a date."""

import re

import pytest
from django.urls import reverse

from workbench.documents.models import Assignment, AssignmentRefused, Document, Segment


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="HKSAR v Chan",
        original_filename="chan.docx",
        original_file="originals/chan.docx",
        format="docx",
        status="ready",
    )
    Segment.objects.bulk_create(
        Segment(document=document, position=n, source=f"Paragraph {n}.", word_count=2)
        for n in range(1, 31)
    )
    return document


def assign_url(document):
    return reverse("document_assign", args=[document.project.slug, document.pk])


def assign(client, document, **fields):
    """Post the assign form; its fields carry the prefix "assign" on the page."""
    fields = {"role": "translator", **fields}
    data = {f"assign-{name}": value for name, value in fields.items()}
    return client.post(assign_url(document), {"assign": "", **data})


def test_a_manager_assigns_a_range_of_segments_with_a_due_date(
    client_for, manager, translator, document
):
    response = assign(
        client_for(manager),
        document,
        assignee=translator.pk,
        first_position=11,
        last_position=20,
        due_date="2026-12-31",
    )
    assert response.status_code == 302
    assignment = document.assignments.get()
    assert (assignment.first_position, assignment.last_position) == (11, 20)
    assert assignment.assigned_by == manager
    assert assignment.scope == "segments 11–20"
    page = client_for(manager).get(assign_url(document)).content.decode()
    assert "segments 11–20" in page


def test_a_reviewer_is_assigned_to_review(client_for, manager, reviewer, document):
    assign(client_for(manager), document, assignee=reviewer.pk, role="reviewer")
    assert document.assignments.get().role == Assignment.Role.REVIEWER


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_position": 5}, "Give both the first and the last segment"),
        ({"first_position": 20, "last_position": 10}, "runs backwards: enter the lower segment"),
        ({"first_position": 0, "last_position": 10}, "is not within the document"),
        ({"first_position": 25, "last_position": 31}, "segments 1–30"),
        (
            {"first_position": "ten", "last_position": 12},
            "Enter the first segment as a whole number",
        ),
        ({"due_date": "31/31/2026"}, "Enter a valid date"),
    ],
)
def test_it_refuses_bad_ranges_and_dates_and_assigns_nothing(
    client_for, manager, translator, document, fields, message
):
    response = assign(client_for(manager), document, assignee=translator.pk, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Constraint" not in page and "violated" not in page
    assert not Assignment.objects.exists()


def test_it_refuses_review_work_for_a_translator(client_for, manager, translator, document):
    response = assign(client_for(manager), document, assignee=translator.pk, role="reviewer")
    assert "is a translator in this project and cannot approve" in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_refuses_people_outside_the_project(client_for, manager, outsider, document):
    response = assign(client_for(manager), document, assignee=outsider.pk)
    assert "Choose one of the project’s members." in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_manager_removes_an_assignment(client_for, manager, translator, document):
    assignment = document.assign(translator, role="translator", by=manager)
    client = client_for(manager)
    client.post(assign_url(document), {"remove": assignment.pk})
    assert not Assignment.objects.exists()
    response = client.post(assign_url(document), {"remove": "1 OR 1=1"}, follow=True)
    assert "had already been removed" in response.content.decode()


def test_the_document_due_date_is_set_on_the_same_page(client_for, manager, document):
    client_for(manager).post(
        assign_url(document), {"deadline": "", "deadline-due_date": "2026-12-01"}
    )
    document.refresh_from_db()
    assert str(document.due_date) == "2026-12-01"


def test_only_managers_assign(client_for, translator, outsider, document):
    assert assign(client_for(translator), document, assignee=translator.pk).status_code == 403
    assert assign(client_for(outsider), document, assignee=outsider.pk).status_code == 404
    assert not Assignment.objects.exists()


def test_the_home_page_lists_what_is_assigned_to_me(
    client_for, manager, translator, reviewer, document
):
    document.assign(translator, role="translator", by=manager, first_position=1, last_position=10)
    document.assign(reviewer, role="reviewer", by=manager)
    home = client_for(translator).get(reverse("home")).content.decode()
    mine = home.split('id="assigned"')[1]
    assert "HKSAR v Chan" in mine and "segments 1–10" in mine and "Translate" in mine
    assert "the whole document" not in mine


def test_the_editor_filter_shows_only_my_segments(client_for, manager, translator, document):
    document.assign(translator, role="translator", by=manager, first_position=3, last_position=5)
    document.assign(translator, role="translator", by=manager, first_position=28, last_position=30)
    assigned = document.segments_assigned_to(translator)
    assert sorted(assigned.values_list("position", flat=True)) == [3, 4, 5, 28, 29, 30]
    url = reverse("editor", args=[document.project.slug, document.pk])
    response = client_for(translator).get(url, {"mine": "on"})
    assert response.context["matching"] == 6


def test_the_project_page_shows_who_is_assigned(client_for, manager, translator, document):
    document.assign(translator, role="translator", by=manager, first_position=3, last_position=5)
    page = client_for(manager).get(reverse("project_detail", args=[document.project.slug]))
    assert 'tom <span class="muted small">3–5</span>' in page.content.decode()


@pytest.mark.parametrize(
    ("first", "last"),
    [("", ""), (5, 12), (1, 10), (10, 10)],
)
def test_it_refuses_the_same_work_twice_on_overlapping_segments(
    client_for, manager, translator, document, first, last
):
    document.assign(translator, role="translator", by=manager, first_position=8, last_position=10)
    response = assign(
        client_for(manager),
        document,
        assignee=translator.pk,
        first_position=first,
        last_position=last,
    )
    assert response.status_code == 200
    assert (
        "tom is already assigned to translate segments 8–10. Choose segments outside that "
        "range, or remove the earlier assignment first." in response.content.decode()
    )
    assert document.assignments.count() == 1


def test_the_same_person_may_take_other_segments_or_other_work(
    client_for, manager, translator, document
):
    document.assign(translator, role="translator", by=manager, first_position=8, last_position=10)
    client = client_for(manager)
    assert assign(client, document, assignee=translator.pk, first_position=11, last_position=20)
    assert document.assignments.count() == 2


def test_the_service_refuses_overlapping_work_with_a_sentence(manager, translator, document):
    document.assign(translator, role="translator", by=manager)
    with pytest.raises(AssignmentRefused, match="already assigned to translate the whole"):
        document.assign(
            translator, role="translator", by=manager, first_position=1, last_position=2
        )
    assert document.assignments.count() == 1


def test_a_reversed_range_from_elsewhere_is_refused_with_a_sentence(manager, translator, document):
    with pytest.raises(AssignmentRefused, match="lower first"):
        document.assign(
            translator, role="translator", by=manager, first_position=9, last_position=3
        )
    assert not Assignment.objects.exists()


def test_a_reviewer_translates_only_when_the_manager_confirms(
    client_for, manager, reviewer, document
):
    client = client_for(manager)
    response = assign(client, document, assignee=reviewer.pk, role="translator")
    page = response.content.decode()
    assert "is a reviewer in this project. To have them translate, tick" in page
    assert (
        'aria-describedby="id_assign-confirm_translate_helptext '
        'id_assign-confirm_translate_error"' in page
    )
    assert not Assignment.objects.exists()
    response = assign(
        client, document, assignee=reviewer.pk, role="translator", confirm_translate="on"
    )
    assert response.status_code == 302
    assert document.assignments.get().role == Assignment.Role.TRANSLATOR


def test_no_two_fields_on_the_assign_page_share_an_id(client_for, manager, document):
    page = client_for(manager).get(assign_url(document)).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [i for i in ids if ids.count(i) > 1] == []
    assert 'id="id_assign-due_date"' in page and 'id="id_deadline-due_date"' in page
