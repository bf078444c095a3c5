# The word tokens become the words, the pairs of neighbouring words (far rarer than
# either word alone, in the set phrases of judgments) and, in Chinese and Japanese, pairs
# of characters: single words of a large memory are too common to pick candidates by.
# A generated column keeps what the old function computed, so it is dropped and added
# again around the new function.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

WORDS_AND_PAIRS = rf"""
CREATE OR REPLACE FUNCTION tm_words(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH split AS (
        SELECT array_remove(regexp_split_to_array(
            lower(regexp_replace($1, '[{CJK}]+', ' ', 'g')), '[^[:alnum:]]+'), '') AS w
    )
    SELECT array_to_tsvector(ARRAY(
        SELECT w[i] FROM split, generate_subscripts(w, 1) AS i
        UNION
        SELECT w[i] || '_' || w[i + 1] FROM split, generate_subscripts(w, 1) AS i
        WHERE i < array_length(w, 1)
        UNION
        SELECT substr($1, i, 2) FROM generate_series(1, char_length($1) - 1) AS i
        WHERE $1 ~ '[{CJK}]' AND substr($1, i, 2) ~ '^[{CJK}]{{2}}$'
    ))
$$;
"""

WORDS = rf"""
CREATE OR REPLACE FUNCTION tm_words(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN $1 ~ '[{CJK}]' THEN
        to_tsvector('simple', regexp_replace($1, '[{CJK}]+', ' ', 'g'))
        || array_to_tsvector(ARRAY(
            SELECT DISTINCT substr($1, i, 2)
            FROM generate_series(1, char_length($1) - 1) AS i
            WHERE substr($1, i, 2) ~ '^[{CJK}]{{2}}$'))
    ELSE to_tsvector('simple', $1) END
$$;
"""


def source_words():
    return models.GeneratedField(
        db_persist=True,
        expression=models.Func(models.F('source'), function='tm_words', output_field=django.contrib.postgres.search.SearchVectorField()),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('memory', '0003_unit_source_words_and_shape'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='translationunit', name='tm_unit_source_words'),
        migrations.RemoveField(model_name='translationunit', name='source_words'),
        migrations.RunSQL(WORDS_AND_PAIRS, WORDS),
        migrations.AddField(model_name='translationunit', name='source_words', field=source_words()),
        migrations.AddIndex(
            model_name='translationunit',
            index=django.contrib.postgres.indexes.GinIndex(fields=['source_words'], name='tm_unit_source_words'),
        ),
        migrations.RunSQL(
            "ALTER TABLE memory_translationunit ALTER COLUMN source_words SET STATISTICS 1000",
            migrations.RunSQL.noop,
        ),
    ]
