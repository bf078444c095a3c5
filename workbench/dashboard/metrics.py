"""The figures on the project manager's dashboard.

Each function makes a fixed number of queries, however many documents, segments and
revisions the project has; Python only arranges the grouped rows. Words by status and
people's work come from tallies that PostgreSQL triggers keep as segments and revisions
change (`StatusTally`, `WorkTally`; what counts as a sign-off, an approval or accepted
machine text is defined with the triggers, in migration 0002_tallies), so the page reads
a few hundred rows rather than every segment and revision. Every figure is a plain dict
or dataclass, so the page, its charts, and the CSV downloads show the same numbers.

Words are `Segment.word_count`. Work is counted in steps: a segment is first signed off
(confirmed by a translator, or approved straight away) and then approved, so a word that
is new or drafted needs two steps, a translated word one. The team's pace is the steps
it took per day over the last week; projections divide the steps left by it.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from workbench.documents.models import Assignment, Document, Revision, Segment
from workbench.jobs.models import Job, ModelCall
from workbench.projects.capabilities import roles_that_can

from .models import ModelPrice, StatusTally, WorkTally

STATUSES = Segment.Status.values
UNCONFIRMED = [Segment.Status.NEW, Segment.Status.DRAFTED]
PACE_DAYS = 7
PERIODS = {"day": 14, "week": 8}  # how many days or weeks the people's chart shows
AGENT_KINDS = ("draft_document", "revise_segment", "pretranslate")
OK = "ok"


def local_today():
    return timezone.localdate()


def start_of(day):
    """The first moment of a local calendar day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


# Progress ------------------------------------------------------------------------------


@dataclass
class Progress:
    """Segments and words by status of a document or of the whole project, and where it
    stands against its due date."""

    title: str
    pk: int | None = None
    due_date: datetime.date | None = None
    segments: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    words: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    projected_finish: datetime.date | None = None
    overdue: bool = False
    at_risk: bool = False
    # Due, not done, and the team has no pace yet to judge it by (day 0): neither on
    # track nor at risk.
    no_pace: bool = False

    @property
    def total_segments(self):
        return sum(self.segments.values())

    @property
    def total_words(self):
        return sum(self.words.values())

    @property
    def remaining_words(self):
        """Words not approved yet."""
        return self.total_words - self.words["approved"]

    @property
    def steps_left(self):
        return 2 * (self.words["new"] + self.words["drafted"]) + self.words["translated"]

    @property
    def percent_approved(self):
        return percent(self.words["approved"], self.total_words) or 0

    @property
    def done(self):
        return self.total_words > 0 and self.remaining_words == 0

    def add(self, other):
        for status in STATUSES:
            self.segments[status] += other.segments[status]
            self.words[status] += other.words[status]


@dataclass
class Overview:
    documents: list
    total: Progress
    pace: float | None  # steps (words signed off + approved) per day; None: no pace yet
    words_signed_off: int
    words_approved: int
    today: datetime.date

    @property
    def overdue_count(self):
        return sum(progress.overdue for progress in self.documents)

    @property
    def at_risk_count(self):
        return sum(progress.at_risk for progress in self.documents)

    @property
    def late_count(self):
        return self.overdue_count + self.at_risk_count


