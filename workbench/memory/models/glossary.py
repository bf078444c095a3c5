import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from workbench.projects.models import Project

MAX_TERM_LENGTH = 300
_WHITESPACE = re.compile(r"\s+")


def normalise_term_text(value):
    """NFC, single spaces, no outer blanks: “Court  of\nAppeal” and “Court of Appeal” are
    one term, so lookups and the unique pair do not depend on how it was typed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def term_text_problem(value, max_length=MAX_TERM_LENGTH):
    """Why `value` (already normalised) cannot be a term, or "" when it can."""
    if not value:
        return "is empty"
    if len(value) > max_length:
        return f"is {len(value)} characters long; the limit is {max_length}"
    for char in value:
        # Control and bidi-override characters make a term invisible or read backwards.
        if unicodedata.category(char) in {"Cc", "Cf"} and char not in "\u200c\u200d":
            return f"contains the invisible character U+{ord(char):04X}; retype it"
    return ""


class TermQuerySet(models.QuerySet):
    def search(self, query):
        """Terms whose source, target, note or domain contains `query` (any case)."""
        query = normalise_term_text(query)
        if not query:
            return self
        return self.filter(
            Q(source_term__icontains=query)
            | Q(target_term__icontains=query)
            | Q(note__icontains=query)
            | Q(domain__icontains=query)
        )


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

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["source_term", "target_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source_term", "target_term"], name="term_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.source_term} → {self.target_term} ({self.status})"

    # Preferred first: it is the one a translator is asked to use.
    STATUS_ORDER = {Status.PREFERRED: 0, Status.ADMITTED: 1, Status.FORBIDDEN: 2}

    @property
    def status_rank(self):
        return self.STATUS_ORDER[self.status]

    @property
    def is_forbidden(self):
        return self.status == self.Status.FORBIDDEN

    def clean(self):
        self.source_term = normalise_term_text(self.source_term)
        self.target_term = normalise_term_text(self.target_term)
        errors = {}
        for field in ("source_term", "target_term"):
            problem = term_text_problem(getattr(self, field))
            if problem:
                errors[field] = f"The term {problem}."
        if errors:
            raise ValidationError(errors)
        duplicate = Term.objects.filter(
            project_id=self.project_id, source_term=self.source_term, target_term=self.target_term
        ).exclude(pk=self.pk)
        if self.project_id and duplicate.exists():
            raise ValidationError(
                f"The glossary already has “{self.source_term}” → “{self.target_term}”; "
                "edit that entry instead."
            )
