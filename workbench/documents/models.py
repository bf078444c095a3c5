import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q

from workbench.projects.models import Notification, Project


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
    # When the whole translation is due; people's own deadlines are on their assignments.
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
        # Unordered: the segments' default order would join the document to sort.
        for row in self.segments.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        return counts

    def is_assigned_to(self, user, role=None):
        assignments = self.assignments.filter(assignee_id=user.pk)
        return assignments.filter(role=role).exists() if role else assignments.exists()

    def segments_assigned_to(self, user):
        """The segments of this document that the user's assignments cover."""
        covered = Q(pk__in=[])
        for first, last in self.assignments.filter(assignee_id=user.pk).values_list(
            "first_position", "last_position"
        ):
            if first is None:
                return self.segments.all()
            covered |= Q(position__gte=first, position__lte=last)
        return self.segments.filter(covered)

    def assign(self, person, *, role, by, first_position=None, last_position=None, due_date=None):
        """Give the person this document (or a range of its segments) to translate or
        review, and tell them so. Raises AssignmentRefused, saying what to do, when they
        already have that work on any of these segments or the range is not one."""
        with transaction.atomic():
            # Two managers assigning at once see each other's assignment.
            Document.objects.select_for_update().filter(pk=self.pk).first()
            refusal = Assignment.overlap_refusal(self, person, role, first_position, last_position)
            if refusal:
                raise AssignmentRefused(refusal)
            try:
                with transaction.atomic():
                    assignment = self.assignments.create(
                        assignee=person,
                        role=role,
                        first_position=first_position,
                        last_position=last_position,
                        due_date=due_date,
                        assigned_by=by,
                    )
            except IntegrityError:
                raise AssignmentRefused(Assignment.RANGE_REFUSED) from None
            Notification.for_assignment(assignment)
        return assignment


class SegmentQuerySet(models.QuerySet):
    def machine_writable(self):
        """Segments an agent or the TM may still write: new or drafted, not locked, and
        no person has touched them (invariant 1)."""
        return self.filter(status__in=Segment.MACHINE_WRITABLE, locked=False).exclude(
            draft_origin=Segment.DraftOrigin.PERSON
        )

    def with_status_counts(self):
        return self.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Segment.Status.values}
        )


