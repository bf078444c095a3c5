"""What every request meets before and after its view, whatever app it is for: limits on
what an anonymous request may send, refusal of queries no view can use, the idle
timeout of a session, and no caching of anything confidential."""

import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.db.utils import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from psycopg.errors import QueryCanceled

from workbench.projects.forms import DateField

# A date as a date input sends it, with any number of digits to the year.
ISO_DATE = re.compile(r"(?P<year>\d{1,9})-\d{1,2}-\d{1,2}")
# Requests that carry a body.
WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}
# htmx requests sent on a timer (a job's progress) carry this header: they are not the
# person doing something, so they do not keep an idle session alive.
POLL_HEADER = "HTTP_X_WORKBENCH_POLL"
LAST_SEEN = "workbench_last_seen"
# The session's "last seen" is written at most this often, not on every request.
LAST_SEEN_RESOLUTION = 60


def refusal(request, status, title, message):
    """The refusal as a page, or as problem+json (RFC 9457) to a call of the REST API."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "about:blank", "title": title, "status": status, "detail": message},
            status=status,
            content_type="application/problem+json",
        )
    return render(request, "refused.html", {"title": title, "message": message}, status=status)


class AnonymousBodyLimitMiddleware:
    """Refuse a large body from someone who is not logged in before anything reads it,
    so nobody can make the server spool hundreds of megabytes to disk through the login
    form. Only the declared length is looked at; a body without one (chunked) is refused
    outright for anonymous requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in WITH_BODY and not request.user.is_authenticated:
            limit = settings.WORKBENCH_ANONYMOUS_MAX_BODY_BYTES
            declared = request.META.get("CONTENT_LENGTH") or ""
            if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
                return refusal(
                    request,
                    411,
                    "Length required",
                    "The request did not say how long it is. Log in and send it again.",
                )
            if not declared.isdigit() and declared:
                return refusal(request, 400, "Bad request", "The request's length is not a number.")
            if declared and int(declared) > limit:
                return refusal(
                    request,
                    413,
                    "Too large",
                    f"The request is {int(declared):,} bytes long; without logging in at most "
                    f"{limit:,} bytes are accepted. Log in first.",
                )
        return self.get_response(request)


class BadQueryMiddleware:
    """Answer 400, with what to do, to what no view can use, before a view fails on it:

    - a NUL character in the address or in a form field: PostgreSQL cannot store or
      search for it (uploaded files are the importers' business: they refuse control
      characters with their own message);
    - a date in the address outside the years the workbench knows (projects.forms.
      DateField), such as a filter "since 0001-01-01", which date arithmetic cannot
      take."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for values in request.GET.lists():
            for value in values[1]:
                date = ISO_DATE.fullmatch(value)
                if (
                    date
                    and not DateField.EARLIEST.year <= int(date["year"]) <= DateField.LATEST.year
                ):
                    return refusal(
                        request,
                        400,
                        "Bad request",
                        f"The date {value} is outside the years {DateField.EARLIEST.year}–"
                        f"{DateField.LATEST.year}; choose a date in them and try again.",
                    )
        fields = [request.GET]
        if request.method in WITH_BODY:
            fields.append(request.POST)  # parsed once; CSRF and the view read it again
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return refusal(
                        request,
                        400,
                        "Bad request",
                        "The request contains a NUL character, which no text in the workbench "
                        "can hold. Remove it (it often comes from pasting binary data) and try "
                        "again.",
                    )
        return self.get_response(request)


def start_idle_clock(sender, request, user, **kwargs):
    """On login: the session is in use from now (no write on the first page)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Log out a session nobody has used for WORKBENCH_SESSION_IDLE_MINUTES: a screen
    left open in a court registry must not stay logged in for the day."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if (
                last_seen is not None
                and now - last_seen > settings.WORKBENCH_SESSION_IDLE_MINUTES * 60
            ):
                request.session_ended_idle = True
                logout(request)
                if request.META.get("HTTP_HX_REQUEST"):
                    # A fragment would put the login page inside the editor: reload.
                    response = HttpResponse(status=204)
                    login = resolve_url(settings.LOGIN_URL)
                    response["HX-Redirect"] = f"{login}?{urlencode({'next': request.path})}"
                    return response
            elif last_seen is None or (
                POLL_HEADER not in request.META and now - last_seen >= LAST_SEEN_RESOLUTION
            ):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a logged-in person sees, and no download, is kept by the browser's cache
    or a proxy: the next person at a shared computer must not find a judgment in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        download = response.has_header("Content-Disposition") or getattr(
            response, "streaming", False
        )
        if request.user.is_authenticated or download:
            patch_cache_control(response, no_store=True, private=True)
        return response


class StatementTimeoutMiddleware:
    """A web request's statement that ran past the statement timeout (settings.py) ends
    the request with a page saying so, instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and isinstance(
            exception.__cause__, QueryCanceled
        ):
            return refusal(
                request,
                503,
                "This took too long",
                f"The database worked on this for more than "
                f"{settings.WEB_STATEMENT_TIMEOUT_SECONDS} seconds and was stopped, so that "
                "others are not kept waiting. Narrow the search or the filter and try again; "
                "if it keeps happening, tell an administrator what you were doing.",
            )
        return None
