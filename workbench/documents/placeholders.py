"""Protected placeholders: the inline tags of a bilingual file as tokens nobody can break.

A tag becomes a token in the segment text, numbered per segment in order of appearance:
"⟦1⟧" for a code that stands alone (<x/>, <ph>, <bpt>, <sc/> ...) and "⟦2⟧…⟦/2⟧" for a
pair that encloses translatable text (<g>…</g>, <pc>…</pc>, <mrk>…</mrk>), so the
translator sees which words a bold or a link covers and can move the pair with them.
`Segment.placeholders` maps each token to the markup it stands for; `restore` gives the
tags back and `check_tokens` says which tokens a translation lost, gained or disordered.
"""

import re
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape

TOKEN = re.compile(r"\u27e6(/?)(\d{1,4})\u27e7")


def opening_token(number):
    return f"\u27e6{number}\u27e7"


def closing_token(number):
    return f"\u27e6/{number}\u27e7"


def tokens_in(text):
    """The tokens of `text`, in order, e.g. ["⟦1⟧", "⟦/1⟧", "⟦2⟧"]."""
    return [match.group(0) for match in TOKEN.finditer(text)]


def restore(text, placeholders):
    """`text` as XML markup: each known token replaced by its tag, the text between
    escaped (&, <, >), ready to go inside a <target>. A token the map does not know, or
    one that stands for a structure rather than markup (a DOCX footnote reference), stays
    as it is, so nothing is invented."""
    parts = []
    position = 0
    for match in TOKEN.finditer(text):
        markup = placeholders.get(match.group(0))
        if not isinstance(markup, str):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(markup)
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


@dataclass(frozen=True)
class TokenProblem:
    kind: str  # missing | extra | reordered | unbalanced
    token: str
    message: str

    def __str__(self):
        return self.message


def check_tokens(source, target):
    """What is wrong with the tokens of `target` compared with `source`; [] when nothing.

    Word order differs between languages, so tags moving is reported ("reordered") for a
    person to confirm, while a pair closed before it opens or crossing another pair
    ("unbalanced") would give back broken markup.
    """
    source_tokens = tokens_in(source)
    target_tokens = tokens_in(target)
    problems = []
    missing = Counter(source_tokens) - Counter(target_tokens)
    extra = Counter(target_tokens) - Counter(source_tokens)
    for token in dict.fromkeys(source_tokens):
        if token in missing:
            problems.append(
                TokenProblem(
                    "missing", token, f"Tag {token} is missing from the translation; put it back."
                )
            )
    for token in dict.fromkeys(target_tokens):
        if token in extra:
            problems.append(
                TokenProblem(
                    "extra",
                    token,
                    f"Tag {token} appears in the translation more often than in the source; "
                    "remove the extra one.",
                )
            )

    shared = set(source_tokens) & set(target_tokens)
    in_source_order = [token for token in dict.fromkeys(source_tokens) if token in shared]
    in_target_order = [token for token in dict.fromkeys(target_tokens) if token in shared]
    for expected, found in zip(in_source_order, in_target_order, strict=True):
        if expected != found:
            problems.append(
                TokenProblem(
                    "reordered",
                    found,
                    f"Tag {found} comes before {expected} in the translation, unlike the "
                    "source; check that the new order is intended.",
                )
            )
            break

    problems.extend(_unbalanced_pairs(in_target_order))
    return problems


def _unbalanced_pairs(tokens):
    """Pairs that close before they open or cross another pair, among `tokens` (in
    target order), considering only pairs whose two halves are both present."""
    present = set(tokens)
    open_pairs = []
    problems = []
    for token in tokens:
        closing, number = TOKEN.fullmatch(token).groups()
        if not closing:
            if closing_token(number) in present:
                open_pairs.append(number)
            continue
        if opening_token(number) not in present:
            continue
        if number not in open_pairs:
            problems.append(
                TokenProblem(
                    "unbalanced",
                    token,
                    f"Tag {token} closes before {opening_token(number)} opens; swap them.",
                )
            )
        elif open_pairs[-1] != number:
            inner = open_pairs[-1]
            problems.append(
                TokenProblem(
                    "unbalanced",
                    token,
                    f"Tags {opening_token(number)}…{token} and {opening_token(inner)}…"
                    f"{closing_token(inner)} overlap; close the inner pair first.",
                )
            )
            open_pairs.remove(number)
        else:
            open_pairs.pop()
    return problems
