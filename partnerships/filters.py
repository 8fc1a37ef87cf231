import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal import access
from portal.filters import IdFilter, PortalFilterSet, YesNoFilter

from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Clause,
    ClauseCategory,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipKind,
    PartnershipStatus,
)

DATE_INPUT = {"type": "date"}


class PartnershipFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=PartnershipKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices, label=_("Status"))
    member = django_filters.ModelChoiceFilter(
        field_name="members__organization",
        queryset=Organization.objects.filter(is_active=True),
        label=_("Member"),
        distinct=True,
    )

    class Meta:
        model = Partnership
        fields = ["q", "kind", "status", "member", "updated_after"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class AgreementFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    party = django_filters.ModelChoiceFilter(
        field_name="parties__organization",
        queryset=Organization.objects.filter(is_active=True),
        label=_("Party"),
        distinct=True,
    )
    partnership = django_filters.ModelChoiceFilter(
        queryset=Partnership.objects.all(), label=_("Partnership")
    )
    expires_after = django_filters.DateFilter(
        field_name="expiry_date",
        lookup_expr="gte",
        label=_("Expires on or after"),
        widget=forms.DateInput(attrs=DATE_INPUT),
    )
    expires_before = django_filters.DateFilter(
        field_name="expiry_date",
        lookup_expr="lte",
        label=_("Expires on or before"),
        widget=forms.DateInput(attrs=DATE_INPUT),
    )

    class Meta:
        model = Agreement
        fields = [
            "q",
            "status",
            "kind",
            "party",
            "partnership",
            "expires_after",
            "expires_before",
            "updated_after",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["partnership"].queryset = Partnership.objects.visible_to(request.user)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))


def agreement_picker(agreements) -> forms.Select:
    """The agreement filter on a page: a list of the agreements the reader may pick
    (read only when the page draws it, never by the API), which portal.js's picker
    turns into a box that narrows them as you type. It still sends the id."""

    def choices():
        rows = agreements.order_by("-created_at").values_list("pk", "reference", "title")
        return [("", _("Any agreement"))] + [
            (pk, f"{reference} {title}") for pk, reference, title in rows
        ]

    return forms.Select(
        choices=choices,
        attrs={
            "data-picker": "agreement",
            "data-picker-placeholder": _("Type a reference or a title…"),
            "data-picker-invalid": _("Choose one of the agreements in the list."),
        },
    )


class ClauseFilterSet(PortalFilterSet):
    agreement = IdFilter(field_name="agreement_id", label=_("Agreement"))
    party = django_filters.ModelChoiceFilter(
        field_name="party__organization",
        queryset=Organization.objects.filter(is_active=True),
        label=_("Party"),
    )
    kind = django_filters.ChoiceFilter(
        choices=ClauseKind.choices, label=_("Right or responsibility")
    )
    category = django_filters.ChoiceFilter(choices=ClauseCategory.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=ClauseStatus.choices, label=_("Status"))
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label=_("Due on or after"),
        widget=forms.DateInput(attrs=DATE_INPUT),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label=_("Due on or before"),
        widget=forms.DateInput(attrs=DATE_INPUT),
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Clause
        fields = [
            "agreement",
            "party",
            "kind",
            "category",
            "status",
            "due_after",
            "due_before",
            "overdue",
            "updated_after",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["agreement"].extra["widget"] = agreement_picker(
                Agreement.objects.visible_to(request.user)
            )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Clause.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


OUTSTANDING = "outstanding"
OUTSTANDING_STATUSES = (ClauseStatus.OPEN, ClauseStatus.CLAIMED)


class ObligationFilterSet(PortalFilterSet):
    """Our obligations: by status (outstanding = open or awaiting confirmation), by
    agreement (one of ours that binds), overdue or not."""

    status = django_filters.ChoiceFilter(
        choices=[
            (OUTSTANDING, _("Outstanding (open or awaiting confirmation)")),
            *ClauseStatus.choices,
        ],
        method="filter_status",
        label=_("Status"),
        empty_label=_("Any status"),
    )
    agreement = IdFilter(field_name="agreement_id", label=_("Agreement"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Clause
        fields = ["status", "agreement", "overdue", "updated_after"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["agreement"].extra["widget"] = agreement_picker(
                Agreement.objects.visible_to(request.user).filter(
                    status__in=BINDING_STATUSES,
                    pk__in=Clause.objects.owed_by(access.organization_ids(request.user)).values(
                        "agreement_id"
                    ),
                )
            )

    def filter_status(self, queryset, name, value):
        if value == OUTSTANDING:
            return queryset.filter(status__in=OUTSTANDING_STATUSES)
        return queryset.filter(status=value)

    filter_overdue = ClauseFilterSet.filter_overdue
