"""Budget revisions: when an award is below the request, the awardee revises the budget
lines to the award, and the department accepts the revision (which replaces the
application's lines) or returns it with comments. No tranche is released meanwhile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.limits import NOTE_TEXT
from portal.models import MONEY_DIGITS
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    Award,
    BudgetCategory,
    BudgetLine,
    BudgetRevision,
    FundApplication,
    RevisionStatus,
)
from .common import people
from .rules import can_edit_application, can_manage_program

MAX_REVISION_LINES = 50
CENT = Decimal("0.01")
# The largest sum a money field holds (14 digits, 2 after the point).
LARGEST_AMOUNT = Decimal(10 ** (MONEY_DIGITS - 2)) - CENT

REVISION_TRANSITIONS: dict[str, frozenset[str]] = {
    RevisionStatus.PROPOSED: frozenset({RevisionStatus.ACCEPTED, RevisionStatus.RETURNED}),
    RevisionStatus.ACCEPTED: frozenset(),
    RevisionStatus.RETURNED: frozenset(),
}


def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        return None
    return amount.quantize(CENT)


def clean_revision_lines(lines: Iterable[Mapping], total: Decimal) -> list[dict]:
    """The revised lines as stored (``amount`` as text), or a ``lines`` field error: 1 to
    50 lines, each with a category, a description of at most 255 characters and a
    positive amount, adding up to ``total`` exactly."""
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("Give at least one budget line.")})
    if len(lines) > MAX_REVISION_LINES:
        raise ValidationError(
            {"lines": _("Give at most %(count)d budget lines.") % {"count": MAX_REVISION_LINES}}
        )
    errors = []
    cleaned = []
    categories = set(BudgetCategory.values)
    for number, line in enumerate(lines, start=1):
        category = str(line.get("category") or "")
        description = str(line.get("description") or "").strip()
        amount = _amount(line.get("amount"))
        if category not in categories:
            errors.append(_("Line %(number)d: choose a category.") % {"number": number})
        if not description or len(description) > 255:
            errors.append(
                _("Line %(number)d: describe it in 1 to 255 characters.") % {"number": number}
            )
        if amount is None or not CENT <= amount <= LARGEST_AMOUNT:
            errors.append(
                _("Line %(number)d: give a positive amount in yuan and fen.") % {"number": number}
            )
        else:
            cleaned.append({"category": category, "description": description, "amount": amount})
    if errors:
        raise ValidationError({"lines": errors})
    added = sum((line["amount"] for line in cleaned), Decimal("0.00"))
    if added != total:
        raise ValidationError(
            {
                "lines": _("The lines add up to %(added)s, not the %(total)s awarded.")
                % {"added": added, "total": total}
            }
        )
    return [{**line, "amount": str(line["amount"])} for line in cleaned]


def proposed_revision(award: Award) -> BudgetRevision | None:
    return award.budget_revisions.filter(status=RevisionStatus.PROPOSED).first()


def can_propose_revision(user, award: Award) -> bool:
    """The awardee's admins and staff revise the budget of an award below the request."""
    return award.needs_budget_revision and can_edit_application(user, award.application)


def revision_actions(user, revision: BudgetRevision, award: Award) -> set[str]:
    """The department's admins and staff ``accept`` or ``return`` a proposed revision."""
    if revision.status == RevisionStatus.PROPOSED and can_manage_program(user, award.program):
        return {"accept", "return"}
    return set()


