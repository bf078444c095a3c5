"""Headers and settings: the Content-Security-Policy (no inline code, no eval), no caching
of confidential pages and downloads, production settings that `check --deploy` passes,
no start without a secret key, a statement timeout for the web server only, and limits
on what a request may send."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from tests import workers
from workbench.documents.services import import_document
from workbench.middleware import StatementTimeoutMiddleware

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Qm2vX9pL4rT8wZ1nB6cY3hJ5fD0sG-eA7uK2iO9xV4tR1mN8qW3zE6yH5bC0lP",
    "ALLOWED_HOSTS": "workbench.example.org",
    "WORKBENCH_HTTPS": "1",
    "WORKBENCH_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def run_python(code, **environment):
    """Python in a fresh process with the given environment, as a server would start: no
    secret key but the one given, and none of the test run's own switches."""
    inherited = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.update(DJANGO_SETTINGS_MODULE="workbench.settings", PYTHONPATH=str(ROOT), **environment)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def manage(*arguments, **environment):
    code = "import sys; from django.core.management import execute_from_command_line; "
    code += f"execute_from_command_line(['manage.py', *{list(arguments)!r}])"
    return run_python(code, **environment)


# Content-Security-Policy ---------------------------------------------------------------------


def test_every_page_carries_a_strict_content_security_policy(client_for, translator, project):
    response = client_for(translator).get(reverse("project_detail", args=[project.slug]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy


def test_htmx_evaluates_no_code_from_the_page(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html


def test_no_template_holds_inline_script_style_or_event_handlers():
    found = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"\shx-on[:-]",
            r"=[\"']js:",
            r"hx-trigger=\"[^\"]*\[",
        ):
            found += [f"{template.name}: {match}" for match in re.findall(pattern, text)]
    assert found == []


def test_no_script_of_ours_evaluates_strings():
    for script in (ROOT / "static/js").glob("*.js"):
        text = script.read_text()
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*[\"']", text), script.name


# Caching --------------------------------------------------------------------------------------


def test_pages_of_a_logged_in_person_are_not_stored(client_for, translator, project):
    response = client_for(translator).get(reverse("project_detail", args=[project.slug]))
    assert "no-store" in response["Cache-Control"]


def test_downloads_are_not_stored(client_for, manager, project):
    response = client_for(manager).get(reverse("glossary_export", args=[project.slug, "csv"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    response = client_for(manager).get(reverse("tm_export", args=[project.slug]))
    assert "no-store" in response["Cache-Control"]


# Production settings ------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_and_secure_cookies_come_from_the_environment():
    without = {key: value for key, value in PRODUCTION.items() if key != "WORKBENCH_HTTPS"}
    result = manage("check", "--deploy", **without)
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in result.stdout + result.stderr, warning
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **without,
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        SECURE_SSL_REDIRECT="1",
        SESSION_COOKIE_SECURE="1",
        CSRF_COOKIE_SECURE="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_unless_debugging():
    result = run_python("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert run_python("import django; django.setup()", DEBUG="1").returncode == 0


def test_the_proxy_header_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = run_python(code, **PRODUCTION)
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_only_the_web_server_has_a_statement_timeout():
    query = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    database = {"DATABASE_URL": workers.test_database_url(), "SECRET_KEY": "x"}
    web = run_python("import workbench.wsgi; " + query, **database)
    assert web.stdout.strip() == "30s", web.stderr
    worker = run_python("import django; django.setup(); " + query, **database)
    assert worker.stdout.strip() == "0", worker.stderr


def test_a_statement_stopped_by_the_timeout_is_a_clear_503(rf, translator):
    """What a person sees when a query of theirs ran past the timeout: a page saying so
    (503), not a server error."""
    with (
        pytest.raises(OperationalError) as stopped,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(2)")
    request = rf.get("/")
    request.user = translator
    response = StatementTimeoutMiddleware(lambda r: None).process_exception(request, stopped.value)
    assert response.status_code == 503
    assert "This took too long" in response.content.decode()


# Request bodies ------------------------------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("The body of an anonymous request was read.")

    readline = read


def test_a_huge_anonymous_post_is_refused_before_its_body_is_read(client, db, tmp_path):
    response = client.generic(
        "POST",
        reverse("login"),
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "Log in first" in response.content.decode()


def test_an_anonymous_post_of_unknown_length_is_refused(client, db):
    response = client.generic(
        "POST",
        reverse("login"),
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411


def test_a_logged_in_form_has_a_size_limit_too(client_for, translator, project):
    document = import_document(project, data=b"One.\n", filename="a.txt", user=translator)
    segment = document.segments.get()
    url = reverse("segment_save", args=[project.slug, document.pk, segment.pk])
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    response = client_for(translator).post(url, {"text": "x" * (6 * 1024 * 1024), "version": 0})
    assert response.status_code == 400
    segment.refresh_from_db()
    assert segment.target == ""
