"""The range of dates the portal accepts, and date arithmetic that stays inside it.

Agreements, programs, placements and reports are dated within a working lifetime; a
year 9999 is a typing slip, and arithmetic on it overflows. Every date field of every
model carries ``validate_portal_date`` (so forms, the API and ``full_clean`` refuse
such a date next to the field), and services that compute dates use ``shift_date``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def _out_of_range_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def validate_portal_date(value: date) -> None:
    """A model and form validator: the date lies between 1990 and 2200."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(_out_of_range_message(), code="date_out_of_range")


def check_date_in_range(value: date | None, *, field: str) -> None:
    """Raise a field error for ``field`` unless ``value`` is in the portal's range."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError({field: _out_of_range_message()})


def shift_date(value: date, delta: timedelta, *, field: str) -> date:
    """``value + delta``, or a field error for ``field`` when it leaves the range."""
    try:
        shifted = value + delta
    except OverflowError:
        raise ValidationError({field: _out_of_range_message()}) from None
    check_date_in_range(shifted, field=field)
    return shifted


def validate_portal_moment(value: datetime) -> None:
    """A moment whose date lies in the portal's range (the API's and forms' datetimes)."""
    if value is not None:
        validate_portal_date(value.date())
