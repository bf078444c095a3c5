"""The API's pages: a person's tokens, a project's webhooks with their delivery log, the
interactive documentation and the problem types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from workbench.projects.access import get_project_for_user

from .forms import TokenForm, WebhookForm
from .models import ApiToken, WebhookDelivery
from .problems import PROBLEM_TYPES, not_found_problem
from .webhooks import WebhookRefused, create_webhook, redeliver

DELIVERIES_SHOWN = 100


@login_required
def tokens(request):
    """Create and revoke your own tokens; a new token is shown on this page, once."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        row, token = ApiToken.issue(
            request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        created = {"row": row, "token": token}
        form = TokenForm()
    context = {"form": form, "created": created, "tokens": request.user.api_tokens.all()}
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may hold a token
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    token.revoke()
    messages.success(request, f"Token “{token.name}” revoked; calls with it are refused from now.")
    return redirect("api_tokens")


@login_required
def webhooks(request, slug):
    project, role = get_project_for_user(request, slug, action="webhook.manage")
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = create_webhook(
                project,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                user=request.user,
            )
        except WebhookRefused as refused:
            form.add_error("url", str(refused))
        else:
            form = WebhookForm()
    deliveries = WebhookDelivery.objects.filter(webhook__project=project).select_related(
        "webhook", "job"
    )[:DELIVERIES_SHOWN]
    context = {
        "project": project,
        "role": role,
        "form": form,
        "created": created,
        "webhooks": project.webhooks.all(),
        "deliveries": deliveries,
    }
    response = render(request, "api/webhooks.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def webhook_remove(request, slug, webhook_id):
    project, _ = get_project_for_user(request, slug, action="webhook.manage")
    webhook = get_object_or_404(project.webhooks, pk=webhook_id)
    webhook.delete()
    messages.success(request, f"Webhook to {webhook.url} removed, with its log.")
    return redirect("webhooks", slug=slug)


@login_required
@require_POST
def delivery_redeliver(request, slug, delivery_id):
    project, _ = get_project_for_user(request, slug, action="webhook.manage")
    delivery = get_object_or_404(WebhookDelivery, webhook__project=project, pk=delivery_id)
    try:
        redeliver(delivery, request.user)
    except WebhookRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The {delivery.event} event is being delivered again.")
    return redirect("webhooks", slug=slug)


@require_GET
def problem_types(request):
    return render(request, "api/problems.html", {"types": PROBLEM_TYPES.values()})


def unknown_address(request, rest=""):
    return not_found_problem(request)
