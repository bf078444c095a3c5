"""Managers set what a model costs per million tokens."""

from decimal import Decimal

from django.urls import reverse

from tests.conftest import make_project
from workbench.dashboard.models import ModelPrice


def prices_url(project):
    return reverse("model_prices", args=[project.slug])


def test_a_manager_sets_and_replaces_a_price(client_for, manager, project):
    client = client_for(manager)
    response = client.post(
        prices_url(project),
        {"model": " gpt-4.1 ", "input_per_million": "2", "output_per_million": "8"},
    )
    assert response.status_code == 302
    client.post(
        prices_url(project),
        {"model": "gpt-4.1", "input_per_million": "1.5", "output_per_million": "6"},
    )
    price = ModelPrice.objects.get()
    assert price.project == project
    assert (price.model, price.input_per_million, price.output_per_million) == (
        "gpt-4.1",
        Decimal("1.5"),
        Decimal("6"),
    )
    assert price.updated_by == manager


def test_it_refuses_negative_or_missing_prices_and_saves_nothing(client_for, manager, project):
    response = client_for(manager).post(
        prices_url(project),
        {"model": "gpt-4.1", "input_per_million": "-1", "output_per_million": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "greater than or equal to 0" in html
    assert "This field is required" in html
    assert not ModelPrice.objects.exists()


def test_it_refuses_a_price_that_is_not_a_number(client_for, manager, project):
    response = client_for(manager).post(
        prices_url(project),
        {"model": "gpt-4.1", "input_per_million": "cheap", "output_per_million": "1e400"},
    )
    assert "Enter a number" in response.content.decode()
    assert not ModelPrice.objects.exists()


def test_only_managers_set_prices(client_for, translator, project):
    response = client_for(translator).post(
        prices_url(project), {"model": "x", "input_per_million": "0", "output_per_million": "0"}
    )
    assert response.status_code == 403
    assert not ModelPrice.objects.exists()


def test_a_projects_price_does_not_change_another_projects_cost(
    client_for, manager, project, outsider
):
    """A manager prices the models of their own project; the same model elsewhere keeps
    the installation's price."""
    other = make_project("other", "Other", "en", "zh-Hant-HK", [(outsider, "manager")])
    ModelPrice.objects.create(
        model="gpt-4.1", input_per_million=Decimal("2"), output_per_million=Decimal("8")
    )
    client_for(manager).post(
        prices_url(project),
        {"model": "gpt-4.1", "input_per_million": "100", "output_per_million": "100"},
    )
    assert ModelPrice.prices_for(project, {"gpt-4.1"})["gpt-4.1"] == (
        Decimal("100"),
        Decimal("100"),
    )
    assert ModelPrice.prices_for(other, {"gpt-4.1"})["gpt-4.1"] == (Decimal("2"), Decimal("8"))
    installation = ModelPrice.objects.get(project=None)
    assert installation.input_per_million == Decimal("2")


def test_another_projects_manager_cannot_set_this_projects_prices(client_for, project, outsider):
    make_project("other", "Other", "en", "zh-Hant-HK", [(outsider, "manager")])
    response = client_for(outsider).post(
        prices_url(project), {"model": "x", "input_per_million": "0", "output_per_million": "0"}
    )
    assert response.status_code == 404
    assert not ModelPrice.objects.exists()
