"""The demo a new user sees after `make run`: three logins, two projects, three judgments,
and two weeks of the team's work on them (see story.py).

Safe to run again: it only creates what is missing. An existing user keeps the password
they set, a member keeps the role a manager gave them, a document is imported only if
the project has none with that file name, and the two weeks of work are written only on
documents nobody has worked on. `--empty` starts the demo projects afresh: their
documents imported again, and no work on them.
"""

import os

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from workbench.demo import DEMO_DIR
from workbench.demo.agent_runs import AgentRunFailed
from workbench.demo.recordings import RecordingError
from workbench.demo.story import DemoStory, RecordingsOutOfStep
from workbench.documents.importers.base import ImportRejected
from workbench.documents.models import Document, Revision, Segment
from workbench.documents.services import import_document
from workbench.feedback.models import Correction, Export
from workbench.jobs.models import ModelCall
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
        "description": "A fictional Court of Final Appeal judgment, and the Court of Appeal's "
        "judgment below, to translate into Chinese.",
        "documents": {
            "hk_judgment_facc_2024.docx": "HKSAR v Chan Tai Man, FACC 5/2024 (Court of Final Appeal)",
            "hkca_judgment_2023_extract.txt": "HKSAR v Chan Tai Man, CACC 118/2022 (Court of Appeal, "
            "extract)",
        },
    },
    {
        "slug": "zh-judgments",
        "name": "Chinese judgments (ZH → EN)",
        "source_language": "zh-Hant-HK",
        "target_language": "en",
        "description": "A fictional District Court verdict in Chinese to translate into English.",
        "documents": {
            "zh_judgment_excerpt.txt": "香港特別行政區 訴 李志強, DCCC 1234/2023 (District Court)"
        },
    },
]


class Command(BaseCommand):
    help = (
        "Create the demo users (password workbench-demo), the two demo projects, their "
        "documents and two weeks of demo work on them. Safe to run again: only what is "
        "missing is created. --empty starts the demo projects afresh, without the work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--empty",
            action="store_true",
            help="Delete the demo projects' documents and work and import the documents "
            "again, with nothing done on them.",
        )

    def handle(self, *args, empty=False, **options):
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
            if empty:
                self.remove_demo_projects()
            projects = [self.ensure_project(spec, users) for spec in DEMO_PROJECTS]

        refusals, documents = {}, {}
        for spec, project in zip(DEMO_PROJECTS, projects, strict=True):
            for filename, title in spec["documents"].items():
                document, reason = self.ensure_document(project, filename, title, users["manager"])
                if reason:
                    refusals[filename] = reason
                else:
                    documents[filename] = document
        if not empty and not refusals:
            self.tell_the_story(projects, documents, users)
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

    def remove_demo_projects(self):
        removed = Project.objects.filter(slug__in=[spec["slug"] for spec in DEMO_PROJECTS])
        names = list(removed.values_list("name", flat=True))
        files = [
            *Document.objects.filter(project__in=removed).values_list("original_file", flat=True),
            *Export.objects.filter(project__in=removed)
            .exclude(file="")
            .values_list("file", flat=True),
        ]
        removed.delete()
        # The stored files go once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files if name])
        for name in names:
            self.stdout.write(f"Removed project {name} and everything in it, to start afresh.")

    def ensure_project(self, spec, users):
        project, created = Project.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "source_language": spec["source_language"],
                "target_language": spec["target_language"],
                "description": spec["description"],
                "created_by": users["manager"],
                "is_demo": True,
            },
        )
        if created:
            self.stdout.write(f"Created project {project.name}.")
        elif not project.is_demo:
            project.is_demo = True
            project.save(update_fields=["is_demo"])
        for username, role in DEMO_USERS.items():
            Membership.objects.get_or_create(
                project=project, user=users[username], defaults={"role": role}
            )
        return project

    def ensure_document(self, project, filename, title, user):
        """(the demo document, "") once it is there, else (None, why it was refused)."""
        existing = project.documents.filter(original_filename=filename).first()
        if existing:
            return existing, ""
        try:
            document = import_document(
                project, data=(DEMO_DIR / filename).read_bytes(), filename=filename, user=user
            )
        except ImportRejected as error:
            return None, str(error)
        document.title = title
        document.save(update_fields=["title"])
        self.stdout.write(
            f"Imported {filename} into {project.name}: {document.segments.count()} segments."
        )
        return document, ""

    def tell_the_story(self, projects, documents, users):
        """Two weeks of work, written only on documents nobody has worked on (the
        analysis the workbench queues by itself after each import is no one's work)."""
        touched = Revision.objects.filter(segment__document__in=documents.values()).exists()
        started = any(
            document.jobs.filter(created_by__isnull=False).exists()
            for document in documents.values()
        )
        if touched or started:
            return
        try:
            with transaction.atomic():
                DemoStory(projects[0], documents, users).tell()
        except (AgentRunFailed, RecordingsOutOfStep, RecordingError) as failed:
            self.stderr.write(self.style.WARNING(f"The demo has no work in it: {failed}"))
            return
        segments = Segment.objects.filter(document__in=documents.values())
        calls = ModelCall.objects.filter(document__in=documents.values()).count()
        self.stdout.write(
            f"Wrote two weeks of demo work: {segments.filter(status='approved').count()} "
            f"segments approved, {segments.filter(status='translated').count()} confirmed, "
            f"{segments.filter(status='drafted').count()} drafted by the agents, "
            f"{Correction.objects.filter(project__in=projects).count()} corrections, "
            f"{calls} calls of the demo replay model."
        )

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
