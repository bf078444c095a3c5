"""Concordance from the editor's panel: the side comes from the query's characters, and
what is shown is escaped."""

import pytest
from django.urls import reverse

from agents.languages import side_of_query
from tests.browser import demo_judgment, write_target  # noqa: F401  (fixtures)


@pytest.mark.parametrize(
    ("query", "source", "target", "side"),
    [
        ("上訴人", "en", "zh-Hant-HK", "target"),
        ("appellant", "en", "zh-Hant-HK", "source"),
        ("上訴人", "zh-Hant-HK", "en", "source"),
        ("the 上訴人 of", "en", "zh-Hant-HK", "source"),
        ("appellant", "en", "fr", ""),
        ("123", "en", "zh-Hant-HK", ""),
    ],
)
def test_the_side_of_a_query_comes_from_its_characters(query, source, target, side):
    assert side_of_query(query, source, target) == side


def url(document):
    return reverse("editor_concordance", args=[document.project.slug, document.pk])


@pytest.mark.django_db(transaction=True)
def test_a_chinese_query_searches_the_target(client_for, translator, demo_judgment):  # noqa: F811
    client = client_for(translator)
    page = client.get(url(demo_judgment), {"q": "上訴人"}, headers={"HX-Request": "true"})
    text = page.content.decode()
    assert "in the target text (the query's language)" in text
    assert "<mark>上訴人</mark>" in text


@pytest.mark.django_db(transaction=True)
def test_a_chosen_side_wins_and_the_query_is_escaped(client_for, translator, demo_judgment):  # noqa: F811
    client = client_for(translator)
    text = client.get(url(demo_judgment), {"q": "<b>上訴人", "side": "source"}).content.decode()
    assert "in the source text." in text
    assert "&lt;b&gt;上訴人" in text and "<b>上訴人" not in text


@pytest.mark.django_db(transaction=True)
def test_a_too_long_query_is_refused(client_for, translator, demo_judgment):  # noqa: F811
    text = client_for(translator).get(url(demo_judgment), {"q": "x" * 400}).content.decode()
    assert "at most 300 characters" in text
    assert "concordance-hit" not in text


@pytest.mark.django_db(transaction=True)
def test_an_outsider_gets_404(client_for, outsider, demo_judgment):  # noqa: F811
    assert client_for(outsider).get(url(demo_judgment), {"q": "x"}).status_code == 404
