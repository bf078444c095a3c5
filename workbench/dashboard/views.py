"""The project manager's dashboard: one page of sections, each dataset also as JSON or
CSV, and the models' prices. Managers of the project only (members get 403, everyone
else 404)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.feedback.lqa import quality_overview
from workbench.feedback.metrics import learning_metrics
from workbench.projects.access import get_project_for_user

from . import datasets, metrics
from .activity import ActivityFilter, activity
from .calibration import risk_calibration
from .forms import ModelPriceForm
from .models import ModelPrice

# Horizontal bar charts grow with their bars, so every label stays readable.
CHART_TOP, BAR_HEIGHT = 70, 26
EVENTS_SHOWN, EVENTS_IN_CSV = 30, 1000
LEARNING_WEEKS = 12


def _period(request):
    period = request.GET.get("period")
    return period if period in metrics.PERIODS else "day"


@login_required
@require_GET
def dashboard(request, slug):
    project, role = get_project_for_user(request, slug, action="project.dashboard")
    period = _period(request)
    overview, people, acceptance = metrics.figures(project, period)
    learning = _learning(project, overview.today)
    agents = metrics.agents(project)
    filters = ActivityFilter(request.GET, project=project)
    events = activity(project, **filters.choices(), limit=EVENTS_SHOWN)
    charts = {
        "progress": datasets.progress_chart(overview),
        "people": datasets.people_chart(people),
        "acceptance": datasets.acceptance_chart(acceptance),
        "agents": datasets.agents_chart(agents),
        **{
            f"learning_{measure}": chart
            for measure, chart in datasets.learning_charts(learning["rows"]).items()
        },
    }
    people_rows = sorted(people["people"].values(), key=lambda work: work.username)
    context = {
        "project": project,
        "overview": overview,
        "statuses": metrics.STATUSES,
        "chart_height": CHART_TOP + BAR_HEIGHT * (len(overview.documents) + 1),
        "agents_chart_height": CHART_TOP + BAR_HEIGHT * max(len(agents["rows"]), 1),
        "people": people,
        "people_rows": people_rows,
        "behind": [work.username for work in people_rows if work.behind],
        "period": period,
        "acceptance": acceptance,
        "agents": agents,
        "jobs": metrics.jobs(project),
        "risk_calibration": risk_calibration(project),
        "learning": learning,
        "filters": filters,
        "events": events,
        "csv_events": EVENTS_IN_CSV,
        "learning_weeks": LEARNING_WEEKS,
        "charts": charts,
        "role": role,
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_GET
def quality(request, slug):
    """The dashboard's quality section, loaded after the page: open issues, send-backs
    and LQA scores per document, translator and agent."""
    project, _ = get_project_for_user(request, slug, action="project.dashboard")
    context = {"project": project, "quality": quality_overview(project)}
    return render(request, "dashboard/_quality_body.html", context)


def _learning(project, today):
    return learning_metrics(
        project, period="week", since=today - datetime.timedelta(weeks=LEARNING_WEEKS)
    )


def _table(project, name, request):
    if name == "progress":
        return datasets.progress_table(metrics.figures(project)[0])
    if name == "people":
        return datasets.people_table(metrics.figures(project, _period(request))[1])
    if name == "acceptance":
        return datasets.acceptance_table(metrics.figures(project)[2])
    if name == "agents":
        return datasets.agents_table(metrics.agents(project))
    if name == "learning":
        return datasets.learning_table(_learning(project, metrics.local_today())["rows"])
    if name == "activity":
        choices = ActivityFilter(request.GET, project=project).choices()
        return datasets.activity_table(activity(project, **choices, limit=EVENTS_IN_CSV))
    raise Http404("No such dataset.")


@login_required
@require_GET
def dataset(request, slug, name):
    """A dataset of the dashboard: CSV with ?format=csv, else JSON."""
    project, _ = get_project_for_user(request, slug, action="project.dashboard")
    table = _table(project, name, request)
    if request.GET.get("format") == "csv":
        audit.record(
            AuditEvent.Kind.DATA_DOWNLOADED,
            project=project,
            details={"what": f"dashboard {name} CSV"},
        )
        return table.csv_response(project)
    return JsonResponse({"columns": table.columns, "rows": table.rows}, encoder=DjangoJSONEncoder)


@login_required
def model_prices(request, slug):
    """Prices per million tokens for the models the project's agents use (and any other)."""
    project, role = get_project_for_user(request, slug, action="project.manage")
    form = ModelPriceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        price = form.save(project, by=request.user)
        audit.record(
            AuditEvent.Kind.PRICE_CHANGED,
            project=project,
            target=price,
            details={
                "input_per_million": price.input_per_million,
                "output_per_million": price.output_per_million,
            },
        )
        messages.success(request, f"Price of {price.model} saved.")
        return redirect(reverse("dashboard", args=[slug]) + "#agents")
    used = sorted(set(project.model_calls.values_list("model", flat=True).distinct()))
    prices = ModelPrice.prices_for(project, used)
    rows = [{"model": model, "price": prices.get(model)} for model in used]
    context = {"project": project, "form": form, "rows": rows, "role": role}
    return render(request, "dashboard/prices.html", context)
