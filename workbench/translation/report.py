"""A document's QA report, as Xbench and memoQ's QA give it: every finding of the
document in one list, the deterministic checks of each translated segment and the
document's consistency, with severity and segment number. Computed from the text as it
stands, so it agrees with the editor's live QA."""

from dataclasses import dataclass

from .consistency import inconsistencies
from .qa import CATEGORY_LABELS, qa_warnings

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}
CSV_COLUMNS = [
    "segment",
    "paragraph",
    "severity",
    "blocking",
    "category",
    "check",
    "message",
    "span",
    "suggestion",
]


@dataclass(frozen=True)
class Finding:
    segment_id: int
    position: int
    paragraph: str
    severity: str
    blocking: bool
    category: str
    check: str
    message: str
    span: str = ""
    suggestion: str = ""

    @property
    def category_label(self):
        return CATEGORY_LABELS.get(self.category, self.category.capitalize())

    def row(self):
        return [
            self.position,
            self.paragraph,
            self.severity,
            "yes" if self.blocking else "no",
            self.category_label,
            self.check,
            self.message,
            self.span,
            self.suggestion,
        ]


@dataclass
class QAReport:
    findings: list
    segments_checked: int

    def counts(self):
        """Findings per severity, every severity present."""
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts


def qa_report(document):
    project = document.project
    segments = list(document.segments.exclude(target="").order_by("position"))
    paragraphs = {segment.pk: segment.paragraph_number for segment in segments}
    findings = []
    for segment in segments:
        segment.document = document  # its brief and project, without a query per segment
        if not segment.target.strip():
            continue
        findings += [
            Finding(
                segment.pk,
                segment.position,
                segment.paragraph_number,
                warning.severity,
                warning.blocking,
                warning.category,
                warning.check,
                warning.message,
                warning.span,
                warning.suggestion,
            )
            for warning in qa_warnings(segment, segment.target, project)
        ]
    findings += [
        Finding(
            found.segment_id,
            found.position,
            paragraphs.get(found.segment_id, ""),
            found.severity,
            False,
            found.category,
            "consistency",
            found.message,
            found.span,
            found.suggestion,
        )
        for found in inconsistencies(document)
    ]
    findings.sort(key=lambda f: (f.position, SEVERITY_ORDER.get(f.severity, 3)))
    return QAReport(findings, len(segments))
