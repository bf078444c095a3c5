"""`manage.py export_corpus`: writes the file and says how many units; one-line errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from translate.storage.tmx import tmxfile

from tests.test_export_fixtures import add_segment, make_document


@pytest.fixture
def judgment(project):
    document = make_document(project)
    add_segment(document, "The appeal is dismissed.", "上訴駁回。")
    add_segment(document, "Costs follow the event.", "訟費跟隨事件結果。", status="translated")
    return document


def export(*arguments):
    out = StringIO()
    call_command("export_corpus", *arguments, stdout=out)
    return out.getvalue()


def test_it_writes_the_file_and_counts_the_units(project, judgment, tmp_path):
    path = tmp_path / "hk.tmx"

    output = export("--project", "hk", "--format", "tmx", "-o", str(path))

    assert output.strip() == f"Wrote 1 units to {path}."
    assert [unit.target for unit in tmxfile(path.read_bytes()).units] == ["上訴駁回。"]


def test_it_takes_several_statuses_and_a_date_range(project, judgment, tmp_path):
    path = tmp_path / "hk.csv"

    output = export(
        "--project",
        "hk",
        "--format",
        "csv",
        "--status",
        "approved",
        "--status",
        "translated",
        "--since",
        "2000-01-01",
        "--until",
        "2999-12-31",
        "-o",
        str(path),
    )

    assert "Wrote 2 units" in output


def test_it_writes_one_document_as_word(project, judgment, tmp_path):
    path = tmp_path / "judgment.docx"

    output = export(
        "--project", "hk", "--format", "docx", "--document", str(judgment.pk), "-o", str(path)
    )

    assert "Wrote 2 units" in output
    assert "1 segment(s) kept their source text" in output
    assert path.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--project", "nope", "--format", "tmx"], "There is no project “nope”"),
        (["--project", "hk", "--format", "docx"], "add --document ID"),
        (["--project", "hk", "--format", "tmx", "--document", "999999"], "has no document 999999"),
        (["--project", "hk", "--format", "tmx", "--since", "March"], "write it as YYYY-MM-DD"),
        (
            ["--project", "hk", "--format", "tmx", "--status", "done"],
            "“done” is not a segment status",
        ),
        (["--project", "hk", "--format", "tmx", "--since", "2999-01-01"], "nothing to export"),
    ],
)
def test_it_refuses_with_one_line_and_writes_nothing(
    project, judgment, tmp_path, arguments, message
):
    with pytest.raises(CommandError, match=message) as refusal:
        export(*arguments, "-o", str(tmp_path / "out"))

    assert "\n" not in str(refusal.value)
    assert list(tmp_path.iterdir()) == []
