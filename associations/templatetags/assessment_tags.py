"""``{% assessments_for organization %}``: the published assessments of an organization
the reader may see, newest first with their scores, and a small line chart of the score
over time when there are two or more. The organization's page shows it by loading this
library in its template, so accounts does not import associations.

One query, whatever the number of assessments; the chart is drawn on the server as SVG
(no script), with the list beside it holding the same figures for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils import timezone

from portal import access
from portal.roles import WRITE_ROLES, OrganizationKind

from ..models import Assessment, AssessmentStatus

register = template.Library()

SHOWN = 20

# The chart's drawing box (SVG user units); it scales to the width of its column.
WIDTH, HEIGHT = 600, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28
GRID = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "2026-03-01 · Regional Manufacturing Association: 78.50"


@dataclass(frozen=True)
class ScoreChart:
    points: list[Point]
    polyline: str
    grid: list[tuple[float, int]]  # (y, score) of each horizontal line
    first_date: str
    last_date: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    date_y: int = HEIGHT - 8


def published_assessments(user, organization) -> list[Assessment]:
    """The organization's published assessments the user sees, newest first (at most
    SHOWN)."""
    if organization is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Assessment.objects.visible_to(user)
        .filter(organization_id=organization.pk, status=AssessmentStatus.PUBLISHED)
        .select_related("assessor")
        .order_by("-published_at", "-pk")[:SHOWN]
    )


def _y(score: Decimal) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(score) / 100), 1)


def score_chart(assessments: list[Assessment]) -> ScoreChart | None:
    """The scores over time, oldest on the left, placed by their dates (evenly when
    they share one); None for fewer than two."""
    scored = [a for a in assessments if a.score is not None and a.published_at is not None]
    if len(scored) < 2:
        return None
    scored.sort(key=lambda a: (a.published_at, a.pk))
    start, end = scored[0].published_at, scored[-1].published_at
    span = (end - start).total_seconds()
    inner = WIDTH - LEFT - RIGHT
    points = []
    for index, assessment in enumerate(scored):
        if span > 0:
            share = (assessment.published_at - start).total_seconds() / span
        else:
            share = index / (len(scored) - 1)
        day = timezone.localtime(assessment.published_at).date().isoformat()
        points.append(
            Point(
                x=round(LEFT + inner * share, 1),
                y=_y(assessment.score),
                label=f"{day} · {assessment.assessor.name}: {assessment.score}",
            )
        )
    return ScoreChart(
        points=points,
        polyline=" ".join(f"{point.x},{point.y}" for point in points),
        grid=[(_y(Decimal(score)), score) for score in GRID],
        first_date=timezone.localtime(start).date().isoformat(),
        last_date=timezone.localtime(end).date().isoformat(),
    )


def assesses(user) -> bool:
    """Whether the user drafts assessments for an association or a department (no
    query: memberships are cached on the user)."""
    kinds = {OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT}
    return bool(access.organization_ids(user, WRITE_ROLES, kinds=kinds))


@register.inclusion_tag("associations/assessments_box.html", takes_context=True)
def assessments_for(context, organization):
    request = context.get("request")
    user = getattr(request, "user", None)
    assessments = published_assessments(user, organization)
    assessable = getattr(organization, "kind", None) in (
        OrganizationKind.COLLEGE,
        OrganizationKind.ENTERPRISE,
    )
    return {
        "organization": organization,
        "assessments": assessments,
        "chart": score_chart(assessments),
        "can_assess": assessable and user is not None and assesses(user),
    }
