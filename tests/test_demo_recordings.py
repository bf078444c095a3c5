"""The demo's recordings fit the demo documents as the importer cuts them today, and what
the team wrote passes the checks a person's confirmation must pass: a recording that
drifts from the documents, or a team text the QA gate would stop, fails here first."""

import pytest

from workbench.demo import DEMO_DIR
from workbench.demo.recordings import (
    RecordingError,
    normalise,
    read_recordings,
    recordings_path,
)
from workbench.documents.models import Document, Segment
from workbench.documents.services import import_document
from workbench.memory.glossary_io import import_glossary
from workbench.translation.qa import blocking_findings

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    ("hk_judgment_facc_2024.docx", "project"),
    ("hkca_judgment_2023_extract.txt", "project"),
    ("zh_judgment_excerpt.txt", "zh_project"),
]


@pytest.fixture
def projects(project, zh_project, manager):
    data = (DEMO_DIR / "hk_legal_glossary.csv").read_bytes()
    import_glossary(project, data=data, filename="hk_legal_glossary.csv", user=manager)
    return {"project": project, "zh_project": zh_project}


@pytest.mark.parametrize(("filename", "which"), DOCUMENTS)
def test_each_recording_matches_its_segment(projects, manager, filename, which):
    project = projects[which]
    document = import_document(
        project, data=(DEMO_DIR / filename).read_bytes(), filename=filename, user=manager
    )
    recordings = read_recordings(recordings_path(filename, project.target_language))

    sources = [
        normalise(s)
        for s in document.segments.order_by("position").values_list("source", flat=True)
    ]
    assert [normalise(r.source) for r in recordings] == sources


@pytest.mark.parametrize(("filename", "which"), DOCUMENTS)
def test_what_people_confirm_passes_the_qa_gate(projects, filename, which):
    project = projects[which]
    for recording in read_recordings(recordings_path(filename, project.target_language)):
        segment = Segment(source=recording.source, document=Document(project=project))
        for text in filter(None, [recording.team, recording.confirmed, recording.revision]):
            assert blocking_findings(segment, text, project) == [], recording.source


@pytest.mark.parametrize(("filename", "which"), DOCUMENTS)
def test_the_agents_fix_what_the_checks_would_stop(projects, filename, which):
    """A draft the checks flag has a recorded revision, and every issue quotes its draft."""
    project = projects[which]
    for recording in read_recordings(recordings_path(filename, project.target_language)):
        draft = recording.translator_draft
        if blocking_findings(
            Segment(source=recording.source, document=Document(project=project)), draft, project
        ):
            assert recording.revision, recording.source
        for issue in recording.issues:
            assert issue.span in draft, (recording.source, issue.span)
            assert issue.severity in ("minor", "major", "critical")


@pytest.mark.parametrize(("filename", "which"), DOCUMENTS)
def test_the_same_sentence_got_the_same_answers(projects, filename, which):
    """The replay model answers by text, as a model would: segments with one source have
    one recorded draft, issues and revision."""
    answers = {}
    for recording in read_recordings(recordings_path(filename, projects[which].target_language)):
        given = (recording.draft, recording.issues, recording.revision, recording.team)
        assert answers.setdefault(normalise(recording.source), given) == given, recording.source


def test_a_faulty_recordings_file_names_its_line(tmp_path):
    path = tmp_path / "broken.zh-Hant-HK.txt"
    path.write_text("source: The appeal is dismissed.\nteem: 上訴駁回。\n", encoding="utf-8")

    with pytest.raises(RecordingError, match="broken.zh-Hant-HK.txt, line 2"):
        read_recordings(path)
