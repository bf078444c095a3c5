from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from workbench.projects.access import get_project_for_user

from .access import get_job_for_user
from .models import JobStateError
from .services import TooManyJobs, cancel_job, retry_job

# htmx stops polling an element when the response has this status.
STOP_POLLING = 286


@login_required
@require_GET
def job_list(request, slug):
    project, role = get_project_for_user(request, slug)
    jobs = project.jobs.select_related("project", "document", "created_by")[:100]
    return render(request, "jobs/job_list.html", {"project": project, "role": role, "jobs": jobs})


@login_required
@require_GET
def job_progress(request, slug, job_id):
    job, role = get_job_for_user(request, slug, job_id)
    return _progress(request, job, role)


@login_required
@require_POST
def job_cancel(request, slug, job_id):
    job, role = get_job_for_user(request, slug, job_id, action="job.manage")
    return _act(request, job, role, cancel_job, "Cancelling the job.")


@login_required
@require_POST
def job_retry(request, slug, job_id):
    job, role = get_job_for_user(request, slug, job_id, action="job.manage")
    return _act(
        request, job, role, retry_job, "The job is queued again; it will work on what is left."
    )


def _act(request, job, role, action, done_message):
    try:
        action(job, request.user)
    except (JobStateError, TooManyJobs) as exc:
        problem = str(exc)
    else:
        problem = None
    if request.htmx:
        return _progress(request, job, role, problem)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, done_message)
    return redirect("job_list", slug=job.project.slug)


def _progress(request, job, role, problem=None):
    context = {"job": job, "role": role, "problem": problem}
    response = render(request, "jobs/_progress.html", context)
    if job.is_finished:
        response.status_code = STOP_POLLING
        # Pages that show the job's results refresh them on this event.
        response["HX-Trigger"] = "jobFinished"
    return response
