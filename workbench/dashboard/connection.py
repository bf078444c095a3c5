"""Testing a project's model connection: one tiny call per agent role to the endpoint and
model the role would use (agents/probe.py), a verdict per role, and what 1,000 words
would cost at the prices the dashboard knows. The Agents page and `manage.py
check_model` both ask here."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from agents.context import LanguagePair
from agents.probe import UNUSABLE, ProbeReport, Sample, probe
from workbench.documents.models import Segment
from workbench.documents.segmentation import count_words
from workbench.projects.endpoints import (
    ROLE_LABELS,
    ROLES,
    endpoint_for,
    installed_endpoints,
    model_for,
)

from .models import ModelPrice

# A sentence a model can translate in a moment, for a test without a project.
GENERIC_SAMPLE = ("The appeal is dismissed.", "上訴駁回。", LanguagePair("en", "zh-Hant-HK"))
SAMPLE_WORDS = (5, 40)
PROBE_TIMEOUT_SECONDS = 30.0


@dataclass
class RoleCheck:
    role: str
    label: str
    endpoint_title: str
    report: ProbeReport
    cost_per_1000_words: Decimal | None = None
    priced: bool = False

    @property
    def usable(self):
        return self.report.verdict != UNUSABLE


class Choice:
    """Endpoint and model per role: the project's own, or as a form has them before they
    are saved (so a manager tests before saving)."""

    def __init__(self, project, endpoints=None, models=None):
        self.project = project
        self.endpoints = endpoints if endpoints is not None else dict(project.agent_endpoints)
        self.models = models if models is not None else dict(project.agent_models)

    def as_project(self):
        """The project as it would be with this choice, unsaved."""
        return type(self.project)(
            pk=self.project.pk,
            name=self.project.name,
            agent_endpoints=self.endpoints,
            agent_models=self.models,
        )


def check_connection(project=None, choice=None):
    """[RoleCheck] per role, the roles probed at once. Raises EndpointError (from
    projects.endpoints) when the endpoints are defined wrongly or there are none."""
    installed = installed_endpoints()
    subject = (choice or Choice(project)).as_project() if project else None
    plans = []
    for role in ROLES:
        endpoint = endpoint_for(subject, role, installed)
        plans.append((role, endpoint, model_for(subject, role, installed)))
    sample = sample_for(project)
    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        reports = list(
            pool.map(
                lambda plan: probe(
                    plan[1], plan[2], plan[0], sample, timeout=PROBE_TIMEOUT_SECONDS
                ),
                plans,
            )
        )
    prices = ModelPrice.prices_for(project, {model for _, _, model in plans})
    checks = []
    for (role, endpoint, model), report in zip(plans, reports, strict=True):
        check = RoleCheck(role, ROLE_LABELS[role], endpoint.title, report)
        price = prices.get(model)
        if report.per_1000_words and price is not None:
            check.cost_per_1000_words = ModelPrice.cost(price, *report.per_1000_words)
            check.priced = True
        checks.append(check)
    return checks


def total_cost(checks):
    """What 1,000 words cost with every role, or None when a role's model has no price."""
    costs = [check.cost_per_1000_words for check in checks if check.report.per_1000_words]
    if not costs or not all(check.priced for check in checks if check.report.per_1000_words):
        return None
    return sum(costs, Decimal(0))


def sample_for(project):
    """A segment of the project's own (confirmed if possible, of a usual length) for the
    test calls; a generic sentence when the project has none."""
    if project is None:
        source, target, pair = GENERIC_SAMPLE
        return Sample(source, target, count_words(source, pair.source), pair)
    pair = LanguagePair(project.source_language, project.target_language)
    segments = Segment.objects.filter(
        document__project=project,
        kind=Segment.Kind.PARAGRAPH,
        word_count__gte=SAMPLE_WORDS[0],
        word_count__lte=SAMPLE_WORDS[1],
    ).order_by("document_id", "position")
    chosen = (
        segments.filter(status__in=[Segment.Status.APPROVED, Segment.Status.TRANSLATED]).first()
        or segments.first()
    )
    if chosen is None:
        source, target, _ = GENERIC_SAMPLE
        same_pair = pair.source == GENERIC_SAMPLE[2].source
        return Sample(source, target if same_pair else "", count_words(source, "en"), pair)
    return Sample(chosen.source, chosen.target, chosen.word_count, pair)
