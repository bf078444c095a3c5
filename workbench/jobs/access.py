from django.shortcuts import get_object_or_404

from workbench.projects.access import get_project_for_user


def get_job_for_user(request, slug, job_id, action=None):
    """Return (job, role); 404 unless the user is a member of the job's project."""
    project, role = get_project_for_user(request, slug, action=action)
    job = get_object_or_404(project.jobs.select_related("project", "document"), pk=job_id)
    return job, role
