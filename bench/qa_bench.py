#!/usr/bin/env python
"""The deterministic QA checks on the test corpus: recall on planted errors, false alarms
on correct pairs, and the throughput of `manage.py qa_check`.

    .venv/bin/python bench/qa_bench.py [--pairs 20000]

Reads tests/data/qa/planted.jsonl (each line a pair with one planted error and the
`category` of the check that should catch it) and tests/data/qa/correct.jsonl (correct
professional renderings), both in the style of Hong Kong judgments, in both directions,
and the smaller held-out pair of files written after the checks (heldout_*.jsonl).
Each line goes through the command's own reading (`qa_check.read_line`) and
`agents.checks.run_checks`, as `qa_check` and the editor do. It reports:

- per category, the blocking recall: the share of planted errors that produced a
  blocking finding of that category's check (target at least 99% overall), beside any
  blocking finding at all;
- the blocking false-alarm rate: the share of correct pairs with any blocking finding
  (target at most 1%), listing those pairs;
- throughput: `--pairs` lines (the corpus repeated) through `call_command("qa_check")`
  in this process, output discarded, in pairs per second of wall-clock time (target at
  least 2,000), and per second of this process's CPU time, with the load average: other
  work on the machine slows the first, hardly the second.

Exits 1 when a target is missed. Needs no database.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from agents.checks import run_checks  # noqa: E402
from workbench.translation.management.commands.qa_check import read_line  # noqa: E402

DATA = ROOT / "tests" / "data" / "qa"
# The corpus written before the checks, and a smaller one written after them and run
# once before any change (see README.md).
SETS = [("", "Written first"), ("heldout_", "Held out")]
RECALL_TARGET = 0.99
FALSE_ALARM_TARGET = 0.01
THROUGHPUT_TARGET = 2000


def findings(line: str):
    source, target, pair, termbase, brief = read_line(line)
    return run_checks(source, target, pair, termbase, brief)


def measure_recall(lines):
    total, caught, any_blocking, misses = Counter(), Counter(), Counter(), []
    for line in lines:
        category = json.loads(line)["category"]
        found = [f for f in findings(line) if f.blocking]
        total[category] += 1
        if any(f.check == category for f in found):
            caught[category] += 1
        else:
            misses.append((category, json.loads(line), found))
        if found:
            any_blocking[category] += 1
    return total, caught, any_blocking, misses


def measure_false_alarms(lines):
    alarms = []
    for line in lines:
        found = [f for f in findings(line) if f.blocking]
        if found:
            alarms.append((json.loads(line), found))
    return alarms


def measure_throughput(lines, pairs):
    repeated = [lines[n % len(lines)] for n in range(pairs)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as file:
        file.write("\n".join(repeated) + "\n")
        file.flush()
        started, cpu = time.perf_counter(), time.process_time()
        call_command("qa_check", file.name, stdout=io.StringIO())
        return pairs / (time.perf_counter() - started), pairs / (time.process_time() - cpu)


def _lines(name):
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=20_000, help="Lines for the throughput run.")
    options = parser.parse_args()
    planted, correct = [], []
    for prefix, described in SETS:
        errors, renderings = _lines(f"{prefix}planted.jsonl"), _lines(f"{prefix}correct.jsonl")
        _, caught, _, _ = measure_recall(errors)
        alarms = measure_false_alarms(renderings)
        print(
            f"{described}: {len(errors)} planted errors, {sum(caught.values())} caught; "
            f"{len(renderings)} correct pairs, {len(alarms)} blocked"
        )
        planted += errors
        correct += renderings

    total, caught, any_blocking, misses = measure_recall(planted)
    print(f"\nPlanted errors, both sets: {sum(total.values())}\n")
    print(f"{'category':<14}{'planted':>8}{'caught':>8}{'recall':>9}{'any blocking':>14}")
    for category in sorted(total):
        share = caught[category] / total[category]
        print(
            f"{category:<14}{total[category]:>8}{caught[category]:>8}{share:>9.1%}"
            f"{any_blocking[category]:>14}"
        )
    recall = sum(caught.values()) / sum(total.values())
    print(f"{'all':<14}{sum(total.values()):>8}{sum(caught.values()):>8}{recall:>9.1%}")
    for category, item, found in misses:
        print(f"  missed {category}: {item['planted']}: {item['source']} → {item['target']}")
        for finding in found:
            print(f"    (found {finding.check}: {finding.explanation})")

    alarms = measure_false_alarms(correct)
    rate = len(alarms) / len(correct)
    print(
        f"\nCorrect pairs: {len(correct)}; with a blocking finding: {len(alarms)} "
        f"({rate:.1%}, target at most {FALSE_ALARM_TARGET:.0%})"
    )
    for item, found in alarms:
        print(f"  {item['source']} → {item['target']}")
        for finding in found:
            print(f"    {finding.check} {finding.severity}: {finding.explanation}")

    load = os.getloadavg()
    speed, cpu_speed = measure_throughput(planted + correct, options.pairs)
    print(
        f"\nqa_check throughput: {speed:,.0f} pairs/s over {options.pairs:,} pairs "
        f"(target at least {THROUGHPUT_TARGET:,}); {cpu_speed:,.0f} pairs per CPU second; "
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )

    missed = []
    if recall < RECALL_TARGET:
        missed.append(f"blocking recall {recall:.1%} < {RECALL_TARGET:.0%}")
    if rate > FALSE_ALARM_TARGET:
        missed.append(f"false alarms {rate:.1%} > {FALSE_ALARM_TARGET:.0%}")
    if speed < THROUGHPUT_TARGET:
        missed.append(f"throughput {speed:,.0f} < {THROUGHPUT_TARGET:,} pairs/s")
    print("\n" + ("Missed: " + "; ".join(missed) if missed else "All targets met."))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
