from django.urls import path

from . import views

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
