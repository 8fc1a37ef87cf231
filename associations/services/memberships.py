"""Memberships of an association (会员): the types it offers with their annual dues, the
memberships of colleges and enterprises (numbered like M-2026-00001), renewals that
extend them, and the dues paid.

The association's admins and staff keep all of it; the member organization reads its
own memberships and their payments; government reads everything. A membership's status
follows from its dates (``models.memberships.status_on``): pending, active, in grace
for 30 days after its end, then lapsed.

Locks, in the portal's order: the member organization's row, so that no other
membership of the same member in the same association is written while the overlap
check runs; then the membership (a renewal reads the end it extends only under that
lock, so two renewals at once extend one after the other); a dues payment locks its
membership; the reference counter comes last. The association's own row is never
locked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import Organization
from portal import access
from portal.dates import check_date_in_range
from portal.references import next_reference
from portal.roles import WRITE_ROLES, OrganizationKind
from portal.workflow import lock_row

from ..models import (
    AssociationMembership,
    DuesPayment,
    MembershipRenewal,
    MembershipStatus,
    MembershipType,
)

MEMBERSHIP_PREFIX = "M"
TYPE_FIELDS = ("name", "annual_dues", "description", "is_active")
MEMBERSHIP_FIELDS = ("start_date", "end_date", "notes")
PAYMENT_FIELDS = ("amount", "paid_on", "reference")
MEMBER_KINDS = frozenset({OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE})
# A renewal extends by whole years, at most this many at once.
MAX_RENEWAL_YEARS = 10
# The statuses in which a membership has a certificate to print.
CERTIFIED_STATUSES = frozenset({MembershipStatus.ACTIVE, MembershipStatus.GRACE})


def _not_found() -> str:
    return _("No such record, or not one you can see.")


def _only_keepers() -> str:
    return _("Only the association's admins and staff keep its memberships and dues.")


# --- who may do what ------------------------------------------------------------------


def kept_associations(user) -> set[int]:
    """The associations whose memberships the user keeps: those where they are admin or
    staff."""
    return access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.ASSOCIATION})


def keeping_associations(user):
    """The active associations the user keeps, as a queryset (for forms)."""
    return Organization.objects.filter(pk__in=kept_associations(user), is_active=True).order_by(
        "name"
    )


def member_organizations():
    """Who may join an association: active colleges and enterprises."""
    return Organization.objects.filter(kind__in=MEMBER_KINDS, is_active=True).order_by("name")


def can_keep(user, association_id: int) -> bool:
    """The association's admins and staff (a superuser too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or association_id in kept_associations(user)


def can_change_membership(user, membership: AssociationMembership) -> bool:
    return can_keep(user, membership.association_id)


def can_change_membership_type(user, membership_type: MembershipType) -> bool:
    return can_keep(user, membership_type.association_id)


def membership_actions(user, membership: AssociationMembership) -> set[str]:
    """``edit``, ``renew`` and ``record_payment`` for the association's admins and
    staff; nothing for the member or oversight, who read."""
    if not can_change_membership(user, membership):
        return set()
    return {"edit", "renew", "record_payment"}


def membership_type_actions(user, membership_type: MembershipType) -> set[str]:
    return {"edit"} if can_change_membership_type(user, membership_type) else set()


def has_certificate(membership: AssociationMembership) -> bool:
    """An active membership, or one in its grace period, has a certificate to print."""
    return membership.status in CERTIFIED_STATUSES


# --- membership types -----------------------------------------------------------------


def _check_name_free(membership_type: MembershipType) -> None:
    taken = (
        MembershipType.objects.filter(
            association_id=membership_type.association_id, name=membership_type.name
        )
        .exclude(pk=membership_type.pk)
        .exists()
    )
    if taken:
        raise ValidationError({"name": _("The association already offers a type of this name.")})


def _save_type(membership_type: MembershipType) -> None:
    membership_type.full_clean(validate_constraints=False)
    _check_name_free(membership_type)
    try:
        with transaction.atomic():
            membership_type.save()
    except IntegrityError:  # the same name saved by someone else a moment ago
        raise ValidationError(
            {"name": _("The association already offers a type of this name.")}
        ) from None


@transaction.atomic
def membership_type_create(*, actor, association: Organization, **fields) -> MembershipType:
    """Offer a membership type (the association's admins and staff)."""
    access.require(can_keep(actor, association.pk), _only_keepers())
    membership_type = MembershipType(
        association=association, **{k: v for k, v in fields.items() if k in TYPE_FIELDS}
    )
    _save_type(membership_type)
    return membership_type


@transaction.atomic
def membership_type_update(*, actor, membership_type: MembershipType, **fields) -> MembershipType:
    """Change a type's name, dues, description, or whether it is still offered. The
    memberships of the type keep it; a type no longer offered takes no new ones."""
    membership_type = lock_row(MembershipType, membership_type.pk)
    access.require(can_change_membership_type(actor, membership_type), _only_keepers())
    for name in TYPE_FIELDS:
        if name in fields:
            setattr(membership_type, name, fields[name])
    _save_type(membership_type)
    return membership_type


# --- memberships ----------------------------------------------------------------------


def _check_member(member: Organization | None) -> None:
    """An active college or enterprise. Any other organization reads as one that does
    not exist, as an id the caller cannot see does in the API."""
    if member is None or member.kind not in MEMBER_KINDS or not member.is_active:
        raise ValidationError({"member": _not_found()})


