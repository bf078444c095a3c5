"""TBX import and export of the glossary."""

import pytest
from translate.storage.tbx import tbxfile

from workbench.documents.importers.base import ImportRejected
from workbench.memory.glossary_io import GlossaryRejected, export_tbx, import_glossary
from workbench.memory.models import Term


def tbx(entries, lang="en"):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<martif type="TBX-Basic" xml:lang="{lang}"><martifHeader><fileDesc><sourceDesc>'
        "<p>test</p></sourceDesc></fileDesc></martifHeader><text><body>"
        f"{entries}</body></text></martif>"
    ).encode()


def entry(source, target, status="", source_lang="en", target_lang="zh-Hant-HK", extra=""):
    status_note = f'<termNote type="administrativeStatus">{status}</termNote>' if status else ""
    return (
        f"<termEntry>{extra}"
        f'<langSet xml:lang="{source_lang}"><tig><term>{source}</term></tig></langSet>'
        f'<langSet xml:lang="{target_lang}"><tig><term>{target}</term>{status_note}</tig></langSet>'
        "</termEntry>"
    )


def import_tbx(project, data, user=None):
    return import_glossary(project, data=data, filename="glossary.tbx", user=user)


def test_it_imports_terms_with_their_fields(project, manager):
    data = tbx(
        "<termEntry>"
        '<descrip type="subjectField">Criminal law</descrip>'
        "<note>Used in CFA judgments.</note>"
        '<langSet xml:lang="en"><tig><term>appellant</term>'
        '<termNote type="partOfSpeech">noun</termNote></tig></langSet>'
        '<langSet xml:lang="zh-HK">'
        '<tig><term>上訴人</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>'
        '<tig><term>上訴一方</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>'
        '<tig><term>上訴方</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>'
        "</langSet></termEntry>"
        + entry("HKSAR", "香港特區", extra='<descrip type="definition">The region.</descrip>')
    )
    result = import_tbx(project, data, manager)
    assert (result.added, result.updated) == (4, 0)
    terms = {t.target_term: t for t in project.terms.all()}
    assert terms["上訴人"].status == Term.Status.PREFERRED
    assert terms["上訴一方"].status == Term.Status.ADMITTED
    assert terms["上訴方"].status == Term.Status.FORBIDDEN
    appellant = terms["上訴人"]
    assert (appellant.source_term, appellant.part_of_speech, appellant.domain) == (
        "appellant",
        "noun",
        "Criminal law",
    )
    assert appellant.note == "Used in CFA judgments."
    assert appellant.created_by == manager
    assert terms["香港特區"].note == "The region."


def test_it_reads_normative_authorization_too(project):
    data = tbx(
        "<termEntry>"
        '<langSet xml:lang="en"><tig><term>plaintiff</term></tig></langSet>'
        '<langSet xml:lang="zh-Hant"><tig><term>原告人</term>'
        '<termNote type="normativeAuthorization">deprecated</termNote></tig></langSet>'
        "</termEntry>"
    )
    import_tbx(project, data)
    assert project.terms.get().status == Term.Status.FORBIDDEN


def test_it_matches_languages_by_direction_not_position(zh_project):
    import_tbx(zh_project, tbx(entry("appellant", "上訴人")))
    term = zh_project.terms.get()
    assert (term.source_term, term.target_term) == ("上訴人", "appellant")


@pytest.mark.parametrize("language", ["fr", "zh-TW", "zh-Hans", "zh-CN", "not a tag"])
def test_it_refuses_languages_outside_the_project_pair(project, language):
    data = tbx(entry("appellant", "上訴人") + entry("respondent", "答辯人", target_lang=language))
    with pytest.raises(GlossaryRejected) as rejected:
        import_tbx(project, data)
    assert len(rejected.value.problems) == 1
    assert rejected.value.problems[0].startswith("Entry 2:")
    assert language in rejected.value.problems[0]
    assert not project.terms.exists()


def test_it_refuses_an_entry_without_a_target_term(project):
    data = tbx(
        '<termEntry><langSet xml:lang="en"><tig><term>appellant</term></tig></langSet></termEntry>'
    )
    with pytest.raises(GlossaryRejected) as rejected:
        import_tbx(project, data)
    assert "no zh-Hant-HK term" in rejected.value.problems[0]


