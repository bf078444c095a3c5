"""The Translator–Annotator–Proofreader pipeline as a LangGraph graph.

    [make_brief →] translate → check_and_annotate ⇄ proofread

A batch given no brief makes its own first. The Translator drafts consecutive segments in
as few calls as the token budget allows; deterministic checks and the Annotator list
issues; the Proofreader revises only segments with a major or critical issue, and revised
segments are checked again, until none is left or the round cap is reached. With a
checkpointer, each finished node is saved under the caller's thread id, so running the
same thread again after a crash resumes after the last finished node instead of
repeating its model calls.

The graph state holds only plain JSON values; each segment's outcome and the results are
built from it at the end.
"""

import copy
from dataclasses import asdict
from typing import TypedDict

from langgraph.graph import END, START, StateGraph

from agents import prompts
from agents.batching import context_cost, plan_batches
from agents.checks import run_checks, terms_in
from agents.context import (
    BatchInput,
    BatchResult,
    LanguagePair,
    Provenance,
    Resolution,
    RevisionContext,
    SegmentInput,
    SegmentIssue,
    SegmentResult,
)
from agents.llm import CallRecord, LLMClient, LLMError, LLMInvalidOutput, LLMTruncated
from agents.schemas import (
    BLOCKING_SEVERITIES,
    AnnotatorOutput,
    DocumentBrief,
    ProofreaderOutput,
    RevisionOutput,
    TranslatorOutput,
)

DEFAULT_MAX_ROUNDS = 2
BRIEF_EXCERPT_CHARS = 12_000


class DraftState(TypedDict, total=False):
    brief: dict | None
    # Texts of each segment: the draft first, then one per revision.
    versions: dict[str, list[dict]]
    # Issues of each version, in the same order as `versions`.
    annotations: dict[str, list[list[dict]]]
    failed: dict[str, str]
    notes: dict[str, list[str]]
    round: int
    to_annotate: list[str]


def draft_batch(
    batch: BatchInput,
    llm: LLMClient,
    *,
    checkpointer=None,
    thread_id: str | None = None,
    max_rounds: int = DEFAULT_MAX_ROUNDS,
) -> BatchResult:
    """Draft, check, annotate and proofread one batch. With a checkpointer, `thread_id`
    (e.g. "job-12-batch-3") names the run: the same id with the same batch resumes it."""
    ids = [segment.id for segment in batch.segments]
    if len(set(ids)) != len(ids):
        raise ValueError("Each segment of a batch needs its own id; some ids repeat.")
    pipeline = _Pipeline(batch, llm, max_rounds)
    graph = pipeline.graph().compile(checkpointer=checkpointer)
    config = {"recursion_limit": 10 + 2 * max_rounds}
    if checkpointer is None:
        state = graph.invoke(pipeline.initial_state(), config)
        return pipeline.result(state)
    if not thread_id:
        raise ValueError("A checkpointed run needs a thread_id, such as 'job-12-batch-3'.")
    config["configurable"] = {"thread_id": thread_id}
    saved = graph.get_state(config)
    if not saved.values:
        state = graph.invoke(pipeline.initial_state(), config, durability="sync")
    elif saved.next:
        state = graph.invoke(None, config, durability="sync")
    else:
        state = saved.values
    return pipeline.result(state)


def make_brief(
    pair: LanguagePair, excerpt_text: str, llm: LLMClient, model: str
) -> tuple[DocumentBrief, CallRecord]:
    """The document brief from an excerpt (the first pages are usually enough); called
    once per document and passed to every batch."""
    messages = prompts.brief_messages(pair, excerpt_text[:BRIEF_EXCERPT_CHARS])
    return llm.complete("brief", prompts.PROMPT_VERSIONS["brief"], model, messages, DocumentBrief)


