"""What the funding forms offer to pick (the department of a new program, the applicant
of a new application), and why a user is refused a form whose picker would be empty:
the page answers 403 with the reason instead of a required field nobody can fill."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.wording import join_words

from .models import FundProgram, ProgramStatus


def program_departments(user) -> QuerySet[Organization]:
    """The departments the user drafts fund programs for: the government departments
    where they are an admin or staff member; any active one for a superuser."""
    departments = Organization.objects.filter(kind=OrganizationKind.GOVERNMENT, is_active=True)
    if getattr(user, "is_superuser", False):
        return departments
    return departments.filter(pk__in=access.organization_ids(user, access.WRITE_ROLES))


def program_applicants(user, program: FundProgram | None = None) -> QuerySet[Organization]:
    """The organizations the user applies for (where they are an admin or staff member),
    of the kinds the program takes applications from."""
    applicants = Organization.objects.filter(
        pk__in=access.organization_ids(user, access.WRITE_ROLES), is_active=True
    )
    if program is not None:
        applicants = applicants.filter(kind__in=program.eligible_kinds)
    return applicants


def why_no_program(user) -> str:
    """Why the user cannot draft a fund program ("" when they can)."""
    if program_departments(user).exists():
        return ""
    if access.is_government(user):
        return _(
            "Only a department's admins and staff draft its fund programs; your role lets "
            "you read them. An admin of your department can change your role."
        )
    return _(
        "Fund programs are run by government departments: only their admins and staff "
        "draft one. Your organization applies to the programs open to it, from the "
        "program's page."
    )


def why_no_application(user, program: FundProgram) -> str:
    """Why the user cannot apply to the program ("" when they can): it is not open, or
    they act for no organization of the kinds it takes applications from."""
    if program.status != ProgramStatus.OPEN:
        return _("This program is not open for applications.")
    if program_applicants(user, program).exists():
        return ""
    kinds = join_words(OrganizationKind(kind).label for kind in program.eligible_kinds)
    if any(grant.kind in program.eligible_kinds for grant in access.grants(user).values()):
        return _(
            "Only the admins and staff of an organization that may apply (%(kinds)s) apply "
            "to this program; your role lets you read it. An admin of your organization "
            "can change your role."
        ) % {"kinds": kinds}
    return _(
        "This program takes applications from these kinds of organization only: "
        "%(kinds)s. None of your organizations is one of them."
    ) % {"kinds": kinds}
