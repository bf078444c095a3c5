"""Personas and a project, shared by every test: a manager, a translator, a reviewer
and an outsider (a logged-in user who is not a member)."""

import pytest
from django.contrib.auth.models import Permission, User

from workbench.projects.models import Membership, Project

pytest_plugins = ["tests.loopback_llm", "tests.api_fixtures"]

PASSWORD = "correct horse battery staple"


def make_user(username, **extra):
    return User.objects.create_user(username, f"{username}@example.com", PASSWORD, **extra)


@pytest.fixture
def manager(db):
    user = make_user("mandy")
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    return user


@pytest.fixture
def translator(db):
    return make_user("tom")


@pytest.fixture
def reviewer(db):
    return make_user("rita")


@pytest.fixture
def outsider(db):
    return make_user("otto")


def make_project(slug, name, source, target, members):
    project = Project.objects.create(
        name=name, slug=slug, source_language=source, target_language=target
    )
    for user, role in members:
        Membership.objects.create(project=project, user=user, role=role)
    return project


@pytest.fixture
def project(manager, translator, reviewer):
    """English → Traditional Chinese (Hong Kong), the workbench's first pair."""
    members = [(manager, "manager"), (translator, "translator"), (reviewer, "reviewer")]
    return make_project("hk", "HK judgments", "en", "zh-Hant-HK", members)


@pytest.fixture
def zh_project(manager, translator, reviewer):
    members = [(manager, "manager"), (translator, "translator"), (reviewer, "reviewer")]
    return make_project("zh-en", "Chinese to English", "zh-Hant-HK", "en", members)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests do not run collectstatic, so no manifest: serve static files by name."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores files in its own folder, so 'nothing stored' can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
