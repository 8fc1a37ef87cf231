from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from funding import services
from funding.filters import (
    AwardFilterSet,
    ConflictFilterSet,
    FundApplicationFilterSet,
    FundProgramFilterSet,
    ProgressReportFilterSet,
    TrancheFilterSet,
)
from funding.models import (
    ApplicationAnswer,
    Award,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgressReport,
    Tranche,
)
from portal.api import PortalCreateReadUpdateViewSet, PortalReadOnlyViewSet, PortalViewSetMixin
from portal.idempotency import idempotent

from .payment_serializers import CancelSerializer, ReleaseSerializer
from .questions import (
    DIFF_PARAMETERS,
    ApplicationDiffSerializer,
    ApplicationVersionSerializer,
    InfoRequestSerializer,
    answers_input,
    diff_response,
    versions_response,
)
from .serializers import (
    AwardSerializer,
    CommentSerializer,
    ConflictOfInterestSerializer,
    DecisionSerializer,
    FundApplicationDetailSerializer,
    FundApplicationSerializer,
    FundApplicationUpdateSerializer,
    FundProgramDetailSerializer,
    FundProgramSerializer,
    FundProgramUpdateSerializer,
    ProgressReportSerializer,
    ReportSubmitSerializer,
    TrancheSerializer,
)
from .summary import ReviewedApplicationMixin

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat the call safely: the same key and body return the first response; "
    "the same key with another body answers 422.",
)


def _criteria(rows) -> list:
    return [
        (
            row["name"],
            row["weight"],
            row["max_score"],
            row.get("description", ""),
            row.get("guidance", ""),
        )
        for row in rows
    ]


def _lines(rows) -> list:
    return [(row["category"], row["description"], row["amount"]) for row in rows]


