import tempfile
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone

from workbench.documents.models import Document
from workbench.jobs.services import enqueue
from workbench.memory.models import Term
from workbench.projects.models import Project

from .effort import diff
from .exports import FORMATS, Corpus, export_corpus


def export_file_name(export, filename):
    """Exports live under a generated name, never a public or guessable one; people get
    them through the permission-checked download view."""
    return f"exports/{export.project_id}/{uuid.uuid4().hex}{export.extension}"


class Export(models.Model):
    """A corpus (or a translated document) exported to a file by a background job."""

    class Format(models.TextChoices):
        TMX = "tmx", "TMX 1.4b"
        XLIFF = "xliff", "XLIFF 1.2"
        XLIFF2 = "xliff2", "XLIFF 2.0"
        JSONL_SFT = "jsonl-sft", "JSONL for supervised fine-tuning (chat messages)"
        JSONL_DPO = "jsonl-dpo", "JSONL preference pairs (human vs machine)"
        CSV = "csv", "CSV (Excel, UTF-8)"
        XLSX = "xlsx", "Excel workbook (XLSX)"
        DOCX = "docx", "Translated Word document (DOCX)"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exports")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    statuses = models.JSONField(default=list)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=export_file_name, max_length=255, blank=True)
    units = models.PositiveIntegerField(default=0)
    # When the file was deleted after WORKBENCH_EXPORT_RETENTION_DAYS (retention.py).
    expired_at = models.DateTimeField(null=True, blank=True)
    job = models.OneToOneField(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="export"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} of {self.document or self.project}"

    @property
    def extension(self):
        return FORMATS[self.format].extension

    @property
    def is_ready(self):
        return bool(self.file)

    @property
    def download_name(self):
        """What the person's browser saves it as: project, document, format, date."""
        parts = [self.project.slug]
        if self.document_id:
            parts.append(f"document-{self.document_id}")
        parts += [self.format, self.created_at.strftime("%Y%m%d-%H%M")]
        return "-".join(parts) + self.extension

    @classmethod
    def start(
        cls, project, user, *, format, document=None, statuses=("approved",), since=None, until=None
    ):
        """Record the export and queue the background job that writes it."""
        with transaction.atomic():
            export = cls.objects.create(
                project=project,
                document=document,
                format=format,
                statuses=list(statuses),
                since=since,
                until=until,
                created_by=user,
            )
            export.job = enqueue(
                "export",
                project=project,
                document=document,
                params={"export": export.pk},
                user=user,
            )
            export.save(update_fields=["job"])
        return export

    def criteria(self):
        """What the export holds, as the audit log keeps it."""
        return {
            "format": self.format,
            "document": self.document.title if self.document else "all documents",
            "statuses": self.statuses,
            "since": self.since,
            "until": self.until,
        }

    def corpus(self):
        return Corpus(
            self.project,
            document=self.document,
            statuses=self.statuses,
            since=self.since,
            until=self.until,
        )

    def write(self, report=None):
        """Write the file (again, from the start, if a job is retried) and keep it.
        Raises ExportRefused when there is nothing to write."""
        with tempfile.TemporaryFile() as out:
            tally = export_corpus(self.corpus(), self.format, out, report=report)
            out.seek(0)
            if self.file:
                self.file.delete(save=False)
            self.file.save(f"export{self.extension}", File(out), save=False)
        self.units = tally.units
        self.save(update_fields=["file", "units"])
        return tally


# Corrections as training data ----------------------------------------------------------


class CorrectionQuerySet(models.QuerySet):
    def current(self):
        """Each segment's latest correction: what the machine text finally became."""
        return self.filter(is_current=True)

    def approved(self):
        return self.current().filter(event=Correction.Event.APPROVE)


