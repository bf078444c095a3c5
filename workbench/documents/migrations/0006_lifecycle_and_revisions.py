# Revisions move to the app that owns segments (the lifecycle writes both); their table
# keeps its name, so the move is of Django's state only. Then what the lifecycle adds:
# sent-back (rejected) status, locked segments, draft origins as choices, and the reason
# and overridden QA findings of a revision.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0005_assignments_and_notifications'),
        ('translation', '0003_revision_machine_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='segment',
            name='locked',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='segment',
            name='draft_origin',
            field=models.CharField(blank=True, choices=[('', 'Nothing yet'), ('tm', 'Translation memory'), ('agent', 'Agents'), ('person', 'A person'), ('propagation', 'Auto-propagation'), ('import', 'Imported file')], default='', max_length=12),
        ),
        migrations.AlterField(
            model_name='segment',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('drafted', 'Drafted'), ('translated', 'Translated'), ('approved', 'Approved'), ('rejected', 'Sent back')], default='new', max_length=10),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Revision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('origin', models.CharField(choices=[('person', 'Person'), ('agent', 'Agent'), ('tm', 'Translation memory'), ('import', 'Imported file'), ('propagation', 'Auto-propagation')], max_length=12)),
                        ('agent_role', models.CharField(blank=True, max_length=20)),
                        ('model_name', models.CharField(blank=True, max_length=100)),
                        ('prompt_version', models.CharField(blank=True, max_length=40)),
                        ('old_target', models.TextField(blank=True)),
                        ('new_target', models.TextField(blank=True)),
                        ('old_status', models.CharField(blank=True, max_length=10)),
                        ('new_status', models.CharField(max_length=10)),
                        ('version', models.PositiveIntegerField(help_text="The segment's version after this change")),
                        ('machine_text', models.TextField(blank=True)),
                        ('machine_origin', models.JSONField(blank=True, default=dict)),
                        ('seconds_spent', models.PositiveIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('segment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='documents.segment')),
                    ],
                    options={
                        'db_table': 'translation_revision',
                        'ordering': ['segment', 'created_at', 'pk'],
                        'indexes': [models.Index(fields=['segment', '-created_at'], name='translation_segment_db4b87_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='revision',
            name='reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='revision',
            name='overridden',
            field=models.JSONField(blank=True, default=list),
        ),
    ]
