"""A day's work by the three demo people, through the pages they use, and what the audit
page then shows their manager."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from workbench.audit.models import AuditEvent
from workbench.projects.models import Project


@pytest.fixture
def demo(settings, db):
    settings.WORKBENCH_DEMO = True
    call_command("seed_demo", "--empty", stdout=io.StringIO(), stderr=io.StringIO())
    return Project.objects.get(slug="hk-judgments")


def log_in(client, username):
    client.post(reverse("login"), {"username": username, "password": "workbench-demo"})
    assert "_auth_user_id" in client.session, username


def test_the_audit_page_shows_a_days_work_by_the_three_demo_people(client, demo):
    document = demo.documents.get(original_filename="hk_judgment_facc_2024.docx")
    slug = demo.slug
    first = document.segments.order_by("position").first()

    log_in(client, "translator")
    client.get(reverse("editor", args=[slug, document.pk]))
    client.post(
        reverse("segment_save", args=[slug, document.pk, first.pk]),
        {"text": "[2024] HKCFA 12", "version": first.version, "action": "confirm"},
    )
    client.post(reverse("logout"))

    log_in(client, "reviewer")
    client.get(reverse("editor", args=[slug, document.pk]))
    first.refresh_from_db()
    client.post(
        reverse("segment_save", args=[slug, document.pk, first.pk]),
        {"text": first.target, "version": first.version, "action": "approve"},
    )
    client.post(reverse("logout"))

    log_in(client, "manager")
    client.get(reverse("dashboard", args=[slug]))
    client.get(reverse("dashboard_dataset", args=[slug, "progress"]), {"format": "csv"})
    client.post(reverse("corpus_export", args=[slug]), {"format": "tmx", "statuses": ["approved"]})
    client.post(
        reverse("project_members", args=[slug]), {"username": "reviewer", "role": "manager"}
    )
    first.refresh_from_db()
    assert first.status == "approved"

    page = client.get(reverse("audit_log", args=[slug])).content.decode()
    for username in ("translator", "reviewer", "manager"):
        assert f"<td>{username}</td>" in page, username
    for kind in (
        "Logged in",
        "Logged out",
        "Document viewed",
        "Data downloaded",
        "Export started",
        "Member&#x27;s role changed",
    ):
        assert f"<td>{kind}</td>" in page, kind

    response = client.get(reverse("audit_log", args=[slug]), {"format": "csv"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    done = {(row["person"], row["kind"]) for row in rows}
    assert {
        ("translator", "login"),
        ("translator", "document.viewed"),
        ("reviewer", "document.viewed"),
        ("manager", "export.created"),
        ("manager", "member.role_changed"),
    } <= done
    assert all(row["address"] == "127.0.0.1" for row in rows if row["kind"] == "login")
    assert AuditEvent.objects.filter(kind="document.imported", project_slug=slug).exists()
