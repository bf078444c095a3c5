"""What the agents are given from people's work: the corrections most like the segments
they are about to draft (a reviewer's approved ones first, then translators' confirmed
ones, marked unreviewed), and the project's lessons."""

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest
from rapidfuzz import fuzz

from agents.context import FewShotExample

from .models import Correction, Lesson

# pg_trgm's `%` picks the candidates (through the trigram index); rapidfuzz, which
# weighs word order and exact wording, picks among them.
CANDIDATES_PER_EXAMPLE = 10
# Each source is compared on its own: a long batch text is like nothing in particular.
MAX_SOURCES = 40
MAX_LESSONS = 30


def similar_corrections(project, sources, limit=3):
    """FewShotExamples of the project's current corrections (text a person confirmed or
    a reviewer approved that differs from the machine's) whose sources are most like
    `sources`; among equally alike ones, approved corrections first."""
    sources = [source for source in sources if source.strip()][:MAX_SOURCES]
    if not sources or limit <= 0:
        return []
    similar = Q()
    for source in sources:
        similar |= Q(source__trigram_similar=source)
    similarity = [TrigramSimilarity("source", source) for source in sources]
    candidates = (
        Correction.objects.current()
        .filter(similar, project=project, edit_distance__gt=0)
        .annotate(similarity=Greatest(*similarity) if len(similarity) > 1 else similarity[0])
        .order_by("-similarity", "-created_at")
        .only("source", "machine_text", "final_text", "event")[: limit * CANDIDATES_PER_EXAMPLE]
    )
    ranked = sorted(
        candidates,
        key=lambda correction: (
            -_likeness(correction.source, sources),
            correction.event != Correction.Event.APPROVE,
        ),
    )
    examples, seen = [], set()
    for correction in ranked:
        key = (correction.source, correction.final_text)
        if key in seen:
            continue
        seen.add(key)
        examples.append(
            FewShotExample(
                source=correction.source,
                machine_text=correction.machine_text,
                human_text=correction.final_text,
                reviewed=correction.event == Correction.Event.APPROVE,
            )
        )
        if len(examples) == limit:
            break
    return examples


def _likeness(text, sources):
    return max(fuzz.ratio(text, source) for source in sources)


def lessons_for(project):
    """The texts of the project's active lessons, oldest first; the newest
    MAX_LESSONS when there are more, so a prompt stays a prompt."""
    texts = list(
        Lesson.objects.filter(project=project, active=True)
        .order_by("-created_at", "-pk")
        .values_list("text", flat=True)[:MAX_LESSONS]
    )
    return texts[::-1]
