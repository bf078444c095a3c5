"""The demo judgment is a DOCX made the way court judgments are, and the Chinese excerpt's
Big5-HKSCS copy holds exactly the same text."""

import re
import zipfile
from decimal import Decimal

import docx
import pytest
from defusedxml.ElementTree import fromstring

from workbench.demo import DEMO_DIR
from workbench.demo.build import OUTPUT, SOURCE, build_judgment, parse_source
from workbench.documents.services import import_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@pytest.fixture(scope="module")
def judgment():
    return docx.Document(OUTPUT)


@pytest.fixture(scope="module")
def archive():
    with zipfile.ZipFile(OUTPUT) as opened:
        yield opened


@pytest.fixture(scope="module")
def footnotes(archive):
    return fromstring(archive.read("word/footnotes.xml"))


def footnote_texts(footnotes):
    return {
        note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t")).strip()
        for note in footnotes.findall(f"{W}footnote")
        if note.get(f"{W}type") is None
    }


def whole_text(judgment, footnotes):
    parts = [p.text for p in judgment.paragraphs]
    parts += [cell.text for table in judgment.tables for row in table.rows for cell in row.cells]
    parts += footnote_texts(footnotes).values()
    return "\n".join(parts)


def numbered_levels(judgment):
    """The w:ilvl of every paragraph numbered by Word (w:numPr), in document order."""
    levels = []
    for paragraph in judgment.paragraphs:
        num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            levels.append(int(num_pr.find(f"{W}ilvl").get(f"{W}val")))
    return levels


def test_it_is_the_build_of_its_source():
    assert build_judgment(SOURCE.read_text(encoding="utf-8")) == OUTPUT.read_bytes()


def test_it_numbers_at_least_sixty_paragraphs_with_word_auto_numbering(judgment, archive):
    levels = numbered_levels(judgment)
    assert levels.count(0) >= 60
    assert levels.count(1) >= 4  # the (a), (b) sub-paragraphs
    numbering = fromstring(archive.read("word/numbering.xml"))
    formats = {
        (lvl.get(f"{W}ilvl"), lvl.find(f"{W}numFmt").get(f"{W}val"))
        for lvl in numbering.iter(f"{W}lvl")
    }
    assert {("0", "decimal"), ("1", "lowerLetter")} <= formats


def test_it_types_no_paragraph_numbers_by_hand(judgment):
    numbered = [p.text for p in judgment.paragraphs if p.style.name.startswith("List Number")]
    assert not [text for text in numbered if re.match(r"\s*(\d+\.|\([a-z]\))\s", text)]


def test_it_has_lettered_headings_and_a_disposition(judgment):
    headings = {p.style.name: [] for p in judgment.paragraphs}
    for paragraph in judgment.paragraphs:
        headings[paragraph.style.name].append(paragraph.text)
    assert headings["Heading 1"][0] == "A. Introduction"
    assert "I. Disposition" in headings["Heading 1"]
    assert len(headings["Heading 2"]) >= 3


def test_it_has_the_caption_of_a_final_appeal(judgment):
    texts = [p.text for p in judgment.paragraphs]
    assert "FACC No. 5 of 2024" in texts
    assert any(t.startswith("HKSAR") for t in texts)
    assert any(t.startswith("CHAN TAI MAN") for t in texts)
    coram = next(t for t in texts if t.startswith("Before:"))
    assert "Chief Justice" in coram and "PJ" in coram and "NPJ" in coram
    assert "Date of Hearing: 12 March 2024" in texts
    assert "Date of Judgment: 5 April 2024" in texts


@pytest.mark.parametrize(
    "reference",
    [
        "HKSAR v Chan Kam Hon (2015) 18 HKCFAR 1",
        "[2015] HKCFA 23",
        "[2008] 2 HKLRD 123",
        "[2020] HKCA 887",
        "Cap. 221",
        "Cap. 455",
        "s. 25(1)",
        "s. 83(1)(b)",
        "s. 65C(2)(b)",
        "ss. 4 and 5 of the Theft Ordinance, Cap. 210",
        "3 March 2021",
        "HK$1,250,000",
        "$38,500.50",
    ],
)
def test_it_cites_cases_statutes_dates_and_sums(judgment, footnotes, reference):
    assert reference in whole_text(judgment, footnotes)


