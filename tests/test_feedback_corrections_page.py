"""The corrections page: managers see machine text → final with a diff and the effort
figures, filtered by role, model and prompt version."""

import pytest
from django.urls import reverse

from tests.test_corrections import edit, machine_draft, make_document

UNCHANGED_BADGE = '<span class="badge approved">accepted unchanged</span>'


def corrections_url(project):
    return reverse("corrections", args=[project.slug])


@pytest.fixture
def corrected(project, translator):
    document = make_document(project, ["The appellant was convicted.", "The appeal is dismissed."])
    first, second = document.segments.order_by("position")
    machine_draft(first, "原告被定罪。")
    machine_draft(second, "上訴駁回。", role="proofreader")
    edit(first, translator, "上訴人被定罪。", seconds=12)
    edit(second, translator, "上訴駁回。")
    return project


def test_it_shows_the_diff_and_the_effort_figures(client_for, manager, corrected):
    response = client_for(manager).get(corrections_url(corrected))

    assert response.status_code == 200
    assert "<del>原告</del><ins>上訴人</ins>被定罪。" in response.text
    assert UNCHANGED_BADGE in response.text
    assert "translator · gpt-4.1-mini · translator-2026-12-v3" in response.text
    assert ">12<" in response.text


def test_it_filters_by_role(client_for, manager, corrected):
    response = client_for(manager).get(corrections_url(corrected), {"agent_role": "proofreader"})

    assert "上訴駁回。" in response.text
    assert "被定罪" not in response.text


def test_it_shows_only_changed_corrections_when_asked(client_for, manager, corrected):
    response = client_for(manager).get(corrections_url(corrected), {"changed": "on"})

    assert "被定罪" in response.text
    assert UNCHANGED_BADGE not in response.text


def test_it_answers_htmx_with_the_table_only(client_for, manager, corrected):
    response = client_for(manager).get(
        corrections_url(corrected), {"model_name": "gpt-4.1-mini"}, HTTP_HX_REQUEST="true"
    )

    assert "correction-list" in response.text
    assert "<h1>" not in response.text


def test_an_unknown_filter_value_shows_everything(client_for, manager, corrected):
    response = client_for(manager).get(corrections_url(corrected), {"agent_role": "<script>"})

    assert response.status_code == 200
    assert "被定罪" in response.text and "<script>" not in response.text


def test_it_says_so_when_there_are_none(client_for, manager, project):
    response = client_for(manager).get(corrections_url(project))

    assert "No corrections yet" in response.text


@pytest.mark.parametrize("persona", ["translator", "reviewer"])
def test_it_is_for_managers_only(request, client_for, project, persona):
    response = client_for(request.getfixturevalue(persona)).get(corrections_url(project))

    assert response.status_code == 403


def test_outsiders_get_404(client_for, outsider, project):
    assert client_for(outsider).get(corrections_url(project)).status_code == 404
