"""Every URL of the workbench × GET and POST × five personas (a manager, a translator and a
reviewer of the project, an outsider, and the manager of another project), generated from
the URL configuration: outsiders and other projects' managers get 404, a member whose role
may not do the action gets 403, nobody ever gets a server error. A URL without a rule in
RULES fails the walk, so a new page cannot go unchecked.

Each request runs in a savepoint that is rolled back, so a deletion or a logout does not
change what the next request finds."""

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import make_project, make_user
from workbench.api.models import ApiToken, Webhook, WebhookDelivery
from workbench.documents.lifecycle import SAVE
from workbench.documents.services import import_document
from workbench.feedback.lqa import record_error
from workbench.feedback.models import Export, GlossaryCandidate, Lesson
from workbench.jobs.models import Job
from workbench.memory.analysis import run_analysis
from workbench.memory.models import Term
from workbench.memory.services import project_memory
from workbench.projects.models import Notification
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import do_save_target

# Who may: the roles of the project's members, spelled out here rather than read from the
# capability table, so the walk checks the table instead of repeating it.
M = frozenset({"manager"})
MR = frozenset({"manager", "reviewer"})
ALL = frozenset({"manager", "translator", "reviewer"})
NONE = None  # the method is not allowed: 405 for everyone
OWN = "own"  # a page of the person's own (account, inbox): every logged-in person
OWNER = "owner"  # the persona "manager" owns the object; for anyone else it is not there
CREATOR = "creator"  # Django's add_project permission, which only the manager has
STAFF = "staff"  # admin pages: everyone who is not staff is sent to the admin login
API = "api"  # the REST API: a problem document, never a page (tests/test_api_*.py)

RULES = {
    # Accounts
    "login": (OWN, OWN),
    "login_code": (OWN, OWN),
    "logout": (NONE, OWN),
    "account": (OWN, OWN),
    "password_change": (OWN, OWN),
    "two_factor": (OWN, OWN),
    "two_factor_remove": (NONE, OWN),
    "password_reset": (OWN, OWN),
    "password_reset_done": (OWN, NONE),
    "password_reset_confirm": (OWN, OWN),
    "password_reset_complete": (OWN, NONE),
    # Projects and people
    "home": (OWN, OWN),
    "project_create": (CREATOR, CREATOR),
    "project_members": (ALL, M),
    "project_settings": (M, M),
    "project_member_remove": (NONE, M),
    "notifications": (OWN, NONE),
    "notifications_read_all": (NONE, OWN),
    "notification_open": (OWNER, NONE),
    # Documents
    "project_detail": (ALL, ALL),
    "document_upload": (M, M),
    "document_detail": (ALL, ALL),
    "document_assign": (M, M),
    "document_delete": (NONE, M),
    "document_translated": (M, NONE),
    "document_qa_report": (ALL, NONE),
    "document_qa_report_csv": (ALL, NONE),
    # Translation memory and glossary
    "tm_units": (ALL, NONE),
    "tm_unit_add": (M, M),
    "tm_unit_edit": (M, M),
    "tm_unit_delete": (NONE, M),
    "tm_import": (M, M),
    "tm_export": (M, NONE),
    "concordance": (ALL, NONE),
    "tm_pretranslate": (M, M),
    "tm_segment_matches": (ALL, NONE),
    "glossary": (ALL, ALL),
    "glossary_term_add": (M, M),
    "glossary_term_edit": (M, M),
    "glossary_term_delete": (NONE, M),
    "glossary_import": (M, M),
    "glossary_export": (M, NONE),
    "glossary_recognise": (ALL, ALL),
    # The analysis by match band
    "project_analysis": (ALL, NONE),
    "project_analysis_run": (NONE, M),
    "project_analysis_download": (ALL, NONE),
    "document_analysis": (ALL, NONE),
    "document_analysis_run": (NONE, M),
    "document_analysis_download": (ALL, NONE),
    # Jobs
    "job_list": (ALL, NONE),
    "job_progress": (ALL, NONE),
    "job_cancel": (NONE, M),
    "job_retry": (NONE, M),
    # The editor
    "editor": (ALL, NONE),
    "editor_changes": (ALL, NONE),
    "editor_concordance": (ALL, NONE),
    "bulk_approve": (NONE, MR),
    "segment_row": (ALL, NONE),
    "segment_panel": (ALL, NONE),
    "segment_save": (NONE, ALL),
    "segment_qa": (NONE, ALL),
    "segment_send_back": (NONE, MR),
    "segment_reopen": (NONE, MR),
    "segment_ask_revision": (NONE, ALL),
    "comment_add": (NONE, ALL),
    "comment_resolve": (NONE, ALL),
    "annotation_accept": (NONE, ALL),
    "annotation_dismiss": (NONE, ALL),
    "revision_restore": (NONE, ALL),
    "review_file": (MR, NONE),
    "review_file_import": (NONE, MR),
    # Agents
    "drafting": (ALL, ALL),
    "draft_start": (NONE, MR),  # a translator only on a document assigned to them
    "draft_retry": (NONE, MR),
    "document_brief": (ALL, MR),
    # Learning and exports
    "corpus_export": (M, M),
    "export_status": (M, NONE),
    "export_download": (M, NONE),
    "corrections": (M, M),
    "glossary_candidates": (M, M),
    "candidate_accept": (NONE, M),
    "candidate_reject": (NONE, M),
    "lessons": (ALL, MR),
    "lesson_edit": (MR, MR),
    "lesson_active": (NONE, MR),
    # Quality assessment (LQA): the reviewer recorded the walk's error
    "segment_lqa": (ALL, MR),
    "lqa_error_withdraw": (NONE, MR),
    "document_lqa_report": (ALL, NONE),
    "project_lqa_report": (MR, NONE),
    # The manager's pages
    "dashboard": (M, NONE),
    "agent_settings": (M, M),
    "agent_test": (NONE, M),
    "model_prices": (M, M),
    "dashboard_dataset": (M, NONE),
    "dashboard_quality": (M, NONE),
    "audit_log": (M, NONE),
    # The REST API's pages (its operations, called with tokens, have their own persona
    # matrix in test_api_permissions.py)
    "api_tokens": (OWN, OWN),
    "api_token_revoke": (NONE, OWNER),
    "webhooks": (M, M),
    "webhook_remove": (NONE, M),
    "webhook_redeliver": (NONE, M),
    "api_problems": (OWN, NONE),
    "api_unknown": (API, API),
}
# Whole URL namespaces of other apps, by rule.
NAMESPACE_RULES = {"admin": STAFF, "django_rq": STAFF, "api-v1": API}
NAMESPACE_SAMPLES = {"admin": "admin:index", "django_rq": "django_rq:home"}

