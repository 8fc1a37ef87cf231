"""Tranches: an award paid in parts, each released once its evidence is attached.
Released, planned and committed totals are kept under row locks and held by CHECKs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.models import Attachment
from portal.notifications import notify
from portal.workflow import check_transition, lock_row

from ..models import Award, FundProgram, Tranche, TrancheStatus
from .common import people
from .rules import TRANCHE_TRANSITIONS, can_decide, can_manage_program


def _lock_award(award: Award) -> Award:
    """Lock the award row alone (its application and program are read, not locked)."""
    return lock_row(Award, award.pk, "application", "program")


@transaction.atomic
def tranche_plan(
    *, actor, award: Award, amount: Decimal, due_date: date, milestone: str = ""
) -> Tranche:
    """Plan a part of the award (the department's admins and staff); the planned
    tranches never add up to more than the award."""
    award = _lock_award(award)
    access.require(can_manage_program(actor, award.program))
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ValidationError({"amount": _("Plan a positive amount.")})
    if award.tranched + amount > award.amount:
        raise ValidationError(
            {
                "amount": _("Only %(left)s of the award is left to plan.")
                % {"left": award.amount - award.tranched}
            }
        )
    tranche = Tranche(award=award, amount=amount, due_date=due_date, milestone=milestone.strip())
    tranche.full_clean()
    tranche.save()
    award.tranched += amount
    award.save(update_fields=["tranched", "updated_at"])
    notify(
        recipients=people([award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("A tranche of {amount} yuan is planned for {reference}"),
            amount=amount,
            reference=award.application.reference,
        ),
        body=format_lazy(
            gettext_lazy("It is released once you attach the evidence: {milestone}"),
            milestone=tranche.milestone,
        )
        if tranche.milestone
        else "",
        url=tranche.get_absolute_url(),
    )
    return tranche


def evidence_attached(tranche: Tranche) -> bool:
    return Attachment.objects.for_record(tranche).exists()


@transaction.atomic
def tranche_release(*, actor, tranche: Tranche) -> Tranche:
    """Planned → released (an admin of the department), once the applicant attached
    the evidence the tranche waits for. The program, award and tranche rows are locked
    in that order, so releases at the same moment add up exactly."""
    # Parent before child: program, award, tranche (the ids never change, so they are
    # read before the locks).
    award_id, program_id = (
        Tranche.objects.filter(pk=tranche.pk).values_list("award_id", "award__program_id").get()
    )
    program = lock_row(FundProgram, program_id)
    award = lock_row(Award, award_id, "application")
    award.program = program
    tranche = lock_row(Tranche, tranche.pk)
    check_transition(
        tranche.status, TrancheStatus.RELEASED, TRANCHE_TRANSITIONS, label=_("A tranche")
    )
    access.require(
        can_decide(actor, program),
        _("Only an admin of the program's department releases money."),
    )
    if tranche.milestone and not evidence_attached(tranche):
        raise ValidationError(
            _("This tranche waits for evidence (“%(milestone)s”), not attached yet.")
            % {"milestone": tranche.milestone}
        )
    tranche.status = TrancheStatus.RELEASED
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.save()
    award.released += tranche.amount
    award.save(update_fields=["released", "updated_at"])
    program.released += tranche.amount
    program.save(update_fields=["released", "updated_at"])
    notify(
        recipients=people([award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{amount} yuan released for {reference}"),
            amount=tranche.amount,
            reference=award.application.reference,
        ),
        url=tranche.get_absolute_url(),
    )
    return tranche


@transaction.atomic
def tranche_cancel(*, actor, tranche: Tranche, reason: str = "") -> Tranche:
    """Planned → cancelled: its amount can be planned again."""
    award = _lock_award(Award(pk=tranche.award_id))
    tranche = lock_row(Tranche, tranche.pk)
    check_transition(
        tranche.status, TrancheStatus.CANCELLED, TRANCHE_TRANSITIONS, label=_("A tranche")
    )
    access.require(
        can_decide(actor, award.program),
        _("Only an admin of the program's department cancels a tranche."),
    )
    tranche.status = TrancheStatus.CANCELLED
    tranche.cancel_reason = reason.strip()
    tranche.save()
    award.tranched -= tranche.amount
    award.save(update_fields=["tranched", "updated_at"])
    return tranche
