"""Cutting a paragraph into sentences, and counting its words.

`split_segments` returns pieces whose concatenation is the paragraph, character for
character; each piece keeps the whitespace after it and the import service strips it.

A wrong cut costs more than a missed one: it puts half a citation or half a name in front
of the translator and into the translation memory, while a missed cut only makes a longer
segment. So every rule here errs towards not cutting:

- Languages written with spaces (English, French, ...) cut after . ? ! (and any closing
  quotes or brackets) when whitespace and a plausible sentence start follow: an upper-case
  letter, a digit, or a letter of a script without case. Never after the abbreviations
  listed below (so "Chan J. The" stays whole: a judge's title ends a sentence less often
  than it stands before one), an initial ("A. B. Smith"), a dotted acronym ("W.L.R. 1234",
  "the U.S. Supreme Court"), nor before a bracketed year ("Re ABC Ltd. [2008]"). The list
  applies to every such language: judgments cite authorities the English way ("v.",
  "Cap.", "para.") whatever the language of the prose around them. An ellipsis ("...")
  marks an omission inside a quotation, not an end.
- Chinese and Japanese cut after 。！？；｡ (and ! ? typed half-width before non-ASCII
  text), taking closing quotes and brackets (」』”’）】〕》) along, with no whitespace
  needed. A half-width "." never ends a Chinese sentence: there it belongs to an embedded
  English abbreviation, name or number ("HKSAR v. Chan", "Co. Ltd.的董事").
- Brackets and quotations: no cut inside one that opened in the middle of a sentence, so a
  judge quoting several sentences inside his own stays one segment, in either script. A
  quotation or bracket that opens the segment is a passage standing on its own (a block
  quotation, a parenthetical paragraph) and is cut into its sentences. Only brackets and
  quotes that close again count, so a stray "(" cannot glue a whole paragraph together.
  Straight single quotes are not tracked: they are apostrophes far more often.
- Inline codes: a footnote reference after a stop stays with its sentence
  ("dismissed.⟦1⟧"), and there is no cut inside a pair of codes ("⟦2⟧…⟦/2⟧"), whose halves
  must stay in one segment.
- A piece always contains a letter: "1. The first issue" stays whole.

Korean is written with spaces and Western punctuation and is cut like English. In every
language the full-width stops end a sentence, so Chinese quoted in an English judgment is
cut as Chinese.

A segment has a maximum length (`bounded_segments`): a longer paragraph is cut into runs
of whole sentences, and a longer sentence at its clause breaks (; : , and their
full-width forms, and 、), each run as long as the limit allows. A stretch with no break
at all that is longer than the limit cannot become a segment (`SegmentTooLong`): no one
can translate, search or match it.
"""

import heapq
import re
from itertools import pairwise

import regex

from agents.languages import CJK_LETTERS, is_cjk, written_without_spaces
from workbench.documents.placeholders import TOKEN

PAIRS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "［": "］",
    "｛": "｝",
    "【": "】",
    "〔": "〕",
    "《": "》",
    "〈": "〉",
}
OPENING = "".join(PAIRS) + '"'
CLOSING = "".join(PAIRS.values()) + "\"'"
OPENER_OF = {closer: opener for opener, closer in PAIRS.items()}

# Never followed by a cut. Entries starting in lower case also match when capitalised at
# the start of a sentence ("Cf.", "Para."); the others match exactly, so "no." still ends
# a sentence while "No." does not.
CITATION_ABBREVIATIONS = (
    "v. vs. s. ss. Cap. cap. para. paras. No. Nos. art. arts. reg. regs. r. rr. O. Ord. "
    "sch. pt. ch. chap. cl. cll. p. pp. fn. fns. n. nn. vol. vols. ed. eds. al. cf. viz. "
    "e.g. i.e. approx."
)
JUDICIAL_TITLES = "J. JJ. CJ. PJ. NPJ. JA. JJA. VP. CJHC. DJ. HHJ. LJ. LJJ."
PARTY_ABBREVIATIONS = "Ltd. Co. Inc. Corp. Bros. Pty. Plc. Ors. Anor."
FORMS_OF_ADDRESS = "Mr. Mrs. Ms. Messrs. Dr. Prof. Hon. St. Sr. Jr."
# Before a number, any casing of a citation abbreviation is one: "FINAL APPEAL NO. 5".
NUMBERED_ABBREVIATIONS = frozenset(word.lower() for word in CITATION_ABBREVIATIONS.split())
ABBREVIATIONS = frozenset(
    " ".join(
        [CITATION_ABBREVIATIONS, JUDICIAL_TITLES, PARTY_ABBREVIATIONS, FORMS_OF_ADDRESS]
    ).split()
)

_WORD = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")
_INITIAL = re.compile(r"[^\W\d_]\.")
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.){2,}")
_BRACKETED_YEAR = re.compile(r"[\[(（［]\d{4}[\])）］]")
_MARKS = re.compile("[" + re.escape(OPENING + "".join(PAIRS.values())) + "]")
_LEAD = re.compile(r"[\s" + re.escape(OPENING) + "]*")