def overview(project, work, today):
    """Progress per document and for the project; overdue and at-risk documents. `work`
    is `daily_work()` covering at least the last PACE_DAYS days.

    Documents are scheduled one after the other in order of due date, as the team works
    through them: a document's projected finish is when the steps left in it and in every
    document due before it are done at the team's pace. It is at risk when that day is
    after its due date. Before the team has a pace (see `pace_per_day`) nothing is at
    risk: the page says "no pace yet" rather than guess."""
    documents = {
        document.pk: Progress(title=document.title, pk=document.pk, due_date=document.due_date)
        for document in project.documents.exclude(status=Document.Status.REJECTED).order_by(
            F("due_date").asc(nulls_last=True), "title", "pk"
        )
    }
    tallies = StatusTally.objects.filter(
        document__in=list(documents), status__in=STATUSES
    ).values_list("document", "status", "segments", "words")
    for document, status, segments, words in tallies:
        documents[document].segments[status] = segments
        documents[document].words[status] = words
    total = Progress(title="Whole project")
    for progress in documents.values():
        total.add(progress)

    recent = [row for row in work if row["day"] > today - datetime.timedelta(days=PACE_DAYS)]
    signed_off = sum(row["words_translated"] + row["words_propagated"] for row in recent)
    approved = sum(row["words_approved"] for row in recent)
    steps_per_day = pace_per_day(recent, today, team_steps)
    steps_before = 0
    for progress in documents.values():
        steps_before += progress.steps_left
        if progress.steps_left and steps_per_day:
            days = math.ceil(steps_before / steps_per_day)
            progress.projected_finish = today + datetime.timedelta(days=days)
        elif not progress.steps_left:
            progress.projected_finish = today if progress.total_words else None
        if progress.due_date and not progress.done:
            progress.overdue = progress.due_date < today
            progress.no_pace = not progress.overdue and steps_per_day is None
            progress.at_risk = (
                not progress.overdue
                and progress.projected_finish is not None
                and progress.projected_finish > progress.due_date
            )
    if total.steps_left and steps_per_day:
        total.projected_finish = today + datetime.timedelta(
            days=math.ceil(total.steps_left / steps_per_day)
        )
    return Overview(
        documents=list(documents.values()),
        total=total,
        pace=round(steps_per_day, 1) if steps_per_day is not None else None,
        words_signed_off=signed_off,
        words_approved=approved,
        today=today,
    )


def team_steps(row):
    return row["words_translated"] + row["words_propagated"] + row["words_approved"]


def person_steps(row):
    return row["words_translated"] + row["words_approved"]


def pace_per_day(rows, today, steps):
    """Steps per day over the last PACE_DAYS days, counted from the first day with work
    among them; None while there is no pace yet: until work was signed off on a day before
    today, a morning's work says nothing of a week (on day 0 nobody is behind)."""
    days = [row["day"] for row in rows if steps(row)]
    if not any(day < today for day in days):
        return None
    first = max(min(days), today - datetime.timedelta(days=PACE_DAYS - 1))
    total = sum(steps(row) for row in rows if row["day"] >= first)
    return total / ((today - first).days + 1)


def daily_work(project, first_day):
    """What people did per person and local day since `first_day`, summed from the
    quarter-hour tallies of their revisions: words signed off by a person and by
    auto-propagation, words approved, time spent, and sign-offs that started from machine
    text and kept it. Every revision-based figure of the dashboard is summed from these
    rows."""
    figures = [
        "words_translated",
        "words_propagated",
        "words_approved",
        "timed_revisions",
        "seconds",
        "offered",
        "accepted",
    ]
    rows = (
        WorkTally.objects.filter(project=project, quarter__gte=start_of(first_day), revisions__gt=0)
        .values("person__username", day=TruncDate("quarter"))
        .annotate(**{figure: Sum(figure) for figure in figures})
        .order_by("person__username", "day")
    )
    return [{**row, "person": row.pop("person__username")} for row in rows]


def first_day_needed(period, today):
    """The first day `daily_work` must cover for the people's chart of this period, the
    comparison of this week with last, and the pace of the last week."""
    return min(
        period_window(period, today)[0],
        week_start(today) - datetime.timedelta(weeks=1),
        today - datetime.timedelta(days=PACE_DAYS - 1),
    )


def figures(project, period="day", today=None):
    """(overview, people, acceptance) of the project, from one pass over recent work."""
    today = today or local_today()
    work = daily_work(project, first_day_needed(period, today))
    progress = overview(project, work, today)
    return (
        progress,
        people(project, work, period, today, progress),
        acceptance_this_week_and_last(work, today),
    )


# People --------------------------------------------------------------------------------


@dataclass
class PersonWork:
    username: str
    words_translated: int = 0
    words_approved: int = 0
    timed_revisions: int = 0
    seconds: int = 0
    offered: int = 0
    accepted: int = 0
    assigned_words_left: int = 0
    assigned_due: datetime.date | None = None
    behind: bool = False
    no_pace: bool = False  # work assigned and due, but no pace of theirs to judge it by

    @property
    def seconds_per_segment(self):
        return round(self.seconds / self.timed_revisions) if self.timed_revisions else None

    @property
    def acceptance(self):
        return percent(self.accepted, self.offered)


def period_window(period, today):
    """(first day, list of period starts) for the people's chart."""
    if period == "week":
        first = week_start(today) - datetime.timedelta(weeks=PERIODS["week"] - 1)
        return first, [first + datetime.timedelta(weeks=n) for n in range(PERIODS["week"])]
    first = today - datetime.timedelta(days=PERIODS["day"] - 1)
    return first, [first + datetime.timedelta(days=n) for n in range(PERIODS["day"])]


