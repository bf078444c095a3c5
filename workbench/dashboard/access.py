"""The dashboard is the project manager's: everyone else is told there is nothing here."""

from django.http import Http404

from workbench.projects.models import Membership


def get_managed_project(request, slug):
    """The project, for a member who may see its dashboard; 404 for everyone else,
    members included, so the dashboard does not reveal that it exists."""
    membership = (
        Membership.objects.select_related("project")
        .filter(project__slug=slug, user_id=request.user.pk)
        .first()
    )
    if membership is None or not membership.can("project.dashboard"):
        raise Http404("No such project.")
    return membership.project
