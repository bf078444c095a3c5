"""Are the agents learning? The dashboard charts feedback's learning metrics per week."""

import json
import re

from django.urls import reverse
from django.utils import timezone

from tests.dashboard_team import team  # noqa: F401
from workbench.feedback.models import Correction


def chart(html, name):
    found = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def test_each_prompt_version_is_a_line_week_by_week(team, client_for):  # noqa: F811
    page = client_for(team.manager).get(reverse("dashboard", args=[team.project.slug]))
    html = page.content.decode()
    acceptance = chart(html, "learning-acceptance")
    lines = {line["label"]: line["data"] for line in acceptance["datasets"]}
    assert set(lines) == {
        "translator · gpt-4.1-mini · translator-v2",
        "translator · gpt-4.1-mini · translator-v3",
    }
    corrections = list(Correction.objects.current())
    weeks = sorted({row["period_start"] for row in page.context["learning"]["rows"]})
    for label, values in lines.items():
        prompt = label.rsplit(" · ", 1)[1]
        for week, value in zip(weeks, values, strict=True):
            mine = [
                c
                for c in corrections
                if c.prompt_version == prompt
                and 0 <= (timezone.localtime(c.created_at).date() - week).days < 7
            ]
            if not mine:
                assert value is None
            else:
                kept = sum(c.edit_distance == 0 for c in mine)
                assert value == round(kept / len(mine), 3)
    assert "No corrections yet" not in html


def test_the_learning_csv_has_the_weekly_rows(team, client_for):  # noqa: F811
    url = reverse("dashboard_dataset", args=[team.project.slug, "learning"])
    text = client_for(team.manager).get(url, {"format": "csv"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("period_start,agent_role,model,prompt_version,corrections")
    assert sum(int(line.split(",")[4]) for line in lines[1:]) == Correction.objects.count()
