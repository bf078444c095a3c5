"""Per-project roles are enforced on the server: outsiders see nothing (404), members
without the right role are refused (403), anonymous people are sent to log in."""

import pytest
from django.urls import reverse

from workbench.documents.models import Document, Segment


@pytest.fixture
def document(project, manager):
    document = Document.objects.create(
        project=project,
        title="Judgment",
        original_filename="judgment.txt",
        original_file="originals/x.txt",
        format="txt",
        status="ready",
        created_by=manager,
    )
    Segment.objects.create(document=document, position=1, source="The appeal is allowed.")
    return document


def project_urls(project, document):
    slug = project.slug
    return [
        reverse("project_detail", args=[slug]),
        reverse("project_members", args=[slug]),
        reverse("document_upload", args=[slug]),
        reverse("document_detail", args=[slug, document.pk]),
        reverse("document_assign", args=[slug, document.pk]),
    ]


def test_it_answers_404_to_outsiders_everywhere(client_for, outsider, project, document):
    client = client_for(outsider)
    for url in project_urls(project, document):
        assert client.get(url).status_code == 404, url
    delete = reverse("document_delete", args=[project.slug, document.pk])
    assert client.post(delete).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_it_hides_projects_of_others_from_the_home_page(client_for, outsider, project):
    response = client_for(outsider).get(reverse("home"))
    assert response.status_code == 200
    assert project.name not in response.content.decode()


def test_it_sends_anonymous_people_to_log_in(client, project, document):
    for url in project_urls(project, document):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["translator", "reviewer"])
def test_only_managers_upload_assign_and_delete(request, client_for, persona, project, document):
    client = client_for(request.getfixturevalue(persona))
    slug = project.slug
    assert client.get(reverse("document_upload", args=[slug])).status_code == 403
    assert client.get(reverse("document_assign", args=[slug, document.pk])).status_code == 403
    assert client.post(reverse("document_delete", args=[slug, document.pk])).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("persona", ["translator", "reviewer", "manager"])
def test_members_read_the_project_and_its_documents(
    request, client_for, persona, project, document
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("project_detail", args=[project.slug])).status_code == 200
    response = client.get(reverse("document_detail", args=[project.slug, document.pk]))
    assert response.status_code == 200
    assert "The appeal is allowed." in response.content.decode()


def test_a_document_of_another_project_is_404_under_this_one(
    client_for, manager, project, zh_project, document
):
    url = reverse("document_detail", args=[zh_project.slug, document.pk])
    assert client_for(manager).get(url).status_code == 404


def test_only_managers_change_members(client_for, translator, outsider, project):
    client = client_for(translator)
    url = reverse("project_members", args=[project.slug])
    response = client.post(url, {"username": outsider.username, "role": "reviewer"})
    assert response.status_code == 403
    assert project.role_of(outsider) is None
