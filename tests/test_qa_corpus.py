"""The deterministic checks on the written corpus (tests/data/qa, the first set and the
held-out one): every planted error is caught by a blocking finding of its own check, and
no correct rendering raises a blocking finding. bench/qa_bench.py prints the same figures
per category."""

import json
from collections import Counter
from pathlib import Path

import pytest

from agents.checks import CHECKS, run_checks
from workbench.translation.management.commands.qa_check import read_line

DATA = Path(__file__).parent / "data" / "qa"
PLANTED = [
    line
    for name in ("planted.jsonl", "heldout_planted.jsonl")
    for line in (DATA / name).read_text(encoding="utf-8").splitlines()
]
CORRECT = [
    line
    for name in ("correct.jsonl", "heldout_correct.jsonl")
    for line in (DATA / name).read_text(encoding="utf-8").splitlines()
]


def findings(line):
    source, target, pair, termbase, brief = read_line(line)
    return run_checks(source, target, pair, termbase, brief)


def described(line):
    item = json.loads(line)
    return f"{item.get('planted', '')}: {item['source']} → {item['target']}"


def test_the_corpus_is_large_enough_and_runs_both_ways():
    planted = [json.loads(line) for line in PLANTED]
    correct = [json.loads(line) for line in CORRECT]
    assert len(planted) >= 150
    assert len(correct) >= 300
    for items in (planted, correct):
        directions = Counter(item["source_language"] for item in items)
        assert directions["en"] > 0 and directions["zh-Hant-HK"] > 0
    assert {item["category"] for item in planted} <= set(CHECKS)


@pytest.mark.parametrize("line", PLANTED, ids=range(1, len(PLANTED) + 1))
def test_every_planted_error_is_caught_by_a_blocking_finding_of_its_check(line):
    category = json.loads(line)["category"]
    caught = [f for f in findings(line) if f.blocking and f.check == category]
    assert caught, described(line)


@pytest.mark.parametrize("line", CORRECT, ids=range(1, len(CORRECT) + 1))
def test_no_correct_rendering_raises_a_blocking_finding(line):
    blocking = [(f.check, f.explanation) for f in findings(line) if f.blocking]
    assert blocking == [], described(line)
