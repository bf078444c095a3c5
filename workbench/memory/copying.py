"""What a project set up from a template takes of the template's glossary and memories.

The glossary is copied (each project then keeps its own terms: a term changed in one
does not change the other). The memories are shared, not copied: the new project reads
the template's own memory and every shared memory the template reads, so approved work in
either project helps both and no unit exists twice."""

from django.db.models import Q

from .models import Term, TranslationMemory

TERM_FIELDS = [
    "source_term",
    "target_term",
    "part_of_speech",
    "note",
    "domain",
    "case_sensitive",
    "status",
]


def copy_from_template(project, template, by):
    Term.objects.bulk_create(
        Term(project=project, created_by=by, **values)
        for values in template.terms.order_by("pk").values(*TERM_FIELDS)
    )
    for memory in TranslationMemory.objects.filter(Q(owner=template) | Q(readers=template)):
        memory.readers.add(project)
