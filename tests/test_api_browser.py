"""The API's pages in Chromium: a person creates a token on the account page, uses it,
and revokes it; the interactive documentation draws every operation from the vendored
Swagger UI, asking no other origin for anything."""

import httpx
import pytest

from tests.browser import chromium, page_for, trouble  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_creates_uses_and_revokes_a_token(
    project,
    translator,
    page_for,  # noqa: F811
    trouble,  # noqa: F811
    live_server,
):
    page = page_for(translator)
    page.goto("/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("court DMS sync")
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Create token").click()

    token = page.locator("#token-value").inner_text()
    headers = {"Authorization": f"Bearer {token}"}
    projects = httpx.get(f"{live_server.url}/api/v1/projects", headers=headers).json()
    assert [p["slug"] for p in projects] == ["hk"]

    page.goto("/account/tokens/")
    assert token not in page.content()
    assert "never" not in page.locator("#tokens").inner_text()  # its use was recorded
    page.get_by_role("button", name="Revoke").click()
    assert "revoked" in page.locator("#tokens").inner_text()
    refused = httpx.get(f"{live_server.url}/api/v1/projects", headers=headers)
    assert refused.status_code == 401
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_documentation_draws_every_operation_from_the_vendored_swagger_ui(
    translator,
    page_for,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(translator)
    page.goto("/api/v1/docs/")

    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 46
    assert "Legal translation workbench API" in page.locator(".info").inner_text()
    assert trouble == []
