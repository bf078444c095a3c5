"""Quality assessment by reviewers (LQA), MQM-style: recording and withdrawing errors,
and the scores.

Which text an error is about: the segment's latest text written by a machine (an agent,
the TM, an imported file, auto-propagation) or by a person who is not a reviewer or
manager of the project (nor the person recording). So an error recorded before or after
the reviewer's own edit or send-back counts against the translator's or the agent's
text, never the reviewer's; a translator who confirms an agent's draft unchanged leaves
it the agent's text.

The score of a set of segments is its error points (minor 1, major 5, critical 25) per
1,000 evaluated words. Evaluated words are the source words of the segments a reviewer
assessed: those a person approved or sent back, and those with an error recorded. A
document passes when its score is at most the project's `lqa_max_points_per_1000`.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.models import Revision, Segment
from workbench.projects.capabilities import can, check_can, roles_that_can
from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter
from workbench.translation.models import Annotation

from .models import LqaError

Category, Severity = LqaError.Category, LqaError.Severity
User = get_user_model()
WEIGHTS = LqaError.WEIGHTS
REVIEW_STATUSES = (Segment.Status.APPROVED, Segment.Status.REJECTED)
PER_WORDS = 1000


class LqaRefused(Exception):
    """The error cannot be recorded or withdrawn as asked; the message says why."""


# Who wrote the assessed text --------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """Whoever wrote a text: a person, an agent role and model, or the TM, an imported
    file or auto-propagation."""

    origin: str
    user_id: int | None = None
    username: str = ""
    agent_role: str = ""
    model_name: str = ""

    @property
    def is_person(self):
        return self.origin == Revision.Origin.PERSON

    @property
    def is_agent(self):
        return self.origin == Revision.Origin.AGENT

    @property
    def label(self):
        if self.is_person:
            return self.username or "a former member"
        if self.is_agent:
            return " · ".join(part for part in (self.agent_role, self.model_name) if part)
        return Revision.Origin(self.origin).label if self.origin else "Unknown"

    @property
    def kind_label(self):
        if self.is_person:
            return "Translator"
        if self.is_agent:
            return "Agent"
        return "Other"


UNKNOWN = Author(origin="")


def _author_of(revision):
    if revision is None:
        return UNKNOWN
    if revision.origin == Revision.Origin.PERSON:
        return Author(
            origin=revision.origin,
            user_id=revision.author_id,
            username=revision.author.get_username() if revision.author_id else "",
        )
    if revision.origin == Revision.Origin.AGENT:
        return Author(
            origin=revision.origin, agent_role=revision.agent_role, model_name=revision.model_name
        )
    return Author(origin=revision.origin)


def _reviewing_members(project):
    """The ids of the project's members whose role reviews (reviewers and managers)."""
    roles = roles_that_can("segment.send_back")
    return set(project.memberships.filter(role__in=roles).values_list("user_id", flat=True))


def assessed_revision(revisions, reviewer_ids):
    """The revision whose text is assessed: the latest that wrote text (a machine's, or a
    person's change of the text) by someone who is not among `reviewer_ids`. `revisions`
    in the order they were made. (`_EVALUATED` below is the same rule in SQL.)"""
    for revision in reversed(revisions):
        if revision.origin != Revision.Origin.PERSON:
            return revision
        if revision.old_target != revision.new_target and revision.author_id not in reviewer_ids:
            return revision
    return None


def _revisions_of(segment):
    return list(segment.revisions.select_related("author").order_by("created_at", "pk"))


# Recording and withdrawing ----------------------------------------------------------------


