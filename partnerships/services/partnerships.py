"""Partnerships: create, change members and status (the lead organization runs them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.notifications import notify
from portal.workflow import check_transition, lock_row

from ..models import (
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from .agreements import _people
from .rules import (
    PARTNERSHIP_FIELDS,
    PARTNERSHIP_TRANSITIONS,
    can_change_partnership,
    can_create_for,
)

# --- partnerships ------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *,
    actor,
    lead: Organization,
    name: str,
    kind: str,
    lead_role: str = "",
    members: Iterable[tuple[Organization, str]] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    description: str = "",
) -> Partnership:
    """A college or enterprise proposes a partnership that it leads."""
    access.require(
        can_create_for(actor, lead), _("You can only create partnerships your organization leads.")
    )
    if lead.kind not in (OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE):
        raise ValidationError({"lead": _("A partnership is led by a college or an enterprise.")})
    partnership = Partnership(
        lead=lead,
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    partnership.full_clean()
    partnership.save()
    PartnershipMember.objects.create(partnership=partnership, organization=lead, role=lead_role)
    for organization, role in members:
        partnership_add_member(
            actor=actor, partnership=partnership, organization=organization, role=role
        )
    return partnership


def _lock(partnership: Partnership) -> Partnership:
    """Lock the partnership row: every change to it or its members takes it first."""
    return lock_row(Partnership, partnership.pk, "lead")


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **fields) -> Partnership:
    # Locked and read afresh, so saving it cannot undo a status changed a moment ago.
    partnership = _lock(partnership)
    access.require(can_change_partnership(actor, partnership))
    for key in PARTNERSHIP_FIELDS:
        if key in fields:
            setattr(partnership, key, fields[key])
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def partnership_add_member(
    *, actor, partnership: Partnership, organization: Organization, role: str = ""
) -> PartnershipMember:
    partnership = _lock(partnership)
    access.require(can_change_partnership(actor, partnership))
    already = _("%(name)s is already a member.") % {"name": organization.name}
    if partnership.members.filter(organization=organization).exists():
        raise ValidationError({"organization": already})
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("%(name)s is not active.") % {"name": organization.name}}
        )
    try:
        with transaction.atomic():
            member = PartnershipMember.objects.create(
                partnership=partnership, organization=organization, role=role
            )
    except IntegrityError as error:  # the unique constraint, should a lock ever be missed
        raise ValidationError({"organization": already}) from error
    if organization.pk != partnership.lead_id:
        notify(
            recipients=_people([organization.pk]),
            title=format_lazy(
                gettext_lazy("{organization} added you to the partnership “{name}”"),
                organization=partnership.lead.name,
                name=partnership.name,
            ),
            url=partnership.get_absolute_url(),
        )
    return member


@transaction.atomic
def partnership_member_set_role(
    *, actor, member: PartnershipMember, role: str
) -> PartnershipMember:
    """Say what a member organization contributes (the lead's admins and staff)."""
    partnership = _lock(Partnership(pk=member.partnership_id))
    access.require(can_change_partnership(actor, partnership))
    member = lock_row(PartnershipMember, member.pk)
    member.role = role.strip()
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def partnership_remove_member(*, actor, member: PartnershipMember) -> None:
    partnership = _lock(Partnership(pk=member.partnership_id))
    access.require(can_change_partnership(actor, partnership))
    if member.organization_id == partnership.lead_id:
        raise ValidationError(_("The lead organization stays a member."))
    member.delete()


@transaction.atomic
def partnership_set_members(
    *, actor, partnership: Partnership, members: Iterable[tuple[Organization, str]]
) -> Partnership:
    """Make the member list exactly ``members`` (the lead always stays)."""
    partnership = _lock(partnership)
    access.require(can_change_partnership(actor, partnership))
    wanted = {organization.pk: (organization, role) for organization, role in members}
    for member in list(partnership.members.all()):
        if member.organization_id == partnership.lead_id:
            if member.organization_id in wanted:
                member.role = wanted[member.organization_id][1]
                member.save()
            continue
        if member.organization_id not in wanted:
            member.delete()
        elif member.role != wanted[member.organization_id][1]:
            member.role = wanted[member.organization_id][1]
            member.save()
    existing = set(partnership.members.values_list("organization_id", flat=True))
    for organization_id, (organization, role) in wanted.items():
        if organization_id not in existing:
            partnership_add_member(
                actor=actor, partnership=partnership, organization=organization, role=role
            )
    return partnership


@transaction.atomic
def partnership_change_status(*, actor, partnership: Partnership, status: str) -> Partnership:
    """Activate, suspend or end a partnership (the lead's admins and staff)."""
    partnership = _lock(partnership)
    check_transition(partnership.status, status, PARTNERSHIP_TRANSITIONS, label=_("A partnership"))
    access.require(can_change_partnership(actor, partnership))
    partnership.status = status
    if status == PartnershipStatus.ENDED and not partnership.end_date:
        partnership.end_date = timezone.localdate()
    partnership.save()
    return partnership
