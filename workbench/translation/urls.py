from django.urls import path

from . import report_views, review_views, views

DOCUMENT = "projects/<slug:slug>/documents/<int:document_id>/"
SEGMENT = DOCUMENT + "segments/<int:segment_id>/"

urlpatterns = [
    path(DOCUMENT + "edit/", views.editor, name="editor"),
    path(DOCUMENT + "edit/changes/", views.editor_changes, name="editor_changes"),
    path(DOCUMENT + "edit/concordance/", views.editor_concordance, name="editor_concordance"),
    path(DOCUMENT + "edit/approve/", views.bulk_approve, name="bulk_approve"),
    path(SEGMENT, views.segment_row, name="segment_row"),
    path(SEGMENT + "panel/", views.segment_panel, name="segment_panel"),
    path(SEGMENT + "save/", views.segment_save, name="segment_save"),
    path(SEGMENT + "qa/", views.segment_qa, name="segment_qa"),
    path(SEGMENT + "send-back/", views.segment_send_back, name="segment_send_back"),
    path(SEGMENT + "reopen/", views.segment_reopen, name="segment_reopen"),
    path(SEGMENT + "ask/", views.segment_ask_revision, name="segment_ask_revision"),
    path(SEGMENT + "comments/", views.comment_add, name="comment_add"),
    path(
        SEGMENT + "comments/<int:comment_id>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path(
        SEGMENT + "issues/<int:annotation_id>/accept/",
        views.annotation_accept,
        name="annotation_accept",
    ),
    path(
        SEGMENT + "issues/<int:annotation_id>/dismiss/",
        views.annotation_dismiss,
        name="annotation_dismiss",
    ),
    path(
        SEGMENT + "history/<int:revision_id>/restore/",
        views.revision_restore,
        name="revision_restore",
    ),
    path(DOCUMENT + "qa/", report_views.document_qa_report, name="document_qa_report"),
    path(DOCUMENT + "qa.csv", report_views.document_qa_report_csv, name="document_qa_report_csv"),
    path(DOCUMENT + "review-file/", review_views.review_file_download, name="review_file"),
    path(
        DOCUMENT + "review-file/import/",
        review_views.review_file_import,
        name="review_file_import",
    ),
]
