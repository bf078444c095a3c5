from django.urls import path

from . import lqa_views, views

urlpatterns = [
    path("projects/<slug:slug>/corrections/", views.corrections, name="corrections"),
    path(
        "projects/<slug:slug>/glossary-candidates/",
        views.glossary_candidates,
        name="glossary_candidates",
    ),
    path(
        "projects/<slug:slug>/glossary-candidates/<int:candidate_id>/accept/",
        views.candidate_accept,
        name="candidate_accept",
    ),
    path(
        "projects/<slug:slug>/glossary-candidates/<int:candidate_id>/reject/",
        views.candidate_reject,
        name="candidate_reject",
    ),
    path("projects/<slug:slug>/lessons/", views.lessons, name="lessons"),
    path("projects/<slug:slug>/lessons/<int:lesson_id>/", views.lesson_edit, name="lesson_edit"),
    path(
        "projects/<slug:slug>/lessons/<int:lesson_id>/active/",
        views.lesson_active,
        name="lesson_active",
    ),
]

# Quality assessment (LQA)
DOCUMENT = "projects/<slug:slug>/documents/<int:document_id>/"
SEGMENT = DOCUMENT + "segments/<int:segment_id>/"
urlpatterns += [
    path(SEGMENT + "quality/", lqa_views.segment_lqa, name="segment_lqa"),
    path(
        SEGMENT + "quality/<int:error_id>/withdraw/",
        lqa_views.lqa_error_withdraw,
        name="lqa_error_withdraw",
    ),
    path(DOCUMENT + "quality/", lqa_views.document_lqa_report, name="document_lqa_report"),
    path("projects/<slug:slug>/quality/", lqa_views.project_lqa_report, name="project_lqa_report"),
]
