"""Managers upload several files at once; each is imported whole or refused with its
reason, and a refused file leaves nothing behind."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import stored_files
from workbench.documents.models import Document, Segment

ENGLISH = (
    b"1. The appellant was convicted under s. 65C(2)(b) of Cap. 221. He appeals.\n\n"
    b"2. The Court of Appeal dismissed the appeal in [2015] HKCFA 23.\n"
)
CHINESE = "1. 上訴人不服原審判決，提出上訴。法院駁回上訴。\n\n2. 本院裁定上訴得直。\n"


def upload(client, project, *files, **options):
    return client.post(
        reverse("document_upload", args=[project.slug]), {"files": list(files), **options}
    )


def test_it_imports_several_files_and_reports_each(client_for, manager, project, media_root):
    response = upload(
        client_for(manager),
        project,
        SimpleUploadedFile("ruling.txt", ENGLISH, "text/plain"),
        SimpleUploadedFile("big5.txt", CHINESE.encode("big5hkscs"), "text/plain"),
        SimpleUploadedFile("empty.txt", b"", "text/plain"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>ruling.txt</strong> imported" in page
    # A Chinese file has no place in an English-source project: refused, saying why.
    assert (
        "<strong>big5.txt</strong> was not imported: The file&#x27;s text is written in "
        "Traditional Chinese, but this project translates en → zh-Hant-HK"
    ) in page
    assert "<strong>empty.txt</strong> was not imported: The file is empty." in page
    assert list(Document.objects.values_list("original_filename", flat=True)) == ["ruling.txt"]
    ruling = Document.objects.get(original_filename="ruling.txt")
    assert [s.paragraph_number for s in ruling.segments.all()] == ["1", "1", "2"]
    assert len(stored_files(media_root)) == 1


def test_a_big5_file_goes_into_a_chinese_source_project(client_for, manager, zh_project):
    upload(
        client_for(manager),
        zh_project,
        SimpleUploadedFile("big5.txt", CHINESE.encode("big5hkscs"), "text/plain"),
    )
    big5 = Document.objects.get(original_filename="big5.txt")
    assert big5.encoding == "big5hkscs"
    assert big5.segments.first().source == "上訴人不服原審判決，提出上訴。"


def test_it_keeps_the_original_under_a_generated_name(client_for, manager, project, media_root):
    upload(client_for(manager), project, SimpleUploadedFile("ruling.txt", ENGLISH))
    document = Document.objects.get()
    assert document.original_filename == "ruling.txt"
    assert "ruling" not in document.original_file.name
    assert document.original_file.read() == ENGLISH


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client_for, manager, project, settings, media_root
):
    settings.MAX_UPLOAD_MB = 1
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("huge.txt", b"The appeal is dismissed. " * 50_000)
    page = upload(client_for(manager), project, big).content.decode()
    assert "the limit is 1 MB" in page
    assert not Document.objects.exists()
    assert not Segment.objects.exists()
    assert stored_files(media_root) == []


def test_it_asks_for_a_file_when_none_was_chosen(client_for, manager, project):
    page = upload(client_for(manager), project).content.decode()
    assert "Choose at least one file." in page


def test_a_bidi_override_in_the_text_is_refused(client_for, manager, project, media_root):
    hostile = "1. The sum is HK$\u202e0001\u202c to be paid.\n".encode()
    page = upload(client_for(manager), project, SimpleUploadedFile("x.txt", hostile)).content
    assert "bidirectional control character U+202E" in page.decode()
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_the_filename_is_escaped_on_the_page(client_for, manager, project):
    name = "<img src=x onerror=alert(1)>.txt"
    page = upload(client_for(manager), project, SimpleUploadedFile(name, ENGLISH)).content
    assert b"<img src=x" not in page
    assert b"&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_the_encoding_can_be_given_explicitly(client_for, manager, zh_project):
    data = CHINESE.encode("gb18030")
    upload(client_for(manager), zh_project, SimpleUploadedFile("gb.txt", data), encoding="gb18030")
    assert Document.objects.get().encoding == "gb18030"


def test_a_wrong_explicit_encoding_is_refused(client_for, manager, project, media_root):
    data = CHINESE.encode("big5hkscs")
    page = upload(
        client_for(manager), project, SimpleUploadedFile("b.txt", data), encoding="utf-8"
    ).content.decode()
    assert "was not imported" in page
    assert not Document.objects.exists()
    assert stored_files(media_root) == []
