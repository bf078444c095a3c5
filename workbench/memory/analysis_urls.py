from django.urls import path

from . import analysis_views

urlpatterns = [
    path(
        "projects/<slug:slug>/analysis/", analysis_views.project_analysis, name="project_analysis"
    ),
    path(
        "projects/<slug:slug>/analysis/run/",
        analysis_views.project_analysis_run,
        name="project_analysis_run",
    ),
    path(
        "projects/<slug:slug>/analysis.<str:file_format>",
        analysis_views.project_analysis_download,
        name="project_analysis_download",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/analysis/",
        analysis_views.document_analysis,
        name="document_analysis",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/analysis/run/",
        analysis_views.document_analysis_run,
        name="document_analysis_run",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/analysis.<str:file_format>",
        analysis_views.document_analysis_download,
        name="document_analysis_download",
    ),
]
