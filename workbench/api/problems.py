"""Every error of the API is a problem document (RFC 9457, `application/problem+json`):
`type`, `title`, `status`, `detail` (what happened and what to do), `instance` (the
path asked for), and where it helps, our own members: `errors` (the fields at fault),
`findings` (blocking QA findings), `problems` (the rows of a refused file), `segment` and
`yours` (a stale save). The types are described on /api/v1/problems/.
"""

import json
import logging
import math
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from workbench.documents.importers.base import ImportRejected
from workbench.documents.lifecycle import EditRefused
from workbench.drafting.planning import DraftingRefused
from workbench.jobs.models import JobStateError
from workbench.projects.services import MembershipRefused
from workbench.translation.services import QABlocked

from .webhooks import WebhookRefused

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
# The names the endpoints give their body and query schemas.
PARAMETERS = {"body", "query", "payload"}


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    explanation: str


PROBLEM_TYPES = {
    kind.slug: kind
    for kind in [
        ProblemType(
            "unauthenticated",
            "No valid API token",
            401,
            "The call carried no API token, or one that is unknown, expired or revoked. "
            "Create a token on your account page and send it as `Authorization: Bearer "
            "<token>`.",
        ),
        ProblemType(
            "forbidden",
            "Not allowed for your role",
            403,
            "You are a member of the project, but your role does not allow this. The detail "
            "names the roles that may; ask a manager of the project.",
        ),
        ProblemType(
            "not-found",
            "Not found",
            404,
            "Nothing is at this address for you: the project, document or other object does "
            "not exist, or belongs to a project you are not a member of.",
        ),
        ProblemType(
            "method-not-allowed",
            "Method not allowed",
            405,
            "This address does not take this HTTP method; the schema lists the methods it takes.",
        ),
        ProblemType(
            "stale-version",
            "Someone else changed the segment",
            409,
            "The `version` you sent is not the segment's version any more. `segment` is the "
            "segment as saved now (theirs) and `yours` the text you sent: keep yours, take "
            "theirs, or merge them, and save again with the new version.",
        ),
        ProblemType(
            "conflict",
            "Not possible in the current state",
            409,
            "The object is not in a state that allows this (a job that has finished, an "
            "export whose file is not written yet). The detail says what to wait for.",
        ),
        ProblemType(
            "invalid-request",
            "The request is not valid",
            422,
            "Some parameters or body fields are missing or wrong; `errors` lists each with "
            "where it is and what is wrong.",
        ),
        ProblemType(
            "refused",
            "The change was refused",
            422,
            "The workbench's rules do not allow the change as asked (an approved or locked "
            "segment, an empty translation, nothing left to draft...). Nothing was changed; "
            "the detail says what to do instead.",
        ),
        ProblemType(
            "qa-blocked",
            "Blocking QA findings",
            422,
            "Confirming or approving was stopped by QA findings of blocking severity, listed "
            "in `findings`. Fix the text, or send the same call again with an "
            "`override_reason`, which the reviewer sees.",
        ),
        ProblemType(
            "file-rejected",
            "The file was not imported",
            422,
            "The file was refused as a whole and nothing was stored. The detail says why, "
            "and `problems` lists the rows or units at fault where there are any.",
        ),
        ProblemType(
            "throttled",
            "Too many requests",
            429,
            "This token made more calls this minute than the workbench allows. Wait the "
            "number of seconds in the `Retry-After` header, then go on.",
        ),
        ProblemType(
            "server-error",
            "Something went wrong on the server",
            500,
            "The error was logged. Try again; if it happens again, tell an administrator the "
            "time of the call.",
        ),
    ]
}


def type_uri(slug):
    return f"{reverse('api_problems')}#{slug}"


# The shape of a problem, for the OpenAPI schema ----------------------------------------


class FieldError(Schema):
    where: str
    message: str


class Finding(Schema):
    category: str
    severity: str
    message: str
    span: str = ""
    suggestion: str = ""


