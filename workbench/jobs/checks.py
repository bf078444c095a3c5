from django.conf import settings
from django.core.checks import Error, register

from .transports import TRANSPORTS


@register()
def queue_is_known(app_configs, **kwargs):
    if settings.WORKBENCH_QUEUE in TRANSPORTS:
        return []
    return [
        Error(
            f"WORKBENCH_QUEUE is “{settings.WORKBENCH_QUEUE}”, which is not a queue the "
            "workbench knows.",
            hint="Set WORKBENCH_QUEUE to celery or rq.",
            id="jobs.E001",
        )
    ]
