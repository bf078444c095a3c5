"""The agents' LangGraph checkpoints live in a schema of their own (agent_checkpoints) in
the workbench's database, so a worker killed mid-batch resumes where it stopped."""

from django.db import migrations
from psycopg.conninfo import make_conninfo

from agents.checkpoints import setup_checkpoints


def create_checkpoint_schema(apps, schema_editor):
    database = schema_editor.connection.settings_dict
    parts = {
        "dbname": database["NAME"],
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    setup_checkpoints(make_conninfo(**{key: value for key, value in parts.items() if value}))


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_model_calls_and_draft_batches"),
    ]

    operations = [
        migrations.RunPython(create_checkpoint_schema, migrations.RunPython.noop),
    ]
