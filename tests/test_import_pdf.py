import pytest

from tests.conftest import stored_files
from tests.files_pdf import JUDGMENT, JUDGMENT_HEADER, encrypted_pdf, pdf_bytes, scan_pdf
from workbench.documents.importers import pdf
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document, Segment
from workbench.documents.services import import_document

JUDGMENT_PARAGRAPHS = [
    ("", "IN THE HIGH COURT OF THE HONG KONG SPECIAL ADMINISTRATIVE REGION"),
    (
        "1",
        "The appellant was convicted after trial in the District Court of one count of "
        "robbery. He appeals against conviction only.",
    ),
    (
        "2",
        "The prosecution case was that on 3 May 2020 the appellant, a well-known figure in "
        "the district, approached the victim outside a bank in Mong Kok and snatched her "
        "handbag, which contained HK$12,000 in cash and her identity card. The victim gave "
        "chase but lost sight of the man in the crowd. She later picked out the appellant at "
        "an identification parade held at the police station.",
    ),
    ("3", "The judge directed herself on the dangers of identification evidence."),
    ("", "Grounds of appeal"),
    (
        "4",
        "Counsel for the appellant submits that the judge failed to deal adequately with the "
        "weaknesses in the identification, in particular the short time the victim had to "
        "see the robber. We do not accept that submission.",
    ),
    ("", "The appeal is dismissed."),
]


def paragraphs(parsed):
    return [(block.paragraph_number, block.text) for block in parsed.blocks]


def test_it_rebuilds_the_paragraphs_of_a_judgment():
    parsed = pdf.parse(pdf_bytes(JUDGMENT))

    assert parsed.format == "pdf"
    assert paragraphs(parsed) == JUDGMENT_PARAGRAPHS
    assert all(not block.presegmented and block.kind == "paragraph" for block in parsed.blocks)


def test_it_joins_words_hyphenated_at_a_line_end_and_keeps_real_hyphens():
    text = " ".join(block.text for block in pdf.parse(pdf_bytes(JUDGMENT)).blocks)

    assert "the appellant, a well-known figure" in text
    assert "adequately" in text and "submission" in text
    assert "appel-" not in text and "ade-" not in text


def test_it_keeps_a_paragraph_that_runs_onto_the_next_page_whole():
    blocks = pdf.parse(pdf_bytes(JUDGMENT)).blocks
    second = next(block for block in blocks if block.paragraph_number == "2")

    assert "lost sight of the man in the crowd" in second.text


def test_it_drops_the_running_header_and_says_so():
    parsed = pdf.parse(pdf_bytes(JUDGMENT))

    assert not any(JUDGMENT_HEADER in block.text for block in parsed.blocks)
    assert parsed.warnings == [f"Running headers and footers were left out: “{JUDGMENT_HEADER}”."]


@pytest.mark.parametrize(
    "footer", ["{page}", "- {page} -", "Page {page} of {pages}", "{page}/{pages}"]
)
def test_it_drops_page_numbers(footer):
    parsed = pdf.parse(pdf_bytes(JUDGMENT, footer=footer))

    assert paragraphs(parsed) == JUDGMENT_PARAGRAPHS
    # Recognised as page numbers, not merely as a line repeated on every page.
    assert parsed.warnings == [f"Running headers and footers were left out: “{JUDGMENT_HEADER}”."]


def test_it_drops_a_running_footer_whose_page_number_changes():
    parsed = pdf.parse(pdf_bytes(JUDGMENT, header="", footer="CACC 123/2021 judgment, p. {page}"))

    assert paragraphs(parsed) == JUDGMENT_PARAGRAPHS
    assert parsed.warnings == [
        "Running headers and footers were left out: “CACC 123/2021 judgment, p. 1”."
    ]


@pytest.mark.parametrize("line", ["第3頁", "第 3 頁，共 10 頁", "第12页", "Page 7", "PAGE 7 OF 9"])
def test_it_recognises_page_numbers_in_english_and_chinese(line):
    assert pdf.PAGE_NUMBER.fullmatch(line)


