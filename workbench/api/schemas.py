"""What the API takes and gives, as pydantic schemas (the OpenAPI schema is made from
them). Names follow the translator's world, as the models do."""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from workbench.documents.models import Document, Segment
from workbench.feedback.models import Export
from workbench.jobs.models import Job
from workbench.projects.models import Membership, Project

from .models import Webhook, WebhookDelivery
from .problems import Problem

SegmentStatus = Literal[tuple(Segment.Status.values)]
Role = Literal[tuple(Membership.Role.values)]
EventName = Literal[tuple(Webhook.Event.values)]
ExportFormat = Literal[tuple(Export.Format.values)]


# Who am I -------------------------------------------------------------------------------


class Caller(Schema):
    username: str
    token_name: str
    token_expires_at: datetime


# Projects -------------------------------------------------------------------------------


class ProjectOut(Schema):
    slug: str
    name: str
    source_language: str
    target_language: str
    segmentation: Literal[tuple(Project.Segmentation.values)]
    description: str
    your_role: Role
    created_at: datetime


class MemberOut(Schema):
    username: str
    role: Role

    @staticmethod
    def resolve_username(membership):
        return membership.user.get_username()


class MemberIn(Schema):
    role: Role


# Documents ------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    title: str
    original_filename: str
    format: Literal[tuple(Document.Format.values)]
    encoding: str
    status: Literal[tuple(Document.Status.values)] = Field(
        description="The import status: a document is ready once its upload call returns; a "
        "refused file leaves no document behind."
    )
    import_warnings: list[str]
    due_date: date | None
    created_at: datetime
    segment_counts: dict[str, int] = Field(description="Segments per status")

    @staticmethod
    def resolve_segment_counts(document):
        return document.status_counts()


# Segments -------------------------------------------------------------------------------


class RiskReason(Schema):
    level: Literal["low", "medium", "high"]
    reason: str


class SegmentOut(Schema):
    id: int
    position: int
    source: str
    target: str
    status: SegmentStatus
    version: int = Field(description="Send it back with every change; a stale one gets 409.")
    locked: bool
    draft_origin: Literal[tuple(Segment.DraftOrigin.values)]
    match_percent: int | None
    risk: Literal[tuple(Segment.Risk.values)] = Field(
        description="How much the machine draft needs a person: low, medium, high; empty when "
        "no machine drafted it"
    )
    risk_reasons: list[RiskReason]
    kind: Literal[tuple(Segment.Kind.values)]
    paragraph_number: str
    hidden: bool
    open_issues: int
    open_comments: int
    updated_at: datetime

    @staticmethod
    def resolve_open_issues(segment):
        return segment.open_issue_count

    @staticmethod
    def resolve_open_comments(segment):
        return segment.open_comment_count


