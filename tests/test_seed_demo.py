"""`manage.py seed_demo`: the logins, projects and documents a new user starts from, safe
to rerun. These tests seed with --empty (no two weeks of work, which test_demo_story.py
covers), so they stay quick."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from workbench.documents.models import Document, Revision, Segment
from workbench.projects.models import Membership, Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.WORKBENCH_DEMO = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Three demo users per seed at the production hasher's cost would make this module slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logs_in(client, username, password):
    """Through the login page, as a person does (django-axes needs the request)."""
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def seed(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--empty", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return {
        "users": User.objects.count(),
        "projects": Project.objects.count(),
        "memberships": Membership.objects.count(),
        "documents": Document.objects.count(),
        "segments": Segment.objects.count(),
    }


def test_it_creates_both_projects_with_their_documents():
    seed()
    hk = Project.objects.get(slug="hk-judgments")
    zh = Project.objects.get(slug="zh-judgments")
    assert (hk.name, hk.source_language, hk.target_language) == (
        "HK judgments (EN → ZH)",
        "en",
        "zh-Hant-HK",
    )
    assert (zh.name, zh.source_language, zh.target_language) == (
        "Chinese judgments (ZH → EN)",
        "zh-Hant-HK",
        "en",
    )
    assert hk.is_demo and zh.is_demo
    docx = hk.documents.get(original_filename="hk_judgment_facc_2024.docx")
    below = hk.documents.get(original_filename="hkca_judgment_2023_extract.txt")
    text = zh.documents.get(original_filename="zh_judgment_excerpt.txt")
    assert docx.status == below.status == text.status == Document.Status.READY
    assert docx.title == "HKSAR v Chan Tai Man, FACC 5/2024 (Court of Final Appeal)"
    assert docx.segments.count() >= 60
    assert text.segments.count() >= 13
    assert docx.segments.filter(kind=Segment.Kind.FOOTNOTE).count() >= 5
    assert text.segments.filter(source__contains="港幣50,000元").exists()


def test_it_starts_afresh_every_time_with_empty():
    seed()
    first = counts()
    out, err = seed()
    assert counts() == first
    assert first["users"] == 3 and first["projects"] == 2 and first["memberships"] == 6
    assert first["documents"] == 3
    assert "Created user" not in out
    assert not Revision.objects.exists()
    assert set(Segment.objects.values_list("status", flat=True)) == {"new"}


def test_its_logins_work_with_the_demo_password(client):
    seed()
    for username in ["manager", "translator", "reviewer"]:
        assert logs_in(client, username, "workbench-demo")
        client.logout()
        client.logout()


def test_it_gives_the_demo_users_their_roles_in_both_projects():
    seed()
    for project in Project.objects.all():
        assert {
            username: project.role_of(User.objects.get(username=username))
            for username in [
                "manager",
                "translator",
                "reviewer",
            ]
        } == {"manager": "manager", "translator": "translator", "reviewer": "reviewer"}


def test_only_the_manager_may_create_projects():
    seed()
    assert User.objects.get(username="manager").has_perm("projects.add_project")
    assert not User.objects.get(username="translator").has_perm("projects.add_project")
    assert not User.objects.get(username="reviewer").has_perm("projects.add_project")


def test_it_keeps_a_password_the_user_has_changed(client):
    seed()
    manager = User.objects.get(username="manager")
    manager.set_password("a better passphrase")
    manager.save()
    seed()
    assert logs_in(client, "manager", "a better passphrase")
    client.logout()
    assert not logs_in(client, "manager", "workbench-demo")


def test_it_says_which_document_was_refused_and_still_seeds_the_rest(settings):
    settings.MAX_UPLOAD_BYTES = 100  # every demo file is larger: every import is refused
    out, err = seed()
    assert "3 document(s) could not be imported" in err
    assert "hk_judgment_facc_2024.docx: The file is" in err
    assert "zh_judgment_excerpt.txt: The file is" in err
    assert counts() == {
        "users": 3,
        "projects": 2,
        "memberships": 6,
        "documents": 0,
        "segments": 0,
    }
    assert "manager     workbench-demo" in out


def test_it_imports_a_refused_document_when_run_again(settings):
    settings.MAX_UPLOAD_BYTES = 100
    seed()
    settings.MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    out, err = seed()
    assert "could not be imported" not in err
    assert "Imported zh_judgment_excerpt.txt" in out
    assert Project.objects.get(slug="zh-judgments").documents.count() == 1
    assert Project.objects.get(slug="hk-judgments").documents.count() == 2


def test_it_prints_the_address_and_the_logins():
    out, _ = seed()
    assert "http://127.0.0.1:8000/" in out
    assert "http://127.0.0.1:8000/projects/hk-judgments/" in out
    for username in ["manager", "translator", "reviewer"]:
        assert f"{username:<10}  workbench-demo" in out


def test_it_refuses_to_create_the_demo_logins_outside_demo_mode(settings):
    settings.WORKBENCH_DEMO = False
    with pytest.raises(CommandError, match="demo mode only"):
        seed()
    assert not User.objects.exists()


def test_it_writes_no_work_when_the_recordings_no_longer_fit(monkeypatch, tmp_path):
    """A change to the importer that cuts a demo document differently is told, not hidden:
    the demo starts empty and says why."""
    stale = tmp_path / "stale.txt"
    stale.write_text("source: Between:\nteam: 在下列雙方之間：\n", encoding="utf-8")
    monkeypatch.setattr("workbench.demo.story.recordings_path", lambda name, language: stale)
    out, err = io.StringIO(), io.StringIO()

    call_command("seed_demo", stdout=out, stderr=err)

    assert (
        "The demo has no work in it: The recordings of hk_judgment_facc_2024.docx" in err.getvalue()
    )
    assert "the importer cuts it differently now" in err.getvalue()
    assert not Revision.objects.exists()
    assert "Demo ready." in out.getvalue()


def test_starting_afresh_removes_the_old_documents_files(
    media_root, django_capture_on_commit_callbacks
):
    seed()
    first = {path.name for path in media_root.rglob("*") if path.is_file()}

    with django_capture_on_commit_callbacks(execute=True):
        seed()

    now = {path.name for path in media_root.rglob("*") if path.is_file()}
    assert len(first) == len(now) == 3 and first.isdisjoint(now)
