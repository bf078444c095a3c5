"""The analysis by TM match band: the demo judgment counted as an independent loop counts
it, repetitions, 101 against 100, projects, Chinese sources, the job and its progress."""

import re
from collections import Counter

import pytest
from rapidfuzz import fuzz

from tests.browser import DEMO_JUDGMENT, demo_judgment  # noqa: F401
from workbench.documents.models import Segment
from workbench.documents.segmentation import count_words
from workbench.documents.services import import_document
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.memory import lookup as lookup_module
from workbench.memory.analysis import (
    analyse,
    band_of,
    changed_since,
    run_analysis,
    start_analysis,
)
from workbench.memory.models import Analysis
from workbench.memory.services import project_memory

LABELS = ["101", "repetitions", "100", "95-99", "85-94", "75-84", "none"]
KEYS = dict(
    zip(LABELS, ["context", "repetitions", "exact", "high", "medium", "low", "none"], strict=True)
)
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")


@pytest.fixture(autouse=True)
def fresh_word_statistics():
    lookup_module._frequencies = None
    yield
    lookup_module._frequencies = None


def normal(text):
    return " ".join(text.split())


def add_unit(memory, source, target="譯文", **extra):
    fields = {"origin": "import", "quality": "translated"} | extra
    return memory.units.create(
        source=source,
        target=target,
        source_language=memory.source_language,
        target_language=memory.target_language,
        **fields,
    )


def percent(source, unit, before, after):
    """A translator's match: 101 the same text between the same neighbours (not known
    for imported units), 100 the same text, else rapidfuzz's ratio of the texts, below
    100, less two points per number that differs."""
    text, other = normal(source), normal(unit.source)
    if text == other:
        same_place = unit.origin != "import" and (unit.previous_hash, unit.next_hash) == (
            before,
            after,
        )
        return 101 if same_place else 100
    mine, theirs = Counter(NUMBER.findall(text)), Counter(NUMBER.findall(other))
    differing = max(sum((mine - theirs).values()), sum((theirs - mine).values()))
    return max(min(int(fuzz.ratio(text, other)), 99) - 2 * differing, 0)


def band(best):
    for label, lowest in [("101", 101), ("100", 100), ("95-99", 95), ("85-94", 85), ("75-84", 75)]:
        if best >= lowest:
            return label
    return "none"


def count_by_hand(segments, units, language="en"):
    """The analysis, done the long way: every segment against every unit."""
    counts = {label: [0, 0, 0] for label in LABELS}
    seen = set()
    by_position = {segment.position: segment for segment in segments}
    for segment in segments:
        if normal(segment.source) in seen:
            label = "repetitions"
        else:
            seen.add(normal(segment.source))
            before = by_position.get(segment.position - 1)
            after = by_position.get(segment.position + 1)
            hashes = (
                Segment.hash_source(before.source) if before else "",
                Segment.hash_source(after.source) if after else "",
            )
            scores = [percent(segment.source, unit, *hashes) for unit in units]
            label = band(max(scores, default=0))
        counts[label][0] += 1
        counts[label][1] += count_words(segment.source, language)
        counts[label][2] += len(segment.source)
    return counts


def figures(rows):
    return {
        label: [row["segments"], row["words"], row["characters"]]
        for label in LABELS
        for row in rows
        if row["band"] == KEYS[label]
    }


def without_words(text, step):
    """The text with every `step`-th word left out (at least one), numbers kept: a fuzzy
    neighbour, as a sentence edited by a word or a phrase."""
    words = text.split()
    dropped = [
        index
        for index, word in enumerate(words, start=1)
        if index % step == 0 and not any(char.isdigit() for char in word)
    ] or [1]
    return " ".join(word for index, word in enumerate(words, start=1) if index not in dropped)


def memory_for(document):
    """A memory holding some of the document's sentences as they are (in place and
    elsewhere), some with words missing, and a few sentences of no use."""
    memory = project_memory(document.project)
    segments = list(document.segments.order_by("position"))
    hashes = {s.position: s.source_hash for s in segments}
    long = [s for s in segments if len(s.source) > 60]
    for segment in long[0:4]:  # the same text in the same place: 101
        add_unit(
            memory,
            segment.source,
            origin="approval",
            previous_hash=hashes.get(segment.position - 1, ""),
            next_hash=hashes.get(segment.position + 1, ""),
        )
    for segment in long[4:8]:  # the same text, imported, so its place is unknown: 100
        add_unit(memory, segment.source)
    for step, chosen in [(1000, long[8:12]), (8, long[12:16]), (4, long[16:20])]:
        for segment in chosen:
            add_unit(memory, without_words(segment.source, step))
    add_unit(memory, "Nothing in this judgment reads like this sentence at all.")
    return memory


def test_the_demo_judgment_is_counted_as_a_loop_over_every_unit_counts_it(demo_judgment):  # noqa: F811
    memory = memory_for(demo_judgment)
    segments = list(demo_judgment.segments.order_by("position"))
    expected = count_by_hand(segments, list(memory.units.all()))
    analysis = run_analysis(demo_judgment.project, demo_judgment)
    assert figures(analysis.rows) == expected
    # The memory was made to reach every band, and the judgment repeats itself.
    assert all(expected[label][0] > 0 for label in LABELS), expected
    total = analysis.rows[-1]
    assert total["band"] == "total"
    assert total["segments"] == len(segments)
    assert total["words"] == sum(s.word_count for s in segments)
    assert total["characters"] == sum(len(s.source) for s in segments)
    assert sum(row["share"] for row in analysis.rows[:-1]) == pytest.approx(100, abs=0.5)
    assert analysis.memories == [memory.name]
    assert analysis.threshold == 75


def make_document(project, sources, title="Judgment"):
    return import_document(
        project, data="\n\n".join(sources).encode(), filename=f"{title}.txt", title=title
    )


