"""Every confirmation or approval over blocking QA findings goes into the audit log as it
happens: who set the checks aside, on which segment, which findings and why. The entry
stays when the segment, its revisions or the whole document are deleted."""

from workbench import audit
from workbench.audit.models import AuditEvent


def log_overrides(revisions):
    for revision in revisions:
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
