"""Hostile text everywhere the editor shows text: in the source (imported from a TXT
file), the file name, the target, a comment, a suggestion, an issue, a glossary term,
the history, the live QA and the conflict view. Nothing runs, nothing opens, nothing is
fetched from elsewhere."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium, page_for, trouble  # noqa: F401
from workbench.documents.services import import_document
from workbench.memory.models import Term
from workbench.translation.models import Annotation, Comment, Suggestion
from workbench.translation.services import do_save_target

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>window.__xss=1</script>'
LINK = '<a href="javascript:alert(2)">the record</a>'
SOURCE = (
    f"The appellant wrote {IMG} in the margin.\n\n"
    f"He then said {SCRIPT} to the court.\n\n"
    f"See {LINK} and javascript:alert(3) for the rest.\n"
)
FILENAME = f"{IMG}{SCRIPT.replace('/', '')}.txt"


@pytest.fixture
def hostile_document(project, manager, translator, reviewer):
    document = import_document(
        project, data=SOURCE.encode(), filename=FILENAME, user=manager, format="txt"
    )
    first, second, third = document.segments.order_by("position")[:3]
    do_save_target(first, user=translator, role="translator", text=f"上訴人{IMG}", base_version=0)
    do_save_target(third, user=reviewer, role="reviewer", text=f"{LINK}{SCRIPT}", base_version=0)
    Comment.objects.create(segment=first, author=reviewer, text=f"{SCRIPT}\n{LINK}\n{IMG}")
    Suggestion.objects.create(
        segment=first, kind="draft", text=f"上訴人{SCRIPT}", agent_role="translator"
    )
    Annotation.objects.create(
        segment=first,
        source="annotator",
        category="fluency",
        severity="minor",
        span=IMG,
        suggestion=SCRIPT,
        explanation=LINK,
    )
    Term.objects.create(project=project, source_term="appellant", target_term=IMG)
    return document


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hostile_text_is_shown_as_text_and_never_runs(
    page_for,  # noqa: F811
    translator,
    reviewer,
    hostile_document,
    trouble,  # noqa: F811
    live_server,
):
    page = page_for(translator)
    dialogs, requests = [], []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    page.on("request", lambda request: requests.append(request.url))
    page.goto(reverse("editor", args=[hostile_document.project.slug, hostile_document.pk]))

    # Segment 1 opens with its panel: comment, suggestion, issue, glossary and history.
    target = page.locator('tr.seg.active[data-position="1"] textarea.target-editor')
    expect(target).to_be_focused()
    expect(target).to_have_value(f"上訴人{IMG}")
    panel = page.locator("#panel")
    expect(panel.locator(".thread")).to_contain_text("window.__xss=1")
    expect(panel.locator(".offer")).to_have_attribute("data-text", f"上訴人{SCRIPT}")
    expect(panel.locator(".offer del").first).to_have_text("img src=x onerror")
    expect(panel.locator(".annotation").filter(has_text="Annotator agent")).to_contain_text(IMG)
    expect(panel.locator(".terms")).to_contain_text(IMG)
    expect(page.locator("h1")).to_contain_text(IMG)
    expect(page.locator('tr.seg[data-position="3"] td.tgt')).to_have_text(f"{LINK}{SCRIPT}")

    # Typed hostile text goes through the live QA and a save, then into a conflict.
    page.keyboard.type(SCRIPT + "3")
    expect(page.locator("#qa-warnings")).to_contain_text("Number or date")
    page.keyboard.press("Control+s")
    expect(page.locator('tr.seg[data-position="1"]')).to_have_attribute("data-version", "2")
    first = hostile_document.segments.get(position=1)
    do_save_target(first, user=reviewer, role="reviewer", text=SCRIPT + IMG, base_version=2)
    page.keyboard.type(IMG)
    page.keyboard.press("Control+s")
    expect(page.locator(".conflict .theirs")).to_have_text(SCRIPT + IMG)
    page.keyboard.press("Control+1")  # the suggestion with a script tag goes in as text
    expect(target).to_have_value(f"上訴人{SCRIPT}")

    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("#editor img, #editor script, a[href^='javascript']").count() == 0
    origin = live_server.url
    assert [url for url in requests if not url.startswith(origin + "/")] == []
    assert [url for url in requests if urlparse(url).path.rsplit("/", 1)[-1] == "x"] == []
    # The one 409 the conflict answered is the only line in the console.
    assert trouble == [
        "console: Failed to load resource: the server responded with a status of 409 (Conflict)"
    ]
