"""The one way a view reaches a project: members only, everyone else gets 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Project

MANAGER = Membership.Role.MANAGER
TRANSLATOR = Membership.Role.TRANSLATOR
REVIEWER = Membership.Role.REVIEWER


def get_project_for_user(request, slug, roles=None):
    """Return (project, role) for a member; 404 for outsiders, 403 for the wrong role."""
    membership = (
        Membership.objects.select_related("project")
        .filter(project__slug=slug, user_id=request.user.pk)
        .first()
    )
    if membership is None:
        raise Http404("No such project.")
    if roles and membership.role not in roles:
        raise PermissionDenied("Your role in this project does not allow this.")
    return membership.project, membership.role


def projects_of(user):
    return Project.objects.filter(memberships__user=user).distinct()
