"""What happened in a project, newest first: imports, agent runs, approvals, send-backs,
exports and assignments.

The feed is read from the rows the work leaves behind (documents, jobs, revisions,
comments, assignments; Django's default table names) with one UNION ALL query, so there is no event table to keep in
step with them. Approvals are many, one revision per segment, so they are grouped per
reviewer, document and day: "rita approved 40 segments of …".
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from workbench.projects.forms import DateField

from .metrics import AGENT_KINDS, local_today, start_of

DEFAULT_DAYS = 14
KINDS = {
    "import": "Imports",
    "agents": "Agent and TM runs",
    "approval": "Approvals",
    "send_back": "Send-backs",
    "export": "Exports",
    "assignment": "Assignments",
}


class ActivityFilter(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Everything")] + list(KINDS.items()), required=False)
    person = forms.ModelChoiceField(queryset=None, required=False, empty_label="Everyone")
    since = DateField(required=False)
    until = DateField(required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model().objects.filter(memberships__project=project).order_by("username")
        )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("“Since” is after “until”; swap the two dates.")
        return data

    def choices(self):
        """The valid filters, with defaults (the last two weeks) for what is missing or
        invalid; the form shows the errors."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if self.non_field_errors():
            data = {key: value for key, value in data.items() if key not in ("since", "until")}
        until = data.get("until") or local_today()
        since = data.get("since") or until - datetime.timedelta(days=DEFAULT_DAYS - 1)
        person = data.get("person")
        return {
            "kind": data.get("kind") or "",
            "person": person.pk if person else None,
            "since": since,
            "until": until,
        }


# Each part selects (at, kind, person, document id, title, detail, amount) for one kind
# of event, restricted to the project, the time window and, when given, one person.
PARTS = {
    "import": """
        SELECT d.created_at AS at, 'import' AS kind, u.username AS person,
            d.id AS document_id, d.title AS title,
            d.original_filename || ' (' || d.status || ')' AS detail, NULL::int AS amount
        FROM documents_document d LEFT JOIN auth_user u ON u.id = d.created_by_id
        WHERE d.project_id = %(project)s
            AND (%(person)s::bigint IS NULL OR d.created_by_id = %(person)s)
            AND d.created_at >= %(start)s AND d.created_at < %(end)s""",
    "agents": """
        SELECT j.created_at, 'agents', u.username, j.document_id, d.title,
            j.kind || ': ' || j.status
                || CASE WHEN j.error <> '' THEN ' — ' || left(j.error, 200) ELSE '' END,
            j.progress_done
        FROM jobs_job j LEFT JOIN auth_user u ON u.id = j.created_by_id
            LEFT JOIN documents_document d ON d.id = j.document_id
        WHERE j.project_id = %(project)s AND j.kind = ANY(%(agent_kinds)s)
            AND (%(person)s::bigint IS NULL OR j.created_by_id = %(person)s)
            AND j.created_at >= %(start)s AND j.created_at < %(end)s""",
    "export": """
        SELECT j.created_at, 'export', u.username, j.document_id, d.title,
            'export: ' || j.status
                || CASE WHEN j.error <> '' THEN ' — ' || left(j.error, 200) ELSE '' END,
            j.progress_done
        FROM jobs_job j LEFT JOIN auth_user u ON u.id = j.created_by_id
            LEFT JOIN documents_document d ON d.id = j.document_id
        WHERE j.project_id = %(project)s AND j.kind = 'export'
            AND (%(person)s::bigint IS NULL OR j.created_by_id = %(person)s)
            AND j.created_at >= %(start)s AND j.created_at < %(end)s""",
    "approval": """
        SELECT max(r.created_at), 'approval', u.username, d.id, d.title,
            'approved ' || count(*) || CASE WHEN count(*) > 1 THEN ' segments, ' ELSE
                ' segment, ' END || sum(s.word_count) || ' words',
            count(*)::int
        FROM translation_revision r JOIN documents_segment s ON s.id = r.segment_id
            JOIN documents_document d ON d.id = s.document_id
            JOIN auth_user u ON u.id = r.author_id
        WHERE d.project_id = %(project)s AND r.origin = 'person'
            AND r.new_status = 'approved' AND r.old_status <> 'approved'
            AND (%(person)s::bigint IS NULL OR r.author_id = %(person)s)
            AND r.created_at >= %(start)s AND r.created_at < %(end)s
        GROUP BY u.username, d.id, d.title, (r.created_at AT TIME ZONE %(zone)s)::date""",
    "send_back": """
        SELECT c.created_at, 'send_back', u.username, d.id, d.title,
            'sent back segment ' || s.position || ': ' || left(c.text, 200), NULL::int
        FROM translation_comment c JOIN documents_segment s ON s.id = c.segment_id
            JOIN documents_document d ON d.id = s.document_id
            LEFT JOIN auth_user u ON u.id = c.author_id
        WHERE d.project_id = %(project)s AND c.is_send_back
            AND (%(person)s::bigint IS NULL OR c.author_id = %(person)s)
            AND c.created_at >= %(start)s AND c.created_at < %(end)s""",
    "assignment": """
        SELECT a.created_at, 'assignment', u.username, d.id, d.title,
            'assigned ' || p.username || ' to '
                || CASE a.role WHEN 'reviewer' THEN 'review' ELSE 'translate' END
                || CASE WHEN a.first_position IS NULL THEN ' the whole document'
                    ELSE ' segments ' || a.first_position || '–' || a.last_position END,
            NULL::int
        FROM documents_assignment a JOIN documents_document d ON d.id = a.document_id
            JOIN auth_user p ON p.id = a.assignee_id
            LEFT JOIN auth_user u ON u.id = a.assigned_by_id
        WHERE d.project_id = %(project)s
            AND (%(person)s::bigint IS NULL OR a.assigned_by_id = %(person)s)
            AND a.created_at >= %(start)s AND a.created_at < %(end)s""",
}
COLUMNS = ["at", "kind", "person", "document_id", "title", "detail", "amount"]


def activity(project, *, kind="", person=None, since, until, limit):
    """The newest `limit` events of the project between two local dates (inclusive)."""
    parts = [PARTS[kind]] if kind else list(PARTS.values())
    query = " UNION ALL ".join(f"({part})" for part in parts)
    params = {
        "project": project.pk,
        "person": person,
        "agent_kinds": list(AGENT_KINDS),
        "zone": settings.TIME_ZONE,
        "start": start_of(since),
        "end": start_of(until + datetime.timedelta(days=1)),
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"{query} ORDER BY 1 DESC LIMIT %(limit)s", params)  # noqa: S608
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["at"] = timezone.localtime(row["at"])
        row["kind_label"] = KINDS[row["kind"]]
    return rows
