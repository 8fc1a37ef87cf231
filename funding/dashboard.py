"""What funding puts on the home page and on cooperation pages."""

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal import access, cooperation, dashboard
from portal.money import format_money
from portal.roles import Role

from .models import (
    ApplicationStatus,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ProgressReport,
    ReportStatus,
    ReviewAssignment,
)
from .services import rules
from .services.payments import ready_to_release


@dashboard.waiting_on
def officer_work(user) -> list[dashboard.WaitingItem]:
    """Applications to review, decisions to make, tranches to release, reports to read."""
    departments = access.organization_ids(user, access.WRITE_ROLES)
    if not departments or not access.is_government(user):
        return []
    items = []
    to_decide = rules.applications_to_decide(user)
    for application in to_decide.order_by("submitted_at"):
        items.append(
            dashboard.WaitingItem(
                label=_("Decide %(reference)s: %(title)s")
                % {"reference": application.reference, "title": application.title},
                url=reverse("fund-application-decide", args=[application.pk]),
                category=_("Decisions to make"),
            )
        )
    # Reviews still needed (an application with its reviews waits for a decision); an
    # assigned one is due on its date.
    my_assignment = ReviewAssignment.objects.filter(application=OuterRef("pk"), reviewer=user)
    to_review = (
        rules.applications_to_review(user)
        .annotate(reviews_done=Count("reviews", distinct=True))
        .filter(reviews_done__lt=F("program__min_reviews"))
        .annotate(due=Subquery(my_assignment.values("due_date")[:1]))
    )
    for application in to_review.order_by("submitted_at"):
        items.append(
            dashboard.WaitingItem(
                label=_("Review %(reference)s: %(title)s")
                % {"reference": application.reference, "title": application.title},
                url=reverse("fund-review-create", args=[application.pk]),
                category=_("Applications to review"),
                due=application.due,
            )
        )
    submitted = FundApplication.objects.filter(
        status=ApplicationStatus.SUBMITTED, program__department_id__in=departments
    )
    for application in submitted:
        items.append(
            dashboard.WaitingItem(
                label=_("Start the review of %(reference)s") % {"reference": application.reference},
                url=application.get_absolute_url(),
                category=_("New applications"),
            )
        )
    for tranche in ready_to_release(user):
        items.append(
            dashboard.WaitingItem(
                label=_("Release %(amount)s yuan for %(reference)s")
                % {
                    "amount": format_money(tranche.amount),
                    "reference": tranche.award.application.reference,
                },
                url=reverse("fund-tranche-release", args=[tranche.pk]),
                category=_("Tranches to release"),
                due=tranche.due_date,
            )
        )
    for report in ProgressReport.objects.filter(
        status=ReportStatus.SUBMITTED, award__program__department_id__in=departments
    ).select_related("award__application"):
        items.append(
            dashboard.WaitingItem(
                label=_("Read the progress report for %(reference)s")
                % {"reference": report.award.application.reference},
                url=report.get_absolute_url(),
                category=_("Reports to read"),
            )
        )
    return items


@dashboard.waiting_on
def applicant_work(user) -> list[dashboard.WaitingItem]:
    """Drafts to finish and reports due, for applicants."""
    mine = access.organization_ids(user, access.WRITE_ROLES)
    if not mine or access.is_government(user):
        return []
    items = [
        dashboard.WaitingItem(
            label=_("Finish and submit %(reference)s: %(title)s")
            % {"reference": a.reference, "title": a.title},
            url=a.get_absolute_url(),
            category=_("Application drafts"),
            due=a.program.closes_on,
        )
        for a in FundApplication.objects.filter(
            applicant_id__in=mine,
            status=ApplicationStatus.DRAFT,
            program__status=ProgramStatus.OPEN,
        ).select_related("program")
    ]
    items += [
        dashboard.WaitingItem(
            label=_("Answer the department's questions on %(reference)s: %(title)s")
            % {"reference": a.reference, "title": a.title},
            url=a.get_absolute_url(),
            category=_("More information requested"),
        )
        for a in FundApplication.objects.filter(
            applicant_id__in=mine, status=ApplicationStatus.INFO_REQUESTED
        )
    ]
    items += [
        dashboard.WaitingItem(
            label=_("Progress report for %(reference)s")
            % {"reference": r.award.application.reference},
            url=r.get_absolute_url(),
            category=_("Reports due"),
            due=r.due_date,
        )
        for r in ProgressReport.objects.filter(
            award__application__applicant_id__in=mine,
            status__in=[ReportStatus.DUE, ReportStatus.RETURNED],
        ).select_related("award__application")
    ]
    return items


