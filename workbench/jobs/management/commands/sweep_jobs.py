from django.core.management.base import BaseCommand

from workbench.jobs.sweeper import sweep


class Command(BaseCommand):
    help = (
        "Queue again the jobs whose worker stopped responding, end those out of attempts, "
        "and signal queued jobs nobody picked up. Workers already do this on a timer."
    )

    def handle(self, *args, **options):
        outcome = sweep()
        self.stdout.write(
            f"Queued again: {len(outcome.requeued)}; ended: {len(outcome.ended)}; "
            f"signalled again: {len(outcome.resignalled)}."
        )
