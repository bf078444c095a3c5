"""The project manager's day in Chromium: a new project set up from an existing one, the
judgment imported, its analysis read, and the work assigned, with the assign form's refusals read as the
sentences a person sees.

With WORKBENCH_SCREENSHOTS=1 it also writes docs/project-from-template.png and
docs/assign-errors.png."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser import DEMO_JUDGMENT, chromium, page_for, trouble  # noqa: F401
from workbench.documents.models import Assignment
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.memory.models import Analysis, Term
from workbench.projects.models import Project

DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map(element => element.id);
  return ids.filter((id, index) => ids.indexOf(id) !== index);
}"""


def screenshot(page, name):
    if os.environ.get("WORKBENCH_SCREENSHOTS") == "1":
        page.screenshot(path=str(Path(settings.BASE_DIR) / "docs" / name), full_page=True)


def error_of(page, field):
    """The error the field's aria-describedby points at: what a screen reader reads."""
    box = page.locator(f"#id_assign-{field}")
    assert box.get_attribute("aria-invalid") == "true"
    described = box.get_attribute("aria-describedby").split()
    error = next(part for part in described if part.endswith("_error"))
    return page.locator(f"#{error}").inner_text().strip()


def assign(page, person, work, first="", last="", confirm=False):
    page.select_option("#id_assign-assignee", label=person)
    page.select_option("#id_assign-role", label=work)
    page.fill("#id_assign-first_position", str(first))
    page.fill("#id_assign-last_position", str(last))
    if confirm:
        page.check("#id_assign-confirm_translate")
    page.click("button[name=assign]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_sets_up_a_project_from_a_template_imports_and_assigns(
    project,
    manager,
    translator,
    reviewer,
    page_for,  # noqa: F811
    trouble,  # noqa: F811
):
    project.tm_threshold, project.agent_max_rounds = 85, 3
    project.agent_models = {"translator": "gpt-4.1"}
    project.save()
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    page = page_for(manager)

    # A new project, set up like "HK judgments".
    page.goto(reverse("project_create"))
    assert page.locator("#id_target_language").get_attribute("list") == "id_target_language_choices"
    offered = page.locator("#id_target_language_choices option").evaluate_all(
        "options => options.slice(0, 4).map(o => o.value)"
    )
    assert offered == ["en", "zh-Hant-HK", "zh-Hans-CN", "zh-Hant-TW"]
    page.select_option("#id_template", label="HK judgments")
    page.fill("#id_name", "HKSAR v Chan Tai Man")
    assert page.input_value("#id_slug") == "hksar-v-chan-tai-man"  # filled as the name is typed
    page.fill("#id_target_language", "ZH_hant_hk")
    page.fill("#id_source_language", "en")
    screenshot(page, "project-from-template.png")
    page.click("button:has-text('Create')")
    page.wait_for_url("**/projects/hksar-v-chan-tai-man/")
    assert "set up like “HK judgments”" in page.content()
    copy = Project.objects.get(slug="hksar-v-chan-tai-man")
    assert (copy.target_language, copy.tm_threshold, copy.agent_models) == (
        "zh-Hant-HK",
        85,
        {"translator": "gpt-4.1"},
    )
    assert list(copy.terms.values_list("source_term", flat=True)) == ["appellant"]
    assert dict(copy.memberships.values_list("user__username", "role")) == {
        "mandy": "manager",
        "tom": "translator",
        "rita": "reviewer",
    }

    # The judgment, imported.
    page.goto(reverse("document_upload", args=[copy.slug]))
    page.set_input_files("#id_files", str(DEMO_JUDGMENT))
    page.click("button:has-text('Upload and segment')")
    page.wait_for_selector("#upload-results .success")
    document = copy.documents.get()
    assert document.segments.count() > 20

    # The analysis the import queued, run (here, in the test's process), and read: the
    # words by TM match band and the repetitions, adding up to the judgment's words.
    analysis_job = Job.objects.get(kind="analysis", document=document)
    run_job(analysis_job.pk)
    page.goto(reverse("document_detail", args=[copy.slug, document.pk]))
    page.get_by_role("link", name="Analysis", exact=True).click()
    table = page.locator("#analysis-table")
    table.wait_for()
    analysis = Analysis.objects.get(job=analysis_job)
    words = sum(document.segments.values_list("word_count", flat=True))
    bands = [row for row in analysis.rows if row["band"] != "total"]
    assert sum(row["words"] for row in bands) == analysis.rows[-1]["words"] == words
    for row in analysis.rows:
        cells = table.locator(f'tr[data-band="{row["band"]}"] td').all_inner_texts()
        assert cells[:2] == [str(row["segments"]), str(row["words"])]

    # The work, assigned; each mistake refused with a sentence tied to its field.
    page.goto(reverse("document_assign", args=[copy.slug, document.pk]))
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.locator("#id_assign-role").input_value() == "translator"

    assign(page, "tom (translator)", "Translate", first=12, last=3)
    assert error_of(page, "last_position") == (
        "The range 12–3 runs backwards: enter the lower segment number first, e.g. 3–12."
    )
    assert "Constraint" not in page.content()
    screenshot(page, "assign-errors.png")

    assign(page, "tom (translator)", "Translate", first=1, last=12)
    assert "tom was assigned segments 1–12." in page.locator(".messages, main").first.inner_text()

    assign(page, "tom (translator)", "Translate", first=10, last=20)
    assert (
        "tom is already assigned to translate segments 1–12. Choose segments outside that "
        "range, or remove the earlier assignment first."
    ) in page.locator("main").inner_text()

    assign(page, "rita (reviewer)", "Translate", first=13, last=20)
    assert error_of(page, "confirm_translate").startswith(
        "rita is a reviewer in this project. To have them translate, tick"
    )
    assign(page, "rita (reviewer)", "Review")
    assert page.evaluate(DUPLICATE_IDS) == []

    assert sorted(
        Assignment.objects.filter(document=document).values_list(
            "assignee__username", "role", "first_position", "last_position"
        )
    ) == [("rita", "reviewer", None, None), ("tom", "translator", 1, 12)]
    assert trouble == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_chinese_name_leaves_the_address_to_the_server(
    manager,
    page_for,  # noqa: F811
    trouble,  # noqa: F811
):
    page = page_for(manager)
    page.goto(reverse("project_create"))
    page.fill("#id_name", "Re Wong")
    assert page.input_value("#id_slug") == "re-wong"
    page.fill("#id_name", "香港特別行政區 訴 陳大文")
    assert page.input_value("#id_slug") == ""
    page.fill("#id_source_language", "zh-Hant-HK")
    page.fill("#id_target_language", "en-GB")
    page.click("button:has-text('Create')")
    page.wait_for_url("**/projects/zh-en/")
    assert Project.objects.get(slug="zh-en").name == "香港特別行政區 訴 陳大文"
    assert trouble == []
