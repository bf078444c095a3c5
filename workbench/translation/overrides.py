"""Every confirmation or approval over blocking QA findings goes into the audit log as it
happens: who set the checks aside, on which segment, which findings and why. So does every
segment the project's policy let skip review (a low-risk draft confirmed or approved with
no person looking at it), with the risk's reasons. The entry stays when the segment, its
revisions or the whole document are deleted."""

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.models import Revision


def log_overrides(revisions):
    for revision in revisions:
        if revision.origin == Revision.Origin.POLICY:
            _log_skipped_review(revision)
        if not revision.overridden:
            continue
        segment = revision.segment
        audit.record(
            AuditEvent.Kind.QA_OVERRIDDEN,
            user=revision.author,
            project=segment.document.project,
            target=segment.document,
            details={
                "segment": segment.position,
                "status": revision.new_status,
                "reason": revision.reason,
                "findings": [finding.get("message", "") for finding in revision.overridden],
            },
        )


def _log_skipped_review(revision):
    segment = revision.segment
    audit.record(
        AuditEvent.Kind.REVIEW_SKIPPED,
        project=segment.document.project,
        target=segment.document,
        details={
            "segment": segment.position,
            "status": revision.new_status,
            "risk": segment.risk,
            "reasons": [reason["reason"] for reason in segment.risk_reasons],
            "reason": revision.reason,
        },
    )
