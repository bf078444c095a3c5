"""Quality assessment by reviewers (LQA): recording and withdrawing errors, who they count
against, the score per 1,000 evaluated words with pass/fail, the report as a page, CSV
and printable view, and the dashboard's quality section."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from workbench.audit.models import AuditEvent
from workbench.documents.lifecycle import APPROVE, CONFIRM, SAVE, write_drafts
from workbench.documents.models import Segment
from workbench.documents.services import import_document
from workbench.feedback import lqa
from workbench.feedback.models import LqaError
from workbench.translation.models import Annotation
from workbench.translation.services import do_bulk_approve, do_save_target, do_send_back

from .conftest import make_project, make_user

SOURCE = (
    b"The appellant was convicted of dealing with property.\n\n"
    b"The sum was HK$1,250,000.\n\n"
    b"The appeal is dismissed.\n"
)
AGENT = {"agent_role": "translator", "model_name": "qwen-legal", "prompt_version": "t-3"}


def reload(segment):
    return Segment.objects.get(pk=segment.pk)


def confirm(segment, user, text=None):
    segment = reload(segment)
    do_save_target(
        segment,
        user=user,
        role="translator",
        text=segment.target if text is None else text,
        base_version=segment.version,
        action=CONFIRM,
    )
    return reload(segment)


@pytest.fixture
def judgment(project, manager, translator, reviewer):
    """Three segments of 500, 400 and 300 words (1,200 together): the first drafted by an
    agent and confirmed unchanged by the translator, the other two the translator's own
    confirmed text."""
    document = import_document(project, data=SOURCE, filename="judgment.txt", user=manager)
    one, two, three = document.segments.order_by("position")
    for segment, words in ((one, 500), (two, 400), (three, 300)):
        Segment.objects.filter(pk=segment.pk).update(word_count=words)
    write_drafts(
        {one.pk: (one.version, "上訴人被裁定處理財產罪名成立。")}, provenance=lambda pk: AGENT
    )
    confirm(one, translator)
    confirm(two, translator, "款項為港幣1,250,000元。")
    confirm(three, translator, "上訴駁回。")
    return document


def segments(document):
    return list(document.segments.order_by("position"))


def record(segment, user, category, severity, role="reviewer", note=""):
    return lqa.record_error(
        reload(segment), user=user, role=role, category=category, severity=severity, note=note
    )


@pytest.fixture
def assessed(judgment, reviewer):
    """2 minor errors and 1 major over the 1,200 reviewed words: a minor terminology error
    in the agent's text; segment 2 sent back with a major mistranslation and a minor
    grammar error in the translator's text; segment 3 approved without errors."""
    one, two, three = segments(judgment)
    record(one, reviewer, "terminology", "minor")
    do_send_back(reload(two), user=reviewer, role="reviewer", text="The sum is wrong.")
    record(two, reviewer, "mistranslation", "major", note="款項 is not the sum here")
    record(two, reviewer, "grammar", "minor")
    do_bulk_approve(judgment, {three.pk: reload(three).version}, user=reviewer, role="reviewer")
    return judgment


# Score --------------------------------------------------------------------------------------


def test_the_score_is_error_points_per_1000_evaluated_words(assessed):
    score = lqa.document_score(assessed)

    assert (score.words, score.errors, score.points) == (1200, 3, 7)
    assert score.per_1000 == pytest.approx(7 / 1.2)  # 5.83
    assert round(score.per_1000, 2) == 5.83
    assert score.by_severity == {"minor": 2, "major": 1, "critical": 0}


def test_a_document_passes_at_or_under_the_projects_threshold(assessed):
    project = assessed.project
    assert project.lqa_max_points_per_1000 == Decimal("10.00")  # the default
    assert lqa.document_score(assessed).verdict == "pass"

    project.lqa_max_points_per_1000 = Decimal("5.83")
    project.save()
    assert lqa.document_score(assessed).passed is False

    project.lqa_max_points_per_1000 = Decimal("5.84")
    project.save()
    assert lqa.document_score(assessed).passed is True


def test_segments_nobody_reviewed_are_not_evaluated(judgment, reviewer):
    assert lqa.document_score(judgment).verdict == "not assessed"
    one = segments(judgment)[0]
    record(one, reviewer, "style", "critical")

    score = lqa.document_score(judgment)
    assert (score.words, score.points) == (500, 25)
    assert score.per_1000 == 50
    assert score.passed is False


