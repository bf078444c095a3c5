"""Every chart's numbers download as CSV, and as JSON without ?format=csv."""

import csv
import io

import pytest
from django.urls import reverse

from tests.dashboard_team import team  # noqa: F401
from workbench.documents.models import Segment


def download(client, project, name, **params):
    url = reverse("dashboard_dataset", args=[project.slug, name])
    return client.get(url, {"format": "csv", **params})


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_progress_csv_has_a_row_per_document_and_the_total(team, client_for):  # noqa: F811
    response = download(client_for(team.manager), team.project, "progress")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hk-progress.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = {row["document"]: row for row in rows_of(response)}
    assert set(rows) == {d.title for d in team.documents} | {"Whole project"}
    for document in team.documents:
        for status in ("new", "drafted", "translated", "approved"):
            segments = document.segments.filter(status=status)
            assert int(rows[document.title][f"{status}_segments"]) == len(segments)
            assert int(rows[document.title][f"{status}_words"]) == sum(
                s.word_count for s in segments
            )
    assert rows["Re Wong Estate"]["overdue"] == "True"


@pytest.mark.parametrize("period", ["day", "week"])
def test_the_people_csv_follows_the_period(team, client_for, period):  # noqa: F811
    response = download(client_for(team.manager), team.project, "people", period=period)
    rows = rows_of(response)
    assert f"people-per-{period}.csv" in response["Content-Disposition"]
    tom = sum(int(row["words_translated"]) for row in rows if row["person"] == "tom")
    page = client_for(team.manager).get(
        reverse("dashboard", args=[team.project.slug]), {"period": period}
    )
    assert tom == page.context["people"]["people"]["tom"].words_translated
    days = {row["period_start"] for row in rows}
    assert len(days) <= (14 if period == "day" else 3)


def test_the_agents_csv_has_a_row_per_model_and_role(team, client_for, settings):  # noqa: F811
    settings.WORKBENCH_MODEL_PRICES = {}
    rows = rows_of(download(client_for(team.manager), team.project, "agents"))
    assert [(r["model"], r["role"], r["calls"], r["failures"]) for r in rows] == [
        ("gpt-4.1-mini", "translator", "3", "1"),
        ("qwen2.5-72b-instruct", "annotator", "1", "0"),
    ]
    assert rows[0]["estimated_cost_usd"] == ""  # no price set: no made-up cost


def test_the_acceptance_and_activity_csv_download(team, client_for):  # noqa: F811
    client = client_for(team.manager)
    acceptance = rows_of(download(client, team.project, "acceptance"))
    assert acceptance[-1]["person"] == "Team"
    activity = rows_of(download(client, team.project, "activity", kind="send_back"))
    assert [row["what"] for row in activity] == ["sent back segment 1: Use 上訴人."]


def test_without_format_it_answers_json(team, client_for):  # noqa: F811
    url = reverse("dashboard_dataset", args=[team.project.slug, "progress"])
    data = client_for(team.manager).get(url).json()
    assert data["columns"][0] == "document"
    total = next(row for row in data["rows"] if row[0] == "Whole project")
    approved_words = total[data["columns"].index("approved_words")]
    assert approved_words == sum(s.word_count for s in Segment.objects.filter(status="approved"))


def test_an_unknown_dataset_is_not_found(client_for, manager, project):
    url = reverse("dashboard_dataset", args=[project.slug, "salaries"])
    assert client_for(manager).get(url, {"format": "csv"}).status_code == 404