def test_it_lists_every_bad_entry_and_imports_nothing(project):
    data = tbx(
        entry("appellant", "上訴人")
        + entry("", "答辯人")
        + entry("respondent", "答辯人", status="inventedTerm-admn-sts")
        + entry("x" * 301, "長")
    )
    with pytest.raises(GlossaryRejected) as rejected:
        import_tbx(project, data)
    problems = rejected.value.problems
    assert [p.split(":")[0] for p in problems] == ["Entry 2", "Entry 3", "Entry 4"]
    assert "empty" in problems[0]
    assert "inventedTerm-admn-sts" in problems[1]
    assert "301 characters" in problems[2]
    assert not project.terms.exists()


def test_it_refuses_external_entities_and_imports_nothing(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    data = (
        '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://'
        f'{secret}">]><martif type="TBX"><text><body>'
        + entry("&xxe;", "上訴人")
        + "</body></text></martif>"
    ).encode()
    with pytest.raises(ImportRejected) as rejected:
        import_tbx(project, data)
    assert "declares entities" in str(rejected.value)
    assert not project.terms.exists()


def test_it_refuses_a_billion_laughs(project):
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY lol0 "lol">{lol}]>'
        '<martif type="TBX"><text><body>' + entry("&lol9;", "笑") + "</body></text></martif>"
    ).encode()
    with pytest.raises(ImportRejected) as rejected:
        import_tbx(project, data)
    assert "declares entities" in str(rejected.value)
    assert not project.terms.exists()


def test_it_refuses_broken_xml(project):
    with pytest.raises(ImportRejected) as rejected:
        import_tbx(project, b"<martif><text><body><termEntry>")
    assert "not well-formed" in str(rejected.value)


def test_it_refuses_a_file_that_is_not_a_termbase(project):
    with pytest.raises(GlossaryRejected) as rejected:
        import_tbx(project, b'<xliff version="1.2"><file/></xliff>')
    assert "root element is <xliff>" in str(rejected.value)


def test_its_export_is_read_back_by_translate_toolkit(project):
    Term.objects.create(
        project=project,
        source_term="appellant",
        target_term="上訴人",
        part_of_speech="noun",
        domain="Criminal law",
        note="Used in CFA judgments.",
    )
    Term.objects.create(
        project=project, source_term="appellant", target_term="上訴方", status="forbidden"
    )
    Term.objects.create(
        project=project, source_term="Cap.", target_term="第章", case_sensitive=True
    )
    data = export_tbx(project)
    assert b"<!DOCTYPE" not in data
    store = tbxfile.parsestring(data)
    pairs = sorted((u.source, u.gettarget(lang="zh-Hant-HK")) for u in store.units)
    assert pairs == [("Cap.", "第章"), ("appellant", "上訴人"), ("appellant", "上訴方")]
    forbidden = next(u for u in store.units if u.gettarget(lang="zh-Hant-HK") == "上訴方")
    assert forbidden.get_target_terms(lang="zh-Hant-HK")[0].deprecated


def test_its_export_imports_back_unchanged(project, zh_project):
    Term.objects.create(
        project=project,
        source_term="appellant",
        target_term="上訴人",
        part_of_speech="noun",
        domain="Criminal law",
        note="Line one.\nLine two.",
        status="admitted",
    )
    Term.objects.create(
        project=project, source_term="Cap.", target_term="第章", case_sensitive=True
    )
    fields = [
        "source_term",
        "target_term",
        "part_of_speech",
        "domain",
        "note",
        "status",
        "case_sensitive",
    ]
    before = list(project.terms.values_list(*fields))
    data = export_tbx(project)
    project.terms.all().delete()
    assert import_tbx(project, data).added == 2
    assert list(project.terms.values_list(*fields)) == before


def test_it_merges_a_term_already_in_the_glossary(project):
    Term.objects.create(
        project=project, source_term="appellant", target_term="上訴人", note="Keep me"
    )
    import_tbx(project, tbx(entry("appellant", "上訴人", status="admittedTerm-admn-sts")))
    term = project.terms.get()
    assert (term.status, term.note) == ("admitted", "Keep me")
