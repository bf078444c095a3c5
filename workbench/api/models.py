"""The REST API's own rows: people's API tokens, the projects' webhooks and the log of
what was delivered to them."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from workbench.projects.models import Project

TOKEN_PREFIX = "wbt_"  # noqa: S105  (a marker that says what the string is, not a secret)
# What the token list shows of a token, so a person can tell theirs apart: the prefix
# and the first characters of the secret, never enough to use it.
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 6


class ApiToken(models.Model):
    """A person's key to the API. Only its SHA-256 is stored: the token itself is shown
    once, when it is created, and cannot be recovered. (A random 256-bit secret needs no
    slow password hash: nobody can guess it from the digest.)"""

    LIFETIMES = {7: "7 days", 30: "30 days", 90: "90 days", 365: "1 year"}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “court DMS sync”")
    digest = models.CharField(max_length=64, unique=True)
    shown = models.CharField(max_length=SHOWN_CHARACTERS)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.shown}…) of {self.user}"

    @staticmethod
    def digest_of(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def find(cls, token):
        """The row of a token as sent, usable or not, or None."""
        return cls.objects.select_related("user").filter(digest=cls.digest_of(token)).first()

    @classmethod
    def issue(cls, user, *, name, days):
        """Create a token; returns (row, the token itself), the only time it exists."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            name=name,
            digest=cls.digest_of(token),
            shown=token[:SHOWN_CHARACTERS],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return row, token

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return self.revoked_at is None and not self.is_expired

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def mark_used(self):
        """Record the use, at most once a minute, so a busy client does not write a row
        on every call."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class Webhook(models.Model):
    """A project manager's receiver of events: an HTTPS (or HTTP) URL and the events it
    wants. Each delivery is signed with the webhook's secret."""

    class Event(models.TextChoices):
        JOB_FINISHED = "job.finished", "A background job finished"
        DOCUMENT_APPROVED = "document.approved", "A document is fully approved"
        EXPORT_READY = "export.ready", "An export file is ready"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "pk"]

    def __str__(self):
        return f"{self.url} ({', '.join(self.events)})"

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = "whsec_" + secrets.token_hex(24)
        super().save(*args, **kwargs)


class WebhookDelivery(models.Model):
    """One event for one webhook, and what became of sending it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # Receivers use it to recognise an event they have had already (a delivery retried
    # after their answer was lost).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40, choices=Webhook.Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log")]

    def __str__(self):
        return f"{self.event} to {self.webhook.url} ({self.status})"
