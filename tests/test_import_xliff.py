import pytest

from tests.conftest import stored_files
from tests.files_xliff import (
    BILLION_LAUGHS,
    XXE,
    segment,
    trans_unit,
    unit,
    xliff_1_2,
    xliff_2_0,
)
from workbench.documents.importers import xliff
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document, Revision, Segment
from workbench.documents.placeholders import restore
from workbench.documents.services import import_document


def test_it_reads_one_presegmented_block_per_trans_unit():
    parsed = xliff.parse(
        xliff_1_2(
            trans_unit("1", "The appeal is dismissed.", "上訴駁回。", state="translated"),
            trans_unit("2", "Costs to the respondent."),
        )
    )

    assert parsed.format == "xliff"
    assert [(b.text, b.target, b.target_status) for b in parsed.blocks] == [
        ("The appeal is dismissed.", "上訴駁回。", "translated"),
        ("Costs to the respondent.", "", ""),
    ]
    assert all(block.presegmented for block in parsed.blocks)
    assert parsed.blocks[0].structure == {"unit": "1", "file": "judgment.docx"}


def test_it_reads_one_block_per_segment_of_xliff_2():
    parsed = xliff.parse(
        xliff_2_0(
            unit(
                "u1",
                segment("The appeal is dismissed.", "上訴駁回。", state="final", id="s1"),
                segment("Costs follow the event.", id="s2"),
            ),
            unit("u2", segment("Order accordingly.", "命令如上。")),
        )
    )

    assert [(b.text, b.target, b.target_status, b.structure) for b in parsed.blocks] == [
        ("The appeal is dismissed.", "上訴駁回。", "approved", {"unit": "u1", "segment": "s1"}),
        ("Costs follow the event.", "", "", {"unit": "u1", "segment": "s2"}),
        ("Order accordingly.", "命令如上。", "drafted", {"unit": "u2"}),
    ]


def test_it_takes_the_languages_from_the_file():
    parsed_1_2 = xliff.parse(
        xliff_1_2(trans_unit("1", "上訴駁回。"), source_language="zh-HK", target_language="en-GB")
    )
    parsed_2_0 = xliff.parse(
        xliff_2_0(unit("u1", segment("Appeal dismissed.")), target_language="zh-Hant-HK")
    )
    untargeted = xliff.parse(
        xliff_2_0(unit("u1", segment("Appeal dismissed.")), target_language="")
    )

    assert (parsed_1_2.source_language, parsed_1_2.target_language) == ("zh-HK", "en-GB")
    assert (parsed_2_0.source_language, parsed_2_0.target_language) == ("en", "zh-Hant-HK")
    assert (untargeted.source_language, untargeted.target_language) == ("en", "")


@pytest.mark.parametrize(
    ("state", "approved", "status"),
    [
        (None, None, "drafted"),
        ("new", None, "drafted"),
        ("needs-translation", None, "drafted"),
        ("needs-adaptation", None, "drafted"),
        ("needs-l10n", None, "drafted"),
        ("needs-review-translation", None, "drafted"),
        ("needs-review-adaptation", None, "drafted"),
        ("needs-review-l10n", None, "drafted"),
        ("x-machine-translated", None, "drafted"),
        ("translated", None, "translated"),
        ("signed-off", None, "approved"),
        ("final", None, "approved"),
        ("needs-review-translation", "yes", "approved"),
        ("translated", "no", "translated"),
    ],
)
def test_it_maps_xliff_1_2_states_onto_the_segment_lifecycle(state, approved, status):
    parsed = xliff.parse(
        xliff_1_2(
            trans_unit("1", "Appeal dismissed.", "上訴駁回。", state=state, approved=approved)
        )
    )

    assert parsed.blocks[0].target_status == status


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (None, "drafted"),
        ("initial", "drafted"),
        ("translated", "translated"),
        ("reviewed", "translated"),
        ("final", "approved"),
    ],
)
def test_it_maps_xliff_2_states_onto_the_segment_lifecycle(state, status):
    parsed = xliff.parse(xliff_2_0(unit("u1", segment("Appeal dismissed.", "上訴駁回。", state))))

    assert parsed.blocks[0].target_status == status


@pytest.mark.parametrize("build", [xliff_1_2, xliff_2_0], ids=["1.2", "2.0"])
def test_a_unit_without_target_text_is_new_whatever_its_state(build):
    if build is xliff_1_2:
        data = build(trans_unit("1", "Appeal dismissed.", "  ", state="final"))
    else:
        data = build(unit("u1", segment("Appeal dismissed.", "", state="final")))

    block = xliff.parse(data).blocks[0]

    assert (block.target, block.target_status) == ("", "")


