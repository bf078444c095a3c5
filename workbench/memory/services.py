"""What the rest of the workbench asks of the translation memory: the project's own
memory, following the review of segments (approved text in, sent-back text out), and
pre-translating a document from the TM."""

from django.db import transaction

from agents.checks import run_checks
from agents.context import LanguagePair
from agents.risk import assess
from agents.schemas import stored_brief
from workbench.documents import lifecycle
from workbench.documents.models import Segment

from .glossary import termbase_for
from .lookup import lookup, neighbour_hashes
from .models import TranslationMemory, TranslationUnit


def project_memory(project):
    """The project's own memory, created on first use."""
    memory, _ = TranslationMemory.objects.get_or_create(
        owner=project,
        defaults={
            "name": f"{project.name} (project memory)"[:200],
            "source_language": project.source_language,
            "target_language": project.target_language,
        },
    )
    return memory


def remember_segment(segment, user=None):
    """Keep a segment's translation in its project's memory; call it when a reviewer
    approves the segment. Returns the unit, or None when there is nothing to keep.

    A segment has at most one unit: remembering it again (after any later change)
    updates that unit. If the same source and target are already in the memory, that
    unit takes over the segment instead of a duplicate being stored.

    Locks the segment row, so two approvals of one segment cannot both add a unit.
    """
    memory = project_memory(segment.document.project)
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        source, target = segment.source.strip(), segment.target.strip()
        if TranslationUnit.problem_with(source, target):
            return None
        unit = memory.units.filter(segment=segment).first()
        same_pair = (
            memory.units.filter(
                source_hash=TranslationUnit.hash_text(source),
                target_hash=TranslationUnit.hash_text(target),
            )
            .exclude(pk=unit.pk if unit else None)
            .first()
        )
        if same_pair is not None:
            if unit is not None:
                unit.delete()
            unit = same_pair
        elif unit is None:
            unit = TranslationUnit(memory=memory, created_by=user)
        approved = segment.status == Segment.Status.APPROVED
        previous_hash, next_hash = neighbour_hashes(segment)
        unit.source, unit.target = source, target
        unit.source_language = memory.source_language
        unit.target_language = memory.target_language
        unit.previous_hash, unit.next_hash = previous_hash, next_hash
        unit.origin = (
            TranslationUnit.Origin.APPROVAL if approved else TranslationUnit.Origin.PROJECT
        )
        unit.quality = (
            TranslationUnit.Quality.APPROVED if approved else TranslationUnit.Quality.TRANSLATED
        )
        unit.segment, unit.document = segment, segment.document
        unit.save()
    return unit


def follow_review(revisions):
    """Receiver of `documents.signals.revisions_recorded`: what is approved in the TM is
    what is approved in the documents (invariant 7). An approval puts the segment's text
    in the project memory; sending an approved segment back withdraws its unit, and
    reopening it demotes the unit to unreviewed until it is approved again."""
    approved = Segment.Status.APPROVED
    for revision in revisions:
        if revision.new_status == approved and revision.old_status != approved:
            remember_segment(revision.segment, revision.author)
        elif revision.old_status == approved and revision.new_status != approved:
            quality = (
                TranslationUnit.Quality.WITHDRAWN
                if revision.new_status == Segment.Status.REJECTED
                else TranslationUnit.Quality.TRANSLATED
            )
            TranslationUnit.objects.filter(segment_id=revision.segment_id).update(quality=quality)


def tm_risk(segment, match, project, brief):
    """(level, reasons) of a TM match as a segment's draft (`agents.risk`): the checks'
    findings in it, how close the match is, and the segment's function."""
    pair = LanguagePair(project.source_language, project.target_language)
    findings = run_checks(
        segment.source,
        match.target,
        pair,
        termbase_for(project),
        brief,
        project.qa_blocking_severities,
    )
    return assess(segment.source, match.target, issues=findings, tm_match=match.percent).as_stored()


def pretranslate_document(document, threshold=None, progress=None, segments=None):
    """Fill the document's `new` segments (of `segments`, a queryset of them, if given)
    from their best TM match at or above `threshold` (the project's by default). Returns
    how many segments were filled.

    Each write is the lifecycle's compare-and-set on (status "new", version), so a
    segment anyone has written since it was read is left alone, and a second run changes
    nothing. `progress(done, total)` is called as segments are looked up.
    """
    project = document.project
    threshold = project.tm_threshold if threshold is None else threshold
    brief = stored_brief(document.brief)
    hashes = dict(document.segments.values_list("position", "source_hash"))
    scope = document.segments.all() if segments is None else segments
    waiting = list(
        scope.filter(status=Segment.Status.NEW)
        .order_by("position")
        .only("pk", "position", "source", "target", "version", "document_id")
    )
    filled = 0
    for done, segment in enumerate(waiting, start=1):
        context = (hashes.get(segment.position - 1, ""), hashes.get(segment.position + 1, ""))
        matches = lookup(segment, project, limit=1, threshold=threshold, context=context)
        if matches and lifecycle.draft_from_tm(
            segment,
            text=matches[0].target,
            percent=matches[0].percent,
            base_version=segment.version,
            risk=tm_risk(segment, matches[0], project, brief),
            skip_review=project.low_risk_review,
        ):
            filled += 1
        if progress:
            progress(done, len(waiting))
    return filled
