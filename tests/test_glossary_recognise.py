"""The term-hits fragment the editor shows beside a segment."""

from django.urls import reverse

from workbench.memory.models import Term


def url(project):
    return reverse("glossary_recognise", args=[project.slug])


def test_it_highlights_terms_and_lists_their_translations(project, translator, client_for):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    Term.objects.create(
        project=project, source_term="appellant", target_term="上訴方", status="forbidden"
    )
    response = client_for(translator).get(
        url(project), {"text": "The <b>Appellants</b> appealed."}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert '">Appellants</mark>' in page
    assert "上訴人" in page
    assert '<del class="danger">上訴方</del>' in page
    assert "Forbidden" in page and "Preferred" in page


def test_it_takes_a_long_segment_by_post(project, translator, client_for):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    text = "法院" * 3000 + " appellant"
    response = client_for(translator).post(url(project), {"text": text})
    assert response.status_code == 200
    assert ">appellant</mark>" in response.content.decode()


def test_it_says_when_there_are_no_terms(project, reviewer, client_for):
    page = client_for(reviewer).get(url(project), {"text": "Nothing here."}).content.decode()
    assert "No glossary terms in this text." in page


def test_it_refuses_a_text_longer_than_a_segment(project, translator, client_for):
    response = client_for(translator).get(url(project), {"text": "a" * 20_001})
    assert response.status_code == 400
    assert "20001 characters" in response.content.decode()


def test_it_hides_the_glossary_from_outsiders(project, outsider, client_for):
    assert client_for(outsider).get(url(project), {"text": "x"}).status_code == 404
