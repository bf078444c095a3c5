"""qa_warnings: the deterministic checks of a target text, in one shape for the editor."""

import pytest

from workbench.documents.models import Document, Segment
from workbench.memory.models import Term
from workbench.translation.qa import qa_warnings


@pytest.fixture
def document(project):
    return Document.objects.create(
        project=project,
        title="FACC 1/2024",
        original_filename="judgment.docx",
        format=Document.Format.DOCX,
        status=Document.Status.READY,
    )


def segment_of(document, source):
    return Segment.objects.create(
        document=document, position=1, source=source, source_hash=Segment.hash_source(source)
    )


def test_a_good_translation_has_no_warnings(document, project):
    segment = segment_of(document, "The appellant was fined $5,000.")

    assert qa_warnings(segment, "上訴人被罰款$5,000。", project) == []


def test_a_missing_number_is_reported(document, project):
    segment = segment_of(document, "The appellant was fined $5,000.")

    warnings = qa_warnings(segment, "上訴人被罰款。", project)

    assert [w.category for w in warnings] == ["number_date"]
    assert "5,000" in warnings[0].message
    assert warnings[0].category_label == "Number or date"


def test_a_missing_tag_is_reported_but_not_as_a_missing_number(document, project):
    segment = segment_of(document, "The \u27e61\u27e7appellant\u27e6/1\u27e7 appealed.")

    warnings = qa_warnings(segment, "上訴人提出上訴。", project)

    assert {(w.category, w.severity, w.span) for w in warnings} == {
        ("tags", "major", "\u27e61\u27e7"),
        ("tags", "major", "\u27e6/1\u27e7"),
    }


def test_a_reordered_tag_is_a_minor_warning(document, project):
    segment = segment_of(document, "\u27e61\u27e7 and \u27e62\u27e7 here.")

    warnings = qa_warnings(segment, "\u27e62\u27e7 和 \u27e61\u27e7。", project)

    assert [(w.category, w.severity) for w in warnings] == [("tags", "minor")]


def test_glossary_terms_are_checked(document, project):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    segment = segment_of(document, "The appellant appealed.")

    warnings = qa_warnings(segment, "申請人提出上訴。", project)

    assert [w.category for w in warnings] == ["terminology"]
    assert "上訴人" in warnings[0].message


def test_an_empty_translation_is_critical(document, project):
    segment = segment_of(document, "The appeal is dismissed.")

    assert [(w.category, w.severity) for w in qa_warnings(segment, "", project)] == [
        ("omission", "critical")
    ]
