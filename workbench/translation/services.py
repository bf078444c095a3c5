"""People's work on segments: save, confirm, approve, send back, reopen, bulk approve,
restore, comments, the issues found in a text and asking the agents for a revision.

The segment's state changes in `documents.lifecycle`, which locks the rows, compares the
version the person's text was based on (a stale save raises `StaleVersion`, invariant 2)
and writes the revision (invariant 3). What this module adds are the reviewer's rules,
which need the issues, comments and QA checks of this app (invariant 8):

- blocking QA findings stop confirm and approve unless the person gives a reason, which
  is kept on the revision with the findings it overrode;
- an open critical issue stops approval;
- bulk approval leaves out what is sent back, queried, flagged or changed since seen.

`check_*` functions validate input and raise `EditRefused` (or `PermissionDenied`) with a
message the person reads; nothing has changed then. `do_*` functions change rows in one
transaction.
"""

from dataclasses import asdict
from typing import NamedTuple

from django.db import transaction
from django.db.models import Subquery

from workbench.documents import changes, lifecycle
from workbench.documents.lifecycle import (
    APPROVE,
    CONFIRM,
    SAVE,
    EditRefused,
    StaleVersion,
    clean_target,
)
from workbench.documents.models import Revision, Segment
from workbench.jobs.registry import UnknownJobKind
from workbench.jobs.services import enqueue
from workbench.memory.glossary import glossary_read_once
from workbench.memory.lookup import memories_of
from workbench.memory.models import TranslationUnit
from workbench.projects.capabilities import check_can
from workbench.projects.endpoints import endpoint_problem
from workbench.projects.models import Notification

from .models import Annotation, Comment, Suggestion
from .qa import blocking_findings, checked_once

__all__ = ["APPROVE", "CONFIRM", "SAVE", "EditRefused", "StaleVersion"]

MAX_COMMENT_CHARS = 5_000
MAX_INSTRUCTION_CHARS = 2_000


class QABlocked(EditRefused):
    """Confirm or approve stopped by blocking QA findings; the person may override them
    with a reason."""

    def __init__(self, segment, findings, action):
        listed = "; ".join(f"{f.severity.upper()}: {f.message}" for f in findings)
        super().__init__(
            f"Segment {segment.position} cannot be {'approved' if action == APPROVE else 'confirmed'} "
            f"as it is: {listed}. Fix the translation, or {action} anyway with a reason for the "
            "reviewer."
        )
        self.findings = findings


# Checks -------------------------------------------------------------------------------


def check_comment_text(text, what="comment"):
    text = (text or "").strip()
    if not text:
        raise EditRefused(f"The {what} is empty; write what the translator should look at.")
    if len(text) > MAX_COMMENT_CHARS:
        raise EditRefused(
            f"The {what} is {len(text):,} characters long; shorten it to at most "
            f"{MAX_COMMENT_CHARS:,}."
        )
    return text


def check_no_critical_issue(segment):
    critical = segment.annotations.filter(
        status=Annotation.Status.OPEN, severity=Annotation.Severity.CRITICAL
    ).first()
    if critical:
        raise EditRefused(
            f"Segment {segment.position} has an open critical issue "
            f"({critical.get_category_display()}: {critical.explanation or critical.span}); "
            "accept or dismiss it before approving."
        )


def check_qa(segment, text, action, override_reason):
    """The blocking QA findings of `text` that the person overrides, as stored on the
    revision; QABlocked when there are some and no reason was given."""
    if action == SAVE or not text.strip():
        return []  # an empty text is refused by the lifecycle, with its own message
    findings = blocking_findings(segment, text, segment.document.project)
    if findings and not (override_reason or "").strip():
        raise QABlocked(segment, findings, action)
    return [asdict(finding) for finding in findings]


# Saving -------------------------------------------------------------------------------


