"""Termbases as the tools write them: TBX-Basic with <ntig>, TBX v3, CSV with language
codes for column names; definitions, notes, part of speech and usage status kept, and
each round-trips through the workbench's own export."""

import pytest

from tests import files_cat
from workbench.memory.glossary_io import (
    GlossaryRejected,
    export_csv,
    export_tbx,
    import_glossary,
)

FIELDS = ["source_term", "target_term", "part_of_speech", "domain", "note", "status"]


def terms(project):
    return sorted(project.terms.values_list(*FIELDS))


def test_it_imports_tbx_basic_with_ntig(project, manager):
    result = import_glossary(
        project, data=files_cat.TBX_BASIC_NTIG, filename="legal.tbx", user=manager
    )

    assert (result.added, result.updated) == (3, 0)
    definition = "A party who appeals against a decision."
    context = "The appellant appealed against his conviction."
    assert terms(project) == [
        (
            "appellant",
            "上訴人",
            "noun",
            "Criminal procedure",
            f"{definition}\n{context}",
            "preferred",
        ),
        (
            "appellant",
            "上訴方",
            "noun",
            "Criminal procedure",
            f"{definition}\n{context}\nNot used in judgments since 1997.",
            "forbidden",
        ),
        ("respondent", "答辯人", "noun", "", "", "admitted"),
    ]


def test_it_imports_tbx_v3_and_says_which_entry_is_in_another_language(project):
    with pytest.raises(GlossaryRejected) as refused:
        import_glossary(project, data=files_cat.TBX_V3, filename="legal.tbx")

    assert refused.value.problems == [
        "Entry 2 (c11): the language “fr” is not part of this project (en → zh-Hant-HK)."
    ]
    assert not project.terms.exists()

    data = files_cat.TBX_V3.replace(b'xml:lang="fr"', b'xml:lang="zh-HK"')
    assert import_glossary(project, data=data, filename="legal.tbx").added == 3
    definition = "The party against whom an appeal is brought."
    assert terms(project) == [
        ("respondent", "答辯人", "noun", "Civil procedure", definition, "preferred"),
        (
            "respondent",
            "被上訴人",
            "noun",
            "Civil procedure",
            f"{definition}\nMainland usage.",
            "forbidden",
        ),
        ("writ of summons", "assignation", "", "", "", "preferred"),
    ]


def test_it_imports_csv_with_language_codes_as_column_names(project):
    result = import_glossary(project, data=files_cat.TERMS_CSV, filename="terms.csv")

    assert result.added == 2
    assert terms(project) == [
        ("appellant", "上訴人", "noun", "", "A party who appeals.", "preferred"),
        ("appellant", "上訴方", "noun", "", "", "forbidden"),
    ]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (files_cat.TBX_BASIC_NTIG, "legal.tbx"),
        (files_cat.TBX_V3.replace(b'xml:lang="fr"', b'xml:lang="zh-HK"'), "legal.tbx"),
        (files_cat.TERMS_CSV, "terms.csv"),
    ],
    ids=["tbx-basic-ntig", "tbx-v3", "csv-language-codes"],
)
@pytest.mark.parametrize("export", [export_tbx, export_csv], ids=["tbx", "csv"])
def test_each_termbase_round_trips_through_the_export(project, data, filename, export):
    import_glossary(project, data=data, filename=filename)
    before = terms(project)

    exported = export(project)
    project.terms.all().delete()
    import_glossary(project, data=exported, filename="back." + export.__name__[-3:])

    assert terms(project) == before