class SegmentPage(Schema):
    results: list[SegmentOut]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` for the next page; null on the last page."
    )


class TextIn(Schema):
    text: str = Field(max_length=100_000)
    version: int = Field(ge=0, description="The version the text is based on")
    seconds_spent: int | None = Field(None, ge=0, description="Time spent on it, for metrics")


class ConfirmIn(Schema):
    version: int = Field(ge=0, description="The version you saw")
    text: str | None = Field(
        None, max_length=100_000, description="The text to store; omitted: the current target"
    )
    override_reason: str = Field(
        "",
        max_length=5_000,
        description="Why blocking QA findings do not apply; kept for the reviewer",
    )
    seconds_spent: int | None = Field(None, ge=0)


class ReasonIn(Schema):
    reason: str = Field(max_length=5_000)


class Saved(Schema):
    segment: SegmentOut
    changed: bool = Field(description="False when the call changed nothing")
    propagated: list[int] = Field(
        description="Ids of identical segments that got the same text (on confirm)"
    )


class SegmentConflict(Problem):
    """409: someone saved the segment after the version you sent."""

    segment: SegmentOut = Field(description="The segment as saved now (theirs)")
    yours: str = Field(description="The text you sent, not saved")
    saved_by: str | None = Field(None, description="Who saved the current version")


class SeenSegment(Schema):
    id: int
    version: int = Field(ge=0)


class BulkApproveIn(Schema):
    segments: list[SeenSegment] = Field(
        min_length=1, max_length=5_000, description="Each segment with the version you reviewed"
    )


class Skipped(Schema):
    position: int
    reason: str


class BulkApproved(Schema):
    approved: list[int]
    skipped: list[Skipped]
    not_confirmed: int = Field(description="Segments left alone: nobody confirmed them yet")


class CommentOut(Schema):
    id: int
    author: str | None
    text: str
    is_send_back: bool
    resolved: bool
    resolved_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_author(comment):
        return comment.author.get_username() if comment.author else None

    @staticmethod
    def resolve_resolved_by(comment):
        return comment.resolved_by.get_username() if comment.resolved_by else None


class CommentIn(Schema):
    text: str = Field(max_length=10_000)


# Jobs -----------------------------------------------------------------------------------


class Progress(Schema):
    done: int
    total: int
    percent: int


class JobOut(Schema):
    id: int
    kind: str
    status: Literal[tuple(Job.Status.values)]
    document_id: int | None
    progress: Progress
    error: str
    result: dict[str, int | str]
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    can_be_cancelled: bool
    can_be_retried: bool

    @staticmethod
    def resolve_progress(job):
        return {"done": job.progress_done, "total": job.progress_total, "percent": job.percent}

    @staticmethod
    def resolve_created_by(job):
        return job.created_by.get_username() if job.created_by else None


class DraftingIn(Schema):
    scope: Literal["all", "new", "drafted", "positions", "selection"] = Field(
        "all",
        description="all: every segment without text; new or drafted: by status; positions: "
        "`first` to `last`; selection: `segment_ids`",
    )
    redraft: bool = Field(False, description="Replace machine drafts too")
    first: int | None = None
    last: int | None = None
    segment_ids: list[int] = Field(default_factory=list, max_length=100_000)


# Analysis ---------------------------------------------------------------------------------


class AnalysisRowOut(Schema):
    band: Literal["context", "repetitions", "exact", "high", "medium", "low", "none", "total"] = (
        Field(
            description="context: 101% (the same text between the same neighbours); "
            "repetitions: met earlier in the document; exact: 100%; high: 95–99%; medium: "
            "85–94%; low: 75–84%; none: no match; total: the whole document"
        )
    )
    label: str
    segments: int
    words: int = Field(description="In Chinese and Japanese every character is a word")
    characters: int
    share: float = Field(description="The band's share of the words, in percent")


class AnalysisOut(Schema):
    id: int
    document_id: int | None
    rows: list[AnalysisRowOut]
    memories: list[str] = Field(description="The translation memories matched against")
    threshold: int = Field(description="The lowest match counted as a match, in percent")
    documents_changed_since: bool = Field(
        description="The document's sources changed since the analysis; run it again"
    )
    created_by: str | None = Field(description="Empty when it ran by itself after the import")
    created_at: datetime
    job_id: int | None

    @staticmethod
    def resolve_created_by(analysis):
        return analysis.created_by.get_username() if analysis.created_by else None


# Translation memory and termbase ---------------------------------------------------------


class MemoryImported(Schema):
    added: int
    merged: int = Field(description="Units the memory held already")


class GlossaryImported(Schema):
    added: int
    updated: int


class TMMatchOut(Schema):
    unit_id: int
    source: str
    target: str
    percent: int = Field(description="101: same text in the same context; 100: same text")
    memory: str
    origin: str
    quality: str
    who: str
    when: datetime
    changed_numbers: list[str]

    @staticmethod
    def resolve_memory(match):
        return match.memory_name


class ConcordanceHitOut(Schema):
    source: str
    target: str
    found_in: str = Field(description="The memory's name, or the document and segment number")
    kind: Literal["unit", "segment"]
    status: str
    when: datetime

    @staticmethod
    def resolve_source(hit):
        return "".join(piece for piece, _ in hit.source)

    @staticmethod
    def resolve_target(hit):
        return "".join(piece for piece, _ in hit.target)

    @staticmethod
    def resolve_found_in(hit):
        return hit.where

    @staticmethod
    def resolve_kind(hit):
        return hit.url_kind


class TermOut(Schema):
    id: int
    source_term: str
    target_term: str
    part_of_speech: str
    note: str
    domain: str
    case_sensitive: bool
    status: str


class TermHitOut(Schema):
    term: TermOut
    start: int
    end: int
    text: str = Field(description="The form found in the text")


# Exports --------------------------------------------------------------------------------


class ExportIn(Schema):
    format: ExportFormat
    document_id: int | None = Field(None, description="Omitted: every document of the project")
    statuses: list[SegmentStatus] = Field(["approved"], min_length=1)
    since: date | None = None
    until: date | None = None


class ExportOut(Schema):
    id: int
    format: ExportFormat
    document_id: int | None
    statuses: list[str]
    since: date | None
    until: date | None
    units: int
    ready: bool
    job: JobOut | None
    download_url: str | None
    created_at: datetime

    @staticmethod
    def resolve_ready(export):
        return export.is_ready

    @staticmethod
    def resolve_download_url(export):
        if not export.is_ready:
            return None
        return reverse(
            "api-v1:export_download", kwargs={"slug": export.project.slug, "export_id": export.pk}
        )


# Webhooks -------------------------------------------------------------------------------


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="http(s) URL that receives the events")
    events: list[EventName] = Field(min_length=1)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[EventName]
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="Shown once: verify each delivery's signature with it (see the README)"
    )


class DeliveryOut(Schema):
    id: str
    event: EventName
    status: Literal[tuple(WebhookDelivery.Status.values)]
    attempts: int
    response_status: int | None
    error: str
    created_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None

    @staticmethod
    def resolve_id(delivery):
        return str(delivery.uid)


# Quality assessment (LQA) ----------------------------------------------------------------


class QualityScoreOut(Schema):
    evaluated_words: int = Field(
        description="Source words of the segments a reviewer assessed: approved or sent back "
        "by a person, or with an error recorded"
    )
    errors: int
    points: int = Field(description="Error points: minor 1, major 5, critical 25")
    points_per_1000: float | None = Field(description="None until a segment is reviewed")
    result: Literal["pass", "fail", "not assessed"]


class QualityAuthorOut(QualityScoreOut):
    kind: Literal["translator", "agent", "other"]
    name: str = Field(description="The translator's user name, or the agent's role · model")


class DocumentQualityOut(QualityScoreOut):
    threshold: float = Field(description="The project's pass mark, points per 1,000 words")
    by_severity: dict[str, int]
    by_category: dict[str, int]
    authors: list[QualityAuthorOut]
