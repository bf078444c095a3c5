"""Adding and editing a glossary term: managers only."""

from django.urls import reverse

from workbench.memory.models import Term

FIELDS = {
    "source_term": "  appellant ",
    "target_term": "上訴人",
    "status": "preferred",
    "part_of_speech": "noun",
    "domain": "Criminal law",
    "note": "",
}


def add_url(project):
    return reverse("glossary_term_add", args=[project.slug])


def edit_url(term):
    return reverse("glossary_term_edit", args=[term.project.slug, term.pk])


def test_it_adds_a_term(project, manager, client_for):
    response = client_for(manager).post(add_url(project), FIELDS)
    assert response.status_code == 302
    term = project.terms.get()
    assert (term.source_term, term.target_term, term.created_by) == ("appellant", "上訴人", manager)


def test_it_refuses_a_duplicate_pair(project, manager, client_for):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    response = client_for(manager).post(add_url(project), FIELDS)
    assert response.status_code == 200
    assert "already has “appellant” → “上訴人”" in response.content.decode()
    assert project.terms.count() == 1


def test_it_refuses_invisible_characters(project, manager, client_for):
    response = client_for(manager).post(add_url(project), {**FIELDS, "target_term": "上訴\u202e人"})
    assert "U+202E" in response.content.decode()
    assert not project.terms.exists()


def test_it_forbids_translators_and_reviewers_to_add(project, translator, reviewer, client_for):
    for user in (translator, reviewer):
        client = client_for(user)
        assert client.get(add_url(project)).status_code == 403
        assert client.post(add_url(project), FIELDS).status_code == 403
    assert not project.terms.exists()


def test_it_hides_the_form_from_outsiders(project, outsider, client_for):
    assert client_for(outsider).get(add_url(project)).status_code == 404


def test_it_edits_a_term(project, manager, client_for):
    term = Term.objects.create(project=project, source_term="appellant", target_term="上訴方")
    client = client_for(manager)
    assert "上訴方" in client.get(edit_url(term)).content.decode()
    response = client.post(edit_url(term), {**FIELDS, "status": "forbidden"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.target_term, term.status) == ("上訴人", "forbidden")


def test_it_forbids_a_translator_to_edit(project, translator, client_for):
    term = Term.objects.create(project=project, source_term="appellant", target_term="上訴方")
    assert client_for(translator).post(edit_url(term), FIELDS).status_code == 403
    term.refresh_from_db()
    assert term.target_term == "上訴方"


def test_it_does_not_reach_a_term_of_another_project(project, zh_project, manager, client_for):
    other = Term.objects.create(project=zh_project, source_term="上訴人", target_term="appellant")
    url = reverse("glossary_term_edit", args=[project.slug, other.pk])
    assert client_for(manager).get(url).status_code == 404
