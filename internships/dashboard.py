"""What internships puts on the home page. Enterprise HR: drafts to publish, slots
filled, nominations to answer, interns on site, compliance warnings. Colleges:
placements newly open, students placed or not, offers awaiting the student's answer,
gates missing before a start, teacher evaluations due. Government: key figures,
warnings and breaches, placements and interns by status, type and city. Every provider
runs a fixed number of queries, however many rows it shows."""

from datetime import timedelta
from urllib.parse import quote

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import access, cooperation, dashboard
from portal.roles import OrganizationKind

from . import compliance
from .jobs import missing_gate_names
from .models import (
    HOLDING_STATUSES,
    EvaluatorRole,
    InternshipType,
    Nomination,
    NominationStatus,
    Placement,
    PlacementStatus,
    PracticeBase,
    PracticeBaseStatus,
    Student,
    StudentStatus,
)
from .services import (
    owed_evaluation_roles,
    secondment_colleges,
    student_colleges,
    teachers_short_of_days,
)

NEWLY_OPEN_DAYS = 14
SOON_DAYS = 7
# A home page lists at most SHOWN items of each kind (the lists behind them have every
# one), reads at most SCANNED rows to find those needing a check in Python, and looks
# back LOOK_BACK_DAYS at internships that should have started or been evaluated.
SHOWN = 20
SCANNED = 200
LOOK_BACK_DAYS = 90


def _enterprise_ids(user) -> set[int]:
    return access.organization_ids(user, access.WRITE_ROLES, kinds={OrganizationKind.ENTERPRISE})


def _college_ids(user) -> set[int]:
    return access.organization_ids(user, kinds={OrganizationKind.COLLEGE})


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


# --- enterprise HR: open placements, nominations to answer, interns, warnings -------


@dashboard.figures
def enterprise_internship_figures(user) -> list[dashboard.Figure]:
    """Slots filled in the open placements of the user's enterprises, and interns on site."""
    mine = _enterprise_ids(user)
    if not mine:
        return []
    totals = Placement.objects.filter(host_id__in=mine, status=PlacementStatus.PUBLISHED).aggregate(
        slots=Sum("slots"), filled=Sum("filled_slots")
    )
    on_site = Nomination.objects.filter(
        placement__host_id__in=mine, status=NominationStatus.STARTED
    ).count()
    return [
        dashboard.Figure(
            label=_("Slots filled in your open placements"),
            value=f"{totals['filled'] or 0} / {totals['slots'] or 0}",
            url=f"{reverse('placement-list')}?status=published",
        ),
        dashboard.Figure(
            label=_("Interns on site"),
            value=on_site,
            url=f"{reverse('nomination-list')}?status=started",
        ),
    ]


@dashboard.waiting_on
def nominations_to_answer(user) -> list[dashboard.WaitingItem]:
    """Nominated and shortlisted students on the placements of the user's enterprises,
    one line per placement."""
    mine = _enterprise_ids(user)
    if not mine:
        return []
    rows = (
        Nomination.objects.filter(
            placement__host_id__in=mine,
            status__in=(NominationStatus.NOMINATED, NominationStatus.SHORTLISTED),
        )
        .values("placement_id", "placement__title", "placement__start_date")
        .annotate(total=Count("pk"))
        .order_by("placement__start_date", "placement_id")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=ngettext(
                "Answer %(count)d nomination for “%(title)s”",
                "Answer %(count)d nominations for “%(title)s”",
                row["total"],
            )
            % {"count": row["total"], "title": row["placement__title"]},
            url=reverse("placement-detail", args=[row["placement_id"]]) + "?tab=nominations",
            category=_("Nominations to answer"),
            due=row["placement__start_date"],
        )
        for row in rows
    ]


@dashboard.waiting_on
def placements_with_warnings(user) -> list[dashboard.WaitingItem]:
    """Published placements of the user's enterprises that carry compliance warnings."""
    mine = _enterprise_ids(user)
    if not mine:
        return []
    warned = (
        Placement.objects.filter(host_id__in=mine, status=PlacementStatus.PUBLISHED)
        .exclude(compliance_warnings=[])
        .order_by("start_date", "pk")[:SHOWN]
    )
    return [
        dashboard.WaitingItem(
            label=ngettext(
                "“%(title)s” has %(count)d compliance warning",
                "“%(title)s” has %(count)d compliance warnings",
                len(placement.compliance_warnings),
            )
            % {"title": placement.title, "count": len(placement.compliance_warnings)},
            url=placement.get_absolute_url(),
            category=_("Placements with compliance warnings"),
            due=placement.start_date,
        )
        for placement in warned
    ]


