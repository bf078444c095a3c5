"""The API's OpenAPI 3.1 schema: served, documented by the vendored Swagger UI, equal to
the committed docs/openapi.json, and kept by the code: schemathesis generates calls from
it for every operation and checks that none answers 500 and every answer (errors
included) is what the schema says."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from workbench.api.management.commands.openapi_schema import (
    COMMITTED,
    REGENERATE,
    current_schema,
)
from workbench.api.models import ApiToken, Webhook, WebhookDelivery
from workbench.jobs.models import Job
from workbench.memory.analysis import run_analysis
from workbench.translation.models import Comment

# Small, so the whole suite stays fast; every operation still gets these many calls.
EXAMPLES_PER_OPERATION = 6
# Not checked: that every call valid by the schema succeeds. The workbench's rules refuse
# many of them (an empty translation, a stale version, nothing left to draft) with a
# documented 409 or 422 problem, and those answers are checked like any other.


def test_the_committed_schema_is_the_schema_of_the_code():
    committed = json.loads(COMMITTED.read_text())
    assert committed == current_schema(), (
        f"docs/openapi.json differs from the API in the code; run {REGENERATE} and commit it."
    )


def test_the_schema_is_openapi_3_1_and_served_without_a_token(db):
    response = Client().get("/api/v1/schema/")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema == current_schema()
    problem = schema["paths"]["/api/v1/projects/{slug}"]["get"]["responses"]["404"]
    assert list(problem["content"]) == ["application/problem+json"]


def test_the_interactive_documentation_uses_the_vendored_swagger_ui(db):
    page = Client().get("/api/v1/docs/").content.decode()

    assert "/static/vendor/swagger-ui-5.35.0-bundle.js" in page
    assert "/static/vendor/swagger-ui-5.35.0.css" in page
    assert 'data-schema-url="/api/v1/schema/"' in page
    assert "https://" not in page  # nothing from a CDN


def test_unknown_addresses_and_methods_answer_with_problems(api_for, manager):
    api = api_for(manager)

    unknown = api.get("/api/v1/nothing-here")
    problem_types = Client().get("/api/v1/problems/")

    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["type"] == "/api/v1/problems/#not-found"
    assert 'id="stale-version"' in problem_types.content.decode()


def test_a_method_an_address_does_not_take_answers_with_a_problem(api_for, manager, project):
    response = api_for(manager).send("PATCH", "/api/v1/projects/hk")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"
    assert "takes GET" in response.json()["detail"]


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept from closing the test's database connection at
    the end of each request (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings, wsgi_app, project, judgment, manager):
    """The small world the generated calls run in, as its manager."""
    settings.WORKBENCH_API_CALLS_PER_MINUTE = 100_000
    segment = judgment.segments.get(position=1)
    Comment.objects.create(segment=segment, author=manager, text="Cap. 210?")
    Job.objects.create(kind="export", project=project, status=Job.Status.FAILED)
    run_analysis(project, judgment)
    webhook = Webhook.objects.create(
        project=project, url="https://dms.example.org/hook", events=["job.finished"]
    )
    WebhookDelivery.objects.create(webhook=webhook, event="job.finished", payload={})
    _, token = ApiToken.issue(manager, name="schemathesis", days=1)
    return {
        "token": token,
        "document_id": judgment.pk,
        "segment_id": segment.pk,
        "app": wsgi_app,
    }


# Collected from the committed schema, which the first test holds equal to the code's;
# called in-process through the WSGI application.
OPERATIONS = [
    (operation.ok().path, operation.ok().method.upper())
    for operation in schemathesis.openapi.from_dict(
        json.loads(COMMITTED.read_text())
    ).get_all_operations()
]


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_every_operation_keeps_to_the_schema(world, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", world["app"])
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {world['token']}"}

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_to_the_schema(case):
        # Calls are aimed at the real project, so they reach the services and not
        # only the 404 at the door (the persona matrix covers the door).
        for name in ("slug", "document_id", "segment_id"):
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = "hk" if name == "slug" else world[name]
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    keeps_to_the_schema()
