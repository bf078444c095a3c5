"""The drafting page: who may start the agents, what is queued, what people see."""

import pytest

from tests.test_drafting import SOURCES, draft, small_document
from workbench.jobs.models import Job


@pytest.fixture
def endpoint(settings, loopback_llm):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    return loopback_llm


@pytest.fixture
def document(project):
    return small_document(project, SOURCES)


def page_url(document):
    return f"/projects/{document.project.slug}/documents/{document.pk}/drafting/"


def start_url(document):
    return page_url(document) + "start/"


def test_it_queues_a_drafting_job_for_the_whole_document(endpoint, client_for, manager, document):
    response = client_for(manager).post(start_url(document), {"scope": "all"})

    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.document, job.created_by, job.params) == (
        "draft_document",
        document,
        manager,
        {},
    )


def test_it_answers_htmx_with_the_progress_bar(endpoint, client_for, reviewer, document):
    response = client_for(reviewer).post(
        start_url(document), {"scope": "new"}, headers={"HX-Request": "true"}
    )

    job = Job.objects.get()
    assert job.params == {"status": "new"}
    assert f'id="job-{job.pk}-progress"' in response.content.decode()
    assert f"/jobs/{job.pk}/progress/" in response.content.decode()


def test_it_queues_a_range_or_the_ticked_segments(endpoint, client_for, manager, document):
    client = client_for(manager)
    client.post(start_url(document), {"scope": "positions", "first": "2", "last": "4"})
    ticked = list(document.segments.filter(position__in=[1, 5]).values_list("pk", flat=True))
    Job.objects.update(status="succeeded")
    client.post(start_url(document), {"scope": "selection", "segment_ids": ticked})

    first, second = Job.objects.order_by("pk")
    assert first.params == {"positions": [2, 4]}
    assert sorted(second.params["segment_ids"]) == sorted(ticked)


def test_it_says_what_to_set_when_no_endpoint_is_configured(
    settings, client_for, manager, document
):
    settings.OPENAI_BASE_URL = ""

    response = client_for(manager).post(start_url(document), {"scope": "all"}, follow=True)

    assert "OPENAI_BASE_URL" in response.content.decode()
    assert not Job.objects.exists()


def test_it_refuses_a_second_job_while_one_runs(endpoint, client_for, manager, document):
    client = client_for(manager)
    client.post(start_url(document), {"scope": "all"})

    response = client.post(start_url(document), {"scope": "all"}, headers={"HX-Request": "true"})

    assert "already drafting this document" in response.content.decode()
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    "form, message",
    [
        ({"scope": "positions", "first": "x", "last": "3"}, "two segment numbers"),
        ({"scope": "positions", "first": "5", "last": "2"}, "is empty"),
        ({"scope": "selection"}, "Tick the segments"),
        ({"scope": "everything"}, "Choose what to draft"),
    ],
)
def test_it_rejects_a_bad_scope(endpoint, client_for, manager, document, form, message):
    response = client_for(manager).post(start_url(document), form, follow=True)

    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_it_refuses_when_nothing_is_left_to_draft(endpoint, client_for, manager, document):
    document.segments.update(status="approved", target="已批准")

    response = client_for(manager).post(start_url(document), {"scope": "all"}, follow=True)

    assert "nothing for the agents to draft" in response.content.decode()
    assert not Job.objects.exists()


def test_it_lets_a_translator_start_only_on_an_assigned_document(
    endpoint, client_for, manager, translator, document
):
    client = client_for(translator)
    assert client.post(start_url(document), {"scope": "all"}).status_code == 403
    assert "Draft with agents</button>" not in client.get(page_url(document)).content.decode()

    document.assign(translator, role="translator", by=manager)
    assert client.post(start_url(document), {"scope": "all"}).status_code == 302
    assert Job.objects.count() == 1


def test_it_hides_the_pages_from_outsiders(endpoint, client_for, outsider, document):
    client = client_for(outsider)
    assert client.get(page_url(document)).status_code == 404
    assert client.post(start_url(document), {"scope": "all"}).status_code == 404
    assert not Job.objects.exists()


def test_it_rejects_get_for_starting(endpoint, client_for, manager, document):
    assert client_for(manager).get(start_url(document)).status_code == 405


def test_it_shows_drafts_revisions_issues_and_failures(
    transactional_db, endpoint, client_for, translator, document
):
    # The job runs here, and its threads record their calls on connections of their own.
    endpoint.configure(stubborn=True, flag_every=2, skip_ids=[str(document.segments.last().pk)])
    job = draft(document, translator, concurrency=1)
    assert job.status == "partial", job.error

    page = client_for(translator).get(page_url(document)).content.decode()

    flagged = document.segments.filter(annotations__isnull=False).first()
    assert "Translator:" in page and "flagged" in page
    assert flagged.target in page
    assert "no translation for this segment" in page
    assert f'id="job-{job.pk}-progress"' in page


def test_the_document_page_links_to_the_agents(client_for, translator, document):
    page = client_for(translator).get(f"/projects/{document.project.slug}/documents/{document.pk}/")
    assert page_url(document) in page.content.decode()


def test_it_says_which_model_each_agent_calls(
    endpoint, settings, client_for, manager, translator, document
):
    settings.OPENAI_MODEL, settings.OPENAI_ENDPOINT_LABEL = "loopback", "The office server"
    document.project.agent_models = {"proofreader": "bigger-model"}
    document.project.save()

    html = client_for(manager).get(page_url(document)).content.decode()
    seen_by_translator = client_for(translator).get(page_url(document)).content.decode()

    assert "Translator, Annotator, Brief call <code>loopback</code> on The office server" in html
    assert "Proofreader call <code>bigger-model</code> on The office server" in html
    assert "change or test them" in html and "change or test them" not in seen_by_translator


def test_without_a_model_the_page_says_how_to_connect_one(settings, client_for, manager, document):
    settings.OPENAI_BASE_URL = ""

    html = client_for(manager).get(page_url(document)).content.decode()

    assert "No model endpoint is configured, so the agents cannot work." in html
