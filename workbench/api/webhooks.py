"""Webhooks: telling a project's receivers that something happened, signed and retried.

An event becomes one `WebhookDelivery` per webhook that wants it, and a background job
("deliver_webhook") sends it: a POST of the JSON payload with

    Workbench-Event:     job.finished
    Workbench-Delivery:  the delivery's id (the same on every attempt: deduplicate on it)
    Workbench-Timestamp: Unix time of this attempt
    Workbench-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>") in hex

A receiver checks the signature over the raw body and refuses old timestamps (replays).
Anything but a 2xx answer is tried again after 1, 2, 4… × WORKBENCH_WEBHOOK_BACKOFF_SECONDS,
WORKBENCH_WEBHOOK_ATTEMPTS times in all; then the delivery is failed, and a manager can
deliver it again from the delivery log.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from workbench.jobs.services import enqueue, retry_job

from .models import Webhook, WebhookDelivery

DELIVERY_KIND = "deliver_webhook"
TIMEOUT_SECONDS = 10
MAX_ERROR_CHARS = 500


class WebhookRefused(Exception):
    """A webhook that cannot be used as given; the message says why."""


def check_url(url):
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise WebhookRefused(
            f"“{url[:100]}” is not an http(s) URL; give the full address of your receiver, "
            "e.g. https://dms.example.org/workbench-events."
        ) from None
    if urlsplit(url).username:
        raise WebhookRefused("Leave credentials out of the URL; verify the signature instead.")
    return url


def create_webhook(project, *, url, events, user):
    """Returns the webhook; its secret is shown to the person this once."""
    unknown = set(events) - set(Webhook.Event.values)
    if not events or unknown:
        raise WebhookRefused(
            f"Choose events among {', '.join(Webhook.Event.values)}"
            + (f"; “{', '.join(sorted(unknown))}” is not one." if unknown else ".")
        )
    return Webhook.objects.create(
        project=project, url=check_url(url), events=sorted(set(events)), created_by=user
    )


def sign(secret, timestamp, body):
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def body_of(delivery):
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


# Events ---------------------------------------------------------------------------------


def emit(project, event, data):
    """Queue the event for every webhook of the project that wants it. The jobs are
    signalled when the surrounding transaction commits."""
    deliveries = []
    for webhook in Webhook.objects.filter(project=project, events__contains=[event]):
        delivery = WebhookDelivery(webhook=webhook, event=event)
        delivery.payload = {
            "id": str(delivery.uid),
            "event": event,
            "created_at": timezone.now().isoformat(),
            "project": project.slug,
            "data": data,
        }
        with transaction.atomic():
            delivery.save()
            delivery.job = enqueue(DELIVERY_KIND, project=project, params={"delivery": delivery.pk})
            delivery.save(update_fields=["job"])
        deliveries.append(delivery)
    return deliveries


def wanted(project_id, event):
    return Webhook.objects.filter(project_id=project_id, events__contains=[event]).exists()


# Delivering -----------------------------------------------------------------------------


def deliver(delivery, pause=time.sleep):
    """Send the delivery, with retries and exponential backoff; `pause(seconds)` waits
    between attempts. Returns whether the receiver accepted it."""
    attempts = settings.WORKBENCH_WEBHOOK_ATTEMPTS
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            pause(settings.WORKBENCH_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 2))
        if _attempt(delivery):
            return True
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["status"])
    return False


def _attempt(delivery):
    webhook = delivery.webhook
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "workbench-webhooks/1",
        "Workbench-Event": delivery.event,
        "Workbench-Delivery": str(delivery.uid),
        "Workbench-Timestamp": timestamp,
        "Workbench-Signature": sign(webhook.secret, timestamp, body),
    }
    status, error = None, ""
    try:
        _check_destination(webhook.url)
        response = httpx.post(webhook.url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
        status = response.status_code
        if not 200 <= status < 300:
            error = f"The receiver answered HTTP {status}: {response.text[:200]}"
    except (httpx.HTTPError, WebhookRefused, OSError) as exc:
        error = str(exc) or type(exc).__name__
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status
    delivery.error = error[:MAX_ERROR_CHARS]
    if not error:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "response_status",
            "error",
            "status",
            "delivered_at",
        ]
    )
    return not error


def _check_destination(url):
    """Events go to public addresses only (unless WORKBENCH_WEBHOOK_ALLOW_PRIVATE), so a
    webhook cannot be aimed at the workbench's own network."""
    if settings.WORKBENCH_WEBHOOK_ALLOW_PRIVATE:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        raise WebhookRefused(f"The receiver's host name “{host}” does not resolve.") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise WebhookRefused(
                f"The receiver's address {address} is not a public one; the workbench sends "
                "events only to public addresses (an administrator can allow others with "
                "WORKBENCH_WEBHOOK_ALLOW_PRIVATE)."
            )


def failure_message(delivery):
    return (
        f"The {delivery.event} event could not be delivered to {delivery.webhook.url} in "
        f"{delivery.attempts} attempts; the last one: {delivery.error}. Fix the receiver, "
        "then deliver the event again from the project's webhook log."
    )


def redeliver(delivery, user):
    """Send a failed delivery again, with a fresh set of attempts."""
    if delivery.job is not None and not delivery.job.is_finished:
        raise WebhookRefused(
            f"This event is being delivered already (job #{delivery.job.pk}); wait for it."
        )
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.save(update_fields=["status"])
    if delivery.job is not None and delivery.job.can_be_retried:
        retry_job(delivery.job, user)
    else:
        delivery.job = enqueue(
            DELIVERY_KIND,
            project=delivery.webhook.project,
            params={"delivery": delivery.pk},
            user=user,
        )
        delivery.save(update_fields=["job"])
    return delivery
