"""Cooperation needs and offers: an organization's admins and staff post one as a draft,
open it to its audience, edit it while it is a draft or open, and close it; the daily
job expires an open one once its ``valid_until`` has passed.

draft → open → closed | expired. Each step checks the status against
``NEED_TRANSITIONS``, checks permission and locks the need row inside the transaction
before it reads what it writes (so an edit, a close and the nightly expiry never
interleave)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from portal import access
from portal.notifications import notify
from portal.roles import WRITE_ROLES, OrganizationKind
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import CooperationNeed, NeedStatus, audience_text, specialty_terms

NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.DRAFT: frozenset({NeedStatus.OPEN}),
    NeedStatus.OPEN: frozenset({NeedStatus.CLOSED, NeedStatus.EXPIRED}),
    NeedStatus.CLOSED: frozenset(),
    NeedStatus.EXPIRED: frozenset(),
}
EDITABLE_NEED_STATUSES = frozenset({NeedStatus.DRAFT, NeedStatus.OPEN})
NEED_FIELDS = (
    "direction",
    "kind",
    "title",
    "description",
    "specialties",
    "region",
    "headcount",
    "amount",
    "valid_until",
)
LABEL = gettext_lazy("A need or offer")


# --- who may do what ------------------------------------------------------------------


def posting_organizations(user) -> set[int]:
    """The organizations the user posts for: where they are admin or staff."""
    return access.organization_ids(user, WRITE_ROLES)


def can_post_for(user, owner: Organization) -> bool:
    if not owner.is_active:
        return False
    return bool(getattr(user, "is_superuser", False)) or owner.pk in posting_organizations(user)


def can_change_need(user, need: CooperationNeed) -> bool:
    """The owner's admins and staff; government reads but changes none."""
    return access.can_change(user, need)


def reads_need_history(user, need: CooperationNeed) -> bool:
    """The owner's members and government: what a need said as a draft, and who of the
    owner's staff edited it, stay theirs."""
    return access.sees_everything(user) or need.owner_id in access.organization_ids(user)


def answering_organizations(user, need: CooperationNeed) -> set[int]:
    """The organizations the user may answer an open need for: where they are admin or
    staff, of a kind in its audience, other than its owner."""
    if need.status != NeedStatus.OPEN:
        return set()
    return {
        org_id
        for org_id, grant in access.grants(user).items()
        if grant.role in WRITE_ROLES and org_id != need.owner_id and need.is_for(grant.kind)
    }


def need_actions(user, need: CooperationNeed) -> set[str]:
    """``edit`` a draft or open one, ``open`` a draft, ``close`` an open one (the owner's
    admins and staff); ``answer`` an open one (other organizations' admins and staff in
    its audience)."""
    actions: set[str] = set()
    if can_change_need(user, need):
        if need.status in EDITABLE_NEED_STATUSES:
            actions.add("edit")
        for verb, target in (("open", NeedStatus.OPEN), ("close", NeedStatus.CLOSED)):
            if target in NEED_TRANSITIONS[need.status]:
                actions.add(verb)
    if answering_organizations(user, need):
        actions.add("answer")
    return actions


# --- cleaning -------------------------------------------------------------------------


def _check_valid_until(need: CooperationNeed, today: date) -> None:
    if need.valid_until is not None and need.valid_until < today:
        raise ValidationError({"valid_until": _("Give a date from today on.")})


def _clean_need(need: CooperationNeed, audience: Iterable[str] | None) -> None:
    for name in ("title", "region"):
        setattr(need, name, " ".join(str(getattr(need, name) or "").split()))
    need.description = (need.description or "").strip()
    need.specialties = ", ".join(specialty_terms(need.specialties))
    if audience is not None:
        unknown = set(audience) - set(OrganizationKind.values)
        if unknown:
            raise ValidationError({"audience": _("Choose kinds of organization from the list.")})
        need.audience_kinds = audience_text(audience)
    need.full_clean(exclude=["owner", "created_by"])


def _owner_people(need: CooperationNeed):
    return User.objects.acting_for([need.owner_id])


# --- steps ----------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *, actor, owner: Organization, audience: Iterable[str] = (), **fields
) -> CooperationNeed:
    """Draft a need or offer of ``owner`` (its admins and staff). ``audience``: the
    kinds of organization it is for; none for everyone signed in."""
    access.require(
        can_post_for(actor, owner),
        _("Only an organization's admins and staff post its needs and offers."),
    )
    need = CooperationNeed(
        owner=owner,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{key: fields[key] for key in NEED_FIELDS if key in fields},
    )
    _clean_need(need, audience)
    _check_valid_until(need, timezone.localdate())
    need.save()
    return need


@transaction.atomic
def need_update(
    *, actor, need: CooperationNeed, audience: Iterable[str] | None = None, **fields
) -> CooperationNeed:
    """Change a draft or open need or offer; a closed or expired one stays as it was."""
    need = lock_row(CooperationNeed, need.pk)
    access.require(can_change_need(actor, need))
    if need.status not in EDITABLE_NEED_STATUSES:
        raise InvalidTransition(
            _("A %(status)s need or offer no longer changes.")
            % {"status": need.get_status_display().lower()}
        )
    for key in NEED_FIELDS:
        if key in fields:
            setattr(need, key, fields[key])
    _clean_need(need, audience)
    if "valid_until" in fields:
        _check_valid_until(need, timezone.localdate())
    need.save()
    return need


@transaction.atomic
def need_open(*, actor, need: CooperationNeed) -> CooperationNeed:
    """Draft → open: its audience sees it and may answer it until it closes or expires."""
    need = lock_row(CooperationNeed, need.pk)
    check_transition(
        need.status, NeedStatus.OPEN, NEED_TRANSITIONS, label=LABEL, choices=NeedStatus
    )
    access.require(can_change_need(actor, need))
    _check_valid_until(need, timezone.localdate())
    need.status = NeedStatus.OPEN
    need.opened_at = timezone.now()
    need.save()
    return need


@transaction.atomic
def need_close(*, actor, need: CooperationNeed) -> CooperationNeed:
    """Open → closed: still read by its audience, answered no more; the threads stay."""
    need = lock_row(CooperationNeed, need.pk)
    check_transition(
        need.status, NeedStatus.CLOSED, NEED_TRANSITIONS, label=LABEL, choices=NeedStatus
    )
    access.require(can_change_need(actor, need))
    need.status = NeedStatus.CLOSED
    need.closed_at = timezone.now()
    need.save()
    return need


@transaction.atomic
def need_expire(*, need: CooperationNeed, today: date) -> CooperationNeed:
    """Open → expired, once ``valid_until`` has passed (the daily job); the owner's
    admins and staff are told."""
    need = lock_row(CooperationNeed, need.pk)
    check_transition(
        need.status, NeedStatus.EXPIRED, NEED_TRANSITIONS, label=LABEL, choices=NeedStatus
    )
    if need.valid_until >= today:
        raise InvalidTransition(_("It is valid until %(date)s.") % {"date": need.valid_until})
    need.status = NeedStatus.EXPIRED
    need.closed_at = timezone.now()
    need.save()
    return need


def tell_expired(need: CooperationNeed) -> None:
    notify(
        recipients=_owner_people(need),
        title=format_lazy(gettext_lazy("“{title}” has expired"), title=need.title),
        body=format_lazy(
            gettext_lazy(
                "It was valid until {date}; it is no longer open to answers. Post a new "
                "one if you are still looking."
            ),
            date=need.valid_until.isoformat(),
        ),
        url=need.get_absolute_url(),
    )