PERSONAS = ("manager", "translator", "reviewer", "outsider", "other_manager")
ROLE = {"manager": "manager", "translator": "translator", "reviewer": "reviewer"}
REFUSED = {403, 404, 405}
# Every filter a page reads, at its most hostile short of a NUL: dates out of any range,
# numbers that are not, choices that do not exist.
HOSTILE_QUERY = {
    "q": "x" * 5000,
    "since": "0001-01-01",
    "until": "9999-12-31",
    "page": "99999999999999999999",
    "go": "-1",
    "after": "9" * 30,
    "period": "century",
    "kind": "nothing",
    "person": "nobody",
    "status": "lost",
    "side": "middle",
    "about": "y" * 500,
    "text": "z" * 30_000,
    "format": "csv",
    "mine": "on",
}


def project_patterns(patterns=None, namespace=None):
    """(namespace, name, pattern) for every URL pattern, namespaces of other apps once."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in NAMESPACE_RULES:
                yield inner, None, pattern
                continue
            yield from project_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, pattern


@pytest.fixture
def world(project, manager, translator, reviewer, outsider):
    """One of everything a URL can name, in `project`."""
    other_manager = make_user("olga")
    make_project(
        "elsewhere", "Another firm's judgments", "en", "zh-Hant-HK", [(other_manager, "manager")]
    )
    document = import_document(
        project,
        data=b"The appeal is allowed.\n\nThe appellant paid HK$1,000.\n",
        filename="judgment.txt",
        user=manager,
    )
    segment = document.segments.get(position=1)
    saved = do_save_target(
        segment, user=translator, role="translator", text="上訴得直。", base_version=0, action=SAVE
    )
    revision = saved.segment.revisions.first()
    comment = Comment.objects.create(segment=segment, author=translator, text="Check the sum.")
    annotation = Annotation.objects.create(
        segment=segment, source="annotator", category="fluency", severity="minor", span="得直"
    )
    unit = project_memory(project).units.create(
        source="The appeal is dismissed.",
        target="上訴被駁回。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="project",
        quality="translated",
        source_hash="x",
        target_hash="y",
    )
    term = Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    run_analysis(project, document, user=manager)
    run_analysis(project, user=manager)
    job = Job.objects.create(
        kind="draft_document",
        project=project,
        document=document,
        status="failed",
        created_by=manager,
    )
    export = Export.objects.create(
        project=project, format="tmx", statuses=["approved"], created_by=manager
    )
    export.file.save("export.tmx", ContentFile(b"<tmx/>"))
    candidate = GlossaryCandidate.objects.create(
        project=project, machine_term="上訴者", target_term="上訴人", source_term="appellant"
    )
    lesson = Lesson.objects.create(project=project, text="Dates as 2024年3月5日.", author=reviewer)
    lqa_error = record_error(
        saved.segment, user=reviewer, role="reviewer", category="grammar", severity="minor"
    )
    notification = Notification.objects.create(user=manager, project=project, text="Hello", url="/")
    token, _ = ApiToken.issue(manager, name="walk", days=30)
    webhook = Webhook.objects.create(
        project=project, url="https://dms.example.org/hook", events=["job.finished"]
    )
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="job.finished", payload={})
    values = {
        "slug": project.slug,
        "document_id": document.pk,
        "segment_id": segment.pk,
        "position": segment.position,
        "membership_id": project.memberships.get(user=translator).pk,
        "unit_id": unit.pk,
        "term_id": term.pk,
        "job_id": job.pk,
        "comment_id": comment.pk,
        "annotation_id": annotation.pk,
        "revision_id": revision.pk,
        "export_id": export.pk,
        "candidate_id": candidate.pk,
        "lesson_id": lesson.pk,
        "error_id": lqa_error.pk,
        "notification_id": notification.pk,
        "token_id": token.pk,
        "webhook_id": webhook.pk,
        "delivery_id": delivery.pk,
        "rest": "no/such/address",
        "name": "progress",
        "file_format": "csv",
        "uidb64": "MQ",
        "token": "not-a-token",
    }
    users = {
        "manager": manager,
        "translator": translator,
        "reviewer": reviewer,
        "outsider": outsider,
        "other_manager": other_manager,
    }
    return values, users


def url_of(name, pattern, values):
    wanted = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    missing = [key for key in wanted if key not in values]
    assert not missing, f"The walk has no value for {missing} of URL “{name}”; add one to `world`."
    return reverse(name, kwargs={key: values[key] for key in wanted})


def expected(rule, persona):
    """The statuses the rule allows for the persona; None means "served": anything but
    a refusal or a server error."""
    if rule is NONE:
        return {405}
    if rule == OWN:
        return None
    if rule == API:
        return {404}  # an address the API does not have, as a problem document
    if rule == OWNER:
        return None if persona == "manager" else {404}
    if rule == CREATOR:
        return None if persona == "manager" else {403}
    if persona not in ROLE:
        return {404}
    return None if ROLE[persona] in rule else {403}


def ask(client, user, method, url, data=None):
    client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method.lower())(url, data or {})
        transaction.set_rollback(True)
    return response.status_code


def test_every_url_has_a_rule():
    unruled = [
        f"{name} ({pattern.pattern})"
        for namespace, name, pattern in project_patterns()
        if namespace not in NAMESPACE_RULES and name not in RULES
    ]
    assert unruled == [], "Add a rule to RULES for: " + ", ".join(unruled)
    stale = set(RULES) - {name for _, name, _ in project_patterns()}
    assert stale == set(), f"RULES names URLs that no longer exist: {sorted(stale)}"


def test_each_persona_gets_what_its_role_allows_on_every_url(world):
    values, users = world
    client = Client(raise_request_exception=False)
    wrong = []
    for namespace, name, pattern in project_patterns():
        if namespace in NAMESPACE_RULES:
            continue
        url = url_of(name, pattern, values)
        for method, rule in zip(("GET", "POST"), RULES[name], strict=True):
            for persona in PERSONAS:
                status = ask(client, users[persona], method, url)
                allowed = expected(rule, persona)
                ok = (
                    status < 500 and status not in REFUSED if allowed is None else status in allowed
                )
                if not ok:
                    wanted = "served" if allowed is None else sorted(allowed)
                    wrong.append(f"{method} {url} as {persona}: {status}, expected {wanted}")
    assert wrong == [], "\n".join(wrong)


def test_hostile_queries_never_cause_a_server_error(world):
    """Out-of-range dates, huge numbers, unknown choices and over-long searches: each
    page answers, for a manager (who may open every page), without a server error."""
    values, users = world
    client = Client(raise_request_exception=False)
    failed = []
    for namespace, name, pattern in project_patterns():
        if namespace in NAMESPACE_RULES or RULES[name][0] is NONE:
            continue
        url = url_of(name, pattern, values)
        status = ask(client, users["manager"], "GET", url, HOSTILE_QUERY)
        if status >= 500:
            failed.append(f"GET {url}: {status}")
    assert failed == [], "\n".join(failed)


def test_a_date_out_of_range_in_any_query_is_refused_with_400(world):
    values, users = world
    client = Client(raise_request_exception=False)
    for namespace, name, pattern in project_patterns():
        if namespace in NAMESPACE_RULES or RULES[name][0] is NONE:
            continue
        url = url_of(name, pattern, values)
        for date in ("0001-01-01", "9999-12-31", "123456-01-01"):
            assert ask(client, users["manager"], "GET", url, {"since": date}) == 400, url


def test_a_nul_byte_in_any_query_is_refused_with_400(world):
    values, users = world
    client = Client(raise_request_exception=False)
    for namespace, name, pattern in project_patterns():
        if namespace in NAMESPACE_RULES or RULES[name][0] is NONE:
            continue
        url = url_of(name, pattern, values)
        assert ask(client, users["manager"], "GET", url, {"q": "a\x00b"}) == 400, url
        assert ask(client, users["manager"], "POST", url, {"text": "a\x00b"}) in {400, 405}, url


def test_admin_pages_are_for_staff_only(world):
    _, users = world
    client = Client()
    for namespace, sample in NAMESPACE_SAMPLES.items():
        assert NAMESPACE_RULES[namespace] == STAFF
        url = reverse(sample)
        for persona in PERSONAS:
            client.force_login(users[persona])
            response = client.get(url)
            assert response.status_code == 302, (url, persona)
            assert "/admin/login/" in response["Location"]
    staff = User.objects.create_user("sam", password="x" * 20, is_staff=True, is_superuser=True)
    assert ask(client, staff, "GET", reverse("admin:index")) == 200