def test_errors_count_against_the_translator_or_the_agent_that_wrote_the_text(assessed):
    one, two, _ = segments(assessed)
    agent_error = one.lqa_errors.get()
    assert (agent_error.text_origin, agent_error.agent_role, agent_error.model_name) == (
        "agent",
        "translator",
        "qwen-legal",
    )
    assert agent_error.translator is None
    assert {error.translator.username for error in two.lqa_errors.all()} == {"tom"}

    quality = lqa.report(assessed.project, [assessed])
    scores = {author.label: score for author, score in quality.authors}
    assert set(scores) == {"translator · qwen-legal", "tom"}
    assert (scores["translator · qwen-legal"].words, scores["translator · qwen-legal"].points) == (
        500,
        1,
    )
    assert scores["translator · qwen-legal"].per_1000 == 2
    assert (scores["tom"].words, scores["tom"].points) == (700, 6)
    assert scores["tom"].per_1000 == pytest.approx(6000 / 700)


def test_an_error_recorded_after_the_reviewers_own_edit_is_about_the_translators_text(
    judgment, reviewer
):
    three = segments(judgment)[2]
    translators = three.revisions.latest("created_at", "pk")
    do_save_target(
        three,
        user=reviewer,
        role="reviewer",
        text="上訴予以駁回。",
        base_version=three.version,
        action=APPROVE,
    )

    error = record(three, reviewer, "style", "minor")

    assert error.revision == translators
    assert error.assessed_text == "上訴駁回。"
    assert error.translator.username == "tom"
    assert reload(three).target == "上訴予以駁回。"


def test_recording_an_error_leaves_the_segment_as_it_is(judgment, reviewer):
    two = segments(judgment)[1]
    before = (two.status, two.target, two.version, two.revisions.count())

    record(two, reviewer, "number_date", "critical")

    two = reload(two)
    assert (two.status, two.target, two.version, two.revisions.count()) == before


def test_the_matrix_counts_errors_by_category_and_severity(assessed):
    quality = lqa.report(assessed.project, [assessed])
    rows = {label: (row, total, points) for label, row, total, points in quality.matrix}

    assert len(rows) == 9
    assert rows["Accuracy: mistranslation"] == ([0, 1, 0], 1, 5)
    assert rows["Terminology"] == ([1, 0, 0], 1, 1)
    assert rows["Grammar"] == ([1, 0, 0], 1, 1)
    assert rows["Legal reference"] == ([0, 0, 0], 0, 0)


def test_the_weights_live_in_one_place():
    assert LqaError.WEIGHTS == {"minor": 1, "major": 5, "critical": 25}
    assert set(LqaError.Category.values) == {
        "mistranslation",
        "omission",
        "addition",
        "terminology",
        "legal_reference",
        "number_date",
        "grammar",
        "style",
        "locale",
    }


# Recording in the panel -------------------------------------------------------------------


def lqa_url(segment, *extra, name="segment_lqa"):
    document = segment.document
    return reverse(name, args=[document.project.slug, document.pk, segment.pk, *extra])


