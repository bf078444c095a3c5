# Fuzzy lookup moves from PostgreSQL's word index to each process's match index
# (workbench/memory/match_index.py): the word column, its index and function go, and
# each unit records the transaction that last wrote it, by which the match index takes
# in what changed since it last looked.

import importlib

import django.db.models.deletion
import workbench.memory.models.tm
from django.conf import settings
from django.db import migrations, models


# What lookup searched before, restored when this migration is reversed.
WORDS = importlib.import_module("workbench.memory.migrations.0004_unit_source_word_pairs")

CHANGED = """
CREATE FUNCTION tm_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;
CREATE TRIGGER tm_unit_changed BEFORE UPDATE ON memory_translationunit
FOR EACH ROW EXECUTE FUNCTION tm_unit_changed();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0009_revision_skipped_review_index'),
        ('memory', '0006_analysis_by_match_band'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='translationunit',
            name='tm_unit_source_words',
        ),
        migrations.RemoveField(
            model_name='translationunit',
            name='source_words',
        ),
        migrations.RunSQL("DROP FUNCTION tm_words(text)", WORDS.WORDS_AND_PAIRS),
        migrations.AddField(
            model_name='translationunit',
            name='changed_xid',
            field=models.BigIntegerField(db_default=workbench.memory.models.tm.CurrentTransaction(), editable=False),
        ),
        migrations.AddIndex(
            model_name='translationunit',
            index=models.Index(fields=['memory', 'changed_xid'], name='tm_unit_changed_xid'),
        ),
        migrations.AlterField(
            model_name='translationunit',
            name='memory',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='units', to='memory.translationmemory'),
        ),
        migrations.RunSQL(
            CHANGED,
            "DROP TRIGGER tm_unit_changed ON memory_translationunit; DROP FUNCTION tm_unit_changed();",
        ),
    ]
