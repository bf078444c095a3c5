#!/usr/bin/env python
"""Risk routing on the QA test corpus: which risk level the planted errors and the correct
pairs get, as drafts with the checks' findings and no Annotator.

    .venv/bin/python bench/risk_bench.py

Reads tests/data/qa/{,heldout_}planted.jsonl and {,heldout_}correct.jsonl (see
qa_bench.py). Each pair is read by `qa_check`'s own reading, checked by
`agents.checks.run_checks` and assessed by `agents.risk.assess` with its findings. It
reports, per set, how many pairs end at each level: no planted error may end low (target
0; those that do are listed), and the share of correct pairs that end low is the share a
"low-risk segments skip review" policy would let through on such text. Then the time per
assessment. Exits 1 when a planted error ends low. Needs no database.
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from agents.checks import run_checks  # noqa: E402
from agents.risk import LEVELS, assess  # noqa: E402
from workbench.translation.management.commands.qa_check import read_line  # noqa: E402

DATA = ROOT / "tests" / "data" / "qa"


def level_of(line):
    source, target, pair, termbase, brief = read_line(line)
    findings = run_checks(source, target, pair, termbase, brief)
    return assess(source, target, issues=findings)


def main():
    failed = False
    lines_seen = []
    for kind in ("planted", "correct"):
        lines = []
        for prefix in ("", "heldout_"):
            lines += (DATA / f"{prefix}{kind}.jsonl").read_text(encoding="utf-8").splitlines()
        lines = [line for line in lines if line.strip()]
        lines_seen += lines
        counts, low = Counter(), []
        for line in lines:
            risk = level_of(line)
            counts[risk.level] += 1
            if risk.level == "low":
                low.append(json.loads(line))
        shares = ", ".join(
            f"{level} {counts[level]} ({counts[level] / len(lines):.1%})" for level in LEVELS
        )
        print(f"{kind:8} {len(lines):4} pairs: {shares}")
        if kind == "planted" and low:
            failed = True
            print(f"  planted errors ending low (target 0): {len(low)}")
            for case in low:
                print(f"    [{case.get('category')}] {case['source']} → {case['target']}")
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for line in lines_seen:
            level_of(line)
    seconds = time.perf_counter() - start
    print(
        f"checks + risk: {rounds * len(lines_seen) / seconds:,.0f} pairs/s "
        f"({seconds / (rounds * len(lines_seen)) * 1e3:.2f} ms per pair)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
