"""Segments: the editor's list and filters, saving with the version the text is based on,
confirm, approve, send back, reopen, bulk approve, and comments. Every change goes
through translation.services, as the editor's do."""

import base64
import binascii
from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from workbench.translation.forms import SegmentFilter, with_row_facts
from workbench.translation.services import (
    APPROVE,
    CONFIRM,
    SAVE,
    StaleVersion,
    do_add_comment,
    do_bulk_approve,
    do_reopen,
    do_resolve_comment,
    do_save_target,
    do_send_back,
)

from ..access import document_for, segment_for
from ..problems import ProblemRaised
from ..schemas import (
    BulkApproved,
    BulkApproveIn,
    CommentIn,
    CommentOut,
    ConfirmIn,
    ReasonIn,
    Saved,
    SegmentConflict,
    SegmentOut,
    SegmentPage,
    SegmentStatus,
    TextIn,
)

router = Router(tags=["segments"])

DOCUMENT = "/projects/{slug}/documents/{document_id}"
SEGMENT = DOCUMENT + "/segments/{segment_id}"


class SegmentQuery(Schema):
    """The editor's filters (a segment passes all that are given), and the page."""

    status: list[SegmentStatus] = Field(default_factory=list)
    risk: list[Literal["low", "medium", "high"]] = Field(
        default_factory=list, description="Only segments whose draft has one of these risks"
    )
    issues: bool = Field(False, description="Only segments with open issues")
    comments: bool = Field(False, description="Only segments with unresolved comments")
    overridden: bool = Field(False, description="Confirmed or approved over blocking QA")
    mine: bool = Field(False, description="Only segments assigned to you")
    since: date | None = Field(None, description="Changed on or after this day")
    q: str = Field("", max_length=200, description="Text in the source or the target")
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` of the last page")
    limit: int = Field(50, ge=1, le=200)


@router.get(DOCUMENT + "/segments", response=SegmentPage, summary="Segments, filtered, in order")
def list_segments(request, slug: str, document_id: int, query: Query[SegmentQuery]):
    document, _ = document_for(request, slug, document_id)
    flags = {
        name: ["on"]
        for name in ("issues", "comments", "overridden", "mine")
        if getattr(query, name)
    }
    filters = SegmentFilter(
        MultiValueDict(
            {
                "status": list(query.status),
                "risk": list(query.risk),
                "q": [query.q],
                "since": [query.since.isoformat()] if query.since else [],
                **flags,
            }
        )
    )
    if not filters.is_valid():
        raise ValidationError(
            [
                {"loc": ("query", name), "msg": " ".join(messages)}
                for name, messages in filters.errors.items()
            ]
        )
    rows = with_row_facts(filters.segments(document, request.user)).order_by("position")
    after = _position_after(query.cursor)
    if after is not None:
        rows = rows.filter(position__gt=after)
    page = list(rows[: query.limit + 1])
    more = len(page) > query.limit
    page = page[: query.limit]
    return {"results": page, "next_cursor": _cursor(page[-1].position) if more else None}


def _cursor(position):
    return base64.urlsafe_b64encode(f"after:{position}".encode()).decode()


def _position_after(cursor):
    if not cursor:
        return None
    try:
        kind, _, position = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeError, ValueError):
        kind, position = "", ""
    if kind != "after" or not position.isdigit():
        raise ValidationError(
            [
                {
                    "loc": ("query", "cursor"),
                    "msg": "This is not a cursor the API gave out; pass the `next_cursor` of "
                    "the previous page as it was, or leave it out to start at the beginning.",
                }
            ]
        )
    return int(position)


@router.get(SEGMENT, response=SegmentOut)
def get_segment(request, slug: str, document_id: int, segment_id: int):
    segment, _ = segment_for(request, slug, document_id, segment_id, "document.view")
    return _row(segment)


def _row(segment):
    return with_row_facts(type(segment).objects.filter(pk=segment.pk)).get()


def _change(request, segment, role, *, action, text, version, override_reason="", seconds=None):
    try:
        written = do_save_target(
            segment,
            user=request.user,
            role=role,
            text=text,
            base_version=version,
            action=action,
            seconds_spent=seconds,
            override_reason=override_reason,
        )
    except StaleVersion as stale:
        raise _conflict(stale.segment, text, version) from None
    return {
        "segment": _row(written.segment),
        "changed": written.changed,
        "propagated": written.propagated,
    }


def _conflict(current, yours, version):
    latest = current.revisions.select_related("author").order_by("-created_at", "-pk").first()
    who = latest.who if latest else None
    when = timezone.localtime(current.updated_at)
    return ProblemRaised(
        "stale-version",
        f"Segment {current.position} was saved by {who or 'someone else'} at {when:%H:%M} "
        f"(version {current.version}) after the version {version} you sent. Nothing of yours "
        "was saved: `segment` holds their text and `yours` yours. Keep yours, take theirs "
        f"or merge them, and send it again with version {current.version}.",
        segment=SegmentOut.from_orm(_row(current)).model_dump(mode="json"),
        yours=yours,
        saved_by=who,
    )


CHANGE_RESPONSES = {200: Saved, 409: SegmentConflict}


@router.put(
    SEGMENT,
    response=CHANGE_RESPONSES,
    summary="Save a translation without confirming it",
    description="`version` is the segment version the text is based on; if someone saved "
    "since, the answer is 409 with both texts.",
)
def save_segment(request, slug: str, document_id: int, segment_id: int, body: TextIn):
    segment, role = segment_for(request, slug, document_id, segment_id)
    return _change(
        request,
        segment,
        role,
        action=SAVE,
        text=body.text,
        version=body.version,
        seconds=body.seconds_spent,
    )


@router.post(
    SEGMENT + "/confirm",
    response=CHANGE_RESPONSES,
    summary="Confirm a translation (translated)",
    description="Blocking QA findings answer 422 with the `findings`; send the call again "
    "with an `override_reason` to confirm anyway.",
)
def confirm_segment(request, slug: str, document_id: int, segment_id: int, body: ConfirmIn):
    segment, role = segment_for(request, slug, document_id, segment_id)
    return _confirm_or_approve(request, segment, role, CONFIRM, body)


@router.post(
    SEGMENT + "/approve",
    response=CHANGE_RESPONSES,
    summary="Approve a translation (reviewers and managers)",
    description="As confirm, for reviewers: an open critical issue or blocking QA findings "
    "stop it unless overridden with a reason.",
)
def approve_segment(request, slug: str, document_id: int, segment_id: int, body: ConfirmIn):
    segment, role = segment_for(request, slug, document_id, segment_id, "segment.approve")
    return _confirm_or_approve(request, segment, role, APPROVE, body)


def _confirm_or_approve(request, segment, role, action, body):
    return _change(
        request,
        segment,
        role,
        action=action,
        text=segment.target if body.text is None else body.text,
        version=body.version,
        override_reason=body.override_reason,
        seconds=body.seconds_spent,
    )


@router.post(
    SEGMENT + "/send-back",
    response=SegmentOut,
    summary="Send a confirmed or approved segment back to the translator (reviewers)",
)
def send_back_segment(request, slug: str, document_id: int, segment_id: int, body: ReasonIn):
    segment, role = segment_for(request, slug, document_id, segment_id, "segment.send_back")
    return _row(do_send_back(segment, user=request.user, role=role, text=body.reason))


@router.post(
    SEGMENT + "/reopen",
    response=SegmentOut,
    summary="Reopen an approved segment so it can change (reviewers)",
)
def reopen_segment(request, slug: str, document_id: int, segment_id: int, body: ReasonIn):
    segment, role = segment_for(request, slug, document_id, segment_id, "segment.reopen")
    return _row(do_reopen(segment, user=request.user, role=role, reason=body.reason))


@router.post(
    DOCUMENT + "/approve",
    response=BulkApproved,
    summary="Approve confirmed segments at the versions you reviewed (reviewers)",
    description="Segments changed since, sent back, with an unresolved comment or an open "
    "major or critical issue are left out and listed with the reason.",
)
def bulk_approve(request, slug: str, document_id: int, body: BulkApproveIn):
    document, role = document_for(request, slug, document_id, "segment.approve")
    seen = {item.id: item.version for item in body.segments}
    result = do_bulk_approve(document, seen, user=request.user, role=role)
    return {
        "approved": [segment.pk for segment in result.approved],
        "skipped": [
            {"position": position, "reason": reason} for position, reason in result.skipped
        ],
        "not_confirmed": result.not_confirmed,
    }


# Comments -------------------------------------------------------------------------------


@router.get(SEGMENT + "/comments", response=list[CommentOut], tags=["comments"])
def list_comments(request, slug: str, document_id: int, segment_id: int):
    segment, _ = segment_for(request, slug, document_id, segment_id, "document.view")
    return segment.comments.select_related("author", "resolved_by")


@router.post(SEGMENT + "/comments", response={201: CommentOut}, tags=["comments"])
def add_comment(request, slug: str, document_id: int, segment_id: int, body: CommentIn):
    segment, role = segment_for(request, slug, document_id, segment_id, "segment.comment")
    return Status(201, do_add_comment(segment, user=request.user, role=role, text=body.text))


@router.post(SEGMENT + "/comments/{comment_id}/resolve", response=CommentOut, tags=["comments"])
def resolve_comment(request, slug: str, document_id: int, segment_id: int, comment_id: int):
    segment, role = segment_for(request, slug, document_id, segment_id, "segment.comment")
    comment = get_object_or_404(segment.comments, pk=comment_id)
    return do_resolve_comment(comment, user=request.user, role=role)
