from django.urls import path

from . import glossary_views as views

urlpatterns = [
    path("projects/<slug:slug>/glossary/", views.glossary, name="glossary"),
    path("projects/<slug:slug>/glossary/add/", views.term_add, name="glossary_term_add"),
    path(
        "projects/<slug:slug>/glossary/<int:term_id>/edit/",
        views.term_edit,
        name="glossary_term_edit",
    ),
    path(
        "projects/<slug:slug>/glossary/<int:term_id>/delete/",
        views.term_delete,
        name="glossary_term_delete",
    ),
    path("projects/<slug:slug>/glossary/import/", views.glossary_import, name="glossary_import"),
    path(
        "projects/<slug:slug>/glossary/export/<str:file_format>/",
        views.glossary_export,
        name="glossary_export",
    ),
    path(
        "projects/<slug:slug>/glossary/recognise/",
        views.glossary_recognise,
        name="glossary_recognise",
    ),
]
