"""The demo's agent runs: a drafting job per document, played through the real pipeline
(brief, Translator, checks, Annotator, Proofreader, persistence through the lifecycle)
against the demo replay model, in this process. What the agents wrote comes from the
recordings; every revision, suggestion, issue and model call is marked with the model
"demo-replay", the prompt version and the round, as a real run's would be.
"""

from dataclasses import replace

from agents.context import RoleModels
from agents.graph import draft_batch, make_brief
from agents.llm import LLMClient, LLMError
from workbench.drafting.calls import JobCalls, count_calls
from workbench.drafting.context import BRIEF_SEGMENTS, DraftingContext, language_pair
from workbench.drafting.persist import finish_empty, persist_batch
from workbench.drafting.planning import dispatch, plan
from workbench.drafting.services import DRAFT_KIND
from workbench.jobs.models import Job

from .replay_model import MODEL


class AgentRunFailed(Exception):
    """The replay model could not answer (the recordings and the document disagree)."""


def replay_drafting(document, *, user, replay, positions=None):
    """Draft the document's new segments (those in `positions`, first and last, if
    given) as one drafting job; returns the finished job."""
    project = document.project
    params = {"positions": list(positions)} if positions else {}
    job = Job.claim(
        Job.objects.create(
            kind=DRAFT_KIND, project=project, document=document, params=params, created_by=user
        ).pk
    )
    llm = LLMClient(replay.base_url, journal=JobCalls(job), max_attempts=1)
    models = RoleModels.same(MODEL)
    try:
        brief = _brief(document, llm)
        batches = plan(job, concurrency=1)
        total = sum(len(batch.segment_ids) for batch in batches)
        context, done = DraftingContext(document), 0
        job.report_progress(done, total)
        for batch in batches:
            segments = dispatch(batch)
            if segments:
                batch_input = replace(context.batch_input(segments), models=models, brief=brief)
                result = draft_batch(batch_input, llm, max_rounds=project.agent_max_rounds)
                persist_batch(job, batch, result, models)
            else:
                finish_empty(batch)
            done += len(batch.segment_ids)
            job.report_progress(done)
    finally:
        llm.close()
        count_calls(job)
    failed = [
        outcome["reason"]
        for batch in job.draft_batches.all()
        for outcome in batch.outcomes.values()
        if outcome["status"] == "failed"
    ]
    if failed:
        raise AgentRunFailed(
            f"The demo replay model gave no text for {len(failed)} segments of "
            f"“{document.title}”: {failed[0]}"
        )
    job.succeed()
    return job


def _brief(document, llm):
    """The document's brief, from the replay model's recorded answer."""
    opening = document.segments.order_by("position").values_list("source", flat=True)
    try:
        brief, _ = make_brief(
            language_pair(document.project),
            "\n".join(opening[:BRIEF_SEGMENTS]),
            llm,
            MODEL,
        )
    except LLMError as error:
        raise AgentRunFailed(
            f"The demo replay model has no brief for “{document.title}”: {error}"
        ) from None
    document.brief = brief.model_dump()
    document.save(update_fields=["brief"])
    return brief
