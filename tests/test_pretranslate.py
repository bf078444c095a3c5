"""Pre-translation from the TM: only `new` segments, compare-and-set, a revision per
change, and the background job that runs it."""

import pytest

from workbench.documents.models import Document, Revision, Segment
from workbench.jobs.models import Job
from workbench.jobs.services import enqueue, run_job
from workbench.memory.services import pretranslate_document, project_memory


@pytest.fixture
def document(project):
    memory = project_memory(project)
    for source, target in [
        ("The appeal is dismissed.", "上訴駁回。"),
        ("The appellant was convicted on 3 May 2011.", "上訴人於2011年5月3日被定罪。"),
        ("Costs follow the event.", "訟費依循結果。"),
    ]:
        memory.units.create(
            source=source,
            target=target,
            source_language="en",
            target_language="zh-Hant-HK",
            origin="import",
            quality="translated",
        )
    document = Document.objects.create(
        project=project,
        title="Judgment",
        original_filename="j.txt",
        original_file="x.txt",
        format="txt",
        status="ready",
    )
    sources = [
        "The appeal is dismissed.",  # exact
        "The appellant was convicted on 4 May 2011.",  # fuzzy: a number differs
        "Nothing like it exists in the memory at all.",  # no match
        "Costs follow the event.",  # exact, but a person has already translated it
    ]
    for position, source in enumerate(sources, start=1):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    Segment.objects.filter(document=document, position=4).update(
        target="訟費跟隨結果。", status="translated", version=3
    )
    return document


def segment(document, position):
    return document.segments.get(position=position)


def test_it_fills_new_segments_from_the_memory(document):
    assert pretranslate_document(document, threshold=75) == 2
    exact, fuzzy = segment(document, 1), segment(document, 2)
    assert (exact.target, exact.status, exact.draft_origin, exact.match_percent, exact.version) == (
        "上訴駁回。",
        "drafted",
        "tm",
        100,
        1,
    )
    assert fuzzy.target == "上訴人於2011年5月3日被定罪。"
    assert 75 <= fuzzy.match_percent < 99
    assert segment(document, 3).status == "new" and segment(document, 3).target == ""


def test_it_writes_a_revision_for_each_change(document):
    pretranslate_document(document, threshold=75)
    revision = Revision.objects.get(segment=segment(document, 1))
    assert (revision.origin, revision.old_status, revision.new_status) == ("tm", "new", "drafted")
    assert (revision.old_target, revision.new_target, revision.version) == ("", "上訴駁回。", 1)
    assert Revision.objects.count() == 2


def test_it_leaves_a_segment_a_person_edited_alone(document):
    pretranslate_document(document, threshold=75)
    edited = segment(document, 4)
    assert (edited.target, edited.status, edited.version) == ("訟費跟隨結果。", "translated", 3)
    assert not Revision.objects.filter(segment=edited).exists()


def test_it_does_not_overwrite_a_segment_changed_after_it_was_read(document):
    def person_saves_segment_2_meanwhile(done, total):
        if done == 1:  # segment 2 was read as new; a person saves it before the TM writes
            Segment.objects.filter(document=document, position=2).update(
                target="人手翻譯。", status="translated", version=1
            )

    assert pretranslate_document(document, 75, progress=person_saves_segment_2_meanwhile) == 1
    assert segment(document, 2).target == "人手翻譯。"
    assert not Revision.objects.filter(segment__position=2).exists()


def test_it_changes_nothing_when_run_again(document):
    pretranslate_document(document, threshold=75)
    before = list(document.segments.values_list("target", "status", "version"))
    assert pretranslate_document(document, threshold=75) == 0
    assert list(document.segments.values_list("target", "status", "version")) == before
    assert Revision.objects.count() == 2


def test_it_uses_the_project_threshold_by_default(document, project):
    project.tm_threshold = 100
    project.save()
    assert pretranslate_document(document) == 1
    assert segment(document, 2).status == "new"


def test_the_job_runs_the_pretranslation(
    document, project, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = enqueue(
            "pretranslate",
            project=project,
            document=document,
            params={"threshold": 75},
            user=manager,
        )
    run_job(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded"
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result == {"drafted": 2}
    assert segment(document, 1).status == "drafted"


def test_a_tm_draft_gets_a_risk_and_the_policy_confirms_only_low_risk(document, project):
    project.low_risk_review = "confirm"
    project.save()
    Segment.objects.filter(document=document, position=3).update(source="Costs follow the event.")

    pretranslate_document(document, threshold=75)

    dismissed, fuzzy, costs = segment(document, 1), segment(document, 2), segment(document, 3)
    # "The appeal is dismissed." is the disposition: never low, whatever the match.
    assert (dismissed.risk, dismissed.status) == ("medium", "drafted")
    # The fuzzy match carries the wrong date: the checks see it.
    assert (fuzzy.risk, fuzzy.status) == ("high", "drafted")
    assert fuzzy.risk_reasons[0]["reason"].startswith("Check:")
    assert (costs.risk, costs.status, costs.version) == ("low", "translated", 2)
    policy = costs.revisions.get(origin=Revision.Origin.POLICY)
    assert (policy.old_status, policy.new_status) == ("drafted", "translated")
    assert "exact (100%) TM match" in policy.reason
