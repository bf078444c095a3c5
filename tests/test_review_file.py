"""The bilingual review file: exported with ids and versions, edited offline, imported
back as the reviewer's saves; conflicts reported by version; a file of another
document, or with ids that are not this document's, changes nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import files_cat
from workbench.documents.models import Revision
from workbench.documents.services import import_document
from workbench.translation.review_file import (
    ReviewFileRejected,
    import_review_workbook,
    review_workbook,
)
from workbench.translation.services import do_save_target


@pytest.fixture
def document(project, manager):
    return import_document(
        project, data=files_cat.MQXLIFF, filename="judgment.mqxliff", user=manager
    )


def edited(data, changes):
    """The workbook with the translation column of rows (by position) replaced."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Review"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value in changes:
            row[4].value = changes[row[2].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_review_file_has_ids_versions_and_only_the_translation_to_edit(document):
    sheet = load_workbook(io.BytesIO(review_workbook(document)))["Review"]

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "segment", "version", "#", "source", "translation (edit this column)", "status", "notes",
    )  # fmt: skip
    first = document.segments.get(position=1)
    assert rows[1][:6] == (first.pk, first.version, 1, first.source, first.target, "Translated")
    assert rows[2][6] == "Wording agreed with the court."
    assert sheet.protection.sheet and not sheet["E2"].protection.locked


def test_reimporting_saves_each_changed_translation_as_the_reviewers_edit(document, reviewer):
    data = edited(review_workbook(document), {4: "訟費由答辯人支付。", 6: "可申請作進一步指示。"})

    result = import_review_workbook(document, data, user=reviewer, role="reviewer")

    assert result.saved == [4, 6]
    assert (result.conflicts, result.refused) == ([], [])
    assert result.unchanged == 4
    costs = document.segments.get(position=4)
    assert (costs.target, costs.draft_origin) == ("訟費由答辯人支付。", "person")
    revision = Revision.objects.filter(segment=costs).latest("pk")
    assert (revision.origin, revision.author, revision.old_target) == (
        "person",
        reviewer,
        "訟費依結果。",
    )


def test_a_segment_changed_since_the_export_is_a_conflict_and_left_alone(
    document, reviewer, translator
):
    data = edited(review_workbook(document), {4: "訟費由答辯人支付。"})
    costs = document.segments.get(position=4)
    do_save_target(
        costs, user=translator, role="translator", text="訟費跟隨結果。", base_version=costs.version
    )

    result = import_review_workbook(document, data, user=reviewer, role="reviewer")

    assert result.saved == []
    assert result.conflicts[0][0] == 4
    assert "changed in the workbench after the file was exported" in result.conflicts[0][1]
    assert document.segments.get(position=4).target == "訟費跟隨結果。"


def test_a_locked_segment_is_refused_and_the_others_saved(document, reviewer):
    data = edited(review_workbook(document), {1: "改動。", 4: "訟費由答辯人支付。"})

    result = import_review_workbook(document, data, user=reviewer, role="reviewer")

    assert result.saved == [4]
    assert result.refused[0][0] == 1 and "locked" in result.refused[0][1]
    assert document.segments.get(position=1).target == "⟦1⟧上訴人⟦2⟧提出上訴。"


def test_a_file_with_ids_of_another_document_changes_nothing(project, manager, document, reviewer):
    other = import_document(project, data=files_cat.OKAPI_XLIFF, filename="other.xlf", user=manager)
    data = edited(review_workbook(document), {4: "訟費由答辯人支付。"})
    before = list(other.segments.values_list("target", "version"))

    with pytest.raises(ReviewFileRejected, match="exported from another document"):
        import_review_workbook(other, data, user=reviewer, role="reviewer")

    workbook = load_workbook(io.BytesIO(data))
    workbook.properties.identifier = None
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ReviewFileRejected, match="that are not in “other”"):
        import_review_workbook(other, out.getvalue(), user=reviewer, role="reviewer")
    assert list(other.segments.values_list("target", "version")) == before
    assert document.segments.get(position=4).target == "訟費依結果。"


def workbook_without_review_sheet():
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 broken", "not a valid ZIP"),
        (files_cat.TERMS_CSV, "not a valid ZIP"),
        (workbook_without_review_sheet(), "has no “Review” sheet"),
    ],
    ids=["broken", "csv", "other-workbook"],
)
def test_a_file_that_is_not_a_review_file_is_refused(document, reviewer, data, message):
    before = list(document.segments.values_list("target", "version"))

    with pytest.raises(ReviewFileRejected, match=message):
        import_review_workbook(document, data, user=reviewer, role="reviewer")

    assert list(document.segments.values_list("target", "version")) == before


def test_the_pages_offer_and_take_the_review_file(client_for, reviewer, translator, document):
    client = client_for(reviewer)
    url = reverse("review_file", args=[document.project.slug, document.pk])
    page = client.get(reverse("document_detail", args=[document.project.slug, document.pk]))
    assert url in page.content.decode()
    data = edited(client.get(url).content, {4: "訟費由答辯人支付。"})

    response = client.post(
        reverse("review_file_import", args=[document.project.slug, document.pk]),
        {"file": io.BytesIO(data)},
        follow=True,
    )

    assert "Review file imported: 1 segment(s) saved" in response.content.decode()
    assert client_for(translator).get(url).status_code == 403
