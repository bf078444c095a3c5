"""The glossary import page: managers upload TBX or CSV and see every problem."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workbench.memory.models import Term, TranslationMemory


def url(project):
    return reverse("glossary_import", args=[project.slug])


def upload(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_it_imports_a_csv_file(project, manager, client_for):
    data = "source_term,target_term\nappellant,上訴人\nrespondent,答辯人\n"
    response = client_for(manager).post(
        url(project), {"file": upload("terms.csv", data)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("glossary", args=[project.slug])
    assert "2 terms added, 0 existing terms updated" in response.content.decode()
    assert project.terms.count() == 2


def test_it_shows_each_bad_row_and_imports_nothing(project, manager, client_for):
    data = "source_term,target_term,status\nappellant,上訴人,\n,答辯人,\ncourt,法院,approved\n"
    response = client_for(manager).post(url(project), {"file": upload("terms.csv", data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was changed" in page
    assert "Row 3: the source term is empty." in page
    assert "Row 4: the status “approved” is unknown" in page
    assert not project.terms.exists()


def test_it_shows_why_a_hostile_tbx_was_refused(project, manager, client_for):
    data = '<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "b">]><martif/>'
    response = client_for(manager).post(url(project), {"file": upload("terms.tbx", data)})
    assert response.status_code == 400
    assert "declares entities" in response.content.decode()
    assert not Term.objects.exists()


def test_it_forbids_a_translator(project, translator, client_for):
    data = "source_term,target_term\nappellant,上訴人\n"
    client = client_for(translator)
    assert client.get(url(project)).status_code == 403
    assert client.post(url(project), {"file": upload("terms.csv", data)}).status_code == 403
    assert not project.terms.exists()


def test_it_hides_the_page_from_outsiders(project, outsider, client_for):
    assert client_for(outsider).get(url(project)).status_code == 404


def test_it_imports_the_two_column_csv_the_tm_page_takes(project, manager, client_for):
    data = 'appellant,上訴人\n"costs, if any",訟費（如有）\n'
    client = client_for(manager)
    tm = client.post(
        reverse("tm_import", args=[project.slug]), {"file": upload("pairs.csv", data)}, follow=True
    )
    assert tm.status_code == 200
    memory = TranslationMemory.objects.get(owner=project)
    assert memory.units.count() == 2
    response = client.post(url(project), {"file": upload("pairs.csv", data)}, follow=True)
    assert "2 terms added, 0 existing terms updated" in response.content.decode()
    assert sorted(project.terms.values_list("source_term", "target_term")) == [
        ("appellant", "上訴人"),
        ("costs, if any", "訟費（如有）"),
    ]
