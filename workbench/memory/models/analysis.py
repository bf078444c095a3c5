from django.conf import settings
from django.db import models

from workbench.documents.models import Document
from workbench.jobs.models import Job
from workbench.projects.models import Project


class Analysis(models.Model):
    """What a document, or a whole project, holds for quoting and planning: its words,
    segments and characters by TM match band and its internal repetitions, as they were
    when the analysis ran (see `memory.analysis`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="analyses")
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="analyses",
        help_text="The document analysed; empty for the analysis of the whole project.",
    )
    # The job that made it: a job delivered twice rewrites its own analysis.
    job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="analysis"
    )
    rows = models.JSONField(default=list, help_text="One row per band, then the total")
    documents = models.JSONField(
        default=list, blank=True, help_text="The project analysis's rows per document"
    )
    memories = models.JSONField(default=list, blank=True, help_text="Names of the memories read")
    threshold = models.PositiveSmallIntegerField(help_text="The lowest match counted as a match")
    # A digest of the sources analysed, to tell whether the documents changed since.
    fingerprint = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who ran it; empty when it ran by itself after an import.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "analyses"
        indexes = [
            models.Index(fields=["project", "document", "-created_at"], name="analysis_latest")
        ]

    def __str__(self):
        return f"Analysis of {self.document or self.project} ({self.created_at:%Y-%m-%d %H:%M})"
