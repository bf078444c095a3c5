import re

import pytest
from django.urls import reverse

from workbench.documents.models import Document, Segment
from workbench.projects.models import Project


def test_the_project_page_lists_documents_with_counts_by_status(client_for, manager, project):
    document = Document.objects.create(
        project=project,
        title="Ruling",
        original_filename="ruling.txt",
        original_file="originals/r.txt",
        format="txt",
        status="ready",
    )
    for position, status in enumerate(["new", "new", "drafted", "approved"], start=1):
        Segment.objects.create(
            document=document, position=position, source=f"Sentence {position}.", status=status
        )
    response = client_for(manager).get(reverse("project_detail", args=[project.slug]))
    assert response.status_code == 200
    row = response.content.decode().split('id="documents"')[1]
    assert "Ruling" in row
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:6]]
    assert cells == ["4", "2", "1", "0", "1"]


def test_a_manager_creates_a_project_and_becomes_its_manager(client_for, manager):
    response = client_for(manager).post(
        reverse("project_create"),
        {
            "name": "Appeals",
            "slug": "appeals",
            "source_language": "EN",
            "target_language": "zh_hant_hk",
            "segmentation": "sentence",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(slug="appeals")
    assert (project.source_language, project.target_language) == ("en", "zh-Hant-HK")
    assert project.role_of(manager) == "manager"


def test_it_refuses_a_language_that_is_not_bcp47(client_for, manager):
    response = client_for(manager).post(
        reverse("project_create"),
        {
            "name": "Bad",
            "slug": "bad",
            "source_language": "english!",
            "target_language": "zh-Hant-HK",
            "segmentation": "sentence",
        },
    )
    assert response.status_code == 200
    assert "not a BCP 47 language tag" in response.content.decode()
    assert not Project.objects.filter(slug="bad").exists()


def test_people_without_the_permission_cannot_create_projects(client_for, translator):
    assert client_for(translator).get(reverse("project_create")).status_code == 403


def test_a_manager_adds_a_member_with_a_role(client_for, manager, outsider, project):
    response = client_for(manager).post(
        reverse("project_members", args=[project.slug]),
        {"username": outsider.username, "role": "reviewer"},
    )
    assert response.status_code == 302
    assert project.role_of(outsider) == "reviewer"


def test_a_manager_assigns_a_document_with_a_due_date(client_for, manager, translator, project):
    document = Document.objects.create(
        project=project,
        title="Ruling",
        original_filename="ruling.txt",
        original_file="originals/r.txt",
        format="txt",
        status="ready",
    )
    response = client_for(manager).post(
        reverse("document_assign", args=[project.slug, document.pk]),
        {
            "assign": "",
            "assign-assignee": translator.pk,
            "assign-role": "translator",
            "assign-due_date": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assignment = document.assignments.get()
    assert (assignment.assignee, assignment.whole_document) == (translator, True)
    assert str(assignment.due_date) == "2026-12-31"
    home = client_for(translator).get(reverse("home")).content.decode()
    assert "Ruling" in home


@pytest.mark.parametrize("tag", ["en", "zh-Hant-HK", "zh-Hans", "pt-BR", "es-419"])
def test_language_tags_keep_their_canonical_form(tag):
    from workbench.projects.languages import normalise_language

    assert normalise_language(tag.upper()) == tag


def test_a_new_member_is_a_translator_unless_the_manager_chooses(client_for, manager, project):
    page = client_for(manager).get(reverse("project_members", args=[project.slug]))
    selected = re.findall(r'<option value="(\w+)" selected>', page.content.decode())
    assert selected == ["translator"]
