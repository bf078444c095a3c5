from django.urls import path

from . import views

urlpatterns = [
    path("projects/<slug:slug>/jobs/", views.job_list, name="job_list"),
    path(
        "projects/<slug:slug>/jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"
    ),
    path("projects/<slug:slug>/jobs/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("projects/<slug:slug>/jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
]
