"""Who is calling: a person's API token (`Authorization: Bearer <token>`), and how often
they may call: a fixed window per token per minute, counted in Redis so every web
process shares it."""

import logging
import time
from functools import cache

import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from .models import ApiToken
from .problems import TokenRefused

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    """The caller is the token's owner, with the owner's roles in each project."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            raise TokenRefused(
                "This call needs an API token: create one on your account page "
                f"({reverse('api_tokens')}) and send it as “Authorization: Bearer <token>”."
            )
        if scheme.lower() != "bearer" or not token.strip():
            raise TokenRefused(
                "The Authorization header must read “Bearer <token>”, with the token from "
                "your account page."
            )
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        found = ApiToken.find(token)
        if found is None:
            raise TokenRefused(
                "This API token is not known to the workbench (mistyped, or deleted). Create "
                f"a new one on your account page ({reverse('api_tokens')})."
            )
        if found.revoked_at is not None:
            raise TokenRefused(
                f"The API token “{found.name}” was revoked on "
                f"{timezone.localtime(found.revoked_at):%-d %b %Y}; create a new one on your "
                "account page."
            )
        if found.is_expired:
            raise TokenRefused(
                f"The API token “{found.name}” expired on "
                f"{timezone.localtime(found.expires_at):%-d %b %Y}; create a new one on your "
                "account page."
            )
        if not found.user.is_active:
            raise TokenRefused(
                "The account this token belongs to is deactivated; ask an administrator."
            )
        found.mark_used()
        # The access helpers of the pages read request.user: the same rules apply.
        request.user = found.user
        return found


@cache
def _redis(url):
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


class TokenThrottle(BaseThrottle):
    """At most WORKBENCH_API_CALLS_PER_MINUTE calls per token in each clock minute."""

    clock = staticmethod(time.time)

    def allow_request(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return True
        window = int(self.clock() // WINDOW_SECONDS)
        key = f"workbench:api:calls:{token.pk}:{window}"
        try:
            pipe = _redis(settings.REDIS_URL).pipeline()
            pipe.incr(key)
            pipe.expire(key, 2 * WINDOW_SECONDS)
            calls, _ = pipe.execute()
        except redis.RedisError:
            # Counting is a courtesy to the other users; an outage of Redis should not
            # stop the API.
            logger.warning("Could not count API calls in Redis; this call is let through.")
            return True
        return calls <= settings.WORKBENCH_API_CALLS_PER_MINUTE

    def wait(self):
        """Seconds until the current window ends."""
        return WINDOW_SECONDS - self.clock() % WINDOW_SECONDS
