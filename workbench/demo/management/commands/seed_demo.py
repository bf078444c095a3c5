"""The demo a new user sees after `make run`: three logins, two projects, two judgments.

Safe to run again: it only creates what is missing. An existing user keeps the password
they set, a member keeps the role a manager gave them, and a document is imported only
if the project has none with that file name.
"""

import os

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from workbench.demo import DEMO_DIR
from workbench.documents.importers.base import ImportRejected
from workbench.documents.services import import_document
from workbench.projects.models import Membership, Project

# Public by design: the README prints it. Only demo users created here get it.
PASSWORD = "workbench-demo"  # noqa: S105
# `make run` says where it serves; the default is where it serves by default.
SITE = os.environ.get("WORKBENCH_URL", "http://127.0.0.1:8000").rstrip("/")
# username -> role in both demo projects
DEMO_USERS = {
    "manager": Membership.Role.MANAGER,
    "translator": Membership.Role.TRANSLATOR,
    "reviewer": Membership.Role.REVIEWER,
}
DEMO_PROJECTS = [
    {
        "slug": "hk-judgments",
        "name": "HK judgments (EN → ZH)",
        "source_language": "en",
        "target_language": "zh-Hant-HK",
        "description": "A fictional Court of Final Appeal judgment to translate into Chinese.",
        "document": "hk_judgment_facc_2024.docx",
    },
    {
        "slug": "zh-judgments",
        "name": "Chinese judgments (ZH → EN)",
        "source_language": "zh-Hant-HK",
        "target_language": "en",
        "description": "A fictional District Court verdict in Chinese to translate into English.",
        "document": "zh_judgment_excerpt.txt",
    },
]


class Command(BaseCommand):
    help = (
        "Create the demo users (password workbench-demo), the two demo projects and their "
        "documents. Safe to run again: only what is missing is created."
    )

    def handle(self, *args, **options):
        if not settings.WORKBENCH_DEMO:
            raise CommandError(
                "seed_demo creates logins whose password is published in the README, so it "
                "runs in demo mode only: set WORKBENCH_DEMO=1 (as `make run` and docker "
                "compose's demo profile do), and never on a server with real documents."
            )
        with transaction.atomic():
            users = {name: self.ensure_user(name) for name in DEMO_USERS}
            users["manager"].user_permissions.add(
                Permission.objects.get(content_type__app_label="projects", codename="add_project")
            )
            projects = [self.ensure_project(spec, users) for spec in DEMO_PROJECTS]

        refusals = {}
        for spec, project in zip(DEMO_PROJECTS, projects, strict=True):
            reason = self.ensure_document(project, spec["document"], users["manager"])
            if reason:
                refusals[spec["document"]] = reason
        self.print_welcome(projects)
        if refusals:
            self.stderr.write(
                self.style.WARNING(
                    f"The demo is ready, but {len(refusals)} document(s) could not be imported:"
                )
            )
            for filename, reason in refusals.items():
                self.stderr.write(self.style.WARNING(f"  {filename}: {reason}"))
            self.stderr.write(
                self.style.WARNING(
                    "Run `manage.py seed_demo` again once the importers accept them."
                )
            )

    def ensure_user(self, username):
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            self.stdout.write(f"Created user {username}.")
        return user

    def ensure_project(self, spec, users):
        project, created = Project.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "source_language": spec["source_language"],
                "target_language": spec["target_language"],
                "description": spec["description"],
                "created_by": users["manager"],
            },
        )
        if created:
            self.stdout.write(f"Created project {project.name}.")
        for username, role in DEMO_USERS.items():
            Membership.objects.get_or_create(
                project=project, user=users[username], defaults={"role": role}
            )
        return project

    def ensure_document(self, project, filename, user):
        """Import the demo file unless it is there already; the reason if it was refused."""
        if project.documents.filter(original_filename=filename).exists():
            return ""
        try:
            document = import_document(
                project, data=(DEMO_DIR / filename).read_bytes(), filename=filename, user=user
            )
        except ImportRejected as error:
            return str(error)
        self.stdout.write(
            f"Imported {filename} into {project.name}: {document.segments.count()} segments."
        )
        return ""

    def print_welcome(self, projects):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Open {SITE}/ and log in:"))
        self.stdout.write("")
        self.stdout.write("  user        password         role in the demo projects")
        for username, role in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10}  {PASSWORD:<15}  {role.label.lower()}")
        self.stdout.write("")
        for project in projects:
            url = SITE + reverse("project_detail", args=[project.slug])
            self.stdout.write(f"  {project.name:<28}  {url}")
