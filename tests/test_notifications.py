"""Notifications: assigned work and send-backs reach the person, shown in the top bar."""

import pytest
from django.urls import reverse

from workbench.documents.models import Document, Segment
from workbench.projects.models import Notification
from workbench.translation.services import do_save_target, do_send_back


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="HKSAR v Chan",
        original_filename="chan.docx",
        original_file="originals/chan.docx",
        format="docx",
        status="ready",
    )
    Segment.objects.bulk_create(
        Segment(document=document, position=n, source=f"Paragraph {n}.", word_count=2)
        for n in range(1, 11)
    )
    return document


def test_assigning_work_notifies_the_assignee(client_for, manager, translator, document):
    client_for(manager).post(
        reverse("document_assign", args=[document.project.slug, document.pk]),
        {
            "assign": "",
            "assign-assignee": translator.pk,
            "assign-role": "translator",
            "assign-first_position": 2,
            "assign-last_position": 4,
            "assign-due_date": "2026-12-31",
        },
    )
    notification = Notification.objects.get(user=translator)
    assert notification.text == (
        "mandy assigned you to translate segments 2–4 of “HKSAR v Chan”, due 31 Dec 2026."
    )
    assert notification.url.endswith(f"/documents/{document.pk}/edit/?mine=on")


def confirm(segment, person):
    return do_save_target(
        segment,
        user=person,
        role="translator",
        text="上訴人",
        base_version=segment.version,
        action="confirm",
        override_reason="The number is in the heading.",
    ).segment


def test_a_send_back_notifies_the_translator_assigned_to_the_segment(
    manager, translator, reviewer, document
):
    tina = type(translator).objects.create_user("tina")
    document.project.memberships.create(user=tina, role="translator")
    document.assign(tina, role="translator", by=manager, first_position=1, last_position=5)
    Notification.objects.all().delete()
    segment = confirm(document.segments.get(position=3), translator)

    do_send_back(segment, user=reviewer, role="reviewer", text="Use 上訴人 throughout.")

    notification = Notification.objects.get()
    assert notification.user == tina
    assert notification.text == "rita sent back segment 3 of “HKSAR v Chan”: Use 上訴人 throughout."
    assert notification.url.endswith("/edit/?go=3")


def test_without_an_assignment_the_last_confirmer_is_told(translator, reviewer, document):
    segment = confirm(document.segments.get(position=7), translator)
    do_send_back(segment, user=reviewer, role="reviewer", text="Check the date.")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["tom"]


def test_a_refused_send_back_notifies_nobody(reviewer, document):
    from workbench.translation.services import EditRefused

    with pytest.raises(EditRefused):
        do_send_back(document.segments.get(position=1), user=reviewer, role="reviewer", text="x")
    assert not Notification.objects.exists()


def test_the_top_bar_counts_unread_notifications(client_for, manager, translator, document):
    document.assign(translator, role="translator", by=manager, first_position=3, last_position=5)
    document.assign(translator, role="translator", by=manager, first_position=1, last_position=2)
    html = client_for(translator).get(reverse("home")).content.decode()
    inbox = html.split('id="inbox"')[1].split("</a>")[0]
    assert '<span class="badge rejected">2</span>' in inbox


def test_opening_a_notification_marks_it_read_and_follows_it(
    client_for, manager, translator, document
):
    notification = document.assign(translator, role="translator", by=manager) and (
        Notification.objects.get()
    )
    client = client_for(translator)
    page = client.get(reverse("notifications")).content.decode()
    assert "assigned you to translate the whole document" in page
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    inbox = client.get(reverse("home")).content.decode().split('id="inbox"')[1].split("</a>")[0]
    assert "badge" not in inbox


def test_mark_all_read(client_for, manager, translator, document):
    document.assign(translator, role="translator", by=manager)
    document.assign(translator, role="reviewer", by=manager)
    response = client_for(translator).post(reverse("notifications_read_all"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_opens_someone_elses_notification(
    client_for, manager, translator, outsider, document
):
    document.assign(translator, role="translator", by=manager)
    notification = Notification.objects.get()
    response = client_for(outsider).get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