def do_save_target(
    segment,
    *,
    user,
    role,
    text,
    base_version,
    action=SAVE,
    started_from="",
    seconds_spent=None,
    override_reason="",
):
    """Save, confirm or approve the person's text (see `lifecycle.change_text`), after
    the QA gate and, for approval of the text as it stands, the critical-issue rule.
    The gate's findings and the glossary it read serve the issues that follow the text
    within the same save."""
    with glossary_read_once(), checked_once():
        text = clean_target(segment, text)
        overridden = check_qa(segment, text, action, override_reason)
        if action == APPROVE and text == segment.target:
            check_no_critical_issue(segment)
        return lifecycle.change_text(
            segment,
            action=action,
            user=user,
            role=role,
            text=text,
            base_version=base_version,
            machine_start=_machine_start(segment, started_from),
            seconds_spent=seconds_spent,
            reason=(override_reason or "").strip() if overridden else "",
            overridden=overridden,
        )


def _machine_start(segment, started_from):
    """(text, origin) of the machine text the person started from: a suggestion or TM
    match they inserted ("suggestion:<id>", "tm:<unit id>:<percent>"), or else whatever
    machine text is behind the segment's latest revision."""
    kind, _, rest = (started_from or "").partition(":")
    if kind == "suggestion" and rest.isdigit():
        suggestion = segment.suggestions.filter(pk=rest).first()
        if suggestion:
            return suggestion.text, suggestion.origin
    if kind == "tm":
        unit_id, _, percent = rest.partition(":")
        unit = (
            TranslationUnit.objects.filter(
                pk=unit_id, memory__in=memories_of(segment.document.project)
            ).first()
            if unit_id.isdigit()
            else None
        )
        if unit:
            percent = min(int(percent), 101) if percent.isdigit() else None
            return unit.target, {"kind": "tm", "unit": unit.pk, "percent": percent}
    latest = segment.revisions.order_by("-created_at", "-pk").first()
    if latest is None:
        return "", {}
    latest.segment = segment
    return latest.machine_start()


def next_unconfirmed(segment):
    """The next segment waiting for a translator after this one, wrapping to the start."""
    return _next_with_status(segment, Segment.TO_TRANSLATE)


def next_to_review(segment):
    """The next confirmed segment waiting for a reviewer, wrapping to the start."""
    return _next_with_status(segment, [Segment.Status.TRANSLATED])


def _next_with_status(segment, statuses):
    document_segments = Segment.objects.filter(document_id=segment.document_id, locked=False)
    waiting = document_segments.filter(status__in=statuses).order_by("position")
    return (
        waiting.filter(position__gt=segment.position).first()
        or waiting.filter(position__lt=segment.position).first()
    )


def do_restore(revision, *, user, role, base_version, seconds_spent=None):
    """Restoring an older text is a normal save of it against the current version, so
    the same rules hold (an approved segment is not restored over)."""
    return do_save_target(
        revision.segment,
        user=user,
        role=role,
        text=revision.new_target,
        base_version=base_version,
        seconds_spent=seconds_spent,
    )


# Review -------------------------------------------------------------------------------


@transaction.atomic
def do_send_back(segment, *, user, role, text):
    """The reviewer's "not like this": the segment goes to rejected, the reason becomes a
    comment (is_send_back) for the translator, who is told."""
    reason = check_comment_text(text, "reason for sending back")
    written = lifecycle.send_back(segment, user=user, role=role, reason=reason)
    written.segment.document = segment.document
    Comment.objects.create(segment=written.segment, author=user, text=reason, is_send_back=True)
    Notification.for_send_back(written.segment, reviewer=user, reason=reason)
    return written.segment


def do_reopen(segment, *, user, role, reason):
    """Take an approved segment back to translated, with the reason, so it can change."""
    return lifecycle.reopen(segment, user=user, role=role, reason=reason).segment


