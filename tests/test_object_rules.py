"""Rules on single objects that the audit found missing: a project keeps a manager, a
drafting selection is this document's segments or nothing, people and projects have a
limit of jobs in flight, every CSV is formula-neutral, and searches are bounded."""

import csv
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from tests.conftest import make_project
from tests.test_drafting import small_document
from workbench.dashboard.datasets import Table
from workbench.documents.services import import_document
from workbench.drafting.planning import DraftingRefused, selected_segments
from workbench.drafting.services import start_drafting
from workbench.jobs.models import Job
from workbench.jobs.services import TooManyJobs, enqueue
from workbench.projects.models import Membership
from workbench.projects.services import MembershipRefused, do_remove_member, do_set_member
from workbench.spreadsheets import neutralise, unneutralise

# The last manager ----------------------------------------------------------------------------


def test_the_last_manager_cannot_be_removed(client_for, manager, project):
    membership = project.memberships.get(user=manager)
    other = project.memberships.get(role="translator")
    other.role = "manager"
    other.save()
    client_for(other.user).post(
        reverse("project_member_remove", args=[project.slug, membership.pk])
    )
    assert not project.memberships.filter(pk=membership.pk).exists()
    response = client_for(other.user).post(
        reverse("project_member_remove", args=[project.slug, other.pk]), follow=True
    )
    assert "cannot remove yourself" in response.content.decode()
    with pytest.raises(MembershipRefused, match="last manager"):
        do_remove_member(other, by=manager)
    assert project.managers().count() == 1


def test_the_last_manager_cannot_be_demoted(client_for, manager, project):
    response = client_for(manager).post(
        reverse("project_members", args=[project.slug]),
        {"username": manager.username, "role": "translator"},
        follow=True,
    )
    assert "is the last manager" in response.content.decode()
    assert project.memberships.get(user=manager).role == "manager"


def test_a_manager_can_step_down_once_there_is_another(manager, reviewer, project):
    do_set_member(project, reviewer, "manager", by=manager)
    do_set_member(project, manager, "reviewer", by=reviewer)
    assert list(project.managers().values_list("user__username", flat=True)) == ["rita"]


@pytest.mark.django_db(transaction=True)
def test_two_managers_demoting_each_other_at_once_leave_one(manager, reviewer, project):
    """The project row is locked while managers change: the second demotion sees the
    first and is refused."""
    do_set_member(project, reviewer, "manager", by=manager)
    results = []

    def demote(user, by):
        try:
            do_set_member(project, user, "translator", by=by)
            results.append("demoted")
        except MembershipRefused:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(manager, reviewer)),
        threading.Thread(target=demote, args=(reviewer, manager)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["demoted", "refused"]
    assert project.managers().count() == 1


# Drafting selections ------------------------------------------------------------------------


@pytest.fixture
def endpoint(settings, loopback_llm):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    return loopback_llm


@pytest.fixture
def two_documents(project, zh_project):
    mine = small_document(project, ["One.", "Two.", "Three."])
    theirs = small_document(zh_project, ["其一。", "其二。"])
    return mine, theirs


def test_a_selection_with_another_projects_segments_is_refused(
    client_for, manager, endpoint, two_documents
):
    mine, theirs = two_documents
    foreign = list(theirs.segments.values_list("pk", flat=True))
    response = client_for(manager).post(
        reverse("draft_start", args=[mine.project.slug, mine.pk]),
        {"scope": "selection", "segment_ids": foreign},
        follow=True,
    )
    assert "are not segments of" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("ids", "message"),
    [([], "Tick the segments"), (["x"], "not a segment number"), (["1.5"], "not a segment number")],
)
def test_an_empty_or_invalid_selection_is_refused_on_every_path(
    manager, endpoint, two_documents, ids, message
):
    mine, _ = two_documents
    with pytest.raises(DraftingRefused, match=message):
        start_drafting(mine, manager, {"segment_ids": ids})
    assert not Job.objects.exists()


def test_params_that_are_not_drafting_options_are_refused(manager, endpoint, two_documents):
    mine, _ = two_documents
    with pytest.raises(DraftingRefused, match="Unknown drafting option"):
        start_drafting(mine, manager, {"segment_id": [1]})
    with pytest.raises(DraftingRefused, match="is empty"):
        start_drafting(mine, manager, {"positions": [5, 2]})


def test_a_stored_job_with_an_empty_selection_drafts_nothing(two_documents):
    mine, _ = two_documents
    assert not selected_segments(mine, {"segment_ids": []}).exists()
    assert selected_segments(mine, {}).count() == 3


def test_the_command_line_refuses_a_bad_range(endpoint, two_documents):
    mine, _ = two_documents
    with pytest.raises(CommandError):
        call_command("draft_document", str(mine.pk), "--segments", "9-2")


