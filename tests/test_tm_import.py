"""Importing translation memory files: TMX, CSV, XLSX and bilingual XLIFF, all or
nothing, duplicates merged, hostile and broken files refused."""

import io

import openpyxl
import pytest
from translate.storage import tmx

from workbench.memory.lookup import lookup
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory
from workbench.memory.tm_io import (
    MemoryImportRejected,
    export_tmx,
    import_memory_file,
    languages_match,
)


def tmx_file(*units, srclang="en", target_lang="zh-Hant-HK", prolog=""):
    body = "".join(
        f'<tu><tuv xml:lang="{srclang}"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="{target_lang}"><seg>{target}</seg></tuv></tu>\n'
        for source, target in units
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tmx version="1.4">\n'
        f'<header srclang="{srclang}" datatype="plaintext" segtype="sentence" '
        'adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/>\n'
        f"<body>\n{body}</body></tmx>\n"
    ).encode()


def run_import(memory, data, filename="memory.tmx", **kwargs):
    return import_memory_file(memory, io.BytesIO(data), filename, **kwargs)


@pytest.fixture
def memory(project):
    return project_memory(project)


def pairs(memory):
    return sorted(memory.units.values_list("source", "target"))


def test_it_imports_a_tmx_file(memory, manager):
    data = tmx_file(
        ("The appeal is allowed.", "上訴得直。"), ("Costs to the respondent.", "訟費歸答辯人。")
    )
    result = run_import(memory, data, user=manager)
    assert (result.added, result.merged) == (2, 0)
    assert pairs(memory) == [
        ("Costs to the respondent.", "訟費歸答辯人。"),
        ("The appeal is allowed.", "上訴得直。"),
    ]
    unit = memory.units.get(source="The appeal is allowed.")
    assert unit.origin == "import" and unit.imported_from == "memory.tmx"
    assert unit.created_by == manager
    assert unit.target_language == "zh-Hant-HK"


def test_it_keeps_text_of_highlights_and_drops_inline_codes(memory):
    data = tmx_file(
        (
            'See <bpt i="1">&lt;b&gt;</bpt>Cap. 221<ept i="1">&lt;/b&gt;</ept> <hi>now</hi>.',
            "見第221章。",
        )
    )
    run_import(memory, data)
    assert pairs(memory) == [("See Cap. 221 now.", "見第221章。")]


def test_it_merges_duplicates_in_the_file_and_in_the_memory(memory):
    run_import(memory, tmx_file(("The appeal is allowed.", "上訴得直。")), filename="first.tmx")
    data = tmx_file(
        ("The appeal is allowed.", "上訴得直。"),
        ("The appeal is  allowed. ", "上訴得直。"),  # the same text, spaced differently
        ("The appeal is allowed.", "上訴獲准。"),  # another translation is another unit
    )
    result = run_import(memory, data, filename="second.tmx")
    assert memory.units.count() == 2
    assert (result.added, result.merged) == (1, 2)
    kept = memory.units.get(target="上訴得直。")
    assert kept.imported_from == "second.tmx"
    assert kept.updated_at > kept.created_at


def test_it_reads_a_tmx_written_the_other_way_round(memory):
    data = tmx_file(("上訴得直。", "The appeal is allowed."), srclang="zh-HK", target_lang="en-GB")
    run_import(memory, data)
    assert pairs(memory) == [("The appeal is allowed.", "上訴得直。")]


