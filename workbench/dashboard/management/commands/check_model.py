"""`manage.py check_model [--project SLUG]`: one tiny call per agent role to the model it
would use, a verdict per role, and a non-zero exit when any role's model cannot be used."""

from django.core.management.base import BaseCommand, CommandError

from workbench.projects.endpoints import EndpointError
from workbench.projects.models import Project

from ...connection import check_connection, total_cost

MARKS = {"ready": "ok", "usable": "ok, with fallback", "unusable": "FAILS"}


class Command(BaseCommand):
    help = (
        "Test the model each agent role uses (of a project, or the installation's default): "
        "reachable, model listed, structured output, latency. Exits 1 when a role's model "
        "cannot be used, saying why."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", metavar="SLUG", help="the project whose settings to test")

    def handle(self, *args, project=None, **options):
        subject = self.project(project) if project else None
        try:
            checks = check_connection(subject)
        except EndpointError as error:
            raise CommandError(str(error)) from None
        what = f"project “{subject.name}”" if subject else "the installation's default settings"
        self.stdout.write(f"Model connection of {what}:")
        for check in checks:
            report = check.report
            latency = f", {report.latency_ms} ms" if report.latency_ms is not None else ""
            self.stdout.write(
                f"  {check.label:<12} {MARKS[report.verdict]:<18} {report.model} on "
                f"{check.endpoint_title} ({report.base_url}): {report.mode_label}{latency}"
            )
            for text in report.problems:
                self.stdout.write(f"      {text}")
            for text in report.notes:
                self.stdout.write(f"      note: {text}")
        total = total_cost(checks)
        if total is not None:
            self.stdout.write(f"Estimated cost per 1,000 words of source: ${total:.4f}")
        failing = [check.label for check in checks if not check.usable]
        if failing:
            raise CommandError(
                f"{', '.join(failing)}: the model cannot be used; see the reasons above."
            )
        self.stdout.write(self.style.SUCCESS("Every role's model can be used."))

    def project(self, slug):
        found = Project.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Project.objects.values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"There is no project “{slug}”; the projects are: {known}.")
        return found