def test_a_repeated_segment_counts_once_in_its_band_then_as_a_repetition(project):
    add_unit(project_memory(project), "The appeal is dismissed.")
    document = make_document(
        project,
        ["The appeal is dismissed.", "Costs follow.", "The appeal  is dismissed.", "Costs follow."],
    )
    rows = figures(run_analysis(project, document).rows)
    assert rows["100"] == [1, 4, 24]
    assert rows["repetitions"] == [2, 6, 37]
    assert rows["none"] == [1, 2, 13]


def test_an_exact_match_between_the_same_neighbours_is_101_elsewhere_100(project):
    document = make_document(
        project,
        ["Background.", "The appeal is dismissed.", "Costs.", "Later.", "The appeal is allowed."],
    )
    hashes = dict(document.segments.values_list("position", "source_hash"))
    memory = project_memory(project)
    add_unit(
        memory,
        "The appeal is dismissed.",
        origin="approval",
        previous_hash=hashes[1],
        next_hash=hashes[3],
    )
    add_unit(
        memory, "The appeal is allowed.", origin="approval", previous_hash=hashes[1], next_hash=""
    )
    rows = figures(run_analysis(project, document).rows)
    assert rows["101"] == [1, 4, 24]
    assert rows["100"] == [1, 4, 22]  # the same text between other neighbours


def test_without_a_memory_every_first_occurrence_is_no_match(project):
    document = make_document(project, ["One sentence.", "Another one.", "One sentence."])
    rows = figures(run_analysis(project, document).rows)
    assert rows["none"] == [2, 4, 25]
    assert rows["repetitions"] == [1, 2, 13]
    assert run_analysis(project, document).memories == []


def test_a_project_analysis_counts_repetitions_across_its_documents(project):
    first = make_document(project, ["The appeal is dismissed.", "Costs follow."], "First")
    make_document(project, ["Costs follow.", "A new point."], "Second")
    analysis = run_analysis(project)
    rows = figures(analysis.rows)
    assert rows["none"] == [3, 9, 49]
    assert rows["repetitions"] == [1, 2, 13]
    assert [each["title"] for each in analysis.documents] == ["First", "Second"]
    second = figures(analysis.documents[1]["rows"])
    assert second["repetitions"] == [1, 2, 13]
    # The document on its own has no repetition.
    assert figures(run_analysis(project, first).rows)["repetitions"] == [0, 0, 0]


def test_a_chinese_source_counts_every_character_as_a_word(zh_project):
    sources = ["上訴人被判罪名成立。", "本院駁回上訴，HKSAR v Chan 一案適用。"]
    document = make_document(zh_project, sources)
    total = run_analysis(zh_project, document).rows[-1]
    assert total["words"] == 9 + (10 + 3)  # Han characters, then HKSAR, v, Chan
    assert total["characters"] == sum(len(source) for source in sources)


@pytest.mark.parametrize(
    ("best", "key"),
    [
        (101, "context"),
        (100, "exact"),
        (99, "high"),
        (95, "high"),
        (94, "medium"),
        (85, "medium"),
        (84, "low"),
        (75, "low"),
        (74, "none"),
        (None, "none"),
    ],
)
def test_a_match_falls_in_its_band(best, key):
    assert band_of(best) == key


def test_progress_is_reported_for_every_segment(project):
    document = make_document(project, ["One.", "Two.", "Three."])
    calls = []
    analyse(project, document, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_the_job_reports_its_progress_and_keeps_its_analysis(
    project, manager, django_capture_on_commit_callbacks
):
    document = make_document(project, [f"Sentence number {n} of the judgment." for n in range(60)])
    with django_capture_on_commit_callbacks(execute=False):
        job = start_analysis(project, document, manager)
    assert run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == ("succeeded", 60, 60)
    assert job.result["segments"] == 60
    analysis = Analysis.objects.get()
    assert (analysis.job, analysis.document, analysis.created_by) == (job, document, manager)
    # Delivered again, the job replaces its own analysis rather than adding one.
    run_analysis(project, document, user=manager, job=job)
    assert Analysis.objects.count() == 1


def test_a_project_job_analyses_every_document(
    project, manager, django_capture_on_commit_callbacks
):
    make_document(project, ["One.", "Two."], "First")
    make_document(project, ["Three."], "Second")
    with django_capture_on_commit_callbacks(execute=False):
        job = start_analysis(project, user=manager)
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress_total) == ("succeeded", 3)
    assert Analysis.objects.get(document=None).rows[-1]["segments"] == 3


def test_an_import_queues_the_analysis_of_the_document(
    project, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = import_document(
            project, data=DEMO_JUDGMENT.read_bytes(), filename=DEMO_JUDGMENT.name, user=manager
        )
    job = Job.objects.get()
    assert (job.kind, job.document, job.created_by) == ("analysis", document, None)
    run_job(job.pk)
    analysis = Analysis.objects.get()
    assert analysis.created_by is None
    assert analysis.rows[-1]["segments"] == document.segments.count()


def test_it_knows_when_the_documents_changed_since(project):
    make_document(project, ["One.", "Two."], "First")
    analysis = run_analysis(project)
    assert not changed_since(analysis)
    second = make_document(project, ["Three."], "Second")
    assert changed_since(analysis)
    second.delete()
    assert not changed_since(analysis)


def test_the_analyses_after_a_large_upload_do_not_lock_people_out(settings, project, manager):
    settings.WORKBENCH_MAX_JOBS_PER_PROJECT = 2
    document = make_document(project, ["One."])
    for _ in range(3):
        start_analysis(project, document)
    assert start_analysis(project, document, manager).created_by == manager
    assert Job.objects.filter(status="queued").count() == 4
