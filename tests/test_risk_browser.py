"""The risk of each row in the editor: a traffic light with its word, the reasons in the
panel, and the "Risk" filter, in a real Chromium."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, page_for, trouble  # noqa: F401
from workbench.documents import lifecycle
from workbench.documents.models import Document, Segment

RISKS = ["low", "high", "medium", "low", "high", ""]


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="HCAL 5/2024",
        original_filename="x.txt",
        format="txt",
        status="ready",
    )
    segments = Segment.objects.bulk_create(
        Segment(document=document, position=n, source=f"Sentence {n}.", source_hash=str(n))
        for n in range(1, len(RISKS) + 1)
    )
    lifecycle.write_drafts(
        {s.pk: (0, f"第{n}句。") for n, s in enumerate(segments, 1)},
        risks={
            s.pk: (risk, [{"level": risk, "reason": f"Reason for {n}."}])
            for n, (s, risk) in enumerate(zip(segments, RISKS, strict=True), 1)
            if risk
        },
    )
    return document


def rows(page):
    return page.locator("#grid tr.seg")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_filters_by_risk_and_reads_the_reasons(
    page_for,  # noqa: F811
    reviewer,
    document,
    trouble,  # noqa: F811
):
    page = page_for(reviewer)
    page.goto(reverse("editor", args=[document.project.slug, document.pk]))
    expect(rows(page)).to_have_count(6)
    # Colour and word: the light of row 2 says "High risk".
    expect(page.locator('tr[data-position="2"] .risk-light')).to_have_text("High risk")
    expect(page.locator('tr[data-position="6"] .risk-light')).to_have_count(0)

    page.get_by_role("checkbox", name="High").check()
    expect(rows(page)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"risk=high"))
    assert rows(page).evaluate_all("rows => rows.map(r => r.dataset.position)") == ["2", "5"]

    page.get_by_role("checkbox", name="Medium").check()
    expect(rows(page)).to_have_count(3)

    # The panel of a row gives the reasons.
    page.locator('tr[data-position="3"] td.src').click()
    expect(page.locator("#panel section.risk")).to_contain_text("Medium risk")
    expect(page.locator("#panel section.risk")).to_contain_text("Reason for 3.")
    assert trouble == []
