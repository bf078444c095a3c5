"""The dashboard's figures equal figures counted here, row by row, from the database."""

import datetime
import json
import math
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.dashboard_team import team  # noqa: F401
from workbench.dashboard.models import ModelPrice
from workbench.documents.models import Revision, Segment
from workbench.jobs.models import ModelCall

STATUSES = ["new", "drafted", "translated", "approved", "rejected"]


def dashboard(client, project, **params):
    return client.get(reverse("dashboard", args=[project.slug]), params)


def chart(response, name):
    found = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def local_day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def signs_off(revision):
    return revision.old_status in ("", "new", "drafted") and revision.new_status in (
        "translated",
        "approved",
    )


def approves(revision):
    return revision.new_status == "approved" and revision.old_status != "approved"


@pytest.fixture
def page(team, client_for):  # noqa: F811
    return dashboard(client_for(team.manager), team.project)


def test_it_shows_words_by_status_per_document_and_for_the_project(team, page):  # noqa: F811
    progress = chart(page, "progress")
    assert "Re Wong Estate (overdue)" in progress["labels"]
    progress["labels"] = [
        re.sub(r" \((overdue|at risk)\)$", "", label) for label in progress["labels"]
    ]
    expected_labels = ["Whole project"] + [
        d.title for d in sorted(team.documents, key=lambda d: (d.due_date is None, d.due_date))
    ]
    assert progress["labels"] == expected_labels
    for dataset, status in zip(progress["datasets"], STATUSES, strict=True):
        for label, words in zip(progress["labels"], dataset["words"], strict=True):
            segments = Segment.objects.filter(document__project=team.project, status=status)
            if label != "Whole project":
                segments = segments.filter(document__title=label)
            assert words == sum(s.word_count for s in segments), (label, status)
    overview = page.context["overview"]
    all_words = sum(s.word_count for s in Segment.objects.filter(document__project=team.project))
    assert overview.total.total_words == all_words
    approved = sum(s.word_count for s in Segment.objects.filter(status="approved"))
    assert f"{round(100 * approved / all_words, 1)}%" in page.content.decode()


def test_it_marks_overdue_and_at_risk_documents_with_their_projected_finish(team, page):  # noqa: F811
    revisions = Revision.objects.filter(origin__in=["person", "propagation"]).select_related(
        "segment"
    )
    week_ago = team.today - datetime.timedelta(days=6)
    steps = sum(
        r.segment.word_count * (signs_off(r) + approves(r))
        for r in revisions
        if local_day(r.created_at) >= week_ago
    )
    per_day = steps / 7
    overview = page.context["overview"]
    assert overview.pace == round(per_day, 1)

    by_due = sorted(team.documents, key=lambda d: (d.due_date is None, d.due_date))
    left_before = 0
    shown = {progress.title: progress for progress in overview.documents}
    for document in by_due:
        segments = list(document.segments.all())
        left_before += sum(
            s.word_count * (2 if s.status in ("new", "drafted") else 1)
            for s in segments
            if s.status != "approved"
        )
        finish = team.today + datetime.timedelta(days=math.ceil(left_before / per_day))
        progress = shown[document.title]
        assert progress.projected_finish == finish
        assert progress.overdue == (
            document.due_date is not None and document.due_date < team.today
        )
        assert progress.at_risk == (
            document.due_date is not None
            and document.due_date >= team.today
            and finish > document.due_date
        )
    html = page.content.decode()
    assert html.count('class="badge late">overdue') == 1  # Re Wong Estate, due yesterday
    wong = shown["Re Wong Estate"]
    assert wong.overdue and not wong.at_risk


def test_people_figures_per_day_match_the_revisions(team, page):  # noqa: F811
    first_day = team.today - datetime.timedelta(days=13)
    revisions = [
        r
        for r in Revision.objects.filter(origin="person").select_related("segment", "author")
        if local_day(r.created_at) >= first_day
    ]
    people = page.context["people"]["people"]
    for person in [*team.translators, team.reviewer]:
        mine = [r for r in revisions if r.author_id == person.pk]
        work = people[person.username]
        assert work.words_translated == sum(r.segment.word_count for r in mine if signs_off(r))
        assert work.words_approved == sum(r.segment.word_count for r in mine if approves(r))
        timed = [r.seconds_spent for r in mine if r.seconds_spent is not None]
        assert work.seconds_per_segment == (round(sum(timed) / len(timed)) if timed else None)
        offered = [r for r in mine if signs_off(r) and r.machine_text]
        kept = [r for r in offered if r.new_target == r.machine_text]
        assert work.offered == len(offered) and work.accepted == len(kept)

    series = chart(page, "people")
    tom_daily = next(d for d in series["datasets"] if d["label"] == "tom · translated")["data"]
    expected = [
        sum(
            r.segment.word_count
            for r in revisions
            if r.author.username == "tom"
            and signs_off(r)
            and local_day(r.created_at) == first_day + datetime.timedelta(days=n)
        )
        for n in range(14)
    ]
    assert tom_daily == expected
    assert sum(expected) > 0


