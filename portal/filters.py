"""FilterSet plumbing shared by every app's ``filters.py`` (pages and API alike)."""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC here: any offset Python reads is accepted
    (the database takes only up to ±15:59), and a moment that leaves the calendar once
    turned is a field error, never an overflow."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(_("Give a moment between years 1 and 9999.")) from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class PortalFilterSet(django_filters.FilterSet):
    """Base of every FilterSet: ``updated_after`` lets a campus system sync incrementally.

    List pages drop ``updated_after`` from their form; the API keeps it.
    """

    updated_after = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated at or after (ISO 8601)"),
    )


class YesNoFilter(django_filters.BooleanFilter):
    """A yes / no / any choice, reading ``true`` and ``false`` as the API does."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
        )
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number within the database's range, so a wild value is a
    400 with a field error, never an overflow in the database driver."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
