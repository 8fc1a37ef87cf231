"""Teacher secondments (教师企业实践) in the API: ``secondments/`` and
``secondments/teacher-days/``."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from accounts.models import Organization, OrganizationKind
from internships import services
from internships.filters import SecondmentFilterSet
from internships.models import SECONDMENT_DAYS_REQUIRED, Secondment
from portal import access
from portal.api import ActionsMixin, PortalCreateReadUpdateViewSet, RecordField
from portal.limits import parse_id


class SecondmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:secondment-detail")
    college = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.COLLEGE, is_active=True),
        required=False,
        help_text="The college's id; needed only when you are admin of several colleges.",
    )
    college_name = serializers.CharField(source="college.name", read_only=True)
    host = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True),
        help_text="The host enterprise's id: an active enterprise.",
    )
    host_name = serializers.CharField(source="host.name", read_only=True)

    class Meta:
        model = Secondment
        fields = [
            "id",
            "url",
            "college",
            "college_name",
            "teacher_name",
            "teacher_number",
            "specialty_teacher",
            "host",
            "host_name",
            "start_date",
            "end_date",
            "days",
            "activities",
            "created_at",
            "updated_at",
        ]


class SecondmentUpdateSerializer(SecondmentSerializer):
    host = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True),
        required=False,
        help_text="The host enterprise's id: an active enterprise.",
    )

    class Meta(SecondmentSerializer.Meta):
        read_only_fields = ["college"]


class SecondmentDetailSerializer(ActionsMixin, SecondmentSerializer):
    class Meta(SecondmentSerializer.Meta):
        fields = [*SecondmentSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, secondment) -> set[str]:
        return services.secondment_actions(user, secondment)


class TeacherDaysSerializer(serializers.Serializer):
    college = serializers.IntegerField(source="college_id")
    college_name = serializers.CharField()
    teacher_number = serializers.CharField()
    teacher_name = serializers.CharField(help_text="As on the teacher's latest secondment.")
    specialty_teacher = serializers.BooleanField(help_text="As on the teacher's latest secondment.")
    days = serializers.IntegerField(
        help_text="Days of the secondments that started from `since` to `until`."
    )
    required = serializers.IntegerField(help_text=f"{SECONDMENT_DAYS_REQUIRED} days.")
    short_of_days = serializers.BooleanField(
        help_text=f"A specialty teacher under {SECONDMENT_DAYS_REQUIRED} days."
    )
    days_missing = serializers.IntegerField()
    since = serializers.DateField(help_text="Five years before `until`.")
    until = serializers.DateField(help_text="Today.")


def recording_college(user, college: Organization | None) -> Organization:
    """The college a new secondment is for: the one named, or the only one the caller
    is admin of. The service decides whether they may record for it (403 if not)."""
    if college is not None:
        return college
    mine = services.secondment_colleges(user)
    if len(mine) > 1:
        raise ValidationError({"college": _("Name the college: you are admin of several.")})
    access.require(bool(mine), _("Only the college's admins record its teachers' secondments."))
    return Organization.objects.get(pk=next(iter(mine)))


class SecondmentViewSet(PortalCreateReadUpdateViewSet):
    """Teacher secondments (教师企业实践), recorded by a college's admins; the host
    enterprise reads the ones it hosted. The evidence goes in `attachments/`.
    `teacher-days/` counts each teacher's days in enterprises over the last five years."""

    queryset = Secondment.objects.select_related("college", "host")
    serializer_class = SecondmentSerializer
    detail_serializer_class = SecondmentDetailSerializer
    filterset_class = SecondmentFilterSet
    search_fields = ("^teacher_number", "teacher_name")
    ordering_fields = (
        "teacher_name",
        "teacher_number",
        "start_date",
        "end_date",
        "days",
        "created_at",
        "updated_at",
    )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SecondmentUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_change_secondment(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        college = recording_college(self.request.user, data.pop("college", None))
        serializer.instance = services.secondment_create(
            actor=self.request.user, college=college, host=data.pop("host"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        secondment = services.secondment_update(
            actor=self.request.user,
            secondment=serializer.instance,
            host=data.pop("host", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=secondment.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("college", int, description="Only this one of your colleges."),
            OpenApiParameter(
                "short_of_days",
                bool,
                description="true: only the specialty teachers under "
                f"{SECONDMENT_DAYS_REQUIRED} days.",
            ),
        ],
        responses=TeacherDaysSerializer(many=True),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="teacher-days",
        filter_backends=[],
        serializer_class=TeacherDaysSerializer,
    )
    def teacher_days(self, request):
        """Each teacher of your colleges (any role) with their days in enterprises over
        the last five years: the days of the secondments that started in that window.
        Teachers are known by staff number; name and specialty are from their latest
        secondment. One query, however many teachers."""
        college_ids = services.teacher_days_colleges(request.user)
        access.require(bool(college_ids), _("Only a college's members see its teachers' days."))
        wanted = request.query_params.get("college")
        if wanted is not None:
            college_id = parse_id(wanted)
            if college_id is None:
                raise ValidationError({"college": _("Give the record's id, a whole number.")})
            college_ids &= {college_id}
        short_only = request.query_params.get("short_of_days", "").lower() in ("true", "1")
        rows = services.teacher_days(college_ids, timezone.localdate(), short_only=short_only)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TeacherDaysSerializer(page, many=True).data)
