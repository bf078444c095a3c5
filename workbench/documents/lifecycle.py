"""The segment lifecycle: the one place where a segment's target or status changes and
where revisions are written (DESIGN.md, invariants 1, 2, 3 and 7).

    new ──► drafted ──► translated ──► approved
            (TM, agents,  (a person      (a reviewer signed off)
            a person's     confirmed)         │
            unsaved work)      ▲   │           │ reopen, with a reason: back to translated
                               │   ▼ send back, with a reason
                               └── rejected ◄──┘ (re-confirming takes it to translated)

People: `save` (without confirming), `confirm`, `approve`, `send_back`, `reopen` and
`bulk_approve`; restoring an older text is a save of it. Machines: `write_drafts` (agents,
by compare-and-set on the version seen at dispatch, with the draft's risk; a low-risk
draft skips review where the project's policy says so), `draft_from_tm`, propagation to
identical segments on confirm, and `record_import` for a new document's segments.

Who may act is the capability table's (`projects.capabilities`); what may happen in
which state is decided here:
- an approved segment is read-only until a reviewer or manager reopens it;
- a locked segment (locked in the file it came from) is read-only to everyone;
- machines write only new or drafted segments that no person has touched.

Every writer locks its rows with SELECT … FOR UPDATE in the order of their ids before it
changes any, then updates them in ONE statement, and only then inserts the revisions. So
two writers of overlapping segments wait for each other instead of deadlocking, and the
dashboard's tally triggers, which lock a document's tally rows in key order once per
statement, are reached once per table and in one order (segments, then people's work)
by everyone: no writer holds one tally row while it waits for another. The saved revisions go out in `signals.revisions_recorded` inside the
same transaction.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from workbench.projects.capabilities import check_can

from . import changes
from .models import Revision, Segment
from .placeholders import TOKEN
from .signals import revisions_recorded

Status = Segment.Status
Origin = Revision.Origin
DraftOrigin = Segment.DraftOrigin

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_TARGET_CHARS = 20_000
MAX_REASON_CHARS = 5_000

SAVE, CONFIRM, APPROVE = "save", "confirm", "approve"
# What a write of segment state stores, in one UPDATE statement per transaction.
WRITTEN_FIELDS = ["target", "status", "draft_origin", "match_percent", "version", "updated_at"]
# A machine draft also stores its risk.
DRAFT_FIELDS = [*WRITTEN_FIELDS, "risk", "risk_reasons"]
STATUS_AFTER = {SAVE: Status.DRAFTED, CONFIRM: Status.TRANSLATED, APPROVE: Status.APPROVED}
CAPABILITY = {SAVE: "segment.edit", CONFIRM: "segment.edit", APPROVE: "segment.approve"}
REFUSED_ROLE = {
    SAVE: "Your role in this project does not allow editing.",
    CONFIRM: "Your role in this project does not allow editing.",
    APPROVE: "Only reviewers and managers approve; confirm it instead.",
}


class EditRefused(Exception):
    """The change is not allowed in the segment's state; the message says why and what
    to do. Nothing was changed."""


class StaleVersion(Exception):
    """Someone changed the segment after the version the person's text was based on."""

    def __init__(self, segment):
        super().__init__(f"Segment {segment.position} was changed by someone else.")
        self.segment = segment


@dataclass
class Written:
    """The outcome of a person's change: the segment as stored now, the ids of identical
    segments that got the same text, and whether anything changed at all."""

    segment: Segment
    propagated: list = field(default_factory=list)
    changed: bool = True
    revision: Revision | None = None


@dataclass
class BulkApproved:
    approved: list = field(default_factory=list)  # segments
    skipped: list = field(default_factory=list)  # (position, reason)
    not_confirmed: int = 0


# The text itself ------------------------------------------------------------------------


