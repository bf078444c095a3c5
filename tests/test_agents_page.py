"""A project's Agents page: managers choose the endpoint and model per role, the round cap
and the token budget, and "Test connection" gives each role's verdict."""

import json

import pytest
from django.urls import reverse

from tests.loopback_llm import LoopbackLLM
from tests.shaped_llm import KEY, ShapedLLM
from workbench.dashboard.models import ModelPrice

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoints(settings, loopback_llm):
    """A good server as the default endpoint, and one that refuses JSON schemas."""
    refusing = LoopbackLLM(refuse_json_schema=True).start()
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    settings.OPENAI_MODEL = "loopback"
    settings.WORKBENCH_ENDPOINTS = json.dumps(
        {"old-ollama": {"preset": "ollama", "base_url": refusing.base_url, "models": ["loopback"]}}
    )
    yield
    refusing.stop()


def page(project):
    return reverse("agent_settings", args=[project.slug])


def check_url(project):
    return reverse("agent_test", args=[project.slug])


def form(**changes):
    data = {"max_rounds": "2", "token_budget": ""}
    for role in ("translator", "annotator", "proofreader", "brief"):
        data[f"{role}_endpoint"] = ""
        data[f"{role}_model"] = ""
    return {**data, **changes}


def test_it_shows_the_endpoints_and_what_each_role_uses(endpoints, client_for, manager, project):
    html = client_for(manager).get(page(project)).content.decode()

    assert "old-ollama" in html and "Ollama" in html
    assert 'id="role-translator"' in html and "loopback <span" in html
    assert "Test connection" in html


def test_it_is_for_managers_only(endpoints, client_for, translator, reviewer, outsider, project):
    assert client_for(translator).get(page(project)).status_code == 403
    assert client_for(reviewer).post(check_url(project), form()).status_code == 403
    assert client_for(outsider).get(page(project)).status_code == 404


def test_a_manager_saves_endpoint_model_rounds_and_budget(endpoints, client_for, manager, project):
    response = client_for(manager).post(
        page(project),
        form(
            proofreader_endpoint="old-ollama",
            proofreader_model="qwen2.5:14b",
            max_rounds="3",
            token_budget="200000",
        ),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.agent_endpoints == {"proofreader": "old-ollama"}
    assert project.agent_models == {"proofreader": "qwen2.5:14b"}
    assert (project.agent_max_rounds, project.job_token_budget) == (3, 200_000)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"translator_endpoint": "no-such"}, "There is no endpoint “no-such”"),
        ({"annotator_model": "gpt 4"}, "A model name has no spaces"),
        ({"max_rounds": "9"}, "less than or equal to 5"),
        ({"token_budget": "10"}, "greater than or equal to 1000"),
    ],
)
def test_it_refuses_bad_settings_and_changes_nothing(
    endpoints, client_for, manager, project, changes, message
):
    response = client_for(manager).post(page(project), form(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    project.refresh_from_db()
    assert (project.agent_endpoints, project.agent_models, project.agent_max_rounds) == ({}, {}, 2)


def test_testing_the_connection_gives_a_verdict_per_role_without_saving(
    endpoints, client_for, manager, project
):
    response = client_for(manager).post(
        check_url(project),
        form(annotator_endpoint="old-ollama"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("verdict-ready") == 3 and html.count("verdict-usable") == 1
    assert "The server refused JSON schema (strict structured output) (HTTP 400)." in html
    assert "Ollama accepts JSON schemas from version 0.5; update it." in html
    assert " ms</td>" in html
    project.refresh_from_db()
    assert project.agent_endpoints == {}


def test_it_estimates_the_cost_of_1000_words_from_the_prices(
    endpoints, client_for, manager, project
):
    ModelPrice.objects.create(model="loopback", input_per_million=1, output_per_million=4)

    html = (
        client_for(manager)
        .post(check_url(project), form(), HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "Estimated cost of the agents for 1,000 words of source: <strong>$0.0" in html


def test_without_a_price_it_says_where_to_set_one(endpoints, client_for, manager, project):
    html = (
        client_for(manager)
        .post(check_url(project), form(), HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "No cost estimate: a model has no price yet" in html


def test_a_server_that_cannot_do_structured_output_is_reported(
    settings, client_for, manager, project
):
    with ShapedLLM("no_json") as server:
        settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = server.base_url, "shaped-model"
        settings.WORKBENCH_ENDPOINTS = ""
        html = (
            client_for(manager)
            .post(check_url(project), form(), HTTP_HX_REQUEST="true")
            .content.decode()
        )

    assert html.count("verdict-unusable") == 4
    assert "not with the JSON the agents need, in any of the three ways tried" in html


def test_the_key_is_never_shown(settings, monkeypatch, client_for, manager, project):
    monkeypatch.setenv("TEST_AGENTS_KEY", KEY)
    with ShapedLLM("keyed") as server:
        settings.OPENAI_BASE_URL = ""
        settings.WORKBENCH_ENDPOINTS = json.dumps(
            {"secured": {"base_url": server.base_url, "api_key_env": "TEST_AGENTS_KEY"}}
        )
        settings.OPENAI_MODEL = "shaped-model"
        client = client_for(manager)
        shown = client.get(page(project)).content.decode()
        tested = client.post(check_url(project), form(), HTTP_HX_REQUEST="true").content.decode()

    assert "API key from $TEST_AGENTS_KEY" in shown
    assert tested.count("verdict-ready") == 4
    assert KEY not in shown and KEY not in tested


def test_an_unreachable_endpoint_says_so(settings, client_for, manager, project):
    settings.OPENAI_BASE_URL, settings.WORKBENCH_ENDPOINTS = "http://127.0.0.1:9/v1", ""

    html = (
        client_for(manager)
        .post(check_url(project), form(), HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "Could not connect to http://127.0.0.1:9/v1" in html


def test_without_any_endpoint_the_page_says_how_to_connect_one(
    settings, client_for, manager, project
):
    settings.OPENAI_BASE_URL, settings.WORKBENCH_ENDPOINTS = "", ""

    html = client_for(manager).get(page(project)).content.decode()
    tested = client_for(manager).post(check_url(project), form(), HTTP_HX_REQUEST="true")

    assert "No model is connected." in html and "WORKBENCH_ENDPOINTS" in html
    assert tested.status_code == 400
    assert "No model endpoint is configured" in tested.content.decode()


def test_a_wrong_definition_is_shown_to_the_manager(settings, client_for, manager, project):
    settings.OPENAI_BASE_URL, settings.WORKBENCH_ENDPOINTS = "", '{"gpu": {"preset": "tgi"}}'

    html = client_for(manager).get(page(project)).content.decode()

    assert "has the unknown preset “tgi”" in html
