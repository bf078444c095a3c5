"""The API reaches projects and what is in them through the pages' own access helpers
(outsiders get 404), and asks the capability table what a member may do (403 names the
roles that may)."""

from django.shortcuts import get_object_or_404

from workbench.documents.access import get_document_for_user
from workbench.feedback.models import Export
from workbench.jobs.access import get_job_for_user
from workbench.projects.access import get_project_for_user
from workbench.projects.capabilities import CAPABILITIES, ROLES, check_can
from workbench.translation.access import get_segment_for_user

from .models import Webhook

PLURAL = {"manager": "managers", "translator": "translators", "reviewer": "reviewers"}


def refusal(role, action):
    allowed = [PLURAL[name] for name in ROLES if name in CAPABILITIES[action]]
    who = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " and " + allowed[-1]
    return (
        f"You are a {role} in this project, and “{action}” is for {who} only. Ask a manager "
        "of the project if you need it."
    )


def check(role, action):
    check_can(role, action, refusal(role, action))


def project_for(request, slug, action="project.view"):
    project, role = get_project_for_user(request, slug)
    check(role, action)
    return project, role


def document_for(request, slug, document_id, action="document.view"):
    document, role = get_document_for_user(request, slug, document_id)
    check(role, action)
    return document, role


def segment_for(request, slug, document_id, segment_id, action="segment.edit"):
    segment, role = get_segment_for_user(request, slug, document_id, segment_id)
    check(role, action)
    return segment, role


def job_for(request, slug, job_id, action="project.view"):
    job, role = get_job_for_user(request, slug, job_id)
    check(role, action)
    return job, role


def export_for(request, slug, export_id):
    project, _ = project_for(request, slug, "export.create")
    export = get_object_or_404(
        Export.objects.select_related("project", "document", "job"), project=project, pk=export_id
    )
    return export, project


def webhook_for(request, slug, webhook_id):
    project, _ = project_for(request, slug, "webhook.manage")
    return get_object_or_404(Webhook, project=project, pk=webhook_id), project
