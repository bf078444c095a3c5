from django.shortcuts import get_object_or_404

from workbench.projects.access import get_project_for_user


def get_document_for_user(request, slug, document_id, action=None):
    """Return (document, role); 404 unless the user is a member of its project."""
    project, role = get_project_for_user(request, slug, action=action)
    return get_object_or_404(project.documents, pk=document_id), role
