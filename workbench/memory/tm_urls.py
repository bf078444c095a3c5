from django.urls import path

from . import tm_views

urlpatterns = [
    path("projects/<slug:slug>/memory/", tm_views.unit_list, name="tm_units"),
    path("projects/<slug:slug>/memory/add/", tm_views.unit_add, name="tm_unit_add"),
    path(
        "projects/<slug:slug>/memory/<int:unit_id>/edit/", tm_views.unit_edit, name="tm_unit_edit"
    ),
    path(
        "projects/<slug:slug>/memory/<int:unit_id>/delete/",
        tm_views.unit_delete,
        name="tm_unit_delete",
    ),
    path("projects/<slug:slug>/memory/import/", tm_views.memory_import, name="tm_import"),
    path("projects/<slug:slug>/memory/export/", tm_views.memory_export, name="tm_export"),
    path("projects/<slug:slug>/concordance/", tm_views.concordance_search, name="concordance"),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/pretranslate/",
        tm_views.pretranslate,
        name="tm_pretranslate",
    ),
    path(
        "projects/<slug:slug>/documents/<int:document_id>/segments/<int:position>/matches/",
        tm_views.segment_matches,
        name="tm_segment_matches",
    ),
]