class FundProgramViewSet(PortalCreateReadUpdateViewSet):
    """Fund programs: open ones are public to signed-in users, drafts only to their
    department. Created and run by the department's admins and staff."""

    queryset = FundProgram.objects.select_related("department").prefetch_related("criteria")
    serializer_class = FundProgramSerializer
    filterset_class = FundProgramFilterSet
    search_fields = ("title", "reference", "description")
    ordering_fields = ("opens_on", "closes_on", "total_budget", "title", "created_at", "updated_at")

    detail_serializer_class = FundProgramDetailSerializer

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FundProgramUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        criteria = _criteria(data.pop("criteria", []))
        department = data.pop("department")
        serializer.instance = services.program_create(
            actor=self.request.user, department=department, criteria=criteria, **data
        )

    @transaction.atomic
    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        criteria = data.pop("criteria", None)
        program = services.program_update(
            actor=self.request.user, program=serializer.instance, **data
        )
        if criteria is not None:
            services.criteria_replace(
                actor=self.request.user, program=program, criteria=_criteria(criteria)
            )
        serializer.instance = self.get_queryset().get(pk=program.pk)

    def _move(self, service):
        return self.updated_response(service(actor=self.request.user, program=self.get_object()))

    @extend_schema(request=None, responses=FundProgramDetailSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Draft → open (needs at least one review criterion)."""
        return self._move(services.program_open)

    @extend_schema(request=None, responses=FundProgramDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Open → closed: no more submissions."""
        return self._move(services.program_close)

    @extend_schema(request=None, responses=FundProgramDetailSerializer)
    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        """Closed → finalized, once every application is decided."""
        return self._move(services.program_finalize)


class FundApplicationViewSet(ReviewedApplicationMixin, PortalCreateReadUpdateViewSet):
    """Applications: visible to the applicant organization and to government."""

    queryset = FundApplication.objects.select_related(
        "program", "applicant", "award"
    ).prefetch_related(
        "budget_lines",
        Prefetch("answers", ApplicationAnswer.objects.select_related("question", "attachment")),
    )
    serializer_class = FundApplicationSerializer
    filterset_class = FundApplicationFilterSet
    search_fields = ("title", "reference", "summary")
    ordering_fields = (
        "requested_amount",
        "submitted_at",
        "weighted_score",
        "created_at",
        "updated_at",
    )

    detail_serializer_class = FundApplicationDetailSerializer

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FundApplicationUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_edit_application(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        program = get_object_or_404(
            FundProgram.objects.visible_to(self.request.user), pk=data.pop("program").pk
        )
        lines = _lines(data.pop("budget_lines", []))
        serializer.instance = services.application_create(
            actor=self.request.user,
            program=program,
            applicant=data.pop("applicant"),
            budget_lines=lines,
            answers=answers_input(data.pop("answers", None)),
            **data,
        )

    @transaction.atomic
    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        lines = data.pop("budget_lines", None)
        answers = answers_input(data.pop("answers", None))
        application = services.application_update(
            actor=self.request.user, application=serializer.instance, answers=answers, **data
        )
        if lines is not None:
            services.budget_lines_replace(
                actor=self.request.user, application=application, lines=_lines(lines)
            )
        serializer.instance = self.get_queryset().get(pk=application.pk)

    def _move(self, service, **kwargs):
        result = service(actor=self.request.user, application=self.get_object(), **kwargs)
        application = result.application if isinstance(result, Award) else result
        return self.updated_response(application)

    @extend_schema(request=None, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft → submitted (budget lines must add up; the window must be open)."""
        return self._move(services.application_submit)

    @extend_schema(request=None, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Draft, submitted or more information requested → withdrawn."""
        return self._move(services.application_withdraw)

    @extend_schema(request=InfoRequestSerializer, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        """Under review → more information requested, with the `questions` the
        applicant is told (the department's admins and staff)."""
        body = InfoRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(services.application_request_info, **body.validated_data)

    @extend_schema(request=None, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """More information requested → under review, as a new version (the applicant)."""
        return self._move(services.application_resubmit)

    @extend_schema(responses=ApplicationVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def versions(self, request, pk=None):
        """What the application said at each submission, newest first."""
        return versions_response(self, self.get_object())

    @extend_schema(parameters=DIFF_PARAMETERS, responses=ApplicationDiffSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def diff(self, request, pk=None):
        """What changed from version `from` to version `to`: title and summary word by
        word, the amount, the budget lines and the answers."""
        return diff_response(request, self.get_object())

    @extend_schema(request=None, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        """Submitted → under review (the department)."""
        return self._move(services.application_start_review)

    @extend_schema(
        request=DecisionSerializer,
        responses=FundApplicationDetailSerializer,
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Under review → approved with `amount`; commits it against the program's budget."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data.get("amount") is None:
            return Response(
                {"amount": ["Give the amount to award."]}, status=status.HTTP_400_BAD_REQUEST
            )
        return self._move(
            services.application_approve,
            amount=body.validated_data["amount"],
            reasons=body.validated_data["reasons"],
        )

    @extend_schema(request=DecisionSerializer, responses=FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Under review → rejected, with `reasons`."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(services.application_reject, reasons=body.validated_data["reasons"])


class ConflictOfInterestViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Officers' declared ties to organizations (government only). DELETE withdraws one's own."""

    queryset = ConflictOfInterest.objects.select_related("officer", "organization")
    serializer_class = ConflictOfInterestSerializer
    filterset_class = ConflictFilterSet
    ordering_fields = ("created_at",)

    def can_write(self, user, obj) -> bool:
        return obj.officer_id == user.pk or user.is_superuser

    def perform_create(self, serializer):
        serializer.instance = services.conflict_declare(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.conflict_withdraw(actor=self.request.user, conflict=instance)


class AwardViewSet(PortalReadOnlyViewSet):
    """Awards: the amount approved, planned in tranches and released."""

    queryset = Award.objects.select_related("application", "program")
    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    ordering_fields = ("created_at", "amount")


class TrancheViewSet(PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tranches of an award. POST plans one (the department); `release/` and `cancel/`
    are for the department's admins."""

    queryset = Tranche.objects.select_related("award", "released_by", "payment")
    serializer_class = TrancheSerializer
    filterset_class = TrancheFilterSet
    ordering_fields = ("due_date", "amount", "created_at")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        award = get_object_or_404(
            Award.objects.visible_to(self.request.user), pk=data.pop("award").pk
        )
        serializer.instance = services.tranche_plan(actor=self.request.user, award=award, **data)

    @extend_schema(
        request=ReleaseSerializer, responses=TrancheSerializer, parameters=[IDEMPOTENCY_KEY]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def release(self, request, pk=None):
        """Planned → released, once its evidence is attached (and, for an award below
        the request, once the department accepted a budget revised to it); records the
        payment: `voucher_number`, `payee_account`, `paid_on` (default today)."""
        tranche = self.get_object()
        body = ReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.updated_response(
            services.tranche_release(actor=request.user, tranche=tranche, **body.validated_data)
        )

    @extend_schema(request=CancelSerializer, responses=TrancheSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Planned → cancelled, with the `reason` the awardee reads; the amount can be
        planned again."""
        tranche = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        tranche = services.tranche_cancel(
            actor=request.user, tranche=tranche, reason=body.validated_data["reason"]
        )
        return self.updated_response(tranche)


class ProgressReportViewSet(
    PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Progress reports. POST schedules one (the department); the awardee `submit/`s it;
    the department `accept/`s or `return/`s it with comments."""

    queryset = ProgressReport.objects.select_related("award", "reviewed_by").prefetch_related(
        "indicator_values__indicator", "spend"
    )
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    ordering_fields = ("due_date", "created_at")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        award = get_object_or_404(
            Award.objects.visible_to(self.request.user), pk=data.pop("award").pk
        )
        serializer.instance = services.report_schedule(actor=self.request.user, award=award, **data)

    @extend_schema(request=ReportSubmitSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Due or returned → submitted, by the awardee: `narrative`, the value to date
        of every indicator of the program, the spend to date on every budget line."""
        report = self.get_object()
        body = ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.report_submit(
            actor=request.user,
            report=report,
            narrative=data["narrative"],
            indicator_values=[(row["indicator"], row["value"]) for row in data["indicator_values"]],
            spend=[(row["budget_line"], row["amount"]) for row in data["spend"]],
        )
        return self.updated_response(report)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_accept(
            actor=request.user, report=self.get_object(), **body.validated_data
        )
        return self.updated_response(report)

    @extend_schema(request=CommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_return(
            actor=request.user, report=self.get_object(), **body.validated_data
        )
        return self.updated_response(report)
