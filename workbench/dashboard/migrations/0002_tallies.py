"""Tallies of segments by status and of people's work, kept by PostgreSQL triggers.

Each table gets three statement-level triggers (INSERT, UPDATE, DELETE) whose transition
tables hold the rows the statement changed. The trigger subtracts the old rows, adds the
new ones, sums the change per tally row and applies it in one INSERT … ON CONFLICT DO
UPDATE, in the order of the unique key, so concurrent writers lose no counts and one
statement takes the rows' locks in a fixed order. A tally row stays locked until its
writer commits: writers of segments of the same document, or of one person's work, wait
for one another at that point. A statement that changes nothing counted (a saved text, a
new version number) nets to zero and touches no tally row. TRUNCATE is not counted.

The figures of people's work are defined here, once:
- a sign-off takes a segment from new or drafted (or nothing) to translated or approved;
  a person's counts as translated words, auto-propagation's as propagated words;
- an approval takes a segment to approved from any other status;
- a sign-off is offered machine text when the revision records machine text, and
  accepted when the new text equals it;
- words are the segment's word count when the revision is written (set at import).
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

QUARTER = "date_bin('15 minutes', revision.created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')"

# (column, expression over `revision`, `segment` and the flags of `what`)
WORK = [
    ("revisions", "1"),
    ("words_translated", "CASE WHEN what.person AND what.sign_off THEN segment.word_count ELSE 0 END"),
    ("words_propagated", "CASE WHEN NOT what.person AND what.sign_off THEN segment.word_count ELSE 0 END"),
    ("words_approved", "CASE WHEN what.person AND what.approval THEN segment.word_count ELSE 0 END"),
    ("timed_revisions", "CASE WHEN what.person AND revision.seconds_spent IS NOT NULL THEN 1 ELSE 0 END"),
    ("seconds", "CASE WHEN what.person THEN coalesce(revision.seconds_spent, 0) ELSE 0 END"),
    ("offered", "CASE WHEN what.person AND what.offered THEN 1 ELSE 0 END"),
    ("accepted", "CASE WHEN what.person AND what.offered AND revision.new_target = revision.machine_text THEN 1 ELSE 0 END"),
]
WORK_COLUMNS = [column for column, _ in WORK]


def work_of(revisions, sign):
    """The signed work of each person's or propagation's revision in `revisions`."""
    figures = ", ".join(f"{sign} * ({expression})" for _, expression in WORK)
    return f"""
        SELECT document.project_id, revision.author_id, {QUARTER}, {figures}
        FROM {revisions} AS revision
        JOIN documents_segment AS segment ON segment.id = revision.segment_id
        JOIN documents_document AS document ON document.id = segment.document_id
        CROSS JOIN LATERAL (SELECT
            revision.origin = 'person' AS person,
            revision.old_status IN ('', 'new', 'drafted')
                AND revision.new_status IN ('translated', 'approved') AS sign_off,
            revision.old_status IN ('', 'new', 'drafted')
                AND revision.new_status IN ('translated', 'approved')
                AND revision.machine_text <> '' AS offered,
            revision.new_status = 'approved' AND revision.old_status <> 'approved' AS approval
        ) AS what
        WHERE revision.origin IN ('person', 'propagation')"""


def tally_work(*changes):
    sums = ", ".join(f"sum(change.{column})" for column in WORK_COLUMNS)
    any_change = " OR ".join(f"sum(change.{column}) <> 0" for column in WORK_COLUMNS)
    added = ", ".join(f"{column} = tally.{column} + excluded.{column}" for column in WORK_COLUMNS)
    return f"""
        INSERT INTO dashboard_worktally AS tally
            (project_id, person_id, quarter, {", ".join(WORK_COLUMNS)})
        SELECT change.project_id, change.person_id, change.quarter, {sums}
        FROM ({" UNION ALL ".join(changes)})
            AS change (project_id, person_id, quarter, {", ".join(WORK_COLUMNS)})
        GROUP BY change.project_id, change.quarter, change.person_id
        HAVING {any_change}
        ORDER BY change.project_id, change.quarter, change.person_id
        ON CONFLICT (project_id, quarter, person_id) DO UPDATE SET {added}"""


def segments_of(segments, sign):
    return f"SELECT document_id, status, {sign}, {sign} * word_count FROM {segments}"


def tally_segments(*changes):
    # A segment deleted after its document (possible inside one transaction) has no
    # tally left to subtract from.
    return f"""
        INSERT INTO dashboard_statustally AS tally (document_id, status, segments, words)
        SELECT change.document_id, change.status, sum(change.segments), sum(change.words)
        FROM ({" UNION ALL ".join(changes)}) AS change (document_id, status, segments, words)
        WHERE EXISTS (SELECT FROM documents_document AS d WHERE d.id = change.document_id)
        GROUP BY change.document_id, change.status
        HAVING sum(change.segments) <> 0 OR sum(change.words) <> 0
        ORDER BY change.document_id, change.status
        ON CONFLICT (document_id, status) DO UPDATE
        SET segments = tally.segments + excluded.segments, words = tally.words + excluded.words"""


def triggers(table, function, insert, update, delete):
    """A function for the three kinds of statement, and its three triggers; the old and
    new rows are the transition tables old_rows and new_rows."""
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN {insert};
            ELSIF TG_OP = 'UPDATE' THEN {update};
            ELSE {delete};
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER {function}_insert AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {function}_update AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {function}_delete AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


def untriggers(table, function):
    return [
        *(f"DROP TRIGGER {function}_{event} ON {table}" for event in ("insert", "update", "delete")),
        f"DROP FUNCTION {function}()",
    ]


FOREIGN_KEYS = [
    """ALTER TABLE dashboard_statustally ADD CONSTRAINT dashboard_statustally_document_fk
        FOREIGN KEY (document_id) REFERENCES documents_document (id) ON DELETE CASCADE""",
    """ALTER TABLE dashboard_worktally ADD CONSTRAINT dashboard_worktally_project_fk
        FOREIGN KEY (project_id) REFERENCES projects_project (id) ON DELETE CASCADE""",
]

# The triggers and the first count in one transaction: creating a trigger locks its table
# against writes until the migration commits, so no change falls between the two.
SEGMENT_TRIGGERS = triggers(
    "documents_segment",
    "dashboard_tally_segments",
    insert=tally_segments(segments_of("new_rows", 1)),
    update=tally_segments(segments_of("old_rows", -1), segments_of("new_rows", 1)),
    delete=tally_segments(segments_of("old_rows", -1)),
)
WORK_TRIGGERS = triggers(
    "translation_revision",
    "dashboard_tally_work",
    insert=tally_work(work_of("new_rows", 1)),
    update=tally_work(work_of("old_rows", -1), work_of("new_rows", 1)),
    delete=tally_work(work_of("old_rows", -1)),
)
FIRST_COUNT = [
    tally_segments(segments_of("documents_segment", 1)),
    tally_work(work_of("translation_revision", 1)),
]


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0001_model_prices'),
        ('documents', '0005_assignments_and_notifications'),
        ('projects', '0005_assignments_and_notifications'),
        ('translation', '0003_revision_machine_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(max_length=10)),
                ('segments', models.IntegerField(default=0)),
                ('words', models.BigIntegerField(default=0)),
                ('document', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='documents.document')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('document', 'status'), name='one_tally_per_status')],
            },
        ),
        migrations.CreateModel(
            name='WorkTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quarter', models.DateTimeField(help_text='Start of the quarter hour (UTC-aligned)')),
                ('revisions', models.IntegerField(default=0)),
                ('words_translated', models.BigIntegerField(default=0)),
                ('words_propagated', models.BigIntegerField(default=0)),
                ('words_approved', models.BigIntegerField(default=0)),
                ('timed_revisions', models.IntegerField(default=0)),
                ('seconds', models.BigIntegerField(default=0)),
                ('offered', models.IntegerField(default=0)),
                ('accepted', models.IntegerField(default=0)),
                ('person', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project')),
            ],
        ),
        # Its own operation, not the model's option: CreateModel leaves a NULLS NOT
        # DISTINCT index to the end of the migration, after the triggers' first count.
        migrations.AddConstraint(
            model_name='worktally',
            constraint=models.UniqueConstraint(fields=('project', 'quarter', 'person'), name='one_tally_per_person_and_quarter', nulls_distinct=False),
        ),
        # Dropping the tables drops their constraints.
        migrations.RunSQL(FOREIGN_KEYS, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(
            SEGMENT_TRIGGERS + WORK_TRIGGERS + FIRST_COUNT,
            reverse_sql=untriggers("documents_segment", "dashboard_tally_segments")
            + untriggers("translation_revision", "dashboard_tally_work"),
        ),
    ]