# --- colleges: students placed, offers, gates before the start, evaluations --------


@dashboard.figures
def college_internship_figures(user) -> list[dashboard.Figure]:
    """Enrolled students of the user's colleges holding a placement (accepted or
    started), and those not."""
    colleges = _college_ids(user)
    if not colleges:
        return []
    holding = Exists(
        Nomination.objects.filter(student_id=OuterRef("pk"), status__in=HOLDING_STATUSES)
    )
    counts = Student.objects.filter(
        college_id__in=colleges, status=StudentStatus.ENROLLED
    ).aggregate(total=Count("pk"), placed=Count("pk", filter=Q(holding)))
    students_url = f"{reverse('student-list')}?status=enrolled"
    return [
        dashboard.Figure(label=_("Students placed"), value=counts["placed"], url=students_url),
        dashboard.Figure(
            label=_("Students not placed"),
            value=counts["total"] - counts["placed"],
            url=students_url,
        ),
    ]


def _college_nominations(user, status: str):
    colleges = _college_ids(user)
    if not colleges:
        return Nomination.objects.none()
    return Nomination.objects.filter(college_id__in=colleges, status=status).select_related(
        "student", "placement"
    )


@dashboard.waiting_on
def offers_awaiting_answer(user) -> list[dashboard.WaitingItem]:
    """Offers made to the user's colleges' students, waiting for the student's answer."""
    offered = _college_nominations(user, NominationStatus.OFFERED).order_by(
        "placement__start_date", "pk"
    )[:SHOWN]
    return [
        dashboard.WaitingItem(
            label=_("Record %(name)s's answer to the offer of “%(title)s”")
            % {"name": nomination.student.name, "title": nomination.placement.title},
            url=nomination.get_absolute_url(),
            category=_("Offers waiting for the student's answer"),
            due=nomination.placement.start_date,
        )
        for nomination in offered
    ]


@dashboard.waiting_on
def gates_missing_before_start(user) -> list[dashboard.WaitingItem]:
    """Accepted nominations whose placement starts within a week (or has started) with
    gates still missing. The gates read only the loaded student and placement."""
    today = timezone.localdate()
    accepted = (
        _college_nominations(user, NominationStatus.ACCEPTED)
        .filter(
            placement__start_date__lte=today + timedelta(days=SOON_DAYS),
            placement__start_date__gte=today - timedelta(days=LOOK_BACK_DAYS),
        )
        .order_by("placement__start_date", "pk")[:SCANNED]
    )
    items = []
    for nomination in accepted:
        if len(items) == SHOWN:
            break
        gates = compliance.missing_gates(nomination)
        if gates:
            items.append(
                dashboard.WaitingItem(
                    label=_("Gates missing for %(name)s at “%(title)s”: %(gates)s")
                    % {
                        "name": nomination.student.name,
                        "title": nomination.placement.title,
                        "gates": missing_gate_names(gates),
                    },
                    url=nomination.get_absolute_url(),
                    category=_("Internships starting soon with gates missing"),
                    due=nomination.placement.start_date,
                )
            )
    return items


@dashboard.waiting_on
def teacher_evaluations_due(user) -> list[dashboard.WaitingItem]:
    """Started internships of the user's colleges' students that have ended or end within
    a week, still without the tracking teacher's evaluation."""
    today = timezone.localdate()
    ending = (
        _college_nominations(user, NominationStatus.STARTED)
        .filter(
            placement__end_date__lte=today + timedelta(days=SOON_DAYS),
            placement__end_date__gte=today - timedelta(days=LOOK_BACK_DAYS),
        )
        .prefetch_related("evaluations")
        .order_by("placement__end_date", "pk")[:SCANNED]
    )
    due = [
        dashboard.WaitingItem(
            label=_("Record the tracking teacher's evaluation of %(name)s at “%(title)s”")
            % {"name": nomination.student.name, "title": nomination.placement.title},
            url=nomination.get_absolute_url(),
            category=_("Evaluations due"),
            due=nomination.placement.end_date,
        )
        for nomination in ending
        if EvaluatorRole.TEACHER in owed_evaluation_roles(nomination)
    ]
    return due[:SHOWN]


