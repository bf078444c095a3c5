"""Every API call that reads a document or changes something is in the audit log, with
who called with which token; and a caller with a token is no anonymous sender, so an
upload larger than what anonymous requests may send goes through."""

from django.core.files.uploadedfile import SimpleUploadedFile

from workbench.audit.models import AuditEvent

BASE = "/api/v1/projects/hk"


def api_calls():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.API_CALL).order_by("pk")


def test_a_document_read_and_a_change_are_recorded_but_a_project_list_is_not(
    api_for, manager, judgment
):
    api = api_for(manager)
    segment = judgment.segments.get(position=1)

    api.get("/api/v1/projects")
    api.get(f"{BASE}/documents/{judgment.pk}/segments")
    api.send(
        "POST",
        f"{BASE}/documents/{judgment.pk}/segments/{segment.pk}/comments",
        {"text": "Check the date."},
    )

    recorded = [(e.username, e.details["method"], e.details["status"]) for e in api_calls()]
    assert recorded == [("mandy", "GET", 200), ("mandy", "POST", 201)]
    assert api_calls().first().details["token"] == "tests"
    assert "segments" in api_calls().first().details["path"]


def test_a_call_with_an_unknown_token_leaves_no_entry(client, judgment):
    client.get(f"{BASE}/documents/{judgment.pk}", headers={"Authorization": "Bearer nope"})
    assert not api_calls().exists()


def test_an_upload_with_a_token_is_not_held_to_the_anonymous_body_limit(
    api_for, manager, project, settings
):
    text = ("The appeal is dismissed with costs. " * 4000).encode()
    assert len(text) > settings.WORKBENCH_ANONYMOUS_MAX_BODY_BYTES

    response = api_for(manager).post(
        f"{BASE}/documents", {"file": SimpleUploadedFile("long.txt", text)}
    )

    assert response.status_code == 201, response.content
    assert api_calls().get().details["status"] == 201