@transaction.atomic
def budget_revision_propose(
    *, actor, award: Award, lines: Iterable[Mapping], note: str = ""
) -> BudgetRevision:
    """Propose budget lines revised to the award (the awardee), one proposal at a time."""
    # The award row queues proposals and decisions, so two proposals cannot both be open.
    award = lock_row(Award, award.pk, "application", "program")
    access.require(
        can_edit_application(actor, award.application),
        _("Only the awardee's admins and staff revise its budget."),
    )
    if not award.needs_budget_revision:
        raise InvalidTransition(_("This award's budget needs no revision."))
    if proposed_revision(award) is not None:
        raise InvalidTransition(
            _("A revision is already waiting for the department's answer; wait for it first.")
        )
    note = (note or "").strip()
    if len(note) > NOTE_TEXT:
        raise ValidationError(
            {"note": _("Keep it to %(count)d characters.") % {"count": NOTE_TEXT}}
        )
    revision = BudgetRevision.objects.create(
        award=award,
        lines=clean_revision_lines(lines, award.amount),
        note=note,
        proposed_by=actor,
    )
    notify(
        recipients=people([award.program.department_id]),
        title=format_lazy(
            gettext_lazy("{reference}: budget revised to the award, for you to accept"),
            reference=award.application.reference,
        ),
        body=note,
        url=award.get_absolute_url(),
    )
    return revision


def _lock_for_decision(revision: BudgetRevision) -> tuple[FundApplication, Award, BudgetRevision]:
    """Application, award, revision: parent before child (the ids never change)."""
    award_id, application_id = (
        BudgetRevision.objects.filter(pk=revision.pk)
        .values_list("award_id", "award__application_id")
        .get()
    )
    application = lock_row(FundApplication, application_id, "applicant")
    award = lock_row(Award, award_id, "program")
    award.application = application
    revision = lock_row(BudgetRevision, revision.pk)
    revision.award = award
    return application, award, revision


def _check_decider(actor, award: Award, revision: BudgetRevision, target: str) -> None:
    access.require(
        can_manage_program(actor, award.program),
        _("Only the program's department accepts or returns a budget revision."),
    )
    check_transition(
        revision.status,
        target,
        REVISION_TRANSITIONS,
        label=_("A budget revision"),
        choices=RevisionStatus,
    )


def _comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": _("Say what the awardee should change.")})
    if len(comment) > NOTE_TEXT:
        raise ValidationError(
            {"comment": _("Keep it to %(count)d characters.") % {"count": NOTE_TEXT}}
        )
    return comment


def _decide(revision: BudgetRevision, actor, status: str, comment: str, title) -> BudgetRevision:
    """Record the department's decision on the (locked) revision and tell the awardee."""
    revision.status = status
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.comment = comment
    revision.save()
    application = revision.award.application
    notify(
        recipients=people([application.applicant_id]),
        title=format_lazy(title, reference=application.reference),
        body=comment,
        url=revision.award.get_absolute_url(),
    )
    return revision


@transaction.atomic
def budget_revision_accept(*, actor, revision: BudgetRevision, comment: str = "") -> BudgetRevision:
    """Proposed → accepted (the department's admins and staff): the application's budget
    lines become the revision's, and the award's tranches may be released."""
    application, award, revision = _lock_for_decision(revision)
    _check_decider(actor, award, revision, RevisionStatus.ACCEPTED)
    comment = _comment(comment, required=False)
    # Checked again against the award as it is now (its amount never changes, but a
    # revision stored by older code might not add up).
    lines = clean_revision_lines(revision.lines, award.amount)
    application.budget_lines.all().delete()
    for line in lines:  # one by one, so that each new line has its history
        BudgetLine.objects.create(
            application=application,
            category=line["category"],
            description=line["description"],
            amount=Decimal(line["amount"]),
        )
    award.needs_budget_revision = False
    award.save(update_fields=["needs_budget_revision", "updated_at"])
    return _decide(
        revision,
        actor,
        RevisionStatus.ACCEPTED,
        comment,
        gettext_lazy("{reference}: your revised budget was accepted"),
    )


@transaction.atomic
def budget_revision_return(*, actor, revision: BudgetRevision, comment: str) -> BudgetRevision:
    """Proposed → returned with comments; the awardee may propose again."""
    _application, award, revision = _lock_for_decision(revision)
    _check_decider(actor, award, revision, RevisionStatus.RETURNED)
    return _decide(
        revision,
        actor,
        RevisionStatus.RETURNED,
        _comment(comment, required=True),
        gettext_lazy("{reference}: your revised budget was returned"),
    )
