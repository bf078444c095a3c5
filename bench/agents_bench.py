#!/usr/bin/env python
"""Agents at scale: draft a 2,000-segment judgment against a model server with a fixed
latency, and compare with a naive pipeline that calls each role once per segment.

    .venv/bin/python bench/agents_bench.py [--segments 2000] [--latency-ms 300] [--concurrency 4]

Starts the loopback model server (tests/loopback_llm.py) with the given latency, creates a
throwaway project and document whose segments are the sentences of the demo judgment
repeated, and runs the real "draft_document" job in this process (`run_job`, as a worker
does), with `--concurrency` batches in flight at once. It reports:

- wall time, and the ideal time: model calls × latency ÷ concurrency, i.e. the time if
  the server's latency were the only cost and every thread were always waiting on it;
- efficiency, ideal ÷ wall: target at least 0.85;
- the load average before and after the job: on a busy machine every call, checkpoint and
  database write waits for a CPU, so compare runs at similar loads;
- model calls and prompt tokens per segment, against the naive baseline: Translator,
  Annotator and Proofreader called once for each segment (3 calls per segment). The
  baseline's calls are counted by construction, and its prompt tokens are measured by
  running the naive loop over a sample of segments against the same server (latency off
  for the sample, as latency changes no token count): target under half the calls.

Everything is deleted at the end, also when the run fails.
"""

import argparse
import multiprocessing
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Avg, Max  # noqa: E402

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

EFFICIENCY_TARGET = 0.85
CALLS_TARGET = 0.5  # of the baseline's
BASELINE_SAMPLE = 60
PAIR = LanguagePair("en", "zh-Hant-HK")


def serve(latency_ms, ports):
    """In a process of its own: a remote model server costs the workbench no CPU."""
    drafting = LoopbackLLM(latency_ms=latency_ms).start()
    baseline = LoopbackLLM().start()
    ports.put((drafting.base_url, baseline.base_url))
    threading.Event().wait()


class ModelServer:
    """Two loopback servers in a child process: one with the latency for the job, one
    without for the baseline sample."""

    def __init__(self, latency_ms):
        ports = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=serve, args=(latency_ms, ports), daemon=True)
        self.process.start()
        self.base_url, self.baseline_url = ports.get(timeout=30)

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--latency-ms", type=int, default=300)
    # The workers' default (WORKBENCH_AGENT_CONCURRENCY); C=8 oversubscribes 2 cores.
    parser.add_argument("--concurrency", type=int, default=4)
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    server = ModelServer(arguments.latency_ms)
    settings.OPENAI_BASE_URL = server.base_url
    project = Project.objects.create(
        name="Agents benchmark",
        slug=f"agents-bench-{uuid.uuid4().hex[:8]}",
        source_language=PAIR.source,
        target_language=PAIR.target,
    )
    try:
        document = make_document(project, arguments.segments)
        baseline_tokens, baseline_calls = naive_baseline(
            server.baseline_url, sentences()[:BASELINE_SAMPLE]
        )
        # Created directly rather than through enqueue(): the bench runs the job in this
        # process, and a signal would invite any running worker to race it.
        job = Job.objects.create(
            kind="draft_document",
            project=project,
            document=document,
            params={"concurrency": arguments.concurrency},
        )
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        run_job(job.pk)
        wall = time.monotonic() - started
        load = (load_before, os.getloadavg()[0])
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            print(f"The drafting job {job.status}: {job.error}")
            return 1
        report(job, wall, load, arguments, baseline_tokens, baseline_calls)
        return 0 if passed(job, wall, arguments, baseline_calls) else 1
    finally:
        project.delete()
        server.stop()


def ideal_seconds(job, arguments):
    return job.result["calls"] * arguments.latency_ms / 1000 / arguments.concurrency


def passed(job, wall, arguments, baseline_calls):
    calls_per_segment = job.result["calls"] / arguments.segments
    return (
        ideal_seconds(job, arguments) / wall >= EFFICIENCY_TARGET
        and calls_per_segment < CALLS_TARGET * baseline_calls
    )


def report(job, wall, load, arguments, baseline_tokens, baseline_calls):
    result, n = job.result, arguments.segments
    ideal = ideal_seconds(job, arguments)
    calls_per_segment = result["calls"] / n
    print(
        f"{n} segments, latency {arguments.latency_ms} ms, concurrency {arguments.concurrency}, "
        f"{job.draft_batches.count()} batches"
    )
    print(
        f"  drafted {result.get('drafted', 0)}, flagged {result.get('flagged', 0)}, "
        f"failed {result.get('failed', 0)}"
    )
    print(f"  wall time          {wall:8.2f} s")
    print(f"  load average       {load[0]:8.2f} → {load[1]:.2f} over {os.cpu_count()} CPUs")
    print(f"  ideal time         {ideal:8.2f} s  ({result['calls']} calls × latency ÷ concurrency)")
    latency = job.model_calls.aggregate(mean=Avg("latency_ms"), most=Max("latency_ms"))
    print(
        f"  model call latency {latency['mean']:8.0f} ms mean, {latency['most']} ms at most "
        "(as the workbench saw it)"
    )
    print(f"  efficiency         {ideal / wall:8.2f}    target ≥ {EFFICIENCY_TARGET}")
    print(
        f"  calls / segment    {calls_per_segment:8.3f}    baseline {baseline_calls:.0f} "
        f"(one call per role per segment), target < {CALLS_TARGET * baseline_calls:.1f}"
    )
    print(
        f"  prompt tokens / segment {result['tokens_in'] / n:8.1f}    baseline "
        f"{baseline_tokens:.1f} (naive loop measured over {BASELINE_SAMPLE} segments)"
    )


if __name__ == "__main__":
    sys.exit(main())
