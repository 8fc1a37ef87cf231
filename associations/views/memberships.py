"""The membership pages: the list (with CSV export), a membership's page (status, dates,
grace end, renewals and dues paid; files; history), admitting a member, editing,
renewing and recording dues (the association's admins and staff), the printable
membership certificate, and the association's membership types. Every write goes
through ``associations.services.memberships``."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from portal import access
from portal.forms import known_fields
from portal.roles import OrganizationKind
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    VisibleRecordMixin,
)

from ..filters import MembershipFilterSet, MembershipTypeFilterSet
from ..forms.memberships import (
    DuesPaymentForm,
    MembershipEditForm,
    MembershipForm,
    MembershipTypeEditForm,
    MembershipTypeForm,
    RenewForm,
)
from ..models import AssociationMembership, DuesPayment, MembershipRenewal, MembershipType
from ..services import memberships as service
from ..tables import MembershipTable, MembershipTypeTable

RELATED = ("association", "member", "membership_type")


def sees_membership_types(user) -> bool:
    """Types are the association's: its members and government read them."""
    return access.sees_everything(user) or bool(
        access.organization_ids(user, kinds={OrganizationKind.ASSOCIATION})
    )


def require_keeper(user) -> None:
    if user.is_authenticated and not service.kept_associations(user):
        raise PermissionDenied(
            _("Only the association's admins and staff keep its memberships and dues.")
        )


# --- memberships ----------------------------------------------------------------------


class MembershipListView(FilteredListView):
    model = AssociationMembership
    queryset = AssociationMembership.objects.select_related(*RELATED)
    filterset_class = MembershipFilterSet
    template_name = "associations/membership_list.html"
    context_object_name = "memberships"
    table_class = MembershipTable
    default_ordering = ("member__name", "-start_date", "pk")
    csv_filename = "association-memberships.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = bool(service.kept_associations(user))
        context["sees_types"] = sees_membership_types(user)
        return context


class MembershipDetailView(RecordDetailView):
    model = AssociationMembership
    queryset = AssociationMembership.objects.select_related(*RELATED)
    template_name = "associations/membership_detail.html"
    context_object_name = "membership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.object
        context["actions"] = service.membership_actions(self.request.user, membership)
        context["has_certificate"] = service.has_certificate(membership)
        if context["tab"] == "overview":
            context["renewals"] = list(
                MembershipRenewal.objects.filter(membership_id=membership.pk)
                .select_related("renewed_by")
                .order_by("-renewed_at", "-pk")
            )
            payments = list(
                DuesPayment.objects.filter(membership_id=membership.pk)
                .select_related("recorded_by")
                .order_by("-paid_on", "-pk")
            )
            context["payments"] = payments
            context["dues_paid"] = sum((p.amount for p in payments), start=Decimal("0.00"))
        return context