def do_bulk_approve(document, seen, *, user, role):
    """Approve the confirmed segments the reviewer saw ({segment id: version}), leaving
    out those changed since, sent back, with an unresolved comment, or with an open
    major or critical issue (the Annotator's or a QA check's); each is listed with the
    reason."""
    mine = set(document.segments.filter(pk__in=list(seen)).values_list("pk", flat=True))
    return lifecycle.bulk_approve(
        {pk: version for pk, version in seen.items() if pk in mine},
        user=user,
        role=role,
        refusals=_bulk_refusals,
    )


def _bulk_refusals(segments):
    """{segment id: why it is not approved in bulk} by this app's rules."""
    refused = {}
    issues = Annotation.objects.filter(
        segment__in=segments,
        status=Annotation.Status.OPEN,
        severity__in=Annotation.BLOCKING,
    ).order_by("-severity", "pk")
    for issue in issues:
        refused.setdefault(
            issue.segment_id,
            f"open {issue.get_severity_display().lower()} "
            f"{issue.get_category_display().lower()} issue: {issue.explanation or issue.span}",
        )
    for segment_id in Comment.objects.filter(segment__in=segments, resolved=False).values_list(
        "segment_id", flat=True
    ):
        refused.setdefault(segment_id, "an unresolved comment or query")
    return refused


# Issues and comments ------------------------------------------------------------------


@transaction.atomic
def do_accept_annotation(annotation, *, user, role, text):
    """Accept an issue. Returns the editor's text with the suggestion applied to the span
    where that is possible, else None; the person saves the text as usual, so the change
    goes through the same version check as any other."""
    check_can(role, "segment.edit", "Your role in this project does not allow editing.")
    locked = _open_annotation(annotation)
    locked.resolve(Annotation.Status.ACCEPTED, user)
    return locked.applied_to(text or "")


@transaction.atomic
def do_dismiss_annotation(annotation, *, user, role, reason):
    check_can(role, "segment.edit", "Your role in this project does not allow editing.")
    reason = (reason or "").strip()
    if annotation.needs_reason_to_dismiss and not reason:
        raise EditRefused(
            f"Say why you dismiss this {annotation.get_severity_display().lower()} issue; the "
            "reason is kept with the segment, for the reviewer and for training."
        )
    if len(reason) > MAX_COMMENT_CHARS:
        raise EditRefused(f"Shorten the reason to at most {MAX_COMMENT_CHARS:,} characters.")
    locked = _open_annotation(annotation)
    locked.resolve(Annotation.Status.DISMISSED, user, reason)
    return locked


def _open_annotation(annotation):
    locked = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if locked.status != Annotation.Status.OPEN:
        who = locked.resolved_by.get_username() if locked.resolved_by else "the workbench"
        raise EditRefused(
            f"This issue was {locked.get_status_display().lower()} by {who} already; "
            "reload the panel to see the current state."
        )
    return locked


def do_add_comment(segment, *, user, role, text):
    check_can(role, "segment.comment", "Your role in this project does not allow comments.")
    return Comment.objects.create(segment=segment, author=user, text=check_comment_text(text))


def do_resolve_comment(comment, *, user, role):
    check_can(role, "segment.comment", "Your role in this project does not allow comments.")
    if not comment.resolved:
        comment.resolve(user)
    return comment


# Agents -------------------------------------------------------------------------------


def do_ask_revision(segment, *, user, role, instruction):
    """Queue a "revise_segment" job; its answer arrives as an on_request Suggestion."""
    check_can(role, "segment.edit", "Your role in this project does not allow asking the agents.")
    instruction = (instruction or "").strip()
    if not instruction:
        raise EditRefused("Write an instruction for the agents, e.g. “use 上訴人 for appellant”.")
    if len(instruction) > MAX_INSTRUCTION_CHARS:
        raise EditRefused(
            f"The instruction is {len(instruction):,} characters long; keep it under "
            f"{MAX_INSTRUCTION_CHARS:,}."
        )
    document = segment.document
    if problem := endpoint_problem(document.project):
        raise EditRefused(problem)
    try:
        return enqueue(
            "revise_segment",
            project=document.project,
            document=document,
            params={"segment_id": segment.pk, "instruction": instruction},
            user=user,
        )
    except UnknownJobKind:
        raise EditRefused(
            "The workers of this installation cannot revise segments yet; ask an "
            "administrator to update them."
        ) from None


