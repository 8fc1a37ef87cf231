"""Entrustments (政府委托): a government department entrusts work to an industry
association, with the records it may read for it (the scope) and what it must deliver.

proposed → accepted (or declined) by the association → delivered, with a file on each
deliverable → approved by the department, or returned with comments and delivered
again; the department may cancel until it approves. While accepted, delivered or
returned, and between its dates, the association reads the records in the scope
(``associations.scope``); every such read is logged.

Lock order: the entrustment row, then its deliverables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from portal import access
from portal.limits import NOTE_TEXT
from portal.models import Attachment
from portal.notifications import notify
from portal.roles import WRITE_ROLES, OrganizationKind, Role
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import SCOPE_KINDS, Deliverable, Entrustment, EntrustmentStatus

S = EntrustmentStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.DECLINED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.DELIVERED, S.CANCELLED}),
    S.DELIVERED: frozenset({S.APPROVED, S.RETURNED, S.CANCELLED}),
    S.RETURNED: frozenset({S.DELIVERED, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.APPROVED: frozenset(),
    S.CANCELLED: frozenset(),
}
LABEL = gettext_lazy("An entrustment")
FIELDS = ("title", "kind", "description", "amount", "start_date", "end_date", "scope_kinds")
MAX_DELIVERABLES = 50
MAX_SCOPE_ORGANIZATIONS = 200


# --- who may do what ------------------------------------------------------------------


def acts_for_department(user, entrustment: Entrustment) -> bool:
    """The department's admins and staff (a superuser too)."""
    if getattr(user, "is_superuser", False):
        return True
    return entrustment.department_id in access.organization_ids(user, WRITE_ROLES)


def acts_for_association(user, entrustment: Entrustment, roles=WRITE_ROLES) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return entrustment.association_id in access.organization_ids(user, roles)


