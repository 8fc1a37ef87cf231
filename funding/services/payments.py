"""Tranches: an award paid in parts, each released once its evidence is attached, with
the payment that released it. Released, planned and committed totals are kept under row
locks and held by CHECKs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.dates import check_date_in_range
from portal.models import Attachment
from portal.money import money_lazy
from portal.notifications import notify
from portal.roles import Role
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import Award, FundProgram, Payment, Tranche, TrancheStatus
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
            amount=money_lazy(amount),
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


READY_WINDOW_DAYS = 7  # the ready list shows tranches due within a week, and late ones
PAYMENT_REFERENCE_LENGTH = 64
CANCEL_REASON_LENGTH = 255


def ready_to_release(user) -> QuerySet[Tranche]:
    """Planned tranches the user may release now: in programs of departments they
    administer, due within a week (or late), with their evidence attached (an advance
    waits for none), of an award whose budget needs no revision. Each row carries
    ``has_evidence``; the award, application, applicant and program come in the same
    query."""
    tranches = Tranche.objects.filter(
        status=TrancheStatus.PLANNED,
        due_date__lte=timezone.localdate() + timedelta(days=READY_WINDOW_DAYS),
        award__needs_budget_revision=False,
    )
    if not user.is_superuser:
        admin_of = access.organization_ids(user, {Role.ADMIN})
        if not admin_of:
            return Tranche.objects.none()
        tranches = tranches.filter(award__program__department_id__in=admin_of)
    return (
        tranches.with_evidence()
        .filter(Q(milestone="") | Q(has_evidence=True))
        .select_related("award__application__applicant", "award__program")
        .order_by("due_date", "pk")
    )


def evidence_files(tranches) -> dict[int, list[Attachment]]:
    """The files attached to each tranche, by tranche id, in one query however many."""
    ids = [tranche.pk for tranche in tranches]
    files: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    if ids:
        rows = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Tranche), object_id__in=ids
        ).order_by("created_at", "pk")
        for attachment in rows:
            files[attachment.object_id].append(attachment)
    return files


def _reference(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: missing})
    if len(text) > PAYMENT_REFERENCE_LENGTH:
        raise ValidationError(
            {field: _("Keep it to %(count)d characters.") % {"count": PAYMENT_REFERENCE_LENGTH}}
        )
    return text


def _paid_on(value: date | None) -> date:
    today = timezone.localdate()
    paid_on = value or today
    check_date_in_range(paid_on, field="paid_on")
    if paid_on > today:
        raise ValidationError({"paid_on": _("Record a payment once it is made: not after today.")})
    return paid_on


@transaction.atomic
def tranche_release(
    *,
    actor,
    tranche: Tranche,
    voucher_number: str,
    payee_account: str,
    paid_on: date | None = None,
) -> Tranche:
    """Planned → released (an admin of the department), once the applicant attached
    the evidence the tranche waits for and the department accepted a budget revised to
    a reduced award; records the payment (voucher, payee's account, date) in the same
    transaction. The program, award and tranche rows are locked in that order, so
    releases at the same moment add up exactly and a tranche is paid once."""
    # Parent before child: program, award, tranche (the ids never change, so they are
    # read before the locks).
    award_id, program_id = (
        Tranche.objects.filter(pk=tranche.pk).values_list("award_id", "award__program_id").get()
    )
    program = lock_row(FundProgram, program_id)
    award = lock_row(Award, award_id, "application")
    award.program = program
    tranche = lock_row(Tranche, tranche.pk)
    access.require(
        can_decide(actor, program),
        _("Only an admin of the program's department releases money."),
    )
    check_transition(
        tranche.status, TrancheStatus.RELEASED, TRANCHE_TRANSITIONS, label=_("A tranche")
    )
    if award.needs_budget_revision:
        raise InvalidTransition(
            _(
                "The award is below the request: no money is released until the department "
                "accepts a budget revised to %(amount)s."
            )
            % {"amount": award.amount}
        )
    if tranche.milestone and not evidence_attached(tranche):
        raise ValidationError(
            _("This tranche waits for evidence (“%(milestone)s”), not attached yet.")
            % {"milestone": tranche.milestone}
        )
    payment = Payment(
        tranche=tranche,
        amount=tranche.amount,
        paid_on=_paid_on(paid_on),
        voucher_number=_reference(
            voucher_number, "voucher_number", _("Give the voucher or transaction number.")
        ),
        payee_account=_reference(
            payee_account, "payee_account", _("Give the account the money was paid to.")
        ),
        recorded_by=actor,
    )
    tranche.status = TrancheStatus.RELEASED
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.save()
    payment.save()
    award.released += tranche.amount
    award.save(update_fields=["released", "updated_at"])
    program.released += tranche.amount
    program.save(update_fields=["released", "updated_at"])
    notify(
        recipients=people([award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{amount} yuan released for {reference}"),
            amount=money_lazy(tranche.amount),
            reference=award.application.reference,
        ),
        body=format_lazy(
            gettext_lazy("Paid on {date} to account {account}, voucher {voucher}."),
            date=payment.paid_on.isoformat(),
            account=payment.payee_account,
            voucher=payment.voucher_number,
        ),
        url=tranche.get_absolute_url(),
    )
    return tranche


@transaction.atomic
def tranche_cancel(*, actor, tranche: Tranche, reason: str) -> Tranche:
    """Planned → cancelled, with the reason the awardee reads; its amount can be
    planned again."""
    award = _lock_award(Award(pk=tranche.award_id))
    tranche = lock_row(Tranche, tranche.pk)
    access.require(
        can_decide(actor, award.program),
        _("Only an admin of the program's department cancels a tranche."),
    )
    check_transition(
        tranche.status, TrancheStatus.CANCELLED, TRANCHE_TRANSITIONS, label=_("A tranche")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the tranche is cancelled.")})
    if len(reason) > CANCEL_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it to %(count)d characters.") % {"count": CANCEL_REASON_LENGTH}}
        )
    tranche.status = TrancheStatus.CANCELLED
    tranche.cancel_reason = reason
    tranche.save()
    award.tranched -= tranche.amount
    award.save(update_fields=["tranched", "updated_at"])
    notify(
        recipients=people([award.application.applicant_id]),
        title=format_lazy(
            gettext_lazy("A tranche of {amount} yuan for {reference} was cancelled"),
            amount=money_lazy(tranche.amount),
            reference=award.application.reference,
        ),
        body=reason,
        url=tranche.get_absolute_url(),
    )
    return tranche
