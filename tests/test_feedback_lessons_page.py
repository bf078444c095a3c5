"""The lessons page: reviewers and managers write, edit and deactivate lessons;
translators read them; outsiders do not see the project."""

import pytest
from django.urls import reverse

from workbench.feedback.models import Lesson

DATES = "Write dates as 2024年3月5日."


def lessons_url(project):
    return reverse("lessons", args=[project.slug])


@pytest.fixture
def lesson(project, reviewer):
    return Lesson.objects.create(project=project, text=DATES, author=reviewer)


def test_it_lists_the_lessons_for_a_translator_without_the_form(client_for, translator, lesson):
    response = client_for(translator).get(lessons_url(lesson.project))

    assert response.status_code == 200
    assert DATES in response.text
    assert "New lesson" not in response.text


@pytest.mark.parametrize("persona", ["reviewer", "manager"])
def test_it_adds_a_lesson(request, client_for, project, persona):
    user = request.getfixturevalue(persona)

    response = client_for(user).post(
        lessons_url(project), {"text": "  Use 上訴人\nfor appellant. "}
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.text, lesson.author, lesson.active) == ("Use 上訴人 for appellant.", user, True)


def test_it_refuses_a_translators_lesson(client_for, translator, project):
    response = client_for(translator).post(lessons_url(project), {"text": "My rule."})

    assert response.status_code == 403
    assert not Lesson.objects.exists()


def test_it_rejects_an_empty_or_hostile_lesson_and_says_why(client_for, reviewer, project):
    client = client_for(reviewer)

    empty = client.post(lessons_url(project), {"text": "   "})
    hidden = client.post(lessons_url(project), {"text": "Use \u202eevil"})
    long = client.post(lessons_url(project), {"text": "x" * (Lesson.MAX_CHARS + 1)})

    assert empty.status_code == 200 and "This field is required" in empty.text
    assert hidden.status_code == 200 and "invisible character U+202E" in hidden.text
    assert long.status_code == 200 and "characters long" in long.text
    assert not Lesson.objects.exists()


def test_it_edits_a_lesson(client_for, manager, lesson):
    url = reverse("lesson_edit", args=[lesson.project.slug, lesson.pk])

    response = client_for(manager).post(url, {"text": "Write dates as 2024年3月5日 (no spaces)."})

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.text == "Write dates as 2024年3月5日 (no spaces)."


def test_it_deactivates_and_reactivates_a_lesson(client_for, reviewer, lesson):
    url = reverse("lesson_active", args=[lesson.project.slug, lesson.pk])
    client = client_for(reviewer)

    client.post(url)
    lesson.refresh_from_db()
    assert not lesson.active

    client.post(url, {"active": "on"})
    lesson.refresh_from_db()
    assert lesson.active


def test_a_translator_may_not_edit_or_deactivate(client_for, translator, lesson):
    client = client_for(translator)
    slug = lesson.project.slug

    edit = client.post(reverse("lesson_edit", args=[slug, lesson.pk]), {"text": "Changed."})
    deactivate = client.post(reverse("lesson_active", args=[slug, lesson.pk]))

    assert (edit.status_code, deactivate.status_code) == (403, 403)
    lesson.refresh_from_db()
    assert lesson.text == DATES and lesson.active


def test_outsiders_get_404(client_for, outsider, lesson):
    client = client_for(outsider)
    slug = lesson.project.slug

    assert client.get(lessons_url(lesson.project)).status_code == 404
    assert client.post(reverse("lesson_active", args=[slug, lesson.pk])).status_code == 404


def test_a_lesson_of_another_project_is_not_found(client_for, manager, lesson, zh_project):
    url = reverse("lesson_edit", args=[zh_project.slug, lesson.pk])

    assert client_for(manager).get(url).status_code == 404


def test_the_project_page_links_to_the_lessons(client_for, translator, project):
    response = client_for(translator).get(reverse("project_detail", args=[project.slug]))

    assert lessons_url(project) in response.text
    assert reverse("corrections", args=[project.slug]) not in response.text