def _check_type(membership_type: MembershipType | None, association_id: int, *, new: bool) -> None:
    """One of the association's own types; a new choice must still be offered."""
    if membership_type is None or membership_type.association_id != association_id:
        raise ValidationError({"membership_type": _not_found()})
    if new and not membership_type.is_active:
        raise ValidationError({"membership_type": _("The association no longer offers this type.")})


def _check_no_overlap(membership: AssociationMembership, *, field: str) -> None:
    """One membership of a member in an association at a time: refuse dates that
    overlap another of theirs. Call with the member organization's row locked."""
    clash = (
        AssociationMembership.objects.filter(
            association_id=membership.association_id,
            member_id=membership.member_id,
            start_date__lte=membership.end_date,
            end_date__gte=membership.start_date,
        )
        .exclude(pk=membership.pk)
        .order_by("start_date")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                field: _(
                    "%(member)s already has membership %(number)s of this association from "
                    "%(start)s to %(end)s; memberships may not overlap."
                )
                % {
                    "member": membership.member.name,
                    "number": clash.number,
                    "start": clash.start_date.isoformat(),
                    "end": clash.end_date.isoformat(),
                }
            }
        )


@transaction.atomic
def membership_create(
    *,
    actor,
    association: Organization,
    member: Organization,
    membership_type: MembershipType,
    start_date: date,
    end_date: date,
    notes: str = "",
) -> AssociationMembership:
    """Admit a college or an enterprise as a member from ``start_date`` to ``end_date``
    (the association's admins and staff); the number is drawn when it is saved."""
    access.require(can_keep(actor, association.pk), _only_keepers())
    _check_member(member)
    _check_type(membership_type, association.pk, new=True)
    # The member's row first: a second membership of the same pair, written at the
    # same moment, waits here and then sees this one in its overlap check.
    member = lock_row(Organization, member.pk)
    membership = AssociationMembership(
        association=association,
        member=member,
        membership_type=membership_type,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        number="-",  # drawn below, once everything else is known to be valid
    )
    membership.full_clean(validate_constraints=False, validate_unique=False)
    _check_no_overlap(membership, field="start_date")
    membership.number = next_reference(MEMBERSHIP_PREFIX)
    membership.save()
    return membership


@transaction.atomic
def membership_update(
    *,
    actor,
    membership: AssociationMembership,
    membership_type: MembershipType | None = None,
    **fields,
) -> AssociationMembership:
    """Change a membership's type, dates or notes (the association's admins and staff).
    The association and the member never change: another member is another membership.
    """
    access.require(can_change_membership(actor, membership), _only_keepers())
    lock_row(Organization, membership.member_id)
    membership = lock_row(AssociationMembership, membership.pk, "member")
    if membership_type is not None and membership_type.pk != membership.membership_type_id:
        _check_type(membership_type, membership.association_id, new=True)
        membership.membership_type = membership_type
    for name in MEMBERSHIP_FIELDS:
        if name in fields:
            setattr(membership, name, fields[name])
    membership.full_clean(validate_constraints=False, validate_unique=False)
    _check_no_overlap(membership, field="start_date")
    membership.save()
    return membership


def _check_years(years) -> None:
    if isinstance(years, bool) or not isinstance(years, int):
        raise ValidationError({"years": _("Give a whole number of years.")})
    if not 1 <= years <= MAX_RENEWAL_YEARS:
        raise ValidationError(
            {"years": _("Renew for 1 to %(max)d years.") % {"max": MAX_RENEWAL_YEARS}}
        )


def renewed_end(end: date, years: int) -> date:
    """The end moved on by whole years (a 29 February becomes the 28th), or a field
    error on ``years`` when that leaves the portal's range of dates."""
    new_end = end + relativedelta(years=years)
    check_date_in_range(new_end, field="years")
    return new_end


@transaction.atomic
def membership_renew(
    *, actor, membership: AssociationMembership, years: int = 1
) -> AssociationMembership:
    """Extend the membership by ``years`` from its current end (the association's admins
    and staff), and record the renewal: the end it moved from and to.

    The end is read under the membership's row lock: two renewals at once extend twice,
    the second from the end the first wrote, never both from the same end."""
    access.require(can_change_membership(actor, membership), _only_keepers())
    _check_years(years)
    lock_row(Organization, membership.member_id)
    membership = lock_row(AssociationMembership, membership.pk, "member")
    previous_end = membership.end_date
    membership.end_date = renewed_end(previous_end, years)
    _check_no_overlap(membership, field="years")
    membership.save()
    MembershipRenewal.objects.create(
        membership=membership,
        previous_end=previous_end,
        new_end=membership.end_date,
        renewed_by=actor,
    )
    return membership


# --- dues -----------------------------------------------------------------------------


@transaction.atomic
def dues_payment_record(
    *,
    actor,
    membership: AssociationMembership,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
) -> DuesPayment:
    """Record dues the member paid (the association's admins and staff; the portal takes
    no payments itself). The membership's row is locked, as for any change under it."""
    access.require(can_change_membership(actor, membership), _only_keepers())
    membership = lock_row(AssociationMembership, membership.pk)
    payment = DuesPayment(
        membership=membership,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=actor,
    )
    payment.full_clean(validate_constraints=False)
    payment.save()
    return payment


def dues_paid(membership: AssociationMembership) -> Decimal:
    """The total of the membership's recorded payments (one query)."""
    total = membership.payments.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")
