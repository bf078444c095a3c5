"""What the agents are given for a batch of a document: the language pair and models, the
document brief, neighbouring segments with people's translations, glossary constraints,
TM hints, few-shot corrections and the project's lessons; with personal data replaced by
placeholders when the project says so (pseudonyms.py)."""

from agents.context import (
    BatchInput,
    GlossaryConstraint,
    LanguagePair,
    Neighbour,
    RoleModels,
    SegmentInput,
    TMHint,
)
from agents.graph import make_brief
from agents.llm import LLMError
from agents.schemas import DocumentBrief, stored_brief
from workbench.feedback.learning import lessons_for, similar_corrections
from workbench.feedback.models import Correction
from workbench.memory.glossary import termbase_for
from workbench.memory.lookup import lookup, memories_of
from workbench.memory.models import TranslationUnit

from .pseudonyms import Pseudonymiser, applies_to, names_in_heading, names_of

BRIEF_SEGMENTS = 40  # the opening of a judgment names the court, parties and judges
NEIGHBOURS = 2
EXAMPLES = 4
TM_HINTS = 2
# Tokens of segments per Translator call, as in agents.context.BatchInput, and what a
# batch leaves of it for its context (brief, neighbours, glossary, examples), so that a
# batch is usually one Translator call.
TOKEN_BUDGET = 3000
CONTEXT_ALLOWANCE = 800

EMPTY_BRIEF = DocumentBrief(
    court="",
    case_number="",
    parties=[],
    judges=[],
    defined_terms=[],
    key_terms=[],
    notes="",
)


def language_pair(project):
    return LanguagePair(project.source_language, project.target_language)


def role_models(project):
    return RoleModels(
        translator=project.model_for("translator"),
        annotator=project.model_for("annotator"),
        proofreader=project.model_for("proofreader"),
        brief=project.model_for("brief"),
    )


def brief_of(document):
    """The document's brief, or None when it has none (or none that fits the form)."""
    return stored_brief(document.brief)


def pseudonymiser_for(document, brief=None):
    """The document's Pseudonymiser when its project replaces personal data, else None.
    Its names are those of the brief, of the parties' lines in the heading, and of the
    briefs of the project's other documents (their text can reach the agents as examples
    and TM hints)."""
    if not applies_to(document.project):
        return None
    names = names_of(brief or brief_of(document)) + names_in_heading(document)
    for other in document.project.documents.exclude(pk=document.pk).exclude(brief={}):
        names += names_of(brief_of(other))
    return Pseudonymiser(document, names)


class BriefOrder:
    """The document's brief for the batches of one job, made once from the opening
    segments of a document that has none. The model writes it in a pool thread while the
    job's thread gathers the first batches, which wait for it in their own threads, so
    the model call is the only wait. When the model cannot make one the batches go
    without (an empty brief, so no batch tries again).

    When the project replaces personal data, the excerpt goes out with placeholders and
    the job's thread waits for the brief and stores it first: the names in it must be
    replaced in every batch, and the batches give it out as placeholders too."""

    def __init__(self, document, llm, pool):
        self.document = document
        self.given = brief_of(document)
        self.made = None
        pseudonyms = pseudonymiser_for(document, self.given)
        if self.given is None:
            project = document.project
            opening = document.segments.order_by("position").values_list("source", flat=True)
            excerpt = "\n".join(opening[:BRIEF_SEGMENTS])
            self.made = pool.submit(
                _make_brief,
                language_pair(project),
                pseudonyms.mask(excerpt) if pseudonyms else excerpt,
                llm,
                project.model_for("brief"),
            )
        self.sent = None
        if pseudonyms is not None:
            if self.made is not None:
                answer, self.made = self.made.result(), None
                if answer is not EMPTY_BRIEF:
                    self.given = pseudonyms.restore_brief(answer)
                    self._store(self.given)
            pseudonyms = pseudonymiser_for(document, self.given)
            self.sent = pseudonyms.mask_brief(self.given or EMPTY_BRIEF)

    def result(self):
        """The brief as the batches send it, once the model has written it."""
        if self.sent is not None:
            return self.sent
        return self.given if self.made is None else self.made.result()

    def keep(self):
        """In the job's thread: store the brief the model made on the document."""
        if self.made is None or self.made.result() is EMPTY_BRIEF:
            return
        self._store(self.made.result())

    def _store(self, brief):
        self.document.brief = brief.model_dump()
        self.document.save(update_fields=["brief"])


