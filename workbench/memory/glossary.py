"""The glossary as the editor, the agents and QA use it: which terms occur in a text,
and whether a translation keeps to them.

A project's terms are compiled once into a `Termbase` (a dictionary keyed on the first
word, or on the text itself for Chinese and Japanese) and kept per process until a term
changes; the only query per call is a one-row fingerprint. Callers that walk a whole
document take `termbase_for(project)` once and call its methods per segment.
"""

import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from workbench.projects.languages import is_cjk, primary_language
from workbench.projects.models import Project

from .models import Term

# A word, or one punctuation mark; whitespace only separates. So “Court of\nAppeal”
# matches the term “Court of Appeal”, and “appeal” never matches inside “appealable”.
TOKEN = re.compile(r"\w+|[^\w\s]")
VOWELS = set("aeiou")
CACHED_PROJECTS = 64
NOUN_TAGS = {"noun", "n", "n.", "proper noun", "propernoun"}
UNINFLECTED_TAGS = {"adjective", "adj", "adj.", "adverb", "adv", "adv.", "other"}


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a text; `text[start:end]` is the form found there."""

    term: Term
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TermProblem:
    """A translation that does not keep to the glossary.

    For MISSING the span is where the source term occurs in the source; for FORBIDDEN
    it is where the forbidden term occurs in the target.
    """

    MISSING = "missing"
    FORBIDDEN = "forbidden"

    kind: str
    term: Term
    start: int
    end: int
    message: str


def fold(text):
    """Lower case, character for character, so spans in the folded text are spans in the
    original (str.lower can lengthen a string: “İ” becomes two characters)."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def english_forms(word, part_of_speech=""):
    """The word and its regular inflections: plural / third person, -ed, -ing, -ings.

    Generous on purpose (both “visited” and “visitted”): a form that is not English never
    occurs in a judgment, while a missed form hides a term from the translator.
    """
    pos = part_of_speech.strip().lower()
    if not word.isalpha() or len(word) < 2 or pos in UNINFLECTED_TAGS:
        return {word}
    lower = word.lower()
    forms = {word}
    consonant_y = lower.endswith("y") and lower[-2] not in VOWELS
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif consonant_y:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    if pos in NOUN_TAGS:
        return forms
    if lower.endswith("ie"):  # die: died, dying
        forms |= {word + "d", word[:-2] + "ying"}
    elif lower.endswith("ee"):  # agree: agreed, agreeing
        forms |= {word + "d", word + "ing", word + "ings"}
    elif lower.endswith("e"):  # convince: convinced, convincing
        forms |= {word + "d", word[:-1] + "ing", word[:-1] + "ings"}
    elif consonant_y:  # apply: applied, applying
        forms |= {word[:-1] + "ied", word + "ing", word + "ings"}
    else:  # convict: convicted; commit: committed
        stems = {word}
        if lower[-1] not in VOWELS | set("wxy") and lower[-2] in VOWELS:
            stems.add(word + word[-1])
        for stem in stems:
            forms |= {stem + "ed", stem + "ing", stem + "ings"}
    return forms


def is_cjk_character(char):
    # CJK ideographs and extensions, kana, hangul, CJK punctuation and full-width forms.
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


