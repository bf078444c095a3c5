from django.urls import path

from . import views

DOCUMENT = "projects/<slug:slug>/documents/<int:document_id>/"

urlpatterns = [
    path(DOCUMENT + "drafting/", views.drafting, name="drafting"),
    path(DOCUMENT + "drafting/start/", views.draft_start, name="draft_start"),
    path(DOCUMENT + "drafting/<int:job_id>/retry/", views.draft_retry, name="draft_retry"),
    path(DOCUMENT + "brief/", views.brief, name="document_brief"),
]
