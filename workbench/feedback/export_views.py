"""The export page: a manager chooses a format and filters, a background job writes the
file, and the download goes through a permission check, never a public media URL."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from workbench import audit
from workbench.audit.models import AuditEvent
from workbench.documents.models import Segment
from workbench.jobs.services import TooManyJobs
from workbench.projects.access import get_project_for_user
from workbench.projects.forms import DateField

from .exports import FORMATS
from .models import Export

# htmx stops polling an element when the response has this status.
STOP_POLLING = 286


def get_export_for_user(request, slug, export_id):
    """Return the export; 404 for outsiders, 403 for members who are not managers."""
    project, _ = get_project_for_user(request, slug, action="export.create")
    return get_object_or_404(project.exports.select_related("project", "job"), pk=export_id)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=Export.Format.choices, initial=Export.Format.TMX)
    document = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All documents of the project"
    )
    statuses = forms.MultipleChoiceField(
        choices=Segment.Status.choices,
        initial=[Segment.Status.APPROVED],
        widget=forms.CheckboxSelectMultiple,
        label="Segments with status",
    )
    since = DateField(required=False, label="Changed on or after")
    until = DateField(required=False, label="Changed on or before")

    def __init__(self, project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = project.documents.filter(status="ready")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The date range ends before it starts; swap the two dates.")
        if (
            data.get("format")
            and FORMATS[data["format"]].whole_document
            and not data.get("document")
        ):
            self.add_error("document", "A Word file is one document: choose which one.")
        return data


@login_required
def export_page(request, slug):
    project, role = get_project_for_user(request, slug, action="export.create")
    form = ExportForm(project, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = Export.start(project, request.user, **form.cleaned_data)
        except TooManyJobs as refused:
            messages.error(request, str(refused))
        else:
            audit.record(
                AuditEvent.Kind.EXPORT_CREATED,
                project=project,
                target=export,
                details=export.criteria(),
            )
            messages.success(request, "The export has started; its file appears below when ready.")
            return redirect("corpus_export", slug=slug)
    exports = project.exports.select_related("project", "document", "job", "created_by")[:50]
    return render(
        request,
        "feedback/export.html",
        {"project": project, "role": role, "form": form, "exports": exports},
    )


@login_required
@require_GET
def export_status(request, slug, export_id):
    export = get_export_for_user(request, slug, export_id)
    response = render(request, "feedback/export_status.html", {"export": export})
    if export.is_ready or export.job is None or export.job.is_finished:
        response.status_code = STOP_POLLING
    return response


@login_required
@require_GET
def export_download(request, slug, export_id):
    export = get_export_for_user(request, slug, export_id)
    if not export.is_ready:
        raise Http404("This export has no file yet; wait for its job to finish.")
    audit.record(
        AuditEvent.Kind.EXPORT_DOWNLOADED,
        project=export.project,
        target=export,
        details={**export.criteria(), "units": export.units},
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type=FORMATS[export.format].content_type,
    )
