#!/usr/bin/env python
"""Agents at scale: draft a 2,000-segment judgment against a model server with a fixed or
heavy-tailed latency, or under a requests-per-minute limit, and compare with a naive
pipeline that calls each role once per segment.

    .venv/bin/python bench/agents_bench.py                      # the three target runs
    .venv/bin/python bench/agents_bench.py --latency fixed --latency-ms 300
    .venv/bin/python bench/agents_bench.py --latency lognormal --latency-ms 2000 \\
        --latency-p99-ms 20000
    .venv/bin/python bench/agents_bench.py --rpm 60 [--tpm 200000]

Each run starts the loopback model server (tests/loopback_llm.py) in a process of its own
with the given latency model (fixed; or lognormal, with a median and a 99th percentile)
and limits (the server answers 429 with Retry-After past them, as a provider does, and
the workbench is given the same limits: WORKBENCH_MODEL_RPM/TPM), creates a document whose
segments are the sentences of the demo judgment repeated, and runs the real
"draft_document" job in this process (`run_job`, as a worker does) at concurrency C. It
reports:

- wall time, and the ideal time: the latency the server served ÷ C, i.e. the time if the
  server's latency were the only cost and C requests were always in flight;
- efficiency, ideal ÷ wall: target at least 0.90 with lognormal latency. With a short
  fixed latency the model's time (136 calls × 300 ms ÷ 4 = 10 s) is less than the CPU the
  job needs to store 2,000 segments, so that run shows the CPU, not the scheduling, and
  has no target;
- the CPU time of the job (this process, every thread);
- under a limit, what the limit allows: the accepted requests ÷ requests per minute (or
  their tokens ÷ tokens per minute, whichever is longer); target: wall time within 10%
  of it, with no failed segment;
- failed segments (target 0), 429s received, and the model calls by role;
- calls per segment: target at most 0.08; and prompt tokens per segment, against the
  naive baseline (Translator, Annotator and Proofreader once per segment, measured over a
  sample against a server without latency);
- that the workbench recorded every request the server received (sum of attempts);
- the load average before and after: on a busy machine every call, checkpoint and
  database write waits for a CPU, so compare runs at similar loads.

With no option it runs the three target runs in turn (fixed 300 ms; lognormal with a
median of 2 s and a p99 of 20 s; 60 requests per minute) and prints a table; about six
minutes. Everything is deleted at the end, also when a run fails.
"""

import argparse
import json
import multiprocessing
import os
import resource
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Avg, Count, Max, Sum  # noqa: E402

from agents import prompts  # noqa: E402
from agents.context import LanguagePair, SegmentInput  # noqa: E402
from agents.llm import LLMClient  # noqa: E402
from agents.schemas import AnnotatorOutput, ProofreaderOutput, TranslatorOutput  # noqa: E402
from tests.loopback_llm import LoopbackLLM, pseudo_translate  # noqa: E402
from workbench.demo import DEMO_DIR  # noqa: E402
from workbench.documents.models import Document, Segment  # noqa: E402
from workbench.jobs.models import Job  # noqa: E402
from workbench.jobs.services import run_job  # noqa: E402
from workbench.projects.models import Project  # noqa: E402

EFFICIENCY_TARGET = 0.90
CALLS_PER_SEGMENT_TARGET = 0.08
LIMIT_SLACK = 0.10  # wall time at most this much over what the limit allows
BASELINE_SAMPLE = 60
PAIR = LanguagePair("en", "zh-Hant-HK")


@dataclass
class Run:
    name: str
    latency: str = "fixed"
    latency_ms: int = 300
    latency_p99_ms: int = 0
    rpm: int = 0
    tpm: int = 0

    def describe(self):
        if self.latency == "lognormal":
            latency = f"lognormal, median {self.latency_ms} ms, p99 {self.latency_p99_ms} ms"
        else:
            latency = f"fixed {self.latency_ms} ms"
        parts = [latency]
        if self.rpm:
            parts.append(f"{self.rpm} requests/min")
        if self.tpm:
            parts.append(f"{self.tpm:,} tokens/min")
        return ", ".join(parts)


