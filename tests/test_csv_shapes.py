"""The translation memory and the glossary importers accept the same CSV shapes, read by
one reader (workbench/memory/csv_shapes.py)."""

import io
import re

import pytest

from workbench.memory import csv_shapes
from workbench.memory.glossary_io import GlossaryRejected, import_glossary
from workbench.memory.services import project_memory
from workbench.memory.tm_io import MemoryImportRejected, import_memory_file

PAIRS = [("appellant", "上訴人"), ("Costs, if any.", "訟費（如有）")]

SHAPES = {
    "two columns, no header": 'appellant,上訴人\n"Costs, if any.",訟費（如有）\n',
    "language tags": 'en,zh-Hant-HK\nappellant,上訴人\n"Costs, if any.",訟費（如有）\n',
    "language tags the other way round": 'zh-HK,en\n上訴人,appellant\n訟費（如有）,"Costs, if any."\n',
    "source and target": 'source,target\nappellant,上訴人\n"Costs, if any.",訟費（如有）\n',
    "tabs": "appellant\t上訴人\nCosts, if any.\t訟費（如有）\n",
    "semicolons": "Source text;Target text\nappellant;上訴人\nCosts, if any.;訟費（如有）\n",
    "blank lines and CRLF": '\r\nappellant,上訴人\r\n\r\n"Costs, if any.",訟費（如有）\r\n',
}
ENCODINGS = {"UTF-8": "utf-8", "UTF-8 with a BOM": "utf-8-sig", "UTF-16 (Excel)": "utf-16"}


@pytest.mark.parametrize("encoding", ENCODINGS.values(), ids=ENCODINGS.keys())
@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_both_importers_read_the_same_shapes_to_the_same_pairs(project, text, encoding):
    data = text.encode(encoding)
    memory = project_memory(project)
    import_memory_file(memory, io.BytesIO(data), "pairs.csv")
    import_glossary(project, data=data, filename="pairs.csv")
    in_memory = sorted(memory.units.values_list("source", "target"))
    in_glossary = sorted(project.terms.values_list("source_term", "target_term"))
    assert in_memory == in_glossary == sorted(PAIRS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("appellant,上訴人\n".encode("big5"), "not UTF-8 text (byte 0xA4 on line 1)"),
        (b"appellant,x\x00\n", "NUL bytes"),
    ],
)
def test_both_importers_refuse_the_same_files_with_the_same_sentence(project, data, message):
    with pytest.raises(MemoryImportRejected, match=re.escape(message)):
        import_memory_file(project_memory(project), io.BytesIO(data), "pairs.csv")
    with pytest.raises(GlossaryRejected, match=re.escape(message)):
        import_glossary(project, data=data, filename="pairs.csv")
    assert not project.terms.exists()


def test_a_headerless_glossary_row_with_a_third_cell_says_what_to_do(project):
    with pytest.raises(GlossaryRejected) as refused:
        import_glossary(project, data="appellant,上訴人,noun\n".encode(), filename="g.csv")
    assert refused.value.problems == [
        "Row 1: it has 3 cells, but a file without a header row holds two: the source term "
        "and the target term. Add a first row naming the columns (source_term, target_term, "
        "note...) or put quotes around cells that contain a comma."
    ]


def test_formula_looking_cells_stay_neutralised_on_the_way_in(project):
    import_glossary(project, data=b"'=SUM(A1),'+852 1234\n", filename="g.csv")
    assert list(project.terms.values_list("source_term", "target_term")) == [
        ("=SUM(A1)", "+852 1234")
    ]


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("a,b", ","),
        ("a;b", ";"),
        ("a\tb", "\t"),
        ('"a;b",c', ","),
        ('"Costs, if any.";訟費', ";"),
        ("one column", ","),
    ],
)
def test_the_delimiter_is_the_one_the_first_line_uses_outside_quotes(line, delimiter):
    assert csv_shapes.delimiter_of(f"\n{line}\nx,y;z\tw\n") == delimiter


def test_the_glossary_takes_a_tsv_file_as_the_tm_does(project):
    data = "en\tzh-Hant-HK\nappellant\t上訴人\n".encode()
    import_glossary(project, data=data, filename="terms.tsv")
    assert list(project.terms.values_list("source_term", "target_term")) == [
        ("appellant", "上訴人")
    ]