# Jobs in flight ------------------------------------------------------------------------------


def test_a_person_has_at_most_so_many_jobs_in_flight(settings, translator, project):
    settings.WORKBENCH_MAX_JOBS_PER_USER = 3
    for _ in range(3):
        enqueue("pretranslate", project=project, params={}, user=translator)
    with pytest.raises(TooManyJobs, match="You have 3 jobs queued or running"):
        enqueue("pretranslate", project=project, params={}, user=translator)
    assert Job.objects.count() == 3
    Job.objects.update(status="succeeded")
    enqueue("pretranslate", project=project, params={}, user=translator)


def test_a_project_has_at_most_so_many_jobs_in_flight(settings, translator, reviewer, project):
    settings.WORKBENCH_MAX_JOBS_PER_PROJECT = 2
    enqueue("pretranslate", project=project, params={}, user=translator)
    enqueue("pretranslate", project=project, params={}, user=reviewer)
    with pytest.raises(TooManyJobs, match="has 2 jobs queued or running"):
        enqueue("pretranslate", project=project, params={}, user=reviewer)


def test_a_burst_of_requests_cannot_slip_past_the_limit(settings, client_for, translator, project):
    """Asking for thirty revisions at once, as the audit did, queues five."""
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.WORKBENCH_MAX_JOBS_PER_USER = 5
    document = small_document(project, ["One."])
    segment = document.segments.get()
    client = client_for(translator)
    url = reverse("segment_ask_revision", args=[project.slug, document.pk, segment.pk])
    statuses = [client.post(url, {"instruction": "Shorter."}).status_code for _ in range(30)]
    assert statuses.count(200) == 5
    assert statuses.count(400) == 25
    assert Job.objects.filter(created_by=translator).count() == 5
    refused = client.post(url, {"instruction": "Shorter."}).content.decode()
    assert "You have 5 jobs queued or running already" in refused


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_take_turns_at_the_limit(settings, project, translator):
    settings.WORKBENCH_MAX_JOBS_PER_USER = 2
    outcomes = []

    def start():
        try:
            enqueue("pretranslate", project=project, params={}, user=translator)
            outcomes.append("queued")
        except TooManyJobs:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["queued"] * 2 + ["refused"] * 4
    assert Job.objects.count() == 2


def test_the_export_page_says_when_the_limit_is_reached(settings, client_for, manager, project):
    settings.WORKBENCH_MAX_JOBS_PER_USER = 0
    response = client_for(manager).post(
        reverse("corpus_export", args=[project.slug]),
        {"format": "tmx", "statuses": ["approved"]},
        follow=True,
    )
    assert "jobs queued or running already" in response.content.decode()
    assert not project.exports.exists()


# CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("-5", "-5"),
        ("+852", "+852"),
        ("12.5%", "12.5%"),
        (7, 7),
        (None, ""),
    ],
)
def test_one_rule_neutralises_every_cell(value, cell):
    assert neutralise(value) == cell
    if isinstance(value, str):
        assert unneutralise(neutralise(value)) == value


def test_dashboard_csvs_neutralise_a_hostile_file_name(client_for, manager, project):
    import_document(
        project,
        data=b"The appeal is allowed.\n",
        filename='=HYPERLINK("evil.example","click").txt',
        user=manager,
    )
    client = client_for(manager)
    for name in ("progress", "activity"):
        response = client.get(
            reverse("dashboard_dataset", args=[project.slug, name]), {"format": "csv"}
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert any(cell.startswith("'=HYPERLINK") for cell in cells), name
        assert not any(cell.startswith("=") for cell in cells), name


def test_the_dashboard_table_writer_is_the_shared_one(project):
    response = Table("t", ["a"], [["=1+1"], [None]]).csv_response(project)
    assert response.content.decode("utf-8-sig").splitlines() == ["a", "'=1+1", '""']


# Bounded searches ------------------------------------------------------------------------------


def test_the_translation_memory_search_is_bounded(client_for, translator, project):
    response = client_for(translator).get(
        reverse("tm_units", args=[project.slug]), {"q": "x" * 301}
    )
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()


def test_the_concordance_is_bounded(client_for, translator, project):
    response = client_for(translator).get(
        reverse("concordance", args=[project.slug]), {"q": "x" * 301}
    )
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()


def test_members_of_another_project_cannot_see_this_ones_memberships(client_for, project, outsider):
    make_project("other", "Other", "en", "zh-Hant-HK", [(outsider, "manager")])
    membership = Membership.objects.filter(project=project).first()
    url = reverse("project_member_remove", args=[project.slug, membership.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
