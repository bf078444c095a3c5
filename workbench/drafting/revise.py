"""The "revise_segment" job: the agents' answer to a person's instruction on one
segment ("use 上訴人 for appellant"), stored as an on_request Suggestion. The segment's
target is never written."""

from dataclasses import replace

from agents.context import RevisionContext, SegmentInput
from agents.graph import revise_segment
from agents.llm import LLMError
from workbench.documents import changes
from workbench.documents.lifecycle import EditRefused, clean_target
from workbench.feedback.learning import lessons_for
from workbench.jobs.registry import JobFailed
from workbench.memory.glossary import termbase_for
from workbench.projects.endpoints import endpoint_problem
from workbench.translation.models import Suggestion

from .calls import JobCalls, count_calls
from .context import (
    NEIGHBOURS,
    brief_of,
    glossary_for,
    language_pair,
    neighbour,
    pseudonymiser_for,
)
from .run import llm_client


def revise_on_request(job, segment, instruction):
    """The "revise_segment" job: the agents' answer to a person's instruction, stored as
    an on_request Suggestion. The segment's target is never written."""
    project, document = job.project, segment.document
    if problem := endpoint_problem(project):
        raise JobFailed(problem)
    llm = llm_client(JobCalls(job), project)
    around = list(
        document.segments.filter(
            position__gte=segment.position - NEIGHBOURS, position__lte=segment.position + NEIGHBOURS
        )
        .exclude(pk=segment.pk)
        .order_by("position")
    )
    revision_context = RevisionContext(
        pair=language_pair(project),
        current_target=segment.target,
        brief=brief_of(document),
        before=[neighbour(s) for s in around if s.position < segment.position],
        after=[neighbour(s) for s in around if s.position > segment.position],
        glossary=glossary_for(termbase_for(project), segment.source),
        lessons=lessons_for(project),
    )
    source = SegmentInput(
        id=str(segment.pk),
        source=segment.source,
        kind=segment.kind,
        paragraph_number=segment.paragraph_number,
    )
    sent_instruction = instruction
    pseudonyms = pseudonymiser_for(document)
    if pseudonyms is not None:
        revision_context = pseudonyms.mask_revision(revision_context)
        source = replace(source, source=pseudonyms.mask(source.source))
        sent_instruction = pseudonyms.mask(instruction)
    model = project.model_for("proofreader")
    try:
        text, record = revise_segment(source, sent_instruction, revision_context, llm, model)
    except (LLMError, ValueError) as error:
        raise JobFailed(
            f"The agents could not revise segment {segment.position}: {error}"
        ) from None
    finally:
        llm.close()
        count_calls(job)
    if pseudonyms is not None:
        text = pseudonyms.restore(text)
    try:
        text = clean_target(segment, text)
    except EditRefused as refused:
        raise JobFailed(f"The agents' revision could not be stored: {refused}") from None
    suggestion = Suggestion.objects.create(
        segment=segment,
        kind=Suggestion.Kind.ON_REQUEST,
        text=text,
        agent_role="proofreader",
        model_name=record.model[:100],
        prompt_version=record.prompt_version[:40],
        instruction=instruction,
        job=job,
        requested_by=job.created_by,
    )
    changes.note_changed([segment.document_id])
    job.tally(suggestions=1)
    return suggestion
