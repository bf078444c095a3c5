"""The memory's pages: who may see and change what, search, import with its problems
shown, TMX download, concordance, pre-translation and the matches fragment."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from translate.storage import tmx

from workbench.documents.models import Document, Segment
from workbench.jobs.models import Job
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory


@pytest.fixture
def unit(project):
    return project_memory(project).units.create(
        source="The appeal is <b>dismissed</b>.",
        target="上訴駁回。",
        source_language="en",
        target_language="zh-Hant-HK",
        origin="import",
        quality="translated",
    )


@pytest.fixture
def document(project):
    document = Document.objects.create(
        project=project,
        title="Judgment",
        original_filename="j.txt",
        original_file="x.txt",
        format="txt",
        status="ready",
    )
    Segment.objects.create(
        document=document,
        position=1,
        source="The appeal is <b>dismissed</b>.",
        source_hash=Segment.hash_source("The appeal is <b>dismissed</b>."),
    )
    return document


def urls(project, unit, document):
    slug = project.slug
    return {
        "list": reverse("tm_units", args=[slug]),
        "add": reverse("tm_unit_add", args=[slug]),
        "edit": reverse("tm_unit_edit", args=[slug, unit.pk]),
        "import": reverse("tm_import", args=[slug]),
        "export": reverse("tm_export", args=[slug]),
        "concordance": reverse("concordance", args=[slug]),
        "pretranslate": reverse("tm_pretranslate", args=[slug, document.pk]),
        "matches": reverse("tm_segment_matches", args=[slug, document.pk, 1]),
    }


def test_it_answers_404_to_outsiders(client_for, outsider, project, unit, document):
    client = client_for(outsider)
    for name, url in urls(project, unit, document).items():
        assert client.get(url).status_code == 404, name
    delete = reverse("tm_unit_delete", args=[project.slug, unit.pk])
    assert client.post(delete).status_code == 404
    assert TranslationUnit.objects.filter(pk=unit.pk).exists()


def test_it_lets_every_member_view_and_search(client_for, translator, project, unit, document):
    client = client_for(translator)
    for name in ["list", "concordance", "matches"]:
        assert client.get(urls(project, unit, document)[name]).status_code == 200, name


def test_it_refuses_changes_by_translators(client_for, translator, project, unit, document):
    client = client_for(translator)
    for name in ["add", "edit", "import", "export", "pretranslate"]:
        assert client.get(urls(project, unit, document)[name]).status_code == 403, name
    assert (
        client.post(
            reverse("tm_unit_edit", args=[project.slug, unit.pk]),
            {"source": "Changed.", "target": "改了。"},
        ).status_code
        == 403
    )
    assert client.post(reverse("tm_unit_delete", args=[project.slug, unit.pk])).status_code == 403
    unit.refresh_from_db()
    assert unit.source == "The appeal is <b>dismissed</b>."


def test_it_escapes_unit_text_and_searches_as_you_type(client_for, reviewer, project, unit):
    client = client_for(reviewer)
    page = client.get(reverse("tm_units", args=[project.slug])).content.decode()
    assert "&lt;b&gt;dismissed&lt;/b&gt;" in page and "<b>dismissed" not in page
    partial = client.get(
        reverse("tm_units", args=[project.slug]), {"q": "駁回"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode() and "上訴駁回" in partial.content.decode()
    empty = client.get(
        reverse("tm_units", args=[project.slug]), {"q": "nowhere"}, HTTP_HX_REQUEST="true"
    )
    assert "No unit contains" in empty.content.decode()


def test_managers_add_edit_and_delete_units(client_for, manager, project, unit):
    client = client_for(manager)
    response = client.post(
        reverse("tm_unit_add", args=[project.slug]),
        {"source": " Costs follow the event. ", "target": "訟費依循結果。"},
    )
    assert response.status_code == 302
    added = TranslationUnit.objects.get(source="Costs follow the event.")
    assert (added.created_by, added.origin) == (manager, "project")
    client.post(
        reverse("tm_unit_edit", args=[project.slug, added.pk]),
        {"source": "Costs follow the event.", "target": "訟費跟隨結果。"},
    )
    added.refresh_from_db()
    assert added.target == "訟費跟隨結果。" and added.target_hash == TranslationUnit.hash_text(
        "訟費跟隨結果。"
    )
    client.post(reverse("tm_unit_delete", args=[project.slug, added.pk]))
    assert not TranslationUnit.objects.filter(pk=added.pk).exists()


def test_it_refuses_a_duplicate_or_empty_unit(client_for, manager, project, unit):
    client = client_for(manager)
    response = client.post(
        reverse("tm_unit_add", args=[project.slug]), {"source": unit.source, "target": unit.target}
    )
    assert "already holds this source" in response.content.decode()
    response = client.post(
        reverse("tm_unit_add", args=[project.slug]), {"source": "A.", "target": "  "}
    )
    assert response.status_code == 200
    assert TranslationUnit.objects.count() == 1


def test_it_shows_every_problem_of_a_refused_import(client_for, manager, project, unit):
    upload = SimpleUploadedFile("memory.csv", "One.,一。\nTwo.,\n,三。\n".encode())
    response = client_for(manager).post(reverse("tm_import", args=[project.slug]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was stored" in page
    assert "<strong>row 2</strong>: the target text is empty or missing" in page
    assert "<strong>row 3</strong>: the source text is empty" in page
    assert TranslationUnit.objects.count() == 1


def test_it_imports_a_file_and_says_how_many_units(client_for, manager, project, unit):
    upload = SimpleUploadedFile(
        "memory.csv", "One.,一。\nThe appeal is <b>dismissed</b>.,上訴駁回。\n".encode()
    )
    response = client_for(manager).post(
        reverse("tm_import", args=[project.slug]), {"file": upload}, follow=True
    )
    assert "1 new units, 1 merged" in response.content.decode()
    assert TranslationUnit.objects.count() == 2


def test_it_downloads_the_memory_as_tmx(client_for, manager, project, unit):
    response = client_for(manager).get(reverse("tm_export", args=[project.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="hk-memory.tmx"'
    store = tmx.tmxfile.parsestring(b"".join(response.streaming_content))
    assert [(u.source, u.target) for u in store.units] == [(unit.source, unit.target)]


def test_it_highlights_concordance_hits_safely(client_for, translator, project, unit):
    client = client_for(translator)
    response = client.get(
        reverse("concordance", args=[project.slug]), {"q": "<b>dismissed", "side": "source"}
    )
    page = response.content.decode()
    assert "The appeal is <mark>&lt;b&gt;dismissed</mark>&lt;/b&gt;." in page
    partial = client.get(
        reverse("concordance", args=[project.slug]),
        {"q": "駁回", "side": "target"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "上訴<mark>駁回</mark>。" in partial and "<html" not in partial


def test_it_shows_matches_for_a_segment(client_for, translator, project, unit, document):
    page = client_for(translator).get(urls(project, unit, document)["matches"]).content.decode()
    assert "100%" in page and "上訴駁回。" in page and "&lt;b&gt;" in page


def test_managers_start_a_pretranslation_job(
    client_for, manager, project, unit, document, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    form = client.get(reverse("tm_pretranslate", args=[project.slug, document.pk])).content.decode()
    assert 'value="75"' in form
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("tm_pretranslate", args=[project.slug, document.pk]), {"threshold": 90}
        )
    job = Job.objects.get()
    assert (job.kind, job.document, job.params) == ("pretranslate", document, {"threshold": 90})
    assert reverse("job_progress", args=[project.slug, job.pk]) in response.content.decode()


def test_it_refuses_a_threshold_out_of_range(client_for, manager, project, document):
    response = client_for(manager).post(
        reverse("tm_pretranslate", args=[project.slug, document.pk]), {"threshold": 20}
    )
    assert "greater than or equal to 50" in response.content.decode()
    assert not Job.objects.exists()