def people(project, work, period, today, overview):
    """Per person and per day (or week): words translated (signed off) and approved,
    seconds per segment, and the share of machine text signed off unchanged; with each
    person's totals over the window and the words left in their assignments."""
    first, periods = period_window(period, today)
    # The people who do the work; those who manage the project watch it.
    members = project.memberships.exclude(role__in=roles_that_can("project.manage")).select_related(
        "user"
    )
    totals = {m.user.get_username(): PersonWork(m.user.get_username()) for m in members}
    counted = (
        "words_translated",
        "words_approved",
        "timed_revisions",
        "seconds",
        "offered",
        "accepted",
    )
    grouped = {}
    for row in work:
        if row["person"] is None or row["day"] < first:
            continue
        start = week_start(row["day"]) if period == "week" else row["day"]
        summed = grouped.setdefault((row["person"], start), dict.fromkeys(counted, 0))
        work_of = totals.setdefault(row["person"], PersonWork(row["person"]))
        for key in counted:
            summed[key] += row[key]
            setattr(work_of, key, getattr(work_of, key) + row[key])
    series = [
        {
            "person": name,
            "period_start": start,
            "words_translated": summed["words_translated"],
            "words_approved": summed["words_approved"],
            "seconds_per_segment": round(summed["seconds"] / summed["timed_revisions"])
            if summed["timed_revisions"]
            else None,
            "machine_offered": summed["offered"],
            "machine_accepted": summed["accepted"],
        }
        for (name, start), summed in sorted(grouped.items())
        if summed["words_translated"]
        or summed["words_approved"]
        or summed["offered"]
        or summed["timed_revisions"]
    ]
    recent = today - datetime.timedelta(days=PACE_DAYS)
    rows_of = {}
    for row in work:
        if row["person"] is not None and row["day"] > recent:
            rows_of.setdefault(row["person"], []).append(row)
    pace = {name: pace_per_day(rows, today, person_steps) for name, rows in rows_of.items()}
    documents = {progress.pk: progress for progress in overview.documents}
    _add_assigned_work(project, totals, today, documents, pace)
    return {"period": period, "periods": periods, "series": series, "people": totals}


def _add_assigned_work(project, totals, today, documents, pace):
    """Words left in each person's assignments (to sign off for translators, to approve
    for reviewers), the earliest due date among them, and whether the person's own pace
    of the last week gets them there in time. A whole-document assignment takes its
    figures from `documents` (Progress by document id); only ranges are summed here, each
    through the index on (document, position)."""
    in_range = (
        Segment.objects.filter(
            document=OuterRef("document"),
            position__gte=OuterRef("first_position"),
            position__lte=OuterRef("last_position"),
        )
        .order_by()
        .values("document")
    )

    def words_in_range(segments):
        summed = segments.annotate(words=Sum("word_count")).values("words")
        return Case(
            When(first_position__isnull=False, then=Coalesce(Subquery(summed), 0)),
            default=None,
        )

    assignments = (
        Assignment.objects.filter(document__project=project)
        .values("assignee__username", "document", "role", "due_date")
        .annotate(
            unconfirmed=words_in_range(in_range.filter(status__in=UNCONFIRMED)),
            unapproved=words_in_range(in_range.exclude(status=Segment.Status.APPROVED)),
        )
    )
    for row in assignments:
        whole = documents.get(row["document"])
        if row["unconfirmed"] is None and whole is None:
            continue
        if row["role"] == Assignment.Role.TRANSLATOR:
            left = row["unconfirmed"]
            if left is None:
                left = whole.words["new"] + whole.words["drafted"]
        else:
            left = row["unapproved"] if row["unapproved"] is not None else whole.remaining_words
        if not left:
            continue
        work = totals.setdefault(row["assignee__username"], PersonWork(row["assignee__username"]))
        work.assigned_words_left += left
        if row["due_date"] and (work.assigned_due is None or row["due_date"] < work.assigned_due):
            work.assigned_due = row["due_date"]
    for name, work in totals.items():
        if not work.assigned_words_left or not work.assigned_due:
            continue
        per_day = pace.get(name)
        days_left = (work.assigned_due - today).days + 1
        if days_left <= 0:
            work.behind = True  # past the due date with words left: late, pace or not
        elif per_day is None:
            work.no_pace = True
        else:
            work.behind = per_day * days_left < work.assigned_words_left


