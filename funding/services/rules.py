"""The funding transition tables and who may do what: read by services, pages and API."""

from __future__ import annotations

from portal import access

from ..models import (
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ReportStatus,
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
    return _department_roles(user, program, {access.ADMIN})


def can_create_program_for(user, department) -> bool:
    return user.is_superuser or department.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_apply_for(user, organization) -> bool:
    return user.is_superuser or organization.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_edit_application(user, application: FundApplication) -> bool:
    return can_apply_for(user, application.applicant)


def has_conflict(user, organization_id: int) -> bool:
    """A declared tie to the organization."""
    return ConflictOfInterest.objects.filter(officer=user, organization_id=organization_id).exists()


def has_reviewed(user, application: FundApplication) -> bool:
    return application.reviews.filter(reviewer=user).exists()


def can_review(user, application: FundApplication) -> bool:
    return (
        application.status == ApplicationStatus.UNDER_REVIEW
        and can_manage_program(user, application.program)
        and not has_conflict(user, application.applicant_id)
        and not has_reviewed(user, application)
    )
