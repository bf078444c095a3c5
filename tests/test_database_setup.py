"""`make run` prepares the database; a database whose LC_CTYPE hides Chinese from pg_trgm is
refused loudly; unreachable services are named with the variable to set."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def scratch_database():
    """A database name of its own, dropped afterwards."""
    name = "wb_setup_probe"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
    yield name
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_it_creates_a_utf8_database_with_trigrams(scratch_database):
    result = manage(
        "ensure_database", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{scratch_database}"
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{scratch_database}") as conn:
        assert (
            "UTF"
            in conn.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            .fetchone()[0]
            .upper()
        )
        assert conn.execute("SELECT cardinality(show_trgm('中文'))").fetchone()[0] > 0
    assert (
        manage(
            "ensure_database", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{scratch_database}"
        ).returncode
        == 0
    )


def test_the_system_check_fails_loudly_when_trigrams_are_blind_to_chinese(scratch_database):
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE {scratch_database} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    with psycopg.connect(
        f"postgresql://postgres@127.0.0.1:5432/{scratch_database}", autocommit=True
    ) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
    result = manage(
        "check",
        "--database",
        "default",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{scratch_database}",
    )
    assert result.returncode != 0
    assert "memory.E001" in result.stderr
    assert "LC_CTYPE is 'C'" in result.stderr


def test_it_names_the_variable_when_postgresql_cannot_be_reached():
    result = manage("ensure_database", DATABASE_URL="postgres://postgres@127.0.0.1:1/workbench")
    assert result.returncode == 1
    assert "PostgreSQL cannot be reached" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert "docker compose up -d db redis" in result.stderr


def test_it_names_the_variable_when_redis_cannot_be_reached():
    result = manage("ensure_database", REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert "Redis cannot be reached" in result.stderr
    assert "REDIS_URL" in result.stderr
