"""How much a person changed machine text: the effort figures of a correction, and the
word-by-word difference shown on the corrections page and read for glossary candidates.

Texts are compared as tokens: a Chinese, Japanese or Korean character is a token of its
own (those scripts put no spaces between words), any other run of letters and digits is
one word, and every other visible character is a token. So one tokenizer serves every
language pair, and mixed text ("根據 Cap. 210 第9條") too.
"""

from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein
from sacrebleu.metrics import CHRF, TER

from agents.languages import CJK_LETTERS, is_cjk

TOKEN = regex.compile(rf"[{CJK_LETTERS}]|[^\W_{CJK_LETTERS}]+|\S")
# TER searches for block shifts, which grows much faster than the text: a 4,000-character
# Chinese segment takes seconds. Longer texts get no TER rather than hold up a save.
MAX_TER_CHARS = 1000
# A replaced span longer than this is a rewritten sentence, not a term.
MAX_TERM_TOKENS = {True: 8, False: 4}

# sacrebleu's TER as HTER: the machine text is the hypothesis, the person's text the
# reference. Chinese and Japanese need the Asian tokenization, or a sentence is one word.
_TER = {True: TER(normalized=True, asian_support=True), False: TER()}
_CHRF = CHRF()


@dataclass(frozen=True)
class Effort:
    edit_distance: int
    hter: float | None  # edits per word of the person's text: 0 = accepted unchanged
    ter_signature: str
    chrf: float  # 0–100, as sacrebleu reports it
    chrf_signature: str


def measure(machine_text, final_text, target_language):
    """The effort figures for a person turning `machine_text` into `final_text`."""
    cjk = is_cjk(target_language)
    hter, ter_signature = None, ""
    if max(len(machine_text), len(final_text)) <= MAX_TER_CHARS:
        ter = _TER[cjk]
        hter = ter.sentence_score(machine_text, [final_text]).score / 100
        ter_signature = str(ter.get_signature())
    return Effort(
        edit_distance=Levenshtein.distance(machine_text, final_text),
        hter=hter,
        ter_signature=ter_signature,
        chrf=_CHRF.sentence_score(machine_text, [final_text]).score,
        chrf_signature=str(_CHRF.get_signature()),
    )


def tokens(text):
    """(start, end) of each token of `text`."""
    return [match.span() for match in TOKEN.finditer(text)]


def _opcodes(old, new):
    """Token spans of both texts and the (tag, i1, i2, j1, j2) runs between them, with
    each stretch of changes between two unchanged tokens as one "replace" (or a pure
    "delete" or "insert"), so "convicted" → "found guilty" is one change."""
    old_spans, new_spans = tokens(old), tokens(new)
    aligned = Levenshtein.opcodes(
        [old[start:end] for start, end in old_spans],
        [new[start:end] for start, end in new_spans],
    )
    runs = []
    for op in aligned:
        tag = op.tag
        if tag != "equal" and runs and runs[-1][0] != "equal":
            _, i1, _, j1, _ = runs.pop()
            tag = "replace" if (op.src_end > i1 and op.dest_end > j1) else tag
            runs.append((tag, i1, op.src_end, j1, op.dest_end))
        else:
            runs.append((tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return old_spans, new_spans, runs


def _piece(text, spans, first, last):
    """The text of tokens first..last-1 with the blanks after them, so that the pieces
    of a diff put together give the whole text back."""
    if first == last:
        return ""
    start = 0 if first == 0 else spans[first][0]
    end = spans[last][0] if last < len(spans) else len(text)
    return text[start:end]


def diff(old, new):
    """[(op, text)]: "equal", "delete" (only in `old`) or "insert" (only in `new`)."""
    old_spans, new_spans, opcodes = _opcodes(old, new)
    pieces = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            # The same tokens; the blanks after them may differ, and a deletion that
            # follows reads better after a space.
            pieces.append(
                (
                    "equal",
                    max(_piece(new, new_spans, j1, j2), _piece(old, old_spans, i1, i2), key=len),
                )
            )
            continue
        if tag in ("replace", "delete"):
            pieces.append(("delete", _piece(old, old_spans, i1, i2)))
        if tag in ("replace", "insert"):
            pieces.append(("insert", _piece(new, new_spans, j1, j2)))
    return pieces


def replaced_terms(machine_text, final_text, target_language):
    """{(machine span, final span)}: the words (or runs of characters in Chinese) a
    person put in place of the machine's, where both are short enough to be a term and
    contain letters; numbers and punctuation are corrections, not terminology."""
    limit = MAX_TERM_TOKENS[is_cjk(target_language)]
    old_spans, new_spans, opcodes = _opcodes(machine_text, final_text)
    found = set()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace" or i2 - i1 > limit or j2 - j1 > limit:
            continue
        old = machine_text[old_spans[i1][0] : old_spans[i2 - 1][1]]
        new = final_text[new_spans[j1][0] : new_spans[j2 - 1][1]]
        if _has_letters(old) and _has_letters(new):
            found.add((old, new))
    return found


def _has_letters(text):
    return any(char.isalpha() for char in text)
