"""The activity feed: what happened, filterable by kind, person and date."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.dashboard_team import team  # noqa: F401
from workbench.documents.models import Revision


def feed(client, project, **params):
    response = client.get(reverse("dashboard", args=[project.slug]), params)
    return response, response.context["events"]


def test_it_groups_approvals_per_reviewer_document_and_day(team, client_for):  # noqa: F811
    _, events = feed(client_for(team.manager), team.project, kind="approval")
    today = timezone.localdate()
    first = today - datetime.timedelta(days=13)
    expected = {}
    for revision in Revision.objects.filter(new_status="approved").select_related("segment"):
        day = timezone.localtime(revision.created_at).date()
        if day >= first:
            key = (revision.segment.document.title, day)
            expected[key] = expected.get(key, 0) + 1
    shown = {(e["title"], e["at"].date()): e["amount"] for e in events}
    assert shown == expected
    assert {e["person"] for e in events} == {"rita"}


def test_it_shows_every_kind_newest_first(team, client_for):  # noqa: F811
    _, events = feed(client_for(team.manager), team.project)
    kinds = {event["kind"] for event in events}
    assert kinds == {"import", "agents", "approval", "send_back", "export", "assignment"}
    moments = [event["at"] for event in events]
    assert moments == sorted(moments, reverse=True)
    failed = next(e for e in events if e["kind"] == "agents" and "failed" in e["detail"])
    assert "the API key is not valid" in failed["detail"]


def test_it_filters_by_person_and_date(team, client_for):  # noqa: F811
    client = client_for(team.manager)
    _, events = feed(client, team.project, person=team.reviewer.pk)
    assert events and {e["person"] for e in events} == {"rita"}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _, events = feed(client, team.project, since=yesterday, until=yesterday, kind="approval")
    assert events and {e["at"].date() for e in events} == {yesterday}


def test_it_ignores_bad_filters_and_says_why(team, client_for):  # noqa: F811
    client = client_for(team.manager)
    response, events = feed(
        client, team.project, kind="salaries", person="999999", since="2026-13-45"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Enter a valid date" in html
    assert len(events) > 0  # the defaults: everything in the last two weeks


def test_it_refuses_dates_in_the_wrong_order(team, client_for):  # noqa: F811
    response, events = feed(
        client_for(team.manager), team.project, since="2026-05-02", until="2026-05-01"
    )
    assert "swap the two dates" in response.content.decode()
    assert events  # shown for the default two weeks instead