def clean_target(segment, text):
    """The text as it will be stored (line breaks normalised), or EditRefused: the
    same rules for people and machines (a sane length, no control characters, whole
    tags)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
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


def clean_reason(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise EditRefused(f"Give the {what}; it is kept with the segment's history.")
    if len(reason) > MAX_REASON_CHARS:
        raise EditRefused(
            f"The {what} is {len(reason):,} characters long; shorten it to at most "
            f"{MAX_REASON_CHARS:,}."
        )
    return reason


# People ---------------------------------------------------------------------------------


@transaction.atomic
def change_text(
    segment,
    *,
    action,
    user,
    role,
    text,
    base_version,
    machine_start=("", None),
    seconds_spent=None,
    reason="",
    overridden=(),
):
    """A person's save, confirm or approve of `text`, based on `base_version`.

    save: the text becomes the target unconfirmed (drafted, or still sent back), and
    machines keep off it from now on; confirm: translated, and identical untouched
    segments of the document get the same text when the project propagates; approve:
    approved. A change that changes nothing writes nothing. `reason` and `overridden`
    record why blocking QA findings were overridden; `machine_start` is the machine
    text the person started from, (text, origin), for learning.
    """
    if action not in STATUS_AFTER:
        raise EditRefused(f"The editor cannot “{action}” a segment; use save, confirm or approve.")
    check_can(role, CAPABILITY[action], REFUSED_ROLE[action])
    text = clean_target(segment, text)
    twins = _twins_of(segment) if action == CONFIRM else []
    locked = _lock([segment.pk, *twins])
    current = locked.pop(segment.pk)
    current.document = segment.document  # already loaded with its project; not locked
    if current.version != base_version:
        raise StaleVersion(current)
    changed = text != current.target
    _check_person_may_write(current, changed)
    if not changed and current.status == Status.APPROVED:
        return Written(current, changed=False)  # confirming approved text changes nothing
    if action != SAVE and not text.strip():
        raise EditRefused(
            f"Segment {current.position} has no translation to {action}; type one or insert "
            "a suggestion first."
        )
    status = STATUS_AFTER[action]
    if action == SAVE and current.status == Status.REJECTED:
        status = Status.REJECTED  # still waiting to be confirmed again
    if not changed and (action == SAVE or current.status == status):
        return Written(current, changed=False)

    machine_text, machine_origin = machine_start
    old_target, old_status = current.target, current.status
    current.target, current.status = text, status
    current.version += 1
    current.updated_at = timezone.now()
    if changed:
        current.draft_origin = DraftOrigin.PERSON
        current.match_percent = None
    propagated = (
        _propagate(current, locked.values(), user)
        if action == CONFIRM and current.document.project.auto_propagate
        else []
    )
    # One statement for the segment and its twins: the tally trigger then takes its
    # locks once, in key order, as every other writer's statement does.
    Segment.objects.bulk_update([current, *(twin for twin, _ in propagated)], WRITTEN_FIELDS)
    revision = Revision.record(
        current,
        old_target=old_target,
        old_status=old_status,
        origin=Origin.PERSON,
        author=user,
        machine_text=machine_text,
        machine_origin=machine_origin or {},
        seconds_spent=_seconds(seconds_spent),
        reason=reason,
        overridden=list(overridden),
    )
    revisions = _store([revision, *(twin_revision for _, twin_revision in propagated)])
    return Written(current, [twin.pk for twin, _ in propagated], revision=revisions[0])


@transaction.atomic
def send_back(segment, *, user, role, reason):
    """A reviewer's "not like this": the segment goes to rejected with the reason, and
    waits for the translator to confirm it again."""
    check_can(role, "segment.send_back", "Only reviewers and managers send segments back.")
    reason = clean_reason(reason, "reason for sending back")
    current = _lock([segment.pk]).pop(segment.pk)
    _check_not_locked(current)
    if current.status == Status.REJECTED:
        raise EditRefused(
            f"Segment {current.position} has been sent back already; add a comment if there "
            "is more to say."
        )
    if current.status not in (Status.TRANSLATED, Status.APPROVED):
        raise EditRefused(
            f"Segment {current.position} is not confirmed yet, so there is nothing to send "
            "back; add a comment instead."
        )
    return _change_status(current, Status.REJECTED, user=user, reason=reason)


@transaction.atomic
def reopen(segment, *, user, role, reason):
    """Take an approved segment back to translated, so that it can be changed; the
    reason is kept and the approved TM unit is demoted."""
    check_can(role, "segment.reopen", "Only reviewers and managers reopen approved segments.")
    reason = clean_reason(reason, "reason for reopening")
    current = _lock([segment.pk]).pop(segment.pk)
    _check_not_locked(current)
    if current.status != Status.APPROVED:
        raise EditRefused(
            f"Segment {current.position} is not approved, so it is open for editing already."
        )
    return _change_status(current, Status.TRANSLATED, user=user, reason=reason)


@transaction.atomic
def bulk_approve(seen, *, user, role, refusals=None):
    """Approve the segments a reviewer saw: `seen` is {segment id: version as shown}.

    Only confirmed (translated) segments still at the version shown are approved; the
    others are listed with the reason. `refusals(segments)` may name more to leave out,
    {segment id: reason} (the translation app's rules: open issues, comments, QA); it
    sees the segments locked.
    """
    check_can(role, "segment.approve", "Only reviewers and managers approve.")
    locked = _lock(list(seen))
    result = BulkApproved()
    candidates = []
    for pk, segment in sorted(locked.items(), key=lambda item: item[1].position):
        if segment.version != seen[pk]:
            result.skipped.append(
                (segment.position, "changed since you loaded it; review it again")
            )
        elif segment.locked:
            result.skipped.append((segment.position, "locked in the file it came from"))
        elif segment.status == Status.TRANSLATED:
            candidates.append(segment)
        elif segment.status == Status.REJECTED:
            result.skipped.append((segment.position, "sent back to the translator"))
        elif segment.status != Status.APPROVED:
            result.not_confirmed += 1
    refused = refusals(candidates) if refusals and candidates else {}
    for segment in candidates:
        if segment.pk in refused:
            result.skipped.append((segment.position, refused[segment.pk]))
        else:
            result.approved.append(segment)
    result.skipped.sort()
    if not result.approved:
        return result
    revisions, now = [], timezone.now()
    for segment in result.approved:
        segment.status, segment.version = Status.APPROVED, segment.version + 1
        segment.updated_at = now
        revisions.append(
            Revision.record(
                segment,
                old_target=segment.target,
                old_status=Status.TRANSLATED,
                origin=Origin.PERSON,
                author=user,
            )
        )
    Segment.objects.bulk_update(result.approved, ["status", "version", "updated_at"])
    _store(revisions)
    return result


def _change_status(segment, status, *, user, reason):
    old_status = segment.status
    segment.status = status
    segment.version += 1
    segment.save(update_fields=["status", "version", "updated_at"])
    revision = Revision.record(
        segment,
        old_target=segment.target,
        old_status=old_status,
        origin=Origin.PERSON,
        author=user,
        reason=reason,
    )
    _store([revision])
    return Written(segment, revision=revision)


def _check_not_locked(segment):
    if segment.locked:
        raise EditRefused(
            f"Segment {segment.position} is locked in the file it came from; nobody changes "
            "it here."
        )


def _check_person_may_write(segment, changed):
    """Approved text does not change, whoever asks, until a reviewer reopens it;
    confirming or approving it as it stands changes nothing and is allowed."""
    _check_not_locked(segment)
    if segment.status == Status.APPROVED and changed:
        raise EditRefused(
            f"Segment {segment.position} is approved, so its text is protected. A reviewer "
            "or manager can reopen it, with a reason, if it must change."
        )


def _seconds(value):
    try:
        return max(0, min(int(value), 24 * 3600))
    except (TypeError, ValueError):
        return None


# Propagation ----------------------------------------------------------------------------


def _twins_of(segment):
    """Ids of the document's other segments with the same source that machines may
    still write: read before locking, checked again once locked."""
    return list(
        Segment.objects.machine_writable()
        .filter(document_id=segment.document_id, source_hash=segment.source_hash)
        .exclude(pk=segment.pk)
        .order_by()  # the default order would join the document to sort
        .values_list("pk", flat=True)
    )


def _propagate(segment, twins, user):
    """Give the confirmed text to the locked twins that are still untouched; returns
    [(twin, unsaved revision)]. The caller stores the twins with the segment."""
    written, now = [], timezone.now()
    for twin in twins:
        if not twin.machine_writable or twin.source_hash != segment.source_hash:
            continue
        old_target, old_status = twin.target, twin.status
        twin.target, twin.status = segment.target, Status.TRANSLATED
        twin.draft_origin, twin.match_percent = DraftOrigin.PROPAGATION, None
        twin.version, twin.updated_at = twin.version + 1, now
        written.append(
            (
                twin,
                Revision.record(
                    twin,
                    old_target=old_target,
                    old_status=old_status,
                    origin=Origin.PROPAGATION,
                    author=user,
                ),
            )
        )
    return written


# Machines -------------------------------------------------------------------------------


@transaction.atomic
def write_drafts(drafts, *, origin=Origin.AGENT, provenance=None, risks=None, skip_review=None):
    """Write machine texts by compare-and-set: `drafts` is {segment id: (version seen at
    dispatch, text)}; a segment is written only if it still has that version and
    machines may still write it (invariant 1). `provenance(segment_id)` gives the
    revision's agent_role, model_name and prompt_version. Returns {segment id: saved
    revision of the draft} for the segments written; the others keep their text.

    `risks` is {segment id: (level, reasons)}, the draft's risk, stored with it (and
    cleared for a draft without one). `skip_review` is the project's policy for low-risk
    drafts, `Project.LowRiskReview`: "confirm" or "approve" takes a low-risk draft on to
    translated or approved in the same write, with a second revision (origin "policy")
    whose reason says why no person looked at it."""
    locked = _lock(list(drafts))
    written, skipped, now = [], [], timezone.now()
    for pk, segment in locked.items():
        version, text = drafts[pk]
        if segment.version != version or not segment.machine_writable:
            continue
        old_target, old_status = segment.target, segment.status
        segment.target, segment.status = text, Status.DRAFTED
        segment.draft_origin, segment.match_percent = DraftOrigin(origin), None
        segment.version, segment.updated_at = segment.version + 1, now
        segment.risk, segment.risk_reasons = (risks or {}).get(pk, ("", []))
        details = provenance(pk) if provenance else {}
        written.append(
            Revision.record(
                segment, old_target=old_target, old_status=old_status, origin=origin, **details
            )
        )
        if segment.risk == Segment.Risk.LOW and skip_review in SKIPPED_REVIEW_STATUS:
            skipped.append(_skip_review(segment, skip_review))
    if not written:
        return {}
    Segment.objects.bulk_update([revision.segment for revision in written], DRAFT_FIELDS)
    saved = _store(written + skipped)
    return {revision.segment_id: revision for revision in saved[: len(written)]}


# What a low-risk draft becomes when the project's policy skips its review.
SKIPPED_REVIEW_STATUS = {"confirm": Status.TRANSLATED, "approve": Status.APPROVED}
SKIPPED_REVIEW_REASON = {
    "confirm": "Confirmed without translation review",
    "approve": "Approved without review",
}


def _skip_review(segment, policy):
    """The segment, just drafted with low risk, goes on to the policy's status; the
    unsaved revision records the decision and the risk's reasons."""
    segment.status = SKIPPED_REVIEW_STATUS[policy]
    segment.version += 1
    reasons = "; ".join(reason["reason"] for reason in segment.risk_reasons)
    return Revision.record(
        segment,
        old_target=segment.target,
        old_status=Status.DRAFTED,
        origin=Origin.POLICY,
        reason=f"{SKIPPED_REVIEW_REASON[policy]}: the project lets low-risk segments skip "
        f"review, and the agents' draft is low risk ({reasons})",
    )