def test_it_protects_xliff_1_2_inline_tags_and_shares_them_with_the_target():
    source = (
        'See <g id="1" ctype="italic">HKSAR v Chan</g><x id="2"/> at '
        '<bpt id="3">&lt;b&gt;</bpt>[2021] HKCA 12<ept id="3">&lt;/b&gt;</ept> '
        '&amp; <ph id="4">{0}</ph> <mrk mtype="term" mid="5">appellant</mrk>'
    )
    target = (
        '見<bpt id="3">&lt;b&gt;</bpt>[2021] HKCA 12<ept id="3">&lt;/b&gt;</ept>的'
        '<g id="1" ctype="italic">香港特別行政區訴陳</g><x id="2"/>及<ph id="4">{0}</ph>'
        '<mrk mtype="term" mid="5">上訴人</mrk>'
    )

    block = xliff.parse(xliff_1_2(trans_unit("1", source, target, state="translated"))).blocks[0]

    assert block.text == "See ⟦1⟧HKSAR v Chan⟦/1⟧⟦2⟧ at ⟦3⟧[2021] HKCA 12⟦4⟧ & ⟦5⟧ ⟦6⟧appellant⟦/6⟧"
    assert block.target == "見⟦3⟧[2021] HKCA 12⟦4⟧的⟦1⟧香港特別行政區訴陳⟦/1⟧⟦2⟧及⟦5⟧⟦6⟧上訴人⟦/6⟧"
    assert block.placeholders == {
        "⟦1⟧": '<g id="1" ctype="italic">',
        "⟦/1⟧": "</g>",
        "⟦2⟧": '<x id="2"/>',
        "⟦3⟧": '<bpt id="3">&lt;b&gt;</bpt>',
        "⟦4⟧": '<ept id="3">&lt;/b&gt;</ept>',
        "⟦5⟧": '<ph id="4">{0}</ph>',
        "⟦6⟧": '<mrk mtype="term" mid="5">',
        "⟦/6⟧": "</mrk>",
    }
    assert restore(block.text, block.placeholders) == source
    assert restore(block.target, block.placeholders) == target


def test_it_protects_xliff_2_inline_tags_and_shares_them_with_the_target():
    source = (
        'The <pc id="1" type="fmt">appellant</pc> relied on <ph id="2" dataRef="d1"/>'
        '<sc id="3"/>s 4 of Cap. 210<ec startRef="3"/> and <mrk id="m1" type="term">'
        'robbery</mrk><sm id="4"/>.<em startRef="4"/>'
    )
    target = (
        '<pc id="1" type="fmt">上訴人</pc>依據<sc id="3"/>第210章第4條<ec startRef="3"/>'
        '<ph id="2" dataRef="d1"/>及<mrk id="m1" type="term">搶劫</mrk><sm id="4"/>。<em startRef="4"/>'
    )

    block = xliff.parse(xliff_2_0(unit("u1", segment(source, target, "translated")))).blocks[0]

    assert block.text == (
        "The ⟦1⟧appellant⟦/1⟧ relied on ⟦2⟧⟦3⟧s 4 of Cap. 210⟦4⟧ and ⟦5⟧robbery⟦/5⟧⟦6⟧.⟦7⟧"
    )
    assert block.target == "⟦1⟧上訴人⟦/1⟧依據⟦3⟧第210章第4條⟦4⟧⟦2⟧及⟦5⟧搶劫⟦/5⟧⟦6⟧。⟦7⟧"
    assert block.placeholders["⟦2⟧"] == '<ph id="2" dataRef="d1"/>'
    assert block.placeholders["⟦4⟧"] == '<ec startRef="3"/>'
    assert restore(block.text, block.placeholders) == source
    assert restore(block.target, block.placeholders) == target


def test_a_target_tag_missing_from_the_source_gets_its_own_token():
    block = xliff.parse(
        xliff_1_2(trans_unit("1", "Appeal dismissed.", '上訴<x id="9"/>駁回。', state="translated"))
    ).blocks[0]

    assert block.target == "上訴⟦1⟧駁回。"
    assert block.placeholders == {"⟦1⟧": '<x id="9"/>'}


