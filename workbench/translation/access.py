from django.shortcuts import get_object_or_404

from workbench.documents.access import get_document_for_user
from workbench.documents.models import Segment


def get_segment_for_user(request, slug, document_id, segment_id, action=None):
    """Return (segment, role); 404 unless the user is a member of its project and the
    segment belongs to that document."""
    document, role = get_document_for_user(request, slug, document_id, action=action)
    segment = get_object_or_404(
        Segment.objects.select_related("document__project"), document=document, pk=segment_id
    )
    return segment, role