TARGET_RUNS = [
    Run("fixed latency"),
    Run("lognormal latency", latency="lognormal", latency_ms=2000, latency_p99_ms=20000),
    Run("60 requests/minute", rpm=60),
]


def serve(run, ports):
    """In a process of its own: a remote model server costs the workbench no CPU."""
    drafting = LoopbackLLM(
        latency=run.latency,
        latency_ms=run.latency_ms,
        latency_p99_ms=run.latency_p99_ms,
        rpm=run.rpm,
        tpm=run.tpm,
    ).start()
    baseline = LoopbackLLM().start()
    ports.put((drafting.base_url, baseline.base_url))
    threading.Event().wait()


class ModelServer:
    """Two loopback servers in a child process: one as the run asks for the job, one
    without latency or limits for the baseline sample."""

    def __init__(self, run):
        ports = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=serve, args=(run, ports), daemon=True)
        self.process.start()
        self.base_url, self.baseline_url = ports.get(timeout=30)

    def stats(self):
        url = self.base_url.removesuffix("/v1") + "/_stats"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return json.load(response)

    def stop(self):
        self.process.terminate()
        self.process.join(10)


def sentences():
    text = (DEMO_DIR / "judgment_facc_2024.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 3]


def make_document(project, count):
    lines = sentences()
    document = Document.objects.create(
        project=project,
        title="Benchmark judgment",
        original_filename="bench.txt",
        format=Document.Format.TXT,
        status=Document.Status.READY,
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            source=lines[(position - 1) % len(lines)],
            source_hash=Segment.hash_source(lines[(position - 1) % len(lines)]),
        )
        for position in range(1, count + 1)
    )
    return document


def naive_baseline(base_url, sources):
    """Prompt tokens per segment of one Translator, one Annotator and one Proofreader call
    per segment, measured over `sources`."""
    records = []
    llm = LLMClient(base_url, sink=records)
    model = settings.OPENAI_MODEL
    for number, source in enumerate(sources, start=1):
        segment = SegmentInput(id=f"s{number}", source=source)
        empty = {"brief": None, "glossary": [], "lessons": []}
        llm.complete(
            "translator",
            prompts.PROMPT_VERSIONS["translator"],
            model,
            prompts.translator_messages(
                PAIR,
                [segment],
                fixed=[],
                before=[],
                after=[],
                tm_hints={},
                examples=[],
                **empty,
            ),
            TranslatorOutput,
        )
        target = pseudo_translate(source, PAIR.source, PAIR.target)
        item = {"id": segment.id, "source": source, "target": target}
        llm.complete(
            "annotator",
            prompts.PROMPT_VERSIONS["annotator"],
            model,
            prompts.annotator_messages(PAIR, [{**item, "check_findings": []}], **empty),
            AnnotatorOutput,
        )
        llm.complete(
            "proofreader",
            prompts.PROMPT_VERSIONS["proofreader"],
            model,
            prompts.proofreader_messages(PAIR, [{**item, "issues": []}], **empty),
            ProofreaderOutput,
        )
    llm.close()
    return sum(record.tokens_in for record in records) / len(sources), len(records) / len(sources)


def draft(run, project, arguments):
    """Run the job against a fresh server and document; the figures of the run."""
    server = ModelServer(run)
    settings.OPENAI_BASE_URL = server.base_url
    settings.WORKBENCH_MODEL_RPM = run.rpm or None
    settings.WORKBENCH_MODEL_TPM = run.tpm or None
    try:
        document = make_document(project, arguments.segments)
        # Created directly rather than through enqueue(): the bench runs the job in this
        # process, and a signal would invite any running worker to race it.
        job = Job.objects.create(
            kind="draft_document",
            project=project,
            document=document,
            params={"concurrency": arguments.concurrency},
        )
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds()
        started = time.monotonic()
        run_job(job.pk)
        wall = time.monotonic() - started
        load = (load_before, os.getloadavg()[0])
        job.refresh_from_db()
        result = figures(run, job, wall, load, server.stats(), arguments)
        result["cpu"] = cpu_seconds() - cpu_before
        return result
    finally:
        server.stop()


