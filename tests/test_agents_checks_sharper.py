"""The sharper deterministic checks of issue 12: the errors they used to miss, the false
alarms they used to raise, and the shape of a finding."""

import pytest

from agents.checks import (
    check_legal_references,
    check_negation,
    check_numbers,
    check_parties,
    check_sums,
    check_units,
    check_untranslated,
    run_checks,
)
from agents.context import LanguagePair
from agents.schemas import DocumentBrief, Party

EN_ZH = LanguagePair("en", "zh-Hant-HK")
ZH_EN = LanguagePair("zh-Hant-HK", "en")
BRIEF = DocumentBrief(
    court="Court of Appeal",
    case_number="CACC 123/2022",
    parties=[
        Party(name="Chan Tai Man 陳大文", role="appellant", referred_to_as="the appellant"),
        Party(name="HKSAR", role="respondent", referred_to_as="the respondent"),
    ],
    judges=["Macrae VP"],
    defined_terms=[],
    key_terms=[],
    notes="",
)


def checks(findings):
    return [(f.check, f.severity) for f in findings]


# The false alarms of the issue


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("ss. 4 and 5 of the Ordinance", "該條例第4及5條"),
        ("s. 4(1)(a) and (b) of the Ordinance", "該條例第4(1)(a)及(b)條"),
        ("paras. 45 to 52 of the judgment", "判決第45至52段"),
        ("section 4(1)(a) and (3), Cap. 134", "第134章第4(1)(a)及(3)條"),
    ],
)
def test_lists_and_ranges_of_references_pass(source, target):
    assert check_legal_references(source, target, EN_ZH) == []
    assert check_legal_references(target, source, ZH_EN) == []


def test_a_changed_or_shortened_list_is_a_major_finding():
    assert checks(check_legal_references("ss. 4 and 5", "第4條", EN_ZH)) == [
        ("references", "major")
    ]
    assert checks(check_legal_references("paras. 45 to 52", "第45至55段", EN_ZH)) == [
        ("references", "major")
    ]


def test_dollars_and_yuan_are_the_same_sum_in_hong_kong():
    assert run_checks("The fine was $5,000,000.", "罰款為5,000,000元。", EN_ZH) == []
    assert check_sums("He paid HK$2,000.", "他支付港幣二千元。", EN_ZH) == []


def test_renminbi_for_hong_kong_dollars_is_a_major_finding():
    findings = check_sums("He paid HK$5,000,000.", "他支付人民幣5,000,000元。", EN_ZH)

    assert checks(findings) == [("currency", "major")]
    assert "HKD" in findings[0].suggestion and "CNY" in findings[0].explanation


def test_a_case_name_kept_in_english_is_not_untranslated():
    source = "In HKSAR v Chan Tai Man [2015] HKCFA 23, the Court of Final Appeal held that the test is objective."
    target = "在HKSAR v Chan Tai Man [2015] HKCFA 23一案中，終審法院裁定有關準則屬客觀準則。"
    assert run_checks(source, target, EN_ZH) == []


def test_english_prose_left_in_a_chinese_target_is_untranslated():
    findings = check_untranslated(
        "The judge directed the jury on the burden and standard of proof.",
        "法官就the burden and standard of proof向陪審團作出指引。",
        EN_ZH,
    )
    assert checks(findings) == [("untranslated", "major")]
    assert findings[0].span == "the burden and standard of proof"


# Numbers, measures and units


def test_a_dropped_chinese_duration_is_major():
    assert checks(
        check_numbers("被告人被判監禁六個月。", "The defendant was sentenced to imprisonment.")
    ) == [("numbers", "major")]


def test_three_years_six_months_as_eight_months_is_major():
    findings = check_numbers(
        "採納三年六個月為量刑起點。", "a starting point of 3 years and 8 months"
    )
    assert ("numbers", "major") in checks(findings)


def test_the_same_measure_in_other_units_passes():
    assert (
        run_checks(
            "被告人被取消駕駛資格十二個月。", "The defendant was disqualified for one year.", ZH_EN
        )
        == []
    )
    assert (
        run_checks(
            "採納三年六個月為量刑起點。", "The judge adopted a starting point of 42 months.", ZH_EN
        )
        == []
    )


def test_months_rendered_as_years_is_a_major_unit_error():
    findings = check_units("sentenced to 6 months' imprisonment", "判監禁6年", EN_ZH)
    assert checks(findings) == [("units", "major")]
    assert findings[0].suggestion == "Write 6個月."


def test_a_rate_keeps_its_period():
    assert checks(check_units("5% per annum", "每月5%", EN_ZH)) == [("units", "major")]
    assert check_units("5% per annum", "年息5%", EN_ZH) == []


# Negation


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("The respondent does not oppose the application.", "答辯人反對這項申請。"),
        ("答辯人不反對延展時限。", "The respondent opposes the extension of time."),
        ("The judge need not give reasons.", "法官須給予理由。"),
        ("法官毋須給予理由。", "The judge must give reasons."),
        ("No adverse inference may be drawn.", "可作出不利推論。"),
    ],
)
def test_a_lost_negation_is_major(source, target):
    assert checks(check_negation(source, target)) == [("negation", "major")]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("上訴人不服定罪，提出上訴。", "The appellant appeals against conviction."),
        ("法官不接納上訴人的證供。", "The judge rejected the appellant's evidence."),
        ("The evidence was neither reliable nor credible.", "該證據既不可靠，亦不可信。"),
        ("港幣500,000元的訂金被沒收。", "The deposit of HK$500,000 was forfeited."),
        ("刑期不得少於三年。", "The sentence must be at least three years."),
    ],
)
def test_a_negation_rendered_another_way_passes(source, target):
    assert check_negation(source, target) == []


# Parties against the brief


def test_a_role_rendered_as_another_is_major():
    assert checks(check_parties("The respondent does not oppose.", "上訴人不反對。", BRIEF)) == [
        ("parties", "major")
    ]


def test_swapped_roles_are_major():
    findings = check_parties(
        "The respondent submitted that the appellant had not been prejudiced.",
        "上訴人陳詞指答辯人並沒有受到不利影響。",
        BRIEF,
    )
    assert checks(findings) == [("parties", "major")]


def test_a_named_party_given_another_role_is_major():
    findings = check_parties("The appellant, Chan Tai Man, is 35.", "答辯人陳大文現年35歲。", BRIEF)
    assert checks(findings) == [("parties", "major")]
    assert "appellant" in findings[0].explanation


def test_parties_in_the_same_order_pass():
    assert (
        check_parties("The appellant, Chan Tai Man, is 35.", "上訴人陳大文現年35歲。", BRIEF) == []
    )
    assert check_parties("The respondent is HKSAR.", "答辯人是香港特別行政區。", BRIEF) == []


# The shape of a finding


def test_every_finding_says_its_check_and_whether_it_blocks():
    findings = run_checks("He was remanded for 6 months.", "他被還押6年，此后獲釋。", EN_ZH)

    assert {f.check for f in findings} == {"units", "script"}
    assert all(f.blocking for f in findings)
    for finding in findings:
        assert finding.category and finding.severity and finding.explanation and finding.suggestion


def test_which_severities_block_is_a_parameter():
    findings = run_checks(
        "He was remanded for 6 months.", "他被還押6年。", EN_ZH, blocking_severities={"critical"}
    )

    assert [(f.check, f.blocking) for f in findings] == [("units", False)]
