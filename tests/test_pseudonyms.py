"""Personal data never reaches the model endpoint: names, identity and passport numbers,
phone numbers, e-mail addresses, bank accounts and street addresses leave as placeholders
(⟦P1⟧), and the stored translations have the real values back. Read from what the
loopback server received."""

import json

import pytest
from django.urls import reverse

from agents.checks import check_tokens
from agents.context import LanguagePair
from tests.test_drafting import small_document
from workbench.documents.models import Document
from workbench.drafting.context import pseudonymiser_for
from workbench.drafting.models import Pseudonym
from workbench.drafting.pseudonyms import applies_to, endpoint_is_outside
from workbench.jobs.services import enqueue, run_job
from workbench.translation.models import Annotation, Suggestion

# What a judgment about a money-laundering appeal may hold, in both languages.
JUDGMENT = [
    "Between:",
    "HKSAR — Respondent",
    "and",
    "CHAN TAI MAN — Appellant",
    "Before: Mr Justice Kwok PJ and Madam Justice Yuen PJ",
    "The appellant, CHAN TAI MAN (HKID A123456(7)), lived at Flat 12A, 5/F, Block B, "
    "Golden Court, 88 Nathan Road, Mong Kok, Kowloon.",
    "Mr Chan held passport No. K12345678 and used the account 012-345-678901-2.",
    "The witness Wong Siu Ming called him on 9123 4567 and on +852 2345-6789.",
    "Ms Wong wrote to chan.taiman@example.com on 3 March 2021.",
    "X and Madam A gave evidence for the Applicant, as did the respondent's officer.",
    "陳大文住在九龍旺角彌敦道88號12樓A室，電話91234567。",
    "The sum of HK$1,250,000 was paid between 2019-2020; see [2015] HKCFA 23 and Cap. 455.",
]
PERSONAL = [
    "CHAN TAI MAN",
    "A123456(7)",
    "Flat 12A",
    "88 Nathan Road",
    "Mr Chan",
    "K12345678",
    "012-345-678901-2",
    "Wong Siu Ming",
    "9123 4567",
    "+852 2345-6789",
    "Ms Wong",
    "chan.taiman@example.com",
    "陳大文",
    "彌敦道88號",
    "91234567",
]
ANONYMISED_OR_PUBLIC = ["HKSAR", "X and Madam A", "the Applicant", "Justice Kwok"]
BRIEF = {
    "court": "Court of Final Appeal",
    "case_number": "FACC 5/2024",
    "parties": [
        {"name": "CHAN TAI MAN", "role": "appellant", "referred_to_as": "Mr Chan"},
        {"name": "HKSAR", "role": "respondent", "referred_to_as": "the respondent"},
        {"name": "Wong Siu Ming", "role": "witness", "referred_to_as": "Ms Wong"},
        {"name": "陳大文", "role": "appellant", "referred_to_as": ""},
    ],
    "judges": ["Kwok PJ", "Yuen PJ"],
    "defined_terms": [],
    "key_terms": [],
    "notes": "",
}


@pytest.fixture
def endpoint(transactional_db, settings, loopback_llm):
    """The loopback model. Drafting writes its model calls on the pool threads' own
    connections, so the rows it refers to must be committed: a transactional test."""
    settings.OPENAI_BASE_URL = loopback_llm.base_url
    settings.OPENAI_TIMEOUT_SECONDS = 5
    return loopback_llm


@pytest.fixture
def pseudonymising(project):
    project.pseudonymise = True
    project.save()
    return project


def everything_sent(loopback):
    return "\n".join(json.dumps(body, ensure_ascii=False) for body in loopback.requests)


def draft(document, user):
    job = enqueue(
        "draft_document", project=document.project, document=document, params={}, user=user
    )
    run_job(job.pk)
    job.refresh_from_db()
    return job


