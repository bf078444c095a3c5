"""When each thing of the demo happened.

The demo's two weeks are written now, in order, through the same services people and
agents use (the lifecycle, the translation services, the drafting pipeline). Every row
they create is stamped with the moment it is written; `Timeline` remembers which rows
belong to which moment of the story and moves their timestamps there in one step at the
end, `backdate()`, so the dashboard's days, people's pace and the learning curve have
the story's shape. It only ever moves timestamps; no text, status or count changes.
"""

from collections import defaultdict

from django.db import connection, models

from workbench.dashboard.models import ModelPrice
from workbench.documents.models import Assignment, Document, Revision
from workbench.feedback.models import Correction, GlossaryCandidate, Lesson, LqaError
from workbench.jobs.models import DraftBatch, Job, ModelCall
from workbench.memory.models import Term, TranslationUnit
from workbench.projects.models import Notification
from workbench.translation.models import Annotation, Comment, Suggestion

# Every model the demo's story creates rows of. All their date-times that are set when a
# row is written follow the row to its moment; those set later (a comment resolved days
# after it was written) are moved one by one with `Timeline.at_moment`.
STAMPED = (
    Document,
    Assignment,
    Notification,
    Term,
    Job,
    DraftBatch,
    ModelCall,
    Suggestion,
    Annotation,
    Revision,
    Correction,
    GlossaryCandidate,
    TranslationUnit,
    Comment,
    Lesson,
    LqaError,
    ModelPrice,
)


def _stamp_fields(model):
    return [
        field.column
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField)
    ]


class Timeline:
    def __init__(self):
        self._marks = []  # (moment, {model: first pk of the rows written from then on})
        self._later = defaultdict(list)  # model -> [(pk, column, moment)]

    def now(self, moment):
        """Rows written from here until the next call belong to `moment`."""
        self._marks.append((moment, self._next_ids()))

    def at_moment(self, instance, moment, *fields):
        """A date-time set on an existing row (a resolution, a read notification) that
        belongs to `moment` rather than to the row's creation."""
        model = type(instance)
        for name in fields:
            self._later[model].append((instance.pk, model._meta.get_field(name).column, moment))

    def backdate(self):
        """Move every stamped row to its moment: one UPDATE per table, then the dates set
        later. The dashboard's tally triggers follow the revisions' new quarters."""
        if not self._marks:
            return
        ends = self._next_ids()
        with connection.cursor() as cursor:
            for model in STAMPED:
                spans = []
                for index, (moment, starts) in enumerate(self._marks):
                    following = self._marks[index + 1][1] if index + 1 < len(self._marks) else ends
                    if following[model] > starts[model]:
                        spans.append((starts[model], following[model], moment))
                if spans:
                    self._move(cursor, model, spans)
                if self._later[model]:
                    self._move_later(cursor, model, self._later[model])

    def _next_ids(self):
        """{model: the pk the next row will be above}: the current largest, plus one."""
        selects = ", ".join(
            f"(SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table})"  # noqa: S608
            for model in STAMPED
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {selects}")
            return dict(zip(STAMPED, cursor.fetchone(), strict=True))

    def _move(self, cursor, model, spans):
        table = model._meta.db_table
        assignments = ", ".join(
            f"{column} = CASE WHEN stamped.{column} IS NULL THEN NULL ELSE span.moment END"
            for column in _stamp_fields(model)
        )
        values = ", ".join(["(%s, %s, %s::timestamptz)"] * len(spans))
        cursor.execute(
            # Table and column names are the models' own, never input.
            f"UPDATE {table} AS stamped SET {assignments} "  # noqa: S608
            f"FROM (VALUES {values}) AS span (first_id, next_id, moment) "
            "WHERE stamped.id >= span.first_id AND stamped.id < span.next_id",
            [value for span in spans for value in span],
        )

    def _move_later(self, cursor, model, moves):
        table = model._meta.db_table
        by_column = defaultdict(list)
        for pk, column, moment in moves:
            by_column[column].append((pk, moment))
        for column, rows in by_column.items():
            values = ", ".join(["(%s, %s::timestamptz)"] * len(rows))
            cursor.execute(
                f"UPDATE {table} AS stamped SET {column} = later.moment "  # noqa: S608
                f"FROM (VALUES {values}) AS later (id, moment) WHERE stamped.id = later.id",
                [value for row in rows for value in row],
            )
