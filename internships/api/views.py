from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organization
from internships import services
from internships.filters import PlacementFilterSet, PracticeBaseFilterSet, StudentFilterSet
from internships.models import Placement, PracticeBase, Student
from portal import access
from portal.api import PortalCreateReadUpdateViewSet
from portal.history import history_entries

from .parsers import BulkUpsertJSONParser
from .serializers import (
    PlacementCancelSerializer,
    PlacementDetailSerializer,
    PlacementSerializer,
    PlacementUpdateSerializer,
    PracticeBaseDetailSerializer,
    PracticeBaseSerializer,
    PracticeBaseUpdateSerializer,
    PublishRefusedSerializer,
    StudentBulkUpsertResultSerializer,
    StudentBulkUpsertSerializer,
    StudentDetailSerializer,
    StudentSerializer,
    StudentUpdateSerializer,
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
        # Not through visible_to: a college that took itself off the base may no longer
        # see it, and its committed change must not answer 500.
        serializer.instance = self.queryset.get(pk=base.pk)


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


def college_acted_for(user, college: Organization | None) -> Organization:
    """The college whose students the caller writes: the one named, or the only one
    they keep students for. A viewer of it is refused (403); a college they are not a
    member of reads as one that does not exist."""
    keeps = services.student_colleges(user)
    if college is None:
        if len(keeps) > 1:
            raise ValidationError({"college": _("Name the college: you act for several.")})
        access.require(bool(keeps), _("Only a college's admins and staff change its students."))
        return Organization.objects.get(pk=next(iter(keeps)))
    if college.pk in keeps:
        return college
    if college.pk in access.organization_ids(user):
        access.require(False, _("Only a college's admins and staff change its students."))
    raise ValidationError({"college": _("No such record, or not one you can see.")})


class StudentViewSet(PortalCreateReadUpdateViewSet):
    """A college's students, kept by its admins and staff or its campus system.
    Government oversight reads them without the personal details (date of birth, phone,
    email, guardian), whose keys are then absent; a host enterprise reads only the
    students nominated to its placements (`GET students/{id}/`, or through the
    nominations): name, number, specialty, year and college; the list is the college's
    own (and government's), so that no filter or ordering tells a host more.
    `bulk-upsert/` creates or updates up to 10,000 at a time, keyed by student number."""

    queryset = Student.objects.select_related("college")
    serializer_class = StudentSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if self.action == "list" and not access.sees_everything(user):
            return queryset.filter(college_id__in=list(access.organization_ids(user)))
        return queryset

    detail_serializer_class = StudentDetailSerializer
    filterset_class = StudentFilterSet
    search_fields = ("^student_number", "^name")
    ordering_fields = (
        "student_number",
        "name",
        "specialty",
        "class_name",
        "enrolment_year",
        "status",
        "created_at",
        "updated_at",
    )

    def history_for(self, student, user) -> list:
        """Changes to the personal details only for the student's own college; a host
        reading a nominated student has no history (the college's record)."""
        if not services.sees_student_record(user, student):
            raise Http404
        return services.hide_personal_changes(
            history_entries(student, viewer=user), viewer=user, student=student
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return StudentUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_change_student(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        college = college_acted_for(self.request.user, data.pop("college", None))
        serializer.instance = services.student_create(
            actor=self.request.user, college=college, **data
        )

    def perform_update(self, serializer):
        student = services.student_update(
            actor=self.request.user, student=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=student.pk)

    @extend_schema(
        request=StudentBulkUpsertSerializer,
        parameters=[
            OpenApiParameter(
                "atomic",
                bool,
                description="true: any row error rejects the whole batch (400, nothing "
                "written). Otherwise the valid rows are written and the others reported.",
            )
        ],
        responses={
            200: StudentBulkUpsertResultSerializer,
            400: OpenApiResponse(
                StudentBulkUpsertResultSerializer,
                description="With atomic=true, the row errors; nothing was written.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-upsert",
        parser_classes=[BulkUpsertJSONParser],
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_upsert(self, request):
        """Create or update up to 10,000 students of one college, keyed by student
        number: `{"college": id, "rows": [...]}` (college only when you act for several).
        Each row is checked as a single write would be; errors are `{index, field,
        message}`. A few batched statements, whatever the number of rows."""
        body = StudentBulkUpsertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        college = college_acted_for(request.user, body.validated_data.get("college"))
        atomic = request.query_params.get("atomic", "").lower() in ("true", "1", "yes")
        result = services.students_upsert(
            actor=request.user, college=college, rows=body.validated_data["rows"], atomic=atomic
        )
        data = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": [vars(error) for error in result.errors],
        }
        failed = atomic and bool(result.errors)
        return Response(data, status=status.HTTP_400_BAD_REQUEST if failed else status.HTTP_200_OK)
