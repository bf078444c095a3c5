from django.conf import settings
from django.db import models

from workbench.projects.models import Project


class Term(models.Model):
    """A termbase entry: how a source term must (or must not) be translated."""

    class Status(models.TextChoices):
        PREFERRED = "preferred", "Preferred"
        ADMITTED = "admitted", "Admitted"
        FORBIDDEN = "forbidden", "Forbidden"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="terms")
    source_term = models.CharField(max_length=300)
    target_term = models.CharField(max_length=300)
    part_of_speech = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    domain = models.CharField(max_length=100, blank=True)
    case_sensitive = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREFERRED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source_term", "target_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source_term", "target_term"], name="term_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.source_term} → {self.target_term} ({self.status})"
