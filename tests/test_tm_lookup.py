"""Fuzzy TM lookup: exact 100, in-context 101, fuzzy with a diff, numbers that differ,
the threshold, shared memories, English and Chinese; finding the match among many units
that share its common words. (The match index itself: test_tm_match_index.py.)"""

import pytest

from workbench.documents.models import Document, Segment
from workbench.memory.lookup import LONGEST_FUZZY_QUERY, is_long, lookup
from workbench.memory.models import TranslationMemory, TranslationUnit
from workbench.memory.services import project_memory


def add_unit(memory, source, target, **extra):
    fields = {"origin": "import", "quality": "translated"}
    fields.update(extra)
    return memory.units.create(
        source=source,
        target=target,
        source_language=memory.source_language,
        target_language=memory.target_language,
        **fields,
    )


def make_document(project, sources):
    document = Document.objects.create(
        project=project,
        title="Judgment",
        original_filename="j.txt",
        original_file="x.txt",
        format="txt",
        status="ready",
    )
    for position, source in enumerate(sources, start=1):
        Segment.objects.create(
            document=document,
            position=position,
            source=source,
            source_hash=Segment.hash_source(source),
        )
    return document


@pytest.fixture
def memory(project):
    return project_memory(project)


def test_it_finds_an_exact_match_at_100(memory, project):
    add_unit(memory, "The appeal is dismissed with costs.", "上訴駁回，並須支付訟費。")
    [match] = lookup("The appeal is  dismissed with costs.", project)
    assert match.percent == 100
    assert match.target == "上訴駁回，並須支付訟費。"
    assert match.memory_name == memory.name
    assert match.origin == "import"


def test_it_scores_an_exact_match_between_the_same_neighbours_101(memory, project):
    document = make_document(project, ["Background.", "The appeal is dismissed.", "Costs."])
    previous, current, following = document.segments.order_by("position")
    add_unit(
        memory,
        current.source,
        "上訴駁回。",
        origin="approval",
        previous_hash=previous.source_hash,
        next_hash=following.source_hash,
    )
    assert lookup(current, project)[0].percent == 101
    assert lookup(current.source, project)[0].percent == 100  # a bare text has no context
    other = make_document(project, ["Introduction.", "The appeal is dismissed.", "Costs."])
    assert lookup(other.segments.get(position=2), project)[0].percent == 100


def test_the_unit_in_context_is_found_among_many_of_the_same_text(memory, project):
    """More units of the same text than lookup shows: the one between the same
    neighbours is still found, and comes first."""
    document = make_document(project, ["Background.", "The appeal is dismissed.", "Costs."])
    previous, current, following = document.segments.order_by("position")
    for number in range(8):
        add_unit(memory, current.source, f"上訴駁回（{number}）。", origin="approval")
    in_context = add_unit(
        memory,
        current.source,
        "上訴駁回。",
        origin="approval",
        previous_hash=previous.source_hash,
        next_hash=following.source_hash,
    )
    for number in range(8):
        add_unit(memory, current.source, f"上訴駁回〔{number}〕。", origin="approval")

    [best, *others] = lookup(current, project, limit=5)

    assert (best.unit_id, best.percent) == (in_context.pk, 101)
    assert [match.percent for match in others] == [100] * 4


def test_it_finds_a_fuzzy_match_with_a_word_diff(memory, project):
    add_unit(memory, "The appeal against conviction is dismissed.", "針對定罪的上訴駁回。")
    [match] = lookup("The appeal against sentence is dismissed.", project)
    assert 75 <= match.percent < 100
    changed = [(piece.text, piece.kind) for piece in match.diff if piece.kind != "same"]
    assert changed == [("conviction", "removed"), ("sentence", "added")]


def test_it_lowers_the_score_of_a_match_whose_numbers_differ(memory, project):
    add_unit(memory, "The hearing took place on 3 May 2011 under section 12 of Cap. 221.", "聆訊…")
    [match] = lookup("The hearing took place on 3 May 2012 under section 13 of Cap. 221.", project)
    assert match.percent <= 95  # two numbers differ: at most 99 - 2 × 2
    assert match.changed_numbers == ["2011", "12"]
    numbers = [(p.text, p.kind) for p in match.diff if p.number]
    assert numbers == [("2011", "removed"), ("2012", "added"), ("12", "removed"), ("13", "added")]


def test_it_never_calls_a_match_with_other_numbers_exact(memory, project):
    add_unit(memory, "Fined HK$5,000.", "罰款港幣5,000元。")
    [match] = lookup("Fined HK$5,500.", project, threshold=50)
    assert match.percent < 99


def test_it_respects_the_threshold(memory, project):
    add_unit(memory, "The appeal against conviction is dismissed.", "針對定罪的上訴駁回。")
    query = "The application for leave to appeal is dismissed."
    assert lookup(query, project, threshold=95) == []
    project.tm_threshold = 99
    assert lookup("The appeal against sentence is dismissed.", project) == []
    project.tm_threshold = 75
    assert lookup("The appeal against sentence is dismissed.", project)


def test_it_returns_the_best_matches_first_up_to_the_limit(memory, project):
    add_unit(memory, "The appeal is dismissed.", "上訴駁回。")
    add_unit(memory, "The appeal is allowed.", "上訴得直。")
    add_unit(memory, "The appeals are dismissed.", "各上訴駁回。")
    matches = lookup("The appeal is dismissed.", project, threshold=50, limit=2)
    assert [m.target for m in matches] == ["上訴駁回。", "各上訴駁回。"]
    assert matches[0].percent == 100 and matches[1].percent < 100