class _Matcher:
    """Finds the terms of one language in a text, longest first, without overlaps."""

    def __init__(self, language, entries):
        """`entries`: (term text, Term) pairs; the text is the side in `language`."""
        self.by_characters = is_cjk(language)
        self.inflects = primary_language(language) == "en"
        self.folded = defaultdict(list)
        self.exact = defaultdict(list)
        if self.by_characters:
            self._index_strings(entries)
        else:
            self._index_words(entries)

    def _index_strings(self, entries):
        for text, term in entries:
            table = self.exact if term.case_sensitive else self.folded
            table[text if term.case_sensitive else fold(text)].append(term)
        self.lengths = sorted({len(key) for key in (*self.folded, *self.exact)}, reverse=True)
        # Most characters of a text start no term; they are skipped with one set lookup.
        self.first_characters = {key[0] for key in (*self.folded, *self.exact)}

    def _index_words(self, entries):
        variants = defaultdict(list)
        for text, term in entries:
            words = TOKEN.findall(text if term.case_sensitive else fold(text))
            if not words:
                continue
            last = words[-1]
            forms = english_forms(last, term.part_of_speech) if self.inflects else {last}
            for form in forms:
                variants[(term.case_sensitive, (*words[:-1], form))].append(term)
        for (case_sensitive, words), terms in variants.items():
            table = self.exact if case_sensitive else self.folded
            table[words[0]].append((words, terms))

    def find(self, text, overlapping=False):
        """[(start, end, [Term, ...])] in text order."""
        if not text or not (self.folded or self.exact):
            return []
        if self.by_characters:
            return self._find_strings(text, overlapping)
        return self._find_words(text, overlapping)

    def _find_strings(self, text, overlapping):
        found, folded, position = [], fold(text), 0
        starts = self.first_characters
        while position < len(text):
            advance = 1
            if folded[position] not in starts and text[position] not in starts:
                position += 1
                continue
            for length in self.lengths:
                end = position + length
                if end > len(text):
                    continue
                terms = [
                    *self.folded.get(folded[position:end], ()),
                    *self.exact.get(text[position:end], ()),
                ]
                if terms and self._stands_alone(text, position, end):
                    found.append((position, end, terms))
                    if not overlapping:
                        advance = length
                        break
            position += advance
        return found

    @staticmethod
    def _stands_alone(text, start, end):
        """A Latin word inside Chinese text (“HKSAR”) must not match inside a longer
        Latin word (“HKSARG”); Chinese characters need no boundary."""

        def latin(char):
            return (char.isalnum() or char == "_") and not is_cjk_character(char)

        if latin(text[start]) and start > 0 and latin(text[start - 1]):
            return False
        return not (latin(text[end - 1]) and end < len(text) and latin(text[end]))

    def _find_words(self, text, overlapping):
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        exact = [token for _, _, token in tokens]
        folded = [fold(token) for token in exact]
        found, position = [], 0
        while position < len(tokens):
            matches = defaultdict(list)  # length in words -> terms
            for table, words_of_text in ((self.folded, folded), (self.exact, exact)):
                for words, terms in table.get(words_of_text[position], ()):
                    end = position + len(words)
                    if tuple(words_of_text[position:end]) == words:
                        matches[len(words)].extend(terms)
            advance = 1
            for length in sorted(matches, reverse=True):
                start, end = tokens[position][0], tokens[position + length - 1][1]
                found.append((start, end, matches[length]))
                if not overlapping:
                    advance = length
                    break
            position += advance
        return found


class Termbase:
    """A project's glossary compiled for lookups in both directions."""

    def __init__(self, terms, source_language, target_language):
        terms = list(terms)
        self.source = _Matcher(source_language, [(t.source_term, t) for t in terms])
        self.target = _Matcher(target_language, [(t.target_term, t) for t in terms])
        self.preferred_for = defaultdict(list)  # folded source term -> preferred Terms
        for term in terms:
            if term.status == Term.Status.PREFERRED:
                self.preferred_for[fold(term.source_term)].append(term)

    def recognise(self, text):
        """Every glossary term in `text`: one TermHit per entry, preferred first."""
        return [
            TermHit(term, start, end, text[start:end])
            for start, end, terms in self.source.find(text)
            for term in sorted(terms, key=lambda t: (t.status_rank, t.target_term))
        ]

    def check(self, source, target):
        """Problems of `target` as a translation of `source`: a preferred term whose source
        occurs but neither it nor an admitted alternative is used; a forbidden term used."""
        source_spans = self.source.find(source)
        used = {
            term.pk for _, _, terms in self.target.find(target, overlapping=True) for term in terms
        }
        sources_present = {term.pk for _, _, terms in source_spans for term in terms}
        problems, reported = [], set()
        for start, end, terms in source_spans:
            required = [t for t in terms if t.status == Term.Status.PREFERRED]
            allowed = {t.pk for t in terms if not t.is_forbidden}
            key = frozenset(t.pk for t in required)
            if not required or allowed & used or key in reported:
                continue
            reported.add(key)
            wanted = " or ".join(f"“{t.target_term}”" for t in required)
            problems.append(
                TermProblem(
                    TermProblem.MISSING,
                    required[0],
                    start,
                    end,
                    f"“{source[start:end]}” should be translated as {wanted} (glossary); "
                    "the translation uses none of the allowed terms.",
                )
            )
        for start, end, terms in self.target.find(target):
            # The same words may be right for another source term that does occur.
            if any(not t.is_forbidden and t.pk in sources_present for t in terms):
                continue
            for term in (t for t in terms if t.is_forbidden):
                if (term.target_term, term.source_term) in reported:
                    continue
                reported.add((term.target_term, term.source_term))
                instead = self.preferred_for.get(fold(term.source_term))
                advice = (
                    "use " + " or ".join(f"“{t.target_term}”" for t in instead)
                    if instead
                    else "choose another translation"
                )
                problems.append(
                    TermProblem(
                        TermProblem.FORBIDDEN,
                        term,
                        start,
                        end,
                        f"“{target[start:end]}” is a forbidden translation of "
                        f"“{term.source_term}” (glossary); {advice}.",
                    )
                )
        return problems


_compiled = OrderedDict()  # project pk -> (fingerprint, Termbase), least recently used first
_compiled_lock = threading.Lock()


def termbase_for(project):
    """The project's compiled Termbase, rebuilt only when a term was added, changed or
    deleted, or the project's languages changed."""
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