def latest_suggestions(segment):
    """The agents' offers worth showing: the newest on-request answers, the latest
    Proofreader revision and Translator draft, and late arrivals."""
    by_kind = {}
    for suggestion in segment.suggestions.all():  # newest first
        by_kind.setdefault(suggestion.kind, []).append(suggestion)
    return [
        *by_kind.get(Suggestion.Kind.ON_REQUEST, [])[:3],
        *by_kind.get(Suggestion.Kind.REVISION, [])[:1],
        *by_kind.get(Suggestion.Kind.DRAFT, [])[:1],
        *by_kind.get(Suggestion.Kind.LATE, [])[:2],
    ]


# What changed while the editor was open ---------------------------------------------------


class Cursor(NamedTuple):
    """Where an open editor stands: the newest revision and suggestion of the document
    it has seen, and the document's change stamp (`documents.changes`) when it saw them."""

    revision: int
    suggestion: int
    stamp: str

    def __str__(self):
        return f"{self.revision}.{self.suggestion}.{self.stamp}"


def changes_cursor(document):
    """Where the editor's polling starts: the newest revision and suggestion of the
    document (both only grow) and its change stamp, read first so that a change committed
    meanwhile moves the stamp again."""
    stamp = changes.stamp(document.pk)
    newest = (
        type(document)
        .objects.filter(pk=document.pk)
        .values(
            revision=Subquery(
                Revision.objects.filter(segment__document=document).order_by("-pk").values("pk")[:1]
            ),
            suggestion=Subquery(
                Suggestion.objects.filter(segment__document=document)
                .order_by("-pk")
                .values("pk")[:1]
            ),
        )
        .get()
    )
    return Cursor(newest["revision"] or 0, newest["suggestion"] or 0, stamp)


def parse_cursor(cursor):
    """The Cursor a page sent, or None when it is not one. A cursor without a stamp
    (from a page loaded while Redis was away) is one whose stamp never matches."""
    parts = (cursor or "").split(".")
    if len(parts) == 2:
        parts.append("")
    if len(parts) != 3 or not all(part.isdigit() for part in parts[:2]):
        return None
    if parts[2] and not parts[2].isdigit():
        return None
    return Cursor(int(parts[0]), int(parts[1]), parts[2])


def unchanged_since(document, cursor):
    """Whether nothing was revised or suggested in the document since `cursor`, as far
    as its change stamp tells without the database; False when it cannot tell."""
    return bool(cursor.stamp) and cursor.stamp == changes.stamp(document.pk)


def cursor_after_own_save(document, since, saved):
    """Where a page that polled up to `since` stands once it shows the rows of its own
    `saved` change: at the save's revision when the save was the only change of the
    document since (the stamp moved once, by this save), so its next poll need not
    bring its own row back; None when anything else may have changed (the next poll
    brings it all) or a save changed more than one row."""
    if since is None or not since.stamp or saved.revision is None or saved.propagated:
        return None
    stamp = changes.stamp(document.pk)
    if not stamp or int(stamp) != int(since.stamp) + 1:
        return None
    return Cursor(saved.revision.pk, since.suggestion, stamp)


def changed_since(document, cursor):
    """The ids of the segments that got a revision (anyone's save, propagation, bulk
    approval, a restore, an agent) or a suggestion (an agent's answer) after `cursor`."""
    # From the newest rows of the two tables (a range of their primary keys), unordered:
    # the models' default order would join the documents to sort.
    revised = Revision.objects.filter(segment__document=document, pk__gt=cursor.revision)
    suggested = Suggestion.objects.filter(segment__document=document, pk__gt=cursor.suggestion)
    return sorted(
        set(revised.order_by().values_list("segment_id", flat=True))
        | set(suggested.order_by().values_list("segment_id", flat=True))
    )
