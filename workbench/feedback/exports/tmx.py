"""TMX 1.4b, written as a stream: one <tu> per segment, the source and target as <tuv>.

Inline codes are TMX's own elements, which CAT tools (Trados, memoQ, OmegaT) and
translate-toolkit understand: a pair of codes around text becomes <bpt>…<ept> sharing
`i`, a standalone code <ph>, half of a pair whose other half is in another segment <it>.
Their content is the original markup, escaped, as TMX wants native codes; a Word
footnote mark is an empty <ph type="fnote"/>. Each unit carries its status
(<prop type="x-status">), document and paragraph number as properties, the notes and
comments on the segment as <note>s, who first wrote and who last changed its text
(creationid, changeid: a person's user name, else where the text came from) and the
dates its document was created and the segment last changed. An untranslated segment
(exported when `new` is chosen) has an empty target.
"""

import datetime

from django.utils import timezone

from .inline import Renderer, escape_attribute, escape_text, render

CREATION_TOOL = 'creationtool="Legal translation workbench" creationtoolversion="1"'
NOTE_TYPES = {"footnote": "fnote", "endnote": "enote"}


class TmxCodes(Renderer):
    def code(self, number, markup):
        if isinstance(markup, dict):
            kind = NOTE_TYPES.get(markup.get("type"), "")
            return f'<ph x="{number}"' + (f' type="{kind}"' if kind else "") + "/>"
        return f'<ph x="{number}">{escape_text(markup)}</ph>'

    def pair(self, number, opening, closing, inner):
        return (
            f'<bpt i="{number}" x="{number}">{escape_text(_native(opening))}</bpt>'
            f'{inner}<ept i="{number}">{escape_text(_native(closing))}</ept>'
        )

    def isolated(self, number, markup, begins):
        position = "begin" if begins else "end"
        return f'<it pos="{position}" x="{number}">{escape_text(_native(markup))}</it>'


def _native(markup):
    return markup if isinstance(markup, str) else ""


def tmx_date(moment):
    """TMX's date format: UTC, YYYYMMDDThhmmssZ."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def write_tmx(corpus, tally):
    source, target = corpus.source_language, corpus.target_language
    segtype = "paragraph" if corpus.project.segmentation == "paragraph" else "sentence"
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f'<header {CREATION_TOOL} segtype="{segtype}" o-tmf="workbench" adminlang="en" '
        f'srclang="{source}" datatype="plaintext" creationdate="{tmx_date(timezone.now())}">\n'
        f'<prop type="x-project">{escape_text(corpus.project.name)}</prop>\n'
        "</header>\n<body>\n"
    ).encode()
    codes = TmxCodes()
    created = {pk: tmx_date(document.created_at) for pk, document in corpus.documents.items()}
    titles = {pk: escape_text(document.title) for pk, document in corpus.documents.items()}
    for segment in corpus.stream_with_people():
        tally.read()
        dates = (
            f'creationdate="{created[segment.document_id]}" '
            f'changedate="{tmx_date(segment.updated_at)}"'
        )
        people = "".join(
            f' {name}="{escape_attribute(who)}"'
            for name, who in (("creationid", segment.created_by), ("changeid", segment.changed_by))
            if who
        )
        paragraph = (
            f'<prop type="x-paragraph">{escape_text(segment.paragraph_number)}</prop>'
            if segment.paragraph_number
            else ""
        )
        notes = "".join(
            f"<note>{escape_text((author + ': ' if author else '') + text)}</note>"
            for author, text in segment.notes
        )
        yield (
            f'<tu tuid="{segment.document_id}-{segment.position}" {dates}{people}>{notes}'
            f'<prop type="x-status">{segment.status}</prop>'
            f'<prop type="x-document">{titles[segment.document_id]}</prop>{paragraph}\n'
            f'<tuv xml:lang="{source}"><seg>{render(segment.source, segment.placeholders, codes)}'
            f'</seg></tuv>\n<tuv xml:lang="{target}" {dates}{people}>'
            f"<seg>{render(segment.target, segment.placeholders, codes)}</seg></tuv>\n</tu>\n"
        ).encode()
        tally.wrote()
    yield b"</body>\n</tmx>\n"
