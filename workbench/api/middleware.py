"""The API's caller for the rest of the stack, and its trace in the audit log.

A request with a usable API token is the token's owner from the start, so the body limit
for anonymous requests does not refuse an upload through the API, and the audit log knows
who called. (The API's own authentication checks the token again and says exactly why a
token is refused.) Every API call that reads a document or changes something leaves an
audit entry: its method, address and answer, never the text.
"""

from workbench import audit
from workbench.audit.models import AuditEvent

from .models import ApiToken

API_PREFIX = "/api/v1/"
READS_A_DOCUMENT = ("/documents/", "/memories/", "/termbase/", "/exports/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiCallerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        found = ApiToken.find(token.strip()) if scheme.lower() == "bearer" and token else None
        if found is not None and found.is_usable and found.user.is_active:
            request.user = found.user
        response = self.get_response(request)
        if found is not None and _worth_recording(request):
            audit.record(
                AuditEvent.Kind.API_CALL,
                user=found.user,
                request=request,
                details={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "token": found.name,
                },
            )
        return response


def _worth_recording(request):
    return request.method not in SAFE_METHODS or any(
        part in request.path for part in READS_A_DOCUMENT
    )
