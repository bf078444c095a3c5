# Word tokens and a number-blind fingerprint of each unit's source, for fuzzy lookup at
# the scale of a million units (see workbench/memory/lookup.py).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

# Han, kana: scripts written without spaces, whose words are found by character bigrams.
CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

FUNCTIONS = rf"""
CREATE FUNCTION tm_words(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN $1 ~ '[{CJK}]' THEN
        to_tsvector('simple', regexp_replace($1, '[{CJK}]+', ' ', 'g'))
        || array_to_tsvector(ARRAY(
            SELECT DISTINCT substr($1, i, 2)
            FROM generate_series(1, char_length($1) - 1) AS i
            WHERE substr($1, i, 2) ~ '^[{CJK}]{{2}}$'))
    ELSE to_tsvector('simple', $1) END
$$;

CREATE FUNCTION tm_shape(text) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT md5(regexp_replace(
        regexp_replace(btrim($1, E' \t\n\r'), '\s+', ' ', 'g'),
        '[0-9]+([.,:/][0-9]+)*', '#', 'g'))::uuid
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('memory', '0002_initial_models'),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, "DROP FUNCTION tm_words(text); DROP FUNCTION tm_shape(text);"),
        migrations.AddField(
            model_name='translationunit',
            name='source_words',
            field=models.GeneratedField(db_persist=True, expression=models.Func(models.F('source'), function='tm_words', output_field=django.contrib.postgres.search.SearchVectorField()), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='translationunit',
            name='source_shape',
            field=models.GeneratedField(db_persist=True, expression=models.Func(models.F('source'), function='tm_shape', output_field=models.UUIDField()), output_field=models.UUIDField()),
        ),
        migrations.AddIndex(
            model_name='translationunit',
            index=django.contrib.postgres.indexes.GinIndex(fields=['source_words'], name='tm_unit_source_words'),
        ),
        migrations.AddIndex(
            model_name='translationunit',
            index=models.Index(fields=['memory', 'source_shape'], name='tm_unit_source_shape'),
        ),
        # Lookup reads word frequencies from these statistics: 10,000 most common words
        # instead of 1,000, so that "rare" means rare in a million units.
        migrations.RunSQL(
            "ALTER TABLE memory_translationunit ALTER COLUMN source_words SET STATISTICS 1000",
            migrations.RunSQL.noop,
        ),
    ]
