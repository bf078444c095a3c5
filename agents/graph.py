"""The Translator–Annotator–Proofreader pipeline as a LangGraph graph.

    [make_brief →] translate → check_and_annotate ⇄ proofread

A batch given no brief makes its own first. The Translator drafts consecutive segments in
as few calls as the token budget allows; deterministic checks and the Annotator list
issues; the Proofreader revises only segments with a major or critical issue whose text
and issues it has not seen yet, and revised segments are checked again, until none is
left, a round changes nothing, or the round cap is reached. With a checkpointer, each
finished node is saved under the caller's thread id, so running the same thread again
after a crash resumes after the last finished node instead of repeating its model calls.

Models answer many segments at once and sometimes get the ids wrong: they leave one out,
answer one twice with different texts, add one nobody asked for, or merge two segments'
texts under one id. Answers for ids not asked for are dropped; a segment whose answer is
missing, empty, contradictory or probably merged into a neighbour's is asked again alone,
once. A Translator segment that still has no text fails with the reason; a segment the
Annotator or the Proofreader still leaves out keeps a note saying so.

The graph state holds only plain JSON values; each segment's outcome and the results are
built from it at the end.
"""

import copy
import hashlib
import json
import statistics
from dataclasses import asdict
from typing import TypedDict

from langgraph.graph import END, START, StateGraph