class Segment(models.Model):
    """A sentence or paragraph of a document and its translation. Its target and status
    change only through `documents.lifecycle`, which states the rules."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        DRAFTED = "drafted", "Drafted"
        TRANSLATED = "translated", "Translated"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Sent back"

    class DraftOrigin(models.TextChoices):
        """Where the current text came from."""

        NONE = "", "Nothing yet"
        TM = "tm", "Translation memory"
        AGENT = "agent", "Agents"
        PERSON = "person", "A person"  # saved without confirming: machines keep off it
        PROPAGATION = "propagation", "Auto-propagation"
        IMPORT = "import", "Imported file"

    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"
        LIST_ITEM = "list_item", "List item"
        TABLE_CELL = "table_cell", "Table cell"
        FOOTNOTE = "footnote", "Footnote"

    class Risk(models.TextChoices):
        NONE = "", "Not assessed"
        LOW = "low", "Low risk"
        MEDIUM = "medium", "Medium risk"
        HIGH = "high", "High risk"

    MACHINE_WRITABLE = (Status.NEW, Status.DRAFTED)
    # Waiting for a translator: nobody has confirmed it, or a reviewer sent it back.
    TO_TRANSLATE = (Status.NEW, Status.DRAFTED, Status.REJECTED)

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField(help_text="1-based order in the document")
    source = models.TextField()
    target = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    version = models.PositiveIntegerField(default=0)
    # Locked in the file it came from (Trados, memoQ): read-only to people and machines.
    locked = models.BooleanField(default=False)
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
    draft_origin = models.CharField(
        max_length=12, choices=DraftOrigin.choices, default=DraftOrigin.NONE, blank=True
    )
    # The TM match percentage when the text came from the TM.
    match_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # How much the agents' draft needs a person (agents.risk), with the reasons: written
    # with the draft it describes and kept after people edit it, for calibration.
    risk = models.CharField(max_length=6, choices=Risk.choices, blank=True, default="")
    risk_reasons = models.JSONField(default=list, blank=True)
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
            models.Index(fields=["document", "risk"]),
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
        return (
            self.status in self.MACHINE_WRITABLE
            and self.draft_origin != self.DraftOrigin.PERSON
            and not self.locked
        )


class Revision(models.Model):
    """One change of a segment's target or status: by a person, or by an agent, the TM,
    auto-propagation or an imported file. Written only by `Revision.record`, which only
    the lifecycle calls (invariant 3)."""

    class Origin(models.TextChoices):
        PERSON = "person", "Person"
        AGENT = "agent", "Agent"
        TM = "tm", "Translation memory"
        IMPORT = "import", "Imported file"
        PROPAGATION = "propagation", "Auto-propagation"
        # The project's policy let a low-risk draft skip review; `reason` says why.
        POLICY = "policy", "Project policy"

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="revisions")
    origin = models.CharField(max_length=12, choices=Origin.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent_role = models.CharField(max_length=20, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    old_target = models.TextField(blank=True)
    new_target = models.TextField(blank=True)
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10)
    version = models.PositiveIntegerField(help_text="The segment's version after this change")
    # Why, where a rule asks for a reason: sending back, reopening an approved segment,
    # confirming or approving over blocking QA findings (which `overridden` lists).
    reason = models.TextField(blank=True)
    overridden = models.JSONField(default=list, blank=True)
    # What a person started from, so a correction can become training data: the machine
    # text (agent draft or revision, TM match) and where it came from, and how long the
    # person worked on the segment before saving.
    machine_text = models.TextField(blank=True)
    machine_origin = models.JSONField(default=dict, blank=True)
    seconds_spent = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # The table keeps the name it had when revisions belonged to the translation
        # app; the dashboard's tally triggers are on it.
        db_table = "translation_revision"
        ordering = ["segment", "created_at", "pk"]
        indexes = [
            models.Index(fields=["segment", "-created_at"]),
            # The dashboard's risk calibration counts the reviews a policy skipped: few
            # rows among millions of revisions.
            models.Index(
                fields=["segment"], condition=Q(origin="policy"), name="revision_skipped_review"
            ),
        ]

    def __str__(self):
        return f"{self.segment} v{self.version} ({self.origin})"

    @classmethod
    def record(cls, segment, *, old_target, old_status, origin, **details):
        """The one constructor of a revision: the segment as it is now (its target,
        status and version after the change), what it was before, and who and why.
        Unsaved: the lifecycle saves revisions one by one or in bulk."""
        return cls(
            segment=segment,
            origin=origin,
            old_target=old_target,
            new_target=segment.target,
            old_status=old_status,
            new_status=segment.status,
            version=segment.version,
            **details,
        )

    @property
    def who(self):
        if self.author_id:
            return self.author.get_username()
        if self.origin == self.Origin.AGENT:
            return f"{self.agent_role} · {self.model_name} · {self.prompt_version}"
        return self.get_origin_display()

    @property
    def changed_text(self):
        return self.old_target != self.new_target

    def machine_start(self):
        """(text, origin) of the machine text behind this revision's target: a person's
        revision carries forward what the person started from; a machine revision is
        itself the start."""
        if self.origin == self.Origin.PERSON:
            return self.machine_text, self.machine_origin
        if self.origin == self.Origin.AGENT:
            origin = {
                "kind": "agent",
                "role": self.agent_role,
                "model": self.model_name,
                "prompt_version": self.prompt_version,
            }
        else:
            origin = {"kind": self.origin}
        if self.origin == self.Origin.TM and self.segment.match_percent is not None:
            origin["percent"] = self.segment.match_percent
        return self.new_target, origin


RANGE_REFUSED = (
    "A range runs from a first segment (1 or more) to a last one no lower than it; enter "
    "both numbers, lower first, or neither for the whole document."
)


class AssignmentRefused(Exception):
    """The assignment would repeat work already given, or its range is not one; the
    message says what to do. Nothing changed."""


class Assignment(models.Model):
    """Work given to a person: a whole document, or a range of its segments, to translate
    or to review, with the date it is due. The one way work is assigned."""

    class Role(models.TextChoices):
        TRANSLATOR = "translator", "Translate"
        REVIEWER = "reviewer", "Review"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    # Both empty: the whole document.
    first_position = models.PositiveIntegerField(null=True, blank=True)
    last_position = models.PositiveIntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    RANGE_REFUSED = RANGE_REFUSED
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "first_position", "pk"]
        indexes = [models.Index(fields=["assignee", "due_date"], name="assignment_of_person")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(first_position__isnull=True) & Q(last_position__isnull=True))
                | Q(first_position__gte=1, last_position__gte=models.F("first_position")),
                name="assignment_whole_or_range",
                violation_error_message=RANGE_REFUSED,
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.scope} of {self.document} · {self.assignee}"

    @classmethod
    def overlapping(cls, document, person, role, first_position, last_position):
        """The person's assignments to the same work on the document that share a segment
        with this range (None for the whole document, which shares every segment)."""
        found = cls.objects.filter(document=document, assignee=person, role=role)
        if first_position is None:
            return found
        return found.filter(
            Q(first_position__isnull=True)
            | Q(first_position__lte=last_position, last_position__gte=first_position)
        )

    @classmethod
    def overlap_refusal(cls, document, person, role, first_position, last_position):
        """The sentence refusing work the person already has on some of these segments,
        or "" when they have none."""
        earlier = cls.overlapping(document, person, role, first_position, last_position).first()
        if earlier is None:
            return ""
        return (
            f"{person.get_username()} is already assigned to "
            f"{earlier.get_role_display().lower()} {earlier.scope}. Choose segments outside "
            "that range, or remove the earlier assignment first."
        )

    @property
    def whole_document(self):
        return self.first_position is None

    @property
    def scope(self):
        if self.whole_document:
            return "the whole document"
        if self.first_position == self.last_position:
            return f"segment {self.first_position}"
        return f"segments {self.first_position}–{self.last_position}"
