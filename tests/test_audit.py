"""The audit log: append-only in the database, written by every action that matters, kept
when what it describes is deleted, and shown to the project's managers with filters and
a CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from tests.conftest import PASSWORD
from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.lifecycle import CONFIRM, SAVE
from workbench.documents.models import Document, Revision
from workbench.documents.services import import_document
from workbench.jobs.models import Job, ModelCall
from workbench.jobs.services import log_agent_job
from workbench.translation.services import do_save_target

TEXT = b"The appeal is allowed.\n\nThe appellant paid HK$1,000 on 3 March 2021.\n"


@pytest.fixture
def document(project, manager):
    return import_document(project, data=TEXT, filename="judgment.txt", user=manager)


def kinds():
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# Append-only ------------------------------------------------------------------------------


def test_the_database_refuses_to_change_an_entry(manager):
    entry = audit.record(AuditEvent.Kind.LOGIN, user=manager)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).update(username="someone else")
    assert AuditEvent.objects.get(pk=entry.pk).username == manager.username


def test_the_database_refuses_to_delete_an_entry(manager):
    entry = audit.record(AuditEvent.Kind.LOGIN, user=manager)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_empty_the_log(manager):
    audit.record(AuditEvent.Kind.LOGIN, user=manager)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Only the test runner's own sessions say they may (tests/settings.py).
        cursor.execute("SET LOCAL workbench.audit_truncate = 'no'")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


# What is recorded ---------------------------------------------------------------------------


def test_it_records_logins_failures_and_logouts_with_the_address(client, manager):
    log_in(client, manager.username, "wrong password")
    log_in(client, manager.username)
    client.post(reverse("logout"))
    failed, login, logout = AuditEvent.objects.order_by("pk")
    assert (failed.kind, failed.username, failed.user_pk) == ("login.failed", "mandy", manager.pk)
    assert failed.details == {"reason": "wrong username or password"}
    assert failed.address == "127.0.0.1"
    assert (login.kind, logout.kind) == ("login", "logout")
    assert login.address == "127.0.0.1"


def test_it_records_a_failed_login_for_a_name_nobody_has(client, db):
    log_in(client, "=cmd|' /C calc'!A0", "x")
    entry = AuditEvent.objects.get()
    assert entry.kind == "login.failed"
    assert entry.user_pk is None
    assert entry.username == "=cmd|' /C calc'!A0"


def test_it_reads_the_address_behind_a_trusted_proxy(client, manager, settings):
    settings.WORKBENCH_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": manager.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
    )
    assert AuditEvent.objects.get(kind="login").address == "203.0.113.9"


def test_it_records_document_views_and_imports(client_for, translator, manager, project):
    client = client_for(manager)
    upload = io.BytesIO(TEXT)
    upload.name = "judgment.txt"
    client.post(reverse("document_upload", args=[project.slug]), {"files": [upload]})
    document = Document.objects.get()
    client_for(translator).get(reverse("editor", args=[project.slug, document.pk]))
    client_for(translator).get(reverse("document_detail", args=[project.slug, document.pk]))
    imported, viewed, detail = AuditEvent.objects.exclude(kind="login").order_by("pk")
    assert imported.kind == "document.imported" and imported.username == "mandy"
    assert imported.details == {"file": "judgment.txt", "segments": 2}
    assert (viewed.kind, viewed.username, viewed.object_pk) == (
        "document.viewed",
        "tom",
        str(document.pk),
    )
    assert detail.kind == "document.viewed"
    assert viewed.project_slug == project.slug


def test_scrolling_the_editor_does_not_count_as_another_view(client_for, translator, document):
    client = client_for(translator)
    url = reverse("editor", args=[document.project.slug, document.pk])
    client.get(url)
    client.get(url, {"after": 1}, HTTP_HX_REQUEST="true")
    assert kinds().count("document.viewed") == 1


def test_it_records_role_and_membership_changes(client_for, manager, outsider, project):
    client = client_for(manager)
    url = reverse("project_members", args=[project.slug])
    client.post(url, {"username": outsider.username, "role": "translator"})
    client.post(url, {"username": outsider.username, "role": "reviewer"})
    membership = project.memberships.get(user=outsider)
    client.post(reverse("project_member_remove", args=[project.slug, membership.pk]))
    added, changed, removed = AuditEvent.objects.exclude(kind="login").order_by("pk")
    assert (added.kind, added.object_repr, added.details) == (
        "member.added",
        "otto",
        {"role": "translator"},
    )
    assert changed.details == {"role": "translator → reviewer"}
    assert (removed.kind, removed.username) == ("member.removed", "mandy")


def test_it_records_settings_and_policy_changes_with_what_they_were(client_for, manager, project):
    client_for(manager).post(
        reverse("project_settings", args=[project.slug]),
        {
            "name": project.name,
            "description": "",
            "tm_threshold": 80,
            "tm_draft_threshold": 100,
            "qa_blocking_severities": ["critical"],
            "auto_propagate": "on",
            "low_risk_review": "review",
            "agent_max_rounds": 2,
            "job_token_budget": "",
            "pseudonymise": "yes",
        },
    )
    entry = AuditEvent.objects.get(kind="settings.changed")
    assert entry.details == {
        "tm_threshold": "75 → 80",
        "qa_blocking_severities": "['major', 'critical'] → ['critical']",
        "pseudonymise": "None → True",
    }
    project.refresh_from_db()
    assert project.pseudonymise is True and project.tm_threshold == 80


def test_it_records_an_override_of_blocking_qa_findings(translator, document):
    segment = document.segments.get(position=2)
    do_save_target(
        segment,
        user=translator,
        role="translator",
        text="上訴人付款。",
        base_version=segment.version,
        action=CONFIRM,
        override_reason="The sum is in the next segment.",
    )
    entry = AuditEvent.objects.get(kind="review.qa_overridden")
    assert entry.username == "tom"
    assert entry.details["segment"] == 2
    assert entry.details["reason"] == "The sum is in the next segment."
    assert any("1,000" in finding for finding in entry.details["findings"])


def test_an_agent_job_is_recorded_with_endpoint_models_and_tokens_but_no_text(
    settings, manager, document
):
    settings.OPENAI_BASE_URL = "https://user:secret@llm.example.org/v1?key=abc"
    job = Job.objects.create(
        kind="draft_document",
        project=document.project,
        document=document,
        status="succeeded",
        created_by=manager,
        result={"drafted": 2, "tokens_in": 900, "tokens_out": 300, "calls": 2},
    )
    for role in ("translator", "annotator"):
        ModelCall.objects.create(
            job=job,
            project=document.project,
            role=role,
            model="gpt-4.1",
            prompt_version="v",
            tokens_in=450,
            tokens_out=150,
            outcome="ok",
        )
    log_agent_job(job)
    entry = AuditEvent.objects.get(kind="agents.job")
    assert entry.details["endpoint"] == "https://llm.example.org/v1"
    assert entry.details["models"] == {
        "annotator gpt-4.1": {"calls": 1, "tokens_in": 450, "tokens_out": 150},
        "translator gpt-4.1": {"calls": 1, "tokens_in": 450, "tokens_out": 150},
    }
    assert entry.details["counts"]["drafted"] == 2
    stored = str(entry.details) + entry.object_repr
    assert "appeal" not in stored and "secret" not in stored


# Deletion ------------------------------------------------------------------------------------


def test_deleting_a_document_keeps_its_trail_and_a_summary_of_its_history(
    client_for, manager, translator, document
):
    segment = document.segments.get(position=1)
    do_save_target(
        segment, user=translator, role="translator", text="上訴得直。", base_version=0, action=SAVE
    )
    client_for(translator).get(reverse("editor", args=[document.project.slug, document.pk]))
    response = client_for(manager).post(
        reverse("document_delete", args=[document.project.slug, document.pk])
    )
    assert response.status_code == 302
    assert not Document.objects.exists() and not Revision.objects.exists()
    entry = AuditEvent.objects.get(kind="document.deleted")
    assert entry.object_repr == "judgment" and entry.username == "mandy"
    assert entry.details["changes"] == {"tom": 1}
    assert sum(entry.details["segments"].values()) == 2
    assert entry.details["file"] == "judgment.txt"
    assert "上訴得直" not in str(entry.details)
    assert AuditEvent.objects.filter(kind="document.viewed", object_pk=str(document.pk)).exists()


def test_the_log_outlives_the_project_and_the_person(manager, project, document):
    audit.record(AuditEvent.Kind.DOCUMENT_VIEWED, user=manager, project=project, target=document)
    project.delete()
    manager.delete()
    viewed = AuditEvent.objects.get(kind="document.viewed")
    assert (viewed.username, viewed.project_slug, viewed.object_repr) == ("mandy", "hk", "judgment")
    assert AuditEvent.objects.filter(kind="project.deleted", project_slug="hk").exists()


# The page ------------------------------------------------------------------------------------


def test_managers_read_the_log_and_filter_it(client_for, manager, translator, project, document):
    client_for(translator).get(reverse("editor", args=[project.slug, document.pk]))
    audit.record(AuditEvent.Kind.LOGIN, user=translator)
    audit.record(AuditEvent.Kind.LOGIN, user=User.objects.create_user("stranger"))
    url = reverse("audit_log", args=[project.slug])

    page = client_for(manager).get(url).content.decode()
    assert "<td>Document viewed</td>" in page and "<td>Document imported</td>" in page
    assert "stranger" not in page  # not a member: their logins are not this project's

    page = client_for(manager).get(url, {"kind": "login"}).content.decode()
    assert "<td>tom</td>" in page and "<td>Document viewed</td>" not in page
    page = client_for(manager).get(url, {"person": "mandy"}).content.decode()
    assert "<td>Document imported</td>" in page and "<td>Document viewed</td>" not in page
    page = client_for(manager).get(url, {"since": "2999-01-01"}).content.decode()
    assert "Nothing recorded that matches these filters." in page


@pytest.mark.parametrize(("persona", "status"), [("translator", 403), ("outsider", 404)])
def test_only_managers_read_the_log(request, client_for, persona, status, project):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("audit_log", args=[project.slug])).status_code == status


def test_its_csv_is_formula_neutral_and_the_download_is_logged(
    client, client_for, manager, project
):
    log_in(client, '=HYPERLINK("http://evil")', "x")
    project.memberships.create(
        user=User.objects.create_user('=HYPERLINK("http://evil")'), role="translator"
    )
    audit.record(AuditEvent.Kind.LOGIN, user=User.objects.get(username='=HYPERLINK("http://evil")'))
    response = client_for(manager).get(reverse("audit_log", args=[project.slug]), {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="hk-audit-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "kind", "person"]
    people = {row[2] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in people
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert AuditEvent.objects.filter(kind="data.downloaded", username="mandy").exists()
