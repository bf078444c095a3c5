"""A project's webhooks and their delivery log (managers)."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ..access import project_for, webhook_for
from ..schemas import DeliveryOut, WebhookCreated, WebhookIn, WebhookOut
from ..webhooks import create_webhook, redeliver

router = Router(tags=["webhooks"])

WEBHOOK = "/projects/{slug}/webhooks/{webhook_id}"


@router.get("/projects/{slug}/webhooks", response=list[WebhookOut])
def list_webhooks(request, slug: str):
    project, _ = project_for(request, slug, "webhook.manage")
    return project.webhooks.all()


@router.post(
    "/projects/{slug}/webhooks",
    response={201: WebhookCreated},
    summary="Register a receiver of events",
    description="The answer holds the signing secret, shown this once. Events: "
    "job.finished, document.approved (every segment approved), export.ready.",
)
def add_webhook(request, slug: str, body: WebhookIn):
    project, _ = project_for(request, slug, "webhook.manage")
    return Status(201, create_webhook(project, url=body.url, events=body.events, user=request.user))


@router.delete(WEBHOOK, response={204: None}, summary="Remove a webhook and its log")
def remove_webhook(request, slug: str, webhook_id: int):
    webhook, _ = webhook_for(request, slug, webhook_id)
    webhook.delete()
    return Status(204, None)


@router.get(WEBHOOK + "/deliveries", response=list[DeliveryOut], summary="Recent deliveries")
def list_deliveries(request, slug: str, webhook_id: int):
    webhook, _ = webhook_for(request, slug, webhook_id)
    return webhook.deliveries.all()[:100]


@router.post(
    WEBHOOK + "/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut},
    summary="Deliver an event again",
)
def redeliver_event(request, slug: str, webhook_id: int, delivery_id: UUID):
    webhook, _ = webhook_for(request, slug, webhook_id)
    delivery = get_object_or_404(webhook.deliveries, uid=delivery_id)
    return Status(202, redeliver(delivery, request.user))
