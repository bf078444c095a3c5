"""Which address a request came from, the same for the audit log and the login lockout."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address: the connection's, or behind WORKBENCH_PROXY_COUNT
    proxies the one the outermost of them saw (X-Forwarded-For is read from the right,
    where only the trusted proxies write). None when it is not an IP address."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WORKBENCH_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
