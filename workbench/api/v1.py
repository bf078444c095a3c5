"""The REST API, version 1: django-ninja, for its OpenAPI 3.1 schema made from the same
pydantic models the agents use, and function-style endpoints like the pages' views.

Every endpoint needs a token (auth.py), counts against its per-minute budget, reaches
objects through the pages' access helpers and changes them through the same services.
Every error is a problem document (problems.py); the schema says so for every endpoint.
"""

from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from . import problems
from .auth import TokenAuth, TokenThrottle
from .endpoints import analysis, documents, exports, jobs, memory, projects, segments, webhooks
from .problems import Problem

DESCRIPTION = """\
The legal translation workbench's API for translation management and document systems.

**Authentication.** Create a token on your account page (`/account/tokens/`) and send it
with every call as `Authorization: Bearer <token>`. You act with your own roles: a project
you are not a member of does not exist for you (404), and an action your role may not do
answers 403.

**Changes carry versions.** Saving, confirming and approving a segment take the `version`
you based your text on; if someone saved since, the answer is 409 with both texts.

**Errors** are `application/problem+json` (RFC 9457) with a `detail` that says what to do;
the problem types are described at `/api/v1/problems/`.

**Throttling.** Each token may make a limited number of calls per minute; beyond it the
answer is 429 with `Retry-After`.
"""

# Answers every authenticated operation may give, besides its own.
COMMON_PROBLEMS = {
    "400": "A query no operation can use (a NUL character, a date outside the years known)",
    "401": "No valid API token",
    "403": "Your role in the project does not allow this",
    "404": "Not found, or not in a project you are a member of",
    "422": "Invalid parameters, or the change was refused by the workbench's rules",
    "429": "Too many calls this minute; see Retry-After",
}


class WorkbenchAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in (
            Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            .pop("$defs", {})
            .items()
        ):
            components.setdefault(name, definition)
        components.setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                _problems_for(operation, problem_ref)
        return schema


def _problems_for(operation, problem_ref):
    """Errors are application/problem+json, and every authenticated operation lists the
    problems any call may meet."""
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        if int(status) >= 400 and "application/json" in response.get("content", {}):
            response["content"] = {problems.CONTENT_TYPE: response["content"]["application/json"]}
    if not operation.get("security"):
        return
    for status, description in COMMON_PROBLEMS.items():
        responses.setdefault(
            status,
            {
                "description": description,
                "content": {problems.CONTENT_TYPE: {"schema": problem_ref}},
            },
        )
    responses["429"].setdefault(
        "headers",
        {
            "Retry-After": {
                "description": "Seconds to wait before the next call",
                "schema": {"type": "integer"},
            }
        },
    )


class VendoredSwagger(DocsBase):
    """Interactive documentation from the Swagger UI under static/vendor (no CDN)."""

    def render_page(self, request, api, **kwargs):
        return render(
            request, "api/docs.html", {"schema_url": reverse(f"{api.urls_namespace}:openapi-json")}
        )


api = WorkbenchAPI(
    title="Legal translation workbench API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs=VendoredSwagger(),
    docs_url="/docs/",
    auth=TokenAuth(),
    throttle=TokenThrottle(),
)
problems.install(api)
for module in (projects, documents, analysis, segments, jobs, memory, exports, webhooks):
    api.add_router("", module.router)
