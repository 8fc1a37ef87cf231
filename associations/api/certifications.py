"""Certification of industry–education integration enterprises in the API:
``certifications/`` with their nested ``investments`` (replaced as a whole), the steps
``submit/``, ``start-review/``, ``certify/``, ``refuse/``, ``revoke/``, and
``evidence/``, what the portal's records show of the enterprise. Every write goes
through ``associations.services.certifications``."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organization, OrganizationKind
from associations.filters import CertificationFilterSet
from associations.models import (
    MAX_INVESTMENT_ROWS,
    SURTAX_CREDIT_RATE,
    SURTAX_RULE,
    CertificationApplication,
    DeclaredInvestment,
    Entrustment,
)
from associations.services import certifications as service
from associations.services.certification_evidence import EvidenceSection, certification_evidence
from portal import access
from portal.api import (
    ActionsMixin,
    PortalCreateReadUpdateViewSet,
    RecordField,
    VisibleRecordField,
    WholeRowMixin,
)
from portal.dates import validate_portal_date
from portal.limits import NOTE_TEXT

SURTAX_NOTE = (
    "Information only: the tax authority decides whether and how much the enterprise may credit."
)


class CertificationInvestmentSerializer(WholeRowMixin, serializers.ModelSerializer):
    qualifying = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Counts toward the surtax credit (investment in vocational education).",
    )
    description = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = DeclaredInvestment
        fields = ["year", "kind", "amount", "qualifying", "description"]


class CertificationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:certification-detail")
    enterprise = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True),
        required=False,
        help_text="Your enterprise's id; needed only when you act for several.",
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    reviewer_association = serializers.CharField(
        source="reviewer.association.name",
        read_only=True,
        default=None,
        help_text="The association reviewing it under the entrustment `reviewer`.",
    )
    qualifying_investment = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="The sum of the qualifying investment rows (yuan).",
    )
    investments = CertificationInvestmentSerializer(
        many=True,
        max_length=MAX_INVESTMENT_ROWS,
        required=False,
        help_text="Investment in education by year and kind; a write replaces them all. "
        f"At most {MAX_INVESTMENT_ROWS}.",
    )

    class Meta:
        model = CertificationApplication
        fields = [
            "id",
            "url",
            "number",
            "enterprise",
            "enterprise_name",
            "statement",
            "status",
            "reviewer",
            "reviewer_association",
            "submitted_at",
            "review_started_at",
            "decided_at",
            "valid_from",
            "valid_until",
            "reasons",
            "revoked_at",
            "expired_at",
            "qualifying_investment",
            "investments",
            "created_at",
            "updated_at",
        ]
        # One live application per enterprise is the service's to check (its message
        # names the live one); the enterprise may be left out when the caller has one.
        validators: list = []
        read_only_fields = [
            "number",
            "status",
            "reviewer",
            "submitted_at",
            "review_started_at",
            "decided_at",
            "valid_from",
            "valid_until",
            "reasons",
            "revoked_at",
            "expired_at",
        ]


class CertificationUpdateSerializer(CertificationSerializer):
    class Meta(CertificationSerializer.Meta):
        read_only_fields = ["enterprise", *CertificationSerializer.Meta.read_only_fields]


class CertificationSurtaxCreditSerializer(serializers.Serializer):
    qualifying_investment = serializers.DecimalField(max_digits=14, decimal_places=2)
    rate = serializers.DecimalField(max_digits=3, decimal_places=2)
    credit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="The rate times the qualifying investment, to the fen (yuan).",
    )
    rule = serializers.CharField()
    note = serializers.CharField()


class CertificationDetailSerializer(ActionsMixin, CertificationSerializer):
    surtax_credit = serializers.SerializerMethodField(
        help_text="What a certified enterprise may credit against the education surtaxes, "
        "as information: 30% of the qualifying investment (财税〔2019〕46号)."
    )

    class Meta(CertificationSerializer.Meta):
        fields = [*CertificationSerializer.Meta.fields, "surtax_credit", "actions"]

    def decide_actions(self, user, application) -> set[str]:
        return service.certification_actions(user, application)

    def get_surtax_credit(self, application) -> CertificationSurtaxCreditSerializer:
        qualifying = service.qualifying_investment(application)
        return CertificationSurtaxCreditSerializer(
            {
                "qualifying_investment": qualifying,
                "rate": SURTAX_CREDIT_RATE,
                "credit": service.surtax_credit_of(application),
                "rule": SURTAX_RULE,
                "note": SURTAX_NOTE,
            }
        ).data


class CertificationStartReviewSerializer(serializers.Serializer):
    entrustment = VisibleRecordField(
        queryset=Entrustment.objects.all(),
        help_text="An accepted certification-review entrustment of your department whose "
        "scope takes in the enterprise and `associations.certificationapplication`.",
    )


class CertificationCertifySerializer(serializers.Serializer):
    valid_from = serializers.DateField(
        required=False, validators=[validate_portal_date], help_text="Today if left out."
    )
    valid_until = serializers.DateField(
        required=False,
        validators=[validate_portal_date],
        help_text="Three years after valid_from if left out; never longer.",
    )


class CertificationReasonsSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=NOTE_TEXT)


# --- evidence -------------------------------------------------------------------------

# The API resource each kind of evidence links to.
EVIDENCE_ROUTES = {
    "agreements": "api:agreement-detail",
    "partnerships": "api:partnership-detail",
    "practice_bases": "api:practice-base-detail",
    "interns": "api:placement-detail",
    "secondments": "api:secondment-detail",
    "funds": "api:award-detail",
}


class CertificationEvidenceRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null when not open to you.")
    name = serializers.CharField(help_text="Empty when not open to you.")
    detail = serializers.CharField()
    status = serializers.CharField()
    day = serializers.DateField(allow_null=True)
    url = serializers.URLField(allow_null=True, help_text="The record's resource, if open to you.")
    page = serializers.CharField(allow_null=True, help_text="The record's page, if open to you.")


def evidence_section(name: str, figures: dict[str, serializers.Field], doc: str):
    fields = {
        "count": serializers.IntegerField(),
        **figures,
        "latest": CertificationEvidenceRecordSerializer(many=True),
    }
    return type(name, (serializers.Serializer,), {"__doc__": doc, **fields})


def money_figure(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, help_text=help_text)


CertificationEvidenceAgreementsSerializer = evidence_section(
    "CertificationEvidenceAgreementsSerializer",
    {
        "responsibilities": serializers.IntegerField(),
        "responsibilities_fulfilled": serializers.IntegerField(),
    },
    "Agreements it is a party to, signed or active; its responsibilities in them.",
)
CertificationEvidencePartnershipsSerializer = evidence_section(
    "CertificationEvidencePartnershipsSerializer",
    {"led": serializers.IntegerField(), "active": serializers.IntegerField()},
    "Partnerships it leads or belongs to.",
)
CertificationEvidencePracticeBasesSerializer = evidence_section(
    "CertificationEvidencePracticeBasesSerializer",
    {"active": serializers.IntegerField()},
    "Practice bases it hosts.",
)
CertificationEvidenceInternsSerializer = evidence_section(
    "CertificationEvidenceInternsSerializer",
    {
        "started": serializers.IntegerField(),
        "completed": serializers.IntegerField(),
        "placements": serializers.IntegerField(),
    },
    "Nominations started or completed at its placements; the placements listed.",
)
CertificationEvidenceSecondmentsSerializer = evidence_section(
    "CertificationEvidenceSecondmentsSerializer",
    {"days": serializers.IntegerField()},
    "Teachers' secondments it hosted, and their days.",
)
CertificationEvidenceFundsSerializer = evidence_section(
    "CertificationEvidenceFundsSerializer",
    {
        "awarded": money_figure("The awards' total (yuan)."),
        "released": money_figure("The tranches released (yuan)."),
    },
    "Awards to its fund applications.",
)


class CertificationEvidenceSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    agreements = CertificationEvidenceAgreementsSerializer()
    partnerships = CertificationEvidencePartnershipsSerializer()
    practice_bases = CertificationEvidencePracticeBasesSerializer()
    interns = CertificationEvidenceInternsSerializer()
    secondments = CertificationEvidenceSecondmentsSerializer()
    funds = CertificationEvidenceFundsSerializer()


def evidence_data(request, enterprise, sections: list[EvidenceSection]) -> dict:
    data = {"enterprise": enterprise.pk, "enterprise_name": enterprise.name}
    for section in sections:
        route = EVIDENCE_ROUTES[section.key]
        data[section.key] = {
            "count": section.count,
            **section.figures,
            "latest": [
                {
                    "id": item.record.pk if item.record is not None else None,
                    "name": item.name,
                    "detail": item.detail,
                    "status": item.status,
                    "day": item.day,
                    "url": (
                        request.build_absolute_uri(reverse(route, args=[item.record.pk]))
                        if item.record is not None
                        else None
                    ),
                    "page": item.url or None,
                }
                for item in section.latest
            ],
        }
    return data


STEP_REFUSALS = {
    "start_review": _lazy("Only a government department's admins and staff start a review."),
    "certify": _lazy("Only a government department's admins certify, refuse or revoke."),
    "refuse": _lazy("Only a government department's admins certify, refuse or revoke."),
    "revoke": _lazy("Only a government department's admins certify, refuse or revoke."),
}


def only_enterprise(user) -> Organization:
    """The one enterprise the user applies for, when the body names none."""
    enterprises = service.drafting_enterprises(user)
    access.require(
        bool(enterprises), _("Only an enterprise's admins and staff apply for its certification.")
    )
    if len(enterprises) != 1:
        raise ValidationError({"enterprise": _("Give the id of the enterprise applying.")})
    return Organization.objects.get(pk=next(iter(enterprises)))


class CertificationViewSet(PortalCreateReadUpdateViewSet):
    """Certification of industry–education integration enterprises (产教融合型企业). An
    enterprise's admins and staff draft an application (`statement`, and `investments`
    replaced as a whole) and `submit/` it; a government department's admins or staff
    `start-review/` under an accepted certification-review entrustment whose scope takes
    in the enterprise (the association then reads it, logged); a government admin
    `certify/`s it (dates default to today and three years on) or `refuse/`s it with
    reasons, and may `revoke/` a certificate. Certificates expire by themselves after
    `valid_until`. `evidence/` is what the portal's records show of the enterprise. An
    illegal step answers 409."""

    queryset = (
        CertificationApplication.objects.select_related("enterprise", "reviewer__association")
        .prefetch_related("investments")
        .with_qualifying_investment()
        .order_by("-created_at", "-pk")
    )
    serializer_class = CertificationSerializer
    detail_serializer_class = CertificationDetailSerializer
    filterset_class = CertificationFilterSet
    search_fields = ("number", "enterprise__name")
    ordering_fields = (
        "number",
        "status",
        "submitted_at",
        "valid_from",
        "valid_until",
        "qualifying_investment",
        "created_at",
        "updated_at",
    )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CertificationUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return service.acts_for_enterprise(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise", None) or only_enterprise(self.request.user)
        application = service.certification_create(
            actor=self.request.user,
            enterprise=enterprise,
            statement=data.get("statement", ""),
            investments=data.get("investments", []),
        )
        serializer.instance = self.get_queryset().get(pk=application.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        application = service.certification_update(
            actor=self.request.user,
            application=serializer.instance,
            statement=data.get("statement"),
            investments=data.get("investments"),
        )
        serializer.instance = self.get_queryset().get(pk=application.pk)

    def _step(self, verb: str, body_class=None, allowed=None):
        """``allowed(user)`` is asked before the body is read: who may not take the
        step hears so (403), whatever they sent."""
        application = self.get_object()
        if allowed is not None:
            access.require(allowed(self.request.user), STEP_REFUSALS[verb])
        kwargs = {}
        if body_class is not None:
            body = body_class(data=self.request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            kwargs = body.validated_data
        step = getattr(service, f"certification_{verb}")
        application = step(actor=self.request.user, application=application, **kwargs)
        return self.updated_response(application)

    @extend_schema(request=None, responses=CertificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft → submitted, with a statement and at least one investment row (the
        enterprise's admins and staff)."""
        return self._step("submit")

    @extend_schema(
        request=CertificationStartReviewSerializer, responses=CertificationDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        """Submitted → under review by the entrustment's association (a government
        department's admins or staff)."""
        return self._step(
            "start_review", CertificationStartReviewSerializer, access.acts_for_government
        )

    @extend_schema(request=CertificationCertifySerializer, responses=CertificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        """Under review → certified for a period (a government admin)."""
        return self._step("certify", CertificationCertifySerializer, service.decides)

    @extend_schema(request=CertificationReasonsSerializer, responses=CertificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Under review → refused, with the reasons (a government admin)."""
        return self._step("refuse", CertificationReasonsSerializer, service.decides)

    @extend_schema(request=CertificationReasonsSerializer, responses=CertificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Certified → revoked, with the reasons (a government admin)."""
        return self._step("revoke", CertificationReasonsSerializer, service.decides)

    @extend_schema(responses=CertificationEvidenceSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def evidence(self, request, pk=None):
        """What the portal's records show of the enterprise, counted in full, with the
        latest few of each kind (those not open to you without their name or link)."""
        application = self.get_object()
        enterprise = application.enterprise
        sections = certification_evidence(request.user, enterprise)
        return Response(
            CertificationEvidenceSerializer(evidence_data(request, enterprise, sections)).data
        )


routes = [
    ("certifications", CertificationViewSet, "certification"),
]
