"""Checkpoints in PostgreSQL: a worker killed mid-batch resumes after the last finished
node, without repeating the model calls before it. Uses the database of DATABASE_URL
directly (its own schema, its own thread ids), not Django's test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from agents.checkpoints import SCHEMA, open_checkpointer, setup_checkpoints
from agents.context import BatchInput, LanguagePair, RoleModels, SegmentInput
from agents.graph import draft_batch
from agents.llm import LLMClient
from agents.schemas import DocumentBrief
from tests.loopback_llm import loopback_llm_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workbench")
SOURCES = [
    "The appellant was convicted under s. 9 of the Theft Ordinance (Cap. 210).",
    "See [2015] HKCFA 23, (2015) 18 HKCFAR 1.",
    "The appeal was heard on 3 March 2021.",
    "The respondent was ordered to pay HK$38,500.50.",
    "The appeal is dismissed with costs.",
    "The 1st defendant did not give evidence.",
]


def hk_batch() -> BatchInput:
    return BatchInput(
        pair=LanguagePair("en", "zh-Hant-HK"),
        segments=[SegmentInput(id=f"s{n}", source=s) for n, s in enumerate(SOURCES, 1)],
        models=RoleModels.same("loop-model"),
        brief=DocumentBrief(
            court="",
            case_number="",
            parties=[],
            judges=[],
            defined_terms=[],
            key_terms=[],
            notes="",
        ),
    )


def draft_as_worker(base_url: str, conninfo: str, thread_id: str) -> None:
    """What a worker process does: draft the batch under a thread id."""
    with open_checkpointer(conninfo) as saver:
        draft_batch(
            hk_batch(),
            LLMClient(base_url, read_timeout=120),
            checkpointer=saver,
            thread_id=thread_id,
        )


@pytest.fixture
def checkpoint_db():
    params = psycopg.conninfo.conninfo_to_dict(DATABASE_URL)
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]]
        ).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
    setup_checkpoints(DATABASE_URL)
    return DATABASE_URL


@pytest.fixture
def thread_id(checkpoint_db):
    thread = f"test-{uuid.uuid4()}"
    yield thread
    with open_checkpointer(checkpoint_db) as saver:
        saver.delete_thread(thread)


def tables_in(conninfo, schema):
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {name for (name,) in rows}


def test_setup_creates_the_tables_in_their_own_schema(checkpoint_db):
    setup_checkpoints(checkpoint_db)

    assert {"checkpoints", "checkpoint_blobs", "checkpoint_writes"} <= tables_in(
        checkpoint_db, SCHEMA
    )
    assert "checkpoints" not in tables_in(checkpoint_db, "public")


def test_checkpoint_commits_do_not_wait_for_the_disk_but_other_commits_do(checkpoint_db):
    with open_checkpointer(checkpoint_db) as saver:
        setting = saver.conn.execute("SHOW synchronous_commit").fetchone()
    with psycopg.connect(checkpoint_db) as workbench:
        (default,) = workbench.execute("SHOW synchronous_commit").fetchone()

    assert setting == {"synchronous_commit": "off"}
    assert default == "on"


def test_a_checkpointed_run_needs_a_thread_id(loopback_llm, checkpoint_db):
    with (
        open_checkpointer(checkpoint_db) as saver,
        pytest.raises(ValueError, match="needs a thread_id"),
    ):
        draft_batch(hk_batch(), LLMClient(loopback_llm.base_url), checkpointer=saver)

    assert loopback_llm.requests == []


def test_a_finished_thread_is_not_drafted_again(loopback_llm, checkpoint_db, thread_id):
    llm = LLMClient(loopback_llm.base_url)
    with open_checkpointer(checkpoint_db) as saver:
        first = draft_batch(hk_batch(), llm, checkpointer=saver, thread_id=thread_id)
        calls = len(loopback_llm.requests)
        again = draft_batch(hk_batch(), llm, checkpointer=saver, thread_id=thread_id)

    assert len(loopback_llm.requests) == calls
    assert again.call_records == []
    assert [(s.id, s.status, s.final_target) for s in again.segments] == [
        (s.id, s.status, s.final_target) for s in first.segments
    ]


def test_a_killed_worker_resumes_after_the_last_finished_node(
    loopback_llm, checkpoint_db, thread_id
):
    # The Translator answers; the Annotator's call hangs until the worker is killed.
    loopback_llm.configure(plan=["ok", "stall"], stall_seconds=60)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tests.test_agents_checkpoints import draft_as_worker; "
            "draft_as_worker(*sys.argv[1:])",
            loopback_llm.base_url,
            checkpoint_db,
            thread_id,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 30
        while not loopback_llm.requests_for("AnnotatorOutput"):
            assert worker.poll() is None, "the worker ended before it reached the Annotator"
            assert time.monotonic() < deadline, "the worker never reached the Annotator"
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
    assert len(loopback_llm.requests_for("TranslatorOutput")) == 1

    with open_checkpointer(checkpoint_db) as saver:
        result = draft_batch(
            hk_batch(), LLMClient(loopback_llm.base_url), checkpointer=saver, thread_id=thread_id
        )

    assert len(loopback_llm.requests_for("TranslatorOutput")) == 1
    assert len(loopback_llm.requests_for("AnnotatorOutput")) == 3
    assert [record.role for record in result.call_records] == [
        "annotator",
        "proofreader",
        "annotator",
    ]
    assert [segment.status for segment in result.segments] == ["drafted"] * len(SOURCES)
    assert all(segment.final_target for segment in result.segments)
    assert result.by_id()["s5"].revision_provenance.role == "proofreader"