def record_error(segment, *, user, role, category, severity, note=""):
    """Record an error on the segment's current text, counted against the text's author.
    Reviewers and managers only; the segment itself is left as it is."""
    check_can(role, "lqa.record", "Only reviewers and managers record quality errors.")
    if category not in Category.values:
        raise LqaRefused(f"“{category}” is not an error category of the typology.")
    if severity not in Severity.values:
        raise LqaRefused(f"“{severity}” is not a severity; choose minor, major or critical.")
    note = (note or "").strip()
    if len(note) > LqaError.MAX_NOTE:
        raise LqaRefused(f"The note is longer than {LqaError.MAX_NOTE} characters.")
    if not segment.target.strip():
        raise LqaRefused("This segment has no translation yet, so there is nothing to assess.")
    with transaction.atomic():
        reviewers = _reviewing_members(segment.document.project) | {user.pk}
        revision = assessed_revision(_revisions_of(segment), reviewers)
        author = _author_of(revision)
        return LqaError.objects.create(
            project=segment.document.project,
            document=segment.document,
            segment=segment,
            revision=revision,
            assessed_text=revision.new_target if revision else segment.target,
            category=category,
            severity=severity,
            note=note,
            reviewer=user,
            text_origin=author.origin,
            translator_id=author.user_id,
            agent_role=author.agent_role,
            model_name=author.model_name,
        )


def may_withdraw(error, user, role):
    return can(role, "lqa.withdraw_any") or (
        can(role, "lqa.record") and error.reviewer_id == user.pk
    )


def withdraw_error(error, *, user, role):
    """Delete an error recorded by mistake: by the reviewer who recorded it or a manager.
    The audit log keeps what it was."""
    if not may_withdraw(error, user, role):
        raise PermissionDenied(
            "Only the reviewer who recorded this error or a manager may withdraw it."
        )
    audit.record(
        AuditEvent.Kind.LQA_ERROR_WITHDRAWN,
        user=user,
        project=error.project,
        target=error,
        details={
            "document": error.document_id,
            "segment": error.segment.position,
            "category": error.category,
            "severity": error.severity,
            "recorded_by": error.reviewer.get_username() if error.reviewer_id else "",
        },
    )
    error.delete()


def error_author(error):
    return Author(
        origin=error.text_origin,
        user_id=error.translator_id,
        username=error.translator.get_username() if error.translator_id else "",
        agent_role=error.agent_role,
        model_name=error.model_name,
    )


# Scores --------------------------------------------------------------------------------


@dataclass
class Score:
    """Error points per 1,000 evaluated words, and pass/fail against a threshold."""

    words: int = 0
    points: int = 0
    errors: int = 0
    segments: int = 0
    threshold: Decimal | None = None
    by_severity: dict = field(default_factory=lambda: dict.fromkeys(Severity.values, 0))

    @property
    def per_1000(self):
        if not self.words:
            return None
        return self.points * PER_WORDS / self.words

    @property
    def passed(self):
        if self.per_1000 is None or self.threshold is None:
            return None
        return self.per_1000 <= float(self.threshold)

    @property
    def verdict(self):
        return {True: "pass", False: "fail", None: "not assessed"}[self.passed]

    def add_error(self, error):
        self.errors += 1
        self.points += WEIGHTS[error.severity]
        self.by_severity[error.severity] += 1


@dataclass
class Report:
    """The quality of a document or a project: its score, its errors by category and
    severity, and the scores of each translator and agent."""

    project: object
    documents: list
    score: Score
    matrix: list  # (category label, [count per severity], total, points)
    totals: dict  # severity -> count
    authors: list  # (Author, Score), worst first
    per_document: list  # (document, Score)
    errors: list


