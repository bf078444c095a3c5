"""Command-line parity: import_memory, import_termbase and export_translated print what
they did, and exit non-zero with the reason when they refuse."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import files_cat
from tests.xliff_schemas import schema_errors
from workbench.documents.services import import_document
from workbench.memory.services import project_memory


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_memory_says_what_it_imported_and_skipped(project, tmp_path):
    path = tmp_path / "project_save.tmx"
    path.write_bytes(files_cat.OMEGAT_TMX)

    printed = run("import_memory", "--project", project.slug, str(path))

    assert printed.startswith("Imported “project_save.tmx” into")
    assert (
        "2 new units, 0 merged with units already in the memory; 1 untranslated unit(s) skipped."
        in printed
    )
    assert project_memory(project).units.count() == 2


def test_import_memory_refuses_with_the_reason(project, tmp_path):
    path = tmp_path / "hostile.tmx"
    path.write_bytes(
        files_cat.OMEGAT_TMX.replace(b'"tmx11.dtd">', b'"tmx11.dtd" [<!ENTITY a "b">]>')
    )

    with pytest.raises(CommandError, match="declares entities"):
        run("import_memory", "--project", project.slug, str(path))
    with pytest.raises(CommandError, match="There is no project with the slug “nope”"):
        run("import_memory", "--project", "nope", str(path))


def test_import_termbase_says_what_it_imported(project, tmp_path):
    path = tmp_path / "legal.tbx"
    path.write_bytes(files_cat.TBX_BASIC_NTIG)

    printed = run("import_termbase", "--project", project.slug, str(path))

    assert (
        printed.strip()
        == "Imported “legal.tbx” into the glossary of “HK judgments”: 3 new terms, 0 updated."
    )


def test_import_termbase_lists_the_problems_when_it_refuses(project, tmp_path):
    path = tmp_path / "legal.tbx"
    path.write_bytes(files_cat.TBX_V3)

    with pytest.raises(CommandError) as refused:
        run("import_termbase", "--project", project.slug, str(path))

    assert "Entry 2 (c11): the language “fr” is not part of this project" in str(refused.value)
    assert not project.terms.exists()


def test_export_translated_writes_the_translated_original(project, manager, tmp_path):
    document = import_document(
        project, data=files_cat.SDLXLIFF, filename="judgment.docx.sdlxliff", user=manager
    )
    path = tmp_path / "back.sdlxliff"

    printed = run("export_translated", "--document", str(document.pk), "-o", str(path))

    assert printed.strip() == (
        f"Wrote the translated “judgment.docx.sdlxliff” (XLIFF, 1 segment(s) not translated "
        f"yet kept their source) to {path}."
    )
    assert schema_errors(path.read_bytes(), "1.2-transitional") == []


def test_export_translated_refuses_an_unknown_document(tmp_path, db):
    with pytest.raises(CommandError, match="There is no document 999"):
        run("export_translated", "--document", "999", "-o", str(tmp_path / "x.xlf"))
    assert not (tmp_path / "x.xlf").exists()


def test_a_refusal_exits_non_zero_with_one_line(transactional_db, project, tmp_path, settings):
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
    }
    path = tmp_path / "legal.tbx"
    path.write_bytes(files_cat.TBX_V3)
    completed = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "import_termbase",
            "--project",
            project.slug,
            str(path),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1
    assert completed.stderr.startswith("Refused: “legal.tbx” was not imported because of 1 problem")
