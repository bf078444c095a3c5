"""Lessons: the project's active style notes go into every drafting request."""

from tests.loopback_llm import document_data
from tests.test_corrections import make_document
from workbench.feedback.learning import MAX_LESSONS, lessons_for
from workbench.feedback.models import Lesson
from workbench.jobs.services import enqueue, run_job

DATES = "Write dates as 2024年3月5日."


def test_it_gives_the_active_lessons_oldest_first(project, zh_project, reviewer):
    Lesson.objects.create(project=project, text=DATES, author=reviewer)
    Lesson.objects.create(project=project, text="Old rule.", author=reviewer, active=False)
    Lesson.objects.create(project=project, text="Use 上訴人 for appellant.", author=reviewer)
    Lesson.objects.create(project=zh_project, text="Another project's rule.", author=reviewer)

    assert lessons_for(project) == [DATES, "Use 上訴人 for appellant."]


def test_it_keeps_to_the_newest_lessons_when_there_are_many(project, reviewer):
    for n in range(MAX_LESSONS + 2):
        Lesson.objects.create(project=project, text=f"Rule {n}.", author=reviewer)

    lessons = lessons_for(project)

    assert len(lessons) == MAX_LESSONS
    assert lessons[0] == "Rule 2." and lessons[-1] == f"Rule {MAX_LESSONS + 1}."


def test_the_next_drafting_request_carries_a_new_lesson(
    transactional_db, settings, loopback_llm, project, manager
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    Lesson.objects.create(project=project, text=DATES, author=manager)
    Lesson.objects.create(project=project, text="Retired rule.", author=manager, active=False)

    document = make_document(project, ["The appeal was heard on 5 March 2024."])
    job = enqueue("draft_document", project=project, document=document, user=manager)
    run_job(job.pk)

    (request,) = loopback_llm.requests_for("TranslatorOutput")
    assert document_data(request)["lessons"] == [DATES]


def test_every_agent_of_the_run_is_given_the_lessons(
    transactional_db, settings, loopback_llm, project, manager
):
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    Lesson.objects.create(project=project, text=DATES, author=manager)
    sources = [f"The appeal number {n} was heard on 5 March 2024." for n in range(1, 11)]
    document = make_document(project, sources)
    run_job(enqueue("draft_document", project=project, document=document, user=manager).pk)

    for schema in ("AnnotatorOutput", "ProofreaderOutput"):
        requests = loopback_llm.requests_for(schema)
        assert requests, f"no {schema} request was made"
        assert all(document_data(request)["lessons"] == [DATES] for request in requests)
