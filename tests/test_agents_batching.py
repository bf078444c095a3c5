"""Token estimates and grouping consecutive segments into Translator calls."""

from agents.batching import context_cost, estimate_tokens, plan_batches, segment_cost
from agents.context import GlossaryConstraint, SegmentInput


def segments(*sources):
    return [SegmentInput(id=str(number), source=source) for number, source in enumerate(sources, 1)]


def test_it_counts_a_token_per_chinese_character():
    assert estimate_tokens("上訴人提出上訴") == 7


def test_it_counts_a_token_per_four_latin_characters():
    assert estimate_tokens("abcdefgh") == 2
    assert estimate_tokens("The appeal") == 3


def test_it_counts_mixed_text_by_script():
    assert estimate_tokens("見[2015] HKCFA 23") == 1 + 4


def test_empty_text_costs_nothing():
    assert estimate_tokens("") == 0


def test_it_keeps_segments_in_order_within_the_budget():
    items = segments(*["x" * 40] * 10)
    budget = segment_cost("x" * 40) * 3

    batches = plan_batches(items, budget)

    assert [len(batch) for batch in batches] == [3, 3, 3, 1]
    assert [item for batch in batches for item in batch] == items


def test_context_overhead_leaves_room_for_fewer_segments():
    items = segments(*["x" * 40] * 6)
    cost = segment_cost("x" * 40)

    batches = plan_batches(items, cost * 3, overhead=cost)

    assert [len(batch) for batch in batches] == [2, 2, 2]


def test_a_segment_larger_than_the_budget_gets_a_batch_of_its_own():
    items = segments("short", "上" * 500, "short")

    batches = plan_batches(items, 100)

    assert [[item.id for item in batch] for batch in batches] == [["1"], ["2"], ["3"]]


def test_chinese_segments_fill_a_budget_sooner_than_english_ones():
    english = segments(*["The appeal is dismissed with costs."] * 20)
    chinese = segments(*["上訴駁回，上訴人須支付訟費予答辯人。"] * 20)

    assert len(plan_batches(chinese, 200)) > len(plan_batches(english, 200))


def test_it_groups_any_item_by_the_text_it_is_told_to_measure():
    items = [{"source": "x" * 40, "target": "y" * 40}] * 4

    batches = plan_batches(items, 60, source=lambda item: item["source"] + item["target"])

    assert [len(batch) for batch in batches] == [1, 1, 1, 1]


def test_context_cost_grows_with_the_glossary():
    small = context_cost([GlossaryConstraint("appellant", "上訴人")])
    large = context_cost([GlossaryConstraint("appellant", "上訴人")] * 20)

    assert large > small * 10
