"""What internships puts on the home page: drafts to publish and placements open
(enterprises), placements newly open to a college, key figures (government)."""

from datetime import timedelta

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, cooperation, dashboard
from portal.roles import OrganizationKind

from .models import Placement, PlacementStatus, PracticeBase, PracticeBaseStatus

NEWLY_OPEN_DAYS = 14


def _enterprise_ids(user) -> set[int]:
    return {
        org_id
        for org_id, grant in access.grants(user).items()
        if grant.kind == OrganizationKind.ENTERPRISE and grant.role in access.WRITE_ROLES
    }


def _college_ids(user) -> set[int]:
    return {
        org_id
        for org_id, grant in access.grants(user).items()
        if grant.kind == OrganizationKind.COLLEGE
    }


@dashboard.waiting_on
def placements_to_publish(user) -> list[dashboard.WaitingItem]:
    """Draft placements of the user's enterprises, waiting to be checked and published."""
    mine = _enterprise_ids(user)
    if not mine:
        return []
    drafts = Placement.objects.filter(host_id__in=mine, status=PlacementStatus.DRAFT).order_by(
        "start_date"
    )
    return [
        dashboard.WaitingItem(
            label=_("Publish the placement “%(title)s”") % {"title": placement.title},
            url=placement.get_absolute_url(),
            category=_("Placements to publish"),
            due=placement.start_date,
        )
        for placement in drafts
    ]


@dashboard.waiting_on
def placements_newly_open(user) -> list[dashboard.WaitingItem]:
    """Placements opened to the user's colleges in the last two weeks."""
    if not _college_ids(user):
        return []
    since = timezone.now() - timedelta(days=NEWLY_OPEN_DAYS)
    placements = (
        Placement.objects.visible_to(user)
        .filter(status=PlacementStatus.PUBLISHED, published_at__gte=since)
        .exclude(host_id__in=access.organization_ids(user))
        .select_related("host")
        .order_by("start_date")
    )
    if access.sees_everything(user):
        return []
    return [
        dashboard.WaitingItem(
            label=_("%(host)s: %(title)s (%(slots)s slots)")
            % {"host": p.host.name, "title": p.title, "slots": p.slots},
            url=p.get_absolute_url(),
            category=_("Placements newly open to you"),
            due=p.start_date,
        )
        for p in placements
    ]


@dashboard.figures
def internship_figures(user) -> list[dashboard.Figure]:
    placements = Placement.objects.visible_to(user)
    published = placements.filter(status=PlacementStatus.PUBLISHED)
    figures = [
        dashboard.Figure(
            label=_("Placements open"),
            value=published.count(),
            url=f"{reverse('placement-list')}?status=published",
        )
    ]
    if access.is_government(user) or user.is_superuser:
        totals = published.aggregate(slots=Sum("slots"), filled=Sum("filled_slots"))
        figures += [
            dashboard.Figure(label=_("Internship slots open"), value=totals["slots"] or 0),
            dashboard.Figure(
                label=_("Active practice bases"),
                value=PracticeBase.objects.visible_to(user)
                .filter(status=PracticeBaseStatus.ACTIVE)
                .count(),
                url=f"{reverse('practice-base-list')}?status=active",
            ),
        ]
    return figures


@dashboard.charts
def placements_by_status(user) -> list[dashboard.Chart]:
    if not (access.is_government(user) or user.is_superuser):
        return []
    chart = dashboard.status_chart(
        Placement.objects.visible_to(user),
        PlacementStatus,
        key="placements-by-status",
        title=_("Placements by status"),
        series_label=_("Placements"),
    )
    return [chart] if chart else []


@cooperation.section
def placements_section(user, organization) -> cooperation.CooperationSection:
    rows = (
        Placement.objects.visible_to(user)
        .filter(host=organization)
        .exclude(status=PlacementStatus.DRAFT)
        .order_by("-start_date")
    )
    return cooperation.CooperationSection(
        title=_("Placements"),
        rows=[
            cooperation.CooperationRow(
                label=p.title,
                url=p.get_absolute_url(),
                status=p.get_status_display(),
                detail=f"{p.get_internship_type_display()} · {p.city} · {p.start_date:%Y-%m-%d}",
            )
            for p in rows
        ],
        empty_text=_("No placements posted."),
    )
