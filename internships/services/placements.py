"""Placements: drafted by an enterprise's admins and staff, published once they pass
every blocking rule of ``internships.compliance``, then closed or cancelled.

Each step checks the status against its table, checks permission, locks the placement
row inside a transaction, writes, and notifies (emails go out on commit).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind, User
from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from .. import compliance
from ..models import OpenTo, Placement, PlacementStatus, PracticeBase
from .nominations import has_started_interns, placement_nominations_end
from .rules import (
    EDITABLE_PLACEMENT_STATUSES,
    PLACEMENT_FIELDS,
    PLACEMENT_TRANSITIONS,
    can_change_placement,
    can_post_for,
)


def _check_practice_base(actor, host_id: int, base: PracticeBase | None) -> None:
    if base is None:
        return
    if not PracticeBase.objects.linkable_by(actor).filter(pk=base.pk).exists():
        raise ValidationError(
            {"practice_base": _("No such practice base, or not one you can see.")}
        )
    if base.host_id != host_id and not base.colleges.filter(organization_id=host_id).exists():
        raise ValidationError(
            {"practice_base": _("Choose a practice base your organization hosts or belongs to.")}
        )


def _clean_colleges(colleges: Iterable[Organization]) -> list[Organization]:
    colleges = list({college.pk: college for college in colleges}.values())
    for college in colleges:
        if college.kind != OrganizationKind.COLLEGE or not college.is_active:
            raise ValidationError(
                {
                    "open_to_colleges": _("%(name)s is not an active college.")
                    % {"name": college.name}
                }
            )
    return colleges


def _check_audience(placement: Placement, colleges: list[Organization]) -> None:
    if placement.open_to == OpenTo.CHOSEN and not colleges:
        raise ValidationError({"open_to_colleges": _("Choose the colleges it is open to.")})


@transaction.atomic
def placement_create(
    *, actor, host: Organization, open_to_colleges: Iterable[Organization] = (), **fields
) -> Placement:
    """Draft a placement for an enterprise (its admins and staff)."""
    access.require(
        can_post_for(actor, host), _("Only an enterprise's admins and staff post its placements.")
    )
    _check_practice_base(actor, host.pk, fields.get("practice_base"))
    colleges = _clean_colleges(open_to_colleges)
    placement = Placement(host=host, **{k: v for k, v in fields.items() if k in PLACEMENT_FIELDS})
    placement.full_clean(exclude=["open_to_colleges"])
    _check_audience(placement, colleges)
    placement.save()
    placement.open_to_colleges.set(colleges)
    return placement


def _lock(placement: Placement) -> Placement:
    """Lock the placement row: every step takes it before reading what it writes."""
    return lock_row(Placement, placement.pk, "host")


@transaction.atomic
def placement_update(
    *,
    actor,
    placement: Placement,
    open_to_colleges: Iterable[Organization] | None = None,
    **fields,
) -> Placement:
    """Change a draft's terms (published placements are fixed: colleges answer them)."""
    placement = _lock(placement)
    access.require(can_change_placement(actor, placement))
    if placement.status not in EDITABLE_PLACEMENT_STATUSES:
        raise InvalidTransition(
            _("Only a draft placement can be edited; this one is %(status)s.")
            % {"status": placement.get_status_display()}
        )
    if "practice_base" in fields and fields["practice_base"] != placement.practice_base:
        _check_practice_base(actor, placement.host_id, fields["practice_base"])
    for key in PLACEMENT_FIELDS:
        if key in fields:
            setattr(placement, key, fields[key])
    placement.full_clean(exclude=["open_to_colleges"])
    colleges = (
        _clean_colleges(open_to_colleges)
        if open_to_colleges is not None
        else list(placement.open_to_colleges.all())
    )
    _check_audience(placement, colleges)
    placement.save()
    if open_to_colleges is not None:
        placement.open_to_colleges.set(colleges)
    return placement


def _audience(placement: Placement):
    return User.objects.acting_for(placement.audience_ids())


@transaction.atomic
def placement_publish(*, actor, placement: Placement) -> Placement:
    """Draft → published, if it passes every blocking rule; warnings are kept on it.

    Raises ValidationError naming every blocking rule (keyed by field, with its code).
    The colleges it is open to are told.
    """
    placement = _lock(placement)
    check_transition(
        placement.status,
        PlacementStatus.PUBLISHED,
        PLACEMENT_TRANSITIONS,
        label=_("A placement"),
        choices=PlacementStatus,
    )
    access.require(can_change_placement(actor, placement))
    compliance.require_publishable(placement)
    placement.compliance_warnings = [f.as_dict() for f in compliance.warnings(placement)]
    placement.status = PlacementStatus.PUBLISHED
    placement.published_at = timezone.now()
    placement.published_by = actor
    placement.save()
    notify(
        recipients=_audience(placement),
        title=format_lazy(
            gettext_lazy("{host} opened a placement to you: “{title}”"),
            host=placement.host.name,
            title=placement.title,
        ),
        url=placement.get_absolute_url(),
    )
    return placement


@transaction.atomic
def placement_close(*, actor, placement: Placement) -> Placement:
    """Published → closed: no more nominations."""
    placement = _lock(placement)
    check_transition(
        placement.status,
        PlacementStatus.CLOSED,
        PLACEMENT_TRANSITIONS,
        label=_("A placement"),
        choices=PlacementStatus,
    )
    access.require(can_change_placement(actor, placement))
    placement.status = PlacementStatus.CLOSED
    placement.closed_at = timezone.now()
    placement.save()
    return placement


@transaction.atomic
def placement_cancel(*, actor, placement: Placement, reason: str) -> Placement:
    """Draft or published → cancelled, with the reason; nominations not yet started end
    (rejected, with the reason) and every college it was open to or that nominated to it
    is told. Refused once an intern has started: such a placement is closed."""
    placement = _lock(placement)
    check_transition(
        placement.status,
        PlacementStatus.CANCELLED,
        PLACEMENT_TRANSITIONS,
        label=_("A placement"),
        choices=PlacementStatus,
    )
    access.require(can_change_placement(actor, placement))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the placement is cancelled.")})
    if has_started_interns(placement):
        raise InvalidTransition(
            _("Interns have started on this placement: close it instead of cancelling it.")
        )
    was_published = placement.status == PlacementStatus.PUBLISHED
    nominated = placement_nominations_end(placement=placement, reason=reason)
    placement.status = PlacementStatus.CANCELLED
    placement.cancelled_at = timezone.now()
    placement.cancel_reason = reason
    placement.full_clean(exclude=["open_to_colleges"])
    placement.save()
    if was_published:
        notify(
            recipients=User.objects.acting_for(placement.audience_ids() | set(nominated)),
            title=format_lazy(
                gettext_lazy("{host} cancelled the placement “{title}”"),
                host=placement.host.name,
                title=placement.title,
            ),
            body=reason,
            url=placement.get_absolute_url(),
        )
    return placement