@pytest.mark.parametrize(
    "abbreviation", ["v.", "s.", "Cap.", "para.", "No.", "e.g.", "i.e.", "J.", "J.A.", "V.-P."]
)
def test_it_has_abbreviations_a_segmenter_must_not_split_at(judgment, footnotes, abbreviation):
    mid_sentence = rf"(?<![\w.]){re.escape(abbreviation)}[ ,)] ?[\w“(]"
    assert re.search(mid_sentence, whole_text(judgment, footnotes))


def test_it_quotes_in_blocks_and_inline(judgment):
    quotations = [p.text for p in judgment.paragraphs if p.style.name == "Quote"]
    assert len(quotations) >= 3
    assert all(q.startswith("“") and q.endswith("”") for q in quotations)
    inline = [p.text for p in judgment.paragraphs if p.style.name == "List Number"]
    assert any("“" in text and "”" in text for text in inline)


def test_its_schedule_of_deposits_adds_up_to_the_sum_in_the_text(judgment):
    (schedule,) = judgment.tables
    rows = [[cell.text for cell in row.cells] for row in schedule.rows]
    assert rows[0][0] == "Date of deposit"
    assert 4 <= len(rows) - 1 <= 6
    credited = sum(Decimal(row[2].replace(",", "")) for row in rows[1:])
    assert credited == Decimal("1250000")


def test_its_footnotes_are_real_word_footnotes(archive, footnotes):
    separators = {
        note.get(f"{W}id"): note.get(f"{W}type")
        for note in footnotes.findall(f"{W}footnote")
        if note.get(f"{W}type")
    }
    assert separators == {"-1": "separator", "0": "continuationSeparator"}
    notes = footnote_texts(footnotes)
    assert len(notes) >= 5
    assert all(notes.values())

    body = archive.read("word/document.xml").decode()
    references = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)
    assert sorted(references, key=int) == sorted(notes, key=int)
    assert f'PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"' in (
        archive.read("[Content_Types].xml").decode()
    )
    assert 'Target="footnotes.xml"' in archive.read("word/_rels/document.xml.rels").decode()


def test_its_every_part_is_well_formed_xml(archive):
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            fromstring(archive.read(name))


def test_the_builder_refuses_a_source_block_without_a_marker():
    with pytest.raises(ValueError, match="has no marker"):
        parse_source("-" * 30 + "\n\nA paragraph nobody marked.\n")


def test_the_big5_excerpt_decodes_to_exactly_the_utf8_excerpt():
    text = (DEMO_DIR / "zh_judgment_excerpt.txt").read_text(encoding="utf-8")
    big5 = (DEMO_DIR / "zh_judgment_excerpt_big5.txt").read_bytes()
    assert big5.decode("big5hkscs") == text
    with pytest.raises(UnicodeDecodeError):
        big5.decode("big5")  # it needs the Hong Kong supplement, as real files often do


def test_the_chinese_excerpt_is_a_numbered_verdict():
    text = (DEMO_DIR / "zh_judgment_excerpt.txt").read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert 10 <= len(numbers) <= 15
    for expected in ["《盜竊罪條例》(第210章)", "2024年3月5日", "港幣50,000元", "「"]:
        assert expected in text


def test_the_big5_excerpt_imports_as_big5_hkscs_with_the_same_segments(zh_project, manager):
    documents = {
        name: import_document(
            zh_project, data=(DEMO_DIR / name).read_bytes(), filename=name, user=manager
        )
        for name in ["zh_judgment_excerpt.txt", "zh_judgment_excerpt_big5.txt"]
    }
    assert documents["zh_judgment_excerpt_big5.txt"].encoding == "big5hkscs"
    utf8, big5 = (list(d.segments.values_list("source", flat=True)) for d in documents.values())
    assert big5 == utf8
    assert len(utf8) >= 13


def test_the_importer_reads_the_paragraph_numbers_word_assigns(project, manager):
    document = import_document(
        project, data=OUTPUT.read_bytes(), filename=OUTPUT.name, user=manager
    )
    numbers = []
    for number in document.segments.exclude(paragraph_number="").values_list(
        "paragraph_number", flat=True
    ):
        if not numbers or numbers[-1] != number:
            numbers.append(number)
    paragraphs = [int(n) for n in numbers if n.isdigit()]
    assert paragraphs == list(range(1, len(paragraphs) + 1))
    assert len(paragraphs) >= 60
    # The lettered sub-paragraphs start again at (a) under each numbered paragraph.
    assert "".join(n for n in numbers if not n.isdigit()).count("(a)") == 3
