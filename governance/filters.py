import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter, PortalFilterSet

from .models import (
    Articles,
    Board,
    BoardKind,
    BoardPowers,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
)


class ArticlesFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)

    class Meta:
        model = Articles
        fields = ["q", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(organization__name__icontains=value)
            | Q(partnership__name__icontains=value)
        )


class BoardFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(choices=BoardKind.choices, label=_("Kind"))
    powers = django_filters.ChoiceFilter(choices=BoardPowers.choices, label=_("Powers"))

    class Meta:
        model = Board
        fields = ["q", "kind", "powers", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(organization__name__icontains=value)
            | Q(partnership__name__icontains=value)
        )


def date_filter(lookup: str, label) -> django_filters.DateFilter:
    """A bound on the local date a meeting starts (``gte`` on or after, ``lte`` on or
    before)."""
    return django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr=f"date__{lookup}",
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class MeetingFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    board = IdFilter(field_name="board_id", label=_("Board (id)"))
    starts_after = date_filter("gte", _("On or after"))
    starts_before = date_filter("lte", _("On or before"))

    class Meta:
        model = Meeting
        fields = ["q", "status", "kind", "board", "starts_after", "starts_before", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(board__name__icontains=value))


class ResolutionFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=ResolutionStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=ResolutionKind.choices, label=_("Kind"))
    board = IdFilter(field_name="board_id", label=_("Board (id)"))
    meeting = IdFilter(field_name="meeting_id", label=_("Meeting (id)"))

    class Meta:
        model = Resolution
        fields = ["q", "status", "kind", "board", "meeting", "updated_after"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(board__name__icontains=value))
