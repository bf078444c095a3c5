from django.urls import path

from . import export_views

urlpatterns = [
    path("projects/<slug:slug>/export/", export_views.export_page, name="corpus_export"),
    path(
        "projects/<slug:slug>/exports/<int:export_id>/",
        export_views.export_status,
        name="export_status",
    ),
    path(
        "projects/<slug:slug>/exports/<int:export_id>/download/",
        export_views.export_download,
        name="export_download",
    ),
]
