"""What each agent must answer, as pydantic models.

Every field is required and there are no free-form dicts, so each model's JSON schema is
accepted by servers that enforce OpenAI's strict structured outputs (`strict_json_schema`).
"""

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

IssueCategory = Literal[
    "accuracy",
    "omission",
    "addition",
    "terminology",
    "citation",
    "number_date",
    "style",
    "fluency",
]
IssueSeverity = Literal["minor", "major", "critical"]
ISSUE_CATEGORIES: tuple[str, ...] = IssueCategory.__args__
ISSUE_SEVERITIES: tuple[str, ...] = IssueSeverity.__args__
BLOCKING_SEVERITIES = frozenset({"major", "critical"})


class AgentAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Party(AgentAnswer):
    name: str
    role: str
    referred_to_as: str


class DefinedTerm(AgentAnswer):
    term: str
    meaning: str


class KeyTerm(AgentAnswer):
    source: str
    target: str


class DocumentBrief(AgentAnswer):
    """Facts about the whole judgment that every batch needs to stay consistent."""

    court: str
    case_number: str
    parties: list[Party]
    judges: list[str]
    defined_terms: list[DefinedTerm]
    key_terms: list[KeyTerm]
    notes: str


def stored_brief(data: dict | None) -> DocumentBrief | None:
    """A brief as stored (a document's JSON field, a line of `qa_check`), or None when
    there is none or it does not fit the form."""
    if not data:
        return None
    try:
        return DocumentBrief.model_validate(data)
    except ValidationError:
        return None


class TranslatedSegment(AgentAnswer):
    id: str
    target: str


class TranslatorOutput(AgentAnswer):
    segments: list[TranslatedSegment]


class Issue(AgentAnswer):
    span: str
    category: IssueCategory
    severity: IssueSeverity
    suggestion: str
    explanation: str


class AnnotatedSegment(AgentAnswer):
    id: str
    issues: list[Issue]


class AnnotatorOutput(AgentAnswer):
    segments: list[AnnotatedSegment]


class Resolution(AgentAnswer):
    issue: str
    resolution: str


class ProofreadSegment(AgentAnswer):
    id: str
    target: str
    resolutions: list[Resolution]


class ProofreaderOutput(AgentAnswer):
    segments: list[ProofreadSegment]


class RevisionOutput(AgentAnswer):
    """One segment revised on a person's instruction; it becomes a suggestion."""

    target: str
    explanation: str


@functools.cache
def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict mode demands: every object closes its
    properties and requires all of them, and nothing carries a default. Computed once per
    schema (it is sent with every call); callers must not mutate it."""
    return _tighten(model.model_json_schema())


def _tighten(node: Any) -> Any:
    if isinstance(node, list):
        return [_tighten(item) for item in node]
    if not isinstance(node, dict):
        return node
    tightened = {key: _tighten(value) for key, value in node.items() if key != "default"}
    if tightened.get("type") == "object" and "properties" in tightened:
        tightened["additionalProperties"] = False
        tightened["required"] = list(tightened["properties"])
    return tightened