def test_no_personal_data_reaches_the_model_and_the_translations_have_it_back(
    endpoint, pseudonymising, manager
):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()

    job = draft(document, manager)

    assert job.status == "succeeded", job.error
    sent = everything_sent(endpoint)
    assert endpoint.requests_for("TranslatorOutput")
    for value in PERSONAL:
        assert value not in sent, value
    assert "\u27e6P" in sent
    targets = "\n".join(document.segments.values_list("target", flat=True))
    for value in ["CHAN TAI MAN", "A123456(7)", "K12345678", "chan.taiman@example.com", "陳大文"]:
        assert value in targets, value
    texts = [
        *document.segments.values_list("target", flat=True),
        *Suggestion.objects.filter(segment__document=document).values_list("text", flat=True),
        *Annotation.objects.filter(segment__document=document).values_list(
            "target_text", flat=True
        ),
    ]
    assert not any("\u27e6P" in text for text in texts)


def test_hong_kong_anonymisation_and_public_parties_are_left_as_they_are(
    endpoint, pseudonymising, manager
):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()

    draft(document, manager)

    sent = everything_sent(endpoint)
    for kept in ANONYMISED_OR_PUBLIC:
        assert kept in sent, kept
    values = set(Pseudonym.objects.values_list("value", flat=True))
    assert not values & {"HKSAR", "X", "Madam A", "the Applicant", "the respondent"}


def test_the_brief_is_made_from_an_excerpt_without_the_parties_names(
    endpoint, pseudonymising, manager
):
    """Without a brief the names come from the heading's party lines, so the excerpt
    the brief is made from leaves without them too."""
    document = small_document(pseudonymising, JUDGMENT)

    job = draft(document, manager)

    assert job.status == "succeeded", job.error
    [brief_request] = endpoint.requests_for("DocumentBrief")
    excerpt = json.dumps(brief_request, ensure_ascii=False)
    for value in ["CHAN TAI MAN", "A123456(7)", "K12345678", "chan.taiman@example.com"]:
        assert value not in excerpt, value
    for value in ["CHAN TAI MAN", "A123456(7)", "K12345678"]:
        assert value not in everything_sent(endpoint), value


def test_placeholders_are_stable_for_the_document(endpoint, pseudonymising, manager):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()
    draft(document, manager)
    first = dict(document.pseudonyms.values_list("value", "number"))

    again = pseudonymiser_for(Document.objects.get(pk=document.pk))
    masked = again.mask("CHAN TAI MAN met Wong Siu Ming; HKID A123456(7).")

    assert masked == (
        f"\u27e6P{first['CHAN TAI MAN']}\u27e7 met \u27e6P{first['Wong Siu Ming']}\u27e7; "
        f"HKID \u27e6P{first['A123456(7)']}\u27e7."
    )
    assert again.restore(masked) == "CHAN TAI MAN met Wong Siu Ming; HKID A123456(7)."
    assert dict(document.pseudonyms.values_list("value", "number")) == first


def test_each_kind_is_recognised(pseudonymising):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()
    pseudonyms = pseudonymiser_for(document)
    for text in JUDGMENT:
        pseudonyms.mask(text)
    kinds = dict(document.pseudonyms.values_list("value", "kind"))
    assert kinds["CHAN TAI MAN"] == kinds["Mr Chan"] == kinds["陳大文"] == "name"
    assert kinds["A123456(7)"] == "hkid"
    assert kinds["K12345678"] == "passport"
    assert kinds["012-345-678901-2"] == "bank_account"
    assert kinds["9123 4567"] == kinds["+852 2345-6789"] == kinds["91234567"] == "phone"
    assert kinds["chan.taiman@example.com"] == "email"
    assert (
        kinds["Flat 12A, 5/F, Block B, Golden Court, 88 Nathan Road, Mong Kok, Kowloon"]
        == "address"
    )
    assert kinds["九龍旺角彌敦道88號12樓A室"] == "address"
    # Sums, year ranges, citations and ordinances are not personal data.
    assert not {"1,250,000", "2019-2020", "23", "455"} & set(kinds)


