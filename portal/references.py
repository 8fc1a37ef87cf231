"""Human-readable reference numbers (AGR-2026-00042), unique and gap-free per year."""

from django.db import transaction
from django.utils import timezone

from portal.models import ReferenceCounter


def next_reference(prefix: str) -> str:
    """The next number for ``prefix`` this year.

    The counter row is locked (select_for_update) so that two records created at the same
    moment cannot draw the same number; the lock is held until the caller's transaction
    ends, so call this inside the transaction that saves the record.
    """
    year = timezone.localdate().year
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"
