"""Glossary downloads: TBX and CSV, for managers."""

from django.urls import reverse
from translate.storage.tbx import tbxfile

from workbench.memory.models import Term


def url(project, file_format):
    return reverse("glossary_export", args=[project.slug, file_format])


def test_it_downloads_tbx(project, manager, client_for):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    response = client_for(manager).get(url(project, "tbx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hk-glossary.tbx"'
    store = tbxfile.parsestring(response.content)
    assert [(u.source, u.gettarget(lang="zh-Hant-HK")) for u in store.units] == [
        ("appellant", "上訴人")
    ]


def test_it_downloads_csv(project, manager, client_for):
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    response = client_for(manager).get(url(project, "csv"))
    assert response["Content-Disposition"] == 'attachment; filename="hk-glossary.csv"'
    assert "appellant,上訴人" in response.content.decode("utf-8-sig")


def test_it_knows_only_tbx_and_csv(project, manager, client_for):
    assert client_for(manager).get(url(project, "xlsx")).status_code == 404


def test_it_forbids_a_translator(project, translator, client_for):
    assert client_for(translator).get(url(project, "csv")).status_code == 403


def test_it_hides_the_glossary_from_outsiders(project, outsider, client_for):
    assert client_for(outsider).get(url(project, "tbx")).status_code == 404