class Correction(models.Model):
    """What a person made of machine text when confirming or approving a segment: the
    machine text and where it came from, the person's text, the time spent and the
    Annotator's issues they accepted or dismissed, with effort figures. Accepting the
    machine text unchanged is a correction too (edit distance 0, HTER 0).

    A segment gets one per confirmation or approval; only its latest is `is_current`,
    so figures and examples count each segment once, as it finally stands."""

    class Event(models.TextChoices):
        CONFIRM = "confirm", "Confirmed"
        APPROVE = "approve", "Approved"

    # `agent_role` of machine text that no agent wrote.
    TM = "tm"
    PROPAGATION = "propagation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="corrections")
    segment = models.ForeignKey(
        "documents.Segment", on_delete=models.CASCADE, related_name="corrections"
    )
    revision = models.ForeignKey(
        "documents.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=8, choices=Event.choices)
    source = models.TextField()
    machine_text = models.TextField()
    machine_origin = models.JSONField(default=dict, blank=True)
    agent_role = models.CharField(
        max_length=20, help_text="translator, proofreader; tm or propagation for those"
    )
    model_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    tm_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    final_text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seconds_spent = models.PositiveIntegerField(null=True, blank=True)
    issues = models.JSONField(default=list, blank=True)
    edit_distance = models.PositiveIntegerField(help_text="Characters (Levenshtein)")
    hter = models.FloatField(
        null=True, blank=True, help_text="TER of the machine text against the person's, 0–1+"
    )
    ter_signature = models.CharField(max_length=200, blank=True)
    chrf = models.FloatField(help_text="chrF of the machine text against the person's, 0–100")
    chrf_signature = models.CharField(max_length=200)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "is_current", "created_at"]),
            models.Index(fields=["segment", "-created_at"]),
            # Few-shot examples: the corrections whose source is like a batch's.
            GinIndex(fields=["source"], opclasses=["gin_trgm_ops"], name="correction_source_trgm"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} {self.segment} by {self.author}"

    @property
    def accepted_unchanged(self):
        return self.edit_distance == 0

    @property
    def origin_label(self):
        if self.agent_role == self.TM:
            percent = f" {self.tm_percent}%" if self.tm_percent is not None else ""
            return f"TM match{percent}"
        if self.agent_role == self.PROPAGATION:
            return "Auto-propagation"
        return " · ".join(
            part for part in (self.agent_role, self.model_name, self.prompt_version) if part
        )

    def diff(self):
        return diff(self.machine_text, self.final_text)


class Replacement(models.Model):
    """Words of the machine text a person replaced in a correction ("原告" → "上訴人"),
    kept so that repeated replacements can be counted in SQL."""

    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, related_name="replacements"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    machine_span = models.CharField(max_length=300)
    final_span = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["project", "machine_span", "final_span"])]

    def __str__(self):
        return f"{self.machine_span} → {self.final_span}"


class CandidateRefused(Exception):
    """The glossary candidate cannot be decided as asked; the message says why."""


