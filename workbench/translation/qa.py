"""Quality checks of a target text as the editor shows them, recomputed as a person types.

The checks themselves live elsewhere: tags in `documents.placeholders`; everything else in
`agents.checks` (free of Django), the same checks the agents run beside the Annotator and
`manage.py qa_check` runs on files, with the project's glossary through the one matcher
(`agents.glossary`, compiled per project by `memory.glossary.termbase_for`) and the
document's brief. This module gathers their inputs for one segment and gives back their
findings in one shape for the template. A save checks its text twice (the QA gate, then
the issues that follow the text); within `checked_once()` the second asks the first.
"""

from dataclasses import dataclass

from agents.checks import run_checks
from agents.context import LanguagePair
from agents.schemas import stored_brief
from workbench.documents.placeholders import TOKEN, check_tokens
from workbench.memory.glossary import termbase_for
from workbench.step_memo import StepMemo

from .models import Annotation

# A lost or broken tag gives back broken markup on export; a moved one may be intended.
TAG_SEVERITY = {"missing": "major", "extra": "major", "unbalanced": "major", "reordered": "minor"}
CATEGORY_LABELS = {"tags": "Tags", **dict(Annotation.Category.choices)}


@dataclass(frozen=True)
class QAWarning:
    category: str
    severity: str
    message: str
    span: str = ""
    suggestion: str = ""
    # Which check found it (tags, script, numbers, negation, parties...), and whether it
    # stops confirm and approve unless overridden.
    check: str = ""
    blocking: bool = False

    @property
    def category_label(self):
        return CATEGORY_LABELS.get(self.category, self.category.replace("_", " ").capitalize())


_checked = StepMemo("qa_checked_once")
# Within the block, the same text of the same source in the same document is checked once
# (a step that changes neither the brief nor the project's settings).
checked_once = _checked.step


def blocking_findings(segment, text, project):
    """The findings of `text` whose severity the project lets stop confirm and approve."""
    return [warning for warning in qa_warnings(segment, text, project) if warning.blocking]


def qa_warnings(segment, text, project):
    """What the deterministic checks find wrong with `text` as the translation of
    `segment`, tags first, then the other checks in their stable order. Findings of a
    severity the project blocks on (`qa_blocking_severities`) are marked blocking."""
    # What the checks read: the source, the document's brief, the text and the project's
    # settings; a confirmed segment's identical twins share the first two.
    key = (segment.source, segment.document_id, text, project.pk)
    return list(_checked.get(key, lambda: _checks(segment, text, project)))


def _checks(segment, text, project):
    blocking = frozenset(project.qa_blocking_severities)
    warnings = []
    for problem in check_tokens(segment.source, text):
        severity = TAG_SEVERITY.get(problem.kind, "major")
        warnings.append(
            QAWarning(
                "tags",
                severity,
                problem.message,
                problem.token,
                check="tags",
                blocking=severity in blocking,
            )
        )
    # Tags carry digits ("⟦1⟧"): without them, a lost tag is not also a lost number.
    source, target = TOKEN.sub(" ", segment.source), TOKEN.sub(" ", text)
    pair = LanguagePair(project.source_language, project.target_language)
    brief = stored_brief(segment.document.brief)
    for issue in run_checks(source, target, pair, termbase_for(project), brief, blocking):
        warnings.append(
            QAWarning(
                issue.category,
                issue.severity,
                issue.explanation,
                issue.span,
                issue.suggestion,
                check=issue.check,
                blocking=issue.blocking,
            )
        )
    return warnings
