"""News from the jobs app for the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `job=` when a job reaches a final state (succeeded, partial, failed or
# cancelled), by whichever path it got there: its worker, the sweeper giving up, a claim
# that finds it cancelled, or a person cancelling it while it was still queued.
job_finished = Signal()