# What a sentence takes along after its stop: closing quotes and brackets, and inline
# codes such as a footnote reference ("dismissed.⟦1⟧").
_TRAILERS = "(?:[" + re.escape(CLOSING) + "]|" + TOKEN.pattern + ")*"
_TRAILING = re.compile(_TRAILERS + "$")
_UNSPACED_STOP = re.compile(r"(?P<stop>(?P<marks>[。！？；｡!?]+)" + _TRAILERS + r")\s*")
# Before these a Chinese sentence is still going on: a comma, another stop, a closer.
_CONTINUING = set("，、：；。！？,;:.!?…‥") | set(CLOSING)

# Scripts counted a character at a time: Han (with 々〆〇), kana, hangul.
_CJK_CHARACTER = regex.compile(f"[{CJK_LETTERS}]")
# A Latin word or a number inside CJK text: "HKCFA", "23", "3.5", "1,000", "s.12".
_WORD_IN_CJK = re.compile(r"[^\W_]+(?:[.,'’/\-][^\W_]+)*")
_WORDLIKE = re.compile(r"[^\W_]")


def split_segments(text, language, mode="sentence"):
    """Cut `text` (one paragraph) into sentences; "".join(result) == text.

    Returns [] for an empty text, never an empty piece. `mode` is a project's
    segmentation: "sentence", or "paragraph" to keep the paragraph whole.
    """
    if mode == "paragraph":
        return [text] if text else []
    if mode != "sentence":
        raise ValueError(f"Unknown segmentation “{mode}”; use “sentence” or “paragraph”.")
    if written_without_spaces(language):
        return _cut(text, _unspaced_stops(text))
    # Full-width stops end a sentence in any language: Chinese quoted in an English judgment.
    return _cut(text, heapq.merge(_spaced_stops(text), _unspaced_stops(text, half_width=False)))


_CLAUSE_BREAK = re.compile(r"[;:,](?=\s)\s*|[；：，、]\s*")


class SegmentTooLong(ValueError):
    """A stretch of text with no sentence or clause break is longer than a segment may be."""

    def __init__(self, run, limit):
        super().__init__(
            f"a stretch of {len(run):,} characters has no sentence or clause break; a segment "
            f"holds at most {limit:,}"
        )
        self.run = run
        self.limit = limit


def bounded_segments(text, language, mode, limit):
    """`split_segments`, with no piece longer than `limit` characters: a longer piece is
    cut into runs of whole sentences, and a longer sentence into runs of whole clauses.
    "".join(result) == text. Raises SegmentTooLong for a run with no break that is longer
    than `limit` by itself."""
    pieces = split_segments(text, language, mode)
    if all(len(piece) <= limit for piece in pieces):
        return pieces
    bounded = []
    for piece in pieces:
        if len(piece) <= limit:
            bounded.append(piece)
            continue
        sentences = split_segments(piece, language) if mode == "paragraph" else [piece]
        runs = []
        for sentence in sentences:
            runs.extend([sentence] if len(sentence) <= limit else _clauses(sentence, limit))
        bounded.extend(_packed(runs, limit))
    return bounded


def _clauses(sentence, limit):
    """The sentence cut after each clause break outside a pair of inline codes; raises
    SegmentTooLong when a clause is still longer than `limit`."""
    inside_pairs = [(opening, closing) for opening, closing, _ in _paired_codes(sentence)]
    cuts = [
        match.end()
        for match in _CLAUSE_BREAK.finditer(sentence)
        if not any(opening < match.end() <= closing for opening, closing in inside_pairs)
    ]
    clauses = [sentence[start:end] for start, end in pairwise([0, *cuts, len(sentence)])]
    clauses = [clause for clause in clauses if clause]
    for clause in clauses:
        if len(clause) > limit:
            raise SegmentTooLong(clause, limit)
    return clauses


def _packed(runs, limit):
    """Consecutive runs joined while the whole stays within `limit`."""
    packed = []
    for run in runs:
        if packed and len(packed[-1]) + len(run) <= limit:
            packed[-1] += run
        else:
            packed.append(run)
    return packed


def count_words(text, language):
    """Words as CAT tools count them, for word counts and rates.

    Languages written with spaces: whitespace-separated tokens holding a letter or digit
    (a lone dash or "§" is not a word). Chinese, Japanese and Korean: every Han, kana or
    hangul character is one word, plus each Latin word or number among them, so
    "見 HKSAR v. Chan [2015] HKCFA 23 案" is 2 + 6.
    """
    if not is_cjk(language):
        return sum(1 for token in text.split() if _WORDLIKE.search(token))
    characters = len(_CJK_CHARACTER.findall(text))
    return characters + len(_WORD_IN_CJK.findall(_CJK_CHARACTER.sub(" ", text)))


def _spaced_stops(text):
    """(end of sentence, start of next) for every plausible sentence end in spaced text."""
    for word, following in pairwise(_WORD.finditer(text)):
        core = _TRAILING.sub("", word.group())
        if not core.endswith((".", "?", "!")) or core.endswith(".."):
            continue
        if _starts_sentence(following.group(), core.lstrip(OPENING)):
            yield word.end(), following.start()


