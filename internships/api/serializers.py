from rest_framework import serializers

from accounts.models import Organization
from internships.models import Placement, PracticeBase, Student
from internships.services import (
    HOST_HIDDEN_STUDENT_FIELDS,
    MAX_ROWS,
    placement_actions,
    practice_base_actions,
    sees_personal_details,
    sees_student_record,
    student_actions,
)
from partnerships.models import Agreement
from portal.api import ActionsMixin, RecordField, VisibleRecordField
from portal.limits import NOTE_TEXT


class PracticeBaseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:practice-base-detail")
    host = RecordField(queryset=Organization.objects.filter(is_active=True))
    host_name = serializers.CharField(source="host.name", read_only=True)
    colleges = RecordField(
        many=True,
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="Ids of the colleges the base serves.",
    )
    agreement = VisibleRecordField(
        queryset=Agreement.objects.all(),
        required=False,
        allow_null=True,
        help_text="A practice base agreement you can see.",
    )

    class Meta:
        model = PracticeBase
        fields = [
            "id",
            "url",
            "name",
            "host",
            "host_name",
            "colleges",
            "address",
            "specialties",
            "stations",
            "safety_officer_name",
            "safety_officer_phone",
            "agreement",
            "status",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["colleges"] = [link.organization_id for link in instance.colleges.all()]
        return data


class PracticeBaseUpdateSerializer(PracticeBaseSerializer):
    class Meta(PracticeBaseSerializer.Meta):
        read_only_fields = ["host"]


class PracticeBaseDetailSerializer(ActionsMixin, PracticeBaseSerializer):
    class Meta(PracticeBaseSerializer.Meta):
        fields = [*PracticeBaseSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, base) -> set[str]:
        return practice_base_actions(user, base)


class ComplianceWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField()
    article = serializers.CharField()
    message = serializers.CharField()


class PlacementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:placement-detail")
    host = RecordField(queryset=Organization.objects.filter(is_active=True))
    host_name = serializers.CharField(source="host.name", read_only=True)
    practice_base = VisibleRecordField(
        queryset=PracticeBase.objects.all(), required=False, allow_null=True
    )
    open_to_colleges = RecordField(
        many=True,
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="Ids of the chosen colleges, when open_to is “chosen”.",
    )
    compliance_warnings = ComplianceWarningSerializer(many=True, read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "url",
            "title",
            "host",
            "host_name",
            "internship_type",
            "practice_base",
            "specialties",
            "slots",
            "filled_slots",
            "city",
            "address",
            "start_date",
            "end_date",
            "hours_per_day",
            "days_per_week",
            "night_shifts",
            "overtime",
            "monthly_pay",
            "regular_wage",
            "pay_cycle_days",
            "student_fee",
            "insurance_paid_by",
            "venue_kind",
            "via_agency",
            "guide_name",
            "guide_title",
            "guide_phone",
            "host_staff_count",
            "same_post_staff_count",
            "open_to",
            "open_to_colleges",
            "description",
            "status",
            "compliance_warnings",
            "published_at",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "filled_slots",
            "status",
            "published_at",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
        ]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": "The end date comes before the start date."}
            )
        return attrs


class PlacementUpdateSerializer(PlacementSerializer):
    class Meta(PlacementSerializer.Meta):
        read_only_fields = [*PlacementSerializer.Meta.read_only_fields, "host"]


class PlacementDetailSerializer(ActionsMixin, PlacementSerializer):
    class Meta(PlacementSerializer.Meta):
        fields = [*PlacementSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, placement) -> set[str]:
        return placement_actions(user, placement)


class PlacementCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)


class RuleErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule's code, e.g. pay_below_80_percent.")
    message = serializers.CharField(help_text="What the rule requires, and its article.")


class PublishRefusedSerializer(serializers.Serializer):
    """400 from ``publish/``: each field at fault, with the rules it breaks."""

    monthly_pay = RuleErrorSerializer(many=True, required=False)
    pay_cycle_days = RuleErrorSerializer(many=True, required=False)
    student_fee = RuleErrorSerializer(many=True, required=False)
    insurance_paid_by = RuleErrorSerializer(many=True, required=False)
    night_shifts = RuleErrorSerializer(many=True, required=False)
    overtime = RuleErrorSerializer(many=True, required=False)
    venue_kind = RuleErrorSerializer(many=True, required=False)
    via_agency = RuleErrorSerializer(many=True, required=False)


PERSONAL_HELP = "Only for members of the student's own college; absent for anyone else."


class StudentSerializer(serializers.ModelSerializer):
    """A student; the personal details (``Student.PERSONAL_FIELDS``) are left out,
    keys and all, for anyone outside the student's own college (government oversight),
    and a host enterprise reading a student nominated to it also does without the
    college's own record (``HOST_HIDDEN_STUDENT_FIELDS``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:student-detail")
    college = RecordField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="The college's id; needed only when you act for several colleges.",
    )
    college_name = serializers.CharField(source="college.name", read_only=True)

    class Meta:
        model = Student
        fields = [
            "id",
            "url",
            "college",
            "college_name",
            "student_number",
            "name",
            "specialty",
            "class_name",
            "enrolment_year",
            "status",
            *Student.PERSONAL_FIELDS,
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {name: {"help_text": PERSONAL_HELP} for name in Student.PERSONAL_FIELDS}
        # The number's uniqueness within the college is the service's to check (the
        # college may come from the caller's membership, not the body).
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        hidden = []
        if not sees_personal_details(user, instance):
            hidden += Student.PERSONAL_FIELDS
        if not sees_student_record(user, instance):
            hidden += HOST_HIDDEN_STUDENT_FIELDS
        for name in hidden:
            data.pop(name, None)
        return data


class StudentUpdateSerializer(StudentSerializer):
    class Meta(StudentSerializer.Meta):
        read_only_fields = ["college"]


class StudentDetailSerializer(ActionsMixin, StudentSerializer):
    class Meta(StudentSerializer.Meta):
        fields = [*StudentSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, student) -> set[str]:
        return student_actions(user, student)


class StudentBulkUpsertSerializer(serializers.Serializer):
    """The body of ``bulk-upsert/``. Rows are checked one by one by the service (so
    that each error names its row); here only the envelope."""

    college = RecordField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="The college's id; needed only when you act for several colleges.",
    )
    rows = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=True,
        help_text=f"Up to {MAX_ROWS:,} students, each keyed by student_number, with the "
        "fields of a student (student_number, name, specialty and enrolment_year required; "
        "a field left out keeps its value).",
    )

    def validate_rows(self, rows):
        if len(rows) > MAX_ROWS:
            raise serializers.ValidationError(f"At most {MAX_ROWS:,} rows at a time.")
        return rows


class StudentRowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in `rows`, from 0.")
    field = serializers.CharField()
    message = serializers.CharField()


class StudentBulkUpsertResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = StudentRowErrorSerializer(many=True)
