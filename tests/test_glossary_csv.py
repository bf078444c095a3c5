"""CSV import and export of the glossary."""

import codecs
import csv
import io

import pytest

from workbench.memory.glossary_io import (
    MAX_TERMS_PER_IMPORT,
    GlossaryRejected,
    export_csv,
    import_glossary,
)
from workbench.memory.models import Term

HEADER = "source_term,target_term,part_of_speech,note,domain,case_sensitive,status\n"


def import_csv(project, text_or_bytes, user=None, filename="glossary.csv"):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    return import_glossary(project, data=data, filename=filename, user=user)


def rejected_problems(project, data):
    with pytest.raises(GlossaryRejected) as rejected:
        import_csv(project, data)
    assert not project.terms.exists()
    return str(rejected.value), rejected.value.problems


def test_it_imports_rows_with_all_their_fields(project, manager):
    result = import_csv(
        project,
        HEADER
        + 'appellant,上訴人,noun,"Used in CFA, not CA",Criminal law,no,preferred\n'
        + "appellant,上訴方,,,,,Forbidden\n"
        + "Cap.,第章,,,,yes,\n",
        manager,
    )
    assert (result.added, result.updated) == (3, 0)
    appellant = project.terms.get(target_term="上訴人")
    assert (appellant.part_of_speech, appellant.note, appellant.domain) == (
        "noun",
        "Used in CFA, not CA",
        "Criminal law",
    )
    assert project.terms.get(target_term="上訴方").status == Term.Status.FORBIDDEN
    cap = project.terms.get(source_term="Cap.")
    assert cap.case_sensitive and cap.status == Term.Status.PREFERRED


def test_it_reads_utf8_with_a_bom_and_only_the_columns_given(project):
    import_csv(project, codecs.BOM_UTF8 + "target_term;source_term\n上訴人;appellant\n".encode())
    term = project.terms.get()
    assert (term.source_term, term.target_term, term.status) == ("appellant", "上訴人", "preferred")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("appellant,上訴人\n".encode("big5"), "not UTF-8"),
        (b"source_term,target_term\nap\x00pellant,x\n", "NUL"),
        ("source,colour\nappellant,上訴人\n", "unknown column “colour”"),
        ("fr,de\nappellant,上訴人\n", "unknown columns “fr”, “de”"),
        ("source_term,note\nappellant,x\n", "no target_term column"),
        ("source_term,target_term,source_term\na,b,c\n", "twice"),
    ],
)
def test_it_refuses_files_it_cannot_read(project, data, expected):
    message, _ = rejected_problems(project, data)
    assert expected in message


def test_it_lists_every_bad_row_and_imports_nothing(project):
    message, problems = rejected_problems(
        project,
        HEADER
        + "appellant,上訴人,,,,,\n"
        + ",上訴人,,,,,\n"
        + "respondent,答辯人,,,,,approved\n"
        + f"{'x' * 301},長,,,,,\n"
        + "court,法院,,,,maybe,\n"
        + "a,b,c,d,e,f,g,h\n"
        + "plain\u202etext,x,,,,,\n",
    )
    assert "6 problems" in message and "nothing was changed" in message
    assert [p.split(":")[0] for p in problems] == [
        "Row 3",
        "Row 4",
        "Row 5",
        "Row 6",
        "Row 7",
        "Row 8",
    ]
    assert "source term is empty" in problems[0]
    assert "“approved” is unknown" in problems[1]
    assert "301 characters" in problems[2]
    assert "maybe" in problems[3]
    assert "8 cells" in problems[4]
    assert "U+202E" in problems[5]


def test_it_lists_at_most_a_hundred_problems(project):
    message, problems = rejected_problems(project, "source_term,target_term\n" + ",x\n" * 150)
    assert "150 problems" in message
    assert len(problems) == 101
    assert problems[-1] == "… and 50 more problems."


def test_it_refuses_a_file_without_terms(project):
    message, _ = rejected_problems(project, HEADER)
    assert "contains no terms" in message


def test_it_refuses_more_terms_than_one_import_takes(project, settings):
    rows = "".join(f"t{n},譯{n}\n" for n in range(MAX_TERMS_PER_IMPORT + 1))
    message, _ = rejected_problems(project, "source_term,target_term\n" + rows)
    assert "Split it" in message


def test_it_refuses_other_file_types(project):
    with pytest.raises(GlossaryRejected) as rejected:
        import_csv(project, HEADER, filename="glossary.xlsx")
    assert "neither a TBX" in str(rejected.value)


def test_it_merges_duplicates_in_the_file_and_in_the_glossary(project):
    Term.objects.create(
        project=project, source_term="appellant", target_term="上訴人", note="old", domain="Civil"
    )
    result = import_csv(
        project,
        "source_term,target_term,note\n"
        "appellant,上訴人,new\n"
        "respondent,答辯人,first\n"
        "respondent,答辯人,second\n",
    )
    assert (result.added, result.updated) == (1, 1)
    assert project.terms.count() == 2
    appellant = project.terms.get(source_term="appellant")
    assert (appellant.note, appellant.domain) == ("new", "Civil")
    assert project.terms.get(source_term="respondent").note == "second"


def test_it_normalises_spacing_before_merging(project):
    Term.objects.create(project=project, source_term="Court of Appeal", target_term="上訴法庭")
    import_csv(project, "source_term,target_term\n  Court  of Appeal ,上訴法庭\n")
    assert project.terms.count() == 1


def test_its_export_neutralises_formulas(project):
    Term.objects.create(project=project, source_term="=HYPERLINK(1)", target_term="+1", note="@x")
    Term.objects.create(project=project, source_term="-ing form", target_term="\tTab")
    rows = list(csv.reader(io.StringIO(export_csv(project).decode("utf-8-sig"))))
    assert rows[0][:2] == ["source_term", "target_term"]
    cells = [cell for row in rows[1:] for cell in row]
    assert {"'=HYPERLINK(1)", "'@x", "'-ing form", "'\tTab"} <= set(cells)
    # A plain number is no formula, and stays a number (the one rule of every CSV).
    assert "+1" in cells
    assert not any(cell.startswith(("=", "-", "@", "\t")) for cell in cells)


def test_its_export_imports_back_unchanged(project):
    Term.objects.create(
        project=project,
        source_term="appellant",
        target_term="上訴人",
        part_of_speech="noun",
        note="Line one,\n“quoted”",
        domain="Criminal law",
        status="admitted",
    )
    Term.objects.create(
        project=project, source_term="=SUM(A1)", target_term="-1", case_sensitive=True
    )
    fields = [
        "source_term",
        "target_term",
        "part_of_speech",
        "note",
        "domain",
        "case_sensitive",
        "status",
    ]
    before = list(project.terms.values_list(*fields))
    data = export_csv(project)
    assert data.startswith(codecs.BOM_UTF8)
    project.terms.all().delete()
    assert import_csv(project, data).added == 2
    assert list(project.terms.values_list(*fields)) == before
