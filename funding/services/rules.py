"""The funding transition tables and who may do what: read by services, pages and API."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet

from portal import access
from portal.roles import Role

from ..models import (
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ProgressReport,
    ReportStatus,
    Review,
    Tranche,
    TrancheStatus,
)

PROGRAM_TRANSITIONS: dict[str, frozenset[str]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.OPEN}),
    ProgramStatus.OPEN: frozenset({ProgramStatus.CLOSED}),
    ProgramStatus.CLOSED: frozenset({ProgramStatus.FINALIZED}),
    ProgramStatus.FINALIZED: frozenset(),
}

APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

TRANCHE_TRANSITIONS: dict[str, frozenset[str]] = {
    TrancheStatus.PLANNED: frozenset({TrancheStatus.RELEASED, TrancheStatus.CANCELLED}),
    TrancheStatus.RELEASED: frozenset(),
    TrancheStatus.CANCELLED: frozenset(),
}

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DUE: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.ACCEPTED, ReportStatus.RETURNED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.ACCEPTED: frozenset(),
}

PROGRAM_FIELDS = (
    "title",
    "description",
    "funding_source",
    "total_budget",
    "max_award",
    "eligible_kinds",
    "opens_on",
    "closes_on",
    "max_open_applications",
    "min_reviews",
)
APPLICATION_FIELDS = ("title", "summary", "partnership", "requested_amount")
REPORT_DUE_REMINDER_DAYS = 7


def _department_roles(user, program: FundProgram, roles) -> bool:
    return user.is_superuser or program.department_id in access.organization_ids(user, roles)


def can_manage_program(user, program: FundProgram) -> bool:
    """The department's admins and staff run its programs and review applications."""
    return _department_roles(user, program, access.WRITE_ROLES)


def can_decide(user, program: FundProgram) -> bool:
    """The department's admins approve, reject and release money."""
    return _department_roles(user, program, {Role.ADMIN})


def can_create_program_for(user, department) -> bool:
    return user.is_superuser or department.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_create_programs(user) -> bool:
    """Admins and staff of a government department draft programs."""
    return access.acts_for_government(user)


def can_apply_for(user, organization) -> bool:
    return user.is_superuser or organization.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_edit_application(user, application: FundApplication) -> bool:
    return can_apply_for(user, application.applicant)


def has_conflict(user, organization_id: int) -> bool:
    """A declared tie to the organization."""
    return ConflictOfInterest.objects.filter(officer=user, organization_id=organization_id).exists()


def has_reviewed(user, application: FundApplication) -> bool:
    return application.reviews.filter(reviewer=user).exists()


# --- the questions pages, the API and dashboards ask, each answered once -----------


def applications_to_review(user) -> QuerySet[FundApplication]:
    """Applications this officer may review now: under review in a program of their
    department, from an applicant they declared no tie to, not reviewed by them yet."""
    departments = access.organization_ids(user, access.WRITE_ROLES)
    if not departments and not user.is_superuser:
        return FundApplication.objects.none()
    applications = FundApplication.objects.filter(status=ApplicationStatus.UNDER_REVIEW)
    if not user.is_superuser:
        applications = applications.filter(program__department_id__in=departments)
    return applications.exclude(
        applicant_id__in=ConflictOfInterest.objects.filter(officer=user).values("organization_id")
    ).exclude(pk__in=Review.objects.filter(reviewer=user).values("application_id"))


def applications_to_decide(user) -> QuerySet[FundApplication]:
    """Applications this admin may decide now: those they could review (four eyes: no
    review of theirs, no declared tie), in a program of a department they administer,
    with the reviews the program needs."""
    admin_of = access.organization_ids(user, {Role.ADMIN})
    applications = applications_to_review(user)
    if not user.is_superuser:
        applications = applications.filter(program__department_id__in=admin_of)
    return applications.annotate(reviews_done=Count("reviews", distinct=True)).filter(
        reviews_done__gte=F("program__min_reviews")
    )


def can_review(user, application: FundApplication) -> bool:
    return applications_to_review(user).filter(pk=application.pk).exists()


def program_actions(user, program: FundProgram) -> set[str]:
    """What the user may do with the program now: ``edit``, ``add_criterion``,
    ``open``, ``close``, ``finalize``, ``apply``, ``rank``."""
    actions: set[str] = set()
    if can_manage_program(user, program):
        actions.add("edit")
        actions |= {
            verb
            for verb, target in (
                ("open", ProgramStatus.OPEN),
                ("close", ProgramStatus.CLOSED),
                ("finalize", ProgramStatus.FINALIZED),
            )
            if target in PROGRAM_TRANSITIONS[program.status]
        }
        if program.status == ProgramStatus.DRAFT:
            actions.add("add_criterion")
    if program.status == ProgramStatus.OPEN and any(
        grant.kind in program.eligible_kinds and grant.role in access.WRITE_ROLES
        for grant in access.grants(user).values()
    ):
        actions.add("apply")
    if access.sees_everything(user):
        actions.add("rank")
    return actions


def application_actions(user, application: FundApplication) -> set[str]:
    """What the user may do with the application now: the applicant ``edit``s,
    ``submit``s and ``withdraw``s; the department ``start_review``s and ``review``s, its
    admins ``approve`` or ``reject`` (four eyes), and once approved ``plan_tranche``,
    ``schedule_report`` and ``release`` (admins)."""
    status = application.status
    program = application.program
    actions: set[str] = set()
    if can_edit_application(user, application):
        if status == ApplicationStatus.DRAFT:
            actions |= {"edit", "submit"}
        if ApplicationStatus.WITHDRAWN in APPLICATION_TRANSITIONS[status]:
            actions.add("withdraw")
    if can_manage_program(user, program):
        if status == ApplicationStatus.SUBMITTED:
            actions.add("start_review")
        if status == ApplicationStatus.UNDER_REVIEW and can_review(user, application):
            actions.add("review")
            if can_decide(user, program):
                actions |= {"approve", "reject"}
        if status == ApplicationStatus.APPROVED:
            actions |= {"plan_tranche", "schedule_report"}
            if can_decide(user, program):
                actions.add("release")
    return actions


def tranche_actions(user, tranche: Tranche, application: FundApplication) -> set[str]:
    """While a tranche is planned, the awardee ``attach_evidence``; the department's
    admins ``release`` it (once its evidence is attached) or ``cancel`` it.
    ``tranche.has_evidence`` comes from ``Tranche.objects.with_evidence()``."""
    if tranche.status != TrancheStatus.PLANNED:
        return set()
    actions = set()
    if tranche.milestone and can_edit_application(user, application):
        actions.add("attach_evidence")
    if can_decide(user, application.program):
        actions.add("cancel")
        if not tranche.milestone or tranche.has_evidence:
            actions.add("release")
    return actions


def report_actions(user, report: ProgressReport, application: FundApplication) -> set[str]:
    """The awardee ``submit``s a report due or returned; the department ``accept``s or
    ``return``s a submitted one."""
    if ReportStatus.SUBMITTED in REPORT_TRANSITIONS[report.status]:
        return {"submit"} if can_edit_application(user, application) else set()
    if report.status == ReportStatus.SUBMITTED and can_manage_program(user, application.program):
        return {"accept", "return"}
    return set()
