"""Projects and their members."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from workbench.projects.models import Membership
from workbench.projects.services import do_remove_member, do_set_member

from ..access import project_for
from ..schemas import Caller, MemberIn, MemberOut, ProjectOut

router = Router(tags=["projects"])


@router.get("/me", response=Caller, summary="Who the token belongs to")
def me(request):
    token = request.auth
    return {
        "username": request.user.get_username(),
        "token_name": token.name,
        "token_expires_at": token.expires_at,
    }


@router.get("/projects", response=list[ProjectOut], summary="The projects you are a member of")
def list_projects(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("project")
        .order_by("project__name")
    )
    return [_project(membership.project, membership.role) for membership in memberships]


@router.get("/projects/{slug}", response=ProjectOut)
def get_project(request, slug: str):
    project, role = project_for(request, slug)
    return _project(project, role)


def _project(project, role):
    project.your_role = role
    return project


@router.get("/projects/{slug}/members", response=list[MemberOut])
def list_members(request, slug: str):
    project, _ = project_for(request, slug)
    return project.memberships.select_related("user").order_by("role", "user__username")


@router.put(
    "/projects/{slug}/members/{username}",
    response=MemberOut,
    summary="Add a person to the project, or change their role (managers)",
)
def set_member(request, slug: str, username: str, body: MemberIn):
    project, _ = project_for(request, slug, "project.manage")
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    return do_set_member(project, person, body.role, by=request.user)


@router.delete(
    "/projects/{slug}/members/{username}",
    response={204: None},
    summary="Remove a person from the project (managers; not yourself, not the last manager)",
)
def remove_member(request, slug: str, username: str):
    project, _ = project_for(request, slug, "project.manage")
    membership = get_object_or_404(project.memberships, user__username=username)
    do_remove_member(membership, by=request.user)
    return Status(204, None)
