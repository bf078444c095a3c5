"""recognise_terms: which glossary terms occur in a source text, and where."""

import pytest

from workbench.memory.glossary import english_forms, recognise_terms, termbase_for
from workbench.memory.models import Term


def add(project, source, target, **extra):
    return Term.objects.create(project=project, source_term=source, target_term=target, **extra)


def found(text, project):
    return [(hit.text, hit.term.target_term) for hit in recognise_terms(text, project)]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("appellant", "The appellants appealed."),
        ("convict", "He was convicted in 2019."),
        ("convict", "Before convicting him, the judge reflected."),
        ("appeal", "The applicant appealed against sentence."),
        ("appeal", "Their appeals were dismissed."),
        ("dishonesty", "Two dishonesties were alleged."),
        ("apply", "The rule applies to him."),
        ("apply", "She applied for leave."),
        ("commit", "The offence committed by him."),
        ("convince", "The jury was not convinced."),
        ("witness", "The witnesses were called."),
        ("hearing", "There were three hearings."),
        ("criminal conviction", "He had two criminal convictions."),
        ("judicial review", "Applications for judicial reviews."),
    ],
)
def test_it_matches_english_inflections(project, term, text):
    add(project, term, "譯")
    hits = recognise_terms(text, project)
    assert len(hits) == 1
    assert hits[0].text.lower().startswith(term.split()[0][:4])


def test_it_gives_spans_that_cut_the_matched_form_out_of_the_text(project):
    add(project, "appellant", "上訴人")
    add(project, "Court of Final Appeal", "終審法院")
    text = "The Appellants went to the Court of\nFinal  Appeal twice."
    hits = recognise_terms(text, project)
    assert [(text[h.start : h.end], h.text) for h in hits] == [
        ("Appellants", "Appellants"),
        ("Court of\nFinal  Appeal", "Court of\nFinal  Appeal"),
    ]


def test_it_respects_word_boundaries(project):
    add(project, "appeal", "上訴")
    assert found("The decision is appealable; a reappeal is not.", project) == []


def test_it_does_not_inflect_inner_words_of_a_multi_word_term(project):
    add(project, "leave to appeal", "上訴許可")
    assert found("Leaves to appeal", project) == []
    assert found("leave to appeals", project) == [("leave to appeals", "上訴許可")]


def test_it_does_not_give_a_noun_verb_endings(project):
    add(project, "record", "紀錄", part_of_speech="noun")
    assert found("recording the records", project) == [("records", "紀錄")]


def test_it_ignores_case_unless_the_term_is_case_sensitive(project):
    add(project, "Cap.", "第", case_sensitive=True)
    add(project, "plaintiff", "原告人")
    assert found("the PLAINTIFF relied on Cap. 221, not cap. 200", project) == [
        ("PLAINTIFF", "原告人"),
        ("Cap.", "第"),
    ]


def test_it_prefers_the_longest_term_and_never_overlaps(project):
    add(project, "court", "法院")
    add(project, "Court of Appeal", "上訴法庭")
    add(project, "appeal", "上訴")
    assert found("The Court of Appeal heard the appeal in court.", project) == [
        ("Court of Appeal", "上訴法庭"),
        ("appeal", "上訴"),
        ("court", "法院"),
    ]


def test_it_reports_every_entry_of_one_term_preferred_first(project):
    add(project, "appellant", "上訴方", status=Term.Status.FORBIDDEN)
    add(project, "appellant", "上訴人")
    add(project, "appellant", "上訴一方", status=Term.Status.ADMITTED)
    hits = recognise_terms("the appellant", project)
    assert [(h.term.target_term, h.start, h.end) for h in hits] == [
        ("上訴人", 4, 13),
        ("上訴一方", 4, 13),
        ("上訴方", 4, 13),
    ]


def test_it_finds_chinese_terms_without_word_boundaries_longest_first(zh_project):
    add(zh_project, "法院", "court")
    add(zh_project, "終審法院", "Court of Final Appeal")
    add(zh_project, "上訴人", "appellant")
    text = "上訴人向終審法院提出上訴，法院駁回。"
    hits = recognise_terms(text, zh_project)
    assert [(h.text, h.start, h.end) for h in hits] == [
        ("上訴人", 0, 3),
        ("終審法院", 4, 8),
        ("法院", 13, 15),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_it_does_not_overlap_chinese_terms(zh_project):
    add(zh_project, "高等法院", "High Court")
    add(zh_project, "法院原訟", "nonsense overlap")
    add(zh_project, "原訟法庭", "Court of First Instance")
    assert found("高等法院原訟法庭", zh_project) == [
        ("高等法院", "High Court"),
        ("原訟法庭", "Court of First Instance"),
    ]


def test_it_keeps_latin_words_in_chinese_text_whole(zh_project):
    add(zh_project, "HKSAR", "HKSAR")
    assert found("HKSARG 的決定", zh_project) == []
    assert found("香港特別行政區（HKSAR）", zh_project) == [("HKSAR", "HKSAR")]


def test_it_handles_other_languages_by_whole_words_without_inflection(manager):
    from workbench.projects.models import Project

    french = Project.objects.create(
        name="FR", slug="fr", source_language="fr", target_language="en", created_by=manager
    )
    add(french, "pourvoi", "appeal")
    assert found("Le Pourvoi est rejeté; les pourvois aussi; pourvoiement.", french) == [
        ("Pourvoi", "appeal")
    ]


def test_it_sees_terms_added_edited_and_deleted_since_the_last_call(project):
    term = add(project, "appellant", "上訴人")
    assert found("the appellant", project) == [("appellant", "上訴人")]
    term.target_term = "上訴方"
    term.save()
    assert found("the appellant", project) == [("appellant", "上訴方")]
    add(project, "respondent", "答辯人")
    assert len(recognise_terms("appellant and respondent", project)) == 2
    term.delete()
    assert found("the appellant and respondent", project) == [("respondent", "答辯人")]


def test_it_compiles_the_glossary_once_and_asks_one_small_query_per_call(
    project, django_assert_num_queries
):
    Term.objects.bulk_create(
        Term(project=project, source_term=f"term number {n}", target_term=f"詞{n}")
        for n in range(3000)
    )
    termbase_for(project)
    with django_assert_num_queries(1):
        hits = recognise_terms("See term number 2999 and term numbers 7.", project)
    assert [h.text for h in hits] == ["term number 2999"]
    assert termbase_for(project) is termbase_for(project)


def test_it_finds_nothing_in_an_empty_text_or_glossary(project):
    assert recognise_terms("", project) == []
    assert recognise_terms("The appellant", project) == []


def test_english_forms_are_generous_but_keep_the_word():
    assert {"convict", "convicts", "convicted", "convicting"} <= english_forms("convict")
    assert {"admitted", "admitting"} <= english_forms("admit")
    assert english_forms("Cap.") == {"Cap."}
    assert english_forms("criminal", "adjective") == {"criminal"}
