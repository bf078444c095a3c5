"""Glossary candidates: when people keep replacing the same machine term with the same
words, the manager is offered a glossary entry.

Each correction keeps the spans a person replaced (see `effort.replaced_terms`). When a
correction is recorded, only the pairs it contains are counted again, in SQL, over the
project's current corrections; that is a few indexed queries per correction, so it runs
inline with the confirmation instead of as a job. A pair seen often enough, in enough
documents, becomes an open candidate with its corrections as evidence; a pair the
manager rejected or accepted is never proposed again.

The source term is proposed as the glossary's own source for the machine term when
there is one (the machine followed a term the glossary now gets wrong); otherwise as
the source words common to every evidence segment that go together best with the
people's term across the project's confirmed segments (Dice coefficient).
"""

import re

from django.conf import settings
from django.db.models import Count, Q

from agents.languages import is_cjk
from workbench.documents.models import Segment
from workbench.memory.models import Term

from .effort import tokens
from .models import Correction, GlossaryCandidate

DEFAULT_MIN_CORRECTIONS = 3
DEFAULT_MIN_DOCUMENTS = 2
# Source n-grams tried as the term, in tokens: words, or characters of Chinese.
NGRAM_SIZES = {True: range(2, 7), False: range(1, 5)}
MAX_SOURCE_GUESSES = 15
# Words that begin or end no legal term.
FUNCTION_WORDS_TEXT = """
a an and are as at be been by for from had has have he her his in into is it its of on or
our she that the their them they this those to was were which who with
"""
FUNCTION_WORDS = frozenset(FUNCTION_WORDS_TEXT.split())
CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def thresholds():
    """(corrections, documents) a change needs before it is suggested; the settings
    WORKBENCH_TERM_CANDIDATE_CORRECTIONS and WORKBENCH_TERM_CANDIDATE_DOCUMENTS."""
    return (
        getattr(settings, "WORKBENCH_TERM_CANDIDATE_CORRECTIONS", DEFAULT_MIN_CORRECTIONS),
        getattr(settings, "WORKBENCH_TERM_CANDIDATE_DOCUMENTS", DEFAULT_MIN_DOCUMENTS),
    )


def consider_replacements(project, replacements):
    """Count each (machine span, final span) pair again and open, update or withdraw
    its candidate."""
    for machine_term, target_term in sorted(replacements):
        consider(project, machine_term, target_term)


def consider(project, machine_term, target_term):
    candidate = GlossaryCandidate.objects.filter(
        project=project, machine_term=machine_term, target_term=target_term
    ).first()
    if candidate is not None and candidate.status != GlossaryCandidate.Status.OPEN:
        return candidate
    evidence = Correction.objects.current().filter(
        project=project,
        replacements__machine_span=machine_term,
        replacements__final_span=target_term,
    )
    counts = evidence.aggregate(
        corrections=Count("pk", distinct=True),
        documents=Count("segment__document", distinct=True),
    )
    min_corrections, min_documents = thresholds()
    known = project.terms.filter(target_term=target_term).exclude(status=Term.Status.FORBIDDEN)
    if (
        counts["corrections"] < min_corrections
        or counts["documents"] < min_documents
        or known.exists()
    ):
        if candidate is not None:
            candidate.delete()  # undecided, so nothing is lost
        return None
    sources = list(evidence.values_list("source", flat=True).distinct())
    if candidate is None:
        candidate = GlossaryCandidate(
            project=project, machine_term=machine_term, target_term=target_term
        )
    candidate.source_term = propose_source_term(project, machine_term, target_term, sources)
    candidate.corrections_count = counts["corrections"]
    candidate.documents_count = counts["documents"]
    candidate.save()
    candidate.evidence.set(evidence.distinct())
    return candidate


def propose_source_term(project, machine_term, target_term, sources):
    """The source term to offer the manager, or "" when nothing fits (they type it)."""
    existing = project.terms.filter(target_term=machine_term).values_list("source_term", flat=True)
    if existing:
        return existing[0]
    cjk = is_cjk(project.source_language)
    shared = None
    for source in sources:
        grams = source_ngrams(source, cjk)
        shared = grams if shared is None else shared & grams
    if not shared:
        return ""
    # Longer first, so a multi-word term wins a tie against its parts.
    guesses = sorted(shared, key=lambda gram: (-len(gram), gram))[:MAX_SOURCE_GUESSES]
    return max(guesses, key=lambda gram: dice(project, gram, target_term))


def source_ngrams(source, cjk):
    """Lower-cased n-grams of `source` that could be a term: for Chinese, runs of two to
    six characters; otherwise one to four words not starting or ending with a function
    word or anything but letters."""
    words = [source[start:end] for start, end in tokens(source)]
    grams = set()
    for size in NGRAM_SIZES[cjk]:
        for start in range(len(words) - size + 1):
            gram = words[start : start + size]
            if cjk:
                if all(CJK_CHAR.match(word) for word in gram):
                    grams.add("".join(gram))
            elif _edge_word(gram[0]) and _edge_word(gram[-1]):
                grams.add(" ".join(gram).lower())
    return grams


def _edge_word(word):
    return word.isalpha() and word.lower() not in FUNCTION_WORDS


def dice(project, source_term, target_term):
    """How strongly `source_term` in a source goes with `target_term` in its person's
    translation, over the project's confirmed and approved segments."""
    confirmed = Segment.objects.filter(
        document__project=project,
        status__in=(Segment.Status.TRANSLATED, Segment.Status.APPROVED),
    )
    has_source = Q(source__icontains=source_term)
    has_target = Q(target__contains=target_term)
    counts = confirmed.aggregate(
        with_source=Count("pk", filter=has_source),
        with_target=Count("pk", filter=has_target),
        both=Count("pk", filter=has_source & has_target),
    )
    total = counts["with_source"] + counts["with_target"]
    return 2 * counts["both"] / total if total else 0.0
