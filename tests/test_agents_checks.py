"""Deterministic checks, with sentences in the style of Hong Kong bilingual judgments."""

import pytest

from agents.checks import (
    check_citations,
    check_dates,
    check_glossary,
    check_legal_references,
    check_length,
    check_numbers,
    check_script,
    check_sums,
    check_untranslated,
    length_bounds,
    run_checks,
    terms_in,
)
from agents.context import GlossaryConstraint, LanguagePair

EN_ZH = LanguagePair("en", "zh-Hant-HK")
ZH_EN = LanguagePair("zh-Hant-HK", "en")
EN_HANS = LanguagePair("en", "zh-Hans")
EN_FR = LanguagePair("en", "fr")

ORDER_EN = (
    "On 3 March 2021 the appellant was ordered to pay HK$1,250,000 under s. 65C(2)(b) of "
    "the Criminal Procedure Ordinance (Cap. 221); see [2015] HKCFA 23, (2015) 18 HKCFAR 1."
)
ORDER_ZH = (
    "於2021年3月3日，上訴人被命令根據《刑事訴訟程序條例》（第221章）第65C(2)(b)條支付"
    "港幣1,250,000元；見[2015] HKCFA 23，(2015) 18 HKCFAR 1。"
)


def kinds(issues):
    return [(issue.category, issue.severity) for issue in issues]


def test_a_faithful_translation_passes_every_check_en_to_zh():
    assert run_checks(ORDER_EN, ORDER_ZH, EN_ZH) == []


def test_a_faithful_translation_passes_every_check_zh_to_en():
    assert run_checks(ORDER_ZH, ORDER_EN, ZH_EN) == []


def test_every_issue_comes_from_a_check():
    issues = run_checks(ORDER_EN, "上訴人須支付訟費。", EN_ZH)

    assert issues
    assert {issue.source for issue in issues} == {"check"}


def test_an_empty_translation_is_one_critical_omission():
    assert kinds(run_checks(ORDER_EN, "  ", EN_ZH)) == [("omission", "critical")]


# Numbers


def test_it_finds_a_missing_number():
    issues = check_numbers("The applicant was sentenced to 38 months.", "申請人被判監禁。")

    assert kinds(issues) == [("number_date", "major")]
    assert "38" in issues[0].explanation
    assert issues[0].span == ""


def test_it_reads_grouped_and_decimal_numbers_alike():
    source = "Damages of 38,500.50 were awarded."
    assert check_numbers(source, "判給損害賠償38500.5。") == []
    assert check_numbers(source, "判給損害賠償38,500.50。") == []
    assert kinds(check_numbers(source, "判給損害賠償38,500。")) == [
        ("number_date", "major"),
        ("number_date", "minor"),
    ]


def test_it_accepts_chinese_numerals_and_myriads():
    assert check_numbers("The 1st defendant appealed.", "第一被告人提出上訴。") == []
    assert check_numbers("He paid 1,250,000 dollars.", "他支付了一百二十五萬元。") == []
    assert check_numbers("He paid 1,250,000 dollars.", "他支付了125萬元。") == []


def test_it_reads_millions_in_english():
    assert check_numbers("賠償125萬元。", "Compensation of 1.25 million was paid.") == []


def test_it_accepts_number_words_in_english_targets():
    assert check_numbers("上訴人被判入獄2年。", "The appellant was sentenced to two years.") == []


def test_it_points_to_a_number_the_source_does_not_have():
    issues = check_numbers("The appeal is allowed.", "上訴得直，判處7年。")

    assert kinds(issues) == [("number_date", "minor")]
    assert issues[0].span == "7"


def test_numbers_in_dates_and_citations_are_left_to_their_own_checks():
    issues = check_numbers("See [2015] HKCFA 23 of 3 March 2021.", "見判決。")

    assert issues == []


# Dates


def test_it_matches_english_and_chinese_dates():
    assert check_dates("The hearing was on 3 March 2021.", "聆訊於2021年3月3日進行。", EN_ZH) == []
    assert check_dates("聆訊於2021年3月3日進行。", "The hearing was on 3 March 2021.", ZH_EN) == []
    assert check_dates("Heard on March 3, 2021.", "於2021年3月3日聆訊。", EN_ZH) == []
    assert (
        check_dates("Judgment was handed down in June 2019.", "判決於2019年6月頒下。", EN_ZH) == []
    )


def test_it_finds_a_wrong_date_and_suggests_the_target_form():
    issues = check_dates("The hearing was on 3 March 2021.", "聆訊於2021年3月4日進行。", EN_ZH)

    assert kinds(issues) == [("number_date", "major")]
    assert "2021年3月3日" in issues[0].suggestion


