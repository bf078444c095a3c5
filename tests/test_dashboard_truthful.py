"""The dashboard says only what it knows: no "at risk" or "behind" before the team has a
pace, the agents' cost per approved word counts only words approved here, and the
drafting summary counts what was drafted."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from workbench.dashboard import metrics
from workbench.dashboard.models import ModelPrice
from workbench.documents import lifecycle
from workbench.documents.models import Document, Revision, Segment
from workbench.jobs.models import Job, ModelCall


def fresh_document(project, manager, *, due_in_days=3, segments=12, title="HKSAR v Lam"):
    document = Document.objects.create(
        project=project,
        title=title,
        original_filename="lam.docx",
        original_file="originals/lam.docx",
        format="docx",
        status="ready",
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
        created_by=manager,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=n,
            source=f"Paragraph {n} of the judgment.",
            source_hash=f"{document.pk}-{n}",
            word_count=5,
        )
        for n in range(1, segments + 1)
    )
    return document


def confirm(segment, user, text="譯文。"):
    segment.refresh_from_db()
    return lifecycle.change_text(
        segment,
        action="confirm",
        user=user,
        role="translator",
        text=text,
        base_version=segment.version,
    )


def dashboard(client, project):
    return client.get(reverse("dashboard", args=[project.slug]))


def test_on_day_zero_nothing_is_at_risk_and_nobody_is_behind(
    client_for, project, manager, translator
):
    document = fresh_document(project, manager)
    document.assign(translator, role="translator", by=manager, due_date=document.due_date)
    page = dashboard(client_for(manager), project)
    overview = page.context["overview"]
    (progress,) = overview.documents
    assert overview.pace is None
    assert (progress.at_risk, progress.overdue, progress.no_pace) == (False, False, True)
    person = page.context["people"]["people"]["tom"]
    assert (person.behind, person.no_pace) == (False, True)
    assert page.context["behind"] == []
    html = page.content.decode()
    assert "at risk</span>" not in html and ">behind</span>" not in html
    assert html.count('<span class="badge">no pace yet</span>') == 2  # document, person
    assert "no pace yet: work signed off on a day before today sets it" in html


def test_a_first_mornings_work_is_not_yet_a_pace(client_for, project, manager, translator):
    document = fresh_document(project, manager, due_in_days=1)
    document.assign(translator, role="translator", by=manager, due_date=document.due_date)
    confirm(document.segments.get(position=1), translator)
    page = dashboard(client_for(manager), project)
    assert page.context["overview"].pace is None
    assert not page.context["overview"].documents[0].at_risk
    assert page.context["behind"] == []


def test_with_a_day_of_work_behind_it_the_pace_judges_the_due_date(
    client_for, project, manager, translator
):
    document = fresh_document(project, manager, due_in_days=1, segments=40)
    document.assign(translator, role="translator", by=manager, due_date=document.due_date)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    confirm(document.segments.get(position=1), translator)
    # Yesterday's work (the tallies follow a revision's date through the triggers).
    Revision.objects.filter(segment__document=document).update(created_at=yesterday)
    page = dashboard(client_for(manager), project)
    overview = page.context["overview"]
    assert overview.pace is not None
    assert overview.documents[0].at_risk  # 5 words a day, 40 × 2 steps left, due tomorrow
    assert page.context["behind"] == ["tom"]


def test_past_the_due_date_with_words_left_is_behind_pace_or_not(
    client_for, project, manager, translator
):
    document = fresh_document(project, manager, due_in_days=5)
    document.assign(
        translator,
        role="translator",
        by=manager,
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    page = dashboard(client_for(manager), project)
    assert page.context["behind"] == ["tom"]


def test_the_cost_per_approved_word_counts_only_words_approved_here(
    client_for, project, manager, reviewer
):
    document = fresh_document(project, manager, segments=4)
    segments = list(document.segments.order_by("position"))
    # Segments 1 and 2 came approved in an imported bilingual file.
    Segment.objects.filter(pk__in=[s.pk for s in segments[:2]]).update(
        status="approved", target="已核准。"
    )
    lifecycle.record_import(Segment.objects.filter(pk__in=[s.pk for s in segments[:2]]))
    # Segment 3 a reviewer approves here.
    third = segments[2]
    lifecycle.change_text(
        third, action="approve", user=reviewer, role="reviewer", text="核准。", base_version=0
    )
    ModelPrice.objects.create(
        project=project, model="m", input_per_million=Decimal(1), output_per_million=Decimal(0)
    )
    job = Job.objects.create(kind="draft_document", project=project, document=document)
    ModelCall.objects.create(
        job=job, project=project, role="translator", model="m", tokens_in=10**6
    )
    page = dashboard(client_for(manager), project)
    agents = page.context["agents"]
    here = Segment.objects.get(pk=third.pk).word_count
    assert Segment.objects.filter(status="approved").count() == 3
    assert agents["approved_words"] == here
    assert agents["cost_per_thousand_approved_words"] == Decimal(1000) / here
    assert "per 1,000 words approved here" in page.content.decode()


def test_without_words_approved_here_there_is_no_cost_per_word(client_for, project, manager):
    document = fresh_document(project, manager, segments=2)
    document.segments.update(status="approved", target="已核准。")
    lifecycle.record_import(document.segments.all())
    assert metrics.agents(project)["cost_per_approved_word"] is None
    assert "no words approved here yet" in dashboard(client_for(manager), project).content.decode()


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            {"drafted": 0, "flagged": 17, "failed": 0, "late": 0, "calls": 9},
            ["17 drafted by the agents (17 with issues to check)", "9 calls"],
        ),
        (
            {"from_tm": 3, "drafted": 10, "flagged": 2, "failed": 1, "late": 1},
            [
                "12 drafted by the agents (2 with issues to check)",
                "3 filled from the TM",
                "1 got no text",
                "1 changed by a person meanwhile (offered as suggestions)",
            ],
        ),
    ],
)
def test_the_drafting_summary_counts_what_was_drafted(
    client_for, project, manager, result, expected
):
    document = fresh_document(project, manager)
    job = Job.objects.create(
        kind="draft_document",
        project=project,
        document=document,
        status="succeeded",
        result=result,
        created_by=manager,
        finished_at=timezone.now(),
    )
    assert job.summary == expected
    page = client_for(manager).get(reverse("drafting", args=[project.slug, document.pk]))
    assert expected[0] in page.content.decode()


def test_the_drafting_page_counts_what_the_agents_drafted_after_people_confirm_it(
    client_for, project, manager, translator
):
    document = fresh_document(project, manager, segments=5)
    drafted = list(document.segments.order_by("position")[:3])
    lifecycle.write_drafts(
        {segment.pk: (segment.version, f"草稿 {segment.position}") for segment in drafted},
        provenance=lambda pk: {
            "agent_role": "translator",
            "model_name": "m",
            "prompt_version": "v",
        },
    )
    for segment in drafted:
        confirm(segment, translator)
    page = client_for(manager).get(reverse("drafting", args=[project.slug, document.pk]))
    summary = page.content.decode().split('id="drafted-summary">')[1].split("</p>")[0]
    assert summary == (
        "The agents have drafted 3 segments. Now: 2 new, 0 drafted and waiting for a person, "
        "3 translated, 0 approved, 0 sent back."
    )