def test_it_keeps_the_top_line_of_a_single_page_document():
    lines = [
        "Reasons for Judgment",
        "",
        "1. The application is refused for the reasons that",
        "follow.",
    ]

    parsed = pdf.parse(pdf_bytes([lines], footer="1"))

    assert paragraphs(parsed) == [
        ("", JUDGMENT_HEADER),
        ("", "Reasons for Judgment"),
        ("1", "The application is refused for the reasons that follow."),
    ]


def test_it_warns_about_a_page_without_text():
    parsed = pdf.parse(pdf_bytes([["1. The appeal is allowed."], []], header="", footer=""))

    assert paragraphs(parsed) == [("1", "The appeal is allowed.")]
    assert parsed.warnings == [
        "1 page(s) have no text layer (scanned?): 2. Their content is not in the document; "
        "run OCR on the PDF if they hold text."
    ]


def test_it_starts_a_paragraph_at_a_number_alone_on_its_line():
    lines = [
        "1.",
        "The appellant was convicted after trial of one count of robbery and appeals",
        "against his conviction on the ground that the identification was unsafe",
        "2.",
        "The appeal is dismissed.",
    ]

    parsed = pdf.parse(pdf_bytes([lines], header="", footer=""))

    assert paragraphs(parsed) == [
        (
            "1",
            "The appellant was convicted after trial of one count of robbery and appeals "
            "against his conviction on the ground that the identification was unsafe",
        ),
        ("2", "The appeal is dismissed."),
    ]


def test_it_rejects_a_password_protected_pdf():
    with pytest.raises(ImportRejected, match="password-protected; remove the password and upload"):
        pdf.parse(encrypted_pdf(user_password="open sesame"))


def test_it_rejects_an_encrypted_pdf_that_opens_without_a_password():
    with pytest.raises(ImportRejected, match="without a password but carry security restrictions"):
        pdf.parse(encrypted_pdf(user_password=""))


def test_it_rejects_a_scan_without_text_layer():
    with pytest.raises(ImportRejected, match=r"has no text layer \(a scan.*run OCR first"):
        pdf.parse(scan_pdf())


def test_it_rejects_a_truncated_pdf():
    data = pdf_bytes(JUDGMENT)

    with pytest.raises(ImportRejected, match="The PDF is incomplete"):
        pdf.parse(data[: len(data) // 2])


def test_it_rejects_a_truncated_pdf_even_with_an_end_marker_added():
    data = pdf_bytes(JUDGMENT)

    with pytest.raises(ImportRejected, match="The PDF is damaged"):
        pdf.parse(data[: len(data) // 2] + b"\n%%EOF\n")


def test_it_rejects_a_pdf_with_a_broken_cross_reference_table():
    data = pdf_bytes(JUDGMENT).replace(b"\nxref\n", b"\nxref\n junk\n", 1)

    with pytest.raises(ImportRejected, match="The PDF is damaged"):
        pdf.parse(data)


def test_it_imports_a_judgment_into_a_project(project, manager, media_root):
    document = import_document(
        project, data=pdf_bytes(JUDGMENT), filename="CACC 123-2021.pdf", user=manager
    )

    segments = list(document.segments.all())
    assert document.format == "pdf"
    assert document.status == Document.Status.READY
    assert document.import_warnings == [
        f"Running headers and footers were left out: “{JUDGMENT_HEADER}”."
    ]
    assert {s.paragraph_number for s in segments} == {"", "1", "2", "3", "4"}
    assert " ".join(s.source for s in segments if s.paragraph_number == "2").startswith(
        "The prosecution case was that on 3 May 2020 the appellant, a well-known figure"
    )
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (encrypted_pdf(user_password="open sesame"), "password-protected"),
        (scan_pdf(), "has no text layer"),
        (pdf_bytes(JUDGMENT)[:2000], "The PDF is incomplete"),
        (b"%PDF-1.7\n" + b"not really a pdf " * 50 + b"\n%%EOF\n", "The PDF is damaged"),
    ],
    ids=["encrypted", "scan", "truncated", "damaged"],
)
def test_a_rejected_pdf_leaves_nothing_behind(project, manager, media_root, data, reason):
    with pytest.raises(ImportRejected, match=reason):
        import_document(project, data=data, filename="judgment.pdf", user=manager)

    assert not Document.objects.exists()
    assert not Segment.objects.exists()
    assert stored_files(media_root) == []
