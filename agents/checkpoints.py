"""LangGraph checkpoints in PostgreSQL, in their own schema so they never mix with the
workbench's tables.

`setup_checkpoints(conninfo)` creates the schema and tables (the workbench runs it from a
migration or a management command); `open_checkpointer(conninfo)` gives the saver that
`draft_batch` takes.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

SCHEMA = "agent_checkpoints"


def setup_checkpoints(conninfo: str, schema: str = SCHEMA) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    with open_checkpointer(conninfo, schema) as saver:
        saver.setup()


@contextmanager
def open_checkpointer(
    conninfo: str, schema: str = SCHEMA, *, connections: int = 1
) -> Iterator[PostgresSaver]:
    """A saver on its own connection whose search_path is only the checkpoint schema; with
    `connections` above one, on a pool of that many that any number of threads share.

    Its commits do not wait for the write-ahead log to reach the disk (synchronous_commit
    off): a batch writes about twenty checkpoint statements, each its own commit, and
    waiting for a disk flush on each one took a tenth of the batch's time. A commit is
    still visible to every other connection at once, so a killed worker resumes from it as
    before; only a crash of PostgreSQL itself may drop the last fraction of a second of
    checkpoints, which then costs a repeated model call, never a workbench row (those are
    written on Django's connections, which keep the default).
    """
    settings = {
        "autocommit": True,
        "prepare_threshold": 0,
        "row_factory": dict_row,
        "options": f"-c search_path={schema} -c synchronous_commit=off",
    }
    if connections > 1:
        with ConnectionPool(
            conninfo, min_size=1, max_size=connections, kwargs=settings, open=True
        ) as pool:
            yield PostgresSaver(pool)
        return
    with psycopg.Connection.connect(conninfo, **settings) as connection:
        yield PostgresSaver(connection)
