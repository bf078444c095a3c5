"""CSV and XLSX exports, read back with the csv module and openpyxl."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.test_export_fixtures import add_segment, exported, make_document

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def judgment(project):
    document = make_document(project, title="HCAL 1234/2024")
    add_segment(document, "The appeal is dismissed.", "上訴駁回。", paragraph_number="12")
    add_segment(document, 'Costs, "as usual".\nNew line.', "訟費，「如常」。\n新行。")
    add_segment(document, "Not approved.", "未批。", status="translated")
    return document


def read_csv(data):
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data):
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_csv_has_a_row_per_approved_segment(project, judgment):
    data, tally = exported(project, "csv")

    first, second = judgment.segments.order_by("position")[:2]
    assert tally.units == 2
    assert read_csv(data) == [
        ["source", "target", "status", "document", "paragraph", "segment"],
        [
            "The appeal is dismissed.",
            "上訴駁回。",
            "approved",
            "HCAL 1234/2024",
            "12",
            str(first.pk),
        ],
        [
            'Costs, "as usual".\nNew line.',
            "訟費，「如常」。\n新行。",
            "approved",
            "HCAL 1234/2024",
            "",
            str(second.pk),
        ],
    ]


def test_xlsx_has_a_row_per_approved_segment(project, judgment):
    data, tally = exported(project, "xlsx")

    first, second = judgment.segments.order_by("position")[:2]
    assert tally.units == 2
    assert read_xlsx(data) == [
        ["source", "target", "status", "document", "paragraph", "segment"],
        [
            "The appeal is dismissed.",
            "上訴駁回。",
            "approved",
            "HCAL 1234/2024",
            "12",
            str(first.pk),
        ],
        [
            'Costs, "as usual".\nNew line.',
            "訟費，「如常」。\n新行。",
            "approved",
            "HCAL 1234/2024",
            None,
            str(second.pk),
        ],
    ]


def test_csv_cells_that_start_like_a_formula_get_an_apostrophe(project):
    document = make_document(project)
    for text in HOSTILE:
        add_segment(document, text, text)

    data, _ = exported(project, "csv")

    rows = read_csv(data)[1:]
    assert [row[0] for row in rows] == ["'" + text for text in HOSTILE]
    assert [row[1] for row in rows] == ["'" + text for text in HOSTILE]


def test_csv_leaves_plain_numbers_alone(project):
    document = make_document(project)
    for number in ["-5", "+852", "-1,234.50", "12%"]:
        add_segment(document, number, number)

    data, _ = exported(project, "csv")

    assert [row[0] for row in read_csv(data)[1:]] == ["-5", "+852", "-1,234.50", "12%"]


def test_xlsx_never_stores_a_formula_and_keeps_the_text(project):
    document = make_document(project)
    for text in HOSTILE:
        add_segment(document, text, text)

    data, _ = exported(project, "xlsx")

    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == HOSTILE
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    assert b"<f>" not in _sheet_xml(data)


def test_xlsx_drops_characters_a_workbook_cannot_hold(project):
    document = make_document(project)
    add_segment(document, "Bad\x01\x0b\x1fchars\ufffe", "壞\x08字")

    data, _ = exported(project, "xlsx")

    assert read_xlsx(data)[1][:2] == ["Badchars", "壞字"]


def _sheet_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("xl/worksheets/sheet1.xml")
