"""The glossary page: every member can read and search it."""

from django.urls import reverse

from workbench.memory.models import Term


def url(project, **query):
    base = reverse("glossary", args=[project.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def add(project, source, target, **extra):
    return Term.objects.create(project=project, source_term=source, target_term=target, **extra)


def test_it_lists_terms_to_a_translator_without_manager_actions(project, translator, client_for):
    add(project, "appellant", "上訴人")
    response = client_for(translator).get(url(project))
    assert response.status_code == 200
    page = response.content.decode()
    assert "appellant" in page and "上訴人" in page
    assert "<html" in page
    assert reverse("glossary_term_add", args=[project.slug]) not in page
    assert "Delete" not in page


def test_it_shows_manager_actions_to_a_manager(project, manager, client_for):
    term = add(project, "appellant", "上訴人")
    page = client_for(manager).get(url(project)).content.decode()
    assert reverse("glossary_term_edit", args=[project.slug, term.pk]) in page
    assert reverse("glossary_export", args=[project.slug, "tbx"]) in page


def test_it_hides_the_glossary_from_outsiders(project, outsider, client_for):
    assert client_for(outsider).get(url(project)).status_code == 404


def test_it_requires_login(project, client):
    response = client.get(url(project))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_searches_source_target_and_note(project, reviewer, client_for):
    add(project, "appellant", "上訴人")
    add(project, "respondent", "答辯人", note="not the appellee")
    add(project, "plaintiff", "原告人")
    page = client_for(reviewer).get(url(project, q="APPELL")).content.decode()
    assert "上訴人" in page and "答辯人" in page and "原告人" not in page
    page = client_for(reviewer).get(url(project, q="原告")).content.decode()
    assert "plaintiff" in page and "appellant" not in page


def test_it_returns_only_the_table_to_htmx(project, translator, client_for):
    add(project, "appellant", "上訴人")
    response = client_for(translator).get(url(project, q="appell"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="terms">')
    assert "<html" not in page and "appellant" in page


def test_it_escapes_terms(project, translator, client_for):
    add(project, "<script>alert(1)</script>", "上訴人")
    page = client_for(translator).get(url(project)).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_it_says_when_nothing_matches(project, translator, client_for):
    page = client_for(translator).get(url(project, q="nothing")).content.decode()
    assert "No term matches “nothing”" in page