def cpu_seconds():
    """CPU time of this process, all its threads (the model server runs in another)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def figures(run, job, wall, load, served, arguments):
    calls = job.model_calls
    totals = calls.aggregate(
        attempts=Sum("attempts"),
        tokens=Sum("tokens_in"),
        mean_latency=Avg("latency_ms"),
        most_latency=Max("latency_ms"),
    )
    accepted = served["requests"] - served["rate_limited"]
    allowed = 0.0
    if run.rpm:
        allowed = accepted * 60 / run.rpm
    if run.tpm:
        allowed = max(allowed, totals["tokens"] * 60 / run.tpm)
    ideal = served["latency_seconds"] / arguments.concurrency
    return {
        "run": run,
        "status": job.status,
        "error": job.error,
        "segments": arguments.segments,
        "batches": job.draft_batches.count(),
        "drafted": job.result.get("drafted", 0),
        "flagged": job.result.get("flagged", 0),
        "failed": job.result.get("failed", 0),
        "calls": job.result.get("calls", 0),
        "by_role": dict(calls.values_list("role").annotate(n=Count("pk")).order_by("role")),
        "tokens_in": job.result.get("tokens_in", 0),
        "requests": served["requests"],
        "attempts": totals["attempts"] or 0,
        "rate_limited": served["rate_limited"],
        "mean_latency": totals["mean_latency"] or 0,
        "most_latency": totals["most_latency"] or 0,
        "wall": wall,
        "ideal": ideal,
        "allowed": allowed,
        "load": load,
    }


def verdicts(result):
    """(what, passed) for each target the run is measured against."""
    checks = [
        ("no failed segment", result["failed"] == 0 and result["status"] == "succeeded"),
        (
            f"calls/segment ≤ {CALLS_PER_SEGMENT_TARGET}",
            result["calls"] / result["segments"] <= CALLS_PER_SEGMENT_TARGET,
        ),
        ("every request recorded", result["attempts"] == result["requests"]),
    ]
    if result["allowed"]:
        checks.append(
            (
                f"wall ≤ {1 + LIMIT_SLACK:.2f} × allowed",
                result["wall"] <= (1 + LIMIT_SLACK) * result["allowed"],
            )
        )
    elif result["run"].latency == "lognormal":
        checks.append(
            (
                f"efficiency ≥ {EFFICIENCY_TARGET}",
                result["ideal"] / result["wall"] >= EFFICIENCY_TARGET,
            )
        )
    return checks


def report(result, baseline_tokens, baseline_calls):
    run, n = result["run"], result["segments"]
    print(f"\n{run.name}: {run.describe()}")
    print(
        f"  {n} segments, concurrency {result['concurrency']}, {result['batches']} batches; "
        f"job {result['status']}"
    )
    print(f"  drafted {result['drafted']}, flagged {result['flagged']}, failed {result['failed']}")
    print(f"  wall time          {result['wall']:8.2f} s")
    print(
        f"  CPU of the job     {result['cpu']:8.2f} s  (this process, every thread; with the GIL "
        "at most one CPU)"
    )
    print(
        f"  load average       {result['load'][0]:8.2f} → {result['load'][1]:.2f} "
        f"over {os.cpu_count()} CPUs"
    )
    if result["allowed"]:
        print(
            f"  the limit allows   {result['allowed']:8.2f} s  ({result['requests'] - result['rate_limited']}"
            " accepted requests at the limit)"
        )
        print(f"  wall ÷ allowed     {result['wall'] / result['allowed']:8.2f}")
    print(f"  ideal time         {result['ideal']:8.2f} s  (latency served ÷ concurrency)")
    print(
        f"  efficiency         {result['ideal'] / result['wall']:8.2f}"
        + (f"    target ≥ {EFFICIENCY_TARGET}" if result["run"].latency == "lognormal" else "")
    )
    print(
        f"  model call latency {result['mean_latency']:8.0f} ms mean, {result['most_latency']} ms "
        "at most (as the workbench saw it, waits included)"
    )
    roles = ", ".join(f"{role} {count}" for role, count in result["by_role"].items())
    print(
        f"  calls / segment    {result['calls'] / n:8.3f}    target ≤ {CALLS_PER_SEGMENT_TARGET}; "
        f"baseline {baseline_calls:.0f} ({roles})"
    )
    print(
        f"  prompt tokens / segment {result['tokens_in'] / n:8.1f}    baseline "
        f"{baseline_tokens:.1f} (naive loop measured over {BASELINE_SAMPLE} segments)"
    )
    print(
        f"  requests received  {result['requests']:8d}    recorded {result['attempts']} "
        f"(sum of attempts); 429s {result['rate_limited']}"
    )
    if result["error"]:
        print(f"  job error: {result['error']}")
    for what, passed in verdicts(result):
        print(f"  {'ok  ' if passed else 'MISS'} {what}")


def table(results):
    print(
        "\n| run | wall s | ideal s | allowed s | efficiency | calls/segment | failed | 429s "
        "| load before → after |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        allowed = f"{result['allowed']:.1f}" if result["allowed"] else "–"
        print(
            f"| {result['run'].describe()} | {result['wall']:.1f} | {result['ideal']:.1f} | "
            f"{allowed} | {result['ideal'] / result['wall']:.2f} | "
            f"{result['calls'] / result['segments']:.3f} | {result['failed']} | "
            f"{result['rate_limited']} | {result['load'][0]:.2f} → {result['load'][1]:.2f} |"
        )


def runs_asked(arguments):
    if arguments.latency is None and not (arguments.rpm or arguments.tpm):
        return TARGET_RUNS
    latency = arguments.latency or "fixed"
    median = arguments.latency_ms or (2000 if latency == "lognormal" else 300)
    p99 = arguments.latency_p99_ms or (10 * median if latency == "lognormal" else 0)
    limits = " under limits" if arguments.rpm or arguments.tpm else ""
    return [
        Run(
            f"{latency} latency{limits}",
            latency=latency,
            latency_ms=median,
            latency_p99_ms=p99,
            rpm=arguments.rpm,
            tpm=arguments.tpm,
        )
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    # The workers' default (WORKBENCH_AGENT_CONCURRENCY); C=8 oversubscribes 2 cores.
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency", choices=("fixed", "lognormal"))
    parser.add_argument("--latency-ms", type=int, help="fixed latency, or the median")
    parser.add_argument("--latency-p99-ms", type=int, help="lognormal: 99th percentile")
    parser.add_argument("--rpm", type=int, default=0, help="requests per minute allowed")
    parser.add_argument("--tpm", type=int, default=0, help="tokens per minute allowed")
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    project = Project.objects.create(
        name="Agents benchmark",
        slug=f"agents-bench-{uuid.uuid4().hex[:8]}",
        source_language=PAIR.source,
        target_language=PAIR.target,
    )
    results = []
    try:
        baseline_server = ModelServer(Run("baseline", latency_ms=0))
        try:
            baseline_tokens, baseline_calls = naive_baseline(
                baseline_server.baseline_url, sentences()[:BASELINE_SAMPLE]
            )
        finally:
            baseline_server.stop()
        for run in runs_asked(arguments):
            result = draft(run, project, arguments)
            result["concurrency"] = arguments.concurrency
            report(result, baseline_tokens, baseline_calls)
            results.append(result)
        table(results)
    finally:
        project.delete()
    return 0 if all(passed for result in results for _, passed in verdicts(result)) else 1


if __name__ == "__main__":
    sys.exit(main())
