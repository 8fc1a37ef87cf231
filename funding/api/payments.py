"""API for the money after the decision and what it buys: the payments that released
tranches (read-only), budget revisions to a reduced award, and the performance
indicators of a program (a flat resource filtered by ``program``, like tranches by
``award``: reports name indicators by id, and they change while the program is open)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from funding import services
from funding.filters import BudgetRevisionFilterSet, PaymentFilterSet, PerformanceIndicatorFilterSet
from funding.models import Award, BudgetRevision, FundProgram, Payment, PerformanceIndicator
from portal.api import PortalReadOnlyViewSet, PortalViewSetMixin

from .payment_serializers import (
    BudgetRevisionDetailSerializer,
    BudgetRevisionSerializer,
    PaymentSerializer,
    PerformanceIndicatorSerializer,
    PerformanceIndicatorUpdateSerializer,
)
from .serializers import CommentSerializer


class PaymentViewSet(PortalReadOnlyViewSet):
    """Payments that released tranches: the awardee's, and all for government. Filter by
    `program`, `award`, `paid_after` and `paid_before`."""

    queryset = Payment.objects.select_related("tranche__award", "recorded_by")
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet
    search_fields = ("voucher_number", "payee_account")
    ordering_fields = ("paid_on", "amount", "created_at", "updated_at")


class BudgetRevisionViewSet(
    PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Budget lines revised to an award below the request. POST proposes one (the
    awardee; lines adding up to the award exactly); the department `accept/`s it (the
    application's lines become these) or `return/`s it with comments."""

    queryset = BudgetRevision.objects.select_related(
        "award__program", "award__application", "proposed_by"
    )
    serializer_class = BudgetRevisionSerializer
    detail_serializer_class = BudgetRevisionDetailSerializer
    filterset_class = BudgetRevisionFilterSet
    ordering_fields = ("created_at", "updated_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        award = get_object_or_404(
            Award.objects.visible_to(self.request.user).select_related("application"),
            pk=data["award"].pk,
        )
        serializer.instance = services.budget_revision_propose(
            actor=self.request.user, award=award, lines=data["lines"], note=data["note"]
        )

    def _decide(self, request, service):
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        revision = service(
            actor=request.user, revision=self.get_object(), comment=body.validated_data["comment"]
        )
        return self.updated_response(revision)

    @extend_schema(request=CommentSerializer, responses=BudgetRevisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Proposed → accepted: the application's budget lines are replaced by these."""
        return self._decide(request, services.budget_revision_accept)

    @extend_schema(request=CommentSerializer, responses=BudgetRevisionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_revision(self, request, pk=None):
        """Proposed → returned, with the `comment` the awardee reads."""
        return self._decide(request, services.budget_revision_return)


class PerformanceIndicatorViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A program's indicators, seen by whoever sees the program; set by its department's
    admins and staff while it is a draft or open (at most 20). DELETE removes one no
    report has a value for."""

    queryset = PerformanceIndicator.objects.select_related("program")
    serializer_class = PerformanceIndicatorSerializer
    filterset_class = PerformanceIndicatorFilterSet
    ordering_fields = ("order", "created_at", "updated_at")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return PerformanceIndicatorUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj.program)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        program = get_object_or_404(
            FundProgram.objects.visible_to(self.request.user), pk=data.pop("program").pk
        )
        serializer.instance = services.indicator_add(
            actor=self.request.user, program=program, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.indicator_update(
            actor=self.request.user, indicator=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.indicator_remove(actor=self.request.user, indicator=instance)
