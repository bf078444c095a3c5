"""The dashboard in Chromium: every chart is drawn, nothing goes wrong in the console.

With WORKBENCH_SCREENSHOTS=1 it also writes docs/dashboard.png."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser import chromium, page_for, trouble  # noqa: F401
from tests.dashboard_team import team  # noqa: F401
from workbench.dashboard.models import ModelPrice

CHARTS = ["progress-data", "people-data", "acceptance-data", "agents-data"]

# How many pixels of a canvas are painted: 0 for a chart that was never drawn.
PAINTED = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_charts_are_drawn_without_errors(team, page_for, trouble):  # noqa: F811
    ModelPrice.objects.create(
        model="gpt-4.1-mini", input_per_million=Decimal("0.4"), output_per_million=Decimal("1.6")
    )
    ModelPrice.objects.create(
        model="qwen2.5-72b-instruct",
        input_per_million=Decimal("0.9"),
        output_per_million=Decimal("0.9"),
    )
    page = page_for(team.manager, height=1000)

    page.goto(reverse("dashboard", args=[team.project.slug]))

    for name in CHARTS:
        canvas = page.locator(f'canvas[data-chart="{name}"]')
        assert canvas.count() == 1
        assert page.evaluate("c => Boolean(Chart.getChart(c))", canvas.element_handle())
        assert canvas.evaluate(PAINTED) > 1000, f"{name} is blank"
    assert page.locator("tr.overdue").count() >= 1
    assert page.locator("#acceptance-headline .kpi-value").inner_text().strip()
    assert trouble == []

    if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
        path = Path(settings.BASE_DIR) / "docs" / "dashboard.png"
        page.screenshot(path=str(path), full_page=True)
