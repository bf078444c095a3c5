"""Webhooks: which events are announced, how a delivery is signed (checked here the way
the README tells receivers to), retries with backoff against a loopback receiver that
fails first, and the delivery log that only managers see."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workbench.api.models import Webhook, WebhookDelivery
from workbench.api.webhooks import DELIVERY_KIND, emit, redeliver
from workbench.feedback.models import Export
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.translation.services import APPROVE, CONFIRM, do_save_target


class Receiver:
    """An HTTP receiver on the loopback interface that answers each POST with the next
    status of its script (the last one repeats) and records what it got."""

    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body, time.monotonic()))
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_for(settings):
    settings.WORKBENCH_WEBHOOK_ALLOW_PRIVATE = True
    settings.WORKBENCH_WEBHOOK_BACKOFF_SECONDS = 0.2
    settings.WORKBENCH_WEBHOOK_ATTEMPTS = 3
    started = []

    def start(*statuses):
        started.append(Receiver(statuses))
        return started[-1]

    yield start
    for receiver in started:
        receiver.stop()


def verify(secret, headers, body, tolerance=300):
    """What the README tells a receiver to do: HMAC-SHA256 over "<timestamp>.<body>" with
    the webhook's secret, compared in constant time, and a fresh timestamp."""
    timestamp = headers["Workbench-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(
        "sha256=" + expected.hexdigest(), headers["Workbench-Signature"]
    )


def hook(project, url, events=("job.finished",)):
    return Webhook.objects.create(project=project, url=url, events=list(events))


