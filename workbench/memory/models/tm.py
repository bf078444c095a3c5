import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
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


class TranslationUnit(models.Model):
    class Origin(models.TextChoices):
        APPROVAL = "approval", "Approved in the workbench"
        PROJECT = "project", "Translated in the workbench"
        IMPORT = "import", "Imported file"

    class Quality(models.TextChoices):
        APPROVED = "approved", "Approved by a reviewer"
        TRANSLATED = "translated", "Translated"

    memory = models.ForeignKey(TranslationMemory, on_delete=models.CASCADE, related_name="units")
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
        ]

    def __str__(self):
        return self.source[:60]

    def save(self, *args, **kwargs):
        self.source_hash = self.hash_text(self.source)
        self.target_hash = self.hash_text(self.target)
        super().save(*args, **kwargs)

    @staticmethod
    def hash_text(text):
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
