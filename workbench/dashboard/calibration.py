"""Risk calibration: how well the agents' risk levels predicted what people changed, so
the manager can choose whether low-risk segments may skip review.

Among the segments people reviewed (confirmed or approved the agents' text, each counted
once as it finally stands: the current `feedback.Correction`), for each risk level: how
many, how many people edited, and the mean HTER between the machine text and the
person's (sacrebleu's TER, as the corrections measure it). Segments the project's policy
let skip review are counted apart: nobody looked at them, so they say nothing about the
risk's accuracy.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from workbench.documents.models import Revision, Segment
from workbench.feedback.models import Correction

LEVELS = (Segment.Risk.LOW, Segment.Risk.MEDIUM, Segment.Risk.HIGH)
AGENT_ROLES = ("translator", "proofreader")


@dataclass(frozen=True)
class CalibrationRow:
    level: str
    label: str
    reviewed: int
    edited: int
    mean_hter: float | None
    skipped: int

    @property
    def edited_share(self):
        return self.edited / self.reviewed if self.reviewed else None


def risk_calibration(project):
    """One row per risk level, low to high."""
    reviewed = {
        row["segment__risk"]: row
        for row in Correction.objects.current()
        .filter(project=project, agent_role__in=AGENT_ROLES, segment__risk__in=LEVELS)
        .values("segment__risk")
        .annotate(
            reviewed=Count("pk"),
            edited=Count("pk", filter=Q(edit_distance__gt=0)),
            mean_hter=Avg("hter"),
        )
    }
    skipped = dict(
        Revision.objects.filter(segment__document__project=project, origin=Revision.Origin.POLICY)
        .values("segment__risk")
        .annotate(n=Count("segment", distinct=True))
        .values_list("segment__risk", "n")
    )
    return [
        CalibrationRow(
            level=level,
            label=Segment.Risk(level).label,
            reviewed=reviewed.get(level, {}).get("reviewed", 0),
            edited=reviewed.get(level, {}).get("edited", 0),
            mean_hter=reviewed.get(level, {}).get("mean_hter"),
            skipped=skipped.get(level, 0),
        )
        for level in LEVELS
    ]
