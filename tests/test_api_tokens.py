"""API tokens: created and revoked by their owner on the account page, shown once and
stored only as a digest; what a call without a usable token is told; throttling."""

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api_fixtures import ApiClient
from workbench.api.auth import TokenThrottle
from workbench.api.models import ApiToken


def test_the_account_page_shows_a_new_token_once_and_stores_only_its_digest(client_for, translator):
    client = client_for(translator)

    response = client.post("/account/tokens/", {"name": "court DMS sync", "days": "30"})

    page = response.content.decode()
    token = ApiToken.objects.get(user=translator)
    shown = page.split('id="token-value">')[1].split("<")[0]
    assert shown.startswith("wbt_") and len(shown) > 40
    assert token.digest == ApiToken.digest_of(shown)
    assert shown not in {token.digest, token.shown, token.name}
    assert token.expires_at - timezone.now() > timedelta(days=29)
    assert "no-store" in response["Cache-Control"]
    assert shown not in client.get("/account/tokens/").content.decode()


def test_the_token_works_until_its_owner_revokes_it(client_for, translator):
    row, token = ApiToken.issue(translator, name="sync", days=30)
    api = ApiClient(token)
    assert api.get("/api/v1/me").json() == {
        "username": "tom",
        "token_name": "sync",
        "token_expires_at": api.get("/api/v1/me").json()["token_expires_at"],
    }

    client_for(translator).post(f"/account/tokens/{row.pk}/revoke/")

    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_nobody_revokes_another_persons_token(client_for, translator, reviewer):
    row, _ = ApiToken.issue(translator, name="sync", days=30)

    response = client_for(reviewer).post(f"/account/tokens/{row.pk}/revoke/")

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_account_page_needs_a_login(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_token_records_when_it_was_last_used(translator):
    row, token = ApiToken.issue(translator, name="sync", days=30)

    ApiClient(token).get("/api/v1/projects")

    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize(
    "header, says",
    [
        (None, "needs an API token"),
        ("Token abc", "must read “Bearer <token>”"),
        ("Bearer wbt_not-a-real-one", "not known to the workbench"),
    ],
)
def test_a_call_without_a_usable_token_is_told_what_to_do(client, db, header, says):
    headers = {"Authorization": header} if header else {}

    response = client.get("/api/v1/projects", headers=headers)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    problem = response.json()
    assert problem["type"].endswith("#unauthenticated")
    assert problem["status"] == 401
    assert says in problem["detail"]


def test_an_expired_token_is_refused(translator):
    row, token = ApiToken.issue(translator, name="sync", days=7)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(days=1))

    response = ApiClient(token).get("/api/v1/projects")

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_deactivated_persons_token_is_refused(translator):
    _, token = ApiToken.issue(translator, name="sync", days=7)
    translator.is_active = False
    translator.save()

    assert ApiClient(token).get("/api/v1/projects").status_code == 401


def test_each_token_has_its_own_budget_of_calls_per_minute(
    settings, monkeypatch, translator, reviewer
):
    settings.WORKBENCH_API_CALLS_PER_MINUTE = 3
    # 20 seconds into a minute, so that the window cannot turn during the test; a minute of
    # its own, so that counts left in Redis by another run (same token ids) cannot reach it.
    minute = 60.0 * (30_000_000 + secrets.randbelow(10**7))
    monkeypatch.setattr(TokenThrottle, "clock", staticmethod(lambda: minute + 20))
    api = ApiClient(ApiToken.issue(translator, name="busy", days=7)[1])
    other = ApiClient(ApiToken.issue(reviewer, name="calm", days=7)[1])

    answers = [api.get("/api/v1/projects") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[3]
    assert refused["Retry-After"] == "40"
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["type"].endswith("#throttled")
    assert "wait 40 seconds" in refused.json()["detail"]
    assert other.get("/api/v1/projects").status_code == 200
