from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from internships import services
from internships.filters import PlacementFilterSet, PracticeBaseFilterSet
from internships.models import Placement, PracticeBase
from portal.api import PortalCreateReadUpdateViewSet

from .serializers import (
    PlacementCancelSerializer,
    PlacementDetailSerializer,
    PlacementSerializer,
    PlacementUpdateSerializer,
    PracticeBaseDetailSerializer,
    PracticeBaseSerializer,
    PracticeBaseUpdateSerializer,
    PublishRefusedSerializer,
)


class PracticeBaseViewSet(PortalCreateReadUpdateViewSet):
    """Practice bases (实习实训基地): hosted by an enterprise or a college, serving colleges.
    The host's admins move `status` through PATCH (proposed → active ⇄ suspended →
    closed); an illegal move answers 409."""

    queryset = PracticeBase.objects.select_related("host").prefetch_related("colleges")
    serializer_class = PracticeBaseSerializer
    detail_serializer_class = PracticeBaseDetailSerializer
    filterset_class = PracticeBaseFilterSet
    search_fields = ("name", "address", "specialties")
    ordering_fields = ("name", "status", "stations", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PracticeBaseUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_edit_base(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.practice_base_create(
            actor=self.request.user,
            host=data.pop("host"),
            colleges=data.pop("colleges", []),
            **data,
        )

    @transaction.atomic
    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        base = serializer.instance
        new_status = self.request.data.get("status")
        services.practice_base_update(
            actor=self.request.user, practice_base=base, colleges=data.pop("colleges", None), **data
        )
        if new_status and new_status != base.status:
            services.practice_base_change_status(
                actor=self.request.user, practice_base=base, status=new_status
            )
        serializer.instance = self.get_queryset().get(pk=base.pk)


def rule_errors(error: ValidationError) -> dict:
    """``{field: [{"code", "message"}]}``: the rules a placement breaks, by field."""
    return {
        field: [{"code": item.code, "message": " ".join(item.messages)} for item in items]
        for field, items in error.error_dict.items()
    }


class PlacementViewSet(PortalCreateReadUpdateViewSet):
    """Internship placements (实习岗位) posted by enterprises. Drafts change through PATCH;
    `publish/` checks every compliance rule, `close/` and `cancel/` end it."""

    queryset = Placement.objects.select_related("host").prefetch_related("open_to_colleges")
    serializer_class = PlacementSerializer
    detail_serializer_class = PlacementDetailSerializer
    filterset_class = PlacementFilterSet
    search_fields = ("title", "description", "specialties", "city")
    ordering_fields = (
        "title",
        "status",
        "city",
        "slots",
        "monthly_pay",
        "start_date",
        "end_date",
        "created_at",
        "updated_at",
    )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PlacementUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_change_placement(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.placement_create(
            actor=self.request.user, host=data.pop("host"), **data
        )

    def perform_update(self, serializer):
        placement = services.placement_update(
            actor=self.request.user, placement=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=placement.pk)

    @extend_schema(
        request=None,
        responses={
            200: PlacementDetailSerializer,
            400: OpenApiResponse(
                PublishRefusedSerializer,
                description="Every blocking compliance rule broken, keyed by the field at "
                "fault: `{field: [{code, message}]}`.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Draft → published, if it passes every blocking compliance rule."""
        try:
            placement = services.placement_publish(actor=request.user, placement=self.get_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            return Response(rule_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return self.updated_response(placement)

    @extend_schema(request=None, responses=PlacementDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Published → closed."""
        placement = services.placement_close(actor=request.user, placement=self.get_object())
        return self.updated_response(placement)

    @extend_schema(request=PlacementCancelSerializer, responses=PlacementDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Draft or published → cancelled, with the reason."""
        body = PlacementCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        placement = services.placement_cancel(
            actor=request.user, placement=self.get_object(), reason=body.validated_data["reason"]
        )
        return self.updated_response(placement)
