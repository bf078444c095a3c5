"""`manage.py check_model [--project SLUG]`: exit 0 when every role's model can be used,
non-zero with the reason printed when one cannot."""

import io
import json

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from tests.shaped_llm import ShapedLLM

pytestmark = pytest.mark.django_db


def check_model(*args):
    out = io.StringIO()
    call_command("check_model", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def good_server(settings, loopback_llm):
    settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = loopback_llm.base_url, "loopback"
    settings.WORKBENCH_ENDPOINTS = ""
    return loopback_llm


def test_it_passes_a_server_that_does_structured_output(good_server):
    out = check_model()

    assert "Model connection of the installation's default settings:" in out
    for label in ("Translator", "Annotator", "Proofreader", "Brief"):
        assert f"  {label}" in out
    assert out.count("JSON schema (strict structured output)") == 4
    assert "Every role's model can be used." in out


def test_it_tests_a_project_s_own_choice(good_server, settings, project):
    project.agent_models = {"annotator": "loopback"}
    project.save()

    out = check_model("--project", "hk")

    assert "Model connection of project “HK judgments”:" in out


def test_it_fails_a_server_that_cannot_do_structured_output(settings):
    out = io.StringIO()
    with ShapedLLM("no_json") as server:
        settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = server.base_url, "shaped-model"
        settings.WORKBENCH_ENDPOINTS = ""
        with pytest.raises(CommandError) as failure:
            call_command("check_model", stdout=out)

    assert "Translator, Annotator, Proofreader, Brief: the model cannot be used" in str(
        failure.value
    )
    assert out.getvalue().count("FAILS") == 4
    assert "not with the JSON the agents need, in any of the three ways tried" in out.getvalue()


def test_it_exits_non_zero_from_the_shell(settings):
    # call_command raises; a run from the shell turns CommandError into exit status 1.
    with ShapedLLM("no_json") as server:
        settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = server.base_url, "shaped-model"
        settings.WORKBENCH_ENDPOINTS = ""
        with pytest.raises(SystemExit) as exit_:
            ManagementUtility(["manage.py", "check_model"]).execute()

    assert exit_.value.code == 1


def test_it_names_an_unknown_project(good_server, project):
    with pytest.raises(CommandError, match="There is no project “nope”; the projects are: hk."):
        check_model("--project", "nope")


def test_it_says_how_to_connect_a_model_when_there_is_none(settings):
    settings.OPENAI_BASE_URL, settings.WORKBENCH_ENDPOINTS = "", ""

    with pytest.raises(CommandError, match="No model endpoint is configured"):
        check_model()


def test_it_names_a_wrong_endpoint_definition(settings):
    settings.OPENAI_BASE_URL = ""
    settings.WORKBENCH_ENDPOINTS = json.dumps({"gpu": {"preset": "vllm", "api_key": "sk-x"}})

    with pytest.raises(CommandError, match="has its API key written in"):
        check_model()


def test_it_fails_an_unreachable_server_with_the_reason(settings):
    settings.OPENAI_BASE_URL, settings.WORKBENCH_ENDPOINTS = "http://127.0.0.1:9/v1", ""
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("check_model", stdout=out)

    assert "Could not connect to http://127.0.0.1:9/v1" in out.getvalue()
