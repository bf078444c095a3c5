"""People's work on segments: save, confirm, approve, send back, bulk approve, restore,
comments, the Annotator's issues and asking the agents for a revision.

`check_*` functions validate input and the person's role and raise `EditRefused` (or
`PermissionDenied`) with a message the person reads; nothing has changed then.
`do_*` functions change rows in one transaction. Every write of a segment locks its row
(`select_for_update`) and compares the version the person's text was based on, so a stale
save raises `StaleVersion` instead of overwriting someone (invariant 2), and every change
of target or status writes a `Revision` (invariant 3).
"""

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workbench.documents.models import Segment
from workbench.documents.placeholders import TOKEN
from workbench.feedback.corrections import record_correction, record_corrections
from workbench.jobs.registry import UnknownJobKind
from workbench.jobs.services import enqueue
from workbench.memory.lookup import memories_of
from workbench.memory.models import TranslationUnit
from workbench.memory.services import remember_segment, update_remembered_segment
from workbench.projects.access import MANAGER, REVIEWER, TRANSLATOR
from workbench.projects.models import Notification

from .models import Annotation, Comment, Revision, Suggestion

EDITORS = (MANAGER, TRANSLATOR, REVIEWER)
REVIEWERS = (MANAGER, REVIEWER)

SAVE, CONFIRM, APPROVE = "save", "confirm", "approve"
STATUS_AFTER = {
    SAVE: Segment.Status.DRAFTED,
    CONFIRM: Segment.Status.TRANSLATED,
    APPROVE: Segment.Status.APPROVED,
}
PROPAGATION = "propagation"
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_TARGET_CHARS = 20_000
MAX_COMMENT_CHARS = 5_000
MAX_INSTRUCTION_CHARS = 2_000


class EditRefused(Exception):
    """Input the editor cannot take; the message says what to do. Nothing was changed."""


class StaleVersion(Exception):
    """Someone saved the segment after the person's text was based on it."""

    def __init__(self, segment):
        super().__init__(f"Segment {segment.position} was changed by someone else.")
        self.segment = segment


@dataclass
class Saved:
    segment: Segment
    propagated: list = field(default_factory=list)
    changed: bool = True


@dataclass
class BulkApproval:
    approved: int = 0
    refused: list = field(default_factory=list)  # (position, reason)
    not_confirmed: int = 0


# Checks -------------------------------------------------------------------------------


def check_role(role, roles, message):
    if role not in roles:
        raise PermissionDenied(message)


def check_action(action, role):
    if action not in STATUS_AFTER:
        raise EditRefused(f"The editor cannot “{action}” a segment; use save, confirm or approve.")
    if action == APPROVE:
        check_role(role, REVIEWERS, "Only reviewers and managers approve; confirm it instead.")
    else:
        check_role(role, EDITORS, "Your role in this project does not allow editing.")


