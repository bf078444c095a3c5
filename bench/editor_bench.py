"""The editor under load: its first page and saves, by 1 and by 50 people at once, on a
200,000-segment project.

    .venv/bin/python bench/editor_bench.py [--workers 3] [--threads 4] [--documents 40]

Creates a throwaway project of 40 documents of 5,000 segments (200,000 segments) and 50
translators in the configured database, collects the static files into a temporary folder, and starts
gunicorn (`workbench.wsgi`, gthread workers) on a free loopback port with DEBUG off, as
in production. The translators are logged in with Django's test client (their session
cookies go to gunicorn). Then it times, over real HTTP:

- the editor's first page (GET, 50 runs, one person alone);
- confirming segments (the save endpoint, Ctrl+Enter) by one person, then by 50 at once,
  each in a document of the project (two editors share some documents). Each simulated
  editor saves with the version it last saw; a fifth of its saves go to a few segments
  everyone shares, so some saves are stale and get 409, after which the editor takes the
  version the conflict view shows, as a person would. While they save, every editor
  opens its editor's first page again every tenth save, so the first page is timed with
  50 editors at work too; and each open editor polls for changes as the page does
  (static/js/editor.js): 3 seconds after it opened, then every 3 seconds while the
  answers bring changes, twice as long after each empty (204) answer up to 30 seconds,
  and again within 3 seconds of the editor's own successful save, whose answer moves the
  editor's cursor past it when nothing else changed meanwhile. Targets with 50
  editors: first page p95 under 300 ms, save p95 under 100 ms.

The simulated editors drop a connection idle for a second, before gunicorn's keep-alive
of two seconds would close it under a request about to be sent (a browser sends such a
request again; httpx reports a reset).

It prints p50/p95/p99 latency and saves per second for each, then checks that no update
was lost: every successful save wrote exactly one person Revision with its text, every
409 left no trace of its text, and each segment's revisions form one unbroken chain of
versions ending at its current target. Exits 1 when a target is missed or a check fails.
Everything it created is deleted at the end, also when the run fails.
"""

import argparse
import logging
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from workbench.documents.models import (  # noqa: E402
    Document,
    Revision,  # noqa: E402
    Segment,
)
from workbench.projects.models import Membership, Project  # noqa: E402

SEGMENTS = 5000  # per document
DOCUMENTS = 40
EDITORS = 50
PAGE_EVERY = 10  # an editor reopens its first page every tenth save
SOURCE_NUMBERS = {}  # segment id -> the number its source text was made from
# As static/js/editor.js polls for changes made elsewhere: every POLL_SECONDS while
# there are changes, backing off to POLL_MAX_SECONDS while there are none.
POLL_SECONDS = 3
POLL_MAX_SECONDS = 30
PAGE_RUNS = 50
SOLO_SAVES = 200
SAVES_PER_EDITOR = 25
BURST_SAVES_PER_EDITOR = 25
# Seconds an editor reads and types between two saves. A translator confirms a segment
# every 20 to 60 seconds; these editors are ten times quicker than that, so 50 of them
# save about 12 times a second.
PAUSE = (2.0, 6.0)
SHARED_SEGMENTS = 8
SHARED_EVERY = 5  # one save in five goes to a segment everyone shares
TIME_LIMIT_SECONDS = 180
TARGET_PAGE_MS = 300
TARGET_SAVE_P95_MS = 100

PARTIES = ["the appellant", "the respondent", "the applicant", "the 1st defendant"]
VERBS = ["submitted", "contended", "accepted", "denied"]


