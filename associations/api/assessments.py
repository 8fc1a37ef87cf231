"""Assessments in the API: ``assessments/`` with their nested ``criteria`` and
``evidence`` (each replaced as a whole), ``publish/``, and ``assessment-responses/``
(one per published assessment, by the assessed organization). Every write goes through
``associations.services.assessments``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from accounts.models import Organization, OrganizationKind
from associations.filters import AssessmentFilterSet, AssessmentResponseFilterSet
from associations.models import (
    MAX_CRITERIA,
    MAX_EVIDENCE,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentResponse,
    CertificationApplication,
    Entrustment,
)
from associations.services import assessments as service
from internships.models import PracticeBase
from partnerships.models import Agreement, Partnership
from portal.api import (
    ActionsMixin,
    PortalCreateReadUpdateViewSet,
    PortalViewSetMixin,
    RecordField,
    VisibleRecordField,
    WholeRowMixin,
)
from portal.limits import LARGEST_ID

SCORE = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)


class AssessmentCriterionSerializer(WholeRowMixin, serializers.ModelSerializer):
    class Meta:
        model = AssessmentCriterion
        fields = ["name", "weight", "max_score", "score", "comment"]
        extra_kwargs = {
            "score": {"help_text": "From 0 to max_score; null until scored."},
            "max_score": {"help_text": "The highest score of this criterion (1–100)."},
        }


class AssessmentEvidenceSerializer(WholeRowMixin, serializers.ModelSerializer):
    record_kind = serializers.ChoiceField(choices=service.EvidenceKind.choices)
    record_id = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class Meta:
        model = AssessmentEvidence
        fields = ["record_kind", "record_id", "record_name", "note"]
        read_only_fields = ["record_name"]
        # Each record once is the service's to settle, for all rows at once.
        validators: list = []


def subject_field(model, name: str):
    return VisibleRecordField(
        queryset=model._default_manager.all(),
        required=False,
        allow_null=True,
        help_text=f"The {name} assessed, one of the organization's; at most one subject.",
    )


class AssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")
    assessor = RecordField(
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.ASSOCIATION, OrganizationKind.GOVERNMENT], is_active=True
        ),
        required=False,
        help_text="Your association's or department's id; needed only when you act for several.",
    )
    assessor_name = serializers.CharField(source="assessor.name", read_only=True)
    entrustment = VisibleRecordField(
        queryset=Entrustment.objects.all(),
        required=False,
        allow_null=True,
        help_text="For an association: the open entrustment whose scope includes the "
        "organization (needed only when several do). None for a department.",
    )
    organization = RecordField(
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE], is_active=True
        ),
        help_text="The college or enterprise assessed.",
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    subject_kind = serializers.SerializerMethodField()
    subject_name = serializers.SerializerMethodField()
    partnership = subject_field(Partnership, "partnership")
    practice_base = subject_field(PracticeBase, "practice base")
    agreement = subject_field(Agreement, "agreement (its fulfilment)")
    certification = subject_field(CertificationApplication, "certification application")
    criteria = AssessmentCriterionSerializer(
        many=True,
        max_length=MAX_CRITERIA,
        required=False,
        help_text=f"The rubric; a write replaces it whole. At most {MAX_CRITERIA} rows.",
    )
    evidence = AssessmentEvidenceSerializer(
        many=True,
        max_length=MAX_EVIDENCE,
        required=False,
        help_text="Records of the organization you can see; a write replaces them all. "
        f"At most {MAX_EVIDENCE}.",
    )
    response = serializers.SerializerMethodField(
        help_text="The id of the assessed organization's response, if any."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "assessor",
            "assessor_name",
            "entrustment",
            "organization",
            "organization_name",
            "subject_kind",
            "subject_name",
            "partnership",
            "practice_base",
            "agreement",
            "certification",
            "title",
            "summary",
            "status",
            "score",
            "published_at",
            "criteria",
            "evidence",
            "response",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "score", "published_at"]

    @extend_schema_field(serializers.ChoiceField(choices=service.SubjectKind.choices))
    def get_subject_kind(self, assessment) -> str:
        return service.subject_kind(assessment)

    def get_subject_name(self, assessment) -> str:
        record = service.subject_record(assessment)
        return str(record) if record is not None else assessment.organization.name

    def get_response(self, assessment) -> int | None:
        return assessment.response.pk if service.has_response(assessment) else None


class AssessmentUpdateSerializer(AssessmentSerializer):
    class Meta(AssessmentSerializer.Meta):
        read_only_fields = [
            "assessor",
            "entrustment",
            "organization",
            *AssessmentSerializer.Meta.read_only_fields,
        ]


class AssessmentDetailSerializer(ActionsMixin, AssessmentSerializer):
    live_score = serializers.SerializerMethodField(
        help_text="The score the rubric gives now (null while a criterion is unscored); "
        "fixed as `score` when published."
    )
    scored = serializers.SerializerMethodField(help_text="How many criteria are scored.")

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "live_score", "scored", "actions"]

    def decide_actions(self, user, assessment) -> set[str]:
        return service.assessment_actions(user, assessment)

    @extend_schema_field(SCORE)
    def get_live_score(self, assessment):
        score = service.rubric_score(assessment.criteria.all())
        return None if score is None else f"{score:.2f}"

    def get_scored(self, assessment) -> int:
        return service.scored_count(assessment.criteria.all())


def only_assessor(user) -> Organization:
    """The one association or department the user assesses for, when the body names
    none."""
    mine = service.assessing_organizations(user)
    if len(mine) != 1:
        if not mine:
            raise ValidationError(
                {"assessor": _("Only an association's or a department's admins and staff assess.")}
            )
        raise ValidationError({"assessor": _("Name the assessor: you act for several.")})
    return mine[0]


class AssessmentViewSet(PortalCreateReadUpdateViewSet):
    """Assessments of a college or an enterprise (or of one partnership, practice base,
    agreement's fulfilment or certification application of it) on a weighted rubric,
    with evidence from the portal's records. An association drafts one under an open
    entrustment whose scope includes the organization; a department directly. A draft
    changes through PATCH (`criteria` and `evidence` replaced whole); `publish/` fixes the
    score once every criterion is scored, and the assessed organization reads it from
    then on. A published assessment never changes (409). The detail adds the
    `live_score` and your `actions`."""

    queryset = (
        Assessment.objects.select_related(
            "assessor",
            "organization",
            "entrustment",
            "partnership",
            "practice_base",
            "agreement",
            "certification__enterprise",
            "response",
        )
        .prefetch_related("criteria", "evidence")
        .order_by("status", "-published_at", "-pk")
    )
    serializer_class = AssessmentSerializer
    detail_serializer_class = AssessmentDetailSerializer
    filterset_class = AssessmentFilterSet
    search_fields = ("title",)
    ordering_fields = ("title", "status", "score", "published_at", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AssessmentUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.can_change_assessment(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        assessor = data.pop("assessor", None) or only_assessor(self.request.user)
        assessment = service.assessment_create(
            actor=self.request.user,
            assessor=assessor,
            criteria=data.pop("criteria", []),
            evidence=data.pop("evidence", []),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=assessment.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        assessment = service.assessment_update(
            actor=self.request.user,
            assessment=serializer.instance,
            criteria=data.pop("criteria", None),
            evidence=data.pop("evidence", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=assessment.pk)

    @extend_schema(request=None, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Draft → published, once every criterion is scored: the score is fixed."""
        assessment = service.assessment_publish(actor=request.user, assessment=self.get_object())
        return self.updated_response(assessment)


class AssessmentResponseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-response-detail")
    assessment = VisibleRecordField(
        queryset=Assessment.objects.all(), help_text="The published assessment answered."
    )
    assessment_title = serializers.CharField(source="assessment.title", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AssessmentResponse
        fields = [
            "id",
            "url",
            "assessment",
            "assessment_title",
            "text",
            "created_by",
            "created_at",
            "updated_at",
        ]
        # One response per assessment is the service's to say (in words, not a 500).
        validators: list = []
        extra_kwargs = {"assessment": {"validators": []}}


class AssessmentResponseViewSet(
    PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The assessed organization's answer to a published assessment: one each, written
    by its admins and staff, read by both organizations and government. Files go on it
    through `attachments/` (record `associations.assessmentresponse:<id>`)."""

    queryset = AssessmentResponse.objects.select_related("assessment", "created_by").order_by(
        "-created_at", "-pk"
    )
    serializer_class = AssessmentResponseSerializer
    filterset_class = AssessmentResponseFilterSet
    ordering_fields = ("created_at", "updated_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        response = service.response_create(
            actor=self.request.user, assessment=data["assessment"], text=data["text"]
        )
        serializer.instance = self.get_queryset().get(pk=response.pk)


routes = [
    ("assessments", AssessmentViewSet, "assessment"),
    ("assessment-responses", AssessmentResponseViewSet, "assessment-response"),
]
