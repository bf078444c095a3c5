"""Write the API's OpenAPI schema to docs/openapi.json (the committed copy that a test
compares with the code), or check that the committed copy is current."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workbench.api.v1 import api

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"
REGENERATE = ".venv/bin/python manage.py openapi_schema"


def current_schema():
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def rendered(schema):
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write docs/openapi.json from the code, or --check that it is current."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, check=False, **options):
        text = rendered(current_schema())
        if check:
            if not COMMITTED.exists() or COMMITTED.read_text() != text:
                raise CommandError(f"{COMMITTED} is not the schema of the code; run {REGENERATE}.")
            self.stdout.write("The committed schema is current.")
            return
        COMMITTED.write_text(text)
        self.stdout.write(f"Wrote {COMMITTED}.")
