"""Deleting a glossary term: managers only, by POST."""

from django.urls import reverse

from workbench.memory.models import Term


def delete_url(term):
    return reverse("glossary_term_delete", args=[term.project.slug, term.pk])


def make_term(project):
    return Term.objects.create(project=project, source_term="appellant", target_term="上訴人")


def test_it_deletes_a_term(project, manager, client_for):
    term = make_term(project)
    response = client_for(manager).post(delete_url(term))
    assert response.status_code == 302
    assert not project.terms.exists()


def test_it_rejects_get(project, manager, client_for):
    term = make_term(project)
    assert client_for(manager).get(delete_url(term)).status_code == 405
    assert project.terms.exists()


def test_it_forbids_a_translator(project, translator, client_for):
    term = make_term(project)
    assert client_for(translator).post(delete_url(term)).status_code == 403
    assert project.terms.exists()


def test_it_hides_the_term_from_outsiders(project, outsider, client_for):
    term = make_term(project)
    assert client_for(outsider).post(delete_url(term)).status_code == 404
    assert project.terms.exists()


def test_it_requires_the_csrf_token(project, manager):
    from django.test import Client

    term = make_term(project)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(delete_url(term)).status_code == 403
    assert project.terms.exists()
