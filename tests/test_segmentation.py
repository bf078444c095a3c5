"""Sentence segmentation of Hong Kong judgments, English and Chinese, and word counts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.documents.segmentation import (
    ABBREVIATIONS,
    CLOSING,
    OPENING,
    count_words,
    split_segments,
)


def sentences(text, language="en"):
    """The pieces as the import service stores them: stripped."""
    return [piece.strip() for piece in split_segments(text, language)]


# Cuts ------------------------------------------------------------------------------------


def test_it_cuts_english_prose_into_sentences():
    text = "The appellant was convicted after trial. He appealed. The appeal is dismissed."
    assert sentences(text) == [
        "The appellant was convicted after trial.",
        "He appealed.",
        "The appeal is dismissed.",
    ]


def test_it_cuts_after_question_and_exclamation_marks():
    text = "Was the appellant dishonest? The jury thought so! We agree."
    assert sentences(text) == ["Was the appellant dishonest?", "The jury thought so!", "We agree."]


def test_it_keeps_the_whitespace_after_each_piece():
    text = "  The appeal fails.  Costs follow the event.\n"
    assert split_segments(text, "en") == ["  The appeal fails.  ", "Costs follow the event.\n"]


def test_it_cuts_before_a_sentence_starting_with_a_number():
    text = "The appellant was 19. 12 witnesses were called."
    assert sentences(text) == ["The appellant was 19.", "12 witnesses were called."]


def test_it_does_not_cut_before_a_lower_case_word():
    text = "The goods were found at the flat. and the appellant was arrested there."
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "sentence",
    [
        "In HKSAR v. Chan Kam Shing [2016] HKCFA 87 the conviction was quashed.",
        "The charge under s. 9 of the Theft Ordinance was withdrawn.",
        "See ss. 118 and 119 of the Crimes Ordinance (Cap. 200) and the Theft Ordinance (Cap. 210).",
        "As explained at para. 12 and paras. 30 to 35, the point was conceded.",
        "This is HCMA No. 123 of 2015, heard together with CACC Nos. 45 and 46 of 2016.",
        "Under art. 35 of the Basic Law and arts. 10 and 11 of the Bill of Rights, access to the courts is guaranteed.",
        "Some authorities, e.g. HKSAR v. Lam Kwong Wai, put it more narrowly.",
        "The section in question, i.e. Section 65 of the Ordinance, was not cited.",
        "Ma CJ. Ribeiro PJ. Stock JJ. Barma J. Cheung JA. and Lord Hoffmann NPJ. agreed.",
        "Pacific Trading Co. Ltd. and Golden Harvest Inc. Hong Kong sued Wah Kwong Corp. Limited.",
        "Mr. Chan, Mrs. Lee and Dr. Wong gave evidence for the prosecution.",
        "The position is different, cf. R v. Lambert [2002] 2 AC 545.",
        "Documents, receipts, invoices etc. were seized from the office.",
        "See Archbold at p. 45 and pp. 102 to 110, and fn. 12 above.",
        "Mr. A. B. Smith and J. K. Rowling appeared for the respondents.",
        "The sentence was reduced by 3.5 years and the fine of $1,000.50 was upheld.",
        "See [1935] A.C. 462 and [1990] 1 W.L.R. 1234, approved by the U.S. Supreme Court.",
        "The point was decided in Wong v. Lee & Anor. [2015] HKCFA 23 and Re Kan Sun Trading (in liq.) [2008] 2 HKLRD 123.",
        "It was followed in HKSAR v. Lam (2015) 18 HKCFAR 1 and in [2008] 2 HKLRD 123.",
        "Para. 3 of the judgment, Cf. para. 5, deals with costs.",
        "FINAL APPEAL NO. 5 OF 2024 (CRIMINAL) (ON APPEAL FROM CACC NO. 118 OF 2022).",
        "PURSUANT TO S. 83 OF CAP. 221 THE APPEAL WAS HEARD.",
    ],
)
def test_it_does_not_cut_inside_a_citation_abbreviation_name_or_number(sentence):
    assert sentences(sentence + " The appeal is dismissed.") == [
        sentence,
        "The appeal is dismissed.",
    ]


def test_it_cuts_after_etc_when_it_ends_a_sentence():
    text = "He seized receipts, invoices etc. The police then left."
    assert sentences(text) == ["He seized receipts, invoices etc.", "The police then left."]


def test_it_still_cuts_after_no_in_lower_case():
    text = "The appellant said no. The officer wrote it down."
    assert sentences(text) == ["The appellant said no.", "The officer wrote it down."]


def test_it_does_not_cut_at_an_ellipsis():
    text = "The appellant was present ... Nobody disputes that."
    assert sentences(text) == [text]


def test_it_keeps_a_numbered_list_label_with_its_sentence():
    text = "1. The first issue is delay. 2. The second issue is costs."
    assert sentences(text) == ["1. The first issue is delay.", "2. The second issue is costs."]


def test_it_keeps_a_trailing_label_with_the_sentence_before_it():
    assert sentences("The first issue is delay. 2.") == ["The first issue is delay. 2."]


# Quotations and brackets -----------------------------------------------------------------


def test_it_keeps_a_quotation_inside_a_sentence_in_one_segment():
    text = "The judge said: “The appellant lied. He knew the goods were stolen.” The appeal fails."
    assert sentences(text) == [
        "The judge said: “The appellant lied. He knew the goods were stolen.”",
        "The appeal fails.",
    ]


def test_it_cuts_a_quotation_standing_alone_into_its_sentences():
    text = "“The appellant lied. He knew the goods were stolen.” The appeal fails."
    assert sentences(text) == [
        "“The appellant lied.",
        "He knew the goods were stolen.”",
        "The appeal fails.",
    ]


def test_it_keeps_closing_quotes_and_brackets_with_their_sentence():
    text = "He said “Go.” Then he left. (See para. 3.) The next point is costs."
    assert sentences(text) == [
        "He said “Go.”",
        "Then he left.",
        "(See para. 3.)",
        "The next point is costs.",
    ]


def test_it_treats_straight_double_quotes_as_a_quotation():
    text = 'The witness said "I saw him. He ran away." The defence did not challenge it.'
    assert sentences(text) == [
        'The witness said "I saw him. He ran away."',
        "The defence did not challenge it.",
    ]


def test_it_tells_an_apostrophe_from_a_closing_single_quote():
    text = (
        "The appellant’s case was that ‘the goods were bought. They were not stolen.’ "
        "The judge rejected it."
    )
    assert sentences(text) == [
        "The appellant’s case was that ‘the goods were bought. They were not stolen.’",
        "The judge rejected it.",
    ]


def test_a_bracket_that_never_closes_does_not_glue_the_paragraph():
    text = "The appellant (then aged 19. He had no record. The judge erred."
    assert sentences(text) == [
        "The appellant (then aged 19.",
        "He had no record.",
        "The judge erred.",
    ]


# Inline codes ------------------------------------------------------------------------------


def test_it_keeps_a_footnote_reference_with_its_sentence():
    text = "The appellant appealed.⟦1⟧ He lost. 上訴人說謊。⟦2⟧他明知貨物是贓物。"
    assert sentences(text) == [
        "The appellant appealed.⟦1⟧",
        "He lost.",
        "上訴人說謊。⟦2⟧",
        "他明知貨物是贓物。",
    ]
    assert sentences("上訴人說謊。⟦1⟧他明知貨物是贓物。", "zh-Hant-HK") == [
        "上訴人說謊。⟦1⟧",
        "他明知貨物是贓物。",
    ]


def test_it_does_not_cut_inside_a_pair_of_inline_codes():
    text = "⟦1⟧The appellant lied. He knew.⟦/1⟧ The appeal fails. See (⟦2⟧Cap. 210). It ends.⟦/2⟧"
    assert sentences(text) == [
        "⟦1⟧The appellant lied. He knew.⟦/1⟧",
        "The appeal fails.",
        "See (⟦2⟧Cap. 210). It ends.⟦/2⟧",
    ]


# Other languages -------------------------------------------------------------------------


def test_it_cuts_other_spaced_languages_with_the_same_rules():
    text = "La Cour a statué, cf. art. 12 du Code. Le pourvoi est rejeté."
    assert sentences(text, "fr") == [
        "La Cour a statué, cf. art. 12 du Code.",
        "Le pourvoi est rejeté.",
    ]


def test_it_cuts_chinese_quoted_in_an_english_paragraph_at_full_width_stops():
    text = "The witness wrote: 陳大文。上訴人不服原審判決。He then left."
    assert sentences(text) == [
        "The witness wrote: 陳大文。",
        "上訴人不服原審判決。",
        "He then left.",
    ]


def test_it_does_not_cut_at_a_full_width_stop_before_a_lower_case_word():
    text = "He answered 「我不知道。」 and left the room."
    assert sentences(text) == [text]


def test_it_cuts_korean_at_full_stops_followed_by_a_space():
    text = "상고를 기각한다. 비용은 상고인이 부담한다."
    assert sentences(text, "ko") == ["상고를 기각한다.", "비용은 상고인이 부담한다."]


def test_it_cuts_chinese_without_whitespace():
    text = "上訴人被控一項盜竊罪。原審法官裁定罪名成立！上訴人是否知情？本庭認為不是；上訴駁回。"
    assert split_segments(text, "zh-Hant-HK") == [
        "上訴人被控一項盜竊罪。",
        "原審法官裁定罪名成立！",
        "上訴人是否知情？",
        "本庭認為不是；",
        "上訴駁回。",
    ]


def test_it_cuts_simplified_chinese_and_japanese_alike():
    assert sentences("上诉驳回。讼费由上诉人支付。", "zh-Hans") == [
        "上诉驳回。",
        "讼费由上诉人支付。",
    ]
    assert sentences("控訴を棄却する。訴訟費用は控訴人の負担とする。", "ja") == [
        "控訴を棄却する。",
        "訴訟費用は控訴人の負担とする。",
    ]


def test_it_keeps_the_whitespace_after_a_chinese_sentence():
    assert split_segments("上訴駁回。 訟費由上訴人支付。", "zh-Hant-HK") == [
        "上訴駁回。 ",
        "訟費由上訴人支付。",
    ]


def test_it_keeps_chinese_closing_quotes_with_their_sentence():
    assert sentences("他說：「我不知道。」然後離開。", "zh-Hant-HK") == [
        "他說：「我不知道。」",
        "然後離開。",
    ]


def test_it_keeps_a_chinese_quotation_inside_a_sentence_in_one_segment():
    text = "原審法官指出：「上訴人說謊。他明知貨物是贓物。」本庭同意。"
    assert sentences(text, "zh-Hant-HK") == [
        "原審法官指出：「上訴人說謊。他明知貨物是贓物。」",
        "本庭同意。",
    ]


def test_it_keeps_nested_chinese_quotations_in_one_segment():
    text = "法官說：「證人說『我看見他。他跑了。』，不可信。」本庭同意。"
    assert sentences(text, "zh-Hant-HK") == [
        "法官說：「證人說『我看見他。他跑了。』，不可信。」",
        "本庭同意。",
    ]


def test_it_cuts_a_chinese_quotation_standing_alone_into_its_sentences():
    text = "「上訴人說謊。他明知貨物是贓物。」本庭同意。"
    assert sentences(text, "zh-Hant-HK") == [
        "「上訴人說謊。",
        "他明知貨物是贓物。」",
        "本庭同意。",
    ]


def test_it_does_not_cut_before_a_chinese_comma():
    text = "「我不知道。」，他說。"
    assert sentences(text, "zh-Hant-HK") == [text]


def test_it_keeps_a_chinese_bracket_with_its_sentence():
    text = "（見第221章。）本庭同意。"
    assert sentences(text, "zh-Hant-HK") == ["（見第221章。）", "本庭同意。"]


def test_it_does_not_cut_chinese_at_embedded_english_citations():
    text = (
        "見 HKSAR v. Chan Kam Shing [2016] HKCFA 87 及 (2015) 18 HKCFAR 1。ABC Co. Ltd.的董事同意。"
    )
    assert sentences(text, "zh-Hant-HK") == [
        "見 HKSAR v. Chan Kam Shing [2016] HKCFA 87 及 (2015) 18 HKCFAR 1。",
        "ABC Co. Ltd.的董事同意。",
    ]


def test_it_cuts_chinese_at_half_width_question_marks_only_before_chinese():
    assert sentences("上訴人是否知情?本庭認為不是。", "zh-Hant-HK") == [
        "上訴人是否知情?",
        "本庭認為不是。",
    ]
    assert sentences("他問 Why? Because 他不知道。", "zh-Hant-HK") == [
        "他問 Why? Because 他不知道。"
    ]


def test_it_does_not_cut_inside_a_chinese_statute_title_or_ellipsis():
    text = "根據《刑事罪行條例》（第200章）第118條……上訴駁回。"
    assert sentences(text, "zh-Hant-HK") == [text]


# Modes and edge cases --------------------------------------------------------------------


def test_paragraph_mode_keeps_the_paragraph_whole():
    text = "The appeal fails. Costs follow the event."
    assert split_segments(text, "en", mode="paragraph") == [text]


@pytest.mark.parametrize("mode", ["sentence", "paragraph"])
def test_it_returns_no_piece_for_an_empty_text(mode):
    assert split_segments("", "en", mode=mode) == []


def test_it_returns_whitespace_alone_as_one_piece_for_the_service_to_drop():
    assert split_segments(" \n ", "zh-Hant-HK") == [" \n "]


def test_it_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="Unknown segmentation “clause”"):
        split_segments("The appeal fails.", "en", mode="clause")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("(" * 100_000 + "a. B. " * 50_000 + ")" * 100_000, "en"),
        ("v. " * 300_000, "en"),
        ("The end. " * 100_000, "en"),
        ("「" * 100_000 + "好。" * 100_000, "zh-Hant-HK"),
        ("。" * 300_000, "zh-Hant-HK"),
    ],
    ids=["deep-brackets", "abbreviations", "many-sentences", "deep-quotes", "stops-only"],
)
def test_it_cuts_a_huge_hostile_paragraph_in_one_pass(text, language):
    # Quadratic work on these would take minutes; one pass takes a fraction of a second.
    assert "".join(split_segments(text, language)) == text


# Properties ------------------------------------------------------------------------------

LANGUAGES = st.sampled_from(["en", "fr", "ko", "zh-Hant-HK", "zh-Hans", "ja"])
WORDS = ["The", "appellant", "He", "上訴人", "說謊", "3.5", "[2015]", "HKCFA 23", "A.", "...", "2."]
MARKS = list("()[]“”‘’「」『』（）\"'.?!。！？；")
CODES = ["⟦1⟧", "⟦/1⟧"]
FRAGMENTS = st.sampled_from([*sorted(ABBREVIATIONS), *WORDS, *MARKS, *CODES, " ", "  ", "\n"])
# Fragments run together (to meet quotes and stops) or spaced out (to meet words).
LEGAL_TEXT = st.lists(FRAGMENTS, max_size=40).map("".join) | st.lists(FRAGMENTS, max_size=40).map(
    " ".join
)


def last_word(piece):
    return piece.split()[-1].rstrip(CLOSING).lstrip(OPENING) if piece.strip() else ""


@settings(deadline=None)
@given(text=st.text() | LEGAL_TEXT, language=LANGUAGES)
def test_the_pieces_always_make_up_the_text(text, language):
    pieces = split_segments(text, language)
    assert "".join(pieces) == text
    assert all(pieces)


@settings(deadline=None)
@given(text=LEGAL_TEXT, language=LANGUAGES)
def test_every_piece_holds_a_letter_when_the_text_does(text, language):
    pieces = split_segments(text, language)
    if any(char.isalpha() for char in text):
        assert all(any(char.isalpha() for char in piece) for piece in pieces)


@settings(deadline=None)
@given(text=LEGAL_TEXT)
def test_no_english_piece_ends_with_an_abbreviation(text):
    pieces = split_segments(text, "en")
    assert not [piece for piece in pieces[:-1] if last_word(piece) in ABBREVIATIONS]


@settings(deadline=None)
@given(before=LEGAL_TEXT, inside=LEGAL_TEXT, after=LEGAL_TEXT, language=LANGUAGES)
def test_a_pair_of_inline_codes_always_stays_in_one_piece(before, inside, after, language):
    pieces = split_segments(f"{before}⟦2⟧{inside}⟦/2⟧{after}", language)
    assert [piece for piece in pieces if "⟦2⟧" in piece] == [
        piece for piece in pieces if "⟦/2⟧" in piece
    ]


@settings(deadline=None)
@given(text=st.text(min_size=1), language=LANGUAGES)
def test_paragraph_mode_always_returns_the_text(text, language):
    assert split_segments(text, language, mode="paragraph") == [text]


# Word counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("The appeal is dismissed with costs.", "en", 6),
        ("See [2015] HKCFA 23 and s. 9(1).", "en", 7),
        ("The appeal — dismissed.", "en", 3),
        ("Le pourvoi est rejeté.", "fr", 4),
        ("", "en", 0),
        ("上訴駁回。", "zh-Hant-HK", 4),
        ("見 HKSAR v. Chan [2015] HKCFA 23 案", "zh-Hant-HK", 8),
        ("判處監禁3.5年，罰款1,000元", "zh-Hant-HK", 10),
        ("上诉驳回", "zh-Hans", 4),
        ("控訴を棄却する。", "ja", 7),
        ("상고를 기각한다", "ko", 7),
        ("𠮶人", "zh-Hant-HK", 2),
        ("", "zh-Hant-HK", 0),
    ],
)
def test_it_counts_words_as_cat_tools_do(text, language, words):
    assert count_words(text, language) == words