def departments_of(user) -> list[Organization]:
    """The government departments the user entrusts work for (admin or staff)."""
    ids = access.organization_ids(user, WRITE_ROLES, kinds={OrganizationKind.GOVERNMENT})
    return list(Organization.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def entrustment_actions(user, entrustment: Entrustment) -> set[str]:
    """The department's admins and staff: ``edit`` a proposed one, ``approve`` or
    ``return`` a delivery, ``cancel`` until approved. The association's admins:
    ``accept`` or ``decline`` a proposal; its admins and staff: ``deliver``."""
    allowed = TRANSITIONS[entrustment.status]
    actions: set[str] = set()
    if acts_for_department(user, entrustment):
        if entrustment.status == S.PROPOSED:
            actions.add("edit")
        actions |= {verb for verb, target in DEPARTMENT_STEPS.items() if target in allowed}
    if acts_for_association(user, entrustment, {Role.ADMIN}):
        actions |= {verb for verb, target in ADMIN_STEPS.items() if target in allowed}
    if S.DELIVERED in allowed and acts_for_association(user, entrustment):
        actions.add("deliver")
    return actions


DEPARTMENT_STEPS = {"approve": S.APPROVED, "return": S.RETURNED, "cancel": S.CANCELLED}
ADMIN_STEPS = {"accept": S.ACCEPTED, "decline": S.DECLINED}


def can_attach_to_deliverable(user, deliverable: Deliverable) -> bool:
    """The association's admins and staff, while the work is being done or redone."""
    entrustment = deliverable.entrustment
    return entrustment.status in (S.ACCEPTED, S.RETURNED) and acts_for_association(
        user, entrustment
    )


# --- checks ---------------------------------------------------------------------------


def _check(entrustment: Entrustment, target: str) -> None:
    check_transition(entrustment.status, target, TRANSITIONS, label=LABEL, choices=S)


def _clean_scope(
    entrustment: Entrustment, organizations: Iterable[Organization] | None
) -> list[Organization] | None:
    errors: dict[str, list[str]] = {}
    kinds = entrustment.scope_kinds if isinstance(entrustment.scope_kinds, list) else None
    if kinds is None or any(not isinstance(kind, str) or kind not in SCOPE_KINDS for kind in kinds):
        errors.setdefault("scope_kinds", []).append(_("Choose among the kinds of record listed."))
    entrustment.scope_kinds = sorted(
        {kind for kind in kinds or () if isinstance(kind, str)} & SCOPE_KINDS.keys()
    )
    chosen = None
    if organizations is not None:
        chosen = list({organization.pk: organization for organization in organizations}.values())
        if len(chosen) > MAX_SCOPE_ORGANIZATIONS:
            errors.setdefault("scope_organizations", []).append(
                _("At most %(count)d organizations.") % {"count": MAX_SCOPE_ORGANIZATIONS}
            )
        wrong = [
            organization.name
            for organization in chosen
            if organization.kind not in (OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE)
        ]
        if wrong:
            errors.setdefault("scope_organizations", []).append(
                _("Only colleges and enterprises are in a scope: %(names)s.")
                % {"names": ", ".join(wrong)}
            )
    if errors:
        raise ValidationError(errors)
    return chosen


def _clean_parties(entrustment: Entrustment) -> None:
    errors = {}
    if entrustment.department.kind != OrganizationKind.GOVERNMENT:
        errors["department"] = _("A government department entrusts the work.")
    if entrustment.association.kind != OrganizationKind.ASSOCIATION or not (
        entrustment.association.is_active
    ):
        errors["association"] = _("Choose an active industry association.")
    if errors:
        raise ValidationError(errors)


def _clean_deliverables(
    entrustment: Entrustment, rows: Iterable[Mapping] | None
) -> list[Deliverable] | None:
    if rows is None:
        return None
    rows = list(rows)
    if not rows:
        raise ValidationError({"deliverables": _("Name at least one deliverable.")})
    if len(rows) > MAX_DELIVERABLES:
        raise ValidationError(
            {"deliverables": _("At most %(count)d deliverables.") % {"count": MAX_DELIVERABLES}}
        )
    deliverables, errors = [], []
    for row in rows:
        deliverable = Deliverable(
            entrustment=entrustment, title=row.get("title", ""), due_date=row.get("due_date")
        )
        try:
            deliverable.full_clean(exclude=["entrustment"])
        except ValidationError as error:
            errors.extend(f"{deliverable.title or '—'}: {message}" for message in error.messages)
            continue
        if not entrustment.start_date <= deliverable.due_date <= entrustment.end_date:
            errors.append(
                _("%(title)s: due within the entrustment's dates (%(start)s to %(end)s).")
                % {
                    "title": deliverable.title,
                    "start": entrustment.start_date.isoformat(),
                    "end": entrustment.end_date.isoformat(),
                }
            )
            continue
        deliverables.append(deliverable)
    if errors:
        raise ValidationError({"deliverables": errors})
    return deliverables


def _tell_association(entrustment: Entrustment, template, body: str = "") -> None:
    notify(
        recipients=User.objects.acting_for([entrustment.association_id]),
        title=format_lazy(template, title=entrustment.title),
        body=body,
        url=entrustment.get_absolute_url(),
    )


def _tell_department(entrustment: Entrustment, template, body: str = "") -> None:
    notify(
        recipients=User.objects.acting_for([entrustment.department_id]),
        title=format_lazy(template, title=entrustment.title),
        body=body,
        url=entrustment.get_absolute_url(),
    )


# --- writes ---------------------------------------------------------------------------


@transaction.atomic
def entrustment_create(
    *,
    actor,
    department: Organization,
    association: Organization,
    scope_organizations: Iterable[Organization] = (),
    deliverables: Iterable[Mapping] = (),
    **fields,
) -> Entrustment:
    """A department's admins or staff entrust work to an association: proposed, with
    its scope and deliverables; the association's admins and staff are told."""
    entrustment = Entrustment(
        department=department,
        association=association,
        **{key: fields[key] for key in FIELDS if key in fields},
    )
    access.require(
        acts_for_department(actor, entrustment),
        _("Only a government department's admins and staff entrust work."),
    )
    _clean_parties(entrustment)
    organizations = _clean_scope(entrustment, scope_organizations)
    entrustment.full_clean(exclude=["scope_organizations"])
    rows = _clean_deliverables(entrustment, deliverables)
    entrustment.save()
    entrustment.scope_organizations.set(organizations)
    for row in rows:
        row.entrustment = entrustment
    Deliverable.objects.bulk_create(rows)
    _tell_association(
        entrustment, gettext_lazy("Work entrusted to you: {title}"), body=entrustment.description
    )
    return entrustment


@transaction.atomic
def entrustment_update(
    *,
    actor,
    entrustment: Entrustment,
    scope_organizations: Iterable[Organization] | None = None,
    deliverables: Iterable[Mapping] | None = None,
    **fields,
) -> Entrustment:
    """Change a proposal (the department): its terms, scope or deliverables (given
    whole, they replace the old ones)."""
    entrustment = lock_row(Entrustment, entrustment.pk, "department", "association")
    access.require(
        acts_for_department(actor, entrustment),
        _("Only the department's admins and staff change its entrustments."),
    )
    if entrustment.status != S.PROPOSED:
        raise InvalidTransition(
            _("Only a proposed entrustment changes; this one is %(status)s.")
            % {"status": entrustment.get_status_display().lower()}
        )
    for key in FIELDS:
        if key in fields:
            setattr(entrustment, key, fields[key])
    organizations = _clean_scope(entrustment, scope_organizations)
    entrustment.full_clean(exclude=["scope_organizations"])
    if deliverables is None:
        current = [
            {"title": row.title, "due_date": row.due_date} for row in entrustment.deliverables.all()
        ]
        _clean_deliverables(entrustment, current)  # the dates may have moved
        rows = None
    else:
        rows = _clean_deliverables(entrustment, deliverables)
    entrustment.save()
    if organizations is not None:
        entrustment.scope_organizations.set(organizations)
    if rows is not None:
        entrustment.deliverables.all().delete()
        Deliverable.objects.bulk_create(rows)
    return entrustment


def _lock(entrustment: Entrustment) -> Entrustment:
    return lock_row(Entrustment, entrustment.pk, "department", "association")


@transaction.atomic
def entrustment_accept(*, actor, entrustment: Entrustment) -> Entrustment:
    """Proposed → accepted (the association's admins): from its start date the
    association reads the records in its scope. The department is told."""
    entrustment = _lock(entrustment)
    access.require(
        acts_for_association(actor, entrustment, {Role.ADMIN}),
        _("Only the association's admins accept or decline entrusted work."),
    )
    _check(entrustment, S.ACCEPTED)
    if entrustment.end_date < timezone.localdate():
        raise ValidationError({"end_date": _("This entrustment has already ended.")})
    entrustment.status = S.ACCEPTED
    entrustment.accepted_at = timezone.now()
    entrustment.save()
    _tell_department(entrustment, gettext_lazy("Accepted: {title}"))
    return entrustment


@transaction.atomic
def entrustment_decline(*, actor, entrustment: Entrustment, reason: str) -> Entrustment:
    entrustment = _lock(entrustment)
    access.require(
        acts_for_association(actor, entrustment, {Role.ADMIN}),
        _("Only the association's admins accept or decline entrusted work."),
    )
    _check(entrustment, S.DECLINED)
    reason = _require_text(reason, "reason")
    entrustment.status = S.DECLINED
    entrustment.reason = reason
    entrustment.save()
    _tell_department(entrustment, gettext_lazy("Declined: {title}"), body=entrustment.reason)
    return entrustment


def _require_text(text: str, field: str, missing=None) -> str:
    """The text, stripped: present, and no longer than a note."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: missing or _("Say why.")})
    if len(text) > NOTE_TEXT:
        raise ValidationError({field: _("At most %(count)d characters.") % {"count": NOTE_TEXT}})
    return text


def deliverables_with_files(entrustment: Entrustment):
    """The entrustment's deliverables, each with ``files``: how many files are attached
    to it (the work delivered). One query."""
    files = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Deliverable), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return entrustment.deliverables.annotate(files=Coalesce(Subquery(files), 0)).order_by(
        "due_date", "pk"
    )


def undelivered(entrustment: Entrustment) -> list[Deliverable]:
    """The deliverables with no file attached yet (one query)."""
    return [row for row in deliverables_with_files(entrustment) if not row.files]


@transaction.atomic
def entrustment_deliver(*, actor, entrustment: Entrustment) -> Entrustment:
    """Accepted or returned → delivered (the association's admins and staff), once
    every deliverable has a file attached; the department is told."""
    entrustment = _lock(entrustment)
    access.require(
        acts_for_association(actor, entrustment),
        _("Only the association's admins and staff deliver its work."),
    )
    _check(entrustment, S.DELIVERED)
    missing = undelivered(entrustment)
    if missing:
        raise ValidationError(
            {
                "deliverables": _("Attach a file to each deliverable first: %(titles)s.")
                % {"titles": ", ".join(row.title for row in missing)}
            }
        )
    now = timezone.now()
    entrustment.deliverables.filter(delivered_at__isnull=True).update(delivered_at=now)
    entrustment.status = S.DELIVERED
    entrustment.delivered_at = now
    entrustment.save()
    _tell_department(entrustment, gettext_lazy("Delivered: {title}"))
    return entrustment


@transaction.atomic
def entrustment_approve(*, actor, entrustment: Entrustment) -> Entrustment:
    """Delivered → approved (the department): the work is done and the association no
    longer reads the records in the scope."""
    entrustment = _lock(entrustment)
    access.require(
        acts_for_department(actor, entrustment),
        _("Only the department's admins and staff approve the work."),
    )
    _check(entrustment, S.APPROVED)
    entrustment.status = S.APPROVED
    entrustment.approved_at = timezone.now()
    entrustment.save()
    _tell_association(entrustment, gettext_lazy("Approved: {title}"))
    return entrustment


@transaction.atomic
def entrustment_return(*, actor, entrustment: Entrustment, comments: str) -> Entrustment:
    """Delivered → returned with the department's comments, to deliver again."""
    entrustment = _lock(entrustment)
    access.require(
        acts_for_department(actor, entrustment),
        _("Only the department's admins and staff return the work."),
    )
    _check(entrustment, S.RETURNED)
    comments = _require_text(comments, "comments", _("Say what is to change."))
    entrustment.status = S.RETURNED
    entrustment.comments = comments
    entrustment.save()
    _tell_association(
        entrustment, gettext_lazy("Returned for changes: {title}"), body=entrustment.comments
    )
    return entrustment


@transaction.atomic
def entrustment_cancel(*, actor, entrustment: Entrustment, reason: str) -> Entrustment:
    """Any step before approval → cancelled (the department), with the reason; the
    association stops reading the scope at once."""
    entrustment = _lock(entrustment)
    access.require(
        acts_for_department(actor, entrustment),
        _("Only the department's admins and staff cancel its entrustments."),
    )
    _check(entrustment, S.CANCELLED)
    reason = _require_text(reason, "reason")
    entrustment.status = S.CANCELLED
    entrustment.reason = reason
    entrustment.save()
    _tell_association(entrustment, gettext_lazy("Cancelled: {title}"), body=entrustment.reason)
    return entrustment


def reads_open(entrustment: Entrustment, today: date | None = None) -> bool:
    """Whether the association reads the scope today."""
    today = today or timezone.localdate()
    return (
        entrustment.status in (S.ACCEPTED, S.DELIVERED, S.RETURNED)
        and entrustment.start_date <= today <= entrustment.end_date
    )
