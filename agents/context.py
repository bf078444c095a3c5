"""Plain dataclasses between the workbench and the pipeline.

The workbench fills the inputs from its rows (segments, glossary, translation memory,
corrections), calls the pipeline and stores the results; nothing here knows about Django.
Segment ids are strings so any primary key fits.
"""

from dataclasses import dataclass, field
from typing import Literal

from agents.languages import chinese_script
from agents.schemas import DocumentBrief

SegmentStatus = Literal["drafted", "flagged", "failed"]
IssueSource = Literal["annotator", "check"]


@dataclass(frozen=True)
class LanguagePair:
    """BCP 47 tags, e.g. `en` and `zh-Hant-HK`."""

    source: str
    target: str

    @property
    def target_script(self) -> str | None:
        return chinese_script(self.target)

    @property
    def source_script(self) -> str | None:
        return chinese_script(self.source)


@dataclass
class SegmentInput:
    """A segment to draft. `human_target` is a person's translation: such a segment is
    shown to the Translator as fixed context and never drafted (invariant 1)."""

    id: str
    source: str
    human_target: str = ""
    kind: str = "paragraph"
    paragraph_number: str = ""


@dataclass
class Neighbour:
    source: str
    target: str = ""
    is_human: bool = False


@dataclass
class GlossaryConstraint:
    """A glossary entry as the agents and the checks see it (see `agents.glossary`)."""

    source_term: str
    target_term: str
    status: Literal["preferred", "admitted", "forbidden"] = "preferred"


@dataclass
class TMHint:
    source: str
    target: str
    percent: int


@dataclass
class FewShotExample:
    """An earlier correction: what the machine wrote and what a person made of it, and
    whether a reviewer has approved it (a translator's confirmation is not reviewed)."""

    source: str
    machine_text: str
    human_text: str
    reviewed: bool = True


@dataclass
class RoleModels:
    translator: str
    annotator: str
    proofreader: str
    brief: str

    @classmethod
    def same(cls, model: str) -> "RoleModels":
        return cls(translator=model, annotator=model, proofreader=model, brief=model)


@dataclass
class BatchInput:
    """Consecutive segments of one document and everything the agents may look at."""

    pair: LanguagePair
    segments: list[SegmentInput]
    models: RoleModels
    brief: DocumentBrief | None = None
    before: list[Neighbour] = field(default_factory=list)
    after: list[Neighbour] = field(default_factory=list)
    glossary: list[GlossaryConstraint] = field(default_factory=list)
    tm_hints: dict[str, list[TMHint]] = field(default_factory=dict)
    examples: list[FewShotExample] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    # Tokens one Translator call may spend on segments (see batching.py); a larger batch
    # is drafted in several calls.
    token_budget: int = 3000
    # The same for one Annotator or Proofreader call; their answers are short, so by
    # default a review call holds twice what a Translator call does.
    review_budget: int | None = None

    @property
    def review_tokens(self) -> int:
        return self.review_budget or 2 * self.token_budget


@dataclass
class RevisionContext:
    """What a single-segment revision may look at besides the segment itself."""

    pair: LanguagePair
    current_target: str
    brief: DocumentBrief | None = None
    before: list[Neighbour] = field(default_factory=list)
    after: list[Neighbour] = field(default_factory=list)
    glossary: list[GlossaryConstraint] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)


@dataclass
class SegmentIssue:
    """An issue in a target text, from the Annotator or from a deterministic check.

    `explanation` is the message a person reads. A deterministic finding also names its
    `check` (script, numbers, units, negation, parties...) and whether it is `blocking`
    (it stops confirm and approve unless overridden; by severity, see
    `agents.checks.run_checks`)."""

    span: str
    category: str
    severity: str
    suggestion: str
    explanation: str
    source: IssueSource = "annotator"
    check: str = ""
    blocking: bool = False


@dataclass
class Provenance:
    """Who wrote a text: the role, its model and prompt version, and the round."""

    role: str
    model: str
    prompt_version: str
    round: int


@dataclass
class Resolution:
    issue: str
    resolution: str


@dataclass
class CallRecord:
    """One `complete()` call. `attempts` counts the HTTP requests it made, retries and the
    repair request included; tokens are summed over all of them. A call answered from the
    journal (outcome "reused") made none."""

    role: str
    model: str
    prompt_version: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    outcome: str = "ok"
    attempts: int = 0
    error: str = ""
    # "json_schema"; "json_object" or "plain" for servers that refuse schemas.
    response_format: str = "json_schema"
    # The idempotency key of the request (agents.llm.request_key), and the id the call
    # journal gave the call when its first request left (the workbench's ModelCall row).
    key: str = ""
    call_id: int | None = None


@dataclass
class SegmentResult:
    """What became of one segment. `final_target` is the best text the agents produced
    (empty only when the segment failed); `issues` are those still open in it."""

    id: str
    status: SegmentStatus
    final_target: str = ""
    final_provenance: Provenance | None = None
    reason: str = ""
    issues: list[SegmentIssue] = field(default_factory=list)
    draft: str = ""
    draft_provenance: Provenance | None = None
    # One list per annotation: the draft's first, then one per revision.
    annotations: list[list[SegmentIssue]] = field(default_factory=list)
    revision: str = ""
    revision_provenance: Provenance | None = None
    resolutions: list[Resolution] = field(default_factory=list)


@dataclass
class BatchResult:
    segments: list[SegmentResult]
    # The model calls made by this run; a resumed run does not repeat earlier calls.
    call_records: list[CallRecord] = field(default_factory=list)
    brief: DocumentBrief | None = None

    def by_id(self) -> dict[str, SegmentResult]:
        return {result.id: result for result in self.segments}
