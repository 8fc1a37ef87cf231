"""Nominations as the API shows and takes them.

A nomination names its student by name, number, specialty, enrolment year and college
only: the student's personal details (date of birth, phone, email, guardian) are never
part of it, so the host enterprise sees no more than that. Documents (the student's
consent, the tripartite agreement's scan, the guardian's consent) are attachments of the
nomination, uploaded through ``attachments/`` and named here by id.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from internships import compliance
from internships.models import (
    BASE_RATING_CRITERIA,
    EVALUATION_CRITERIA,
    Evaluation,
    Nomination,
    NominationStatus,
    Placement,
    Student,
)
from internships.services import GATE_FIELDS, MAX_NOMINATIONS_AT_ONCE, nomination_actions
from portal.api import ActionsMixin, BoundedListField, RecordField, VisibleRecordField
from portal.limits import LARGEST_ID, NOTE_TEXT
from portal.models import Attachment

from .serializers import RuleErrorSerializer

NOT_SEEN = _("No such record, or not one you can see.")
FILE_HELP = "The id of a file attached to this nomination (POST /api/v1/attachments/)."
# Before the start the gates still matter; afterwards (or once ended) they are history.
GATES_PENDING = frozenset(
    {
        NominationStatus.NOMINATED,
        NominationStatus.SHORTLISTED,
        NominationStatus.OFFERED,
        NominationStatus.ACCEPTED,
    }
)


class EvaluationSerializer(serializers.ModelSerializer):
    average = serializers.DecimalField(
        max_digits=3, decimal_places=1, read_only=True, help_text="Of the four scores."
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "nomination",
            "role",
            "evaluator_name",
            *EVALUATION_CRITERIA,
            "average",
            "comments",
            *BASE_RATING_CRITERIA,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EvaluationWriteSerializer(serializers.ModelSerializer):
    """The body of ``evaluations/``: records the role's evaluation or corrects it (a
    field left out keeps its value; a new evaluation needs every score). The base
    ratings are the tracking teacher's, needed when the placement is at a practice
    base."""

    class Meta:
        model = Evaluation
        fields = [
            "role",
            "evaluator_name",
            *EVALUATION_CRITERIA,
            "comments",
            *BASE_RATING_CRITERIA,
        ]
        extra_kwargs = {
            name: {"required": False}
            for name in ("evaluator_name", *EVALUATION_CRITERIA, *BASE_RATING_CRITERIA)
        }
        validators = []  # one per role: the service corrects the existing one


class GateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The gate's code, e.g. insurance_missing.")
    field = serializers.CharField(help_text="The field that records it.")
    message = serializers.CharField(help_text="What is needed, and its article.")


class NominationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:nomination-detail")
    placement_title = serializers.CharField(source="placement.title", read_only=True)
    host = serializers.IntegerField(source="placement.host_id", read_only=True)
    host_name = serializers.CharField(source="placement.host.name", read_only=True)
    student_name = serializers.CharField(source="student.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    specialty = serializers.CharField(source="student.specialty", read_only=True)
    enrolment_year = serializers.IntegerField(source="student.enrolment_year", read_only=True)
    college_name = serializers.CharField(source="college.name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "url",
            "placement",
            "placement_title",
            "host",
            "host_name",
            "student",
            "student_name",
            "student_number",
            "specialty",
            "enrolment_year",
            "college",
            "college_name",
            "status",
            "note",
            "reason",
            "student_consent",
            *GATE_FIELDS,
            "accepted_at",
            "started_at",
            "completed_at",
            "ended_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"help_text": FILE_HELP}
            for name in ("student_consent", "tripartite_scan", "guardian_consent")
        }


class NominationDetailSerializer(ActionsMixin, NominationSerializer):
    missing_gates = serializers.SerializerMethodField(
        help_text="What must still be in place before the internship starts (empty once "
        "it has started or ended)."
    )
    evaluations = EvaluationSerializer(many=True, read_only=True)

    class Meta(NominationSerializer.Meta):
        fields = [*NominationSerializer.Meta.fields, "missing_gates", "evaluations", "actions"]
        read_only_fields = fields

    @extend_schema_field(GateSerializer(many=True))
    def get_missing_gates(self, nomination) -> list[dict]:
        if nomination.status not in GATES_PENDING:
            return []
        return [
            {"code": gate.code, "field": gate.field, "message": compliance.gate_message(gate)}
            for gate in compliance.missing_gates(nomination)
        ]

    def decide_actions(self, user, nomination) -> set[str]:
        return nomination_actions(user, nomination)


class IdListField(BoundedListField):
    """Record ids, at most ``max_length`` of them, counted before any is read."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=LARGEST_ID))
        super().__init__(**kwargs)


class NominationCreateSerializer(serializers.Serializer):
    """The body of ``POST nominations/``: students of one college, nominated together."""

    placement = VisibleRecordField(
        queryset=Placement.objects.all(), help_text="A published placement open to your college."
    )
    students = IdListField(
        min_length=1,
        max_length=MAX_NOMINATIONS_AT_ONCE,
        help_text=f"Ids of up to {MAX_NOMINATIONS_AT_ONCE} students of one of your colleges.",
    )
    note = serializers.CharField(max_length=NOTE_TEXT, allow_blank=True, required=False)

    def validate_students(self, ids: list[int]) -> list[Student]:
        """The students, read in one query among those the caller sees; an id not
        among them is an error at its index."""
        request = self.context.get("request")
        seen = Student.objects.visible_to(getattr(request, "user", None)).in_bulk(set(ids))
        errors = {index: [NOT_SEEN] for index, pk in enumerate(ids) if pk not in seen}
        if errors:
            raise serializers.ValidationError(errors)
        return [seen[pk] for pk in ids]


class NominationFileField(RecordField):
    """A file attached to the nomination in ``context["nomination"]``, by id: any other
    id, whoever's file it is, reads the same."""

    default_error_messages = {
        "does_not_exist": _("Choose a file attached to this nomination."),
    }

    def get_queryset(self):
        return Attachment.objects.for_record(self.context["nomination"])


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT, help_text="Why; the other side is told.")


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=NOTE_TEXT,
        allow_blank=True,
        required=False,
        help_text="Why, if the student said.",
    )


class AcceptSerializer(serializers.Serializer):
    consent = NominationFileField(
        queryset=Attachment.objects.all(),
        help_text="The student's signed consent: " + FILE_HELP,
    )


class NominationGatesSerializer(serializers.ModelSerializer):
    """The gates before starting; a field left out keeps its value."""

    tripartite_scan = NominationFileField(
        queryset=Attachment.objects.all(), required=False, allow_null=True, help_text=FILE_HELP
    )
    guardian_consent = NominationFileField(
        queryset=Attachment.objects.all(), required=False, allow_null=True, help_text=FILE_HELP
    )

    class Meta:
        model = Nomination
        fields = list(GATE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in GATE_FIELDS}
        validators = []


START_REFUSED = inline_serializer(
    "StartRefused",
    {
        field: RuleErrorSerializer(many=True, required=False)
        for field in dict.fromkeys(gate.field for gate in compliance.GATES)
    },
)


class CompleteRefusedSerializer(serializers.Serializer):
    evaluations = serializers.ListField(
        child=serializers.CharField(), help_text="Each evaluation still missing."
    )
