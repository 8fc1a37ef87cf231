"""FilterSet plumbing shared by every app's ``filters.py`` (pages and API alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class PortalFilterSet(django_filters.FilterSet):
    """Base of every FilterSet: ``updated_after`` lets a campus system sync incrementally.

    List pages drop ``updated_after`` from their form; the API keeps it.
    """

    updated_after = django_filters.IsoDateTimeFilter(
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