@dashboard.figures
def funding_figures(user) -> list[dashboard.Figure]:
    if access.is_government(user):
        totals = (
            FundProgram.objects.visible_to(user)
            .exclude(status=ProgramStatus.DRAFT)
            .aggregate(
                budget=Sum("total_budget"), committed=Sum("committed"), released=Sum("released")
            )
        )
        figures = [
            dashboard.Figure(
                label=_("Open fund programs"),
                value=FundProgram.objects.filter(status=ProgramStatus.OPEN).count(),
                url=reverse("fund-program-list") + "?status=open",
            ),
            dashboard.Figure(
                label=_("Funds committed (yuan)"),
                value=f"{totals['committed'] or 0:,.0f}",
                url=reverse("fund-program-list"),
            ),
            dashboard.Figure(
                label=_("Funds released (yuan)"),
                value=f"{totals['released'] or 0:,.0f}",
                url=reverse("fund-payment-list"),
            ),
        ]
        if access.organization_ids(user, {Role.ADMIN}) or user.is_superuser:
            figures.append(
                dashboard.Figure(
                    label=_("Tranches ready to release"),
                    value=ready_to_release(user).count(),
                    url=reverse("fund-tranches-ready"),
                )
            )
        return figures
    mine = access.organization_ids(user)
    if not mine:
        return []
    return [
        dashboard.Figure(
            label=_("Open fund programs"),
            value=FundProgram.objects.filter(status=ProgramStatus.OPEN).count(),
            url=reverse("fund-program-list") + "?status=open",
        )
    ]


def budget_chart(programs, *, key: str, title: str, horizontal: bool = False) -> dashboard.Chart:
    """A bar per program, as long as its budget, made of the part released, the part
    committed but not yet released, and the part remaining."""
    programs = list(programs)
    return dashboard.Chart(
        key=key,
        title=title,
        kind="bar",
        labels=[Truncator(program.title).chars(32) for program in programs],
        values=[float(program.total_budget) for program in programs],
        stacks=[
            dashboard.Series(_("Released"), [float(p.released) for p in programs]),
            dashboard.Series(
                _("Committed, not yet released"),
                [float(p.committed - p.released) for p in programs],
            ),
            dashboard.Series(_("Remaining"), [float(p.remaining) for p in programs]),
        ],
        horizontal=horizontal,
    )


@dashboard.charts
def funding_charts(user) -> list[dashboard.Chart]:
    if not access.is_government(user):
        return []
    programs = list(
        FundProgram.objects.exclude(status=ProgramStatus.DRAFT).order_by("-opens_on")[:6]
    )
    charts = []
    if programs:
        charts.append(
            budget_chart(
                programs,
                key="budget-per-program",
                title=_("Budget per program: released, committed and remaining (yuan)"),
            )
        )
    by_status = dashboard.status_chart(
        # Drafts are their applicants' own: they are not counted here either.
        FundApplication.objects.filter(submitted_at__isnull=False),
        ApplicationStatus,
        key="applications-by-status",
        title=_("Applications by status"),
        series_label=_("Applications"),
    )
    return [*charts, by_status] if by_status else charts


@cooperation.section
def applications_section(user, organization) -> cooperation.CooperationSection:
    rows = (
        FundApplication.objects.visible_to(user)
        .filter(applicant=organization)
        .select_related("program")
    )
    return cooperation.CooperationSection(
        title=_("Fund applications"),
        rows=[
            cooperation.CooperationRow(
                label=f"{a.reference} {a.title}",
                url=a.get_absolute_url(),
                status=a.get_status_display(),
                detail=f"{a.program.title} · {a.requested_amount:,.2f}",
            )
            for a in rows
        ],
        empty_text=_("No fund applications."),
    )
