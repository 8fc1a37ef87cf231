"""Memberships in the API: ``membership-types/``, ``association-memberships/`` (+
``renew/``) and ``dues-payments/``. Every write goes through
``associations.services.memberships``, as the pages' do."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from accounts.models import Organization, OrganizationKind
from associations.filters import DuesPaymentFilterSet, MembershipFilterSet, MembershipTypeFilterSet
from associations.models import (
    AssociationMembership,
    DuesPayment,
    MembershipRenewal,
    MembershipStatus,
    MembershipType,
)
from associations.services import memberships as service
from portal import access
from portal.api import (
    ActionsMixin,
    PortalCreateReadUpdateViewSet,
    PortalViewSetMixin,
    RecordField,
    VisibleRecordField,
)

ASSOCIATIONS = Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True)
MEMBERS = service.member_organizations()


def keeping_association(user, association: Organization | None) -> Organization:
    """The association a new record is for: the one named, or the only one the caller
    keeps. The service decides whether they may (403 if not)."""
    if association is not None:
        return association
    kept = service.kept_associations(user)
    if len(kept) > 1:
        raise ValidationError(
            {"association": _("Name the association: you keep several associations.")}
        )
    access.require(
        bool(kept), _("Only the association's admins and staff keep its memberships and dues.")
    )
    return Organization.objects.get(pk=next(iter(kept)))


class KeepersCreateMixin:
    """Who keeps no association at all is refused (403) before the body is read: the
    types and memberships it would name are not theirs to see."""

    def create(self, request, *args, **kwargs):
        access.require(
            request.user.is_superuser or bool(service.kept_associations(request.user)),
            _("Only the association's admins and staff keep its memberships and dues."),
        )
        return super().create(request, *args, **kwargs)


# --- membership types -----------------------------------------------------------------


class MembershipTypeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-type-detail")
    association = RecordField(
        queryset=ASSOCIATIONS,
        required=False,
        help_text="The association's id; needed only when you keep several.",
    )
    association_name = serializers.CharField(source="association.name", read_only=True)
    membership_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = MembershipType
        fields = [
            "id",
            "url",
            "association",
            "association_name",
            "name",
            "annual_dues",
            "description",
            "is_active",
            "membership_count",
            "created_at",
            "updated_at",
        ]
        # The service checks the name is free in the association (400 on `name`).
        validators: list = []


class MembershipTypeUpdateSerializer(MembershipTypeSerializer):
    class Meta(MembershipTypeSerializer.Meta):
        read_only_fields = ["association"]


class MembershipTypeDetailSerializer(ActionsMixin, MembershipTypeSerializer):
    class Meta(MembershipTypeSerializer.Meta):
        fields = [*MembershipTypeSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, membership_type) -> set[str]:
        return service.membership_type_actions(user, membership_type)


class MembershipTypeViewSet(KeepersCreateMixin, PortalCreateReadUpdateViewSet):
    """The types of membership an association offers, with their annual dues (yuan, as
    a string): kept by its admins and staff, read by its members and government. A
    type no longer offered (`is_active: false`) takes no new memberships."""

    queryset = (
        MembershipType.objects.select_related("association")
        .annotate(membership_count=Count("memberships"))
        .order_by("association__name", "name", "pk")
    )
    serializer_class = MembershipTypeSerializer
    detail_serializer_class = MembershipTypeDetailSerializer
    filterset_class = MembershipTypeFilterSet
    search_fields = ("name",)
    ordering_fields = ("name", "annual_dues", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return MembershipTypeUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.can_change_membership_type(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        association = keeping_association(self.request.user, data.pop("association", None))
        membership_type = service.membership_type_create(
            actor=self.request.user, association=association, **data
        )
        serializer.instance = self.get_queryset().get(pk=membership_type.pk)

    def perform_update(self, serializer):
        membership_type = service.membership_type_update(
            actor=self.request.user,
            membership_type=serializer.instance,
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=membership_type.pk)


# --- memberships ----------------------------------------------------------------------


class AssociationMembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:association-membership-detail")
    association = RecordField(
        queryset=ASSOCIATIONS,
        required=False,
        help_text="The association's id; needed only when you keep several.",
    )
    association_name = serializers.CharField(source="association.name", read_only=True)
    member = RecordField(
        queryset=MEMBERS, help_text="The member's id: an active college or enterprise."
    )
    member_name = serializers.CharField(source="member.name", read_only=True)
    membership_type = VisibleRecordField(
        queryset=MembershipType.objects.all(),
        help_text="One of the association's offered membership types.",
    )
    membership_type_name = serializers.CharField(source="membership_type.name", read_only=True)
    status = serializers.ChoiceField(
        choices=MembershipStatus.choices,
        read_only=True,
        help_text="From the dates: pending before the start, active to the end, in grace for "
        "30 days after it, then lapsed.",
    )
    grace_ends = serializers.DateField(
        read_only=True, help_text="The last day of good standing: 30 days after the end."
    )

    class Meta:
        model = AssociationMembership
        fields = [
            "id",
            "url",
            "number",
            "association",
            "association_name",
            "member",
            "member_name",
            "membership_type",
            "membership_type_name",
            "start_date",
            "end_date",
            "status",
            "grace_ends",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number"]


class AssociationMembershipUpdateSerializer(AssociationMembershipSerializer):
    membership_type = VisibleRecordField(
        queryset=MembershipType.objects.all(),
        required=False,
        help_text="One of the association's offered membership types.",
    )

    class Meta(AssociationMembershipSerializer.Meta):
        read_only_fields = ["number", "association", "member"]


class MembershipRenewalSerializer(serializers.ModelSerializer):
    renewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MembershipRenewal
        fields = ["previous_end", "new_end", "renewed_by", "renewed_at"]


class AssociationMembershipDetailSerializer(ActionsMixin, AssociationMembershipSerializer):
    renewals = MembershipRenewalSerializer(many=True, read_only=True)
    dues_paid = serializers.SerializerMethodField(
        help_text="The total of the dues payments recorded, in yuan."
    )

    class Meta(AssociationMembershipSerializer.Meta):
        fields = [*AssociationMembershipSerializer.Meta.fields, "renewals", "dues_paid", "actions"]

    def get_dues_paid(self, membership) -> str:
        return f"{service.dues_paid(membership):.2f}"

    def decide_actions(self, user, membership) -> set[str]:
        return service.membership_actions(user, membership)


class MembershipRenewSerializer(serializers.Serializer):
    years = serializers.IntegerField(
        min_value=1,
        max_value=service.MAX_RENEWAL_YEARS,
        default=1,
        help_text="Extend by this many years from the current end.",
    )


class AssociationMembershipViewSet(KeepersCreateMixin, PortalCreateReadUpdateViewSet):
    """Memberships of colleges and enterprises in an association, numbered
    (M-2026-00001). Kept by the association's admins and staff; the member reads its
    own; government reads all. `status` follows from the dates (`?status=` filters by
    it); one membership per member and association at a time (overlapping dates answer
    400). `renew/` extends the end by `years` (default 1) from the current end."""

    queryset = AssociationMembership.objects.select_related(
        "association", "member", "membership_type"
    ).order_by("member__name", "-start_date", "pk")
    serializer_class = AssociationMembershipSerializer
    detail_serializer_class = AssociationMembershipDetailSerializer
    filterset_class = MembershipFilterSet
    search_fields = ("member__name", "^number")
    ordering_fields = ("number", "start_date", "end_date", "created_at", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("renewals__renewed_by")
        return queryset

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AssociationMembershipUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.can_change_membership(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        association = keeping_association(self.request.user, data.pop("association", None))
        membership = service.membership_create(
            actor=self.request.user, association=association, **data
        )
        serializer.instance = self.get_queryset().get(pk=membership.pk)

    def perform_update(self, serializer):
        membership = service.membership_update(
            actor=self.request.user, membership=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=membership.pk)

    @extend_schema(
        request=MembershipRenewSerializer, responses=AssociationMembershipDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Extend the end by `years` (1 to 10, default 1) from the current end, and
        record the renewal. Two renewals at once extend twice, one after the other."""
        body = MembershipRenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = service.membership_renew(
            actor=request.user, membership=self.get_object(), years=body.validated_data["years"]
        )
        return self.updated_response(membership)


