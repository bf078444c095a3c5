"""`manage.py seed_demo` builds a project in progress: the team's translation, the
agents' recorded runs and two weeks of the three demo people's work, all written
through the lifecycle and the services, so that the editor, the learning loop, the
dashboard and the exports have real content. Seeded once for the module (it takes a
while); each test's own changes are rolled back."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agents.prompts import PROMPT_VERSIONS
from workbench.dashboard.models import ModelPrice, WorkTally
from workbench.demo.recordings import read_recordings, recordings_path
from workbench.documents.models import Assignment, Document, Revision, Segment
from workbench.feedback import lqa
from workbench.feedback.learning import similar_corrections
from workbench.feedback.models import Correction, GlossaryCandidate, Lesson, LqaError
from workbench.jobs.models import Job, ModelCall
from workbench.memory.models import Term, TranslationUnit
from workbench.projects.models import Membership, Project
from workbench.translation.models import Annotation, Comment, Suggestion


def seed_demo_command(*args, **options):
    """`manage.py seed_demo` in demo mode, as `make run` runs it."""
    with override_settings(WORKBENCH_DEMO=True):
        call_command("seed_demo", *args, **options)


DEMO_SLUGS = ["hk-judgments", "zh-judgments"]
DEMO_USERS = ["manager", "translator", "reviewer"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `make run` seeds it, committed for the module and removed after."""
    media = tmp_path_factory.mktemp("demo-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
        try:
            out = io.StringIO()
            seed_demo_command(stdout=out)
            yield out.getvalue()
        finally:
            # Committed, so removed by hand: the next modules start from an empty database.
            Project.objects.filter(slug__in=DEMO_SLUGS).delete()
            User.objects.filter(username__in=DEMO_USERS).delete()
            ModelPrice.objects.filter(model="demo-replay").delete()


@pytest.fixture
def judgment(demo, db):
    return Document.objects.get(original_filename="hk_judgment_facc_2024.docx")


@pytest.fixture
def hk(demo, db):
    return Project.objects.get(slug="hk-judgments")


def person(username):
    return User.objects.get(username=username)


def statuses(document):
    return Counter(document.segments.values_list("status", flat=True))


def table_counts():
    models = [Revision, Correction, Comment, Annotation, Suggestion, Job, ModelCall, Lesson, Term]
    return {model.__name__: model.objects.count() for model in [*models, TranslationUnit]}


def test_it_says_what_it_wrote(demo):
    assert "Wrote two weeks of demo work:" in demo
    assert "calls of the demo replay model" in demo


def test_the_judgment_is_a_translation_in_progress(judgment):
    found = statuses(judgment)

    assert found["approved"] >= 150 and found["translated"] >= 30
    assert found["drafted"] >= 25  # the agents' drafts the translator has not reached
    assert found["rejected"] == 3  # sent back, waiting for the translator
    assert found["new"] >= 15  # left for "Draft with agents"


def test_the_court_of_appeal_extract_is_done_and_the_verdict_is_overdue(demo, db):
    below = Document.objects.get(original_filename="hkca_judgment_2023_extract.txt")
    verdict = Document.objects.get(original_filename="zh_judgment_excerpt.txt")

    assert set(statuses(below)) == {"approved"}
    assert verdict.due_date < timezone.localdate()
    assert statuses(verdict)["approved"] and statuses(verdict)["drafted"]


def test_the_team_s_text_is_the_recorded_translation(judgment):
    recordings = read_recordings(recordings_path(judgment.original_filename, "zh-Hant-HK"))
    approved = judgment.segments.filter(status="approved").order_by("position")

    for segment in approved:
        assert segment.target == recordings[segment.position - 1].team


def test_every_segment_s_history_ends_in_its_state(demo, db):
    """Nothing wrote a segment but the lifecycle: every touched segment's last revision
    is its text, status and version as they stand."""
    for segment in Segment.objects.exclude(status="new"):
        last = segment.revisions.order_by("-created_at", "-pk").first()
        assert last is not None, f"segment {segment.position} has no history"
        assert (last.new_target, last.new_status, last.version) == (
            segment.target,
            segment.status,
            segment.version,
        )


def test_the_agents_runs_are_marked_as_demo_recordings(judgment):
    drafts = Revision.objects.filter(segment__document=judgment, origin="agent")
    revised = Suggestion.objects.filter(segment__document=judgment, kind="revision")

    assert drafts.count() >= 230
    assert set(drafts.values_list("model_name", flat=True)) == {"demo-replay"}
    assert set(drafts.values_list("prompt_version", flat=True)) <= {
        PROMPT_VERSIONS["translator"],
        PROMPT_VERSIONS["proofreader"],
    }
    assert revised.exists() and all(s.round >= 1 for s in revised)
    assert set(revised.values_list("agent_role", flat=True)) == {"proofreader"}
    calls = ModelCall.objects.filter(document=judgment)
    assert set(calls.values_list("role", flat=True)) == {
        "brief",
        "translator",
        "annotator",
        "proofreader",
    }
    assert set(calls.values_list("model", flat=True)) == {"demo-replay"}
    assert judgment.brief["case_number"].startswith("FACC No. 5 of 2024")


def test_the_translator_finds_drafts_with_the_annotator_s_issues(judgment, client_for):
    drafted = judgment.segments.filter(status="drafted", draft_origin="agent")
    issues = Annotation.objects.filter(
        segment__in=drafted, source="annotator", status="open"
    ).select_related("segment")

    assert issues.exists()
    for issue in issues:
        assert issue.span in issue.segment.target and issue.severity in ("minor", "major")
    assert Suggestion.objects.filter(segment__in=drafted, kind="revision").exists()
    issue = issues.first()
    url = reverse("segment_panel", args=["hk-judgments", judgment.pk, issue.segment.pk])
    panel = client_for(person("translator")).get(url).content.decode()
    assert escape(issue.explanation) in panel and "demo-replay" in panel


def test_two_weeks_of_work_by_three_people(judgment):
    today = timezone.localdate()

    def days(queryset):
        return {
            timezone.localtime(at).date() for at in queryset.values_list("created_at", flat=True)
        }

    people = Revision.objects.filter(segment__document__project=judgment.project, origin="person")
    confirming = days(people.filter(author__username="translator", new_status="translated"))
    approving = days(people.filter(author__username="reviewer", new_status="approved"))
    assert len(confirming) >= 7 and len(approving) >= 5
    assert min(confirming) >= today - datetime.timedelta(days=14) and max(confirming) < today
    sent_back = people.filter(new_status="rejected")
    assert sent_back.count() >= 4 and all(revision.reason for revision in sent_back)
    assert Comment.objects.filter(is_send_back=True).count() == sent_back.count()
    assert Comment.objects.filter(is_send_back=False, resolved=True).exists()
    assert Comment.objects.filter(is_send_back=False, resolved=False).exists()  # an open query
    assert {a.role for a in Assignment.objects.filter(document=judgment)} == {
        "translator",
        "reviewer",
    }
    assert all(a.due_date for a in Assignment.objects.all())
    # The dashboard's tallies followed the revisions to their days.
    quarters = WorkTally.objects.filter(project=judgment.project, person__username="translator")
    assert len({timezone.localtime(q.quarter).date() for q in quarters}) >= 7


def test_the_learning_loop_has_corrections_lessons_and_glossary_candidates(hk):
    corrected = Correction.objects.current().filter(project=hk, edit_distance__gt=0)

    assert corrected.count() >= 15
    examples = similar_corrections(hk, ["The trier of fact must decide the first question."])
    assert examples and "事實裁斷者" in examples[0].human_text
    assert Lesson.objects.filter(project=hk, active=True).count() == 4
    open_candidate = GlossaryCandidate.objects.get(project=hk, status="open")
    assert (open_candidate.machine_term, open_candidate.target_term) == ("審理", "裁斷")
    assert open_candidate.source_term == "trier of fact" and open_candidate.documents_count == 2
    accepted = GlossaryCandidate.objects.get(project=hk, status="accepted")
    assert accepted.term.source_term == "proviso" and accepted.term.target_term == "但書"
    assert Term.objects.filter(project=hk, target_term="附帶條件", status="forbidden").exists()


def test_the_dashboard_has_progress_people_cost_and_learning(hk, client_for):
    client = client_for(person("manager"))

    def rows(name):
        url = reverse("dashboard_dataset", args=[hk.slug, name])
        return json.loads(client.get(url).content)["rows"]

    assert client.get(reverse("dashboard", args=[hk.slug])).status_code == 200
    assert len(rows("progress")) >= 2
    assert {row[0] for row in rows("people")} >= {"translator", "reviewer"}
    agents = rows("agents")
    assert agents and all(row[0] == "demo-replay" for row in agents)
    assert rows("learning") and rows("activity")


def test_the_reviewer_recorded_quality_errors_behind_the_send_backs(judgment, client_for):
    errors = LqaError.objects.filter(document=judgment)

    assert errors.count() >= 3
    assert {error.reviewer.username for error in errors} == {"reviewer"}
    assert {error.category for error in errors} >= {"legal_reference", "terminology"}
    # Each is about the text the reviewer sent back, written by the translator or agents.
    assert all(error.translator or error.text_origin == "agent" for error in errors)
    score = lqa.document_score(judgment)
    assert score.errors == errors.count() and score.words > 0 and score.passed is not None
    url = reverse("document_lqa_report", args=[judgment.project.slug, judgment.pk])
    page = client_for(person("reviewer")).get(url).content.decode()
    assert "Legal reference" in page and "keep the statute" in page


@pytest.mark.parametrize("format", ["tmx", "xliff", "jsonl-sft", "jsonl-dpo", "csv", "xlsx"])
def test_every_export_has_content(hk, tmp_path, format):
    path = tmp_path / f"demo.{format}"

    call_command(
        "export_corpus",
        "--project",
        hk.slug,
        "--format",
        format,
        "-o",
        str(path),
        stdout=io.StringIO(),
    )

    assert path.stat().st_size > 5_000
    if format == "tmx":
        assert path.read_text(encoding="utf-8").count("<tu") >= 150


def test_the_translated_judgment_exports_as_docx(judgment, tmp_path):
    path = tmp_path / "judgment.docx"

    call_command(
        "export_corpus",
        "--project",
        "hk-judgments",
        "--format",
        "docx",
        "--document",
        str(judgment.pk),
        "-o",
        str(path),
        stdout=io.StringIO(),
    )

    assert path.stat().st_size > 10_000


def test_it_changes_nothing_when_run_again(demo, db):
    before = table_counts()
    out = io.StringIO()

    seed_demo_command(stdout=out)

    assert table_counts() == before
    assert "Wrote two weeks" not in out.getvalue() and "Created" not in out.getvalue()


def test_it_keeps_a_role_and_a_password_people_changed(demo, db, client):
    membership = Membership.objects.get(project__slug="hk-judgments", user__username="reviewer")
    membership.role = Membership.Role.TRANSLATOR
    membership.save()
    manager = person("manager")
    manager.set_password("a better passphrase")
    manager.save()

    seed_demo_command(stdout=io.StringIO())

    membership.refresh_from_db()
    assert membership.role == Membership.Role.TRANSLATOR
    assert manager.__class__.objects.get(pk=manager.pk).check_password("a better passphrase")


def test_empty_gives_a_clean_start(demo, db):
    seed_demo_command("--empty", stdout=io.StringIO())

    assert Project.objects.filter(slug__in=DEMO_SLUGS, is_demo=True).count() == 2
    assert set(Segment.objects.values_list("status", flat=True)) == {"new"}
    for model in (Revision, Correction, Job, ModelCall, Lesson, Term, Comment, TranslationUnit):
        assert not model.objects.exists(), model.__name__
    assert User.objects.filter(username__in=DEMO_USERS).count() == 3


def test_everything_demo_is_labelled(judgment, client_for):
    client = client_for(person("translator"))

    home = client.get(reverse("home")).content.decode()
    editor = client.get(reverse("editor", args=["hk-judgments", judgment.pk])).content.decode()
    project = client.get(reverse("project_detail", args=["zh-judgments"])).content.decode()

    assert home.count('class="badge demo"') == 2
    for page in (editor, project):
        assert "Demo project." in page and "demo-replay" in page