def test_a_revision_on_request_sends_no_personal_data(endpoint, pseudonymising, translator):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()
    segment = document.segments.get(position=6)
    segment.target = "上訴人陳大文（HKID A123456(7)）住在九龍旺角彌敦道88號12樓A室。"
    segment.status = "translated"
    segment.save()
    job = enqueue(
        "revise_segment",
        project=pseudonymising,
        document=document,
        params={"segment_id": segment.pk, "instruction": "Write CHAN TAI MAN as 陳大文."},
        user=translator,
    )
    run_job(job.pk)
    job.refresh_from_db()

    assert job.status == "succeeded", job.error
    sent = everything_sent(endpoint)
    for value in ["CHAN TAI MAN", "A123456(7)", "陳大文", "Nathan Road", "彌敦道88號"]:
        assert value not in sent, value
    suggestion = segment.suggestions.get(kind="on_request")
    assert "陳大文（HKID A123456(7)）住在九龍旺角彌敦道88號12樓A室" in suggestion.text
    assert suggestion.instruction == "Write CHAN TAI MAN as 陳大文."


def test_without_the_switch_a_loopback_endpoint_gets_the_text_as_it_is(endpoint, project, manager):
    document = small_document(project, JUDGMENT)
    document.brief = BRIEF
    document.save()

    draft(document, manager)

    assert "CHAN TAI MAN" in everything_sent(endpoint)
    assert not document.pseudonyms.exists()


@pytest.mark.parametrize(
    ("url", "outside"),
    [
        ("http://127.0.0.1:8901/v1", False),
        ("http://localhost:11434/v1", False),
        ("http://[::1]:8000/v1", False),
        ("http://10.0.0.5/v1", False),
        ("http://192.168.1.20:8000/v1", False),
        ("http://172.20.0.3/v1", False),
        ("https://api.openai.com/v1", True),
        ("https://llm.internal.example/v1", True),
        ("http://8.8.8.8/v1", True),
        ("", False),
    ],
)
def test_it_is_on_by_default_only_for_endpoints_outside_this_machine_and_network(url, outside):
    assert endpoint_is_outside(url) is outside


def test_the_project_switch_overrides_the_default(settings, project):
    settings.OPENAI_BASE_URL = "https://api.openai.com/v1"
    assert applies_to(project) is True
    project.pseudonymise = False
    assert applies_to(project) is False
    settings.OPENAI_BASE_URL = "http://127.0.0.1:8901/v1"
    project.pseudonymise = None
    assert applies_to(project) is False
    project.pseudonymise = True
    assert applies_to(project) is True


def test_managers_see_the_mapping_on_the_brief_page(client_for, manager, reviewer, pseudonymising):
    document = small_document(pseudonymising, JUDGMENT)
    document.brief = BRIEF
    document.save()
    pseudonymiser_for(document).mask(JUDGMENT[5])
    url = reverse("document_brief", args=[pseudonymising.slug, document.pk])

    page = client_for(manager).get(url).content.decode()
    assert "Personal data kept from the model" in page
    assert "\u27e6P1\u27e7" in page and "A123456(7)" in page

    page = client_for(reviewer).get(url).content.decode()
    assert "Personal data kept from the model" not in page


def test_the_checks_report_a_lost_or_added_placeholder():
    pair = LanguagePair("en", "zh-Hant-HK")
    assert [issue.severity for issue in check_tokens("\u27e6P1\u27e7 paid.", "付款。")] == ["major"]
    assert check_tokens("\u27e6P1\u27e7 paid.", "\u27e6P1\u27e7付款。") == []
    extra = check_tokens("He paid.", "\u27e6P2\u27e7付款。")
    assert extra[0].category == "addition"
    assert pair.target_script == "Hant"


def test_a_lost_placeholder_is_not_also_a_lost_number():
    from agents.checks import run_checks

    issues = run_checks("\u27e6P12\u27e7 paid.", "付款。", LanguagePair("en", "zh-Hant-HK"))
    assert [issue.category for issue in issues].count("number_date") == 0
    assert any("\u27e6P12\u27e7" in issue.explanation for issue in issues)