def check_target_text(segment, text):
    """The text as it will be stored (line breaks normalised), or EditRefused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    limit = max(MAX_TARGET_CHARS, 20 * len(segment.source))
    if len(text) > limit:
        raise EditRefused(
            f"The translation is {len(text):,} characters long; a segment takes at most "
            f"{limit:,}. Check that nothing was pasted twice."
        )
    for char in text:
        if char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in "\t\n"):
            raise EditRefused(
                f"The translation contains the invisible control character U+{ord(char):04X}, "
                "which can hide or reorder text. Delete it and save again."
            )
    leftover = TOKEN.sub("", text)
    if "\u27e6" in leftover or "\u27e7" in leftover:
        raise EditRefused(
            "The translation contains a broken tag: a “⟦” or “⟧” that is not part of a whole "
            "tag such as ⟦1⟧ or ⟦/1⟧. Undo the change, or copy the tags from the source "
            "(Ctrl+Shift+S), and save again."
        )
    return text


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


# Saving -------------------------------------------------------------------------------


@transaction.atomic
def do_save_target(
    segment, *, user, role, text, base_version, action=SAVE, started_from="", seconds_spent=None
):
    """Write the person's text, locking the segment and comparing `base_version`.

    save: the text becomes the target, status drafted with draft_origin "person" (not
    confirmed, yet off limits to machines); confirm: status translated, and identical
    untouched segments of the document get the same text (auto-propagation);
    approve: status approved. A save that changes nothing writes nothing.
    """
    check_action(action, role)
    text = check_target_text(segment, text)
    locked = Segment.objects.select_for_update().get(pk=segment.pk)
    if locked.version != base_version:
        raise StaleVersion(locked)
    locked.document = segment.document  # already loaded with its project; not locked
    status = STATUS_AFTER[action]
    changed = text != locked.target
    if action != SAVE and not text.strip():
        raise EditRefused(
            f"Segment {locked.position} has no translation to {action}; type one or insert a "
            "suggestion first."
        )
    if action == APPROVE:
        check_no_critical_issue(locked)
    if not changed and (action == SAVE or locked.status == status):
        return Saved(locked, changed=False)

    machine_text, machine_origin = _machine_start(locked, started_from)
    old_target, old_status = locked.target, locked.status
    locked.target = text
    locked.status = status
    locked.version += 1
    if changed:
        locked.draft_origin = Segment.PERSON
    locked.save(update_fields=["target", "status", "version", "draft_origin", "updated_at"])
    revision = Revision.objects.create(
        segment=locked,
        origin=Revision.Origin.PERSON,
        author=user,
        old_target=old_target,
        new_target=text,
        old_status=old_status,
        new_status=status,
        version=locked.version,
        machine_text=machine_text,
        machine_origin=machine_origin,
        seconds_spent=_seconds(seconds_spent),
    )
    if action != SAVE:
        record_correction(revision)
    # The project memory keeps approved text, and follows later changes of it.
    if action == APPROVE:
        remember_segment(locked, user)
    elif changed:
        update_remembered_segment(locked, user)
    propagated = _propagate(locked, user) if action == CONFIRM else []
    return Saved(locked, propagated)


def _seconds(value):
    try:
        return max(0, min(int(value), 24 * 3600))
    except (TypeError, ValueError):
        return None


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


def _propagate(segment, user):
    """Give the confirmed text to identical segments of the document that no person has
    touched, each by compare-and-set on its version, each with its Revision."""
    if not segment.document.project.auto_propagate:
        return []
    twins = (
        Segment.objects.machine_writable()
        .filter(document_id=segment.document_id, source_hash=segment.source_hash)
        .exclude(pk=segment.pk)
        .order_by("position")
    )
    return [twin.pk for twin in twins if propagate_to(twin, segment.target, user)]


def propagate_to(twin, text, user):
    """Compare-and-set on the version `twin` was read at: True when written, False when
    someone got there first (their text stands)."""
    written = (
        Segment.objects.machine_writable()
        .filter(pk=twin.pk, version=twin.version)
        .update(
            target=text,
            status=Segment.Status.TRANSLATED,
            draft_origin=PROPAGATION,
            match_percent=None,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
    )
    if written:
        Revision.objects.create(
            segment=twin,
            origin=Revision.Origin.PROPAGATION,
            author=user,
            old_target=twin.target,
            new_target=text,
            old_status=twin.status,
            new_status=Segment.Status.TRANSLATED,
            version=twin.version + 1,
        )
    return bool(written)


def next_unconfirmed(segment):
    """The next segment still new or drafted after this one, wrapping to the start."""
    return _next_with_status(segment, Segment.MACHINE_WRITABLE)


def next_to_review(segment):
    """The next confirmed segment waiting for a reviewer, wrapping to the start."""
    return _next_with_status(segment, [Segment.Status.TRANSLATED])


def _next_with_status(segment, statuses):
    document_segments = Segment.objects.filter(document_id=segment.document_id)
    waiting = document_segments.filter(status__in=statuses).order_by("position")
    return (
        waiting.filter(position__gt=segment.position).first()
        or waiting.filter(position__lt=segment.position).first()
    )


def do_restore(revision, *, user, role, base_version, seconds_spent=None):
    """Restoring an older text is a normal save of it against the current version."""
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
    """The reviewer's "not like this": a comment (is_send_back) for the translator, and an
    approved segment goes back to translated."""
    check_role(role, REVIEWERS, "Only reviewers and managers send segments back.")
    text = check_comment_text(text, "reason for sending back")
    locked = Segment.objects.select_for_update().get(pk=segment.pk)
    if locked.status not in (Segment.Status.TRANSLATED, Segment.Status.APPROVED):
        raise EditRefused(
            f"Segment {locked.position} is not confirmed yet, so there is nothing to send "
            "back; add a comment instead."
        )
    if locked.status == Segment.Status.APPROVED:
        locked.status = Segment.Status.TRANSLATED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        Revision.objects.create(
            segment=locked,
            origin=Revision.Origin.PERSON,
            author=user,
            old_target=locked.target,
            new_target=locked.target,
            old_status=Segment.Status.APPROVED,
            new_status=Segment.Status.TRANSLATED,
            version=locked.version,
        )
    Comment.objects.create(segment=locked, author=user, text=text, is_send_back=True)
    Notification.for_send_back(locked, reviewer=user, reason=text)
    return locked


@transaction.atomic
def do_bulk_approve(segments, *, user, role):
    """Approve the confirmed segments among `segments` (the editor's current filter),
    except those with an open critical issue, which are listed with the reason."""
    check_role(role, REVIEWERS, "Only reviewers and managers approve.")
    chosen = Segment.objects.filter(pk__in=segments.values("pk"))
    confirmed = list(
        chosen.filter(status=Segment.Status.TRANSLATED).select_for_update().order_by("position")
    )
    result = BulkApproval(not_confirmed=chosen.filter(status__in=Segment.MACHINE_WRITABLE).count())
    critical = {}
    for annotation in Annotation.objects.filter(
        segment__in=confirmed,
        status=Annotation.Status.OPEN,
        severity=Annotation.Severity.CRITICAL,
    ).order_by("pk"):
        critical.setdefault(annotation.segment_id, annotation)
    approved = []
    for segment in confirmed:
        issue = critical.get(segment.pk)
        if issue:
            result.refused.append(
                (
                    segment.position,
                    f"open critical {issue.get_category_display().lower()} issue: "
                    f"{issue.explanation or issue.span}",
                )
            )
        else:
            approved.append(segment)
    Segment.objects.filter(pk__in=[s.pk for s in approved]).update(
        status=Segment.Status.APPROVED, version=F("version") + 1, updated_at=timezone.now()
    )
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                segment=segment,
                origin=Revision.Origin.PERSON,
                author=user,
                old_target=segment.target,
                new_target=segment.target,
                old_status=segment.status,
                new_status=Segment.Status.APPROVED,
                version=segment.version + 1,
            )
            for segment in approved
        ],
        batch_size=1000,
    )
    record_corrections(revisions)
    for segment in approved:
        remember_segment(segment, user)
    result.approved = len(approved)
    return result


# Issues and comments ------------------------------------------------------------------


@transaction.atomic
def do_accept_annotation(annotation, *, user, role, text):
    """Accept an issue. Returns the editor's text with the suggestion applied to the span
    where that is possible, else None; the person saves the text as usual, so the change
    goes through the same version check as any other."""
    check_role(role, EDITORS, "Your role in this project does not allow editing.")
    locked = _open_annotation(annotation)
    locked.resolve(Annotation.Status.ACCEPTED, user)
    return locked.applied_to(text or "")


@transaction.atomic
def do_dismiss_annotation(annotation, *, user, role, reason):
    check_role(role, EDITORS, "Your role in this project does not allow editing.")
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
        who = locked.resolved_by.get_username() if locked.resolved_by else "someone"
        raise EditRefused(
            f"This issue was {locked.get_status_display().lower()} by {who} already; "
            "reload the panel to see the current state."
        )
    return locked


def do_add_comment(segment, *, user, role, text):
    check_role(role, EDITORS, "Your role in this project does not allow comments.")
    return Comment.objects.create(segment=segment, author=user, text=check_comment_text(text))


def do_resolve_comment(comment, *, user, role):
    check_role(role, EDITORS, "Your role in this project does not allow comments.")
    if not comment.resolved:
        comment.resolve(user)
    return comment


# Agents -------------------------------------------------------------------------------


def do_ask_revision(segment, *, user, role, instruction):
    """Queue a "revise_segment" job; its answer arrives as an on_request Suggestion."""
    check_role(role, EDITORS, "Your role in this project does not allow asking the agents.")
    instruction = (instruction or "").strip()
    if not instruction:
        raise EditRefused("Write an instruction for the agents, e.g. “use 上訴人 for appellant”.")
    if len(instruction) > MAX_INSTRUCTION_CHARS:
        raise EditRefused(
            f"The instruction is {len(instruction):,} characters long; keep it under "
            f"{MAX_INSTRUCTION_CHARS:,}."
        )
    if not settings.OPENAI_BASE_URL:
        raise EditRefused(
            "No model endpoint is configured (OPENAI_BASE_URL is empty), so the agents cannot "
            "revise anything. Ask an administrator to set it."
        )
    document = segment.document
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