def _starts_sentence(following, last_word):
    """Whether `following` can open a sentence after `last_word` (which ends in . ? !)."""
    if last_word.endswith(".") and (
        _is_abbreviation(last_word)
        or _INITIAL.fullmatch(last_word)
        or _DOTTED_ACRONYM.fullmatch(last_word)
    ):
        return False
    if _BRACKETED_YEAR.match(following):
        return False
    start = following.lstrip(OPENING + "'")[:1]
    if start.isdigit() and last_word.lower() in NUMBERED_ABBREVIATIONS:
        return False
    return start.isdigit() or (start.isalpha() and not start.islower())


def _is_abbreviation(word):
    if word in ABBREVIATIONS:
        return True
    uncapitalised = word[:1].lower() + word[1:]
    return word[:1].isupper() and uncapitalised in ABBREVIATIONS and uncapitalised != word


def _unspaced_stops(text, half_width=True):
    """(end of sentence, start of next) for every sentence end in Chinese or Japanese;
    without `half_width`, only those marked with a full-width stop."""
    for stop in _UNSPACED_STOP.finditer(text):
        following = text[stop.end() : stop.end() + 1]
        if not following or following in _CONTINUING or following.islower():
            continue
        if set(stop.group("marks")) <= {"!", "?"} and (not half_width or following.isascii()):
            continue  # "Why? Because" in an English quotation inside Chinese text
        yield stop.end("stop"), stop.end()


def _enclosures(text):
    """(opening, closing, may stand alone) for every bracket, quotation and paired inline
    code of `text`, in order of opening.

    A pair of codes ("⟦2⟧…⟦/2⟧", a bold or a link) never stands alone: cutting inside it
    would leave each half of the pair in a different segment.
    """
    return sorted([*_quotations(text), *_paired_codes(text)])


def _paired_codes(text):
    opened = {}
    for token in TOKEN.finditer(text):
        closing, number = token.groups()
        if not closing:
            opened[number] = token.start()
        elif number in opened:
            yield opened.pop(number), token.start(), False


def _quotations(text):
    """(opening, closing, True) for every bracket and quotation that closes again.

    A closer ends the innermost open enclosure of its kind; anything opened inside it and
    never closed is dropped, so the spans nest. A right single quote between two letters
    is an apostrophe ("appellant’s"), and a straight double quote closes one that is open.
    """
    open_marks, spans = [], []
    open_count = dict.fromkeys([*PAIRS, '"'], 0)
    for mark in _MARKS.finditer(text):
        char, position = mark.group(), mark.start()
        if char == "’" and _between_letters(text, position):
            continue
        opener = '"' if char == '"' and open_count['"'] else OPENER_OF.get(char)
        if opener is None:
            open_marks.append((char, position))
            open_count[char] += 1
        elif open_count[opener]:
            while True:
                inner, start = open_marks.pop()
                open_count[inner] -= 1
                if inner == opener:
                    break
            spans.append((start, position, True))
    return spans


def _between_letters(text, position):
    return (
        0 < position < len(text) - 1
        and text[position - 1].isalpha()
        and text[position + 1].isalpha()
    )


def _cut(text, stops):
    """Cut at each stop that ends a piece with a letter in it, outside any enclosure that
    opened in mid-sentence.

    Enclosures nest, except that a pair of inline codes may cross a bracket; then the one
    that closed first is taken as open until the other closes, which only means fewer cuts.
    """
    spans = _enclosures(text)
    pieces, start = [], 0
    lead_end = _LEAD.match(text).end()
    enclosing = []  # (closing position, opened at the start of the current piece)
    mid_sentence = 0  # how many of `enclosing` opened in mid-sentence
    next_span = 0
    has_letter, scanned = False, 0
    for end, cut in stops:
        if end <= start:
            continue  # the same stop found by both rules of a spaced language
        if not has_letter:
            has_letter = _LETTER.search(text, scanned, end) is not None
        scanned = end
        while next_span < len(spans) and spans[next_span][0] < end:
            opening, closing, may_stand_alone = spans[next_span]
            next_span += 1
            mid_sentence -= _close_before(enclosing, opening)
            standalone = may_stand_alone and opening < lead_end
            enclosing.append((closing, standalone))
            mid_sentence += not standalone
        mid_sentence -= _close_before(enclosing, end)
        if has_letter and not mid_sentence:
            pieces.append(text[start:cut])
            start, scanned, has_letter = cut, cut, False
            lead_end = _LEAD.match(text, cut).end()
    if start == len(text):
        return pieces
    if pieces and not _LETTER.search(text, start):
        pieces[-1] += text[start:]  # a trailing "2." belongs to the sentence before it
    else:
        pieces.append(text[start:])
    return pieces


def _close_before(enclosing, position):
    """Pop the enclosures that closed before `position`; return how many of them had
    opened in mid-sentence."""
    closed = 0
    while enclosing and enclosing[-1][0] < position:
        closed += not enclosing.pop()[1]
    return closed
