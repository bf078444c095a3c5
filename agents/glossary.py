"""The glossary matcher: which terms occur in a text, and whether a translation keeps to
them. The editor's term recognition, its live QA, the agents' checks and `qa_check` all
use this one, so they cannot disagree.

A term is any object with `source_term`, `target_term` and `status` ("preferred",
"admitted" or "forbidden"), and optionally `case_sensitive` and `part_of_speech`: the
workbench passes its `Term` rows, the agents their `GlossaryConstraint`s. Terms are
compiled once into a `Termbase` (a dictionary keyed on the first word, or on the text
itself for Chinese and Japanese); a caller that checks many segments keeps it.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from agents.languages import is_cjk, is_cjk_character, primary_language

# A word, or one punctuation mark; whitespace only separates. So “Court of\nAppeal”
# matches the term “Court of Appeal”, and “appeal” never matches inside “appealable”.
TOKEN = re.compile(r"\w+|[^\w\s]")
VOWELS = set("aeiou")
NOUN_TAGS = {"noun", "n", "n.", "proper noun", "propernoun"}
UNINFLECTED_TAGS = {"adjective", "adj", "adj.", "adverb", "adv", "adv.", "other"}
PREFERRED, ADMITTED, FORBIDDEN = "preferred", "admitted", "forbidden"
# Preferred first: it is the one a translator is asked to use.
STATUS_ORDER = {PREFERRED: 0, ADMITTED: 1, FORBIDDEN: 2}


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a text; `text[start:end]` is the form found there."""

    term: Any
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
    term: Any
    start: int
    end: int
    message: str
    # The target's words, for a forbidden term; the preferred renderings, for a missing one.
    span: str = ""
    wanted: tuple[str, ...] = ()


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


def _case_sensitive(term) -> bool:
    return bool(getattr(term, "case_sensitive", False))


class _Matcher:
    """Finds the terms of one language in a text, longest first, without overlaps.
    Terms are numbered by their place in the termbase."""

    def __init__(self, language, entries):
        """`entries`: (term text, number, term) triples; the text is the side in
        `language`. Without a language, the terms' own script decides: Chinese terms are
        found by their characters, others as English words."""
        if language:
            self.by_characters = is_cjk(language)
            self.inflects = primary_language(language) == "en"
        else:
            self.by_characters = any(is_cjk_character(c) for text, _, _ in entries for c in text)
            self.inflects = not self.by_characters
        self.folded = defaultdict(list)
        self.exact = defaultdict(list)
        if self.by_characters:
            self._index_strings(entries)
        else:
            self._index_words(entries)

    def _index_strings(self, entries):
        for text, number, term in entries:
            if not text:
                continue
            case_sensitive = _case_sensitive(term)
            table = self.exact if case_sensitive else self.folded
            table[text if case_sensitive else fold(text)].append(number)
        self.lengths = sorted({len(key) for key in (*self.folded, *self.exact)}, reverse=True)
        # Most characters of a text start no term; they are skipped with one set lookup.
        self.first_characters = {key[0] for key in (*self.folded, *self.exact)}

    def _index_words(self, entries):
        variants = defaultdict(list)
        for text, number, term in entries:
            case_sensitive = _case_sensitive(term)
            words = TOKEN.findall(text if case_sensitive else fold(text))
            if not words:
                continue
            last = words[-1]
            pos = getattr(term, "part_of_speech", "") or ""
            forms = english_forms(last, pos) if self.inflects else {last}
            for form in forms:
                variants[(case_sensitive, (*words[:-1], form))].append(number)
        for (case_sensitive, words), numbers in variants.items():
            table = self.exact if case_sensitive else self.folded
            table[words[0]].append((words, numbers))

    def find(self, text, overlapping=False):
        """[(start, end, [number, ...])] in text order."""
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
                numbers = [
                    *self.folded.get(folded[position:end], ()),
                    *self.exact.get(text[position:end], ()),
                ]
                if numbers and self._stands_alone(text, position, end):
                    found.append((position, end, numbers))
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
            matches = defaultdict(list)  # length in words -> term numbers
            for table, words_of_text in ((self.folded, folded), (self.exact, exact)):
                for words, numbers in table.get(words_of_text[position], ()):
                    end = position + len(words)
                    if tuple(words_of_text[position:end]) == words:
                        matches[len(words)].extend(numbers)
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
    """A glossary compiled for lookups in both directions. A language left as None is
    judged by the terms' own script."""

    def __init__(self, terms, source_language=None, target_language=None):
        self.terms = list(terms)
        numbered = list(enumerate(self.terms))
        self.source = _Matcher(source_language, [(t.source_term, n, t) for n, t in numbered])
        self.target = _Matcher(target_language, [(t.target_term, n, t) for n, t in numbered])
        self.preferred_for = defaultdict(list)  # folded source term -> preferred terms
        for term in self.terms:
            if term.status == PREFERRED:
                self.preferred_for[fold(term.source_term)].append(term)

    def __len__(self):
        return len(self.terms)

    def recognise(self, text):
        """Every glossary term in `text`: one TermHit per entry, preferred first."""
        return [
            TermHit(term, start, end, text[start:end])
            for start, end, numbers in self.source.find(text)
            for term in sorted(
                (self.terms[n] for n in numbers),
                key=lambda t: (STATUS_ORDER.get(t.status, 1), t.target_term),
            )
        ]

    def terms_in(self, text):
        """The terms whose source term occurs in `text`, in glossary order."""
        numbers = {n for _, _, found in self.source.find(text, overlapping=True) for n in found}
        return [self.terms[n] for n in sorted(numbers)]

    def check(self, source, target):
        """Problems of `target` as a translation of `source`: a preferred term whose source
        occurs but neither it nor an admitted alternative is used; a forbidden term used."""
        source_spans = self.source.find(source)
        used = {n for _, _, found in self.target.find(target, overlapping=True) for n in found}
        sources_present = {n for _, _, found in source_spans for n in found}
        problems, reported = [], set()
        for start, end, numbers in source_spans:
            required = [n for n in numbers if self.terms[n].status == PREFERRED]
            allowed = {n for n in numbers if self.terms[n].status != FORBIDDEN}
            key = frozenset(required)
            if not required or allowed & used or key in reported:
                continue
            reported.add(key)
            wanted = tuple(self.terms[n].target_term for n in required)
            problems.append(
                TermProblem(
                    TermProblem.MISSING,
                    self.terms[required[0]],
                    start,
                    end,
                    f"“{source[start:end]}” should be translated as "
                    + " or ".join(f"“{w}”" for w in wanted)
                    + " (glossary); the translation uses none of the allowed terms.",
                    wanted=wanted,
                )
            )
        for start, end, numbers in self.target.find(target):
            # The same words may be right for another source term that does occur.
            if any(self.terms[n].status != FORBIDDEN and n in sources_present for n in numbers):
                continue
            for term in (self.terms[n] for n in numbers if self.terms[n].status == FORBIDDEN):
                if (term.target_term, term.source_term) in reported:
                    continue
                reported.add((term.target_term, term.source_term))
                instead = tuple(
                    t.target_term for t in self.preferred_for.get(fold(term.source_term), ())
                )
                advice = (
                    "use " + " or ".join(f"“{w}”" for w in instead)
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
                        span=target[start:end],
                        wanted=instead,
                    )
                )
        return problems