# Per document and per author of the text: the reviewed segments and their source words.
# A segment with errors belongs to the author its latest error names; any other to the
# author of its latest text not written by a reviewer or manager (`assessed_revision`).
_EVALUATED = """
WITH reviewed AS (
    SELECT s.id, s.document_id, s.word_count FROM {segment} s
    WHERE s.document_id = ANY(%(documents)s) AND (
        EXISTS (SELECT 1 FROM {revision} r WHERE r.segment_id = s.id
                AND r.origin = %(person)s AND r.new_status = ANY(%(review_statuses)s))
        OR EXISTS (SELECT 1 FROM {error} e WHERE e.segment_id = s.id))
), erred AS (
    SELECT DISTINCT ON (e.segment_id) e.segment_id, e.text_origin AS origin,
        e.translator_id AS user_id, e.agent_role, e.model_name
    FROM {error} e WHERE e.document_id = ANY(%(documents)s)
    ORDER BY e.segment_id, e.created_at DESC, e.id DESC
), written AS (
    SELECT DISTINCT ON (r.segment_id) r.segment_id, r.origin, r.author_id AS user_id,
        r.agent_role, r.model_name
    FROM {revision} r JOIN reviewed ON reviewed.id = r.segment_id
    WHERE r.segment_id NOT IN (SELECT segment_id FROM erred) AND (
        r.origin <> %(person)s OR (r.old_target IS DISTINCT FROM r.new_target
                                   AND NOT COALESCE(r.author_id, 0) = ANY(%(reviewing)s)))
    ORDER BY r.segment_id, r.created_at DESC, r.id DESC
), author AS (
    SELECT segment_id, origin, user_id, agent_role, model_name FROM erred
    UNION ALL SELECT segment_id, origin, user_id, agent_role, model_name FROM written
)
SELECT reviewed.document_id, COALESCE(author.origin, ''), author.user_id,
    COALESCE(author.agent_role, ''), COALESCE(author.model_name, ''),
    COUNT(*), COALESCE(SUM(reviewed.word_count), 0)
FROM reviewed LEFT JOIN author ON author.segment_id = reviewed.id
GROUP BY 1, 2, 3, 4, 5
"""