# --- dues payments --------------------------------------------------------------------


class DuesPaymentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:dues-payment-detail")
    membership = VisibleRecordField(
        queryset=AssociationMembership.objects.all(), help_text="The membership's id."
    )
    membership_number = serializers.CharField(source="membership.number", read_only=True)
    member_name = serializers.CharField(source="membership.member.name", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DuesPayment
        fields = [
            "id",
            "url",
            "membership",
            "membership_number",
            "member_name",
            "amount",
            "paid_on",
            "reference",
            "recorded_by",
            "created_at",
            "updated_at",
        ]


class DuesPaymentViewSet(
    PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Dues paid by members (yuan, as a string), recorded by the association's admins
    and staff with `POST {"membership", "amount", "paid_on", "reference"}`; the member
    reads its own, government all. A payment is not changed once recorded."""

    queryset = DuesPayment.objects.select_related("membership__member", "recorded_by").order_by(
        "-paid_on", "-pk"
    )
    serializer_class = DuesPaymentSerializer
    filterset_class = DuesPaymentFilterSet
    search_fields = ("reference", "membership__member__name")
    ordering_fields = ("paid_on", "amount", "created_at", "updated_at")

    def can_write(self, user, obj) -> bool:
        return service.can_change_membership(user, obj.membership)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        payment = service.dues_payment_record(
            actor=self.request.user, membership=data.pop("membership"), **data
        )
        serializer.instance = self.get_queryset().get(pk=payment.pk)


routes = [
    ("membership-types", MembershipTypeViewSet, "membership-type"),
    ("association-memberships", AssociationMembershipViewSet, "association-membership"),
    ("dues-payments", DuesPaymentViewSet, "dues-payment"),
]
