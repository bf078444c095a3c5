"""Documents, jobs, the translation memory, the termbase and exports through the API:
uploads imported at once or refused with nothing stored, the original back, drafting
jobs, TM and glossary files in and out, lookups, and exports that are downloaded once
their job has written them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import stored_files
from workbench.documents.models import Document
from workbench.feedback.models import Export
from workbench.jobs.models import Job
from workbench.jobs.services import run_job
from workbench.memory.models import Term, TranslationUnit

P = "/api/v1/projects/hk"


def upload(api, path, name, content, **fields):
    return api.post(path, {"file": SimpleUploadedFile(name, content), **fields})


def test_an_upload_is_imported_before_the_call_returns(api_for, manager, project):
    response = upload(
        api_for(manager), P + "/documents", "ruling.txt", b"The application is refused.\n"
    )

    assert response.status_code == 201
    document = response.json()
    assert (document["status"], document["title"]) == ("ready", "ruling")
    assert document["segment_counts"]["new"] == 1
    assert Document.objects.get().created_by == manager


def test_a_refused_file_says_why_and_leaves_nothing_behind(api_for, manager, project, media_root):
    response = upload(api_for(manager), P + "/documents", "empty.txt", b"   \n")

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("#file-rejected")
    assert "no text to translate" in problem["detail"]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_the_original_comes_back_as_it_was_uploaded(api_for, translator, judgment):
    response = api_for(translator).get(f"{P}/documents/{judgment.pk}/original")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"The appeal is dismissed.")
    assert 'filename="FACV 1-2024.txt"' in response["Content-Disposition"]


def test_drafting_is_queued_for_a_range_and_its_job_can_be_watched_and_cancelled(
    settings, api_for, manager, judgment
):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    api = api_for(manager)

    started = api.send(
        "POST",
        f"{P}/documents/{judgment.pk}/drafting",
        {"scope": "positions", "first": 2, "last": 3},
    )
    job = started.json()
    watched = api.get(f"{P}/jobs/{job['id']}").json()
    cancelled = api.send("POST", f"{P}/jobs/{job['id']}/cancel")
    again = api.send("POST", f"{P}/jobs/{job['id']}/cancel")

    assert started.status_code == 202
    assert Job.objects.get().params == {"positions": [2, 3]}
    assert watched["progress"] == {"done": 0, "total": 0, "percent": 0}
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409
    assert "nothing to cancel" in again.json()["detail"]


def test_drafting_without_a_model_endpoint_says_what_to_set(settings, api_for, manager, judgment):
    settings.OPENAI_BASE_URL = ""

    response = api_for(manager).send("POST", f"{P}/documents/{judgment.pk}/drafting", {})

    assert response.status_code == 422
    assert "OPENAI_BASE_URL" in response.json()["detail"]
    assert not Job.objects.exists()


def test_a_memory_file_is_imported_and_looked_up(api_for, manager, translator, project):
    imported = upload(
        api_for(manager),
        P + "/memory/import",
        "memory.csv",
        "The appeal is dismissed.,上訴駁回。\n".encode(),
    )
    api = api_for(translator)
    matches = api.get(P + "/memory/lookup", {"text": "The appeal is dismissed."}).json()
    hits = api.get(P + "/memory/concordance", {"q": "appeal"}).json()

    assert imported.json() == {"added": 1, "merged": 0}
    assert (matches[0]["target"], matches[0]["percent"]) == ("上訴駁回。", 100)
    assert hits[0]["target"] == "上訴駁回。"


def test_a_bad_memory_file_lists_its_problems_and_stores_nothing(api_for, manager, project):
    response = upload(
        api_for(manager), P + "/memory/import", "memory.csv", b"The appeal is dismissed.,\n"
    )

    assert response.status_code == 422
    assert response.json()["problems"]
    assert not TranslationUnit.objects.exists()


def test_the_memory_exports_as_tmx(api_for, manager, project):
    api = api_for(manager)
    upload(api, P + "/memory/import", "m.csv", "Costs follow the event.,訟費跟隨結果。\n".encode())

    response = api.get(P + "/memory/export")

    assert response["Content-Type"].startswith("application/x-tmx+xml")
    assert "訟費跟隨結果。" in b"".join(response.streaming_content).decode()


def test_the_glossary_is_imported_searched_recognised_and_exported(
    api_for, manager, translator, project
):
    imported = upload(
        api_for(manager),
        P + "/glossary/import",
        "terms.csv",
        "source_term,target_term\nappellant,上訴人\n".encode(),
    )
    api = api_for(translator)
    found = api.get(P + "/glossary/terms", {"q": "appell"}).json()
    recognised = api.get(P + "/glossary/lookup", {"text": "The appellants appealed."}).json()
    exported = api_for(manager).get(P + "/glossary/export", {"format": "csv"})

    assert imported.json() == {"added": 1, "updated": 0}
    assert [term["target_term"] for term in found] == ["上訴人"]
    assert recognised[0]["text"] == "appellants"
    assert "上訴人" in exported.content.decode("utf-8-sig")
    assert Term.objects.count() == 1


def test_an_export_is_started_watched_and_downloaded_once_written(api_for, manager, judgment):
    api = api_for(manager)
    api.send(
        "PUT",
        f"{P}/documents/{judgment.pk}/segments/{judgment.segments.get(position=1).pk}",
        {"text": "上訴駁回。", "version": 0},
    )

    started = api.send("POST", P + "/exports", {"format": "xliff", "statuses": ["drafted"]})
    export_id = started.json()["id"]
    early = api.get(f"{P}/exports/{export_id}/file")
    run_job(Export.objects.get().job.pk)
    watched = api.get(f"{P}/exports/{export_id}").json()
    downloaded = api.get(watched["download_url"])

    assert started.status_code == 202
    assert early.status_code == 409
    assert "poll the export" in early.json()["detail"]
    assert watched["ready"] is True and watched["job"]["status"] == "succeeded"
    assert "上訴駁回。" in b"".join(downloaded.streaming_content).decode()


def test_an_export_the_export_page_would_refuse_is_refused_the_same_way(api_for, manager, project):
    response = api_for(manager).send("POST", P + "/exports", {"format": "docx"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["where"] == "body → document_id"
    assert "choose which one" in response.json()["detail"]
    assert not Export.objects.exists()


def test_members_are_added_changed_and_removed_by_managers(api_for, manager, project, outsider):
    api = api_for(manager)

    added = api.send("PUT", P + "/members/otto", {"role": "reviewer"})
    changed = api.send("PUT", P + "/members/otto", {"role": "translator"})
    removed = api.send("DELETE", P + "/members/otto")
    myself = api.send("DELETE", P + "/members/mandy")

    assert added.json() == {"username": "otto", "role": "reviewer"}
    assert changed.json()["role"] == "translator"
    assert removed.status_code == 204
    assert project.role_of(outsider) is None
    assert myself.status_code == 422
    assert "cannot remove yourself" in myself.json()["detail"]
