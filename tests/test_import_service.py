"""`import_document` refuses names and sizes before reading, and stores nothing when it
refuses; the same rules hold for every caller."""

import pytest

from tests.conftest import stored_files
from tests.files_xliff import trans_unit, xliff_1_2
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document, Segment
from workbench.documents.services import import_document

TEXT = b"1. The appeal is dismissed.\n"


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("../../etc/passwd.txt", "contains a path"),
        ("..\\evil.txt", "contains a path"),
        ("evil\x00.txt", "NUL character"),
        ("a" * 296 + ".txt", "300 characters long"),
        ("ruling\u202etxt.exe", "bidirectional-override"),
        ("bell\x07.txt", "control"),
    ],
)
def test_it_refuses_hostile_filenames(project, media_root, filename, reason):
    with pytest.raises(ImportRejected, match=reason):
        import_document(project, data=TEXT, filename=filename)
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_it_refuses_an_empty_file(project, media_root):
    with pytest.raises(ImportRejected, match="The file is empty"):
        import_document(project, data=b"", filename="empty.txt")
    assert stored_files(media_root) == []


def test_it_refuses_an_unknown_format(project, media_root):
    with pytest.raises(ImportRejected, match="not a format the workbench imports"):
        import_document(project, data=b"\x89PNG\r\n\x1a\n....", filename="scan.png")
    assert stored_files(media_root) == []


def test_a_failure_while_storing_segments_leaves_nothing(project, media_root, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Segment.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        import_document(project, data=TEXT, filename="ruling.txt")
    assert not Document.objects.exists()
    assert not Segment.objects.exists()
    assert stored_files(media_root) == []


def test_a_document_is_ready_with_all_its_segments(project, manager):
    document = import_document(project, data=TEXT, filename="ruling.txt", user=manager)
    assert document.status == Document.Status.READY
    assert document.title == "ruling"
    segment = document.segments.get()
    assert (segment.position, segment.source, segment.paragraph_number) == (
        1,
        "The appeal is dismissed.",
        "1",
    )
    assert segment.source_hash == Segment.hash_source("The appeal is dismissed.")
    assert segment.word_count == 4
    assert segment.char_count == len("The appeal is dismissed.")


def test_it_refuses_a_bilingual_file_in_another_language_pair(project, media_root):
    data = xliff_1_2(trans_unit("1", "The appeal is dismissed."), target_language="fr")
    with pytest.raises(ImportRejected, match="target language is fr, but this project"):
        import_document(project, data=data, filename="french.xlf")
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_regional_variant_of_the_pair_is_only_a_warning(project):
    data = xliff_1_2(trans_unit("1", "The appeal is dismissed."), target_language="zh-HK")
    document = import_document(project, data=data, filename="hk.xlf")
    assert "The file's target language is zh-HK; the project's is zh-Hant-HK." in (
        document.import_warnings
    )
