from contextvars import ContextVar

# The request being answered, so that an entry written deep in a service (an override
# recorded with its revision) still says who and from where.
current_request = ContextVar("current_request", default=None)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