class Problem(Schema):
    """An error (RFC 9457). Members beyond the standard five appear where they apply."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None
    findings: list[Finding] | None = None
    problems: list[str] | None = None


# Answering with a problem -----------------------------------------------------------------


class ProblemRaised(Exception):
    """Raised by an endpoint to answer with a problem of `slug`, and extra members."""

    def __init__(self, slug, detail, **members):
        super().__init__(detail)
        self.slug, self.detail, self.members = slug, detail, members


class TokenRefused(AuthenticationError):
    """No usable token: the message says why and how to get one."""

    def __init__(self, message):
        super().__init__(401, message)


def problem(request, slug, detail, *, headers=None, **members):
    kind = PROBLEM_TYPES[slug]
    body = {
        "type": type_uri(slug),
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
        "instance": request.path,
        **{name: value for name, value in members.items() if value is not None},
    }
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=kind.status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(errors):
    """Pydantic's error list as [{"where": "body → text", "message": ...}]."""
    listed = []
    for error in errors:
        # ("body", "body", "version"): where the value came from, the parameter, the field.
        parts = [str(part) for part in error.get("loc", ())]
        if len(parts) > 2 and parts[1] in PARAMETERS:
            del parts[1]
        where = " → ".join(parts)
        listed.append({"where": where or "request", "message": error.get("msg", str(error))})
    return listed


def install(api):
    """Answer every error of `api` with a problem document."""

    def on(exception_class):
        def register(handler):
            api.add_exception_handler(exception_class, handler)
            return handler

        return register

    @on(ProblemRaised)
    def raised(request, exc):
        return problem(request, exc.slug, exc.detail, **exc.members)

    @on(ValidationError)
    def invalid(request, exc):
        errors = field_errors(exc.errors)
        listed = "; ".join(f"{error['where']}: {error['message']}" for error in errors[:5])
        return problem(
            request,
            "invalid-request",
            f"Correct these and send the call again: {listed}.",
            errors=errors,
        )

    @on(AuthenticationError)
    def unauthenticated(request, exc):
        detail = (
            str(exc)
            if isinstance(exc, TokenRefused)
            else "This call needs an API token: create one on your account page and send "
            "it as “Authorization: Bearer <token>”."
        )
        return problem(request, "unauthenticated", detail, headers={"WWW-Authenticate": "Bearer"})

    @on(Throttled)
    def throttled(request, exc):
        # The operation adds the Retry-After header to this response itself.
        seconds = math.ceil(exc.wait) if exc.wait is not None else 60
        return problem(
            request,
            "throttled",
            f"This token made more calls this minute than the workbench allows; wait "
            f"{seconds} seconds, then go on.",
        )

    @on(HttpError)
    def http_error(request, exc):
        kinds = {404: "not-found", 403: "forbidden", 405: "method-not-allowed", 409: "conflict"}
        return problem(request, kinds.get(exc.status_code, "invalid-request"), str(exc))

    @on(Http404)
    def not_found(request, exc):
        return not_found_problem(request)

    @on(PermissionDenied)
    def forbidden(request, exc):
        return problem(request, "forbidden", str(exc) or PROBLEM_TYPES["forbidden"].explanation)

    @on(QABlocked)
    def qa_blocked(request, exc):
        findings = [
            {
                "category": finding.category,
                "severity": finding.severity,
                "message": finding.message,
                "span": finding.span,
                "suggestion": finding.suggestion,
            }
            for finding in exc.findings
        ]
        return problem(request, "qa-blocked", str(exc), findings=findings)

    @on(EditRefused)
    @on(DraftingRefused)
    @on(MembershipRefused)
    @on(WebhookRefused)
    def refused(request, exc):
        return problem(request, "refused", str(exc))

    @on(ImportRejected)
    def rejected(request, exc):
        problems = [str(item) for item in getattr(exc, "problems", [])] or None
        return problem(request, "file-rejected", str(exc), problems=problems)

    @on(JobStateError)
    def job_state(request, exc):
        return problem(request, "conflict", str(exc))

    @on(Exception)
    def server_error(request, exc):
        logger.exception("API call %s %s failed.", request.method, request.path)
        return problem(request, "server-error", PROBLEM_TYPES["server-error"].explanation)


def not_found_problem(request):
    return problem(
        request,
        "not-found",
        "Nothing was found at this address. Check the project slug and the ids in the path, "
        "and that you are a member of the project: to everyone else its contents do not exist.",
    )


def answering_wrong_methods(view):
    """Wrap an API view so that a method the address does not take answers with a
    problem (django-ninja answers 405 in plain text), keeping the Allow header."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == CONTENT_TYPE:
            return response
        allowed = response.get("Allow", "")
        return problem(
            request,
            "method-not-allowed",
            f"{request.method} is not taken here; this address takes {allowed}.",
            headers={"Allow": allowed},
        )

    return wrapped