def test_it_refuses_the_whole_file_listing_every_bad_unit(memory):
    memory.units.create(
        source="Kept.",
        target="保留。",
        origin="import",
        quality="translated",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    data = tmx_file(
        ("Good one.", "好。"),
        ("", "沒有原文。"),
        ("Huge.", "長" * (TranslationUnit.MAX_CHARS + 1)),
        ("Also good.", "亦好。"),
    )
    with pytest.raises(MemoryImportRejected) as refused:
        run_import(memory, data)
    problems = [str(p) for p in refused.value.problems]
    assert len(problems) == 2
    assert problems[0].startswith("line 6 (unit 2): the source text is empty")
    assert "unit 3" in problems[1] and "10,001 characters" in problems[1]
    assert "Nothing was stored" in str(refused.value)
    assert pairs(memory) == [("Kept.", "保留。")]


def test_it_skips_and_counts_untranslated_units(memory):
    data = tmx_file(("Good one.", "好。"), ("No target yet.", ""), ("Also good.", "亦好。"))

    result = run_import(memory, data)

    assert (result.added, result.skipped) == (2, 1)
    assert result.summary() == (
        "2 new units, 0 merged with units already in the memory; 1 untranslated unit(s) skipped."
    )
    assert pairs(memory) == [("Also good.", "亦好。"), ("Good one.", "好。")]


def test_it_refuses_a_unit_without_the_target_language(memory):
    data = tmx_file(("One.", "一。")).replace(
        b"</body>", b'<tu><tuv xml:lang="en"><seg>Two.</seg></tuv></tu></body>'
    )
    with pytest.raises(MemoryImportRejected) as refused:
        run_import(memory, data)
    assert "no zh-Hant-HK text (the unit has: en)" in str(refused.value.problems[0])
    assert memory.units.count() == 0


def test_it_names_the_line_of_broken_xml_and_imports_nothing(memory):
    data = tmx_file(*[(f"Sentence {n}.", f"第{n}句。") for n in range(12000)])
    data = data.replace(b"<seg>Sentence 11000.</seg>", b"<seg>Sentence 11000.</sag>")
    with pytest.raises(MemoryImportRejected) as refused:
        run_import(memory, data)
    assert "not well-formed XML: line 11005" in str(refused.value)
    assert memory.units.count() == 0  # the 11,000 units before the break are rolled back


def test_it_can_import_again_after_a_refused_file_in_the_same_transaction(memory):
    broken = tmx_file(("The appeal is allowed.", "上訴得直。")).replace(b"</tmx>", b"</tm>")
    with pytest.raises(MemoryImportRejected, match="not well-formed"):
        run_import(memory, broken)
    result = run_import(memory, tmx_file(("The appeal is allowed.", "上訴得直。")))
    assert (result.added, result.merged) == (1, 0)
    assert pairs(memory) == [("The appeal is allowed.", "上訴得直。")]


def test_it_makes_imported_units_findable_fuzzily_and_by_shape(memory, project):
    run_import(
        memory,
        tmx_file(("Leave to appeal was granted on 3 May 2011.", "於2011年5月3日批予上訴許可。")),
    )
    unit = memory.units.get()
    same_shape = memory.units.create(
        source="Leave to appeal was granted on 12 June 1999.",
        target="於1999年6月12日批予上訴許可。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="translated",
    )
    same_shape.refresh_from_db()
    assert same_shape.source_shape != unit.source_shape  # June is a word, not a number
    best = lookup("Leave to appeal was granted on 4 May 2012.", project)[0]
    assert best.unit_id == unit.pk and best.percent < 100


def test_it_refuses_external_entities(memory):
    prolog = '<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    data = tmx_file(("&secret;", "秘密"), prolog=prolog)
    with pytest.raises(MemoryImportRejected, match="declares entities"):
        run_import(memory, data)
    assert memory.units.count() == 0


def test_it_refuses_an_entity_expansion_bomb(memory):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    data = tmx_file(("&lol9;", "笑"), prolog=f"<!DOCTYPE tmx [{entities}]>\n")
    with pytest.raises(MemoryImportRejected, match="declares entities"):
        run_import(memory, data)
    assert memory.units.count() == 0


def test_it_refuses_a_wrong_language_pair(memory):
    data = tmx_file(("The appeal is allowed.", "L'appel est accueilli."), target_lang="fr")
    with pytest.raises(MemoryImportRejected, match=r"languages en, fr.*memory is en → zh-Hant-HK"):
        run_import(memory, data)
    assert memory.units.count() == 0


def test_it_refuses_simplified_chinese_for_a_traditional_memory(memory):
    with pytest.raises(MemoryImportRejected, match="zh-Hans"):
        run_import(memory, tmx_file(("Appeal.", "上诉。"), target_lang="zh-Hans-CN"))


@pytest.mark.parametrize(
    ("found", "wanted", "accepted"),
    [
        ("en-US", "en", True),
        ("EN_gb", "en", True),
        ("zh-HK", "zh-Hant-HK", True),
        ("zh-TW", "zh-Hant-HK", True),
        ("zh", "zh-Hant-HK", True),
        ("zh-CN", "zh-Hant-HK", False),
        ("zh-Hans", "zh-Hant-HK", False),
        ("fr", "en", False),
        ("not a tag!", "en", False),
    ],
)
def test_it_matches_language_tags_by_language_and_script(found, wanted, accepted):
    assert languages_match(found, wanted) is accepted


def test_it_refuses_a_file_that_is_not_tmx(memory):
    with pytest.raises(MemoryImportRejected, match="not TMX"):
        run_import(memory, b"<html><body>hi</body></html>")


def test_it_exports_tmx_that_translate_toolkit_reads_back_exactly(memory, manager):
    units = [
        ("The appeal is allowed.", "上訴得直。"),
        ('A & B <"quoted"> Cap. 221', "甲及乙「引述」第221章"),
        ("Line one\nline two", "第一行\n第二行"),
    ]
    run_import(
        memory,
        tmx_file(
            *[
                (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), t)
                for s, t in units
            ]
        ),
        user=manager,
    )
    exported = b"".join(export_tmx(memory))
    store = tmx.tmxfile.parsestring(exported)
    assert sorted((u.source, u.target) for u in store.units) == sorted(units)
    # ...and the workbench imports its own export into another memory unchanged.
    other = project_memory(memory.owner)
    other.pk, other.owner = None, None
    other.save()
    run_import(other, exported)
    assert pairs(other) == pairs(memory)


