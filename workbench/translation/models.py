from django.conf import settings
from django.db import models
from django.utils import timezone

from workbench.documents.models import Segment


class Suggestion(models.Model):
    """Machine text offered for a segment: the Translator's draft, the Proofreader's
    revision, a result that arrived after a person touched the segment, or the answer to
    "Ask the agents to revise". People insert or ignore it; it never overwrites them."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Translator draft"
        REVISION = "revision", "Proofreader revision"
        LATE = "late", "Arrived after a person edited the segment"
        ON_REQUEST = "on_request", "Revision asked for by a person"

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    agent_role = models.CharField(max_length=20)
    model_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    round = models.PositiveSmallIntegerField(default=0)
    instruction = models.TextField(blank=True, help_text="The person's instruction, on request")
    resolutions = models.JSONField(default=list, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.segment}"

    @property
    def origin(self):
        """Where the text came from, as a Revision records it in `machine_origin`."""
        return {
            "kind": "agent",
            "suggestion": self.kind,
            "role": self.agent_role,
            "model": self.model_name,
            "prompt_version": self.prompt_version,
            "round": self.round,
        }


class Annotation(models.Model):
    """An issue in a segment's target, found by the Annotator or a deterministic check."""

    class Category(models.TextChoices):
        ACCURACY = "accuracy", "Accuracy"
        OMISSION = "omission", "Omission"
        ADDITION = "addition", "Addition"
        TERMINOLOGY = "terminology", "Terminology"
        CITATION = "citation", "Citation"
        NUMBER_DATE = "number_date", "Number or date"
        STYLE = "style", "Style"
        FLUENCY = "fluency", "Fluency"
        TAGS = "tags", "Tags"
        # The same term, role or sentence translated differently across the document.
        CONSISTENCY = "consistency", "Consistency"

    class Severity(models.TextChoices):
        MINOR = "minor", "Minor"
        MAJOR = "major", "Major"
        CRITICAL = "critical", "Critical"

    class Source(models.TextChoices):
        ANNOTATOR = "annotator", "Annotator agent"
        CHECK = "check", "Deterministic check"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"
        # The text it was raised on has changed so that it no longer applies.
        OUTDATED = "outdated", "Outdated"

    BLOCKING = (Severity.MAJOR, Severity.CRITICAL)

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="annotations")
    source = models.CharField(max_length=10, choices=Source.choices)
    category = models.CharField(max_length=12, choices=Category.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    span = models.TextField(blank=True, help_text="The words of the target it concerns")
    target_text = models.TextField(blank=True, help_text="The target it was raised on")
    suggestion = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    round = models.PositiveSmallIntegerField(default=0)
    model_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    dismiss_reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment", "-created_at", "-pk"]
        indexes = [models.Index(fields=["segment", "status"])]

    def __str__(self):
        return f"{self.get_severity_display()} {self.get_category_display()} in {self.segment}"

    @property
    def needs_reason_to_dismiss(self):
        return self.severity in (self.Severity.MAJOR, self.Severity.CRITICAL)

    @property
    def can_be_applied(self):
        """Only the Annotator's suggestions are replacement text for the span; a
        deterministic check's suggestion is advice ("Use 上訴人.")."""
        return self.source == self.Source.ANNOTATOR and bool(self.span and self.suggestion)

    def applied_to(self, text):
        """`text` with the span replaced by the suggestion, or None where that is not
        possible (no replacement text, or the span is no longer in the text)."""
        if not self.can_be_applied or self.span not in text:
            return None
        return text.replace(self.span, self.suggestion, 1)

    def resolve(self, status, user, reason=""):
        self.status = status
        self.dismiss_reason = reason
        self.resolved_by = user
        self.resolved_at = timezone.now()
        self.save(update_fields=["status", "dismiss_reason", "resolved_by", "resolved_at"])


class Comment(models.Model):
    """A message in a segment's thread: a question to the reviewer or manager, or the
    reason a reviewer sent the segment back. Resolvable."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    is_send_back = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment", "created_at", "pk"]
        indexes = [models.Index(fields=["segment", "resolved"])]

    def __str__(self):
        return f"Comment on {self.segment} by {self.author}"

    def resolve(self, user):
        self.resolved = True
        self.resolved_by = user
        self.resolved_at = timezone.now()
        self.save(update_fields=["resolved", "resolved_by", "resolved_at"])