from agents import prompts
from agents.batching import context_cost, estimate_tokens, plan_batches, review_cost
from agents.checks import run_checks, terms_in
from agents.context import (
    BatchInput,
    BatchResult,
    LanguagePair,
    Neighbour,
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
NEIGHBOURS = 2  # around a segment asked for alone
# A neighbour of a missing segment whose answer is longer than its own share by at least
# this part of the missing segment's is taken to hold both texts.
MERGED_SHARE = 0.5
NO_TRANSLATION = (
    "The Translator's answer had no translation for this segment{alone}; draft it again or "
    "translate it by hand."
)
ALONE = ", even when it was asked for this segment alone"


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
    # What the Proofreader has been shown of each segment (text and issues), so the same
    # request is never sent twice.
    proofread_seen: dict[str, list[str]]  # per segment, the issues the Proofreader was shown


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
        graph.add_conditional_edges(
            "proofread", self.after_proofreading, ["check_and_annotate", END]
        )
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
            "proofread_seen": {},
        }

    # Nodes. Each returns the keys it changes; state values are copied, never mutated.
    # Their model calls carry the stage as priority (translate 0, annotate 1, proofread 2,
    # annotate again 3...): with call slots, batches further behind go first.

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
        found = {}
        for group in plan_batches(
            items,
            self.batch.review_tokens,
            cost=lambda item: review_cost(item["source"], item["target"]),
        ):
            self._annotate(group, brief, notes, found, 2 * state["round"] + 1)
        for item in items:
            annotations.setdefault(item["id"], []).append(
                item["check_findings"] + found.get(item["id"], [])
            )
        return {"annotations": annotations, "notes": notes, "to_annotate": []}

    def after_annotation(self, state: DraftState) -> str:
        if state["round"] < self.max_rounds and self._to_proofread(state):
            return "proofread"
        return END

    def proofread(self, state: DraftState) -> DraftState:
        versions = copy.deepcopy(state["versions"])
        notes = copy.deepcopy(state["notes"])
        seen = copy.deepcopy(state.get("proofread_seen", {}))
        round_number = state["round"] + 1
        items = [
            self._proofreading_item(state, segment_id) for segment_id in self._to_proofread(state)
        ]
        for item in items:
            shown = seen.setdefault(item["id"], [])
            shown += [mark for mark in map(_issue_mark, item["issues"]) if mark not in shown]
        revisions = {}
        for group in plan_batches(
            items,
            self.batch.review_tokens,
            cost=lambda item: review_cost(
                item["source"],
                item["target"],
                item["target"],
                json.dumps(item["issues"], ensure_ascii=False),
            ),
        ):
            self._proofread(group, _brief(state), notes, revisions, 2 * round_number)
        model = self.batch.models.proofreader
        version = prompts.PROMPT_VERSIONS["proofreader"]
        revised = []
        for item in items:
            revision = revisions.get(item["id"])
            if revision is None or revision.target == item["target"]:
                continue
            versions[item["id"]].append(
                {
                    "target": revision.target,
                    "role": "proofreader",
                    "model": model,
                    "prompt_version": version,
                    "round": round_number,
                    "resolutions": [r.model_dump() for r in revision.resolutions],
                }
            )
            revised.append(item["id"])
        return {
            "versions": versions,
            "notes": notes,
            "round": round_number,
            "to_annotate": revised,
            "proofread_seen": seen,
        }

    def after_proofreading(self, state: DraftState) -> str:
        # A round that changed nothing ends the loop: another would ask the same again.
        return "check_and_annotate" if state["to_annotate"] else END

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

    def _translate(self, group, brief, fixed, versions, failed, *, alone=False) -> None:
        model = self.batch.models.translator
        version = prompts.PROMPT_VERSIONS["translator"]
        before, after = self._around(group) if alone else (self.batch.before, self.batch.after)
        messages = prompts.translator_messages(
            self.batch.pair,
            group,
            brief=brief,
            fixed=fixed,
            before=before,
            after=after,
            glossary=self._glossary(*(segment.source for segment in group)),
            tm_hints=self.batch.tm_hints,
            examples=self.batch.examples,
            lessons=self.batch.lessons,
        )
        answer, record = self._call("translator", version, model, messages, TranslatorOutput, 0)
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
        sources = {segment.id: segment.source for segment in group}
        answered, again = _sort_out(
            list(sources),
            answer.segments,
            text=lambda item: item.target,
            basis=lambda segment_id: estimate_tokens(sources[segment_id]),
        )
        for segment_id, item in answered.items():
            versions[segment_id] = [
                {
                    "target": item.target,
                    "role": "translator",
                    "model": model,
                    "prompt_version": version,
                    "round": 0,
                    "resolutions": [],
                }
            ]
        if again and self._left_out(record, group, alone):
            for segment_id in again:
                failed[segment_id] = NO_TRANSLATION.format(alone=ALONE if alone else "")
            return
        for segment in group:
            if segment.id in again:
                self._translate([segment], brief, fixed, versions, failed, alone=True)

    def _annotate(self, group, brief, notes, found, priority, *, alone=False) -> None:
        """Add the Annotator's issues for `group` to `found`, by segment id. A span that
        is not in the target is kept as "" so that every span shown to people is real
        text."""
        messages = prompts.annotator_messages(
            self.batch.pair,
            group,
            brief=brief,
            glossary=self._glossary(*(item["source"] for item in group)),
            lessons=self.batch.lessons,
        )
        version = prompts.PROMPT_VERSIONS["annotator"]
        model = self.batch.models.annotator
        answer, record = self._call(
            "annotator", version, model, messages, AnnotatorOutput, priority
        )
        if isinstance(answer, LLMError):
            for item in group:
                notes.setdefault(item["id"], []).append(
                    f"The Annotator could not review this text: {answer}"
                )
            return
        targets = {item["id"]: item["target"] for item in group}
        answered, again = _sort_out(list(targets), answer.segments)
        for segment_id, annotated in answered.items():
            found[segment_id] = [
                {
                    **issue.model_dump(),
                    "span": issue.span if issue.span in targets[segment_id] else "",
                    "source": "annotator",
                }
                for issue in annotated.issues
            ]
        if again and self._left_out(record, group, alone):
            for segment_id in again:
                notes.setdefault(segment_id, []).append(
                    "The Annotator's answer left this segment out"
                    + (ALONE if alone else "")
                    + "; only the deterministic checks reviewed it."
                )
            return
        for item in group:
            if item["id"] in again:
                self._annotate([item], brief, notes, found, priority, alone=True)

    def _proofread(self, group, brief, notes, revisions, priority, *, alone=False) -> None:
        """Add the Proofreader's revisions of `group` to `revisions`, by segment id."""
        messages = prompts.proofreader_messages(
            self.batch.pair,
            group,
            brief=brief,
            glossary=self._glossary(*(item["source"] for item in group)),
            lessons=self.batch.lessons,
        )
        version = prompts.PROMPT_VERSIONS["proofreader"]
        model = self.batch.models.proofreader
        answer, record = self._call(
            "proofreader", version, model, messages, ProofreaderOutput, priority
        )
        if isinstance(answer, LLMError):
            for item in group:
                notes.setdefault(item["id"], []).append(
                    f"The Proofreader could not revise this segment: {answer}"
                )
            return
        targets = {item["id"]: item["target"] for item in group}
        answered, again = _sort_out(
            list(targets),
            answer.segments,
            text=lambda revision: revision.target,
            basis=lambda segment_id: estimate_tokens(targets[segment_id]),
        )
        revisions.update(answered)
        if again and self._left_out(record, group, alone):
            for segment_id in again:
                notes.setdefault(segment_id, []).append(
                    "The Proofreader's answer left this segment out"
                    + (ALONE if alone else "")
                    + "; its text stays as it was."
                )
            return
        for item in group:
            if item["id"] in again:
                self._proofread([item], brief, notes, revisions, priority, alone=True)

    def _call(self, role, version, model, messages, schema, priority):
        """The answer, or the LLMError that stands in for it, and the call's record, which
        is kept either way."""
        try:
            answer, record = self.llm.complete(
                role, version, model, messages, schema, priority=priority
            )
        except LLMError as error:
            self.records.append(error.record)
            return error, error.record
        self.records.append(record)
        return answer, record

    def _left_out(self, record, group, alone) -> bool:
        """Whether ids left out of the answer to `group` are final: it was a request for
        one segment. Its answer then served nothing, so it is never reused."""
        if alone or len(group) == 1:
            self.llm.forget(record)
            return True
        return False

    def _around(self, group) -> tuple[list[Neighbour], list[Neighbour]]:
        """Neighbours for a segment asked for alone: the segments next to it in the batch,
        and the batch's own neighbours at its ends."""
        segments = self.batch.segments
        first, last = segments.index(group[0]), segments.index(group[-1])
        before = [*self.batch.before, *(_neighbour(s) for s in segments[:first])]
        after = [*(_neighbour(s) for s in segments[last + 1 :]), *self.batch.after]
        return before[-NEIGHBOURS:], after[:NEIGHBOURS]

    def _glossary(self, *sources: str):
        return terms_in("\n".join(sources), self.batch.glossary)

    def _flagged(self, state: DraftState) -> list[str]:
        return [
            segment_id
            for segment_id, issues in state["annotations"].items()
            if _blocking_count(issues[-1])
        ]

    def _proofreading_item(self, state: DraftState, segment_id: str) -> dict:
        return {
            "id": segment_id,
            "source": self.sources[segment_id],
            "target": _current(state, segment_id)["target"],
            "issues": state["annotations"][segment_id][-1],
        }

    def _to_proofread(self, state: DraftState) -> list[str]:
        """Flagged segments with a blocking issue the Proofreader has not been shown yet.
        An issue it was shown, it fixed or answered why not: asking again would spend a
        call on the same answer."""
        seen = state.get("proofread_seen", {})
        return [
            segment_id
            for segment_id in self._flagged(state)
            if any(
                _issue_mark(issue) not in seen.get(segment_id, [])
                for issue in state["annotations"][segment_id][-1]
                if issue["severity"] in BLOCKING_SEVERITIES
            )
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


def _neighbour(segment: SegmentInput) -> Neighbour:
    return Neighbour(
        source=segment.source, target=segment.human_target, is_human=bool(segment.human_target)
    )


def _issue_mark(issue: dict) -> str:
    """An issue as the Proofreader is shown it, whatever text it was found in."""
    shown = json.dumps(
        [issue.get(key) for key in ("category", "severity", "span", "explanation")],
        ensure_ascii=False,
    )
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def _sort_out(asked: list[str], answers, *, text=None, basis=None):
    """(the answer for each id asked, the ids to ask again alone). Answers for ids not
    asked are dropped. An id answered twice with different answers is asked again; with
    `text` (answers that carry a text), so is one whose text is empty, and a neighbour of
    a missing id whose text looks like it holds the missing one's too: longer than the
    batch's usual length for its `basis` (tokens of what it answers: the source, or the
    text revised) by at least half the missing one's usual length."""
    found, conflicting = {}, set()
    for answer in answers:
        if answer.id not in asked:
            continue
        if answer.id in found and found[answer.id] != answer:
            conflicting.add(answer.id)
        found.setdefault(answer.id, answer)
    for segment_id in conflicting:
        del found[segment_id]
    if text is not None:
        for segment_id in [key for key, answer in found.items() if not text(answer).strip()]:
            del found[segment_id]
        for segment_id in _merged(asked, found, text, basis):
            del found[segment_id]
    return found, [segment_id for segment_id in asked if segment_id not in found]


def _merged(asked, found, text, basis) -> list[str]:
    missing = [index for index, segment_id in enumerate(asked) if segment_id not in found]
    beside = {
        index: [
            asked[n] for n in (index - 1, index + 1) if 0 <= n < len(asked) and asked[n] in found
        ]
        for index in missing
    }
    neighbours = {segment_id for ids in beside.values() for segment_id in ids}

    def length(segment_id):
        return estimate_tokens(text(found[segment_id]))

    usual = statistics.median(
        [length(key) / max(1, basis(key)) for key in found if key not in neighbours] or [1.0]
    )
    suspects = []
    for index, ids in beside.items():
        missing_share = usual * basis(asked[index])
        for segment_id in ids:
            own_share = usual * basis(segment_id)
            if segment_id not in suspects and length(segment_id) > own_share + (
                MERGED_SHARE * missing_share
            ):
                suspects.append(segment_id)
    return suspects


def _blocking_count(issues: list[dict]) -> int:
    return sum(issue["severity"] in BLOCKING_SEVERITIES for issue in issues)


def _provenance(version: dict) -> Provenance:
    return Provenance(
        role=version["role"],
        model=version["model"],
        prompt_version=version["prompt_version"],
        round=version["round"],
    )
