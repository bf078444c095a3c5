"""The README's "Automating the workbench", run for real: a manager creates a token on
the account page, uploads a judgment through the API, starts drafting (a real Celery
worker, the loopback model server), polls the job; a reviewer approves every segment
through the API; the manager exports the XLIFF and downloads it and the original; the
webhook receiver hears every step, signed."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api_fixtures import JUDGMENT, ApiClient
from tests.test_api_webhooks import Receiver, verify
from workbench.api.models import ApiToken, Webhook

pytestmark = pytest.mark.worker
pytest_plugins = ["tests.workers"]  # the start_worker fixture

P = "/api/v1/projects/hk"


@pytest.fixture
def endpoint(settings, monkeypatch, loopback_llm, media_root):
    """The loopback model for this process and the worker, which also stores its files
    where this test looks for them."""
    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    monkeypatch.setenv("OPENAI_BASE_URL", loopback_llm.base_url)
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    return loopback_llm


@pytest.fixture
def receiver(settings, monkeypatch):
    monkeypatch.setenv("WORKBENCH_WEBHOOK_ALLOW_PRIVATE", "1")
    settings.WORKBENCH_WEBHOOK_ALLOW_PRIVATE = True
    started = Receiver([200])
    yield started
    started.stop()


def token_from_the_account_page(client_for, user):
    page = client_for(user).post("/account/tokens/", {"name": "DMS", "days": "30"})
    return page.content.decode().split('id="token-value">')[1].split("<")[0]


def poll(api, url, done, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = api.get(url).json()
        if done(answer):
            return answer
        time.sleep(0.3)
    pytest.fail(f"Waited {timeout} s for {what}; last answer: {answer}")


def test_a_judgment_goes_from_upload_to_approved_download_through_the_api(
    start_worker, endpoint, receiver, client, project, manager, reviewer
):
    start_worker("celery")
    managing = ApiClient(token_from_the_account_page(lambda u: _login(client, u), manager))
    secret = managing.send(
        "POST",
        P + "/webhooks",
        {"url": receiver.url, "events": ["job.finished", "document.approved", "export.ready"]},
    ).json()["secret"]

    uploaded = managing.post(
        P + "/documents",
        {"file": _file("FACV 1-2024.txt", JUDGMENT.encode())},
    ).json()
    document = f"{P}/documents/{uploaded['id']}"
    job = managing.send("POST", document + "/drafting", {"scope": "all"}).json()
    finished = poll(
        managing,
        f"{P}/jobs/{job['id']}",
        lambda answer: answer["status"] in ("succeeded", "partial", "failed"),
        "the drafting job",
    )
    assert finished["status"] == "succeeded", finished["error"]
    assert finished["progress"]["percent"] == 100

    reviewing = ApiClient(ApiToken.issue(reviewer, name="review bot", days=1)[1])
    segments, cursor = [], None
    while True:
        page = reviewing.get(
            document + "/segments", {"limit": 2, **({"cursor": cursor} if cursor else {})}
        ).json()
        segments += page["results"]
        if not (cursor := page["next_cursor"]):
            break
    assert [s["status"] for s in segments] == ["drafted"] * 4
    for segment in segments:
        url = f"{document}/segments/{segment['id']}/approve"
        answer = reviewing.send("POST", url, {"version": segment["version"]})
        if answer.status_code == 422 and answer.json()["type"].endswith("#qa-blocked"):
            answer = reviewing.send(
                "POST",
                url,
                {"version": segment["version"], "override_reason": "Checked by the reviewer."},
            )
        assert answer.status_code == 200, answer.json()
    assert managing.get(document).json()["segment_counts"]["approved"] == 4

    export = managing.send(
        "POST", P + "/exports", {"format": "xliff", "document_id": uploaded["id"]}
    ).json()
    ready = poll(
        managing, f"{P}/exports/{export['id']}", lambda answer: answer["ready"], "the export"
    )
    xliff = b"".join(managing.get(ready["download_url"]).streaming_content).decode()
    approved = reviewing.get(document + "/segments", {"status": "approved"}).json()["results"]
    assert len(approved) == 4
    for segment in approved:
        assert segment["source"] in xliff
        assert segment["target"] and segment["target"] in xliff
    original = b"".join(managing.get(document + "/original").streaming_content)
    assert original == JUDGMENT.encode()

    events = _events(receiver, secret, wanted=4)
    assert [event["event"] for event in events].count("job.finished") >= 2  # drafting, export
    assert "document.approved" in [event["event"] for event in events]
    assert "export.ready" in [event["event"] for event in events]
    assert Webhook.objects.get().deliveries.filter(status="delivered").count() == len(events)


def _login(client, user):
    client.force_login(user)
    return client


def _file(name, content):
    return SimpleUploadedFile(name, content)


def _events(receiver, secret, wanted, timeout=30):
    deadline = time.monotonic() + timeout
    while len(receiver.received) < wanted and time.monotonic() < deadline:
        time.sleep(0.2)
    events = []
    for headers, body, _ in receiver.received:
        assert verify(secret, headers, body)
        events.append(json.loads(body))
    return events