def test_it_leaves_out_units_not_to_be_translated_and_says_so():
    unit_kept = trans_unit("1", "Appeal dismissed.")
    unit_skipped = '<trans-unit id="2" translate="no"><source>HCMA 123/2021</source></trans-unit>'

    parsed = xliff.parse(xliff_1_2(unit_kept, unit_skipped))

    assert [block.text for block in parsed.blocks] == ["Appeal dismissed."]
    assert parsed.warnings == ['1 unit(s) marked translate="no" were left out of the document.']


NO_UNITS = xliff_1_2()
NOT_XLIFF = b'<?xml version="1.0"?><html><body>Appeal dismissed.</body></html>'
MALFORMED = xliff_1_2(trans_unit("1", "Appeal <g id='1'>dismissed.")).replace(b"</g>", b"")
CLASHING = xliff_1_2(trans_unit("1", "Keep \u27e61\u27e7 as it is."))
NO_FILE = b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"></xliff>'
BAD_FILES = [
    (XXE, "declares entities"),
    (BILLION_LAUGHS, "declares entities"),
    (MALFORMED, "is not well-formed XML"),
    (NO_UNITS, "contains no text to translate"),
    (NOT_XLIFF, r"is XML but not XLIFF \(its root element is <html>\)"),
    (CLASHING, "contains the text “⟦1⟧”, which the workbench uses to mark protected tags"),
    (NO_FILE, "could not be read as XLIFF 1.2"),
]
BAD_FILE_IDS = ["xxe", "billion-laughs", "malformed", "no-units", "not-xliff", "clash", "no-file"]


@pytest.mark.parametrize(("data", "reason"), BAD_FILES, ids=BAD_FILE_IDS)
def test_it_rejects_a_bad_file_with_a_reason(data, reason):
    with pytest.raises(ImportRejected, match=reason):
        xliff.parse(data)


@pytest.mark.parametrize(("data", "reason"), BAD_FILES, ids=BAD_FILE_IDS)
def test_a_rejected_xliff_leaves_nothing_behind(project, manager, media_root, data, reason):
    with pytest.raises(ImportRejected, match=reason):
        import_document(project, data=data, filename="judgment.xlf", user=manager)

    assert not Document.objects.exists()
    assert not Segment.objects.exists()
    assert stored_files(media_root) == []


def test_it_imports_targets_with_their_status_and_history(project, manager, media_root):
    data = xliff_1_2(
        trans_unit("1", "The appeal is dismissed.", "上訴駁回。", state="translated"),
        trans_unit(
            "2", 'Costs to <g id="1">the respondent</g>.', "訟費", state="needs-review-l10n"
        ),
        trans_unit("3", "Order accordingly.", "命令如上。", approved="yes"),
        trans_unit("4", "Liberty to apply."),
    )

    document = import_document(project, data=data, filename="judgment.xlf", user=manager)

    segments = list(document.segments.order_by("position"))
    assert document.format == "xliff"
    assert [(s.source, s.target, s.status) for s in segments] == [
        ("The appeal is dismissed.", "上訴駁回。", "translated"),
        ("Costs to ⟦1⟧the respondent⟦/1⟧.", "訟費", "drafted"),
        ("Order accordingly.", "命令如上。", "approved"),
        ("Liberty to apply.", "", "new"),
    ]
    assert segments[1].placeholders == {"⟦1⟧": '<g id="1">', "⟦/1⟧": "</g>"}
    revisions = Revision.objects.filter(segment__document=document).order_by("segment__position")
    assert [(r.segment.position, r.origin, r.new_target, r.new_status) for r in revisions] == [
        (1, "import", "上訴駁回。", "translated"),
        (2, "import", "訟費", "drafted"),
        (3, "import", "命令如上。", "approved"),
    ]
    assert len(stored_files(media_root)) == 1


def test_a_doctype_that_declares_no_entities_is_accepted():
    data = xliff_1_2(trans_unit("1", "Appeal dismissed.")).replace(
        b"<xliff ", b'<!DOCTYPE xliff SYSTEM "http://example.invalid/xliff.dtd">\n<xliff ', 1
    )

    assert [block.text for block in xliff.parse(data).blocks] == ["Appeal dismissed."]


@pytest.mark.parametrize(
    "subset",
    [
        '<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;',
        "%remote;",
        '<!ENTITY name "value">',
    ],
    ids=["parameter-entity", "parameter-reference", "general-entity"],
)
def test_a_doctype_with_entities_stays_refused(subset):
    data = xliff_1_2(trans_unit("1", "Appeal dismissed.")).replace(
        b"<xliff ", f"<!DOCTYPE xliff [{subset}]>\n<xliff ".encode(), 1
    )

    with pytest.raises(ImportRejected, match="declares entities"):
        xliff.parse(data)
