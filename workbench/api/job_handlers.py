"""Background work of the API: delivering a webhook event."""

import time

from workbench.jobs.registry import JobFailed, job_handler

from .models import WebhookDelivery
from .webhooks import DELIVERY_KIND, deliver, failure_message


@job_handler(DELIVERY_KIND)
def deliver_webhook(job):
    delivery = (
        WebhookDelivery.objects.select_related("webhook").filter(pk=job.params["delivery"]).first()
    )
    if delivery is None:
        raise JobFailed("The webhook was removed before its event was delivered; nothing to do.")
    job.report_progress(0, 1)
    if not deliver(delivery, pause=lambda seconds: _wait(job, seconds)):
        raise JobFailed(failure_message(delivery))
    job.report_progress(1, 1)


def _wait(job, seconds):
    """Sleep between attempts, checking in each second so a cancel is heard."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(1.0, left))
        job.heartbeat()