def _make_brief(pair, excerpt, llm, model):
    try:
        brief, _ = make_brief(pair, excerpt, llm, model)
    except LLMError:
        return EMPTY_BRIEF
    return brief


def glossary_for(termbase, text):
    found = {}
    for hit in termbase.recognise(text):
        term = hit.term
        found[(term.source_term, term.target_term)] = GlossaryConstraint(
            term.source_term, term.target_term, term.status
        )
    return list(found.values())


def few_shot_examples(project, sources):
    """Earlier corrections to show the Translator: confirmed or approved segments whose
    person's text differs from the machine text it started from, the most alike to
    `sources` first."""
    return similar_corrections(project, sources, limit=EXAMPLES)


def tm_hints(segments, project):
    return {
        str(segment.pk): [
            TMHint(source=match.source, target=match.target, percent=match.percent)
            for match in lookup(segment, project, limit=TM_HINTS)
        ]
        for segment in segments
    }


def is_human(segment):
    return not segment.machine_writable and bool(segment.target)


class DraftingContext:
    """What every batch of one document shares, looked up once per job."""

    def __init__(self, document):
        project = document.project
        self.document = document
        self.pair = language_pair(project)
        self.models = role_models(project)
        self.termbase = termbase_for(project)
        self.has_memory = TranslationUnit.objects.filter(memory__in=memories_of(project)).exists()
        # Without corrections the search for examples, a trigram query per batch, can
        # only come back empty.
        self.has_corrections = Correction.objects.current().filter(project=project).exists()
        self.lessons = lessons_for(project)
        self.pseudonyms = pseudonymiser_for(document)

    def batch_input(self, segments):
        """The BatchInput for consecutive `segments`: people's translations inside their
        span are fixed context, and the segments around it are neighbours. The brief is
        added in the batch's thread (see BriefOrder)."""
        first, last = segments[0].position, segments[-1].position
        around = list(
            self.document.segments.filter(
                position__gte=first - NEIGHBOURS, position__lte=last + NEIGHBOURS
            ).order_by("position")
        )
        drafting = {segment.pk for segment in segments}
        fixed = [
            SegmentInput(
                id=str(s.pk),
                source=s.source,
                human_target=s.target,
                kind=s.kind,
                paragraph_number=s.paragraph_number,
            )
            for s in around
            if first < s.position < last and s.pk not in drafting and is_human(s)
        ]
        sources = [segment.source for segment in segments]
        batch = BatchInput(
            pair=self.pair,
            segments=[
                SegmentInput(
                    id=str(s.pk), source=s.source, kind=s.kind, paragraph_number=s.paragraph_number
                )
                for s in segments
            ]
            + fixed,
            models=self.models,
            before=[neighbour(s) for s in around if s.position < first],
            after=[neighbour(s) for s in around if s.position > last],
            glossary=glossary_for(self.termbase, "\n".join(sources)),
            tm_hints=tm_hints(segments, self.document.project) if self.has_memory else {},
            examples=few_shot_examples(self.document.project, sources)
            if self.has_corrections
            else [],
            lessons=self.lessons,
            token_budget=TOKEN_BUDGET,
        )
        return self.pseudonyms.mask_batch(batch) if self.pseudonyms else batch


def neighbour(segment):
    human = is_human(segment)
    return Neighbour(source=segment.source, target=segment.target if human else "", is_human=human)