def test_it_suggests_an_english_date_for_an_english_target():
    issues = check_dates("聆訊於2021年3月3日進行。", "The hearing was on 4 March 2021.", ZH_EN)

    assert "3 March 2021" in issues[0].suggestion


def test_it_reads_dates_in_chinese_numerals():
    assert check_dates("二〇二一年三月三日", "3 March 2021", ZH_EN) == []


# Sums of money


def test_it_accepts_the_currency_in_either_language():
    assert check_sums("He paid HK$1,250,000.", "他支付港幣1,250,000元。") == []
    assert check_sums("他支付港幣1,250,000元。", "He paid HK$1,250,000.") == []
    assert check_sums("He paid HK$1,250,000.", "他支付1,250,000港元。") == []
    assert check_sums("He paid HK$1.25 million.", "他支付港幣125萬元。") == []


def test_it_finds_a_sum_in_the_wrong_currency():
    issues = check_sums("He paid HK$1,250,000.", "他支付1,250,000美元。")

    assert kinds(issues) == [("number_date", "major")]
    assert "HKD" in issues[0].suggestion


def test_a_missing_amount_is_reported_once_by_the_number_check():
    assert check_sums("He paid HK$1,250,000.", "他支付了款項。") == []
    assert len(check_numbers("He paid HK$1,250,000.", "他支付了款項。")) == 1


# Citations


@pytest.mark.parametrize(
    "citation",
    [
        "[2015] HKCFA 23",
        "(2015) 18 HKCFAR 1",
        "[2016] 1 HKLRD 123",
        "[2019] EWCA Civ 123",
        "FACV 1/2015",
    ],
)
def test_it_requires_citations_verbatim(citation):
    source = f"See {citation} at [45]."
    assert check_citations(source, f"見{citation}第[45]段。") == []
    issues = check_citations(source, "見上述案例第[45]段。")
    assert kinds(issues) == [("citation", "major")]
    assert citation in issues[0].suggestion


def test_it_finds_an_altered_citation():
    assert kinds(check_citations("See [2015] HKCFA 23.", "見[2015] HKCFA 32。")) == [
        ("citation", "major")
    ]


def test_it_checks_citations_from_chinese_sources_too():
    source = "見香港特別行政區 訴 陳錦成 [2016] HKCFA 87。"
    assert check_citations(source, "See HKSAR v Chan Kam Shing [2016] HKCFA 87.") == []
    assert check_citations(source, "See HKSAR v Chan Kam Shing.") != []


def test_it_reads_full_width_brackets_as_ascii():
    assert check_citations("See [2015] HKCFA 23.", "見［２０１５］ HKCFA 23。") == []


# Chapters and sections


def test_it_maps_chapters_and_sections_between_the_languages():
    source = "under s. 65C(2)(b) of the Criminal Procedure Ordinance (Cap. 221)"
    target = "根據《刑事訴訟程序條例》（第221章）第65C(2)(b)條"
    assert check_legal_references(source, target, EN_ZH) == []
    assert check_legal_references(target, source, ZH_EN) == []


def test_it_accepts_references_kept_verbatim():
    source = "under section 4 of Cap. 210"
    assert check_legal_references(source, "根據Cap. 210 section 4", EN_ZH) == []


def test_it_finds_a_wrong_chapter_and_suggests_the_chinese_form():
    issues = check_legal_references(
        "the Theft Ordinance (Cap. 210)", "《盜竊罪條例》（第201章）", EN_ZH
    )

    assert kinds(issues) == [("citation", "major")]
    assert issues[0].suggestion == "Write 第210章."


def test_it_finds_a_section_that_lost_its_subsection():
    issues = check_legal_references("under s. 65C(2)(b)", "根據第65C(2)條", EN_ZH)

    assert kinds(issues) == [("citation", "major")]
    assert "第65C(2)(B)條" in issues[0].suggestion


def test_it_suggests_the_english_form_for_english_targets():
    issues = check_legal_references(
        "《盜竊罪條例》（第210章）第9條", "section 9 of the Theft Ordinance", ZH_EN
    )

    assert [issue.suggestion for issue in issues] == ["Write Cap. 210."]


def test_a_possessive_is_not_a_section():
    assert check_legal_references("The appellant's 3 cars", "上訴人的3輛汽車", EN_ZH) == []


# Glossary


def test_it_requires_the_preferred_term_where_the_source_term_occurs():
    glossary = [GlossaryConstraint("appellant", "上訴人")]
    assert check_glossary("The appellant appealed.", "上訴人提出上訴。", glossary) == []
    issues = check_glossary("The Appellant appealed.", "申請人提出上訴。", glossary)
    assert kinds(issues) == [("terminology", "major")]
    assert issues[0].suggestion == "Use 上訴人."


