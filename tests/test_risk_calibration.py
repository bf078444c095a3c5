"""The dashboard's risk calibration, against a hand-made set of reviewed segments: per
risk level, how many people reviewed, how many they edited and the mean HTER."""

import pytest
from sacrebleu.metrics import TER

from workbench.dashboard.calibration import risk_calibration
from workbench.documents import lifecycle
from workbench.documents.models import Document, Segment
from workbench.translation.services import CONFIRM, do_save_target

# (risk, machine text, the person's text); None: nobody reviewed it.
REVIEWED = [
    ("low", "上訴人出庭作供。", "上訴人出庭作供。"),
    ("low", "證人接受盤問。", "證人接受盤問。"),
    ("low", "法官向陪審團作出指引。", "法官向陪審團作指引。"),
    ("medium", "答辯人須支付訟費。", "答辯人須支付上訴的訟費。"),
    ("medium", "上訴得直。", "上訴得直。"),
    ("high", "上訴人於2021年支付。", "上訴人於2021年3月3日支付港幣38,500元。"),
    ("high", "本院裁定原審法官錯誤。", "本院裁定原審法官在引導陪審團時犯錯。"),
    ("high", "駁回上訴。", None),
]
ZH_TER = TER(normalized=True, asian_support=True)


def hter(machine, final):
    return ZH_TER.sentence_score(machine, [final]).score / 100


@pytest.fixture
def reviewed(project, translator):
    document = Document.objects.create(
        project=project,
        title="HCMA 1/2024",
        original_filename="x.txt",
        format="txt",
        status="ready",
    )
    segments = Segment.objects.bulk_create(
        Segment(document=document, position=n, source=f"Sentence {n}.", source_hash=str(n))
        for n in range(1, len(REVIEWED) + 1)
    )
    lifecycle.write_drafts(
        {s.pk: (0, machine) for s, (_, machine, _) in zip(segments, REVIEWED, strict=True)},
        provenance=lambda pk: {
            "agent_role": "translator",
            "model_name": "m",
            "prompt_version": "v",
        },
        risks={
            s.pk: (risk, [{"level": risk, "reason": "hand-made"}])
            for s, (risk, _, _) in zip(segments, REVIEWED, strict=True)
        },
    )
    for segment, (_, _, final) in zip(segments, REVIEWED, strict=True):
        if final is None:
            continue
        segment.refresh_from_db()
        do_save_target(
            segment,
            user=translator,
            role="translator",
            text=final,
            base_version=segment.version,
            action=CONFIRM,
            started_from=segment.target,
            override_reason="hand-made",
        )
    return document


def expected(level):
    rows = [(m, f) for risk, m, f in REVIEWED if risk == level and f is not None]
    hters = [hter(m, f) for m, f in rows]
    return len(rows), sum(m != f for m, f in rows), sum(hters) / len(hters)


def test_it_counts_reviews_edits_and_mean_hter_per_level(reviewed, project):
    rows = {row.level: row for row in risk_calibration(project)}

    assert list(rows) == ["low", "medium", "high"]
    for level in rows:
        count, edited, mean = expected(level)
        assert (rows[level].reviewed, rows[level].edited) == (count, edited)
        assert rows[level].mean_hter == pytest.approx(mean)
        assert rows[level].edited_share == pytest.approx(edited / count)
    assert rows["low"].mean_hter < rows["medium"].mean_hter < rows["high"].mean_hter


def test_segments_that_skipped_review_are_counted_apart(project, translator):
    project.low_risk_review = "confirm"
    project.save()
    document = Document.objects.create(
        project=project,
        title="HCMA 2/2024",
        original_filename="x.txt",
        format="txt",
        status="ready",
    )
    segment = Segment.objects.create(document=document, position=1, source="A.", source_hash="a")

    lifecycle.write_drafts(
        {segment.pk: (0, "甲。")},
        risks={segment.pk: ("low", [{"level": "low", "reason": "hand-made"}])},
        skip_review="confirm",
    )

    low = risk_calibration(project)[0]
    assert (low.level, low.reviewed, low.skipped) == ("low", 0, 1)
    assert low.edited_share is None and low.mean_hter is None


def test_the_dashboard_shows_the_table_and_settings_link_to_it(reviewed, client_for, manager):
    page = client_for(manager).get("/projects/hk/dashboard/").content.decode()

    assert 'id="risk-calibration-table"' in page
    count, edited, mean = expected("high")
    assert f"{mean:.3f}" in page
    settings_page = client_for(manager).get("/projects/hk/settings/").content.decode()
    assert "/projects/hk/dashboard/#risk-calibration" in settings_page
    assert "Low-risk segments" in settings_page


def test_the_policy_is_a_project_setting(client_for, manager, project):
    response = client_for(manager).get("/projects/hk/settings/")
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(qa_blocking_severities=["major", "critical"], low_risk_review="confirm")
    data.pop("pseudonymise", None)

    client_for(manager).post("/projects/hk/settings/", data)

    project.refresh_from_db()
    assert project.low_risk_review == "confirm"

    data["low_risk_review"] = "everything"
    response = client_for(manager).post("/projects/hk/settings/", data)
    project.refresh_from_db()
    assert project.low_risk_review == "confirm"
    assert "low_risk_review" in response.context["form"].errors
