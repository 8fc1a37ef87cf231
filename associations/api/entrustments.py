"""Entrustments in the API: ``entrustments/`` (+ ``accept/``, ``decline/``, ``deliver/``,
``approve/``, ``return/``, ``cancel/``) and ``entrustment-access-log/``, the reads
through their scope. Every write goes through ``associations.services.entrustments``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from accounts.models import Organization, OrganizationKind
from associations.filters import EntrustmentFilterSet, ScopedReadFilterSet
from associations.models import SCOPE_KINDS, Deliverable, Entrustment, ScopedRead
from associations.services import entrustments as service
from portal import access
from portal.api import (
    ActionsMixin,
    BoundedListField,
    PortalCreateReadUpdateViewSet,
    PortalViewSetMixin,
    RecordField,
    WholeRowMixin,
)
from portal.limits import NOTE_TEXT


class DeliverableSerializer(WholeRowMixin, serializers.ModelSerializer):
    class Meta:
        model = Deliverable
        fields = ["id", "title", "due_date", "delivered_at"]
        read_only_fields = ["id", "delivered_at"]


class EntrustmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:entrustment-detail")
    department = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.GOVERNMENT, is_active=True),
        required=False,
        help_text="Your department's id; needed only when you act for several.",
    )
    department_name = serializers.CharField(source="department.name", read_only=True)
    association = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ASSOCIATION, is_active=True)
    )
    association_name = serializers.CharField(source="association.name", read_only=True)
    scope_organizations = RecordField(
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE], is_active=True
        ),
        many=True,
        required=False,
        help_text="The colleges and enterprises whose records the association may read.",
    )
    scope_kinds = BoundedListField(
        child=serializers.ChoiceField(choices=list(SCOPE_KINDS)),
        max_length=len(SCOPE_KINDS),
        required=False,
        help_text="The kinds of record of those organizations it may read.",
    )
    deliverables = DeliverableSerializer(many=True, max_length=service.MAX_DELIVERABLES)

    class Meta:
        model = Entrustment
        fields = [
            "id",
            "url",
            "department",
            "department_name",
            "association",
            "association_name",
            "title",
            "kind",
            "description",
            "amount",
            "start_date",
            "end_date",
            "scope_organizations",
            "scope_kinds",
            "deliverables",
            "status",
            "comments",
            "reason",
            "accepted_at",
            "delivered_at",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "comments",
            "reason",
            "accepted_at",
            "delivered_at",
            "approved_at",
        ]


class EntrustmentUpdateSerializer(EntrustmentSerializer):
    deliverables = DeliverableSerializer(
        many=True, max_length=service.MAX_DELIVERABLES, required=False
    )

    class Meta(EntrustmentSerializer.Meta):
        read_only_fields = [
            "department",
            "association",
            *EntrustmentSerializer.Meta.read_only_fields,
        ]


class EntrustmentDetailSerializer(ActionsMixin, EntrustmentSerializer):
    reads_open = serializers.SerializerMethodField(
        help_text="Whether the association reads the records in the scope now."
    )

    class Meta(EntrustmentSerializer.Meta):
        fields = [*EntrustmentSerializer.Meta.fields, "reads_open", "actions"]

    def decide_actions(self, user, entrustment) -> set[str]:
        return service.entrustment_actions(user, entrustment)

    def get_reads_open(self, entrustment) -> bool:
        return service.reads_open(entrustment)


class EntrustmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)


class EntrustmentCommentsSerializer(serializers.Serializer):
    comments = serializers.CharField(max_length=NOTE_TEXT)


def acting_department(user, department):
    """The department named, or the only one the caller entrusts work for."""
    if department is not None:
        return department
    mine = service.departments_of(user)
    if len(mine) > 1:
        raise ValidationError({"department": _("Name the department: you act for several.")})
    access.require(bool(mine), _("Only a government department's admins and staff entrust work."))
    return mine[0]


class EntrustmentViewSet(PortalCreateReadUpdateViewSet):
    """Work a government department entrusts to an industry association, with its scope
    (the organizations and the kinds of their records the association reads while the
    work is under way, every read logged in `entrustment-access-log/`) and its
    deliverables (files go on each deliverable through `attachments/`, record
    `associations.deliverable:<id>`). Proposals change through PATCH (the department);
    each step is a POST; an illegal one answers 409."""

    queryset = (
        Entrustment.objects.select_related("department", "association")
        .prefetch_related("scope_organizations", "deliverables")
        .order_by("-start_date", "-pk")
    )
    serializer_class = EntrustmentSerializer
    detail_serializer_class = EntrustmentDetailSerializer
    filterset_class = EntrustmentFilterSet
    search_fields = ("title",)
    ordering_fields = ("start_date", "end_date", "status", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return EntrustmentUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.acts_for_department(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        department = acting_department(self.request.user, data.pop("department", None))
        entrustment = service.entrustment_create(
            actor=self.request.user, department=department, **data
        )
        serializer.instance = self.get_queryset().get(pk=entrustment.pk)

    def perform_update(self, serializer):
        entrustment = service.entrustment_update(
            actor=self.request.user, entrustment=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=entrustment.pk)

    def _step(self, verb: str, **kwargs):
        step = getattr(service, f"entrustment_{verb}")
        entrustment = step(actor=self.request.user, entrustment=self.get_object(), **kwargs)
        return self.updated_response(entrustment)

    @extend_schema(request=None, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Proposed → accepted (the association's admins)."""
        return self._step("accept")

    @extend_schema(request=EntrustmentReasonSerializer, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Proposed → declined, with the reason (the association's admins)."""
        body = EntrustmentReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step("decline", reason=body.validated_data["reason"])

    @extend_schema(request=None, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """Accepted or returned → delivered, once each deliverable has a file."""
        return self._step("deliver")

    @extend_schema(request=None, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Delivered → approved (the department)."""
        return self._step("approve")

    @extend_schema(request=EntrustmentCommentsSerializer, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Delivered → returned with comments, to deliver again (the department)."""
        body = EntrustmentCommentsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step("return", comments=body.validated_data["comments"])

    @extend_schema(request=EntrustmentReasonSerializer, responses=EntrustmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Any step before approval → cancelled, with the reason (the department)."""
        body = EntrustmentReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._step("cancel", reason=body.validated_data["reason"])


class ScopedReadSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ScopedRead
        fields = ["id", "entrustment", "user", "record_kind", "record_id", "record_name", "read_at"]


class ScopedReadViewSet(PortalViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every record a member of an association read through an entrustment's scope:
    who, which record (kind and id), when. The department's and the association's
    members read their entrustments' log; government reads all."""

    queryset = ScopedRead.objects.select_related("user").order_by("-read_at", "-pk")
    serializer_class = ScopedReadSerializer
    filterset_class = ScopedReadFilterSet
    ordering_fields = ("read_at",)
    history = None  # the log is written once and never changes


routes = [
    ("entrustments", EntrustmentViewSet, "entrustment"),
    ("entrustment-access-log", ScopedReadViewSet, "entrustment-access-log"),
]
