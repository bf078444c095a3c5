"""A project's Agents page: which endpoint and model each agent role uses, the round cap
and the token budget, and "Test connection". Managers of the project only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agents.endpoints import PRESETS
from workbench.projects.access import get_project_for_user
from workbench.projects.endpoints import EndpointError, agent_setup, installed_endpoints

from .connection import Choice, check_connection, total_cost
from .forms import AgentSettingsForm


def _endpoints():
    """(endpoints, the problem with their definitions or "")."""
    try:
        return installed_endpoints(), ""
    except EndpointError as error:
        return {}, str(error)


@login_required
def agent_settings(request, slug):
    project, role = get_project_for_user(request, slug, action="project.manage")
    endpoints, problem = _endpoints()
    form = AgentSettingsForm(request.POST or None, project=project, endpoints=endpoints)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Agent settings saved; the next drafting job uses them.")
        return redirect("agent_settings", slug=slug)
    return _page(request, project, role, form, endpoints, problem)


@login_required
@require_POST
def agent_test(request, slug):
    """One tiny call per role with the settings as the form has them, saved or not."""
    project, role = get_project_for_user(request, slug, action="project.manage")
    endpoints, problem = _endpoints()
    form = AgentSettingsForm(request.POST, project=project, endpoints=endpoints)
    context = {"project": project, "form": form, "problem": problem}
    status = 200
    if form.is_valid() and not problem:
        chosen_endpoints, chosen_models = form.choice()
        try:
            checks = check_connection(project, Choice(project, chosen_endpoints, chosen_models))
        except EndpointError as error:
            context["problem"], status = str(error), 400
        else:
            context.update(checks=checks, total=total_cost(checks))
    else:
        status = 400
    if request.htmx:
        return render(request, "dashboard/_connection.html", context, status=status)
    return _page(request, project, role, form, endpoints, problem, context, status=status)


def _page(request, project, role, form, endpoints, problem, tested=None, status=200):
    setup, setup_problem = agent_setup(project)
    rows = [
        (name, label, form[f"{name}_endpoint"], form[f"{name}_model"], endpoint, model)
        for name, label, endpoint, model in setup
    ]
    context = {
        "project": project,
        "role": role,
        "form": form,
        "endpoints": endpoints.values(),
        "problem": problem or setup_problem,
        "rows": rows,
        "presets": PRESETS.items(),
        "tested": tested,
    }
    return render(request, "dashboard/agents.html", context, status=status)
