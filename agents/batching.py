"""Consecutive segments grouped so one Translator call fits a token budget.

Token counts are estimates, not a tokenizer: about one token per CJK character and one per
four other characters, which is close enough for the models in use and needs no
vocabulary files.
"""

import json
import math

import regex

from agents.languages import CJK_LETTERS

_WIDE = regex.compile(f"[{CJK_LETTERS}]")
_SPACE = regex.compile(r"\s")

# The JSON around each segment in a request (id, keys, quotes) and the answer's target,
# which is about as long as the source.
SEGMENT_OVERHEAD_TOKENS = 12
ANSWER_FACTOR = 2


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    wide = len(_WIDE.findall(text))
    narrow = len(text) - wide - len(_SPACE.findall(text))
    return wide + math.ceil(narrow / 4)


def segment_cost(source: str) -> int:
    return estimate_tokens(source) * ANSWER_FACTOR + SEGMENT_OVERHEAD_TOKENS


def review_cost(*texts: str) -> int:
    """A segment in a review call (Annotator, Proofreader): the texts it sends and gets
    back, without the Translator's allowance for an answer as long as the source."""
    return sum(estimate_tokens(text) for text in texts) + SEGMENT_OVERHEAD_TOKENS


def context_cost(*parts) -> int:
    """Tokens of the context sent with every call of a batch (brief, neighbours,
    glossary, examples, lessons), whatever shape the parts have."""
    return estimate_tokens(json.dumps(parts, ensure_ascii=False, default=_plain))


def plan_batches(
    items, budget: int, *, overhead: int = 0, source=lambda item: item.source, cost=None
):
    """Split `items` (in order) into runs whose estimated cost plus `overhead` stays within
    `budget`. Each item costs `cost(item)`, by default the Translator's `segment_cost` of
    its `source(item)`. A segment that alone exceeds the budget gets a run of its own:
    segments are never cut."""
    cost_of = cost or (lambda item: segment_cost(source(item)))
    batches: list[list] = []
    current: list = []
    spent = overhead
    for item in items:
        item_cost = cost_of(item)
        if current and spent + item_cost > budget:
            batches.append(current)
            current, spent = [], overhead
        current.append(item)
        spent += item_cost
    if current:
        batches.append(current)
    return batches


def _plain(value):
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if hasattr(value, "__dataclass_fields__"):
        return vars(value)
    return str(value)