def source_text(number):
    party = PARTIES[number % len(PARTIES)]
    verb = VERBS[number // len(PARTIES) % len(VERBS)]
    return (
        f"In paragraph {number} of the judgment below, {party} {verb} that the sum of "
        f"HK${number * 125:,} was paid on {number % 28 + 1} March 2021."
    )


PARTIES_ZH = ["上訴人", "答辯人", "申請人", "第1被告人"]
VERBS_ZH = ["陳詞", "爭辯", "接納", "否認"]
# Sixteen characters to spell a save's unique mark without digits, which the checks would
# read as numbers missing from the source.
MARKS = "甲乙丙丁戊己庚辛壬癸子寅卯辰午未"


def translation(number, mark):
    """A translation of source_text(number) that carries its numbers and date, as a
    translator's would (the checks refuse to confirm one that drops them), and a mark
    that makes each save's text its own."""
    party = PARTIES_ZH[number % len(PARTIES_ZH)]
    verb = VERBS_ZH[number // len(PARTIES_ZH) % len(VERBS_ZH)]
    spelled = "".join(MARKS[int(digit, 16)] for digit in mark)
    return (
        f"在原審判決第{number}段，{party}{verb}已於2021年3月{number % 28 + 1}日支付"
        f"港幣{number * 125:,}元。（{spelled}）"
    )


# Setting up -----------------------------------------------------------------------------


def create_project(tag, documents):
    project = Project.objects.create(
        name=f"Editor bench {tag}",
        slug=f"editor-bench-{tag}",
        source_language="en",
        target_language="zh-Hant-HK",
    )
    created = []
    for index in range(documents):
        document = Document.objects.create(
            project=project,
            title=f"Judgment {index + 1} of {SEGMENTS:,} segments",
            original_filename=f"bench-{index + 1}.txt",
            format=Document.Format.TXT,
            status=Document.Status.READY,
        )
        first = index * SEGMENTS
        Segment.objects.bulk_create(
            (
                Segment(
                    document=document,
                    position=number - first,
                    source=source_text(number),
                    source_hash=Segment.hash_source(source_text(number)),
                    word_count=22,
                    char_count=len(source_text(number)),
                )
                for number in range(first + 1, first + SEGMENTS + 1)
            ),
            batch_size=5000,
        )
        created.append(document)
    users = [
        User.objects.create_user(f"bench-{tag}-{number:02}", password=None)
        for number in range(EDITORS)
    ]
    Membership.objects.bulk_create(
        Membership(project=project, user=user, role=Membership.Role.TRANSLATOR) for user in users
    )
    return project, created, users


def session_cookies(users):
    """A logged-in session per user, from Django's test client, as gunicorn will read it."""
    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, workers, threads, workdir):
    """gunicorn as in production (DEBUG off, collected static files); its log, where
    every 409 is a warning line, goes to a file in `workdir`."""
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(workdir / "static")}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "workbench.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-k",
            "gthread",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            # Time inside gunicorn per request, to tell the server's share of a latency
            # from the simulated editors' own (they share the machine).
            "--access-logfile",
            str(workdir / "access.log"),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        stderr=(workdir / "gunicorn.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (workdir / "gunicorn.log").read_text()[-2000:]
            raise RuntimeError(f"gunicorn stopped at start ({server.returncode}):\n{log}")
        try:
            httpx.get(base + reverse("login"), timeout=1)
            return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 30 seconds.")


# Measuring -------------------------------------------------------------------------------


def percentiles(seconds):
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "n": len(ms)}


def report(name, seconds, wall=None, saves=None, target=None, server=None):
    figures = percentiles(seconds)
    line = (
        f"{name:<28} n={figures['n']:>5}  p50 {figures['p50']:7.1f} ms  "
        f"p95 {figures['p95']:7.1f} ms  p99 {figures['p99']:7.1f} ms"
    )
    if wall:
        line += f"  {saves / wall:7.1f} saves/s"
    if target is not None:
        met = figures["p95"] < target
        line += f"   target p95 < {target} ms: {'met' if met else 'MISSED'}"
    print(line, flush=True)
    if server:
        inside = percentiles(server)
        print(
            f"{'  of which in gunicorn':<28} n={inside['n']:>5}  p50 {inside['p50']:7.1f} ms  "
            f"p95 {inside['p95']:7.1f} ms  p99 {inside['p99']:7.1f} ms",
            flush=True,
        )
    return figures


class AccessLog:
    """gunicorn's time per request, read from its access log since the last reading."""

    def __init__(self, path):
        self.path = path
        self.read = 0

    def seconds(self, method):
        """Of requests other than the editor's polls for changes."""
        lines = self.path.read_text().splitlines() if self.path.exists() else []
        new, self.read = lines[self.read :], len(lines)
        return [
            int(micro) / 1e6
            for line in new
            for verb, path, _, micro in [line.split()]
            if verb == method and not path.endswith("/changes/")
        ]