def test_an_admitted_term_is_enough():
    glossary = [
        GlossaryConstraint("respondent", "答辯人"),
        GlossaryConstraint("respondent", "被上訴人", "admitted"),
    ]
    assert check_glossary("The respondent resisted.", "被上訴人反對。", glossary) == []


def test_it_finds_a_forbidden_term_and_quotes_it():
    glossary = [GlossaryConstraint("appellant", "上诉人", "forbidden")]

    issues = check_glossary("The appellant appealed.", "上诉人提出上訴。", glossary)

    assert kinds(issues) == [("terminology", "major")]
    assert issues[0].span == "上诉人"


def test_it_ignores_terms_the_source_does_not_use():
    glossary = [GlossaryConstraint("respondent", "答辯人")]
    assert check_glossary("The appellant appealed.", "上訴人提出上訴。", glossary) == []


def test_it_matches_english_terms_as_whole_words():
    glossary = [GlossaryConstraint("act", "法令")]
    assert terms_in("The actor was acquitted.", glossary) == []
    assert terms_in("Under the Act.", glossary) == glossary


def test_it_checks_chinese_glossary_terms_for_english_targets():
    glossary = [GlossaryConstraint("上訴人", "appellant")]
    assert check_glossary("上訴人提出上訴。", "The appellant appealed.", glossary) == []
    assert check_glossary("上訴人提出上訴。", "The applicant appealed.", glossary) != []


# Length


def test_it_knows_the_usual_length_of_each_pair():
    assert length_bounds(EN_ZH) == (0.15, 0.8)
    assert length_bounds(ZH_EN) == (1.2, 6.0)
    assert length_bounds(EN_FR) == (0.5, 2.0)


def test_a_translation_of_usual_length_passes():
    assert check_length(ORDER_EN, ORDER_ZH, EN_ZH) == []
    assert check_length(ORDER_ZH, ORDER_EN, ZH_EN) == []


def test_a_far_too_short_translation_is_a_major_omission():
    issues = check_length(ORDER_EN, "上訴人須付款。", EN_ZH)

    assert kinds(issues) == [("omission", "major")]


def test_a_slightly_long_translation_is_a_minor_addition():
    source = "The appeal is dismissed with costs to the respondent."
    target = "本上訴被駁回，上訴人須向答辯人支付訟費，而訟費須按照高等法院規則評定，如雙方未能就訟費數額達成協議則由法院評定。"
    issues = check_length(source, target, EN_ZH)

    assert kinds(issues) == [("addition", "minor")]


def test_short_segments_are_not_measured():
    assert check_length("Held:", "裁決：本院經審理後作出以下裁決", EN_ZH) == []


# Untranslated text and script


def test_it_finds_a_copied_source():
    issues = check_untranslated(ORDER_EN, ORDER_EN, EN_ZH)

    assert kinds(issues) == [("accuracy", "critical")]


def test_it_finds_a_target_mostly_in_the_source_script():
    issues = check_untranslated(
        "The appeal is dismissed.", "The appeal is dismissed 上訴駁回", EN_ZH
    )
    assert kinds(issues) == [("accuracy", "major")]
    assert check_untranslated("上訴人提出上訴。", "上訴人 appealed 上訴", ZH_EN) != []


def test_citations_do_not_count_as_untranslated_text():
    assert check_untranslated("See [2016] 1 HKLRD 123.", "見[2016] 1 HKLRD 123。", EN_ZH) == []


def test_a_segment_that_is_only_a_citation_may_stay_as_it_is():
    assert check_untranslated("[2024] HKCFA 12", "[2024] HKCFA 12", EN_ZH) == []
    assert check_untranslated("Cap. 221", "Cap. 221", EN_ZH) == []


def test_it_finds_simplified_characters_in_a_traditional_target():
    issues = check_script("上诉人对判决不服，这是他们的权利。", EN_ZH)

    assert kinds(issues) == [("fluency", "major")]
    assert issues[0].span == "诉"
    assert "訴 for 诉" in issues[0].suggestion


def test_it_finds_traditional_characters_in_a_simplified_target():
    assert kinds(check_script("上訴人對判決不服。", EN_HANS)) == [("fluency", "major")]
    assert check_script("上诉人对判决不服。", EN_HANS) == []


def test_characters_shared_by_both_scripts_pass():
    assert check_script("皇后大道中的法院准許上訴。", EN_ZH) == []


def test_it_does_not_check_the_script_of_other_languages():
    assert check_script("La cour a rejeté l'appel.", EN_FR) == []
