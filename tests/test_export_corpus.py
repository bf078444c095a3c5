"""Which segments an export holds: statuses, date range, document; and the refusals."""

import datetime

import pytest
from translate.storage.tmx import tmxfile

from tests.test_export_fixtures import add_segment, changed_on, exported, make_document
from workbench.feedback.exports import Corpus, ExportRefused
from workbench.feedback.exports.corpus import date_from

MARCH = [datetime.date(2024, 3, day) for day in range(1, 32)]


def sources(data):
    return [unit.source for unit in tmxfile(data).units]


@pytest.fixture
def corpus(project):
    first = make_document(project, title="First")
    second = make_document(project, title="Second")
    for day, status in [(1, "approved"), (10, "translated"), (20, "approved"), (31, "drafted")]:
        segment = add_segment(
            first, f"First, {day} March, {status}.", f"一，{day}日。", status=status
        )
        changed_on(segment, MARCH[day - 1])
    changed_on(add_segment(second, "Second, 10 March.", "二。"), MARCH[9])
    add_segment(second, "Second, new.", status="new")
    return first, second


def test_it_exports_approved_segments_by_default(project, corpus):
    data, _ = exported(project, "tmx")

    assert sources(data) == [
        "First, 1 March, approved.",
        "First, 20 March, approved.",
        "Second, 10 March.",
    ]


def test_it_exports_the_statuses_asked_for(project, corpus):
    data, _ = exported(project, "tmx", statuses=["translated", "drafted"])

    assert sources(data) == ["First, 10 March, translated.", "First, 31 March, drafted."]


def test_untranslated_segments_are_exported_only_when_new_is_chosen(project, corpus):
    data, tally = exported(project, "tmx", statuses="approved")
    assert "Second, new." not in sources(data)

    data, tally = exported(project, "tmx", statuses="new,approved")

    assert tally.units == 4
    assert "Second, new." in sources(data)


def test_the_date_range_includes_its_first_and_last_day(project, corpus):
    data, _ = exported(
        project,
        "tmx",
        statuses=["approved", "translated", "drafted"],
        since=MARCH[9],
        until=MARCH[19],
    )

    assert sources(data) == [
        "First, 10 March, translated.",
        "First, 20 March, approved.",
        "Second, 10 March.",
    ]


def test_an_open_ended_range(project, corpus):
    since, _ = exported(project, "tmx", since=MARCH[1])
    until, _ = exported(project, "tmx", until=MARCH[0])

    assert sources(since) == ["First, 20 March, approved.", "Second, 10 March."]
    assert sources(until) == ["First, 1 March, approved."]


def test_it_exports_one_document(project, corpus):
    data, _ = exported(project, "tmx", document=corpus[1])

    assert sources(data) == ["Second, 10 March."]


def test_it_refuses_a_document_of_another_project(project, zh_project, corpus):
    with pytest.raises(ExportRefused, match="belongs to another project"):
        Corpus(zh_project, document=corpus[0])


def test_it_refuses_an_unknown_status(project):
    with pytest.raises(ExportRefused, match="“signed” is not a segment status"):
        Corpus(project, statuses=["approved", "signed"])


def test_it_refuses_a_range_that_ends_before_it_starts(project):
    with pytest.raises(ExportRefused, match="swap the two dates"):
        Corpus(project, since=MARCH[9], until=MARCH[0])


def test_it_refuses_a_date_it_cannot_read(project):
    with pytest.raises(ExportRefused, match="write it as YYYY-MM-DD"):
        date_from("31/03/2024", "--since")


def test_it_refuses_an_export_with_nothing_in_it(project, corpus):
    with pytest.raises(ExportRefused, match="nothing to export"):
        exported(project, "csv", since=datetime.date(2025, 1, 1))


def test_it_refuses_an_unknown_format(project, corpus):
    with pytest.raises(ExportRefused, match="not an export format"):
        exported(project, "pdf")
