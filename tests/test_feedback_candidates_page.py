"""The glossary candidates page: the manager sees each suggested change with its
evidence, and accepts it (with the terms as corrected) or rejects it."""

import pytest
from django.urls import reverse

from tests.test_learning_glossary import CASES, correct
from workbench.feedback.models import GlossaryCandidate
from workbench.memory.models import Term


@pytest.fixture
def candidate(project, translator):
    correct(project, translator, CASES[:2], "HCMA 1/2024")
    correct(project, translator, CASES[2:], "HCMA 2/2024")
    return GlossaryCandidate.objects.get(project=project)


def page_url(project):
    return reverse("glossary_candidates", args=[project.slug])


def accept_url(candidate):
    return reverse("candidate_accept", args=[candidate.project.slug, candidate.pk])


def reject_url(candidate):
    return reverse("candidate_reject", args=[candidate.project.slug, candidate.pk])


def accept_data(candidate, **values):
    prefix = f"candidate-{candidate.pk}-"
    return {prefix + key: value for key, value in values.items()}


def test_it_lists_the_candidate_with_its_evidence(client_for, manager, candidate):
    response = client_for(manager).get(page_url(candidate.project))

    assert response.status_code == 200
    assert (
        '<del lang="zh-Hant-HK">原告</del> → <ins lang="zh-Hant-HK">上訴人</ins>' in response.text
    )
    assert 'value="appellant"' in response.text
    for source, _, _ in CASES:
        assert source in response.text
    assert "HCMA 2/2024 #1" in response.text


def test_it_accepts_with_the_terms_as_edited(client_for, manager, candidate):
    data = accept_data(
        candidate, source_term="the appellant", target_term="上訴人", forbid_machine_term="on"
    )

    response = client_for(manager).post(accept_url(candidate), data)

    assert response.status_code == 302
    assert set(candidate.project.terms.values_list("source_term", "target_term", "status")) == {
        ("the appellant", "上訴人", "preferred"),
        ("the appellant", "原告", "forbidden"),
    }
    candidate.refresh_from_db()
    assert candidate.status == "accepted"
    follow = client_for(manager).get(page_url(candidate.project))
    assert "No suggestions waiting" in follow.text and (
        '<span lang="en">the appellant</span> → <span lang="zh-Hant-HK">上訴人</span>'
        in follow.text
    )


def test_it_refuses_an_empty_source_term_and_changes_nothing(client_for, manager, candidate):
    data = accept_data(candidate, source_term="  ", target_term="上訴人")

    response = client_for(manager).post(accept_url(candidate), data, follow=True)

    assert "Nothing was added to the glossary" in response.text
    assert not Term.objects.exists()
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_it_refuses_a_term_the_glossary_already_has(client_for, manager, candidate):
    Term.objects.create(project=candidate.project, source_term="appellant", target_term="上訴人")
    data = accept_data(candidate, source_term="appellant", target_term="上訴人")

    response = client_for(manager).post(accept_url(candidate), data, follow=True)

    assert "The glossary already has" in response.text
    assert Term.objects.count() == 1


def test_it_rejects_a_candidate(client_for, manager, candidate):
    response = client_for(manager).post(reject_url(candidate), follow=True)

    assert "will not be suggested again" in response.text
    candidate.refresh_from_db()
    assert candidate.status == "rejected"


def test_it_rejects_get_on_decisions(client_for, manager, candidate):
    assert client_for(manager).get(reject_url(candidate)).status_code == 405
    assert client_for(manager).get(accept_url(candidate)).status_code == 405


@pytest.mark.parametrize("persona", ["translator", "reviewer"])
def test_it_is_for_managers_only(request, client_for, candidate, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(page_url(candidate.project)).status_code == 403
    assert client.post(reject_url(candidate)).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_outsiders_get_404(client_for, outsider, candidate):
    client = client_for(outsider)

    assert client.get(page_url(candidate.project)).status_code == 404
    assert client.post(reject_url(candidate)).status_code == 404


def test_a_candidate_of_another_project_is_not_found(client_for, manager, candidate, zh_project):
    url = reverse("candidate_reject", args=[zh_project.slug, candidate.pk])

    assert client_for(manager).post(url).status_code == 404
