"""The one way a view reaches a project: members only, everyone else gets 404."""

from django.http import Http404

from .capabilities import check_can, roles_that_can
from .models import Membership, Project


def get_project_for_user(request, slug, action=None):
    """Return (project, role) for a member; 404 for outsiders, 403 when the member's role
    may not do `action` (see capabilities.py)."""
    membership = (
        Membership.objects.select_related("project")
        .filter(project__slug=slug, user_id=request.user.pk)
        .first()
    )
    if membership is None:
        raise Http404("No such project.")
    if action:
        check_can(membership.role, action)
    return membership.project, membership.role


def projects_of(user):
    return Project.objects.filter(memberships__user=user).distinct()


def managed_by(user):
    """The projects whose settings the user may manage (to copy one, for example)."""
    return Project.objects.filter(
        memberships__user=user, memberships__role__in=roles_that_can("project.manage")
    ).distinct()
