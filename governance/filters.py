import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import (
    Articles,
    ArticleVersion,
    Board,
    BoardKind,
    BoardMember,
    BoardPowers,
    Constituency,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    VersionStatus,
    Vote,
    VoteChoice,
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


class VersionFilterSet(PortalFilterSet):
    document = IdFilter(field_name="document_id", label=_("Articles (id)"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("Status"))

    class Meta:
        model = ArticleVersion
        fields = ["document", "status", "updated_after"]


class BoardMemberFilterSet(PortalFilterSet):
    board = IdFilter(field_name="board_id", label=_("Board (id)"))
    constituency = django_filters.ChoiceFilter(
        choices=Constituency.choices, label=_("Constituency")
    )
    seated = YesNoFilter(method="filter_seated", label=_("Seated today"))

    class Meta:
        model = BoardMember
        fields = ["board", "constituency", "seated", "updated_after"]

    def filter_seated(self, queryset, name, value):
        seated = BoardMember.objects.seated(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=seated) if value else queryset.exclude(pk__in=seated)


class VoteFilterSet(django_filters.FilterSet):
    resolution = IdFilter(field_name="resolution_id", label=_("Resolution (id)"))
    member = IdFilter(field_name="member_id", label=_("Board member (id)"))
    choice = django_filters.ChoiceFilter(choices=VoteChoice.choices, label=_("Vote"))

    class Meta:
        model = Vote
        fields = ["resolution", "member", "choice"]
