# The revision model moved to the documents app; its table, and this foreign key's
# constraint, stay as they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0006_lifecycle_and_revisions'),
        ('feedback', '0002_corrections_lessons_candidates'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='correction',
                    name='revision',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='documents.revision'),
                ),
            ],
            database_operations=[],
        ),
    ]
