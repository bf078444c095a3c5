from django import forms
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from workbench.documents.models import Revision, Segment
from workbench.projects.forms import DateField

from .models import Annotation, Comment


class SegmentFilter(forms.Form):
    """The editor's filters, read from the query string so a filtered view is a link."""

    status = forms.MultipleChoiceField(
        choices=Segment.Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    risk = forms.MultipleChoiceField(
        choices=[(level, level.capitalize()) for level in ("high", "medium", "low")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Risk",
    )
    issues = forms.BooleanField(required=False, label="Open issues")
    comments = forms.BooleanField(required=False, label="Unresolved comments")
    overridden = forms.BooleanField(required=False, label="QA overridden")
    mine = forms.BooleanField(required=False, label="Assigned to me")
    since = DateField(required=False, label="Changed since")
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Source or target"}),
    )
    go = forms.IntegerField(
        required=False,
        min_value=1,
        label="Go to #",
        widget=forms.NumberInput(attrs={"placeholder": "#"}),
    )

    def segments(self, document, user):
        """The document's segments that pass the filters; invalid fields are ignored (the
        form shows their errors)."""
        self.is_valid()
        data = self.cleaned_data
        segments = document.segments.all()
        if data.get("status"):
            segments = segments.filter(status__in=data["status"])
        if data.get("risk"):
            segments = segments.filter(risk__in=data["risk"])
        if data.get("issues"):
            segments = segments.filter(
                Exists(Annotation.objects.filter(segment=OuterRef("pk"), status="open"))
            )
        if data.get("comments"):
            segments = segments.filter(
                Exists(Comment.objects.filter(segment=OuterRef("pk"), resolved=False))
            )
        if data.get("overridden"):
            # Its text as it stands was confirmed or approved over blocking QA findings.
            segments = segments.filter(
                Exists(
                    Revision.objects.filter(
                        segment=OuterRef("pk"), new_target=OuterRef("target")
                    ).exclude(overridden=[])
                )
            )
        if data.get("mine"):
            segments = segments.filter(pk__in=document.segments_assigned_to(user).values("pk"))
        if data.get("since"):
            segments = segments.filter(updated_at__date__gte=data["since"])
        if data.get("q"):
            segments = segments.filter(
                Q(source__icontains=data["q"]) | Q(target__icontains=data["q"])
            )
        return segments

    @property
    def is_filtered(self):
        return any(
            self.cleaned_data.get(name)
            for name in (
                "status",
                "risk",
                "issues",
                "comments",
                "overridden",
                "mine",
                "since",
                "q",
            )
        )


def with_row_facts(segments):
    """What a row shows besides the segment itself, in the same query: open issues (and
    whether one is critical) and unresolved comments."""
    open_issues = Annotation.objects.filter(segment=OuterRef("pk"), status="open")
    open_comments = Comment.objects.filter(segment=OuterRef("pk"), resolved=False)
    return segments.annotate(
        open_issue_count=_count(open_issues),
        has_critical_issue=Exists(open_issues.filter(severity="critical")),
        open_comment_count=_count(open_comments),
    )


def _count(related):
    counted = related.order_by().values("segment").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def seen_versions(value):
    """{segment id: version} from the grid's "id:version,id:version" of the rows on
    screen; anything malformed is left out."""
    seen = {}
    for pair in value.split(","):
        pk, _, version = pair.partition(":")
        if pk.strip().isdigit() and version.strip().isdigit():
            seen[int(pk)] = int(version)
    return seen