class GlossaryCandidate(models.Model):
    """A glossary entry suggested to the manager because people keep replacing the
    machine's `machine_term` with `target_term`. A rejected pair is remembered and not
    suggested again; an accepted one became `term`."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="glossary_candidates"
    )
    machine_term = models.CharField(max_length=300)
    target_term = models.CharField(max_length=300)
    source_term = models.CharField(max_length=300, blank=True, help_text="Proposed")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    evidence = models.ManyToManyField(Correction, related_name="glossary_candidates")
    corrections_count = models.PositiveIntegerField(default=0)
    documents_count = models.PositiveIntegerField(default=0)
    term = models.ForeignKey(
        "memory.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-corrections_count", "machine_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "machine_term", "target_term"], name="one_candidate_per_change"
            )
        ]

    def __str__(self):
        return f"{self.source_term or '?'}: {self.machine_term} → {self.target_term}"

    @transaction.atomic
    def accept(self, user, *, source_term, target_term, forbid_machine_term=False):
        """Add `source_term` → `target_term` to the glossary as the preferred term, and
        optionally the machine's term as forbidden. Raises CandidateRefused."""
        locked = self._open_for_decision()
        term = Term(
            project=locked.project,
            source_term=source_term,
            target_term=target_term,
            status=Term.Status.PREFERRED,
            created_by=user,
            note=(
                f"Suggested by {locked.corrections_count} corrections of “{locked.machine_term}” "
                f"in {locked.documents_count} documents."
            ),
        )
        try:
            term.full_clean()
        except ValidationError as error:
            raise CandidateRefused(" ".join(error.messages)) from None
        term.save()
        if forbid_machine_term and locked.machine_term != term.target_term:
            Term.objects.update_or_create(
                project=locked.project,
                source_term=term.source_term,
                target_term=locked.machine_term,
                defaults={"status": Term.Status.FORBIDDEN, "created_by": user},
            )
        locked._decide(self.Status.ACCEPTED, user, term=term)
        self.refresh_from_db()
        return term

    @transaction.atomic
    def reject(self, user):
        locked = self._open_for_decision()
        locked._decide(self.Status.REJECTED, user)
        self.refresh_from_db()

    def _open_for_decision(self):
        locked = GlossaryCandidate.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.OPEN:
            who = locked.decided_by.get_username() if locked.decided_by else "someone"
            raise CandidateRefused(
                f"{who} has already {locked.get_status_display().lower()} this suggestion; "
                "reload the page to see the glossary as it is now."
            )
        return locked

    def _decide(self, status, user, term=None):
        self.status = status
        self.term = term
        self.decided_by = user
        self.decided_at = timezone.now()
        self.save(update_fields=["status", "term", "decided_by", "decided_at", "updated_at"])


class Lesson(models.Model):
    """A style note a reviewer or manager writes once ("dates as 2024年3月5日"); every
    drafting prompt of the project carries the active ones."""

    MAX_CHARS = 1000

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "created_at", "pk"]

    def __str__(self):
        return self.text

    def set_active(self, active):
        self.active = active
        self.save(update_fields=["active", "updated_at"])


# Quality assessment by reviewers (LQA) --------------------------------------------------


class LqaError(models.Model):
    """An error a reviewer found in a segment's translation, MQM-style: a category of the
    typology, a severity that weighs 1, 5 or 25 points, and an optional note. It is about
    one text, the `revision` being assessed, and is counted against whoever wrote that
    text: a person (`translator`) or an agent role and model. Recording one never changes
    the segment; only the send-back and edit of the editor do (through the lifecycle)."""

    class Category(models.TextChoices):
        MISTRANSLATION = "mistranslation", "Accuracy: mistranslation"
        OMISSION = "omission", "Accuracy: omission"
        ADDITION = "addition", "Accuracy: addition"
        TERMINOLOGY = "terminology", "Terminology"
        LEGAL_REFERENCE = "legal_reference", "Legal reference"
        NUMBER_DATE = "number_date", "Number or date"
        GRAMMAR = "grammar", "Grammar"
        STYLE = "style", "Style"
        LOCALE = "locale", "Locale convention"

    class Severity(models.TextChoices):
        MINOR = "minor", "Minor"
        MAJOR = "major", "Major"
        CRITICAL = "critical", "Critical"

    # The one place the severities' weights live (error points, MQM-style).
    WEIGHTS = {Severity.MINOR: 1, Severity.MAJOR: 5, Severity.CRITICAL: 25}
    MAX_NOTE = 1000

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lqa_errors")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lqa_errors")
    segment = models.ForeignKey(
        "documents.Segment", on_delete=models.CASCADE, related_name="lqa_errors"
    )
    revision = models.ForeignKey(
        "documents.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision whose text was assessed",
    )
    assessed_text = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote the assessed text: a person, or an agent role and model, or the TM, an
    # imported file or auto-propagation (`text_origin` is a Revision.Origin).
    text_origin = models.CharField(max_length=12, blank=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agent_role = models.CharField(max_length=20, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["segment__position", "created_at", "pk"]
        indexes = [models.Index(fields=["document", "segment"])]

    def __str__(self):
        return f"{self.get_severity_display()} {self.get_category_display()} in {self.segment}"

    @property
    def points(self):
        return self.WEIGHTS[self.severity]
