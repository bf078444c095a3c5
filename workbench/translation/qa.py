"""Quality checks of a target text as the editor shows them, recomputed as a person types.

The checks themselves live elsewhere: tags in `documents.placeholders`, numbers, dates,
citations, ordinance references, length and script in `agents.checks` (free of Django),
glossary terms in `memory.glossary`. This module gathers their inputs for one segment and
gives back their findings in one shape for the template.
"""

from dataclasses import dataclass

from agents.checks import run_checks
from agents.context import LanguagePair
from workbench.documents.placeholders import TOKEN, check_tokens
from workbench.memory.glossary import check_terms

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

    @property
    def category_label(self):
        return CATEGORY_LABELS.get(self.category, self.category.replace("_", " ").capitalize())


def blocking_findings(segment, text, project):
    """The findings of `text` whose severity the project lets stop confirm and approve."""
    blocking = set(project.qa_blocking_severities)
    return [
        warning for warning in qa_warnings(segment, text, project) if warning.severity in blocking
    ]


def qa_warnings(segment, text, project):
    """What the deterministic checks find wrong with `text` as the translation of
    `segment`, tags first, then the other checks in their stable order."""
    warnings = [
        QAWarning("tags", TAG_SEVERITY.get(problem.kind, "major"), problem.message, problem.token)
        for problem in check_tokens(segment.source, text)
    ]
    # Tags carry digits ("⟦1⟧"): without them, a lost tag is not also a lost number.
    source, target = TOKEN.sub(" ", segment.source), TOKEN.sub(" ", text)
    pair = LanguagePair(project.source_language, project.target_language)
    for issue in run_checks(source, target, pair):
        warnings.append(
            QAWarning(
                issue.category, issue.severity, issue.explanation, issue.span, issue.suggestion
            )
        )
    if target.strip():
        for problem in check_terms(source, target, project):
            warnings.append(QAWarning("terminology", "major", problem.message))
    return warnings
