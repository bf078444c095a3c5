import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Count, Q

from workbench.projects.models import Project


def original_file_name(document, filename):
    """Originals are stored under a generated name; the person's filename is kept apart."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"originals/{document.project_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    class Format(models.TextChoices):
        TXT = "txt", "Plain text"
        DOCX = "docx", "Word (DOCX)"
        PDF = "pdf", "PDF"
        XLIFF = "xliff", "XLIFF"

    class Status(models.TextChoices):
        IMPORTING = "importing", "Importing"
        READY = "ready", "Ready"
        REJECTED = "rejected", "Rejected"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    original_filename = models.CharField(max_length=255)
    original_file = models.FileField(upload_to=original_file_name, max_length=255)
    format = models.CharField(max_length=8, choices=Format.choices)
    encoding = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IMPORTING)
    rejection_reason = models.TextField(blank=True)
    import_warnings = models.JSONField(default=list, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_documents"
    )
    due_date = models.DateField(null=True, blank=True)
    # The agents' document brief: court, case number, parties, judges, defined and key
    # terms. Made once per document, shown to people, editable, given to every batch.
    brief = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def status_counts(self):
        """Segments per status, every status present (0 where none)."""
        counts = dict.fromkeys(Segment.Status.values, 0)
        for row in self.segments.values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        return counts


class SegmentQuerySet(models.QuerySet):
    def machine_writable(self):
        """Segments an agent or the TM may still write: nobody has touched them."""
        return self.filter(status__in=Segment.MACHINE_WRITABLE).exclude(
            draft_origin=Segment.PERSON
        )

    def with_status_counts(self):
        return self.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Segment.Status.values}
        )


class Segment(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        DRAFTED = "drafted", "Drafted"
        TRANSLATED = "translated", "Translated"
        APPROVED = "approved", "Approved"

    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"
        LIST_ITEM = "list_item", "List item"
        TABLE_CELL = "table_cell", "Table cell"
        FOOTNOTE = "footnote", "Footnote"

    MACHINE_WRITABLE = (Status.NEW, Status.DRAFTED)
    # draft_origin of a segment a person saved without confirming: machines keep off it.
    PERSON = "person"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField(help_text="1-based order in the document")
    source = models.TextField()
    target = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    version = models.PositiveIntegerField(default=0)
    source_hash = models.CharField(max_length=40, db_index=True)
    word_count = models.PositiveIntegerField(default=0)
    char_count = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PARAGRAPH)
    paragraph_number = models.CharField(max_length=32, blank=True)
    block = models.PositiveIntegerField(
        default=0, help_text="Index of the source paragraph (or cell, footnote) it came from"
    )
    hidden = models.BooleanField(default=False, help_text="Hidden text in the original")
    structure = models.JSONField(default=dict, blank=True)
    placeholders = models.JSONField(
        default=dict, blank=True, help_text="Protected inline codes: token -> original markup"
    )
    # Where the current machine draft came from, and its TM match if it came from the TM.
    draft_origin = models.CharField(max_length=12, blank=True)
    match_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="one_segment_per_position"
            )
        ]
        indexes = [
            models.Index(fields=["document", "status"]),
            # Concordance search over what the project has translated.
            GinIndex(fields=["source"], opclasses=["gin_trgm_ops"], name="segment_source_trgm"),
            GinIndex(fields=["target"], opclasses=["gin_trgm_ops"], name="segment_target_trgm"),
        ]

    def __str__(self):
        return f"{self.document_id}#{self.position}"

    @staticmethod
    def hash_source(text):
        return hashlib.sha1(" ".join(text.split()).encode(), usedforsecurity=False).hexdigest()

    @property
    def machine_writable(self):
        return self.status in self.MACHINE_WRITABLE and self.draft_origin != self.PERSON
