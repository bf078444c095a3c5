"""The one way a feedback view reaches a glossary candidate or a lesson: through the
project (404 for outsiders, 403 for the wrong role)."""

from django.shortcuts import get_object_or_404

from workbench.projects.access import get_project_for_user


def get_candidate_for_user(request, slug, candidate_id):
    """Return (candidate, project); managers only."""
    project, _ = get_project_for_user(request, slug, action="feedback.view")
    return get_object_or_404(project.glossary_candidates, pk=candidate_id), project


def get_lesson_for_user(request, slug, lesson_id):
    """Return (lesson, project); reviewers and managers, who write lessons."""
    project, _ = get_project_for_user(request, slug, action="lesson.write")
    return get_object_or_404(project.lessons, pk=lesson_id), project
