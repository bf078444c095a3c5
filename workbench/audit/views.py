"""The audit log of a project, for its managers: filters, pages and a CSV."""

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from workbench.projects.access import get_project_for_user
from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter

from .forms import AuditFilter
from .log import events_of, record
from .models import AuditEvent

EVENTS_PER_PAGE = 100
EVENTS_IN_CSV = 100_000
CSV_COLUMNS = [
    "at",
    "kind",
    "person",
    "address",
    "project",
    "object",
    "object_id",
    "what",
    "details",
]


@login_required
@require_GET
def audit_log(request, slug):
    project, role = get_project_for_user(request, slug, action="audit.view")
    filters = AuditFilter(request.GET)
    events = filters.filter(events_of(project))
    if request.GET.get("format") == "csv":
        record(AuditEvent.Kind.DATA_DOWNLOADED, project=project, details={"what": "audit log CSV"})
        return _csv(project, events[:EVENTS_IN_CSV])
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "project": project,
        "role": role,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "audit/audit_log.html", context)


def _csv(project, events):
    def rows():
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        buffer.write(BYTE_ORDER_MARK)
        writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            writer.writerow(
                [
                    timezone.localtime(event.at).isoformat(),
                    event.kind,
                    event.username,
                    event.address,
                    event.project_slug,
                    event.object_type,
                    event.object_pk,
                    event.object_repr,
                    event.summary,
                ]
            )
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-audit-{stamp}.csv"'
    return response
