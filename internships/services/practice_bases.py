"""Practice bases: created and edited by the host or a college it serves; the host's
admins move its status."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind, User
from partnerships.models import Agreement, AgreementKind
from portal import access
from portal.notifications import notify
from portal.workflow import check_transition, lock_row

from ..models import PracticeBase, PracticeBaseCollege, PracticeBaseStatus
from .rules import (
    BASE_HOST_KINDS,
    PRACTICE_BASE_FIELDS,
    PRACTICE_BASE_TRANSITIONS,
    can_create_base_for,
    can_edit_base,
    can_move_base,
)


def _clean_colleges(host: Organization, colleges: Iterable[Organization]) -> list[Organization]:
    cleaned: dict[int, Organization] = {}
    for college in colleges:
        if college.pk == host.pk:
            continue
        if college.kind != OrganizationKind.COLLEGE or not college.is_active:
            raise ValidationError(
                {"colleges": _("%(name)s is not an active college.") % {"name": college.name}}
            )
        cleaned[college.pk] = college
    if host.kind != OrganizationKind.COLLEGE and not cleaned:
        raise ValidationError({"colleges": _("Name at least one college the base serves.")})
    return list(cleaned.values())


def _check_agreement(actor, agreement: Agreement | None) -> None:
    if agreement is None:
        return
    if not Agreement.objects.linkable_by(actor).filter(pk=agreement.pk).exists():
        raise ValidationError({"agreement": _("No such agreement, or not one you can see.")})
    if agreement.kind != AgreementKind.PRACTICE_BASE:
        raise ValidationError({"agreement": _("Choose a practice base agreement.")})


@transaction.atomic
def practice_base_create(
    *, actor, host: Organization, colleges: Iterable[Organization], **fields
) -> PracticeBase:
    """An enterprise or college registers a practice base it hosts, and the colleges
    it serves; or a college registers one that a partner hosts for it."""
    colleges = list(colleges)
    access.require(
        can_create_base_for(actor, host)
        or any(can_create_base_for(actor, college) for college in colleges),
        _("Your organization must host the base or be one of the colleges it serves."),
    )
    if host.kind not in BASE_HOST_KINDS or not host.is_active:
        raise ValidationError(
            {"host": _("A practice base is hosted by an enterprise or a college.")}
        )
    colleges = _clean_colleges(host, colleges)
    _check_agreement(actor, fields.get("agreement"))
    base = PracticeBase(host=host, **{k: v for k, v in fields.items() if k in PRACTICE_BASE_FIELDS})
    base.full_clean()
    base.save()
    for college in colleges:
        PracticeBaseCollege.objects.create(practice_base=base, organization=college)
    return base


def _lock(base: PracticeBase) -> PracticeBase:
    """Lock the base: every change to it or its colleges takes it first."""
    return lock_row(PracticeBase, base.pk, "host")


@transaction.atomic
def practice_base_update(
    *, actor, practice_base: PracticeBase, colleges: Iterable[Organization] | None = None, **fields
) -> PracticeBase:
    """Change the base's details, and (when given) make its colleges exactly ``colleges``."""
    base = _lock(practice_base)
    access.require(can_edit_base(actor, base))
    if "agreement" in fields and fields["agreement"] != base.agreement:
        _check_agreement(actor, fields["agreement"])
    for key in PRACTICE_BASE_FIELDS:
        if key in fields:
            setattr(base, key, fields[key])
    base.full_clean()
    base.save()
    if colleges is not None:
        wanted = {college.pk: college for college in _clean_colleges(base.host, colleges)}
        for link in list(base.colleges.all()):
            if link.organization_id not in wanted:
                link.delete()
        existing = set(base.colleges.values_list("organization_id", flat=True))
        for college_id, college in wanted.items():
            if college_id not in existing:
                PracticeBaseCollege.objects.create(practice_base=base, organization=college)
    return base


@transaction.atomic
def practice_base_change_status(*, actor, practice_base: PracticeBase, status: str) -> PracticeBase:
    """Activate, suspend or close a base (the host's admins); its colleges are told."""
    base = _lock(practice_base)
    check_transition(base.status, status, PRACTICE_BASE_TRANSITIONS, label=_("A practice base"))
    access.require(can_move_base(actor, base), _("Only the host's admins change its status."))
    base.status = status
    base.save()
    college_ids = set(base.colleges.values_list("organization_id", flat=True))
    notify(
        recipients=User.objects.acting_for(college_ids),
        title=format_lazy(
            gettext_lazy("Practice base “{name}” is now {status}"),
            name=base.name,
            status=PracticeBaseStatus(status).label,  # lazy: in each reader's language
        ),
        url=base.get_absolute_url(),
    )
    return base
