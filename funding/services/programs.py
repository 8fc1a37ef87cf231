"""Fund programs: drafted by a government department, opened for applications, closed,
and finalized once every application is decided."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.money import money_lazy
from portal.notifications import notify
from portal.references import next_reference
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    ApplicationStatus,
    FundProgram,
    ProgramStatus,
    ReviewCriterion,
)
from .common import people
from .rules import PROGRAM_FIELDS, PROGRAM_TRANSITIONS, can_create_program_for, can_manage_program

APPLICANT_KINDS = (
    OrganizationKind.COLLEGE,
    OrganizationKind.ENTERPRISE,
    OrganizationKind.ASSOCIATION,
)


def _clean(program: FundProgram) -> None:
    kinds = program.eligible_kinds or []
    if not kinds or any(kind not in APPLICANT_KINDS for kind in kinds):
        raise ValidationError(
            {"eligible_kinds": _("Choose who may apply: colleges, enterprises or associations.")}
        )
    program.full_clean(exclude=["reference"])


def _lock(program: FundProgram) -> FundProgram:
    return lock_row(FundProgram, program.pk)


@transaction.atomic
def program_create(*, actor, department: Organization, criteria=(), **fields) -> FundProgram:
    """Draft a program for a government department (its admins and staff)."""
    access.require(
        department.kind == OrganizationKind.GOVERNMENT
        and can_create_program_for(actor, department),
        _("Programs are created by a government department's admins and staff."),
    )
    program = FundProgram(
        department=department,
        reference="pending",
        **{k: fields[k] for k in PROGRAM_FIELDS if k in fields},
    )
    _clean(program)
    program.reference = next_reference("FND")
    program.save()
    _add_criteria(actor, program, criteria)
    return program


@transaction.atomic
def program_update(*, actor, program: FundProgram, **fields) -> FundProgram:
    """Change a program. Once open, its budget may grow but never fall below what is
    committed, and its window and rules stay as applicants saw them."""
    program = _lock(program)
    access.require(can_manage_program(actor, program))
    if program.status == ProgramStatus.FINALIZED:
        raise InvalidTransition(_("A finalized program cannot change."))
    frozen = {
        "funding_source",
        "eligible_kinds",
        "opens_on",
        "max_open_applications",
        "min_reviews",
        "max_award",
    }
    for key in PROGRAM_FIELDS:
        if key not in fields or getattr(program, key) == fields[key]:
            continue
        if program.status != ProgramStatus.DRAFT and key in frozen:
            raise ValidationError({key: _("This cannot change once the program is open.")})
        setattr(program, key, fields[key])
    if program.total_budget < program.committed:
        raise ValidationError(
            {
                "total_budget": _("The budget cannot fall below the %(amount)s already committed.")
                % {"amount": program.committed}
            }
        )
    _clean(program)
    program.save()
    return program


@transaction.atomic
def criterion_add(
    *,
    actor,
    program: FundProgram,
    name: str,
    weight,
    max_score: int,
    description: str = "",
    guidance: str = "",
    order: int | None = None,
) -> ReviewCriterion:
    program = _lock(program)
    access.require(can_manage_program(actor, program))
    if program.status != ProgramStatus.DRAFT:
        raise InvalidTransition(_("Review criteria are fixed once the program opens."))
    criterion = ReviewCriterion(
        program=program,
        name=name,
        description=description,
        guidance=guidance,
        weight=weight,
        max_score=max_score,
        order=order if order is not None else program.criteria.count(),
    )
    criterion.full_clean()
    criterion.save()
    return criterion


def _add_criteria(actor, program: FundProgram, criteria) -> None:
    """``criteria``: (name, weight, max score[, description[, guidance]]) each, in order."""
    for order, (name, weight, max_score, *notes) in enumerate(criteria):
        description, guidance = (*notes, "", "")[:2]
        criterion_add(
            actor=actor,
            program=program,
            name=name,
            weight=weight,
            max_score=max_score,
            description=description,
            guidance=guidance,
            order=order,
        )


@transaction.atomic
def criterion_remove(*, actor, criterion: ReviewCriterion) -> None:
    program = _lock(criterion.program)
    access.require(can_manage_program(actor, program))
    if program.status != ProgramStatus.DRAFT:
        raise InvalidTransition(_("Review criteria are fixed once the program opens."))
    criterion.delete()


def _move(actor, program: FundProgram, target: str) -> FundProgram:
    program = _lock(program)
    check_transition(program.status, target, PROGRAM_TRANSITIONS, label=_("A program"))
    access.require(can_manage_program(actor, program))
    return program


@transaction.atomic
def program_open(*, actor, program: FundProgram) -> FundProgram:
    """Draft → open: applications may be submitted within the window."""
    program = _move(actor, program, ProgramStatus.OPEN)
    if not program.criteria.exists():
        raise ValidationError(_("Add at least one review criterion before opening the program."))
    program.status = ProgramStatus.OPEN
    program.save()
    kinds = [kind for kind in program.eligible_kinds]
    notify(
        recipients=people(
            Organization.objects.filter(kind__in=kinds, is_active=True).values_list("pk", flat=True)
        ),
        title=format_lazy(gettext_lazy("New fund program open: {title}"), title=program.title),
        body=format_lazy(
            gettext_lazy("Applications from {opens} to {closes}; up to {amount} yuan per award."),
            opens=program.opens_on.isoformat(),
            closes=program.closes_on.isoformat(),
            amount=money_lazy(program.max_award),
        ),
        url=program.get_absolute_url(),
        email=False,
    )
    return program


@transaction.atomic
def program_close(*, actor, program: FundProgram) -> FundProgram:
    """Open → closed: no more submissions; review and decisions go on."""
    program = _move(actor, program, ProgramStatus.CLOSED)
    program.status = ProgramStatus.CLOSED
    program.save()
    return program


@transaction.atomic
def program_finalize(*, actor, program: FundProgram) -> FundProgram:
    """Closed → finalized, once every application is decided or withdrawn."""
    program = _move(actor, program, ProgramStatus.FINALIZED)
    pending = program.applications.filter(
        status__in=[
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.INFO_REQUESTED,
        ]
    ).count()
    if pending:
        raise ValidationError(
            _("%(count)d applications are not decided yet; decide or close them first.")
            % {"count": pending}
        )
    program.status = ProgramStatus.FINALIZED
    program.save()
    return program


@transaction.atomic
def criteria_replace(*, actor, program: FundProgram, criteria) -> FundProgram:
    """Make the review criteria exactly ``criteria`` (name, weight, max score); drafts only."""
    program = _lock(program)
    access.require(can_manage_program(actor, program))
    if program.status != ProgramStatus.DRAFT:
        raise InvalidTransition(_("Review criteria are fixed once the program opens."))
    program.criteria.all().delete()
    _add_criteria(actor, program, criteria)
    return program
