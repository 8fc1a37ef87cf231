"""What an association reads through the entrustments it works under, and the log of
those reads (registered with ``portal.access`` in the app's ``ready``).

While an entrustment is accepted (or delivered, or returned for changes) and today lies
between its dates, the association's members read the records of the kinds in its
scope that belong to the organizations in its scope, and nothing else of theirs."""

from __future__ import annotations

from django.utils import timezone

from portal import access
from portal.roles import OrganizationKind

from .models import OPEN_STATUSES, SCOPE_KINDS, Entrustment, ScopedRead


def scoped_organizations(user) -> dict[str, dict[int, tuple[int, ...]]]:
    """``{model label: {organization id: (entrustment ids)}}`` for the user's
    associations' open entrustments (a read is logged under each one that grants it);
    no query for anyone who belongs to no association."""
    associations = access.organization_ids(user, kinds={OrganizationKind.ASSOCIATION})
    if not associations:
        return {}
    today = timezone.localdate()
    rows = (
        Entrustment.scope_organizations.through.objects.filter(
            entrustment__association_id__in=associations,
            entrustment__status__in=OPEN_STATUSES,
            entrustment__start_date__lte=today,
            entrustment__end_date__gte=today,
        )
        .order_by("entrustment_id")
        .values_list("entrustment_id", "organization_id", "entrustment__scope_kinds")
    )
    scopes: dict[str, dict[int, tuple[int, ...]]] = {}
    for entrustment_id, organization_id, kinds in rows:
        for kind in kinds or ():
            if kind in SCOPE_KINDS:
                granted = scopes.setdefault(kind, {})
                granted[organization_id] = (*granted.get(organization_id, ()), entrustment_id)
    return scopes


def log_reads(user, entries: list[tuple[int, str, int, str]]) -> None:
    """One row per record read: the entrustment it was read under, the kind and id of
    the record, its name as shown then."""
    ScopedRead.objects.bulk_create(
        ScopedRead(
            entrustment_id=entrustment_id,
            user=user,
            record_kind=label,
            record_id=record_id,
            record_name=name[:255],
        )
        for entrustment_id, label, record_id, name in entries
    )
