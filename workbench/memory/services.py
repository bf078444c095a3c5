"""What the rest of the workbench asks of the translation memory: the project's own
memory, remembering approved segments, and pre-translating a document from the TM."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workbench.documents.models import Segment
from workbench.translation.models import Revision

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


def update_remembered_segment(segment, user=None):
    """After any change to a segment's target: if it was remembered, its unit follows the
    change; a segment never remembered stays out of the memory."""
    memory = TranslationMemory.objects.filter(owner=segment.document.project).first()
    if memory is None or not memory.units.filter(segment=segment).exists():
        return None
    return remember_segment(segment, user)


def pretranslate_document(document, threshold=None, progress=None):
    """Fill the document's `new` segments from their best TM match at or above
    `threshold` (the project's by default). Returns how many segments were filled.

    Each write is a compare-and-set on (status "new", version), so a segment a person
    has touched since it was read is left alone, and a second run changes nothing.
    `progress(done, total)` is called as segments are looked up.
    """
    project = document.project
    threshold = project.tm_threshold if threshold is None else threshold
    hashes = dict(document.segments.values_list("position", "source_hash"))
    waiting = list(
        document.segments.filter(status=Segment.Status.NEW)
        .order_by("position")
        .only("pk", "position", "source", "target", "version", "document_id")
    )
    filled = 0
    for done, segment in enumerate(waiting, start=1):
        context = (hashes.get(segment.position - 1, ""), hashes.get(segment.position + 1, ""))
        matches = lookup(segment, project, limit=1, threshold=threshold, context=context)
        if matches and _draft_from_match(segment, matches[0]):
            filled += 1
        if progress:
            progress(done, len(waiting))
    return filled


def _draft_from_match(segment, match):
    with transaction.atomic():
        changed = Segment.objects.filter(
            pk=segment.pk, status=Segment.Status.NEW, version=segment.version
        ).update(
            target=match.target,
            status=Segment.Status.DRAFTED,
            draft_origin="tm",
            match_percent=match.percent,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if changed:
            Revision.objects.create(
                segment=segment,
                origin=Revision.Origin.TM,
                old_target=segment.target,
                new_target=match.target,
                old_status=Segment.Status.NEW,
                new_status=Segment.Status.DRAFTED,
                version=segment.version + 1,
            )
    return bool(changed)
