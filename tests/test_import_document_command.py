"""`manage.py import_document`: imports through the import service, or refuses in one line
and leaves nothing behind."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import stored_files
from workbench.documents.models import Document

ENGLISH = (
    "1. The appellant was convicted of theft. He appealed against conviction.\n"
    "\n"
    "2. In HKSAR v. Chan Kam Shing [2016] HKCFA 87 the Court restated the test.\n"
    "The appeal is dismissed.\n"
)
CHINESE = (
    "1. 上訴人被控一項盜竊罪。原審法官裁定罪名成立。\n"
    "\n"
    "2. 原審法官指出：「上訴人說謊。他明知貨物是贓物。」本庭同意。\n"
)


@pytest.fixture
def ruling(tmp_path):
    path = tmp_path / "judgments" / "HCMA 123 of 2015.txt"
    path.parent.mkdir()
    path.write_text(ENGLISH, encoding="utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("import_document", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_it_imports_an_english_judgment_sentence_by_sentence(project, ruling):
    output = run(ruling, "--project", "hk")

    document = Document.objects.get()
    assert output == f"Imported 4 segments into “HCMA 123 of 2015” (document {document.pk}).\n"
    assert document.project == project
    assert document.status == Document.Status.READY
    assert list(document.segments.values_list("paragraph_number", "source")) == [
        ("1", "The appellant was convicted of theft."),
        ("1", "He appealed against conviction."),
        ("2", "In HKSAR v. Chan Kam Shing [2016] HKCFA 87 the Court restated the test."),
        ("2", "The appeal is dismissed."),
    ]


def test_it_passes_the_file_name_without_its_folders(project, ruling):
    run(ruling, "--project", "hk")
    assert Document.objects.get().original_filename == "HCMA 123 of 2015.txt"


def test_it_imports_a_chinese_judgment_sentence_by_sentence(zh_project, tmp_path):
    path = tmp_path / "裁決.txt"
    path.write_text(CHINESE, encoding="utf-8")

    output = run(path, "--project", "zh-en")

    document = zh_project.documents.get()
    assert output == f"Imported 4 segments into “裁決” (document {document.pk}).\n"
    assert list(document.segments.values_list("source", "word_count")) == [
        ("上訴人被控一項盜竊罪。", 10),
        ("原審法官裁定罪名成立。", 10),
        ("原審法官指出：「上訴人說謊。他明知貨物是贓物。」", 19),
        ("本庭同意。", 4),
    ]


def test_it_reads_the_encoding_it_is_given(zh_project, tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes("上訴駁回。訟費由上訴人支付。".encode("big5hkscs"))

    output = run(path, "--project", "zh-en", "--encoding", "big5hkscs")

    assert output.startswith("Imported 2 segments into “big5”")
    assert zh_project.documents.get().encoding == "big5hkscs"


def test_it_reads_the_format_it_is_given(project, tmp_path):
    path = tmp_path / "ruling.dat"
    path.write_text("The appeal is dismissed.", encoding="utf-8")

    output = run(path, "--project", "hk", "--format", "txt")

    assert output.startswith("Imported 1 segment into “ruling”")


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--project", "nowhere"], "no project with the slug “nowhere”; choose one of: hk."),
        (["--project", "hk", "--format", "rtf"], "Unknown format “rtf”"),
        (["--project", "hk", "--encoding", "klingon"], "“klingon” is not an encoding"),
    ],
)
def test_it_refuses_what_it_cannot_import_and_stores_nothing(
    project, ruling, media_root, arguments, reason
):
    with pytest.raises(CommandError, match=reason):
        run(ruling, *arguments)
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_it_refuses_a_file_that_is_not_in_the_encoding_given(zh_project, tmp_path, media_root):
    path = tmp_path / "big5.txt"
    path.write_bytes("上訴駁回。".encode("big5hkscs"))

    with pytest.raises(CommandError, match="The file is not valid UTF-8: line 1, byte 1"):
        run(path, "--project", "zh-en", "--encoding", "utf-8")
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_it_says_to_create_a_project_when_there_is_none(db, ruling):
    with pytest.raises(CommandError, match="slug “hk”; create the project first"):
        run(ruling, "--project", "hk")


def test_it_refuses_a_file_of_an_unknown_kind(project, tmp_path, media_root):
    path = tmp_path / "ruling.dat"
    path.write_text("The appeal is dismissed.", encoding="utf-8")

    with pytest.raises(CommandError, match="“.dat” is not a format the workbench imports"):
        run(path, "--project", "hk")
    assert not Document.objects.exists()


def test_it_refuses_a_missing_file(project, tmp_path):
    with pytest.raises(CommandError, match="There is no file at “.*missing.txt”; check the path"):
        run(tmp_path / "missing.txt", "--project", "hk")
    assert not Document.objects.exists()


def test_it_refuses_a_path_that_cannot_be_read(project, ruling):
    with pytest.raises(CommandError, match=r"cannot be read \(Not a directory\); check the path"):
        run(ruling / "inside", "--project", "hk")
    assert not Document.objects.exists()


@pytest.mark.parametrize("path", ["folder", "/dev/zero"])
def test_it_refuses_what_is_not_a_file(project, tmp_path, path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(CommandError, match="is not a file; give the path of a document"):
        run(tmp_path / path, "--project", "hk")
    assert not Document.objects.exists()


def test_it_refuses_an_empty_file(project, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        run(path, "--project", "hk")
    assert not Document.objects.exists()


def test_it_refuses_a_file_over_the_upload_limit_before_reading_it(
    project, tmp_path, settings, media_root
):
    settings.MAX_UPLOAD_MB = 1
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    path = tmp_path / "huge.txt"
    path.write_bytes(b"The appeal is dismissed. " * 50_000)

    with pytest.raises(CommandError, match=r"The file is 1\.2 MB; the limit is 1 MB"):
        run(path, "--project", "hk")
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_it_refuses_a_file_name_that_is_not_utf8(project, tmp_path):
    path = tmp_path / os.fsdecode(b"ruling-\xe9.txt")
    path.write_text("The appeal is dismissed.", encoding="utf-8")

    with pytest.raises(CommandError, match="ruling-�.txt” is not valid UTF-8; rename the file"):
        run(path, "--project", "hk")
    assert not Document.objects.exists()


def manage(*args, media_root):
    """Run manage.py as a person would, against the test database."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "import_document", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_it_imports_from_the_command_line(transactional_db, project, ruling, media_root):
    result = manage(ruling, "--project", "hk", media_root=media_root)

    document = Document.objects.get()
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout == f"Imported 4 segments into “HCMA 123 of 2015” (document {document.pk}).\n"
    )
    assert len(stored_files(media_root)) == 1


def test_it_refuses_on_the_command_line_in_one_line_with_a_failing_status(
    transactional_db, project, tmp_path, media_root
):
    result = manage(tmp_path / "missing.txt", "--project", "hk", media_root=media_root)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Refused: There is no file at “{tmp_path / 'missing.txt'}”; check the path."
    ]
    assert not Document.objects.exists()
