"""agents.languages: the one home of language tags, scripts, CJK and Traditional against
Simplified Chinese."""

import pytest

from agents.languages import (
    LanguageTagError,
    chinese_script,
    is_cjk,
    is_cjk_character,
    is_unspaced_character,
    local_currency,
    normalise_tag,
    primary_language,
    same_language,
    script_of,
    written_without_spaces,
    wrong_script_characters,
)


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [("ZH_hant_hk", "zh-Hant-HK"), ("en", "en"), ("PT-br", "pt-BR"), ("es-419", "es-419")],
)
def test_it_gives_tags_their_canonical_form(tag, canonical):
    assert normalise_tag(tag) == canonical


@pytest.mark.parametrize("tag", ["", "xx", "klingon", "en-", "123", "zh Hant"])
def test_it_refuses_what_is_not_a_language_tag(tag):
    with pytest.raises(LanguageTagError, match="is not a BCP 47 language tag"):
        normalise_tag(tag)


def test_it_knows_scripts_stated_or_implied_by_a_region():
    assert script_of("zh-Hant-HK") == "Hant"
    assert script_of("zh-HK") == "Hant"
    assert script_of("zh-CN") == "Hans"
    assert script_of("zh") is None
    assert [chinese_script(t) for t in ("zh-TW", "zh-Hans", "zh", "en-HK")] == [
        "Hant",
        "Hans",
        None,
        None,
    ]
    assert primary_language("zh-Hant-HK") == "zh"


def test_it_knows_which_languages_are_cjk_and_which_use_no_spaces():
    assert [is_cjk(t) for t in ("zh-Hant-HK", "ja", "ko", "yue", "en", "fr")] == [True] * 4 + [
        False
    ] * 2
    assert [written_without_spaces(t) for t in ("zh", "ja", "ko", "en")] == [
        True,
        True,
        False,
        False,
    ]


def test_it_knows_cjk_characters():
    assert all(is_cjk_character(c) for c in "上ひカ한。（")
    assert not any(is_cjk_character(c) for c in "Aé1 ")
    assert is_unspaced_character("上") and not is_unspaced_character("한")


@pytest.mark.parametrize(
    ("found", "wanted", "regions_matter", "same"),
    [
        ("en-GB", "en", False, True),
        ("zh-HK", "zh-Hant-HK", True, True),
        ("zh-TW", "zh-Hant-HK", False, True),
        ("zh-TW", "zh-Hant-HK", True, False),
        ("zh-CN", "zh-Hant-HK", False, False),
        ("zh", "zh-Hant-HK", True, True),
        ("not a tag", "en", False, False),
    ],
)
def test_it_matches_tags_for_memories_and_glossaries(found, wanted, regions_matter, same):
    assert same_language(found, wanted, regions_matter=regions_matter) is same


def test_the_local_dollar_follows_the_region():
    assert local_currency("en", "zh-Hant-HK") == "HKD"
    assert local_currency("en", "zh-Hant-TW") == "TWD"
    assert local_currency("en", "zh-Hans") == "CNY"
    assert local_currency("en", "fr") == "HKD"


def wrong(text, script="Hant", names=()):
    return [
        (w.character, w.replacement, w.certain)
        for w in wrong_script_characters(text, script, names)
    ]


def test_it_finds_simplified_characters_the_old_hand_list_missed():
    assert wrong("上訴被驳回。") == [("驳", "駁", True)]
    assert wrong("此案涉及虑及證据。")[0][0] == "虑"


def test_a_character_both_scripts_use_counts_only_in_simplified_words():
    assert wrong("由于上訴人") == [("于", "於", True)]
    assert wrong("此后被告人離開香港") == [("后", "後", True)]
    assert wrong("皇后大道中的法院准許上訴，干犯罪行，公里，批准，舞台") == []


def test_names_and_titles_keep_their_characters():
    assert wrong("于先生及范國威先生作供") == []
    assert wrong("證人余若薇作供", names=("余若薇",)) == []


def test_a_regional_usage_is_only_doubtful():
    assert wrong("投訴人懷孕十六周") == [("周", "週", False)]


def test_it_finds_traditional_characters_in_a_simplified_text():
    assert wrong("上诉人对判決不服", "Hans") == [("決", "决", True)]
    assert wrong("上诉人对判决不服", "Hans") == []