def test_a_delivery_is_signed_and_retried_until_the_receiver_accepts_it(project, receiver_for):
    receiver = receiver_for(500, 200)
    webhook = hook(project, receiver.url)
    (delivery,) = emit(project, "job.finished", {"job": {"id": 7, "status": "succeeded"}})

    run_job(delivery.job.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert Job.objects.get(pk=delivery.job.pk).status == "succeeded"
    (first_headers, first_body, first_at), (headers, body, at) = receiver.received
    assert first_body == body  # the same event, byte for byte
    assert at - first_at >= 0.2  # the backoff was waited
    assert verify(webhook.secret, headers, body)
    assert verify(webhook.secret, first_headers, first_body)
    assert not verify("whsec_someone-elses", headers, body)
    assert not verify(webhook.secret, headers, body.replace(b"succeeded", b"failed"))
    payload = json.loads(body)
    assert payload["id"] == headers["Workbench-Delivery"] == str(delivery.uid)
    assert (payload["event"], headers["Workbench-Event"]) == ("job.finished", "job.finished")
    assert payload["project"] == "hk"
    assert payload["data"] == {"job": {"id": 7, "status": "succeeded"}}


def test_a_receiver_that_keeps_failing_fails_the_delivery_with_what_to_do(project, receiver_for):
    receiver = receiver_for(503)
    hook(project, receiver.url)
    (delivery,) = emit(project, "job.finished", {"job": {"id": 7}})

    run_job(delivery.job.pk)

    delivery.refresh_from_db()
    job = Job.objects.get(pk=delivery.job.pk)
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("failed", 3, 3)
    assert job.status == "failed"
    assert "HTTP 503" in job.error and "deliver the event again" in job.error

    receiver.statuses = [200]
    redeliver(delivery, user=None)
    run_job(delivery.job.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 4)


def test_events_go_only_to_public_addresses_unless_allowed(project, receiver_for, settings):
    receiver = receiver_for(200)
    settings.WORKBENCH_WEBHOOK_ALLOW_PRIVATE = False
    settings.WORKBENCH_WEBHOOK_ATTEMPTS = 1
    hook(project, receiver.url)
    (delivery,) = emit(project, "job.finished", {})

    run_job(delivery.job.pk)

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert "not a public one" in delivery.error
    assert receiver.received == []


def test_a_finished_job_is_announced_to_the_webhooks_that_want_it(project, manager, receiver_for):
    wanting = hook(project, "https://dms.example.org/jobs")
    hook(project, "https://dms.example.org/exports", events=["export.ready"])
    job = Job.objects.create(kind="pretranslate", project=project, created_by=manager)

    job.request_cancel()

    delivery = WebhookDelivery.objects.get()
    assert delivery.webhook == wanting
    assert delivery.payload["data"]["job"]["id"] == job.pk
    assert delivery.payload["data"]["job"]["status"] == "cancelled"
    assert delivery.job.kind == DELIVERY_KIND


def test_a_delivery_job_announces_nothing_itself(project, receiver_for):
    receiver = receiver_for(200)
    hook(project, receiver.url)
    emit(project, "job.finished", {})

    run_job(Job.objects.get(kind=DELIVERY_KIND).pk)

    assert WebhookDelivery.objects.count() == 1


def test_a_written_export_is_announced_as_ready(project, manager, judgment, receiver_for):
    hook(project, "https://dms.example.org/exports", events=["export.ready"])
    do_save_target(
        judgment.segments.get(position=1),
        user=manager,
        role="manager",
        text="上訴駁回。",
        base_version=0,
        action=CONFIRM,
    )
    export = Export.start(project, manager, format="tmx", statuses=["translated"])

    run_job(export.job.pk)

    delivery = WebhookDelivery.objects.get(event="export.ready")
    data = delivery.payload["data"]["export"]
    assert (data["id"], data["ready"]) == (export.pk, True)
    assert data["download_url"] == f"/api/v1/projects/hk/exports/{export.pk}/file"


def test_approving_the_last_segment_announces_the_document(
    project, reviewer, judgment, receiver_for, django_capture_on_commit_callbacks
):
    hook(project, "https://dms.example.org/approved", events=["document.approved"])
    segments = list(judgment.segments.order_by("position"))
    for segment in segments[:-1]:
        with django_capture_on_commit_callbacks(execute=True):
            do_save_target(
                segment,
                user=reviewer,
                role="reviewer",
                text="譯文",
                base_version=0,
                action=APPROVE,
                override_reason="Checked against the bilingual judgment.",
            )
    assert not WebhookDelivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        do_save_target(
            segments[-1],
            user=reviewer,
            role="reviewer",
            text="譯文",
            base_version=0,
            action=APPROVE,
            override_reason="Checked against the bilingual judgment.",
        )

    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "document.approved"
    assert delivery.payload["data"]["document"]["id"] == judgment.pk
    assert delivery.payload["data"]["document"]["segments"] == len(segments)


def test_only_managers_see_the_delivery_log(
    client_for, project, manager, translator, reviewer, outsider
):
    webhook = hook(project, "https://dms.example.org/jobs")
    WebhookDelivery.objects.create(
        webhook=webhook, event="job.finished", payload={}, status="failed", error="HTTP 502"
    )

    page = client_for(manager).get("/projects/hk/webhooks/")

    assert page.status_code == 200
    assert "https://dms.example.org/jobs" in page.content.decode()
    assert "Deliver again" in page.content.decode()
    assert client_for(translator).get("/projects/hk/webhooks/").status_code == 403
    assert client_for(reviewer).get("/projects/hk/webhooks/").status_code == 403
    assert client_for(outsider).get("/projects/hk/webhooks/").status_code == 404


def test_the_page_adds_a_webhook_and_shows_its_secret_once(client_for, project, manager):
    client = client_for(manager)

    added = client.post(
        "/projects/hk/webhooks/",
        {"url": "https://dms.example.org/hook", "events": ["export.ready"]},
    )

    webhook = Webhook.objects.get()
    assert webhook.secret in added.content.decode()
    assert webhook.secret not in client.get("/projects/hk/webhooks/").content.decode()


def test_the_api_refuses_a_webhook_that_is_not_an_http_url(api_for, manager, project):
    response = api_for(manager).send(
        "POST", "/api/v1/projects/hk/webhooks", {"url": "ftp://x", "events": ["job.finished"]}
    )

    assert response.status_code == 422
    assert "http(s) URL" in response.json()["detail"]
    assert not Webhook.objects.exists()