def revise_segment(
    segment: SegmentInput,
    instruction: str,
    context: RevisionContext,
    llm: LLMClient,
    model: str,
) -> tuple[str, CallRecord]:
    """A revised target following a person's instruction ("use 上訴人 for appellant"). The
    answer is a suggestion for the person, never written over their text."""
    if not instruction.strip():
        raise ValueError("Write an instruction for the revision, e.g. 'use 上訴人 for appellant'.")
    messages = prompts.revise_messages(
        segment,
        instruction,
        pair=context.pair,
        current_target=context.current_target,
        brief=context.brief,
        before=context.before,
        after=context.after,
        glossary=terms_in(segment.source, context.glossary),
        lessons=context.lessons,
    )
    answer, record = llm.complete(
        "revise", prompts.PROMPT_VERSIONS["revise"], model, messages, RevisionOutput
    )
    if not answer.target.strip():
        error = LLMInvalidOutput(
            "The revision came back empty. Try again or rephrase the instruction."
        )
        error.record = record
        raise error
    return answer.target, record


class _Pipeline:
    def __init__(self, batch: BatchInput, llm: LLMClient, max_rounds: int):
        self.batch = batch
        self.llm = llm
        self.max_rounds = max_rounds
        self.records: list[CallRecord] = []
        self.sources = {segment.id: segment.source for segment in batch.segments}

    def graph(self) -> StateGraph:
        graph = StateGraph(DraftState)
        graph.add_node("translate", self.translate)
        graph.add_node("check_and_annotate", self.check_and_annotate)
        graph.add_node("proofread", self.proofread)
        # A batch given its brief skips the node: each node costs a checkpoint.
        if self.batch.brief is None:
            graph.add_node("make_brief", self.prepare_brief)
            graph.add_edge(START, "make_brief")
            graph.add_edge("make_brief", "translate")
        else:
            graph.add_edge(START, "translate")
        graph.add_edge("translate", "check_and_annotate")
        graph.add_conditional_edges("check_and_annotate", self.after_annotation, ["proofread", END])
        graph.add_edge("proofread", "check_and_annotate")
        return graph

    def initial_state(self) -> DraftState:
        return {
            "brief": self.batch.brief.model_dump() if self.batch.brief else None,
            "versions": {},
            "annotations": {},
            "failed": {},
            "notes": {},
            "round": 0,
            "to_annotate": [],
        }

    # Nodes. Each returns the keys it changes; state values are copied, never mutated.

    def prepare_brief(self, state: DraftState) -> DraftState:
        if state.get("brief") is not None:
            return {}
        excerpt = "\n".join(segment.source for segment in self.batch.segments)
        model = self.batch.models.brief
        try:
            brief, record = make_brief(self.batch.pair, excerpt, self.llm, model)
        except LLMError as error:
            # A brief helps consistency but the segments can be drafted without one.
            self.records.append(error.record)
            return {"brief": None}
        self.records.append(record)
        return {"brief": brief.model_dump()}

    def translate(self, state: DraftState) -> DraftState:
        brief = _brief(state)
        to_draft = [segment for segment in self.batch.segments if not segment.human_target]
        fixed = [segment for segment in self.batch.segments if segment.human_target]
        overhead = context_cost(
            brief,
            fixed,
            self.batch.before,
            self.batch.after,
            self.batch.glossary,
            self.batch.examples,
            self.batch.lessons,
        )
        versions, failed = {}, {}
        for group in plan_batches(to_draft, self.batch.token_budget, overhead=overhead):
            self._translate(group, brief, fixed, versions, failed)
        return {
            "versions": versions,
            "failed": failed,
            "to_annotate": [segment.id for segment in to_draft if segment.id in versions],
        }

    def check_and_annotate(self, state: DraftState) -> DraftState:
        annotations = copy.deepcopy(state["annotations"])
        notes = copy.deepcopy(state["notes"])
        items = []
        brief = _brief(state)
        for segment_id in state["to_annotate"]:
            source, target = self.sources[segment_id], _current(state, segment_id)["target"]
            findings = run_checks(source, target, self.batch.pair, self._glossary(source), brief)
            items.append(
                {
                    "id": segment_id,
                    "source": source,
                    "target": target,
                    "check_findings": [asdict(issue) for issue in findings],
                }
            )
        found = self._annotate(items, brief, notes)
        for item in items:
            annotations.setdefault(item["id"], []).append(
                item["check_findings"] + found.get(item["id"], [])
            )
        return {"annotations": annotations, "notes": notes, "to_annotate": []}

    def after_annotation(self, state: DraftState) -> str:
        if state["round"] < self.max_rounds and self._flagged(state):
            return "proofread"
        return END

    def proofread(self, state: DraftState) -> DraftState:
        versions = copy.deepcopy(state["versions"])
        notes = copy.deepcopy(state["notes"])
        round_number = state["round"] + 1
        items = [
            {
                "id": segment_id,
                "source": self.sources[segment_id],
                "target": _current(state, segment_id)["target"],
                "issues": state["annotations"][segment_id][-1],
            }
            for segment_id in self._flagged(state)
        ]
        revised = []
        model = self.batch.models.proofreader
        version = prompts.PROMPT_VERSIONS["proofreader"]
        for group in plan_batches(
            items, self.batch.token_budget, source=lambda item: item["source"] + item["target"]
        ):
            messages = prompts.proofreader_messages(
                self.batch.pair,
                group,
                brief=_brief(state),
                glossary=self._glossary(*(item["source"] for item in group)),
                lessons=self.batch.lessons,
            )
            answer = self._call("proofreader", version, model, messages, ProofreaderOutput)
            if isinstance(answer, LLMError):
                for item in group:
                    notes.setdefault(item["id"], []).append(
                        f"The Proofreader could not revise this segment: {answer}"
                    )
                continue
            wanted = {item["id"]: item for item in group}
            for revision in answer.segments:
                item = wanted.pop(revision.id, None)
                if item is None or not revision.target.strip() or revision.target == item["target"]:
                    continue
                versions[revision.id].append(
                    {
                        "target": revision.target,
                        "role": "proofreader",
                        "model": model,
                        "prompt_version": version,
                        "round": round_number,
                        "resolutions": [r.model_dump() for r in revision.resolutions],
                    }
                )
                revised.append(revision.id)
        return {
            "versions": versions,
            "notes": notes,
            "round": round_number,
            "to_annotate": revised,
        }

    def outcome(self, state: DraftState) -> dict[str, dict]:
        """Each drafted segment's status, reason and chosen version, worked out from the
        final state rather than in a node of its own, which would cost a checkpoint."""
        outcome = {}
        for segment in self.batch.segments:
            if segment.human_target:
                continue
            if segment.id in state["failed"]:
                outcome[segment.id] = {
                    "status": "failed",
                    "reason": state["failed"][segment.id],
                    "version": None,
                }
                continue
            issues_by_version = state["annotations"][segment.id]
            # The best text: the fewest blocking issues, the latest among equals.
            best = min(
                range(len(issues_by_version)),
                key=lambda index: (_blocking_count(issues_by_version[index]), -index),
            )
            blocking = [i for i in issues_by_version[best] if i["severity"] in BLOCKING_SEVERITIES]
            notes = state["notes"].get(segment.id, [])
            if blocking:
                reason = (
                    f"{len(blocking)} major or critical issue(s) remain after "
                    f"{state['round']} round(s) of proofreading: "
                    + " ".join(issue["explanation"] for issue in blocking[:3])
                )
                outcome[segment.id] = {
                    "status": "flagged",
                    "reason": " ".join([reason, *notes]),
                    "version": best,
                }
            else:
                outcome[segment.id] = {
                    "status": "drafted",
                    "reason": " ".join(notes),
                    "version": best,
                }
        return outcome

    # Work inside the nodes.

    def _translate(self, group, brief, fixed, versions, failed) -> None:
        model = self.batch.models.translator
        version = prompts.PROMPT_VERSIONS["translator"]
        messages = prompts.translator_messages(
            self.batch.pair,
            group,
            brief=brief,
            fixed=fixed,
            before=self.batch.before,
            after=self.batch.after,
            glossary=self._glossary(*(segment.source for segment in group)),
            tm_hints=self.batch.tm_hints,
            examples=self.batch.examples,
            lessons=self.batch.lessons,
        )
        answer = self._call("translator", version, model, messages, TranslatorOutput)
        if isinstance(answer, LLMTruncated) and len(group) > 1:
            # The answer outgrew the model's output limit: try each half on its own.
            middle = len(group) // 2
            self._translate(group[:middle], brief, fixed, versions, failed)
            self._translate(group[middle:], brief, fixed, versions, failed)
            return
        if isinstance(answer, LLMError):
            for segment in group:
                failed[segment.id] = f"The Translator's call failed: {answer}"
            return
        targets = {item.id: item.target for item in answer.segments}
        for segment in group:
            target = targets.get(segment.id, "")
            if not target.strip():
                failed[segment.id] = (
                    "The Translator's answer had no translation for this segment; "
                    "draft it again or translate it by hand."
                )
                continue
            versions[segment.id] = [
                {
                    "target": target,
                    "role": "translator",
                    "model": model,
                    "prompt_version": version,
                    "round": 0,
                    "resolutions": [],
                }
            ]

    def _annotate(self, items: list[dict], brief, notes) -> dict[str, list[dict]]:
        """The Annotator's issues by segment id. A span that is not in the target is
        kept as "" so that every span shown to people is real text."""
        found: dict[str, list[dict]] = {}
        model = self.batch.models.annotator
        version = prompts.PROMPT_VERSIONS["annotator"]
        for group in plan_batches(
            items, self.batch.token_budget, source=lambda item: item["source"] + item["target"]
        ):
            messages = prompts.annotator_messages(
                self.batch.pair,
                group,
                brief=brief,
                glossary=self._glossary(*(item["source"] for item in group)),
                lessons=self.batch.lessons,
            )
            answer = self._call("annotator", version, model, messages, AnnotatorOutput)
            if isinstance(answer, LLMError):
                for item in group:
                    notes.setdefault(item["id"], []).append(
                        f"The Annotator could not review this text: {answer}"
                    )
                continue
            targets = {item["id"]: item["target"] for item in group}
            for annotated in answer.segments:
                if annotated.id not in targets:
                    continue
                found[annotated.id] = [
                    {
                        **issue.model_dump(),
                        "span": issue.span if issue.span in targets[annotated.id] else "",
                        "source": "annotator",
                    }
                    for issue in annotated.issues
                ]
        return found

    def _call(self, role, version, model, messages, schema):
        """The answer, or the LLMError that stands in for it; the record is kept either way."""
        try:
            answer, record = self.llm.complete(role, version, model, messages, schema)
        except LLMError as error:
            self.records.append(error.record)
            return error
        self.records.append(record)
        return answer

    def _glossary(self, *sources: str):
        return terms_in("\n".join(sources), self.batch.glossary)

    def _flagged(self, state: DraftState) -> list[str]:
        return [
            segment_id
            for segment_id, issues in state["annotations"].items()
            if _blocking_count(issues[-1])
        ]

    def result(self, state: DraftState) -> BatchResult:
        segments = []
        outcomes = self.outcome(state)
        for segment in self.batch.segments:
            outcome = outcomes.get(segment.id)
            if outcome is None:
                continue
            versions = state["versions"].get(segment.id, [])
            annotations = [
                [SegmentIssue(**issue) for issue in issues]
                for issues in state["annotations"].get(segment.id, [])
            ]
            result = SegmentResult(
                id=segment.id, status=outcome["status"], reason=outcome["reason"]
            )
            if versions:
                chosen = versions[outcome["version"]]
                result.final_target = chosen["target"]
                result.final_provenance = _provenance(chosen)
                result.issues = annotations[outcome["version"]]
                result.draft = versions[0]["target"]
                result.draft_provenance = _provenance(versions[0])
                result.annotations = annotations
            if len(versions) > 1:
                result.revision = versions[-1]["target"]
                result.revision_provenance = _provenance(versions[-1])
                result.resolutions = [Resolution(**r) for r in versions[-1]["resolutions"]]
            segments.append(result)
        brief = DocumentBrief.model_validate(state["brief"]) if state.get("brief") else None
        return BatchResult(segments=segments, call_records=self.records, brief=brief)


def _brief(state: DraftState) -> DocumentBrief | None:
    return DocumentBrief.model_validate(state["brief"]) if state.get("brief") else None


def _current(state: DraftState, segment_id: str) -> dict:
    return state["versions"][segment_id][-1]


def _blocking_count(issues: list[dict]) -> int:
    return sum(issue["severity"] in BLOCKING_SEVERITIES for issue in issues)


def _provenance(version: dict) -> Provenance:
    return Provenance(
        role=version["role"],
        model=version["model"],
        prompt_version=version["prompt_version"],
        round=version["round"],
    )