# --- government: by type and city, warnings and breaches ----------------------------

CHART_CITIES = 8


def _oversees(user) -> bool:
    return access.is_government(user) or user.is_superuser


def _interns_gated_out() -> int:
    """Started internships with a recorded gate missing: ``nomination_start`` refuses
    that, so any counted here were written around it. One COUNT over the started
    nominations (the status index), the gates' fields tested in SQL; the guardian's
    consent, which depends on the age, is left to ``compliance.missing_gates``."""
    on_the_job = Q(placement__internship_type=InternshipType.ON_THE_JOB)
    missing = (
        on_the_job & (Q(tripartite_signed_on__isnull=True) | Q(tripartite_scan__isnull=True))
        | Q(insurer="")
        | Q(policy_number="")
        | Q(policy_paid_by="")
        | Q(policy_start__isnull=True)
        | Q(policy_end__isnull=True)
        | Q(policy_start__gt=F("placement__start_date"))
        | Q(policy_end__lt=F("placement__end_date"))
        | Q(tracking_teacher_name="")
        | Q(guide_name="") & Q(placement__guide_name="")
    )
    return Nomination.objects.filter(missing, status=NominationStatus.STARTED).count()


@dashboard.figures
def oversight_internship_figures(user) -> list[dashboard.Figure]:
    """Interns on site, placements with warnings, and breaches that should be zero."""
    if not _oversees(user):
        return []
    published_url = f"{reverse('placement-list')}?status=published"
    return [
        dashboard.Figure(
            label=_("Interns on site"),
            value=Nomination.objects.filter(status=NominationStatus.STARTED).count(),
            url=f"{reverse('nomination-list')}?status=started",
        ),
        dashboard.Figure(
            label=_("Open placements with compliance warnings"),
            value=Placement.objects.filter(status=PlacementStatus.PUBLISHED)
            .exclude(compliance_warnings=[])
            .count(),
            url=published_url,
        ),
        dashboard.Figure(
            label=_("Breaches: interns started with gates missing"), value=_interns_gated_out()
        ),
    ]