class Editor:
    """One person in the editor: an HTTP session, the versions they last saw, and what
    came of each save."""

    VERSION = re.compile(r'class="conflict"[^>]*data-version="(\d+)"')
    CHANGES = re.compile(r'data-changes-url="([^"]+)" data-cursor="([^"]*)"')
    CURSOR = re.compile(r'data-cursor="([^"]*)"')

    def __init__(self, base, cookie, editor_url, save_urls):
        self.client = httpx.Client(
            base_url=base,
            cookies={settings.SESSION_COOKIE_NAME: cookie},
            timeout=30,
            limits=httpx.Limits(keepalive_expiry=1),
        )
        self.editor_url = editor_url
        self.save_urls = save_urls  # segment id -> its save endpoint
        self.seen = {}  # segment id -> version
        self.saved = []  # (segment id, text)
        self.refused = []  # (segment id, text) answered 409
        self.latencies = []
        self.page_latencies = []
        self.failures = []
        page = self.client.get(editor_url)
        page.raise_for_status()
        self.csrf = self.client.cookies[settings.CSRF_COOKIE_NAME]
        self.changes_url, self.cursor = self.CHANGES.search(page.text).groups()
        self.poll_latencies = []
        self.unchanged = 0  # polls answered 204
        # Set by a successful save or a new page: the page then polls within POLL_SECONDS.
        self.acted = threading.Event()

    def poll(self):
        """What the open editor asks now and then: the rows changed since its cursor.
        Whether the answer brought changes."""
        started = time.perf_counter()
        try:
            response = self.client.get(self.changes_url, params={"since": self.cursor})
        except httpx.TransportError as error:
            self.failures.append(f"changes not answered: {error!r}")
            return False
        self.poll_latencies.append(time.perf_counter() - started)
        if response.status_code == 204:
            self.unchanged += 1
            return False
        if response.status_code != 200:
            self.failures.append(f"changes answered {response.status_code}")
            return False
        found = self.CURSOR.search(response.text)
        if found:
            self.cursor = found.group(1)
        return True

    def open_editor(self):
        started = time.perf_counter()
        response = self.client.get(self.editor_url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or "segment-grid" not in response.text:
            self.failures.append(f"editor page answered {response.status_code}")
        else:
            self.cursor = self.CURSOR.search(response.text).group(1)
            self.acted.set()
        self.page_latencies.append(elapsed)
        return elapsed

    def confirm(self, segment_id, text):
        started = time.perf_counter()
        try:
            response = self.client.post(
                self.save_urls[segment_id],
                data={
                    "text": text,
                    "version": self.seen.get(segment_id, 0),
                    "action": "confirm",
                    "seconds": 12,
                    "since": self.cursor,
                },
                headers={"X-CSRFToken": self.csrf, "HX-Request": "true"},
            )
        except httpx.TransportError as error:
            self.failures.append(f"save not answered: {error!r}")
            return
        self.latencies.append(time.perf_counter() - started)
        if response.status_code == 200:
            self.seen[segment_id] = int(response.headers["X-Segment-Version"])
            self.saved.append((segment_id, text))
            self.cursor = response.headers.get("X-Changes-Cursor", self.cursor)
            self.acted.set()
        elif response.status_code == 409:
            self.seen[segment_id] = int(self.VERSION.search(response.text).group(1))
            self.refused.append((segment_id, text))
        else:
            self.failures.append(f"save answered {response.status_code}: {response.text[:200]}")

    def close(self):
        self.client.close()


def edit(editor, number, own, shared_ids, saves, deadline, pause=None):
    """Editor `number` works through its own stretch of its document, and now and then on
    a segment everyone shares, pausing between saves (or not at all); every tenth save it
    opens its editor's first page again."""
    pauses = random.Random(number)
    for turn in range(saves):
        if time.monotonic() > deadline:
            return
        if pause and turn:
            time.sleep(pauses.uniform(*pause))
        if pause and turn % PAGE_EVERY == PAGE_EVERY - 1:
            editor.open_editor()
        if turn % SHARED_EVERY == SHARED_EVERY - 1:
            segment_id = shared_ids[(number + turn) % len(shared_ids)]
        else:
            segment_id = own[turn % len(own)]
        editor.confirm(segment_id, translation(SOURCE_NUMBERS[segment_id], uuid.uuid4().hex[:8]))


def keep_polling(editor, stop):
    """The open editor page's polling for changes, as static/js/editor.js does it: every
    POLL_SECONDS while the answers bring changes, twice as long after each empty answer
    up to POLL_MAX_SECONDS, and within POLL_SECONDS of the editor's own save. (The
    pages were opened at different moments: the first poll comes at a random point.)"""
    interval = POLL_SECONDS
    due = time.monotonic() + random.Random(id(editor)).uniform(0, POLL_SECONDS)
    while not stop.is_set():
        if editor.acted.wait(max(0, due - time.monotonic())):
            editor.acted.clear()
            interval = POLL_SECONDS
            due = min(due, time.monotonic() + POLL_SECONDS)
            continue
        changed = editor.poll()
        interval = POLL_SECONDS if changed else min(interval * 2, POLL_MAX_SECONDS)
        due = time.monotonic() + interval


def run_editors(editors, own_ids, shared_ids, saves, pause):
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    stop = threading.Event()
    threads = [
        threading.Thread(target=edit, args=(e, n, own_ids[n], shared_ids, saves, deadline, pause))
        for n, e in enumerate(editors)
    ]
    pollers = [threading.Thread(target=keep_polling, args=(e, stop)) for e in editors]
    started = time.perf_counter()
    for thread in threads + pollers:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    for editor in editors:
        editor.acted.set()  # wakes its poller, which sees the stop
    for thread in pollers:
        thread.join()
    return time.perf_counter() - started


def crowd_run(name, editors, log, own_ids, shared_ids, saves, pause=None, target=None):
    """All editors at once; their latencies, saves and conflicts in this run alone."""
    log.seconds("POST")
    before = [(len(e.latencies), len(e.saved), len(e.refused)) for e in editors]
    pages_before = [len(e.page_latencies) for e in editors]
    polls_before = [len(e.poll_latencies) for e in editors]
    unchanged_before = sum(e.unchanged for e in editors)
    wall = run_editors(editors, own_ids, shared_ids, saves, pause)
    latencies = [s for e, (n, _, _) in zip(editors, before, strict=True) for s in e.latencies[n:]]
    saved = sum(len(e.saved) - n for e, (_, n, _) in zip(editors, before, strict=True))
    conflicts = sum(len(e.refused) - n for e, (_, _, n) in zip(editors, before, strict=True))
    figures = report(name, latencies, wall, saved, target=target, server=log.seconds("POST"))
    paused = f"pausing {pause[0]}–{pause[1]} s between saves" if pause else "no pause"
    print(f"{'':<28} {saved} saved, {conflicts} answered 409 (stale); {paused}", flush=True)
    figures = {**figures, "conflicts": conflicts}
    polls = [s for e, n in zip(editors, polls_before, strict=True) for s in e.poll_latencies[n:]]
    if polls:
        report(f"changes polled, {len(editors)} open", polls)
        unchanged = sum(e.unchanged for e in editors) - unchanged_before
        print(
            f"{'':<28} {len(polls) / wall:.1f} polls/s, {unchanged} answered 204 (no change)",
            flush=True,
        )
    pages = [s for e, n in zip(editors, pages_before, strict=True) for s in e.page_latencies[n:]]
    if pages:
        page = report(
            f"first page, {len(editors)} at work",
            pages,
            target=TARGET_PAGE_MS if target else None,
            server=log.seconds("GET"),
        )
        figures["page_p95"] = page["p95"]
    return figures


# Checking ---------------------------------------------------------------------------------


def lost_updates(project, editors):
    """What went wrong, as sentences; empty when nothing was lost."""
    problems = []
    saved = [save for e in editors for save in e.saved]
    refused = [save for e in editors for save in e.refused]
    person = Revision.objects.filter(segment__document__project=project, origin="person")
    written = dict(person.values_list("new_target", "segment_id"))
    if person.count() != len(saved):
        problems.append(f"{len(saved)} saves succeeded but {person.count()} revisions exist.")
    missing = [text for segment_id, text in saved if written.get(text) != segment_id]
    if missing:
        problems.append(f"{len(missing)} successful saves have no revision, e.g. {missing[0]}.")
    refused_texts = {text for _, text in refused}
    leaked = refused_texts & set(written)
    leaked |= refused_texts & set(
        Segment.objects.filter(document__project=project, target__in=refused_texts).values_list(
            "target", flat=True
        )
    )
    if leaked:
        problems.append(f"{len(leaked)} texts answered 409 were stored anyway.")
    chains = {}
    for revision in Revision.objects.filter(segment__document__project=project).order_by(
        "segment_id", "version"
    ):
        chains.setdefault(revision.segment_id, []).append(revision)
    for segment in Segment.objects.filter(pk__in=chains):
        chain = chains[segment.pk]
        versions = [revision.version for revision in chain]
        if versions != list(range(1, len(chain) + 1)) or segment.version != len(chain):
            problems.append(f"Segment {segment.position} has versions {versions}.")
        for before, after in zip(chain, chain[1:], strict=False):
            if after.old_target != before.new_target:
                problems.append(f"Segment {segment.position}: a revision skipped a text.")
        if chain[-1].new_target != segment.target:
            problems.append(f"Segment {segment.position}: the target is not its last revision.")
    return problems


def main():
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help="documents of 5,000")
    options = parser.parse_args()

    tag = uuid.uuid4().hex[:8]
    workdir = Path(tempfile.mkdtemp(prefix="editor-bench-"))
    server = None
    project = None
    users = []
    cookies = []
    editors = []
    try:
        total = SEGMENTS * options.documents
        print(
            f"Creating {options.documents} documents of {SEGMENTS:,} segments "
            f"({total:,} segments) and {EDITORS} translators…",
            flush=True,
        )
        started = time.perf_counter()
        project, documents, users = create_project(tag, options.documents)
        print(f"  created in {time.perf_counter() - started:.0f} s", flush=True)
        cookies = session_cookies(users)
        port = free_port()
        server, base = start_gunicorn(port, options.workers, options.threads, workdir)
        print(
            f"gunicorn on {base}: {options.workers} workers × {options.threads} threads "
            f"(gthread), {os.cpu_count()} CPUs",
            flush=True,
        )
        ids = {
            document.pk: list(document.segments.order_by("position").values_list("pk", flat=True))
            for document in documents
        }
        for index, segment_ids in enumerate(ids.values()):
            for position, segment_id in enumerate(segment_ids, start=1):
                SOURCE_NUMBERS[segment_id] = index * SEGMENTS + position
        save_urls = {
            segment_id: reverse("segment_save", args=[project.slug, document_pk, segment_id])
            for document_pk, segment_ids in ids.items()
            for segment_id in segment_ids
        }

        def editor_url(document):
            return reverse("editor", args=[project.slug, document.pk])

        # Editor n works in document n mod 40, in its own stretch of it; a few segments
        # of the first document are everyone's.
        placed = [documents[n % len(documents)] for n in range(EDITORS)]
        sharing = (EDITORS + len(documents) - 1) // len(documents)
        own_ids = [
            ids[document.pk][2 + n // len(documents) :: sharing + 1]
            for n, document in enumerate(placed)
        ]
        first_ids = ids[documents[0].pk]
        shared_ids = first_ids[1 : SEGMENTS : SEGMENTS // SHARED_SEGMENTS][:SHARED_SEGMENTS]
        editors = [
            Editor(base, cookie, editor_url(document), save_urls)
            for cookie, document in zip(cookies, placed, strict=True)
        ]
        document = documents[0]

        log = AccessLog(workdir / "access.log")
        first = editors[0]
        for _ in range(3):  # warm up every worker's connection and templates
            first.open_editor()
        log.seconds("GET")
        report(
            "editor first page, alone",
            [first.open_editor() for _ in range(PAGE_RUNS)],
            server=log.seconds("GET"),
        )

        solo = Editor(base, cookies[0], editor_url(document), save_urls)
        editors.append(solo)
        started = time.perf_counter()
        edit(solo, EDITORS, first_ids[3::7], shared_ids, SOLO_SAVES, time.monotonic() + 60)
        wall = time.perf_counter() - started
        report("save, 1 editor", solo.latencies, wall, len(solo.saved), server=log.seconds("POST"))

        crowd = editors[:EDITORS]
        paced = crowd_run(
            f"save, {EDITORS} editors",
            crowd,
            log,
            own_ids,
            shared_ids,
            SAVES_PER_EDITOR,
            PAUSE,
            TARGET_SAVE_P95_MS,
        )
        burst = crowd_run(
            f"save, {EDITORS} without pause",
            crowd,
            log,
            own_ids,
            shared_ids,
            BURST_SAVES_PER_EDITOR,
        )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

        problems = [f for e in editors for f in e.failures] + lost_updates(project, editors)
        if not paced["conflicts"] + burst["conflicts"]:
            problems.append("No save was stale, so conflicts were not exercised.")
        if problems:
            print("Lost or failed updates:\n  " + "\n  ".join(problems[:20]), flush=True)
        else:
            print(
                "No lost update: every successful save wrote one revision, no 409 changed a "
                "target, every segment's versions form one chain.",
                flush=True,
            )
        missed = paced["page_p95"] >= TARGET_PAGE_MS or paced["p95"] >= TARGET_SAVE_P95_MS
        return 1 if problems or missed else 0
    finally:
        for editor in editors:
            editor.close()
        if server:
            server.terminate()
            server.wait(timeout=30)
        if project:
            project.delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()
        Session.objects.filter(session_key__in=cookies).delete()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