@transaction.atomic
def draft_from_tm(segment, *, text, percent, base_version, risk=None, skip_review=None):
    """Fill a new segment from a TM match, by compare-and-set on `base_version`: a
    segment anyone wrote since it was read is left alone. Returns whether it was
    written. `risk` and `skip_review` as for `write_drafts`: (level, reasons) and the
    project's policy for low-risk drafts."""
    current = _lock([segment.pk]).get(segment.pk)
    if (
        current is None
        or current.version != base_version
        or current.status != Status.NEW
        or not current.machine_writable
    ):
        return False
    old_target = current.target
    current.target, current.status = text, Status.DRAFTED
    current.draft_origin, current.match_percent = DraftOrigin.TM, percent
    current.risk, current.risk_reasons = risk or ("", [])
    current.version += 1
    revisions = [
        Revision.record(current, old_target=old_target, old_status=Status.NEW, origin=Origin.TM)
    ]
    if current.risk == Segment.Risk.LOW and skip_review in SKIPPED_REVIEW_STATUS:
        revisions.append(_skip_review(current, skip_review))
    current.save(update_fields=[*DRAFT_FIELDS])
    _store(revisions)
    return True


def record_import(segments):
    """The history of a new document's segments that came with a translation from a
    bilingual file (call it inside the import's transaction, after creating them)."""
    _store(
        [
            Revision.record(segment, old_target="", old_status="", origin=Origin.IMPORT)
            for segment in segments
            if segment.target
        ]
    )


# Rows -----------------------------------------------------------------------------------


def _lock(ids):
    """{id: segment} for the segments with these ids, locked in the order of their ids."""
    if not ids:
        return {}
    rows = Segment.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {segment.pk: segment for segment in rows}


def _store(revisions):
    """Save the revisions (after the segments they describe) and tell the apps above."""
    if not revisions:
        return []
    saved = Revision.objects.bulk_create(revisions, batch_size=2000)
    changes.note_changed(revision.segment.document_id for revision in saved)
    revisions_recorded.send(sender=Revision, revisions=saved)
    return saved