def test_a_reviewer_records_an_error_through_the_panel(client_for, reviewer, judgment):
    two = segments(judgment)[1]
    response = client_for(reviewer).post(
        lqa_url(two),
        {"category": "number_date", "severity": "major", "note": "HK$1,250,000 vs 1,205,000"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Recorded a major number or date error (5 points) against tom." in content
    assert "HK$1,250,000 vs 1,205,000" in content
    error = two.lqa_errors.get()
    assert (error.category, error.severity, error.reviewer, error.note) == (
        "number_date",
        "major",
        reviewer,
        "HK$1,250,000 vs 1,205,000",
    )


def test_the_panel_shows_the_form_to_reviewers_only(client_for, reviewer, translator, assessed):
    two = segments(assessed)[1]
    seen_by_translator = client_for(translator).get(lqa_url(two)).content.decode()
    assert "Accuracy: mistranslation" in seen_by_translator  # the recorded error
    assert "款項 is not the sum here" in seen_by_translator
    assert "Record error" not in seen_by_translator
    assert "Withdraw" not in seen_by_translator

    seen_by_reviewer = client_for(reviewer).get(lqa_url(two)).content.decode()
    assert "Record error" in seen_by_reviewer
    assert f'<label for="lqa-{two.pk}-category">Error category</label>' in seen_by_reviewer
    assert "Withdraw" in seen_by_reviewer


def test_the_editor_panel_loads_the_quality_section(client_for, reviewer, judgment):
    two = segments(judgment)[1]
    response = client_for(reviewer).get(lqa_url(two, name="segment_panel"))
    assert f'hx-get="{lqa_url(two)}"' in response.content.decode()


def test_a_translator_cannot_record_an_error(client_for, translator, judgment):
    two = segments(judgment)[1]
    response = client_for(translator).post(
        lqa_url(two), {"category": "grammar", "severity": "minor"}
    )
    assert response.status_code == 403
    assert not LqaError.objects.exists()
    with pytest.raises(lqa.PermissionDenied):
        record(two, translator, "grammar", "minor", role="translator")


def test_another_projects_members_get_404(client, judgment):
    stranger = make_user("olga")
    make_project("elsewhere", "Elsewhere", "en", "zh-Hant-HK", [(stranger, "manager")])
    client.force_login(stranger)
    two = segments(judgment)[1]

    assert (
        client.post(lqa_url(two), {"category": "grammar", "severity": "minor"}).status_code == 404
    )
    assert client.get(lqa_url(two)).status_code == 404
    report = reverse("document_lqa_report", args=[judgment.project.slug, judgment.pk])
    assert client.get(report).status_code == 404
    assert not LqaError.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"category": "spelling", "severity": "minor"}, "“spelling” is not an error category"),
        ({"category": "grammar", "severity": "fatal"}, "“fatal” is not a severity"),
        ({"severity": "minor"}, "Choose the error&#x27;s category."),
        ({"category": "grammar", "severity": "minor", "note": "x" * 1001}, "at most 1000"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_stores_nothing(
    client_for, reviewer, judgment, data, message
):
    two = segments(judgment)[1]
    response = client_for(reviewer).post(lqa_url(two), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was recorded:" in content
    assert message in content
    assert not LqaError.objects.exists()


def test_the_service_refuses_unknown_categories_and_untranslated_segments(
    project, manager, reviewer
):
    document = import_document(project, data=b"Untouched.\n", filename="a.txt", user=manager)
    segment = document.segments.get()
    with pytest.raises(lqa.LqaRefused, match="no translation yet"):
        record(segment, reviewer, "grammar", "minor")
    with pytest.raises(lqa.LqaRefused, match="not an error category"):
        record(segment, reviewer, "spelling", "minor")
    assert not LqaError.objects.exists()


def test_the_panel_asks_for_a_translation_before_errors_are_recorded(
    client_for, reviewer, project, manager
):
    document = import_document(project, data=b"Untouched.\n", filename="a.txt", user=manager)
    content = client_for(reviewer).get(lqa_url(document.segments.get())).content.decode()
    assert "Errors can be recorded once the segment has a translation." in content
    assert "Record error" not in content


# Withdrawing ---------------------------------------------------------------------------------


def test_the_reviewer_who_recorded_it_or_a_manager_withdraws_an_error(
    client_for, reviewer, manager, project, assessed
):
    two = segments(assessed)[1]
    mine, other = two.lqa_errors.order_by("pk")
    second_reviewer = make_user("rex")
    project.memberships.create(user=second_reviewer, role="reviewer")

    url = lqa_url(two, other.pk, name="lqa_error_withdraw")
    assert client_for(second_reviewer).post(url).status_code == 403
    assert client_for(reviewer).post(url).status_code == 200
    assert not LqaError.objects.filter(pk=other.pk).exists()

    response = client_for(manager).post(lqa_url(two, mine.pk, name="lqa_error_withdraw"))
    assert response.status_code == 200
    assert "The error was withdrawn." in response.content.decode()
    assert not two.lqa_errors.exists()
    withdrawn = AuditEvent.objects.filter(kind=AuditEvent.Kind.LQA_ERROR_WITHDRAWN)
    assert sorted(event.username for event in withdrawn) == ["mandy", "rita"]
    assert {event.details["category"] for event in withdrawn} == {"mistranslation", "grammar"}


def test_a_translator_cannot_withdraw_an_error(client_for, translator, assessed):
    two = segments(assessed)[1]
    error = two.lqa_errors.first()
    response = client_for(translator).post(lqa_url(two, error.pk, name="lqa_error_withdraw"))
    assert response.status_code == 403
    assert LqaError.objects.filter(pk=error.pk).exists()


# The report ----------------------------------------------------------------------------------


def report_url(document=None, project=None):
    if document is not None:
        return reverse("document_lqa_report", args=[document.project.slug, document.pk])
    return reverse("project_lqa_report", args=[project.slug])


def test_the_document_report_shows_the_score_the_matrix_and_the_authors(
    client_for, translator, assessed
):
    response = client_for(translator).get(report_url(assessed))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<strong id="lqa-verdict">Pass</strong>' in content
    assert '<strong id="lqa-score">5.83</strong> error points per 1,000 words' in content
    assert "(threshold 10)" in content
    assert "3 errors, 7 points over 1,200 evaluated words in 3 reviewed segments." in content
    assert "translator · qwen-legal" in content
    assert "款項 is not the sum here" in content
    assert 'href="?format=csv"' in content and 'href="?print=1"' in content


def test_the_report_as_csv(client_for, manager, assessed):
    response = client_for(manager).get(report_url(assessed), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"hk-document-{assessed.pk}-quality.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    summary, errors = text[1:].split("\r\n\r\n")
    summary_rows = list(csv.reader(io.StringIO(summary)))
    assert summary_rows[0][:7] == [
        "scope",
        "evaluated_words",
        "errors",
        "points",
        "points_per_1000",
        "threshold",
        "result",
    ]
    assert summary_rows[1] == ["all", "1200", "3", "7", "5.83", "10.00", "pass"]
    assert ["translator: tom", "700", "2", "6", "8.57", "10.00", "pass"] in summary_rows
    assert ["agent: translator · qwen-legal", "500", "1", "1", "2.00", "10.00", "pass"] in (
        summary_rows
    )
    rows = list(csv.DictReader(io.StringIO(errors)))
    assert [(row["segment"], row["category"], row["severity"], row["points"]) for row in rows] == [
        ("1", "Terminology", "Minor", "1"),
        ("2", "Accuracy: mistranslation", "Major", "5"),
        ("2", "Grammar", "Minor", "1"),
    ]
    assert rows[1]["author"] == "tom" and rows[1]["reviewer"] == "rita"
    assert rows[1]["assessed_text"] == "款項為港幣1,250,000元。"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DATA_DOWNLOADED).exists()


def test_the_csv_never_runs_a_note_as_a_formula(client_for, manager, reviewer, judgment):
    record(segments(judgment)[0], reviewer, "style", "minor", note="=HYPERLINK(1)")
    text = client_for(manager).get(report_url(judgment), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_the_printable_view_has_no_page_chrome_and_a_print_stylesheet(
    client_for, reviewer, assessed
):
    response = client_for(reviewer).get(report_url(assessed), {"print": "1"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="lqa-print"' in content
    assert "css/lqa.css" in content
    assert 'class="topbar"' not in content
    assert "<style" not in content and " style=" not in content
    assert '<strong id="lqa-score">5.83</strong>' in content
    assert '<button type="button" data-print>Print</button>' in content


def test_the_project_report_lists_each_document(client_for, reviewer, manager, assessed):
    other = import_document(
        assessed.project, data=b"Another judgment.\n", filename="b.txt", user=manager
    )
    response = client_for(reviewer).get(report_url(project=assessed.project))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Quality report of the project" in content
    assert 'id="lqa-documents"' in content
    assert other.title in content
    assert "not assessed" in content


def test_translators_do_not_see_the_project_report(client_for, translator, project):
    assert client_for(translator).get(report_url(project=project)).status_code == 403


def test_the_threshold_is_a_project_setting(client_for, manager, project):
    url = reverse("project_settings", args=[project.slug])
    page = client_for(manager).get(url).content.decode()
    assert 'name="lqa_max_points_per_1000"' in page

    data = {
        "name": project.name,
        "description": "",
        "tm_threshold": 75,
        "tm_draft_threshold": 100,
        "agent_max_rounds": 2,
        "auto_propagate": "on",
        "pseudonymise": "",
        "low_risk_review": "review",
        "lqa_max_points_per_1000": "-1",
    }
    refused = client_for(manager).post(url, data)
    assert refused.status_code == 200
    assert "greater than or equal to 0" in refused.content.decode()
    project.refresh_from_db()
    assert project.lqa_max_points_per_1000 == 10

    client_for(manager).post(url, {**data, "lqa_max_points_per_1000": "7.5"})
    project.refresh_from_db()
    assert project.lqa_max_points_per_1000 == Decimal("7.5")

    client_for(manager).post(url, {**data, "lqa_max_points_per_1000": ""})  # left as it was
    project.refresh_from_db()
    assert project.lqa_max_points_per_1000 == Decimal("7.5")


def test_save_only_counts_as_the_translators_text(judgment, translator, reviewer):
    """A translator's unconfirmed save is their text too."""
    three = segments(judgment)[2]
    do_save_target(
        three,
        user=translator,
        role="translator",
        text="本上訴駁回。",
        base_version=three.version,
        action=SAVE,
    )
    error = record(three, reviewer, "style", "minor")
    assert (error.translator.username, error.assessed_text) == ("tom", "本上訴駁回。")


# The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_has_a_quality_section(client_for, manager, reviewer, assessed):
    one, two, three = segments(assessed)
    Annotation.objects.create(
        segment=one, source="annotator", category="accuracy", severity="critical", span="財產"
    )
    Annotation.objects.create(segment=one, source="annotator", category="style", severity="minor")
    Annotation.objects.create(
        segment=three, source="annotator", category="style", severity="major", status="dismissed"
    )

    overview = lqa.quality_overview(assessed.project)
    (row,) = overview["documents"]
    assert (row.open_issues, row.blocking_issues, row.send_backs, row.sent_back_now) == (2, 1, 1, 1)
    assert round(row.score.per_1000, 2) == 5.83

    slug = assessed.project.slug
    page = client_for(manager).get(reverse("dashboard", args=[slug])).content.decode()
    assert 'id="quality"' in page
    assert f'hx-get="{reverse("dashboard_quality", args=[slug])}"' in page
    assert reverse("project_lqa_report", args=[slug]) in page

    response = client_for(manager).get(reverse("dashboard_quality", args=[slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert (
        '<strong id="quality-open-issues">2</strong> open issues (1 major or critical)' in content
    )
    assert '<strong id="quality-send-backs">1</strong> send-back, 1 waiting' in content
    assert '<strong id="quality-score">5.83</strong> error points per 1,000 words' in content
    assert "translator · qwen-legal" in content
    assert client_for(reviewer).get(reverse("dashboard_quality", args=[slug])).status_code == 403


# The API -------------------------------------------------------------------------------------


def test_the_api_reads_a_documents_quality_score(api_for, translator, assessed):
    path = f"/api/v1/projects/{assessed.project.slug}/documents/{assessed.pk}/quality"
    response = api_for(translator).get(path)

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("evaluated_words", "errors", "points")} == {
        "evaluated_words": 1200,
        "errors": 3,
        "points": 7,
    }
    assert (body["points_per_1000"], body["result"], body["threshold"]) == (5.83, "pass", 10.0)
    assert body["by_severity"] == {"minor": 2, "major": 1, "critical": 0}
    assert body["by_category"]["mistranslation"] == 1
    assert {(a["kind"], a["name"], a["points"]) for a in body["authors"]} == {
        ("agent", "translator · qwen-legal", 1),
        ("translator", "tom", 6),
    }


def test_an_error_is_withdrawn_only_through_its_own_segment(client_for, manager, assessed):
    one, two, _ = segments(assessed)
    error = two.lqa_errors.first()
    response = client_for(manager).post(lqa_url(one, error.pk, name="lqa_error_withdraw"))
    assert response.status_code == 404
    assert LqaError.objects.filter(pk=error.pk).exists()


def test_the_project_csv_has_a_row_per_document(client_for, manager, assessed):
    other = import_document(
        assessed.project, data=b"Another judgment.\n", filename="b.txt", user=manager
    )
    text = (
        client_for(manager)
        .get(report_url(project=assessed.project), {"format": "csv"})
        .content.decode()
    )
    summary = list(csv.reader(io.StringIO(text[1:].split("\r\n\r\n")[0])))
    assert [f"document: {assessed.title}", "1200", "3", "7", "5.83", "10.00", "pass"] in summary
    assert [f"document: {other.title}", "0", "0", "0", "", "10.00", "not assessed"] in summary
