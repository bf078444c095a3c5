"""Setting up a project: language pickers, the address made from the name, and a project
copied from one the manager already runs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agents.languages import USUAL_TAGS, tag_choices
from workbench.dashboard.models import ModelPrice
from workbench.memory.lookup import memories_of
from workbench.memory.models import Term, TranslationMemory
from workbench.projects.forms import ProjectForm
from workbench.projects.models import Membership, Project
from workbench.projects.services import ProjectRefused, do_create_project, unique_slug

from .conftest import make_user


def create(client, **fields):
    data = {"segmentation": "sentence", "source_language": "en", "target_language": "zh-Hant-HK"}
    return client.post(reverse("project_create"), {**data, **fields})


def test_the_language_pickers_offer_the_usual_legal_tags_first(client_for, manager):
    page = client_for(manager).get(reverse("project_create")).content.decode()
    for field in ("source_language", "target_language"):
        assert f'list="id_{field}_choices"' in page
        options = page.split(f'<datalist id="id_{field}_choices">')[1].split("</datalist>")[0]
        first = [o.split('"')[1] for o in options.split("<option value=")[1:5]]
        assert first == ["en", "zh-Hant-HK", "zh-Hans-CN", "zh-Hant-TW"]
        assert ">Traditional Chinese as written in Hong Kong</option>" in options


def test_every_offered_tag_is_a_canonical_bcp47_tag():
    from agents.languages import normalise_tag

    tags = [tag for tag, _ in tag_choices()]
    assert tags[: len(USUAL_TAGS)] == list(USUAL_TAGS)
    assert all(normalise_tag(tag) == tag for tag in tags)
    assert len(set(tags)) == len(tags)


def test_an_unknown_tag_is_refused_with_a_sentence_saying_what_to_do(client_for, manager):
    response = create(client_for(manager), name="Bad", target_language="klingon")
    page = response.content.decode()
    assert "“klingon” is not a BCP 47 language tag such as en or zh-Hant-HK. Choose a" in page
    assert 'aria-describedby="id_target_language_helptext id_target_language_error"' in page
    assert not Project.objects.filter(name="Bad").exists()


def test_a_missing_language_without_a_template_is_refused(client_for, manager):
    response = create(client_for(manager), name="Bad", source_language="")
    assert "Choose the language from the list, or type its tag" in response.content.decode()
    assert not Project.objects.filter(name="Bad").exists()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("HKSAR v Chan Tai Man", "hksar-v-chan-tai-man"),
        ("Re Wǒng Éstate", "re-wong-estate"),
        ("香港特別行政區 訴 陳大文", "en-zh"),
    ],
)
def test_the_address_is_made_from_the_name_when_left_empty(client_for, manager, name, slug):
    assert create(client_for(manager), name=name, slug="").status_code == 302
    assert Project.objects.get(name=name).slug == slug


def test_a_made_address_gets_a_number_when_taken(client_for, manager):
    client = client_for(manager)
    for _ in range(3):
        assert create(client, name="Appeals", slug="").status_code == 302
    assert sorted(Project.objects.values_list("slug", flat=True)) == [
        "appeals",
        "appeals-2",
        "appeals-3",
    ]
    assert unique_slug("Appeals") == "appeals-4"


def test_a_typed_address_that_is_taken_is_refused_with_a_sentence(client_for, manager, project):
    response = create(client_for(manager), name="Other", slug=project.slug)
    assert "The address “hk” is taken by another project; choose another" in (
        response.content.decode()
    )
    assert not Project.objects.filter(name="Other").exists()


@pytest.fixture
def template(project, manager, translator, reviewer):
    project.description = "Criminal appeals of the Court of Final Appeal."
    project.tm_threshold = 82
    project.tm_draft_threshold = 95
    project.qa_blocking_severities = ["critical"]
    project.agent_models = {"translator": "gpt-4.1", "annotator": "small"}
    project.agent_endpoints = {"translator": "office-gpu"}
    project.agent_max_rounds = 4
    project.job_token_budget = 123_000
    project.auto_propagate = False
    project.pseudonymise = True
    project.segmentation = "paragraph"
    project.save()
    Term.objects.create(project=project, source_term="appellant", target_term="上訴人")
    Term.objects.create(
        project=project, source_term="respondent", target_term="答辯人", status="forbidden"
    )
    TranslationMemory.objects.create(
        name="HK own", source_language="en", target_language="zh-Hant-HK", owner=project
    )
    shared = TranslationMemory.objects.create(
        name="Judiciary", source_language="en", target_language="zh-Hant-HK"
    )
    shared.readers.add(project)
    ModelPrice.objects.create(
        project=project, model="gpt-4.1", input_per_million=2, output_per_million=8
    )
    return project


def test_a_project_copied_from_a_template_takes_its_settings_glossary_memories_and_members(
    client_for, manager, translator, reviewer, template
):
    response = create(
        client_for(manager),
        name="Appeals 2026",
        slug="",
        template=template.pk,
        source_language="",
        target_language="",
    )
    assert response.status_code == 302
    copy = Project.objects.get(name="Appeals 2026")
    assert copy.slug == "appeals-2026"
    assert (copy.source_language, copy.target_language) == ("en", "zh-Hant-HK")
    for field in (
        "description",
        "tm_threshold",
        "tm_draft_threshold",
        "qa_blocking_severities",
        "agent_models",
        "agent_endpoints",
        "agent_max_rounds",
        "job_token_budget",
        "auto_propagate",
        "pseudonymise",
    ):
        assert getattr(copy, field) == getattr(template, field), field
    assert copy.segmentation == "sentence"  # chosen in the form
    assert copy.created_by == manager and not copy.is_demo
    roles = dict(copy.memberships.values_list("user__username", "role"))
    assert roles == {"mandy": "manager", "tom": "translator", "rita": "reviewer"}
    terms = set(copy.terms.values_list("source_term", "target_term", "status"))
    assert terms == set(template.terms.values_list("source_term", "target_term", "status"))
    assert copy.terms.first().pk not in set(template.terms.values_list("pk", flat=True))
    assert (
        set(memories_of(copy)) == set(memories_of(template)) == set(TranslationMemory.objects.all())
    )
    price = ModelPrice.objects.get(project=copy)
    assert (price.model, price.input_per_million) == ("gpt-4.1", Decimal(2))
    # The template is as it was.
    assert template.terms.count() == 2 and template.memberships.count() == 3


def test_what_the_manager_types_wins_over_the_template(client_for, manager, template):
    create(
        client_for(manager),
        name="Chinese appeals",
        template=template.pk,
        source_language="zh-Hant-HK",
        target_language="en-GB",
        description="Into English.",
    )
    copy = Project.objects.get(name="Chinese appeals")
    assert (copy.source_language, copy.target_language) == ("zh-Hant-HK", "en-GB")
    assert copy.description == "Into English."
    assert copy.tm_threshold == 82


def test_only_projects_the_person_manages_are_offered_as_templates(
    client_for, manager, translator, project
):
    managed = Project.objects.create(
        name="Mine", slug="mine", source_language="en", target_language="zh-Hant-HK"
    )
    Membership.objects.create(project=managed, user=translator, role="manager")
    translator.user_permissions.add(manager.user_permissions.get())
    client = client_for(translator)
    page = client.get(reverse("project_create")).content.decode()
    options = page.split('name="template"')[1].split("</select>")[0]
    assert "Mine" in options and "HK judgments" not in options
    response = create(client, name="Copy", template=project.pk)
    assert "Choose one of the projects you manage, or none" in response.content.decode()
    assert not Project.objects.filter(name="Copy").exists()


def test_a_new_project_without_a_template_has_only_its_creator(client_for, manager, template):
    outsider = make_user("olga")
    Membership.objects.create(project=template, user=outsider, role="translator")
    create(client_for(manager), name="Fresh")
    fresh = Project.objects.get(name="Fresh")
    assert list(fresh.memberships.values_list("user__username", "role")) == [("mandy", "manager")]
    assert not fresh.terms.exists() and not memories_of(fresh).exists()


def test_an_address_taken_between_the_check_and_the_save_is_refused_with_a_sentence(manager):
    data = {
        "name": "Appeals",
        "slug": "appeals",
        "source_language": "en",
        "target_language": "zh-Hant-HK",
        "segmentation": "sentence",
    }
    form = ProjectForm(data, user=manager)
    assert form.is_valid()
    Project.objects.create(
        name="Other", slug="appeals", source_language="en", target_language="zh-Hant-HK"
    )
    with pytest.raises(ProjectRefused, match="“appeals” was taken by another project just now"):
        do_create_project(form, by=manager)
    assert Project.objects.filter(slug="appeals").get().name == "Other"
