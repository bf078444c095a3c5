import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models

from workbench.documents.models import Document, Segment
from workbench.projects.models import Project


class TranslationMemory(models.Model):
    """A collection of translation units: a project's own, or a shared one projects read."""

    name = models.CharField(max_length=200)
    source_language = models.CharField(max_length=35)
    target_language = models.CharField(max_length=35)
    owner = models.OneToOneField(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_memory",
        help_text="Set for a project's own memory; empty for a shared memory.",
    )
    readers = models.ManyToManyField(
        Project, blank=True, related_name="shared_memories", help_text="Projects that read it"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "translation memories"

    def __str__(self):
        return self.name

    @property
    def language_pair(self):
        return f"{self.source_language} → {self.target_language}"


# C0 and C1 controls: tabs and line breaks occur in real text; the others mean a damaged
# file and cannot even be written to XML.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class CurrentTransaction(models.Func):
    """The id of the transaction writing the row (64-bit, never wrapping around)."""

    template = "(pg_current_xact_id()::text::bigint)"
    output_field = models.BigIntegerField()


class TranslationUnit(models.Model):
    # A legal paragraph kept whole can run to a few thousand characters; anything far
    # beyond that is a whole document pasted into one cell, useless as a match.
    MAX_CHARS = 10_000

    class Origin(models.TextChoices):
        APPROVAL = "approval", "Approved in the workbench"
        PROJECT = "project", "Translated in the workbench"
        IMPORT = "import", "Imported file"

    class Quality(models.TextChoices):
        APPROVED = "approved", "Approved by a reviewer"
        TRANSLATED = "translated", "Translated, not reviewed"
        # Its segment was sent back by a reviewer: kept for the record, never offered.
        WITHDRAWN = "withdrawn", "Withdrawn: sent back by a reviewer"

    # No index of its own: the indexes below all begin with the memory. (One of its own
    # misled the planner, on a memory too new for the statistics, into reading all the
    # memory's rows to find the few changed since the match index last looked.)
    memory = models.ForeignKey(
        TranslationMemory, on_delete=models.CASCADE, related_name="units", db_index=False
    )
    source = models.TextField()
    target = models.TextField()
    source_language = models.CharField(max_length=35)
    target_language = models.CharField(max_length=35)
    source_hash = models.CharField(max_length=40)
    target_hash = models.CharField(max_length=40)
    # Hashes of the neighbouring sources, for 101% (in-context) matches.
    previous_hash = models.CharField(max_length=40, blank=True)
    next_hash = models.CharField(max_length=40, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    quality = models.CharField(max_length=10, choices=Quality.choices)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_from = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Computed by PostgreSQL (function of migration 0003), so every writer, raw SQL
    # included, keeps it right: a fingerprint of the source with every number masked, by
    # which a long query finds the same sentence with other numbers (see lookup.py).
    source_shape = models.GeneratedField(
        expression=models.Func(
            models.F("source"), function="tm_shape", output_field=models.UUIDField()
        ),
        output_field=models.UUIDField(),
        db_persist=True,
    )
    # The transaction that last wrote the row (a column default, and a trigger on update,
    # of migration 0007), by which each process's match index takes in what changed
    # since it last looked (see match_index.py).
    changed_xid = models.BigIntegerField(db_default=CurrentTransaction(), editable=False)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            # Same source and target in one memory: merged, not repeated.
            models.UniqueConstraint(
                fields=["memory", "source_hash", "target_hash"], name="tm_unit_unique_pair"
            ),
            # A segment approved into a memory updates its unit rather than adding another.
            models.UniqueConstraint(
                fields=["memory", "segment"],
                condition=models.Q(segment__isnull=False),
                name="tm_unit_one_per_segment",
            ),
        ]
        indexes = [
            GinIndex(fields=["source"], opclasses=["gin_trgm_ops"], name="tm_unit_source_trgm"),
            GinIndex(fields=["target"], opclasses=["gin_trgm_ops"], name="tm_unit_target_trgm"),
            models.Index(fields=["memory", "source_hash"], name="tm_unit_source_hash"),
            models.Index(fields=["memory", "changed_xid"], name="tm_unit_changed_xid"),
            models.Index(fields=["memory", "source_shape"], name="tm_unit_source_shape"),
        ]

    def __str__(self):
        return self.source[:60]

    def save(self, *args, **kwargs):
        self.source_hash = self.hash_text(self.source)
        self.target_hash = self.hash_text(self.target)
        super().save(*args, **kwargs)

    def clean(self):
        problem = self.problem_with(self.source.strip(), self.target.strip())
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".")

    @classmethod
    def problem_with(cls, source, target):
        """Why a source/target pair cannot be a unit, or "" when it can."""
        if not source:
            return "the source text is empty"
        if not target:
            return "the target text is empty or missing"
        for side, text in (("source", source), ("target", target)):
            if len(text) > cls.MAX_CHARS:
                return (
                    f"the {side} text is {len(text):,} characters long; a unit may have at "
                    f"most {cls.MAX_CHARS:,}"
                )
            control = CONTROL_CHARACTER.search(text)
            if control:
                return f"the {side} text contains the control character U+{ord(control[0]):04X}"
        return ""

    @staticmethod
    def hash_text(text):
        """The segment's own hash (whitespace-insensitive), so a segment's `source_hash`
        and its neighbours' find exact and in-context matches without rehashing."""
        return Segment.hash_source(text)
