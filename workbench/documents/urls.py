from django.urls import path

from . import views

urlpatterns = [
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/upload/", views.upload, name="document_upload"),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/",
        views.document_detail,
        name="document_detail",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/assign/",
        views.document_assign,
        name="document_assign",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/translated/",
        views.download_translated,
        name="document_translated",
    ),
]
