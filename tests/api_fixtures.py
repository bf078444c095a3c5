"""Fixtures of the REST API's tests: a client that calls with a person's token, a
judgment imported through the real importer, and a second project with its own manager."""

import json

import pytest
from django.test import Client

from workbench.api.models import ApiToken
from workbench.documents.services import import_document

JUDGMENT = (
    "The appeal is dismissed.\n\n"
    "The appellant was convicted under s. 9 of the Theft Ordinance (Cap. 210).\n\n"
    "The respondent was ordered to pay HK$38,500.50.\n\n"
    "The appeal is dismissed.\n"
)


class ApiClient(Client):
    """A test client that sends the token, and JSON bodies as JSON."""

    def __init__(self, token):
        super().__init__(headers={"Authorization": f"Bearer {token}"})
        self.token = token

    def send(self, method, path, body=None, **extra):
        if body is None:
            return self.generic(method, path, **extra)
        return self.generic(
            method, path, json.dumps(body), content_type="application/json", **extra
        )


@pytest.fixture
def api_for(db):
    """api_for(user) -> an ApiClient calling as that user."""

    def make(user):
        _, token = ApiToken.issue(user, name="tests", days=30)
        return ApiClient(token)

    return make


@pytest.fixture
def judgment(project, manager):
    return import_document(
        project, data=JUDGMENT.encode(), filename="FACV 1-2024.txt", user=manager
    )


@pytest.fixture
def other_manager(db):
    """The manager of another project: a stranger to `project`."""
    from tests.conftest import make_project, make_user

    person = make_user("olga")
    make_project("tw", "Taiwan contracts", "en", "zh-Hant-TW", [(person, "manager")])
    return person
