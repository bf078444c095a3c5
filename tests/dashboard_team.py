"""A project two weeks into its work, for the dashboard's tests: three judgments, two
translators and a reviewer signing segments off day by day (some keeping the agents'
text, some not), model calls of two agent roles, jobs in every state, a send-back."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.conftest import make_user
from workbench.documents.models import Document, Revision, Segment
from workbench.feedback.models import Correction
from workbench.jobs.models import Job, ModelCall
from workbench.projects.models import Membership
from workbench.translation.models import Comment

DAYS = 14


@dataclass
class Team:
    project: object
    manager: object
    translators: list
    reviewer: object
    documents: list
    today: datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _document(project, title, due, segments, words, manager):
    document = Document.objects.create(
        project=project,
        title=title,
        original_filename=f"{title}.docx",
        original_file=f"originals/{title}.docx",
        format="docx",
        status="ready",
        due_date=due,
        created_by=manager,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=n,
            source=f"Paragraph {n} of {title}.",
            source_hash=f"{document.pk}-{n}",
            word_count=words + n % 5,
        )
        for n in range(1, segments + 1)
    )
    return document


def _revise(segment, *, author, new_status, when, machine_text="", new_target=None, seconds=None):
    old_status, old_target = segment.status, segment.target
    segment.status = new_status
    segment.target = new_target if new_target is not None else segment.target
    segment.version += 1
    segment.save()
    revision = Revision.objects.create(
        segment=segment,
        origin="person",
        author=author,
        old_target=old_target,
        new_target=segment.target,
        old_status=old_status,
        new_status=new_status,
        version=segment.version,
        machine_text=machine_text,
        seconds_spent=seconds,
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=when)


@pytest.fixture
def team(project, manager, translator, reviewer):
    today = timezone.localdate()
    tina = make_user("tina")
    Membership.objects.create(project=project, user=tina, role="translator")
    documents = [
        _document(
            project, "HKSAR v Chan Tai Man", today + datetime.timedelta(days=3), 40, 20, manager
        ),
        _document(project, "Re Wong Estate", today - datetime.timedelta(days=1), 12, 15, manager),
        _document(project, "Lee v Secretary for Justice", None, 30, 25, manager),
    ]
    chan, wong, lee = documents
    chan.assign(
        translator, role="translator", by=manager, due_date=today + datetime.timedelta(days=3)
    )
    chan.assign(reviewer, role="reviewer", by=manager)
    lee.assign(
        tina,
        role="translator",
        by=manager,
        first_position=1,
        last_position=30,
        due_date=today + datetime.timedelta(days=1),
    )

    # The agents drafted everything at the start.
    Segment.objects.filter(document__project=project).update(status="drafted")
    queues = {
        translator: list(chan.segments.order_by("position"))
        + list(wong.segments.order_by("position")),
        tina: list(lee.segments.order_by("position")),
    }
    confirmed = []
    for offset in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=offset)
        for person, per_day in ((translator, 3), (tina, 2)):
            for n in range(per_day if offset % 3 else 1):
                if not queues[person]:
                    break
                segment = queues[person].pop(0)
                draft = f"機器譯文 {segment.position}"
                segment.target = draft
                kept = (segment.position + offset) % 3 != 0
                _revise(
                    segment,
                    author=person,
                    new_status="translated",
                    when=at(day, 9 + n),
                    machine_text=draft,
                    new_target=draft if kept else f"人工譯文 {segment.position}",
                    seconds=30 + 7 * n + offset,
                )
                confirmed.append(segment)
        for segment in confirmed[:2]:
            _revise(segment, author=reviewer, new_status="approved", when=at(day, 16))
        del confirmed[:2]

    sent_back = chan.segments.filter(status="approved").first()
    _revise(sent_back, author=reviewer, new_status="translated", when=at(today, 17))
    Comment.objects.create(
        segment=sent_back, author=reviewer, text="Use 上訴人.", is_send_back=True
    )

    running = Job.objects.create(
        kind="draft_document",
        project=project,
        document=lee,
        status="running",
        progress_done=4,
        progress_total=10,
        created_by=manager,
    )
    failed = Job.objects.create(
        kind="draft_document",
        project=project,
        document=wong,
        status="failed",
        error="The model endpoint refused the request: the API key is not valid.",
        created_by=manager,
        finished_at=timezone.now(),
    )
    Job.objects.create(
        kind="export",
        project=project,
        status="succeeded",
        created_by=manager,
        finished_at=timezone.now(),
    )
    calls = [
        ("translator", "gpt-4.1-mini", "translator-v3", 1200, 400, "ok", running),
        ("translator", "gpt-4.1-mini", "translator-v3", 1500, 600, "ok", running),
        ("translator", "gpt-4.1-mini", "translator-v3", 900, 0, "timeout", failed),
        ("annotator", "qwen2.5-72b-instruct", "annotator-v1", 2000, 300, "ok", running),
    ]
    ModelCall.objects.bulk_create(
        ModelCall(
            job=job,
            project=project,
            document=job.document,
            role=role,
            model=model,
            prompt_version=prompt,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=800,
            outcome=outcome,
        )
        for role, model, prompt, tokens_in, tokens_out, outcome, job in calls
    )
    _corrections(project, translator, today)
    return Team(project, manager, [translator, tina], reviewer, documents, today)


def _corrections(project, person, today):
    """What people made of the Translator's drafts: prompt translator-v2 three weeks
    ago, translator-v3 since, kept unchanged more often."""
    segments = list(Segment.objects.filter(document__project=project).order_by("pk")[:36])
    for n, segment in enumerate(segments):
        weeks_ago = 2 - n // 12
        prompt = "translator-v2" if weeks_ago == 2 else "translator-v3"
        kept = n % (2 if prompt == "translator-v2" else 4) != 0
        distance = 0 if kept else 4 + n % 5
        Correction.objects.create(
            project=project,
            segment=segment,
            event="confirm",
            source=segment.source,
            machine_text="機器譯文",
            agent_role="translator",
            model_name="gpt-4.1-mini",
            prompt_version=prompt,
            final_text="機器譯文" if kept else "人工譯文",
            author=person,
            edit_distance=distance,
            hter=0.0 if kept else distance / 10,
            chrf=100.0 if kept else 40.0,
            chrf_signature="test",
            created_at=at(today - datetime.timedelta(weeks=weeks_ago, days=n % 3)),
        )