def acceptance_this_week_and_last(work, today):
    """Share of machine text signed off unchanged, per person and for the team, in this
    calendar week (Monday to today) and the one before: are people keeping more of the
    agents' text than they did?"""
    this_week = week_start(today)
    last_week = this_week - datetime.timedelta(weeks=1)
    table = {}
    team = {"last": [0, 0], "this": [0, 0]}
    for row in work:
        if row["person"] is None or row["day"] < last_week or not row["offered"]:
            continue
        which = "this" if row["day"] >= this_week else "last"
        person = table.setdefault(row["person"], {"last": [0, 0], "this": [0, 0]})
        for counts in (person[which], team[which]):
            counts[0] += row["accepted"]
            counts[1] += row["offered"]

    def shares(counts):
        last, this = percent(*counts["last"]), percent(*counts["this"])
        return {
            "last_week": last,
            "this_week": this,
            "change": round(this - last, 1) if last is not None and this is not None else None,
            "last_week_offered": counts["last"][1],
            "this_week_offered": counts["this"][1],
        }

    return {
        "this_week": this_week,
        "last_week": last_week,
        "team": shares(team),
        "people": [{"person": name, **shares(counts)} for name, counts in sorted(table.items())],
    }


# Agents --------------------------------------------------------------------------------


def words_approved_here(project):
    """Words of the segments now approved that a person approved in this workbench. A
    segment imported already approved (from a bilingual file, say) cost the agents
    nothing, so it must not lower their cost per approved word."""
    approved_by_a_person = Revision.objects.filter(
        segment=OuterRef("pk"),
        origin=Revision.Origin.PERSON,
        new_status=Segment.Status.APPROVED,
    )
    return Segment.objects.filter(
        Exists(approved_by_a_person),
        document__project=project,
        status=Segment.Status.APPROVED,
    ).aggregate(words=Coalesce(Sum("word_count"), 0))["words"]


def agents(project):
    """Calls, tokens, failures and estimated cost per model and role; the cost of the
    agents per word approved here (`words_approved_here`). A call whose worker died
    before it returned counts, with its estimated prompt."""
    approved_words = words_approved_here(project)
    rows = list(
        ModelCall.objects.filter(project=project)
        .values("model", "role")
        .annotate(
            calls=Count("pk"),
            failures=Count("pk", filter=~Q(outcome=OK)),
            tokens_in=Coalesce(Sum("tokens_in"), 0),
            tokens_out=Coalesce(Sum("tokens_out"), 0),
            # A call that never returned (its worker died) has no latency to average.
            mean_latency_ms=Avg("latency_ms", filter=~Q(outcome=ModelCall.DISPATCHED)),
        )
        .order_by("model", "role")
    )
    prices = ModelPrice.prices_for(project, {row["model"] for row in rows})
    total_cost = Decimal(0)
    unpriced = set()
    for row in rows:
        price = prices.get(row["model"])
        row["price_in"], row["price_out"] = price or (None, None)
        row["cost"] = ModelPrice.cost(price, row["tokens_in"], row["tokens_out"])
        row["mean_latency_ms"] = round(row["mean_latency_ms"] or 0)
        if row["cost"] is None:
            unpriced.add(row["model"])
        else:
            total_cost += row["cost"]
    return {
        "rows": rows,
        "calls": sum(row["calls"] for row in rows),
        "failures": sum(row["failures"] for row in rows),
        "tokens_in": sum(row["tokens_in"] for row in rows),
        "tokens_out": sum(row["tokens_out"] for row in rows),
        "cost": total_cost,
        "unpriced": sorted(unpriced),
        "approved_words": approved_words,
        "cost_per_approved_word": total_cost / approved_words if approved_words else None,
        "cost_per_thousand_approved_words": 1000 * total_cost / approved_words
        if approved_words
        else None,
    }


# Jobs ----------------------------------------------------------------------------------

RECENT_JOBS = 15


def jobs(project):
    """The project's queued and running jobs, and the most recent finished ones."""
    related = project.jobs.select_related("project", "document", "created_by")
    active = list(related.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]))
    recent = list(related.filter(status__in=Job.FINISHED)[:RECENT_JOBS])
    return {"active": active, "recent": recent, "failed": [j for j in recent if j.error]}
