"""Segment text as XML: characters XML 1.0 allows, and protected tokens back as tags.

A segment's text holds tokens ("⟦1⟧", "⟦2⟧…⟦/2⟧", see `documents.placeholders`) for the
inline codes of its original. Each XML format turns them back into its own markup through
a `Renderer`; this module finds which tokens pair up so the markup is always well-formed.
A pair whose halves ended up in different segments (a sentence boundary inside a bold
run), or that crosses another pair in the translation, is written as two isolated codes.
"""

import re

from workbench.documents.placeholders import TOKEN, closing_token

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except
# surrogates, U+FFFE and U+FFFF; anything else makes the file unreadable, so it goes.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    return NOT_XML.sub("", text)


def escape_text(text):
    """Text for an XML element: forbidden characters removed, markup characters escaped,
    and a carriage return as a reference, because a parser turns a literal one into a
    newline."""
    return (
        xml_safe(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def escape_attribute(text):
    return escape_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


class Renderer:
    """How one format writes the codes; each method returns markup, `number` being the
    token's number and `markup` the original code from `Segment.placeholders` (a string
    of XLIFF markup, or a dict such as {"type": "footnote", "id": "2"} from Word)."""

    def prepare(self, codes):
        """Hear which codes (their markup) the text about to be rendered holds."""

    def code(self, number, markup):
        raise NotImplementedError

    def pair(self, number, opening, closing, inner):
        raise NotImplementedError

    def isolated(self, number, markup, begins):
        raise NotImplementedError


def render(text, placeholders, renderer):
    """`text` as XML content, its tokens written by `renderer`. A token missing from
    `placeholders` stays as text, so nothing is invented."""
    if not placeholders:  # most segments: no codes to look for
        return escape_text(text)
    pieces = _pieces(text, placeholders)
    renderer.prepare([value[1] for kind, value in pieces if kind != "text"])
    partners = _partners(pieces)
    return _render(pieces, 0, len(pieces), partners, renderer)


def plain_text(text):
    """`text` without its tokens, as Word and people read it."""
    return TOKEN.sub("", text)


def _pieces(text, placeholders):
    """[(kind, value)] with kind "text", "code", "open" or "close"; for a token, value is
    (number, markup)."""
    pieces, position = [], 0
    for match in TOKEN.finditer(text):
        markup = placeholders.get(match.group(0))
        if markup is None:
            continue
        pieces.append(("text", text[position : match.start()]))
        closing, number = match.groups()
        is_pair = closing_token(number) in placeholders
        kind = "close" if closing else ("open" if is_pair else "code")
        pieces.append((kind, (number, markup)))
        position = match.end()
    pieces.append(("text", text[position:]))
    return pieces


def _partners(pieces):
    """{index of an opening: index of its closing} for pairs that nest properly."""
    partners, open_pairs = {}, []
    for index, (kind, value) in enumerate(pieces):
        if kind == "open":
            open_pairs.append((value[0], index))
        elif kind == "close" and open_pairs and open_pairs[-1][0] == value[0]:
            partners[open_pairs.pop()[1]] = index
    return partners


def _render(pieces, start, end, partners, renderer):
    out, index = [], start
    while index < end:
        kind, value = pieces[index]
        if kind == "text":
            out.append(escape_text(value))
        elif kind == "code":
            out.append(renderer.code(*value))
        elif kind == "open" and index in partners:
            closing_index = partners[index]
            inner = _render(pieces, index + 1, closing_index, partners, renderer)
            number, opening = value
            out.append(renderer.pair(number, opening, pieces[closing_index][1][1], inner))
            index = closing_index
        else:
            out.append(renderer.isolated(*value, begins=kind == "open"))
        index += 1
    return "".join(out)
