"""The document brief page: members read it, managers and reviewers edit it."""

import pytest

from tests.test_drafting import BRIEF, SOURCES, small_document


@pytest.fixture
def document(project):
    document = small_document(project, SOURCES)
    document.brief = BRIEF
    document.save()
    return document


def url(document):
    return f"/projects/{document.project.slug}/documents/{document.pk}/brief/"


FORM = {
    "court": "Court of Final Appeal",
    "case_number": "FACC 3/2024",
    "judges": "Cheung CJ\nRibeiro PJ\n\n",
    "parties": "HKSAR | respondent | the prosecution\nChan Tai Man | appellant | the appellant",
    "defined_terms": "the Ordinance | the Theft Ordinance (Cap. 210)",
    "key_terms": "appellant | 上訴人\nrespondent | 答辯人",
    "notes": "Criminal appeal on a point of law.",
}


def test_members_see_the_brief(client_for, translator, document):
    page = client_for(translator).get(url(document)).content.decode()

    assert "FACV 1/2024" in page and "Ribeiro PJ" in page and "上訴人" in page
    assert 'id="brief-form"' not in page


@pytest.mark.parametrize("persona", ["manager", "reviewer"])
def test_managers_and_reviewers_edit_it(request, client_for, document, persona):
    client = client_for(request.getfixturevalue(persona))
    assert 'id="brief-form"' in client.get(url(document)).content.decode()

    response = client.post(url(document), FORM)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.brief == {
        "court": "Court of Final Appeal",
        "case_number": "FACC 3/2024",
        "judges": ["Cheung CJ", "Ribeiro PJ"],
        "parties": [
            {"name": "HKSAR", "role": "respondent", "referred_to_as": "the prosecution"},
            {"name": "Chan Tai Man", "role": "appellant", "referred_to_as": "the appellant"},
        ],
        "defined_terms": [{"term": "the Ordinance", "meaning": "the Theft Ordinance (Cap. 210)"}],
        "key_terms": [
            {"source": "appellant", "target": "上訴人"},
            {"source": "respondent", "target": "答辯人"},
        ],
        "notes": "Criminal appeal on a point of law.",
    }


def test_the_form_starts_from_the_current_brief(client_for, manager, document):
    page = client_for(manager).get(url(document)).content.decode()

    assert "Chan Tai Man | appellant | the appellant" in page
    assert "appellant | 上訴人" in page


def test_it_refuses_a_translators_edit(client_for, translator, document):
    response = client_for(translator).post(url(document), FORM)

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.brief == BRIEF


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("parties", "HKSAR | respondent", "Line 1 (“HKSAR | respondent”) needs 3 parts"),
        ("key_terms", "appellant | 上訴人\n| 答辯人", "Line 2"),
        ("judges", "x\n" * 300, "under 200 lines"),
        ("notes", "x" * 20_001, "at most 20000 characters"),
    ],
)
def test_it_rejects_a_malformed_brief_and_keeps_the_old_one(
    client_for, manager, document, field, value, message
):
    response = client_for(manager).post(url(document), {**FORM, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    document.refresh_from_db()
    assert document.brief == BRIEF


def test_it_invites_writing_a_missing_brief(client_for, reviewer, project):
    document = small_document(project, SOURCES)

    page = client_for(reviewer).get(url(document)).content.decode()

    assert "No brief yet" in page and 'id="brief-form"' in page


def test_outsiders_get_404(client_for, outsider, document):
    client = client_for(outsider)
    assert client.get(url(document)).status_code == 404
    assert client.post(url(document), FORM).status_code == 404
    document.refresh_from_db()
    assert document.brief == BRIEF
