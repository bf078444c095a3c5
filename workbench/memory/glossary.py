"""A project's glossary as the editor, the agents and QA use it. The matcher itself is
`agents.glossary` (free of Django, shared with the agents' checks and `qa_check`); this
module feeds it the project's `Term` rows.

A project's terms are compiled once into a `Termbase` and kept per process until a term
changes; the only query per call is a one-row fingerprint. Callers that walk a whole
document take `termbase_for(project)` once and call its methods per segment; a step that
consults the glossary from several places and changes no term (a person's save: QA gate,
issues, consistency) runs within `glossary_read_once()`, which asks for the fingerprint
once per project.
"""

import threading
from collections import OrderedDict, defaultdict

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from agents.glossary import Termbase, TermHit, TermProblem, english_forms, fold
from workbench.projects.models import Project
from workbench.step_memo import StepMemo

from .models import Term

__all__ = [
    "TermHit",
    "TermProblem",
    "Termbase",
    "check_terms",
    "english_forms",
    "fold",
    "glossary_read_once",
    "highlight",
    "merge_terms",
    "recognise_terms",
    "termbase_for",
]

CACHED_PROJECTS = 64


_compiled = OrderedDict()  # project pk -> (fingerprint, Termbase), least recently used first
_compiled_lock = threading.Lock()
_read_once = StepMemo("glossary_read_once")  # (project pk, pair) -> Termbase
# Within the block, each project's glossary is checked for changes once: for a step that
# reads it from several places and changes no term itself.
glossary_read_once = _read_once.step


def termbase_for(project):
    """The project's compiled Termbase, rebuilt only when a term was added, changed or
    deleted, or the project's languages changed."""
    key = (project.pk, project.source_language, project.target_language)
    return _read_once.get(key, lambda: _current_termbase(project))


def _current_termbase(project):
    state = project.terms.aggregate(count=Count("pk"), changed=Max("updated_at"), last=Max("pk"))
    fingerprint = (project.source_language, project.target_language, *state.values())
    with _compiled_lock:
        cached = _compiled.get(project.pk)
        if cached and cached[0] == fingerprint:
            _compiled.move_to_end(project.pk)
            return cached[1]
    termbase = Termbase(
        Term.objects.filter(project=project), project.source_language, project.target_language
    )
    with _compiled_lock:
        _compiled[project.pk] = (fingerprint, termbase)
        _compiled.move_to_end(project.pk)
        while len(_compiled) > CACHED_PROJECTS:
            _compiled.popitem(last=False)
    return termbase


def recognise_terms(text, project):
    """The glossary terms in `text` (a source segment) with their spans."""
    return termbase_for(project).recognise(text)


def check_terms(source, target, project):
    """Glossary problems of `target` as the translation of `source`."""
    return termbase_for(project).check(source, target)


def highlight(text, hits):
    """Split `text` into (piece, [TermHit, ...] or None) for templates to mark up without
    trusting the text as HTML."""
    pieces, position = [], 0
    spans = defaultdict(list)
    for hit in hits:
        spans[(hit.start, hit.end)].append(hit)
    for (start, end), group in sorted(spans.items()):
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], group))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


# What an import may set on a term; the pair itself is the key.
IMPORTED_FIELDS = ["part_of_speech", "note", "domain", "case_sensitive", "status"]


def merge_terms(project, rows, user=None):
    """Add the terms of an import, or update the entry with the same source and target.

    `rows` are dicts of checked values holding source_term, target_term and whichever
    IMPORTED_FIELDS the file gave; a field it did not give keeps its value. All or
    nothing, in one transaction; the project row is locked so two imports into one
    glossary run one after the other. Returns (added, updated).
    """
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        existing = {(t.source_term, t.target_term): t for t in project.terms.all()}
        added, updated = {}, {}
        for fields in rows:
            key = (fields["source_term"], fields["target_term"])
            term = existing.get(key) or added.get(key)
            if term is None:
                term = added[key] = Term(project=project, created_by=user)
            elif key in existing:
                updated[key] = term
            for name, value in fields.items():
                setattr(term, name, value)
        now = timezone.now()
        for term in updated.values():
            term.updated_at = now
        Term.objects.bulk_create(added.values(), batch_size=1000)
        Term.objects.bulk_update(updated.values(), [*IMPORTED_FIELDS, "updated_at"], batch_size=500)
    return len(added), len(updated)
