"""Nominations through the API: a college nominates its students (``POST``), and each
step afterwards is a verb on the nomination (``POST .../{id}/<verb>/``), decided by the
services in ``internships.services.nominations``. Nothing changes through PATCH."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from internships import services
from internships.models import Evaluation, Nomination
from portal.api import PortalViewSetMixin

from .nomination_filters import NominationApiFilterSet
from .nomination_serializers import (
    START_REFUSED,
    AcceptSerializer,
    CompleteRefusedSerializer,
    EvaluationSerializer,
    EvaluationWriteSerializer,
    NominationCreateSerializer,
    NominationDetailSerializer,
    NominationGatesSerializer,
    NominationSerializer,
    OptionalReasonSerializer,
    ReasonSerializer,
)
from .views import rule_errors


class NominationViewSet(PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Nominations of students to placements: seen by the nominating college, the host
    enterprise (which sees each student's name, number, specialty, year and college,
    never their personal details) and government. The host `shortlist/`s, `offer/`s or
    `reject/`s; the college `accept/`s (with the student's consent), `decline/`s,
    `withdraw/`s, records the `gates/` and `start/`s; both sides record their
    `evaluations/` and `complete/` it. A verb the status does not allow answers 409."""

    queryset = Nomination.objects.select_related("placement__host", "student", "college")
    serializer_class = NominationSerializer
    detail_serializer_class = NominationDetailSerializer
    filterset_class = NominationApiFilterSet
    search_fields = ("^student__name", "^student__student_number", "placement__title")
    ordering_fields = ("created_at", "updated_at", "status", "placement__start_date")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("evaluations")
        return queryset

    @extend_schema(
        request=NominationCreateSerializer,
        responses={201: NominationSerializer(many=True)},
    )
    def create(self, request, *args, **kwargs):
        """Nominate students of one of your colleges to a published placement open to
        it: all or nothing, every refusal listed under `students`. Answers the
        nominations made."""
        body = NominationCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        made = services.nomination_create(
            actor=request.user,
            placement=body.validated_data["placement"],
            students=body.validated_data["students"],
            note=body.validated_data.get("note", ""),
        )
        rows = self.get_queryset().filter(pk__in=[n.pk for n in made]).order_by("pk")
        data = NominationSerializer(rows, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    # --- the verbs ---------------------------------------------------------------

    def _body(self, serializer_class, nomination=None):
        context = {**self.get_serializer_context(), "nomination": nomination}
        body = serializer_class(data=self.request.data, context=context)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _move(self, verb: str, reason: str = "") -> Response:
        nomination = services.nomination_move(
            actor=self.request.user, nomination=self.get_object(), verb=verb, reason=reason
        )
        return self.updated_response(nomination)

    @extend_schema(request=None, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        """Nominated → shortlisted (the host)."""
        return self._move("shortlist")

    @extend_schema(request=None, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        """Nominated or shortlisted → offered (the host); the college records the answer."""
        return self._move("offer")

    @extend_schema(request=ReasonSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Not taken (the host), with the reason; an accepted nomination frees its slot."""
        return self._move("reject", self._body(ReasonSerializer)["reason"])

    @extend_schema(request=ReasonSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdrawn by the college before the start, with the reason."""
        return self._move("withdraw", self._body(ReasonSerializer)["reason"])

    @extend_schema(request=OptionalReasonSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Offered → declined: the student said no (the college records it)."""
        return self._move("decline", self._body(OptionalReasonSerializer).get("reason", ""))

    @extend_schema(request=AcceptSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Offered → accepted: the student said yes. Takes one of the placement's slots
        (409 when none is left); `consent` is the student's signed consent, a file
        already attached to this nomination."""
        nomination = self.get_object()
        consent = self._body(AcceptSerializer, nomination)["consent"]
        nomination = services.nomination_accept(
            actor=request.user, nomination=nomination, consent=consent
        )
        return self.updated_response(nomination)

    @extend_schema(request=NominationGatesSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def gates(self, request, pk=None):
        """Record the gates before starting (either side, while offered or accepted):
        the tripartite agreement, the guardian's consent, the insurance policy, the
        tracking teacher and the guide. Only the fields sent change."""
        nomination = self.get_object()
        fields = self._body(NominationGatesSerializer, nomination)
        nomination = services.nomination_record_gates(
            actor=request.user, nomination=nomination, **fields
        )
        return self.updated_response(nomination)

    @extend_schema(
        request=None,
        responses={
            200: NominationDetailSerializer,
            400: OpenApiResponse(
                START_REFUSED,
                description="Every gate still missing, keyed by the field that records "
                "it: `{field: [{code, message}]}`.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Accepted → started (the college), once every gate is in place."""
        try:
            nomination = services.nomination_start(actor=request.user, nomination=self.get_object())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            return Response(rule_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return self.updated_response(nomination)

    @extend_schema(
        request=None,
        responses={
            200: NominationDetailSerializer,
            400: OpenApiResponse(
                CompleteRefusedSerializer, description="The evaluations still missing."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Started → completed (either side), once the guide and the tracking teacher
        have evaluated (and the teacher has rated the practice base, if any)."""
        nomination = services.nomination_complete(actor=request.user, nomination=self.get_object())
        return self.updated_response(nomination)

    @extend_schema(methods=["GET"], responses=EvaluationSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=EvaluationWriteSerializer,
        responses={200: EvaluationSerializer, 201: EvaluationSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
    )
    def evaluations(self, request, pk=None):
        """GET: the guide's and the tracking teacher's evaluations. POST: record (201) or
        correct (200) the `role`'s evaluation while the internship runs — the guide's is
        the host's, the teacher's the college's."""
        nomination = self.get_object()
        if request.method == "GET":
            rows = nomination.evaluations.all()
            return Response(EvaluationSerializer(rows, many=True).data)
        fields = dict(self._body(EvaluationWriteSerializer, nomination))
        role = fields.pop("role")
        existed = Evaluation.objects.filter(nomination=nomination, role=role).exists()
        evaluation = services.evaluation_record(
            actor=request.user, nomination=nomination, role=role, **fields
        )
        return Response(
            EvaluationSerializer(evaluation).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