class MembershipCreateView(ServiceCreateView):
    """Admit a member: only for the admins and staff of an association."""

    form_class = MembershipForm
    template_name = "associations/membership_form.html"

    def dispatch(self, request, *args, **kwargs):
        require_keeper(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        try:
            return service.membership_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("%(member)s is a member: number %(number)s.") % {
            "member": record.member.name,
            "number": record.number,
        }


class MembershipChangeView(ServiceUpdateView):
    """A change to a membership by the association's admins and staff (403 for others
    who see it, 404 for anyone else)."""

    model = AssociationMembership
    queryset = AssociationMembership.objects.select_related(*RELATED)
    context_object_name = "membership"

    def can_write(self, user, obj) -> bool:
        return service.can_change_membership(user, obj)


class MembershipUpdateView(MembershipChangeView):
    form_class = MembershipEditForm
    template_name = "associations/membership_form.html"
    success_message = gettext_lazy("Membership saved.")

    def save(self, form):
        try:
            service.membership_update(
                actor=self.request.user, membership=self.object, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


class RecordFormMixin:
    """A form about the membership that does not edit it: no ``instance``."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs


class MembershipRenewView(RecordFormMixin, MembershipChangeView):
    form_class = RenewForm
    template_name = "associations/membership_renew.html"

    def save(self, form):
        try:
            renewed = service.membership_renew(
                actor=self.request.user, membership=self.object, years=form.cleaned_data["years"]
            )
        except ValidationError as error:
            raise known_fields(form, error) from error
        self.success_message = _("Membership renewed: it now ends on %(end)s.") % {
            "end": renewed.end_date.isoformat()
        }


class DuesPaymentCreateView(RecordFormMixin, MembershipChangeView):
    form_class = DuesPaymentForm
    template_name = "associations/membership_payment.html"
    success_message = gettext_lazy("Payment recorded.")

    def save(self, form):
        try:
            service.dues_payment_record(
                actor=self.request.user, membership=self.object, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


class MembershipCertificateView(VisibleRecordMixin, DetailView):
    """The printable certificate of an active membership or one in its grace period,
    for whoever sees the membership; none for a pending or lapsed one (404)."""

    model = AssociationMembership
    queryset = AssociationMembership.objects.select_related(*RELATED)
    template_name = "associations/membership_certificate.html"
    context_object_name = "membership"

    def get_object(self, queryset=None):
        membership = super().get_object(queryset)
        if not service.has_certificate(membership):
            raise Http404(
                _("Only an active membership, or one in its grace period, has a certificate.")
            )
        access.note_reads(self.request.user, [membership])
        return membership

    def get_context_data(self, **kwargs):
        return super().get_context_data(issued_on=timezone.localdate(), **kwargs)


# --- membership types -----------------------------------------------------------------


class MembershipTypeListView(FilteredListView):
    model = MembershipType
    filterset_class = MembershipTypeFilterSet
    template_name = "associations/membership_type_list.html"
    context_object_name = "membership_types"
    table_class = MembershipTypeTable
    default_ordering = ("association__name", "name", "pk")
    csv_filename = "membership-types.csv"

    def get_queryset(self):
        self.queryset = MembershipType.objects.select_related("association").annotate(
            membership_count=Count("memberships")
        )
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(service.kept_associations(self.request.user))
        return context


class MembershipTypeDetailView(RecordDetailView):
    model = MembershipType
    queryset = MembershipType.objects.select_related("association")
    template_name = "associations/membership_type_detail.html"
    context_object_name = "membership_type"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership_type = self.object
        context["actions"] = service.membership_type_actions(self.request.user, membership_type)
        if context["tab"] == "overview":
            context["membership_count"] = AssociationMembership.objects.filter(
                membership_type_id=membership_type.pk
            ).count()
        return context


class MembershipTypeCreateView(ServiceCreateView):
    form_class = MembershipTypeForm
    template_name = "associations/membership_type_form.html"

    def dispatch(self, request, *args, **kwargs):
        require_keeper(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        try:
            return service.membership_type_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Membership type “%(name)s” offered.") % {"name": record.name}


class MembershipTypeUpdateView(ServiceUpdateView):
    model = MembershipType
    queryset = MembershipType.objects.select_related("association")
    form_class = MembershipTypeEditForm
    template_name = "associations/membership_type_form.html"
    context_object_name = "membership_type"
    success_message = gettext_lazy("Membership type saved.")

    def can_write(self, user, obj) -> bool:
        return service.can_change_membership_type(user, obj)

    def save(self, form):
        try:
            service.membership_type_update(
                actor=self.request.user, membership_type=self.object, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


urlpatterns = [
    path(
        "association-memberships/",
        MembershipListView.as_view(),
        name="association-membership-list",
    ),
    path(
        "association-memberships/new/",
        MembershipCreateView.as_view(),
        name="association-membership-create",
    ),
    path(
        "association-memberships/<int:pk>/",
        MembershipDetailView.as_view(),
        name="association-membership-detail",
    ),
    path(
        "association-memberships/<int:pk>/edit/",
        MembershipUpdateView.as_view(),
        name="association-membership-edit",
    ),
    path(
        "association-memberships/<int:pk>/renew/",
        MembershipRenewView.as_view(),
        name="association-membership-renew",
    ),
    path(
        "association-memberships/<int:pk>/payments/new/",
        DuesPaymentCreateView.as_view(),
        name="association-membership-pay",
    ),
    path(
        "association-memberships/<int:pk>/certificate/",
        MembershipCertificateView.as_view(),
        name="association-membership-certificate",
    ),
    path("membership-types/", MembershipTypeListView.as_view(), name="membership-type-list"),
    path(
        "membership-types/new/", MembershipTypeCreateView.as_view(), name="membership-type-create"
    ),
    path(
        "membership-types/<int:pk>/",
        MembershipTypeDetailView.as_view(),
        name="membership-type-detail",
    ),
    path(
        "membership-types/<int:pk>/edit/",
        MembershipTypeUpdateView.as_view(),
        name="membership-type-edit",
    ),
]
