"""Which segments an export contains, read from the database a chunk at a time.

A corpus is the project's bilingual pairs (or one document's) whose status is among the
chosen ones, approved only unless told otherwise, last changed within a date range.
Segments are streamed in document order with a server-side cursor, so exporting a
million pairs holds only one chunk in memory.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from workbench.documents.models import Document, Revision, Segment
from workbench.projects.models import Project
from workbench.translation.models import Comment

CHUNK_SIZE = 2000
# Segment columns every format needs; the rest (hashes, counts, versions) stay behind.
COLUMNS = [
    "document_id",
    "position",
    "source",
    "target",
    "status",
    "kind",
    "paragraph_number",
    "block",
    "structure",
    "placeholders",
    "updated_at",
]


class ExportRefused(Exception):
    """The export cannot be made as asked; the message says why and what to do."""


def statuses_from(values):
    """The statuses named in `values` (a list, or a comma-separated string), checked."""
    if isinstance(values, str):
        values = values.split(",")
    chosen = [value.strip() for value in values if value.strip()]
    unknown = [value for value in chosen if value not in Segment.Status.values]
    if unknown:
        raise ExportRefused(
            f"“{unknown[0]}” is not a segment status; choose among "
            f"{', '.join(Segment.Status.values)}."
        )
    if not chosen:
        raise ExportRefused("Choose at least one segment status to export.")
    return tuple(dict.fromkeys(chosen))


def date_from(value, name):
    """A date given as YYYY-MM-DD (or already a date), None for nothing."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ExportRefused(
            f"“{value}” is not a date for {name}; write it as YYYY-MM-DD, e.g. 2024-05-31."
        ) from None


@dataclass
class Corpus:
    project: Project
    document: Document | None = None
    statuses: tuple = (Segment.Status.APPROVED,)
    since: datetime.date | None = None  # first day included
    until: datetime.date | None = None  # last day included
    documents: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.statuses = statuses_from(self.statuses)
        if self.since and self.until and self.since > self.until:
            raise ExportRefused(
                f"The date range ends ({self.until}) before it starts ({self.since}); "
                "swap the two dates."
            )
        if self.document is not None and self.document.project_id != self.project.pk:
            raise ExportRefused(
                f"Document {self.document.pk} belongs to another project; choose one of "
                f"“{self.project.name}”."
            )
        # Few documents, many segments: titles and dates are looked up, not joined.
        documents = self.project.documents.only("title", "created_at", "project_id", "brief")
        if self.document is not None:
            documents = documents.filter(pk=self.document.pk)
        self.documents = {document.pk: document for document in documents}

    @property
    def source_language(self):
        return self.project.source_language

    @property
    def target_language(self):
        return self.project.target_language

    def segments(self):
        """The chosen segments in document order: those with a translation, and when
        `new` is chosen the untranslated ones too."""
        segments = Segment.objects.filter(document__project=self.project, status__in=self.statuses)
        if Segment.Status.NEW not in self.statuses:
            segments = segments.exclude(target="")
        if self.document is not None:
            segments = segments.filter(document=self.document)
        if self.since:
            segments = segments.filter(updated_at__gte=_start_of(self.since))
        if self.until:
            segments = segments.filter(updated_at__lt=_start_of(self.until + datetime.timedelta(1)))
        return segments.order_by("document_id", "position").only(*COLUMNS)

    def count(self):
        return self.segments().count()

    def stream(self, segments=None):
        return (segments if segments is not None else self.segments()).iterator(
            chunk_size=CHUNK_SIZE
        )

    def stream_with_notes(self, segments=None):
        """The segments, each with `notes`: [(author, text)], the notes of the file it
        was imported from (author "") and the comments people wrote on it, oldest first."""
        chunk = []
        for segment in self.stream(segments):
            chunk.append(segment)
            if len(chunk) == CHUNK_SIZE:
                yield from _with_notes(chunk)
                chunk = []
        yield from _with_notes(chunk)

    def stream_with_people(self):
        """The segments, each with `created_by` and `changed_by`: who wrote its first and
        its last revision (a person's user name, else where the text came from)."""
        return self.stream_with_notes(
            self.segments().annotate(
                created_by=_revision_by(first=True), changed_by=_revision_by(first=False)
            )
        )

    def stream_with_machine_text(self):
        """The segments, each with `machine_text`: what the machine had written when a
        person first edited it, or None when no person edited it after a machine."""
        return self.stream(self.segments().annotate(machine_text=machine_text_before_person()))


def machine_text_before_person():
    """The text a person started from: the latest revision by an agent, the TM, an
    import or propagation before the segment's first revision by a person."""
    first_person = Revision.objects.filter(
        segment=OuterRef(OuterRef("pk")), origin=Revision.Origin.PERSON
    ).order_by("created_at", "pk")
    machine = (
        Revision.objects.filter(segment=OuterRef("pk"))
        .exclude(origin=Revision.Origin.PERSON)
        .filter(
            Q(created_at__lt=Subquery(first_person.values("created_at")[:1]))
            | Q(
                created_at=Subquery(first_person.values("created_at")[:1]),
                pk__lt=Subquery(first_person.values("pk")[:1]),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return Subquery(machine.values("new_target")[:1])


def _with_notes(segments):
    comments = defaultdict(list)
    rows = (
        Comment.objects.filter(segment_id__in=[segment.pk for segment in segments])
        .order_by("created_at", "pk")
        .values_list("segment_id", "author__username", "text")
    )
    for segment_id, author, text in rows:
        comments[segment_id].append((author or "", text))
    for segment in segments:
        imported = [("", note) for note in (segment.structure or {}).get("notes", [])]
        segment.notes = imported + comments[segment.pk]
        yield segment


def _revision_by(first):
    order = ("created_at", "pk") if first else ("-created_at", "-pk")
    revisions = Revision.objects.filter(segment=OuterRef("pk")).order_by(*order)
    return Subquery(
        revisions.annotate(who=Coalesce("author__username", "origin")).values("who")[:1]
    )


def _start_of(day):
    """Midnight at the start of `day` where the workbench is (TIME_ZONE)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Tally:
    """Counts what an export read and wrote, and reports progress every few chunks
    (`report(done, total)`), so a background job shows how far it got."""

    def __init__(self, total=None, report=None, every=CHUNK_SIZE * 5):
        self.total, self.report, self.every = total, report, every
        self.segments = 0
        self.units = 0
        self.untranslated = 0  # written in the source language (a Word file's fallback)

    def read(self):
        self.segments += 1
        if self.report and self.segments % self.every == 0:
            self.report(self.segments, self.total)

    def wrote(self, units=1):
        self.units += units