def test_it_reads_shared_memories_but_not_others(memory, project, zh_project):
    shared = TranslationMemory.objects.create(
        name="HKLII shared", source_language="en", target_language="zh-Hant-HK"
    )
    shared.readers.add(project)
    unread = TranslationMemory.objects.create(
        name="Unread", source_language="en", target_language="zh-Hant-HK"
    )
    add_unit(shared, "Leave to appeal is refused.", "拒絕批予上訴許可。")
    add_unit(unread, "Leave to appeal is granted.", "批予上訴許可。")
    matches = lookup("Leave to appeal is refused.", project, threshold=50)
    assert [(m.target, m.memory_name) for m in matches] == [("拒絕批予上訴許可。", "HKLII shared")]


def test_it_finds_chinese_matches_with_a_character_diff(zh_project):
    memory = project_memory(zh_project)
    add_unit(memory, "上訴人於2019年3月5日被定罪。", "The appellant was convicted on 5 March 2019.")
    add_unit(memory, "原告人的申索被駁回。", "The plaintiff's claim was dismissed.")
    exact = lookup("上訴人於2019年3月5日被定罪。", zh_project)
    assert [m.percent for m in exact] == [100]
    [fuzzy] = lookup("被告人於2019年3月5日被定罪。", zh_project)
    assert 75 <= fuzzy.percent < 100
    assert [(p.text, p.kind) for p in fuzzy.diff if p.kind != "same"] == [
        ("上訴", "removed"),
        ("被告", "added"),
    ]
    [dated] = lookup("上訴人於2020年3月5日被定罪。", zh_project)
    assert dated.changed_numbers == ["2019"] and dated.percent < 99


def test_it_finds_short_chinese_segments(zh_project):
    memory = project_memory(zh_project)
    add_unit(memory, "判決理由書", "Reasons for Judgment")
    assert [m.percent for m in lookup("判決理由書", zh_project)] == [100]
    [near] = lookup("判決理由", zh_project)
    assert near.percent >= 75


def test_it_finds_nothing_without_a_memory(project):
    assert lookup("The appeal is dismissed.", project) == []
    assert not TranslationUnit.objects.exists()


def test_it_finds_a_match_among_many_units_sharing_its_common_words(memory, project):
    for number in range(60):
        add_unit(memory, f"The court dismissed the appeal of the applicant {number}.", "駁回。")
    add_unit(memory, "The court dismissed the appeal of Chan Tai Man.", "駁回陳大文的上訴。")
    match = lookup("The court dismissed the appeal of Chan Tai Min.", project)[0]
    assert match.target == "駁回陳大文的上訴。"
    assert 90 <= match.percent < 100


def test_it_finds_the_same_sentence_with_other_numbers_among_many(memory, project):
    for number in range(60):
        add_unit(memory, f"Section {number} of the Theft Ordinance applies.", "第條適用。")
    add_unit(memory, "Fined HK$5,000 under section 9 of the Theft Ordinance.", "罰款港幣5,000元。")
    match = lookup("Fined HK$12,500 under section 10 of the  Theft Ordinance.", project)[0]
    assert match.target == "罰款港幣5,000元。"
    assert match.changed_numbers == ["5,000", "9"]


def test_it_finds_chinese_matches_among_many_units_sharing_common_characters(zh_project):
    memory = project_memory(zh_project)
    for number in range(10):
        for party in ["上訴人", "答辯人", "原告人", "被告人", "申請人", "清盤人"]:
            add_unit(memory, f"法庭駁回{party}的上訴。", f"The court dismissed appeal {number}.")
    add_unit(
        memory, "法庭駁回陳大文的上訴申請。", "The court dismissed Chan Tai Man's application."
    )
    match = lookup("法庭駁回陳大文的上訴許可申請。", zh_project)[0]
    assert match.target == "The court dismissed Chan Tai Man's application."


def test_it_treats_quotes_and_operators_in_the_query_as_text(memory, project):
    add_unit(memory, "O'Brien's case & the appellant's | submission!", "奧布萊恩案。")
    [match] = lookup("O'Brien's case & the appellant's | submission! \\ ':*", project)
    assert match.target == "奧布萊恩案。"
    assert lookup("' & | ! ( ) : * \\", project) == []


def test_it_looks_up_a_long_query_only_as_the_same_text_or_shape(memory, project):
    sentence = "The applicant relies on the affidavit filed on 3 May 2011 in HCA 1234/2011. "
    long_text = sentence * (LONGEST_FUZZY_QUERY // len(sentence) + 1)
    assert is_long(long_text) and not is_long(sentence)
    same = add_unit(memory, long_text, "申請人依據…")
    other_numbers = add_unit(memory, long_text.replace("2011", "2012", 1), "申請人依據（2012）…")
    near = add_unit(memory, long_text.replace("affidavit", "affirmation"), "申請人依據誓詞…")

    matches = lookup(long_text, project)

    assert [m.unit_id for m in matches] == [same.pk, other_numbers.pk]
    assert matches[0].percent == 100 and matches[1].percent < 99
    assert near.pk not in [m.unit_id for m in matches]  # fuzzy lookup is not tried


def test_it_gives_a_sentence_with_other_numbers_the_same_shape(memory):
    units = [
        add_unit(memory, "Fined HK$5,000 on 3 May 2011.", "罰款。"),
        add_unit(memory, "Fined  HK$12 on 30 May 1999.", "罰款。"),
        add_unit(memory, "Fined HK$5,000 on 3 June 2011.", "罰款。"),
    ]
    shapes = dict(
        TranslationUnit.objects.filter(pk__in=[u.pk for u in units]).values_list(
            "pk", "source_shape"
        )
    )
    assert shapes[units[0].pk] == shapes[units[1].pk] != shapes[units[2].pk]
