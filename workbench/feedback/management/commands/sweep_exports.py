from django.conf import settings
from django.core.management.base import BaseCommand

from workbench.feedback.retention import sweep_expired_exports


class Command(BaseCommand):
    help = "Delete the files of exports older than WORKBENCH_EXPORT_RETENTION_DAYS."

    def handle(self, *args, **options):
        days = settings.WORKBENCH_EXPORT_RETENTION_DAYS
        if not days:
            self.stdout.write("WORKBENCH_EXPORT_RETENTION_DAYS is 0: export files are kept.")
            return
        count = sweep_expired_exports()
        self.stdout.write(f"Deleted the files of {count} export(s) older than {days} days.")
