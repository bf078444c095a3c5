from django import template

from agents.languages import split_by
from workbench.documents.placeholders import TOKEN

register = template.Library()


@register.filter
def tag_pieces(text):
    """Split a segment text into (piece, is_tag) so the template shows each protected tag
    as one chip while escaping every piece."""
    return split_by(TOKEN, text)


STATUS_LETTERS = {"new": "N", "drafted": "D", "translated": "T", "approved": "A", "rejected": "R"}


@register.filter
def status_letter(status):
    return STATUS_LETTERS.get(status, "?")


ORIGIN_LABELS = {
    "person": "edited",
    "agent": "agent",
    "tm": "TM",
    "propagation": "propagated",
    "import": "imported",
}


@register.filter
def origin_label(draft_origin):
    """How the grid names where a segment's text came from."""
    return ORIGIN_LABELS.get(draft_origin, draft_origin)
