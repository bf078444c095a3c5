"""Export files are copies of confidential documents outside the database, so they are
not kept for ever: WORKBENCH_EXPORT_RETENTION_DAYS after an export was made its file is
deleted (the row stays, saying when, so the export page and the audit log still show
it). `manage.py sweep_exports` sweeps by hand; every worker sweeps once an hour."""

import datetime
import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from workbench.documents.files import remove_file_on_commit

from .models import Export

logger = logging.getLogger(__name__)
_last_sweep = {"at": None}


def sweep_expired_exports(now=None):
    """Delete the files of exports older than the retention period; returns how many."""
    days = settings.WORKBENCH_EXPORT_RETENTION_DAYS
    if not days:
        return 0
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        exports = (
            Export.objects.select_for_update(skip_locked=True)
            .exclude(file="")
            .filter(created_at__lt=now - datetime.timedelta(days=days))
        )
        for export in exports:
            remove_file_on_commit(export.file)
            export.file = ""
            export.expired_at = now
            export.save(update_fields=["file", "expired_at"])
            expired += 1
    if expired:
        logger.info("Deleted the files of %s exports older than %s days.", expired, days)
    return expired


def sweep_on_timer(sender, **kwargs):
    """On a worker's sweep: at most once per WORKBENCH_EXPORT_SWEEP_SECONDS per worker."""
    now = time.monotonic()
    last = _last_sweep["at"]
    if last is not None and now - last < settings.WORKBENCH_EXPORT_SWEEP_SECONDS:
        return
    _last_sweep["at"] = now
    try:
        sweep_expired_exports()
    except Exception:
        logger.exception("Sweeping expired export files failed; the next sweep will try again.")
    finally:
        connection.close()


def remove_export_file(sender, instance, **kwargs):
    remove_file_on_commit(instance.file)
