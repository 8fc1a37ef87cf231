"""The API of program questions, applications' answers, the more-information loop and
submitted versions.

- ``program-questions/``: a resource of its own (not nested in ``fund-programs/`` as
  criteria are), because answers name a question by its id: each question keeps its id
  while the program's managers add, change (PATCH) or remove (DELETE) others, which a
  list replaced as a whole would not. Written while the program is a draft.
- ``answers`` on ``fund-applications/``: ``[{question, value}]`` on create and update,
  each checked for its question's kind by the same service as the pages'. Only the
  questions given change (a blank value removes an answer). A file question is answered
  with ``attachment``: the id of a file the caller uploaded to the application through
  ``attachments/`` (record ``funding.fundapplication:<id>``).
- ``fund-applications/{id}/versions/`` and ``diff/?from=1&to=2``: what each submission
  said, and what changed between two.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from funding import services
from funding.models import (
    ApplicationAnswer,
    ApplicationVersion,
    FundProgram,
    ProgramQuestion,
    QuestionKind,
)
from funding.services.questions import CHOICE_LENGTH, MAX_CHOICES
from portal.api import BoundedListField, PortalModelViewSet, VisibleRecordField
from portal.filters import IdFilter, PortalFilterSet
from portal.limits import LARGEST_ID, LONG_TEXT, NOTE_TEXT, parse_id

# --- program questions -----------------------------------------------------------------


class ProgramQuestionFilterSet(PortalFilterSet):
    program = IdFilter(field_name="program_id", label=gettext_lazy("Program id"))

    class Meta:
        model = ProgramQuestion
        fields = ["program", "kind", "required", "updated_after"]


class ProgramQuestionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:program-question-detail")
    program = VisibleRecordField(queryset=FundProgram.objects.all())
    choices = BoundedListField(
        child=serializers.CharField(max_length=CHOICE_LENGTH, allow_blank=True),
        max_length=MAX_CHOICES,
        required=False,
        help_text="For `choice` questions: 2 to 50 options, each 1 to 200 characters, "
        "none twice. Other kinds have none.",
    )

    class Meta:
        model = ProgramQuestion
        fields = [
            "id",
            "url",
            "program",
            "label",
            "help_text",
            "kind",
            "choices",
            "required",
            "order",
            "created_at",
            "updated_at",
        ]


class ProgramQuestionUpdateSerializer(ProgramQuestionSerializer):
    program = serializers.PrimaryKeyRelatedField(read_only=True)


class ProgramQuestionViewSet(PortalModelViewSet):
    """The questions a program adds to its application form (at most 30), seen by
    whoever sees the program; added, changed and removed by its department's admins and
    staff while the program is a draft (then 409)."""

    queryset = ProgramQuestion.objects.select_related("program")
    serializer_class = ProgramQuestionSerializer
    filterset_class = ProgramQuestionFilterSet
    search_fields = ("label",)
    ordering_fields = ("order", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ProgramQuestionUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj.program)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        program = data.pop("program")
        serializer.instance = services.question_add(
            actor=self.request.user, program=program, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.question_update(
            actor=self.request.user, question=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.question_remove(actor=self.request.user, question=instance)


# --- answers, as part of an application ------------------------------------------------


class ApplicationAnswerSerializer(serializers.ModelSerializer):
    question = VisibleRecordField(queryset=ProgramQuestion.objects.all())
    label = serializers.CharField(source="question.label", read_only=True)
    kind = serializers.CharField(source="question.kind", read_only=True)
    # The service says how long each kind of answer may be (its message, as on the
    # pages); this bound only stops a huge value before it is read.
    value = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2 * LONG_TEXT,
        trim_whitespace=False,
        help_text="The answer as text: a number as `1234.5`, an amount as `1234.50`, a date "
        "as `2026-09-01`, a choice as one of the options. Blank removes the answer.",
    )
    attachment = serializers.IntegerField(
        source="attachment_id",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=LARGEST_ID,
        help_text="For a file question: the id of a file attached to this application "
        "(uploaded through `attachments/`); null removes the answer.",
    )
    file_name = serializers.CharField(source="attachment.original_name", read_only=True, default="")

    class Meta:
        model = ApplicationAnswer
        fields = ["question", "label", "kind", "value", "attachment", "file_name"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "value" not in attrs and "attachment_id" not in attrs:
            raise ValidationError(
                {"value": [_("Give the answer, or for a file question its attachment.")]}
            )
        return attrs


def answers_input(rows) -> dict | None:
    """The ``answers`` rows of a request as the service takes them: ``{question id:
    value}``, a file question's value being its attachment id (or None)."""
    if rows is None:
        return None
    answers: dict[int, object] = {}
    errors: dict[str, list[str]] = {}
    for row in rows:
        question = row["question"]
        key = services.answer_field(question)
        if question.pk in answers:
            errors[key] = [_("Answer each question once.")]
        elif question.kind == QuestionKind.FILE:
            if (row.get("value") or "").strip():
                errors[key] = [_("Answer a file question with its attachment, not a value.")]
            answers[question.pk] = row.get("attachment_id")
        else:
            if row.get("attachment_id") is not None:
                errors[key] = [_("Only a file question takes an attachment.")]
            answers[question.pk] = row.get("value", "")
    if errors:
        raise DjangoValidationError(errors)
    return answers


