"""The persona matrix of the pages, for every endpoint of the API: an outsider and the
manager of another project get 404, a member whose role may not do the action gets 403,
everyone else gets past the door (the action itself may still be refused for what it
asks: that is a 4xx of its own, never 403 or 404). Expectations come from the capability
table, so the API and the table cannot drift apart."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_user
from workbench.api.models import Webhook, WebhookDelivery
from workbench.feedback.models import Export
from workbench.jobs.models import Job
from workbench.memory.analysis import run_analysis
from workbench.projects.capabilities import can
from workbench.projects.services import do_set_member
from workbench.translation.models import Comment

P = "/api/v1/projects/hk"
D = P + "/documents/{document}"
S = D + "/segments/{segment}"

ENDPOINTS = [
    ("GET", P, None, "project.view"),
    ("GET", P + "/members", None, "project.view"),
    ("PUT", P + "/members/pat", {"role": "reviewer"}, "project.manage"),
    ("DELETE", P + "/members/pat", None, "project.manage"),
    ("GET", P + "/documents", None, "document.view"),
    ("POST", P + "/documents", "upload", "document.upload"),
    ("GET", D, None, "document.view"),
    ("GET", D + "/original", None, "document.view"),
    ("GET", D + "/quality", None, "lqa.view"),
    ("GET", D + "/translated", None, "document.download_translated"),
    ("GET", D + "/segments", None, "document.view"),
    ("GET", D + "/analysis", None, "analysis.view"),
    ("GET", S, None, "document.view"),
    ("PUT", S, {"text": "上訴駁回。", "version": 0}, "segment.edit"),
    ("POST", S + "/confirm", {"text": "上訴駁回。", "version": 0}, "segment.edit"),
    ("POST", S + "/approve", {"text": "上訴駁回。", "version": 0}, "segment.approve"),
    ("POST", S + "/send-back", {"reason": "Check the term."}, "segment.send_back"),
    ("POST", S + "/reopen", {"reason": "Check the term."}, "segment.reopen"),
    ("POST", D + "/approve", {"segments": [{"id": 1, "version": 0}]}, "segment.approve"),
    ("GET", S + "/comments", None, "document.view"),
    ("POST", S + "/comments", {"text": "Which ordinance?"}, "segment.comment"),
    ("POST", S + "/comments/{comment}/resolve", None, "segment.comment"),
    ("GET", P + "/jobs", None, "project.view"),
    ("POST", D + "/drafting", {"scope": "all"}, "document.draft"),
    ("GET", P + "/jobs/{job}", None, "project.view"),
    ("POST", P + "/jobs/{job}/cancel", None, "job.manage"),
    ("POST", P + "/jobs/{job}/retry", None, "job.manage"),
    ("POST", P + "/memory/import", "tmx", "memory.manage"),
    ("GET", P + "/memory/export", None, "memory.manage"),
    ("GET", P + "/memory/lookup?text=The+appeal+is+dismissed.", None, "memory.view"),
    ("GET", P + "/memory/concordance?q=appeal", None, "memory.view"),
    ("POST", P + "/glossary/import", "csv", "glossary.manage"),
    ("GET", P + "/glossary/export?format=csv", None, "glossary.manage"),
    ("GET", P + "/glossary/lookup?text=The+appellant", None, "glossary.view"),
    ("GET", P + "/glossary/terms?q=app", None, "glossary.view"),
    ("POST", P + "/exports", {"format": "tmx"}, "export.create"),
    ("GET", P + "/exports", None, "export.create"),
    ("GET", P + "/exports/{export}", None, "export.create"),
    ("GET", P + "/exports/{export}/file", None, "export.create"),
    ("GET", P + "/webhooks", None, "webhook.manage"),
    (
        "POST",
        P + "/webhooks",
        {"url": "https://dms.example.org/hook", "events": ["job.finished"]},
        "webhook.manage",
    ),
    ("GET", P + "/webhooks/{webhook}/deliveries", None, "webhook.manage"),
    ("POST", P + "/webhooks/{webhook}/deliveries/{delivery}/redeliver", None, "webhook.manage"),
    ("DELETE", P + "/webhooks/{webhook}", None, "webhook.manage"),
]
FILES = {
    "upload": ("file", "ruling.txt", b"The application is refused.\n"),
    "tmx": (
        "file",
        "memory.csv",
        b"The appeal is dismissed.,\xe4\xb8\x8a\xe8\xa8\xb4\xe9\xa7\x81\xe5\x9b\x9e\xe3\x80\x82\n",
    ),
    "csv": (
        "file",
        "terms.csv",
        b"source_term,target_term\nappellant,\xe4\xb8\x8a\xe8\xa8\xb4\xe4\xba\xba\n",
    ),
}
# Strangers first and the manager last: the allowed calls change things.
PERSONAS = ["outsider", "other_manager", "translator", "reviewer", "manager"]


@pytest.fixture
def world(project, judgment, manager):
    pat = make_user("pat")
    do_set_member(project, pat, "translator", by=manager)
    segment = judgment.segments.get(position=1)
    comment = Comment.objects.create(segment=segment, author=manager, text="Cap. 210?")
    job = Job.objects.create(kind="export", project=project, status=Job.Status.FAILED)
    run_analysis(project, judgment)
    export = Export.objects.create(project=project, format="tmx", statuses=["approved"])
    webhook = Webhook.objects.create(
        project=project, url="https://dms.example.org/hook", events=["job.finished"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="job.finished", payload={}, status="failed"
    )
    return {
        "document": judgment.pk,
        "segment": segment.pk,
        "comment": comment.pk,
        "job": job.pk,
        "export": export.pk,
        "webhook": webhook.pk,
        "delivery": delivery.uid,
    }


def call(api, method, path, body):
    if isinstance(body, str):
        field, name, content = FILES[body]
        return api.post(path, {field: SimpleUploadedFile(name, content)})
    return api.send(method, path, body)


def role_of(persona):
    return {"translator": "translator", "reviewer": "reviewer", "manager": "manager"}.get(persona)


@pytest.mark.parametrize(
    "method, path, body, action",
    ENDPOINTS,
    ids=[f"{method} {path.removeprefix(P) or '/'}" for method, path, _, _ in ENDPOINTS],
)
def test_every_endpoint_follows_the_capability_table(
    request, settings, api_for, world, method, path, body, action
):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"  # drafting may be queued, never run
    settings.WORKBENCH_API_CALLS_PER_MINUTE = 1000
    url = path.format(**world)
    for persona in PERSONAS:
        api = api_for(request.getfixturevalue(persona))
        response = call(api, method, url, body)
        role = role_of(persona)
        if role is None:
            expected = {404}
        elif not can(role, action):
            expected = {403}
        else:
            expected = None
        if expected:
            assert response.status_code in expected, (persona, response.content)
            assert response["Content-Type"] == "application/problem+json"
        else:
            assert response.status_code not in (401, 403, 404), (persona, response.content)


def test_a_translator_starts_drafting_only_on_a_document_assigned_to_them(
    settings, api_for, manager, translator, judgment
):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    api = api_for(translator)
    url = f"/api/v1/projects/hk/documents/{judgment.pk}/drafting"

    refused = api.send("POST", url, {"scope": "all"})
    judgment.assign(translator, role="translator", by=manager)
    started = api.send("POST", url, {"scope": "all"})

    assert refused.status_code == 403
    assert "assigned" in refused.json()["detail"]
    assert started.status_code == 202
    assert started.json()["kind"] == "draft_document"
