from django.urls import path

from . import draft_views

DOCUMENT = "projects/<slug:slug>/documents/<int:document_id>/"

urlpatterns = [
    path(DOCUMENT + "drafting/", draft_views.drafting, name="drafting"),
    path(DOCUMENT + "drafting/start/", draft_views.draft_start, name="draft_start"),
    path(DOCUMENT + "brief/", draft_views.brief, name="document_brief"),
]