def test_it_compares_machine_text_kept_this_week_with_last_week(team, page):  # noqa: F811
    this_monday = team.today - datetime.timedelta(days=team.today.weekday())
    last_monday = this_monday - datetime.timedelta(weeks=1)

    def share(first, last):
        offered = [
            r
            for r in Revision.objects.filter(origin="person")
            if signs_off(r) and r.machine_text and first <= local_day(r.created_at) <= last
        ]
        if not offered:
            return None
        return round(100 * sum(r.new_target == r.machine_text for r in offered) / len(offered), 1)

    team_row = page.context["acceptance"]["team"]
    assert team_row["this_week"] == share(this_monday, team.today)
    assert team_row["last_week"] == share(last_monday, this_monday - datetime.timedelta(days=1))
    comparison = chart(page, "acceptance")
    assert comparison["labels"][0] == "Whole team"
    assert comparison["datasets"][1]["data"][0] == team_row["this_week"]


def test_it_prices_the_agents_tokens_and_divides_by_approved_words(team, client_for):  # noqa: F811
    ModelPrice.objects.create(
        model="gpt-4.1-mini", input_per_million=Decimal("0.40"), output_per_million=Decimal("1.60")
    )
    page = dashboard(client_for(team.manager), team.project)
    calls = list(ModelCall.objects.filter(model="gpt-4.1-mini"))
    cost = sum(
        Decimal("0.40") * c.tokens_in / 10**6 + Decimal("1.60") * c.tokens_out / 10**6
        for c in calls
    )
    agents = page.context["agents"]
    assert agents["cost"] == cost
    assert agents["unpriced"] == ["qwen2.5-72b-instruct"]
    approved = sum(s.word_count for s in Segment.objects.filter(status="approved"))
    assert agents["cost_per_approved_word"] == cost / approved
    row = next(r for r in agents["rows"] if r["model"] == "gpt-4.1-mini")
    assert (row["calls"], row["failures"]) == (3, 1)
    html = page.content.decode()
    assert "No price is set for qwen2.5-72b-instruct" in html
    assert f"US${cost:,.2f}" in html


def test_it_uses_the_settings_price_when_no_price_is_entered(team, client_for, settings):  # noqa: F811
    from workbench.dashboard import models

    settings.WORKBENCH_MODEL_PRICES = {"*": (1, 2)}
    models.DEFAULT_PRICES = settings.WORKBENCH_MODEL_PRICES
    try:
        agents = dashboard(client_for(team.manager), team.project).context["agents"]
    finally:
        models.DEFAULT_PRICES = {}
    tokens_in = sum(c.tokens_in for c in ModelCall.objects.all())
    tokens_out = sum(c.tokens_out for c in ModelCall.objects.all())
    assert agents["cost"] == (Decimal(tokens_in) + 2 * Decimal(tokens_out)) / 10**6
    assert agents["unpriced"] == []


def test_it_lists_running_and_failed_jobs_with_their_reasons(page):
    html = page.content.decode()
    active = html.split('id="active-jobs"')[1].split("</table>")[0]
    assert "draft_document" in active and 'hx-trigger="every 2s"' in active
    assert "/cancel/" in active
    recent = html.split('id="recent-jobs"')[1].split("</table>")[0]
    assert "the API key is not valid" in recent
    assert "/retry/" in recent


def test_people_behind_on_their_assignments_are_named(team, page):  # noqa: F811
    # tina has segments 1–30 of Lee due tomorrow, seven left, and signs off about two a day.
    people = page.context["people"]["people"]
    assert people["tina"].behind
    assert "tina" in page.context["behind"]


def test_the_number_of_queries_does_not_grow_with_the_documents(
    team,  # noqa: F811
    client_for,
    django_assert_max_num_queries,
):
    client = client_for(team.manager)
    with django_assert_max_num_queries(30) as few:
        dashboard(client, team.project)
    for n in range(5):
        document = team.documents[0]
        document.pk = None
        document.title = f"Copy {n}"
        document.save()
        Segment.objects.create(document=document, position=1, source="x", word_count=3)
        document.assign(team.translators[0], role="translator", by=team.manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        dashboard(client, team.project)


@pytest.mark.parametrize(
    ("persona", "status"), [("translator", 403), ("reviewer", 403), ("outsider", 404)]
)
def test_it_is_refused_to_everyone_but_managers(persona, status, request, client_for, project):
    """Members are refused (the capability table); outsiders do not learn it exists."""
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert dashboard(client, project).status_code == status
    url = reverse("dashboard_dataset", args=[project.slug, "progress"])
    assert client.get(url, {"format": "csv"}).status_code == status
    assert client.get(reverse("model_prices", args=[project.slug])).status_code == status


def test_it_sends_anonymous_people_to_log_in(client, project):
    response = dashboard(client, project)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_shows_an_empty_project_without_failing(client_for, manager, project):
    page = dashboard(client_for(manager), project)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No documents yet." in html
    assert "The agents have not been called in this project yet." in html
    assert "No corrections yet" in html