def _top(counts: dict[str, int], limit: int) -> tuple[list[str], list[int]]:
    """The ``limit`` largest counts, the rest summed as “Other cities”."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    labels = [label for label, _count in ranked[:limit]]
    values = [count for _label, count in ranked[:limit]]
    rest = sum(count for _label, count in ranked[limit:])
    if rest:
        labels.append(_("Other cities"))
        values.append(rest)
    return labels, values


def _counts_by(field: str) -> dict[str, dict[str, int]]:
    """Open placements and interns on site for each value of a placement field."""
    rows = (
        Placement.objects.order_by()
        .values(field)
        .annotate(
            placements=Count("pk", filter=Q(status=PlacementStatus.PUBLISHED), distinct=True),
            interns=Count("nominations", filter=Q(nominations__status=NominationStatus.STARTED)),
        )
    )
    return {row[field]: row for row in rows}


@dashboard.charts
def placements_and_interns_charts(user) -> list[dashboard.Chart]:
    """Open placements and interns on site, by internship type and by city (each chart
    also renders as a table for screen readers). Two queries."""
    if not _oversees(user):
        return []
    by_type, by_city = _counts_by("internship_type"), _counts_by("city")
    measures = (
        (
            "placements",
            _("Open placements by internship type"),
            _("Open placements by city"),
            _("Placements"),
        ),
        (
            "interns",
            _("Interns on site by internship type"),
            _("Interns on site by city"),
            _("Interns"),
        ),
    )
    charts = []
    for measure, title, _city_title, series in measures:
        values = [by_type.get(kind, {}).get(measure, 0) for kind in InternshipType.values]
        if any(values):
            charts.append(
                dashboard.Chart(
                    key=f"{measure}-by-internship-type",
                    title=title,
                    kind="bar",
                    labels=[str(label) for label in InternshipType.labels],
                    values=values,
                    series_label=series,
                )
            )
    for measure, _type_title, title, series in measures:
        counts = {city: row[measure] for city, row in by_city.items() if row[measure]}
        if counts:
            labels, values = _top(counts, CHART_CITIES)
            charts.append(
                dashboard.Chart(
                    key=f"{measure}-by-city",
                    title=title,
                    kind="bar",
                    labels=labels,
                    values=values,
                    series_label=series,
                )
            )
    return charts


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


@cooperation.section
def practice_bases_section(user, organization) -> cooperation.CooperationSection:
    """The practice bases the organization hosts or serves, as far as the user sees."""
    rows = (
        PracticeBase.objects.visible_to(user)
        .filter(Q(host=organization) | Q(colleges__organization=organization))
        .select_related("host")
        .distinct()
        .order_by("name")
    )
    return cooperation.CooperationSection(
        title=_("Practice bases"),
        rows=[
            cooperation.CooperationRow(
                label=base.name,
                url=base.get_absolute_url(),
                status=base.get_status_display(),
                detail=_("%(host)s · %(stations)d stations")
                % {"host": base.host.name, "stations": base.stations},
            )
            for base in rows
        ],
        empty_text=_("Neither hosts nor uses a practice base."),
    )


@dashboard.waiting_on
def teachers_short_of_enterprise_days(user) -> list[dashboard.WaitingItem]:
    """Specialty teachers of the user's colleges (admins and staff) with fewer than 180
    days in enterprises over the last five years. One query for all of them."""
    college_ids = secondment_colleges(user, access.WRITE_ROLES)
    if not college_ids:
        return []
    list_url = reverse("secondment-list")
    return [
        dashboard.WaitingItem(
            label=_(
                "Specialty teacher %(name)s has %(days)d of %(required)d days in enterprises "
                "over five years"
            )
            % {"name": teacher.teacher_name, "days": teacher.days, "required": teacher.required},
            url=f"{list_url}?college={teacher.college_id}"
            f"&teacher_number={quote(teacher.teacher_number)}",
            category=_("Teachers short of enterprise practice"),
        )
        for teacher in teachers_short_of_days(college_ids, timezone.localdate())
    ]


@cooperation.figure
def active_practice_bases_figure(user, organization) -> cooperation.CooperationFigure:
    """Bases a college is served by, or that another organization hosts."""
    serves = organization.kind == OrganizationKind.COLLEGE
    field, lookup = ("college", "colleges__organization") if serves else ("host", "host")
    count = (
        PracticeBase.objects.visible_to(user)
        .filter(
            status=PracticeBaseStatus.ACTIVE,
            pk__in=PracticeBase.objects.filter(**{lookup: organization}).values("pk"),
        )
        .count()
    )
    query = urlencode({field: organization.pk, "status": PracticeBaseStatus.ACTIVE})
    return cooperation.CooperationFigure(
        _("Active practice bases"), count, f"{reverse('practice-base-list')}?{query}"
    )


@cooperation.figure
def published_placements_figure(user, organization) -> cooperation.CooperationFigure:
    count = (
        Placement.objects.visible_to(user)
        .filter(host=organization, status=PlacementStatus.PUBLISHED)
        .count()
    )
    query = urlencode({"host": organization.pk, "status": PlacementStatus.PUBLISHED})
    return cooperation.CooperationFigure(
        _("Published placements"), count, f"{reverse('placement-list')}?{query}"
    )


# --- getting started ------------------------------------------------------------------


@dashboard.first_steps
def internship_first_steps(user) -> list[dashboard.FirstStep]:
    """A college's keepers add their students; an enterprise's people offer a placement:
    each until it has done so once."""
    steps = []
    colleges = student_colleges(user)
    if colleges and not Student.objects.filter(college_id__in=colleges).exists():
        steps.append(
            dashboard.FirstStep(
                label=_("Add your students, or import them from a CSV file"),
                url=reverse("student-import"),
            )
        )
    enterprises = _enterprise_ids(user)
    if enterprises and not Placement.objects.filter(host_id__in=enterprises).exists():
        steps.append(
            dashboard.FirstStep(
                label=_("Offer an internship placement to colleges"),
                url=reverse("placement-create"),
            )
        )
    return steps
