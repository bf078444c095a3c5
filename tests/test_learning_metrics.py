"""learning_metrics: corrections per period and per role · model · prompt version, on a
hand-built set of corrections whose expected figures are worked out here."""

import datetime
from statistics import mean

import pytest
from django.utils import timezone

from tests.test_corrections import make_document
from workbench.feedback.metrics import learning_metrics
from workbench.feedback.models import Correction
from workbench.projects.models import Project

MONDAY = datetime.date(2026, 3, 2)
NEXT_MONDAY = MONDAY + datetime.timedelta(7)
V1, V2 = "translator-v1", "translator-v2"

# (day, role, model, prompt version, edit distance, hter, current)
DATASET = [
    (MONDAY, "translator", "gpt-a", V1, 0, 0.0, True),
    (MONDAY + datetime.timedelta(2), "translator", "gpt-a", V1, 6, 0.5, True),
    (MONDAY + datetime.timedelta(6), "translator", "gpt-a", V1, 3, 0.25, True),
    (MONDAY + datetime.timedelta(1), "translator", "gpt-a", V1, 40, 0.9, False),  # superseded
    (MONDAY + datetime.timedelta(3), "proofreader", "gpt-b", V2, 2, None, True),  # no TER
    (MONDAY + datetime.timedelta(4), "tm", "", "", 0, 0.0, True),
    (NEXT_MONDAY, "translator", "gpt-a", V1, 0, 0.0, True),
    (NEXT_MONDAY + datetime.timedelta(1), "translator", "gpt-a", V2, 4, 0.2, True),
    (NEXT_MONDAY + datetime.timedelta(1), "translator", "gpt-a", V2, 0, 0.0, True),
]


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def add_correction(project, segment, day, role, model, version, distance, hter, current=True):
    return Correction.objects.create(
        project=project,
        segment=segment,
        event="approve",
        source=segment.source,
        machine_text="機器",
        final_text="人",
        agent_role=role,
        model_name=model,
        prompt_version=version,
        edit_distance=distance,
        hter=hter,
        chrf=50.0,
        chrf_signature="nrefs:1",
        is_current=current,
        created_at=at_noon(day),
    )


@pytest.fixture
def dataset(project, manager):
    segments = list(make_document(project, ["One.", "Two."]).segments.all())
    for n, row in enumerate(DATASET):
        add_correction(project, segments[n % 2], *row)
    # Another project's corrections never count.
    other = Project.objects.create(
        name="Other", slug="other", source_language="en", target_language="fr"
    )
    add_correction(
        other,
        make_document(other, ["Three."]).segments.get(),
        MONDAY,
        "translator",
        "gpt-a",
        V1,
        9,
        1.0,
    )
    return project


def expected(rows):
    """The figures for some DATASET rows, computed without the database."""
    current = [row for row in rows if row[6]]
    hters = [row[5] for row in current if row[5] is not None]
    unchanged = sum(1 for row in current if row[4] == 0)
    return {
        "corrections": len(current),
        "accepted_unchanged": unchanged,
        "acceptance_rate": unchanged / len(current),
        "mean_edit_distance": mean(row[4] for row in current),
        "mean_hter": mean(hters) if hters else None,
    }


def group(row):
    return (row["agent_role"], row["model"], row["prompt_version"])


def figures(row):
    return {
        key: row[key]
        for key in (
            "corrections",
            "accepted_unchanged",
            "acceptance_rate",
            "mean_edit_distance",
            "mean_hter",
        )
    }


def test_it_groups_current_corrections_by_week_and_origin(dataset):
    result = learning_metrics(dataset)

    assert result["period"] == "week"
    found = {(row["period_start"], *group(row)): figures(row) for row in result["rows"]}
    wanted = {}
    for week in (MONDAY, NEXT_MONDAY):
        for key in {(r[1], r[2], r[3]) for r in DATASET}:
            rows = [
                r
                for r in DATASET
                if (r[1], r[2], r[3]) == key and week <= r[0] < week + datetime.timedelta(7)
            ]
            if any(r[6] for r in rows):
                wanted[(week, *key)] = expected(rows)
    assert found.keys() == wanted.keys()
    for key, values in wanted.items():
        assert found[key] == pytest.approx(values), key
    assert [row["period_start"] for row in result["rows"]] == sorted(
        row["period_start"] for row in result["rows"]
    )


def test_it_gives_totals_per_origin_without_the_period(dataset):
    totals = {group(row): row for row in learning_metrics(dataset)["totals"]}

    assert set(totals) == {
        ("translator", "gpt-a", V1),
        ("translator", "gpt-a", V2),
        ("proofreader", "gpt-b", V2),
        ("tm", "", ""),
    }
    for key, row in totals.items():
        assert "period_start" not in row
        assert figures(row) == pytest.approx(
            expected([r for r in DATASET if (r[1], r[2], r[3]) == key])
        )
    # Translator v1: 0, 6, 3 and 0 characters, the superseded 40 left out.
    assert totals[("translator", "gpt-a", V1)]["mean_edit_distance"] == pytest.approx(9 / 4)
    assert totals[("proofreader", "gpt-b", V2)]["mean_hter"] is None


def test_it_keeps_to_the_dates_asked_for(dataset):
    result = learning_metrics(
        dataset, period="month", since=NEXT_MONDAY, until=NEXT_MONDAY + datetime.timedelta(1)
    )

    assert {row["period_start"] for row in result["rows"]} == {datetime.date(2026, 3, 1)}
    totals = {group(row): row["corrections"] for row in result["totals"]}
    assert totals == {("translator", "gpt-a", V1): 1, ("translator", "gpt-a", V2): 2}


def test_it_counts_by_day(dataset):
    rows = learning_metrics(dataset, period="day", until=MONDAY)["rows"]

    assert [(row["period_start"], group(row), row["corrections"]) for row in rows] == [
        (MONDAY, ("translator", "gpt-a", V1), 1)
    ]


def test_it_is_empty_for_a_project_without_corrections(project):
    assert learning_metrics(project) == {"period": "week", "rows": [], "totals": []}


def test_it_rejects_an_unknown_period(project):
    with pytest.raises(ValueError, match="“year” is not a period"):
        learning_metrics(project, period="year")