def _evaluated(project, documents):
    """[(document id, Author, segments, words)] of the reviewed segments."""
    sql = _EVALUATED.format(
        segment=Segment._meta.db_table,
        revision=Revision._meta.db_table,
        error=LqaError._meta.db_table,
    )
    params = {
        "documents": [document.pk for document in documents],
        "person": Revision.Origin.PERSON,
        "review_statuses": list(REVIEW_STATUSES),
        "reviewing": sorted(_reviewing_members(project)),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = dict(
        User.objects.filter(pk__in={row[2] for row in rows if row[2]}).values_list("pk", "username")
    )
    return [
        (
            document_id,
            Author(
                origin=origin,
                user_id=user_id if origin == Revision.Origin.PERSON else None,
                username=names.get(user_id, "") if origin == Revision.Origin.PERSON else "",
                agent_role=agent_role if origin == Revision.Origin.AGENT else "",
                model_name=model_name if origin == Revision.Origin.AGENT else "",
            ),
            segments,
            words,
        )
        for document_id, origin, user_id, agent_role, model_name, segments, words in rows
    ]


def report(project, documents=None):
    """The quality report of `documents` (default: all of the project's)."""
    documents = list(documents if documents is not None else project.documents.all())
    threshold = project.lqa_max_points_per_1000
    errors = list(
        LqaError.objects.filter(document__in=documents)
        .select_related("segment", "document", "reviewer", "translator")
        .order_by("document_id", "segment__position", "created_at", "pk")
    )
    total = Score(threshold=threshold)
    per_document = {document.pk: Score(threshold=threshold) for document in documents}
    per_author = defaultdict(lambda: Score(threshold=threshold))
    for document_id, author, segments, words in _evaluated(project, documents):
        for score in (total, per_document[document_id], per_author[author]):
            score.words += words
            score.segments += segments
    for error in errors:
        for score in (total, per_document[error.document_id], per_author[error_author(error)]):
            score.add_error(error)

    counts = defaultdict(int)
    for error in errors:
        counts[error.category, error.severity] += 1
        error.author_label = error_author(error).label
    matrix = []
    for category in Category:
        row = [counts[category.value, severity] for severity in Severity.values]
        points = sum(
            n * WEIGHTS[severity] for n, severity in zip(row, Severity.values, strict=True)
        )
        matrix.append((category.label, row, sum(row), points))
    authors = sorted(
        per_author.items(),
        key=lambda item: (-(item[1].per_1000 or 0), item[0].kind_label, item[0].label),
    )
    return Report(
        project=project,
        documents=documents,
        score=total,
        matrix=matrix,
        totals=total.by_severity,
        authors=authors,
        per_document=[(document, per_document[document.pk]) for document in documents],
        errors=errors,
    )


def document_score(document):
    return report(document.project, [document]).score


# CSV --------------------------------------------------------------------------------------

CSV_HEADER = [
    "document",
    "segment",
    "category",
    "severity",
    "points",
    "note",
    "reviewer",
    "author_kind",
    "author",
    "assessed_text",
    "source",
    "recorded_at",
]


def report_csv(quality):
    """The report as CSV: a summary block, then one row per error (Excel-friendly UTF-8)."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = SafeWriter(out)
    score = quality.score
    writer.writerow(
        ["scope", "evaluated_words", "errors", "points", "points_per_1000", "threshold", "result"]
    )
    rows = [("all", score)]
    if len(quality.documents) > 1:
        rows += [(f"document: {document.title}", s) for document, s in quality.per_document]
    rows += [(f"{author.kind_label.lower()}: {author.label}", s) for author, s in quality.authors]
    for scope, s in rows:
        writer.writerow(
            [
                scope,
                s.words,
                s.errors,
                s.points,
                "" if s.per_1000 is None else f"{s.per_1000:.2f}",
                s.threshold,
                s.verdict,
            ]
        )
    writer.writerow([])
    writer.writerow(CSV_HEADER)
    for error in quality.errors:
        author = error_author(error)
        writer.writerow(
            [
                error.document.title,
                error.segment.position,
                error.get_category_display(),
                error.get_severity_display(),
                error.points,
                error.note,
                error.reviewer.get_username() if error.reviewer_id else "",
                author.kind_label.lower(),
                author.label,
                error.assessed_text,
                error.segment.source,
                error.created_at.isoformat(timespec="seconds"),
            ]
        )
    return out.getvalue()


# The dashboard's quality section ----------------------------------------------------------


@dataclass
class DocumentQuality:
    document: object
    open_issues: int
    blocking_issues: int
    send_backs: int
    sent_back_now: int
    score: Score


def quality_overview(project):
    """Per document: the open issues (the Annotator's and the QA checks'), how often its
    segments were sent back and how many wait for the translator now, and its LQA score;
    with the project's report (per translator and agent)."""
    quality = report(project)
    issues = dict(
        project.documents.filter(segments__annotations__status=Annotation.Status.OPEN)
        .annotate(n=Count("segments__annotations"))
        .values_list("pk", "n")
    )
    blocking = dict(
        project.documents.filter(
            segments__annotations__status=Annotation.Status.OPEN,
            segments__annotations__severity__in=Annotation.BLOCKING,
        )
        .annotate(n=Count("segments__annotations"))
        .values_list("pk", "n")
    )
    send_backs = dict(
        project.documents.filter(
            segments__revisions__origin=Revision.Origin.PERSON,
            segments__revisions__new_status=Segment.Status.REJECTED,
        )
        .annotate(n=Count("segments__revisions"))
        .values_list("pk", "n")
    )
    waiting = dict(
        project.documents.filter(segments__status=Segment.Status.REJECTED)
        .annotate(n=Count("segments"))
        .values_list("pk", "n")
    )
    rows = [
        DocumentQuality(
            document=document,
            open_issues=issues.get(document.pk, 0),
            blocking_issues=blocking.get(document.pk, 0),
            send_backs=send_backs.get(document.pk, 0),
            sent_back_now=waiting.get(document.pk, 0),
            score=score,
        )
        for document, score in quality.per_document
    ]
    return {
        "report": quality,
        "documents": rows,
        "open_issues": sum(row.open_issues for row in rows),
        "blocking_issues": sum(row.blocking_issues for row in rows),
        "send_backs": sum(row.send_backs for row in rows),
        "sent_back_now": sum(row.sent_back_now for row in rows),
    }
