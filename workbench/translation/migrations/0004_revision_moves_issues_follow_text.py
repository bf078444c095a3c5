# Revisions now belong to the documents app (its migration 0006 takes over the table);
# issues record the text they were raised on and can become outdated.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0006_lifecycle_and_revisions'),
        ('feedback', '0003_revision_in_documents'),
        ('translation', '0003_revision_machine_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='annotation',
            name='target_text',
            field=models.TextField(blank=True, help_text='The target it was raised on'),
        ),
        migrations.AlterField(
            model_name='annotation',
            name='category',
            field=models.CharField(choices=[('accuracy', 'Accuracy'), ('omission', 'Omission'), ('addition', 'Addition'), ('terminology', 'Terminology'), ('citation', 'Citation'), ('number_date', 'Number or date'), ('style', 'Style'), ('fluency', 'Fluency'), ('tags', 'Tags')], max_length=12),
        ),
        migrations.AlterField(
            model_name='annotation',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('dismissed', 'Dismissed'), ('outdated', 'Outdated')], default='open', max_length=10),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Revision')],
            database_operations=[],
        ),
    ]
