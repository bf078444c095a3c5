"""Files and sizes: originals and exports go with their rows once the deletion commits,
are readable by the workbench's user only, and exports expire; no segment is longer
than the limit, and a run that cannot be cut is refused with a clear message."""

import datetime
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import stored_files
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document
from workbench.documents.segmentation import SegmentTooLong, bounded_segments
from workbench.documents.services import import_document
from workbench.feedback.models import Export
from workbench.feedback.retention import sweep_expired_exports
from workbench.jobs.sweeper import sweep_from_worker

TEXT = b"The appeal is allowed.\n\nThe appellant paid HK$1,000.\n"


@pytest.fixture
def document(project, manager):
    return import_document(project, data=TEXT, filename="judgment.txt", user=manager)


def export_of(project, manager, days_old=0):
    export = Export.objects.create(project=project, format="tmx", created_by=manager)
    export.file.save("export.tmx", ContentFile(b"<tmx/>"))
    if days_old:
        Export.objects.filter(pk=export.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_old)
        )
        export.refresh_from_db()
    return export


# Deletion -----------------------------------------------------------------------------------


def test_deleting_a_document_removes_its_original_once_committed(
    client_for, manager, document, media_root, django_capture_on_commit_callbacks
):
    original = media_root / document.original_file.name
    assert original.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(manager).post(
            reverse("document_delete", args=[document.project.slug, document.pk])
        )
    assert original.exists()  # not before the deletion has committed
    for callback in callbacks:
        callback()
    assert not original.exists()


def test_a_deletion_that_rolls_back_keeps_the_file(document, media_root):
    from django.db import transaction

    original = media_root / document.original_file.name

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Document.objects.filter(pk=document.pk).get().delete()
        raise Undo
    assert original.exists()
    assert Document.objects.filter(pk=document.pk).exists()


def test_deleting_a_project_removes_its_originals_and_exports(
    project, manager, document, media_root, django_capture_on_commit_callbacks
):
    export_of(project, manager)
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()
    assert stored_files(media_root) == []


def test_files_are_readable_by_the_workbench_only(project, manager, document, media_root):
    export_of(project, manager)
    for path in stored_files(media_root):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        folder = path.parent
        while folder != media_root.parent:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
            folder = folder.parent


# Retention ------------------------------------------------------------------------------------


def test_export_files_expire_after_the_retention_period(
    settings, project, manager, media_root, django_capture_on_commit_callbacks, client_for
):
    settings.WORKBENCH_EXPORT_RETENTION_DAYS = 30
    old = export_of(project, manager, days_old=31)
    recent = export_of(project, manager, days_old=29)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_expired_exports() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and old.expired_at is not None
    assert recent.file
    assert len(stored_files(media_root)) == 1
    page = client_for(manager).get(reverse("corpus_export", args=[project.slug])).content.decode()
    assert "after the retention period" in page
    download = reverse("export_download", args=[project.slug, old.pk])
    assert client_for(manager).get(download).status_code == 404


def test_a_retention_of_zero_keeps_every_file(settings, project, manager):
    settings.WORKBENCH_EXPORT_RETENTION_DAYS = 0
    export_of(project, manager, days_old=400)
    assert sweep_expired_exports() == 0


def test_the_sweep_runs_from_the_command_line(settings, project, manager, capsys):
    settings.WORKBENCH_EXPORT_RETENTION_DAYS = 7
    export_of(project, manager, days_old=8)
    call_command("sweep_exports")
    assert "Deleted the files of 1 export(s) older than 7 days." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_every_worker_sweeps_expired_exports_on_its_timer(settings, project, manager, media_root):
    settings.WORKBENCH_EXPORT_RETENTION_DAYS = 7
    export = export_of(project, manager, days_old=8)
    sweep_from_worker()
    export.refresh_from_db()
    assert export.expired_at is not None
    assert stored_files(media_root) == []


# Segment length ------------------------------------------------------------------------------


def test_an_over_long_paragraph_is_cut_at_sentences(settings):
    paragraph = " ".join(f"Sentence number {n} of the reasons is here." for n in range(40))
    pieces = bounded_segments(paragraph, "en", "paragraph", 200)
    assert "".join(pieces) == paragraph
    assert all(len(piece) <= 200 for piece in pieces)
    assert all(piece.rstrip().endswith(".") for piece in pieces)
    assert len(pieces) > 1


def test_an_over_long_sentence_is_cut_at_clauses():
    sentence = "; ".join(f"the {n}th item of the schedule, which was sold" for n in range(30)) + "."
    pieces = bounded_segments(sentence, "en", "sentence", 150)
    assert "".join(pieces) == sentence
    assert all(len(piece) <= 150 for piece in pieces)
    chinese = "，".join("被告人於該日到達銀行" for _ in range(40)) + "。"
    pieces = bounded_segments(chinese, "zh-Hant-HK", "sentence", 100)
    assert "".join(pieces) == chinese and all(len(piece) <= 100 for piece in pieces)


def test_a_cut_never_separates_a_pair_of_inline_codes():
    sentence = "He said, ⟦1⟧this, that, and the other thing, all of it⟦/1⟧, and left."
    pieces = bounded_segments(sentence, "en", "sentence", 60)
    assert all(piece.count("⟦1⟧") == piece.count("⟦/1⟧") for piece in pieces)


def test_a_run_without_any_break_is_refused():
    with pytest.raises(SegmentTooLong, match="has no sentence or clause break"):
        bounded_segments("x" * 301, "en", "sentence", 300)


def test_a_huge_one_line_text_is_refused_with_a_clear_message(project, media_root):
    """The audit's 20 MB single line became one segment; now it is refused, and nothing
    is stored."""
    with pytest.raises(ImportRejected) as refused:
        import_document(project, data=b"a" * (5 * 1024 * 1024), filename="line.txt")
    message = str(refused.value)
    assert "Paragraph 1 cannot be cut into segments" in message
    assert "at most 3,000" in message and "WORKBENCH_MAX_SEGMENT_CHARS" in message
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_a_long_text_with_sentences_becomes_segments_within_the_limit(project):
    sentences = " ".join(f"The {n}th payment was made to the account." for n in range(2000))
    project.segmentation = "paragraph"
    project.save()
    document = import_document(project, data=sentences.encode(), filename="long.txt")
    lengths = [len(source) for source in document.segments.values_list("source", flat=True)]
    assert max(lengths) <= 3000 and len(lengths) > 1


def test_an_over_long_segment_in_a_bilingual_file_is_refused(settings, project):
    settings.WORKBENCH_MAX_SEGMENT_CHARS = 50
    xliff = (
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="en" target-language="zh-Hant-HK" datatype="plaintext" '
        'original="x"><body><trans-unit id="1"><source>'
        + "A sentence that is much longer than fifty characters in all."
        + "</source></trans-unit></body></file></xliff>"
    )
    with pytest.raises(ImportRejected, match="Segment 1 of the file is 60 characters long"):
        import_document(project, data=xliff.encode(), filename="x.xlf")
