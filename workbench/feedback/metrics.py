"""Are the agents learning? Per period and per agent role · model · prompt version: how
many of their texts people confirmed or approved, how many unchanged, and how far people
changed the rest (character edit distance, HTER).

Each segment counts once, as it finally stands (its current correction), in the period
of that correction. Machine text from the translation memory counts under the role
"tm", propagated text under "propagation". Grouping and averages are done in SQL.
"""

import datetime

from django.db.models import Avg, Count, DateField, Q
from django.db.models.functions import Trunc
from django.utils import timezone

from .models import Correction

PERIODS = ("day", "week", "month")
GROUPS = ("agent_role", "model_name", "prompt_version")


def learning_metrics(project, *, period="week", since=None, until=None):
    """{"period", "rows", "totals"}: `rows` are {period_start (date), agent_role, model,
    prompt_version, corrections, accepted_unchanged, acceptance_rate (0–1),
    mean_edit_distance, mean_hter (0–1+, None when no text had one)} ordered by period
    and group; `totals` the same per group over the whole range, without period_start.
    `since` and `until` are dates, both included."""
    if period not in PERIODS:
        raise ValueError(f"“{period}” is not a period; choose one of {', '.join(PERIODS)}.")
    corrections = Correction.objects.current().filter(project=project)
    if since:
        corrections = corrections.filter(created_at__gte=_start_of(since))
    if until:
        corrections = corrections.filter(created_at__lt=_start_of(until + datetime.timedelta(1)))
    figures = {
        "corrections": Count("pk"),
        "accepted_unchanged": Count("pk", filter=Q(edit_distance=0)),
        "mean_edit_distance": Avg("edit_distance"),
        "mean_hter": Avg("hter"),
    }
    by_period = (
        corrections.annotate(period_start=Trunc("created_at", period, output_field=DateField()))
        .values("period_start", *GROUPS)
        .annotate(**figures)
        .order_by("period_start", *GROUPS)
    )
    totals = corrections.values(*GROUPS).annotate(**figures).order_by(*GROUPS)
    return {
        "period": period,
        "rows": [_row(row) for row in by_period],
        "totals": [_row(row) for row in totals],
    }


def _row(row):
    row = dict(row)
    row["model"] = row.pop("model_name")
    row["acceptance_rate"] = row["accepted_unchanged"] / row["corrections"]
    row["mean_edit_distance"] = float(row["mean_edit_distance"])
    return row


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