def test_it_imports_a_csv_with_a_language_header(memory):
    data = 'en,zh-Hant-HK\nThe appeal is allowed.,上訴得直。\n\n"Costs, if any.",訟費（如有）。\n'.encode()
    result = run_import(memory, data, filename="terms.csv")
    assert result.added == 2
    assert pairs(memory) == [
        ("Costs, if any.", "訟費（如有）。"),
        ("The appeal is allowed.", "上訴得直。"),
    ]


def test_it_imports_a_csv_without_a_header_and_with_tabs(memory):
    data = "The appeal is allowed.\t上訴得直。\n".encode("utf-8-sig")
    run_import(memory, data, filename="memory.tsv")
    assert pairs(memory) == [("The appeal is allowed.", "上訴得直。")]


def test_it_swaps_csv_columns_whose_header_says_so(memory):
    run_import(memory, "zh-HK;en\n上訴得直。;The appeal is allowed.\n".encode(), filename="m.csv")
    assert pairs(memory) == [("The appeal is allowed.", "上訴得直。")]


def test_it_refuses_a_csv_in_another_encoding(memory):
    data = "The appeal is allowed.,上訴得直。\n".encode("big5")
    with pytest.raises(MemoryImportRejected, match="not UTF-8 text.*line 1.*CSV UTF-8"):
        run_import(memory, data, filename="memory.csv")
    assert memory.units.count() == 0


def test_it_refuses_a_csv_with_a_wrong_language_header(memory):
    with pytest.raises(MemoryImportRejected, match="en → fr"):
        run_import(memory, b"en,fr\nYes,Oui\n", filename="memory.csv")


def test_it_reports_csv_rows_without_a_target(memory):
    data = "source,target\nOne.,一。\nTwo.\nThree.,  \n".encode()
    with pytest.raises(MemoryImportRejected) as refused:
        run_import(memory, data, filename="memory.csv")
    assert [p.where for p in refused.value.problems] == ["row 3", "row 4"]
    assert memory.units.count() == 0


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_imports_an_excel_sheet(memory):
    data = xlsx([["Source", "Target"], ["Section 4 applies.", "第4條適用。"], [2024, "二零二四"]])
    result = run_import(memory, data, filename="memory.xlsx")
    assert result.added == 2
    assert ("2024", "二零二四") in pairs(memory)


def test_it_reports_excel_rows_with_problems(memory):
    data = xlsx([["Section 4 applies.", None], ["x" * 10_001, "長"]])
    with pytest.raises(MemoryImportRejected) as refused:
        run_import(memory, data, filename="memory.xlsx")
    assert [str(p) for p in refused.value.problems] == [
        "row 1: the target text is empty or missing",
        "row 2: the source text is 10,001 characters long; a unit may have at most 10,000",
    ]


def test_it_refuses_a_damaged_excel_file(memory):
    with pytest.raises(MemoryImportRejected, match="not a valid ZIP"):
        run_import(memory, b"PK\x03\x04 broken", filename="memory.xlsx")


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="judgment.docx" source-language="{src}" target-language="{tgt}" datatype="plaintext">
<body>
<trans-unit id="1"><source>The appeal is allowed.</source><target>上訴得直。</target></trans-unit>
<trans-unit id="2"><source>Costs follow the event.</source><target>訟費依循結果。</target></trans-unit>
{extra}
</body></file></xliff>"""


def test_it_imports_a_bilingual_xliff(memory):
    data = XLIFF.format(src="en-US", tgt="zh-HK", extra="").encode()
    assert run_import(memory, data, filename="judgment.xlf").added == 2
    assert pairs(memory) == [
        ("Costs follow the event.", "訟費依循結果。"),
        ("The appeal is allowed.", "上訴得直。"),
    ]


def test_an_untranslated_xliff_unit_is_skipped_and_counted(memory):
    extra = '<trans-unit id="p3"><source>Untranslated.</source></trans-unit>'
    data = XLIFF.format(src="en", tgt="zh-Hant-HK", extra=extra).encode()

    result = run_import(memory, data, filename="judgment.xlf")

    assert (result.added, result.skipped) == (2, 1)
    assert memory.units.count() == 2


def test_it_refuses_an_xliff_for_another_language_pair(memory):
    data = XLIFF.format(src="en", tgt="ja", extra="").encode()
    with pytest.raises(MemoryImportRejected, match="en → ja"):
        run_import(memory, data, filename="judgment.xliff")


def test_it_refuses_an_xliff_with_entities(memory):
    data = (
        XLIFF.format(src="en", tgt="zh-HK", extra="")
        .replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>',
        )
        .encode()
    )
    with pytest.raises(MemoryImportRejected, match="declares entities"):
        run_import(memory, data, filename="judgment.xlf")


def test_it_refuses_a_file_of_an_unknown_kind(memory):
    with pytest.raises(MemoryImportRejected, match="TMX"):
        run_import(memory, b"hello", filename="memory.docx")
