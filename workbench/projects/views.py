from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .access import get_project_for_user, projects_of
from .forms import MemberForm, ProjectForm, ProjectSettingsForm
from .services import (
    MembershipRefused,
    ProjectRefused,
    do_change_settings,
    do_create_project,
    do_remove_member,
    do_set_member,
)


@login_required
def home(request):
    projects = projects_of(request.user).annotate(document_count=Count("documents", distinct=True))
    assigned = (
        request.user.assignments.filter(document__project__memberships__user=request.user)
        .select_related("document__project")
        .order_by(F("due_date").asc(nulls_last=True), "document__title", "first_position")
    )
    context = {"projects": projects, "assigned": assigned, "today": timezone.localdate()}
    return render(request, "projects/home.html", context)


@login_required
@permission_required("projects.add_project", raise_exception=True)
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = do_create_project(form, by=request.user)
        except ProjectRefused as refused:
            form.add_error("slug", str(refused))
            return render(request, "projects/project_form.html", {"form": form})
        template = form.cleaned_data.get("template")
        copied = f", set up like “{template.name}”" if template else ""
        messages.success(request, f"Project “{project.name}” created{copied}.")
        return redirect("project_detail", slug=project.slug)
    return render(request, "projects/project_form.html", {"form": form})


@login_required
def members(request, slug):
    project, role = get_project_for_user(request, slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        get_project_for_user(request, slug, action="project.manage")
        if form.is_valid():
            try:
                do_set_member(
                    project,
                    form.cleaned_data["username"],
                    form.cleaned_data["role"],
                    by=request.user,
                )
            except MembershipRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, "Member saved.")
            return redirect("project_members", slug=slug)
    memberships = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "projects/members.html",
        {"project": project, "role": role, "memberships": memberships, "form": form},
    )


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    project, _ = get_project_for_user(request, slug, action="project.manage")
    membership = get_object_or_404(project.memberships, pk=membership_id)
    try:
        do_remove_member(membership, by=request.user)
    except MembershipRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Member removed.")
    return redirect("project_members", slug=slug)


@login_required
def project_settings(request, slug):
    project, role = get_project_for_user(request, slug, action="project.manage")
    form = ProjectSettingsForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        _, changes = do_change_settings(form, by=request.user)
        messages.success(request, "Settings saved." if changes else "Nothing changed.")
        return redirect("project_settings", slug=slug)
    context = {"project": project, "role": role, "form": form}
    return render(request, "projects/settings.html", context)