class InfoRequestSerializer(serializers.Serializer):
    questions = serializers.CharField(
        max_length=NOTE_TEXT, help_text="What the applicant should answer or change."
    )


# --- submitted versions and their differences -------------------------------------------


class VersionPartnershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VersionLineSerializer(serializers.Serializer):
    category = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.CharField(help_text="Yuan, as a string with two decimals.")


class VersionAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    value = serializers.CharField(allow_blank=True)
    attachment = serializers.IntegerField(allow_null=True)
    file_name = serializers.CharField(allow_blank=True)


class VersionContentSerializer(serializers.Serializer):
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    requested_amount = serializers.CharField(help_text="Yuan, as a string with two decimals.")
    partnership = VersionPartnershipSerializer(allow_null=True)
    lines = VersionLineSerializer(many=True)
    answers = VersionAnswerSerializer(many=True)
    in_reply_to = serializers.CharField(
        allow_blank=True, help_text="The department's request this resubmission answers."
    )


class ApplicationVersionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    content = VersionContentSerializer(read_only=True)

    class Meta:
        model = ApplicationVersion
        fields = ["id", "number", "submitted_by", "created_at", "content"]


class DiffSegmentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["same", "added", "removed"])
    text = serializers.CharField()


class ApplicationFieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["title", "summary", "requested_amount", "partnership"])
    label = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)
    changed = serializers.BooleanField()
    segments = DiffSegmentSerializer(many=True, help_text="Title and summary, word by word.")


class ApplicationLineChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["same", "added", "removed", "changed"])
    category = serializers.CharField()
    description = serializers.CharField()
    old_amount = serializers.CharField(allow_null=True)
    new_amount = serializers.CharField(allow_null=True)


class ApplicationAnswerChangeSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    change = serializers.ChoiceField(choices=["same", "added", "removed", "changed"])
    old = serializers.CharField(allow_blank=True, help_text="The answer, or the file's name.")
    new = serializers.CharField(allow_blank=True)
    segments = DiffSegmentSerializer(many=True, help_text="Text answers, word by word.")


class ApplicationDiffSerializer(serializers.Serializer):
    older = serializers.IntegerField(help_text="The older version's number.")
    newer = serializers.IntegerField(help_text="The newer version's number.")
    in_reply_to = serializers.CharField(allow_blank=True)
    changed_count = serializers.IntegerField()
    fields = ApplicationFieldChangeSerializer(many=True)
    lines = ApplicationLineChangeSerializer(many=True)
    answers = ApplicationAnswerChangeSerializer(many=True)


DIFF_PARAMETERS = [
    OpenApiParameter("from", int, required=True, description="The older version's number."),
    OpenApiParameter("to", int, required=True, description="The newer version's number."),
]
# Version numbers are small integers in the database: a larger one is no version.
LARGEST_VERSION = 32_767


def versions_response(viewset, application) -> Response:
    """The application's submitted versions, newest first, a page at a time."""
    versions = (
        ApplicationVersion.objects.filter(application=application)
        .select_related("submitted_by")
        .order_by("-number")
    )
    page = viewset.paginate_queryset(versions)
    serializer = ApplicationVersionSerializer(page, many=True)
    return viewset.get_paginated_response(serializer.data)


def diff_response(request, application) -> Response:
    """What changed between versions ``from`` and ``to``: a 400 naming the parameter
    for anything but the number of one of the application's versions."""
    numbers, errors = {}, {}
    for name in ("from", "to"):
        number = parse_id(request.query_params.get(name, ""))
        if number is None:
            errors[name] = [_("Give a version number, a whole number from 1.")]
        else:
            numbers[name] = number
    if errors:
        raise ValidationError(errors)
    wanted = [number for number in numbers.values() if number <= LARGEST_VERSION]
    queryset = ApplicationVersion.objects.filter(application=application, number__in=wanted)
    versions = {version.number: version for version in queryset}
    for name, number in numbers.items():
        if number not in versions:
            errors[name] = [_("This application has no version %(number)d.") % {"number": number}]
    if errors:
        raise ValidationError(errors)
    if numbers["from"] == numbers["to"]:
        raise ValidationError({"to": [_("Compare two different versions.")]})
    diff = services.versions_diff(versions[numbers["from"]], versions[numbers["to"]])
    return Response(ApplicationDiffSerializer(diff).data)
