from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from accounts.models import Organization
from partnerships.models import (
    Agreement,
    AgreementParty,
    Clause,
    Partnership,
    PartnershipMember,
)
from partnerships.services.agreements import SIGNATURE_TEXT
from partnerships.services.rules import agreement_actions, clause_actions
from portal.api import ActionsMixin, RecordField, VisibleRecordField, WholeRowMixin
from portal.dates import validate_portal_date
from portal.limits import NOTE_TEXT
from portal.models import Attachment


class PartnershipMemberSerializer(WholeRowMixin, serializers.ModelSerializer):
    organization = RecordField(queryset=Organization.objects.filter(is_active=True))
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = PartnershipMember
        fields = ["organization", "organization_name", "role"]


class PartnershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:partnership-detail")
    lead = RecordField(queryset=Organization.objects.filter(is_active=True))
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    members = PartnershipMemberSerializer(
        many=True, max_length=settings.API_MAX_LIST_ITEMS, required=False
    )

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "lead",
            "lead_name",
            "status",
            "start_date",
            "end_date",
            "description",
            "members",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status"]


class PartnershipUpdateSerializer(PartnershipSerializer):
    class Meta(PartnershipSerializer.Meta):
        read_only_fields = ["lead"]


class AgreementPartySerializer(WholeRowMixin, serializers.ModelSerializer):
    organization = RecordField(queryset=Organization.objects.filter(is_active=True))
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    signed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AgreementParty
        fields = [
            "organization",
            "organization_name",
            "role",
            "signed_at",
            "signed_by",
            "signatory_name",
            "signatory_title",
            "signed_place",
        ]
        read_only_fields = ["signed_at", "signatory_name", "signatory_title", "signed_place"]


class AgreementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")
    parties = AgreementPartySerializer(many=True, max_length=settings.API_MAX_LIST_ITEMS)
    partnership = VisibleRecordField(
        queryset=Partnership.objects.all(), required=False, allow_null=True
    )
    terminated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "reference",
            "title",
            "kind",
            "status",
            "partnership",
            "effective_date",
            "expiry_date",
            "legal_basis",
            "summary",
            "parties",
            "renewed_from",
            "termination_reason",
            "terminated_at",
            "terminated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "renewed_from",
            "termination_reason",
            "terminated_at",
        ]

    def validate(self, attrs):
        effective = attrs.get("effective_date", getattr(self.instance, "effective_date", None))
        expiry = attrs.get("expiry_date", getattr(self.instance, "expiry_date", None))
        if effective and expiry and expiry < effective:
            raise serializers.ValidationError(
                {"expiry_date": "The expiry date comes before the effective date."}
            )
        return attrs


class AgreementDetailSerializer(ActionsMixin, AgreementSerializer):
    terms_hash = serializers.SerializerMethodField(
        help_text="SHA-256 of the terms (title, dates, parties and roles, clauses): what "
        "a signature binds its party to."
    )
    print_url = serializers.SerializerMethodField(
        help_text="The printable agreement page (print it or save it as a PDF)."
    )

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "terms_hash", "print_url", "actions"]

    def decide_actions(self, user, agreement) -> set[str]:
        return agreement_actions(user, agreement)

    def get_terms_hash(self, agreement) -> str:
        return agreement.terms_hash()

    def get_print_url(self, agreement) -> str:
        url = reverse("agreement-print", args=[agreement.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AgreementUpdateSerializer(AgreementSerializer):
    parties = AgreementPartySerializer(
        many=True, max_length=settings.API_MAX_LIST_ITEMS, required=False
    )


class SignSerializer(serializers.Serializer):
    organization = RecordField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="The party you sign for; needed only if you are admin of several.",
    )
    signatory_name = serializers.CharField(
        max_length=SIGNATURE_TEXT,
        required=False,
        allow_blank=True,
        help_text="Who signs; your full name (or user name) if left out.",
    )
    signatory_title = serializers.CharField(
        max_length=SIGNATURE_TEXT,
        required=False,
        allow_blank=True,
        help_text="The signatory's title, e.g. “President”.",
    )
    place = serializers.CharField(
        max_length=SIGNATURE_TEXT, help_text="Where the signature is given (a city)."
    )


class PartyRoleSerializer(serializers.Serializer):
    organization = RecordField(
        queryset=Organization.objects.all(), help_text="The party whose role this is."
    )
    role = serializers.CharField(
        max_length=100, help_text="Its role in the agreement, e.g. “Party B”, “host enterprise”."
    )


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)


class RenewSerializer(serializers.Serializer):
    effective_date = serializers.DateField(required=False, validators=[validate_portal_date])
    expiry_date = serializers.DateField(required=False, validators=[validate_portal_date])


class ClauseNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_TEXT, help_text="The reason.")


class ClauseFulfilSerializer(serializers.Serializer):
    evidence = serializers.CharField(
        max_length=NOTE_TEXT, help_text="What was done, and how the other parties can check it."
    )
    attachment = RecordField(
        queryset=Attachment.objects.all(),
        required=False,
        allow_null=True,
        help_text="A file already attached to this clause (POST attachments/ with "
        "record=partnerships.clause:<id>) to show as the evidence.",
    )


class ClauseDisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=NOTE_TEXT, help_text="Why the evidence does not show the clause done."
    )


class ClauseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:clause-detail")
    agreement = VisibleRecordField(queryset=Agreement.objects.all())
    party = RecordField(
        source="party.organization",
        queryset=Organization.objects.all(),
        help_text="The organization (a party) whose right or responsibility this is.",
    )
    party_name = serializers.CharField(source="party.organization.name", read_only=True)
    status_changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evidence_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    not_yet_binding = serializers.SerializerMethodField(
        help_text="True while the agreement is not signed and in effect: an open clause is "
        "owed by no one yet."
    )

    class Meta:
        model = Clause
        fields = [
            "id",
            "url",
            "agreement",
            "party",
            "party_name",
            "kind",
            "category",
            "text",
            "due_date",
            "status",
            "status_note",
            "status_changed_at",
            "status_changed_by",
            "evidence",
            "evidence_attachment",
            "evidence_at",
            "evidence_by",
            "is_overdue",
            "not_yet_binding",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "status_note",
            "status_changed_at",
            "evidence",
            "evidence_attachment",
            "evidence_at",
        ]

    def get_is_overdue(self, clause) -> bool:
        return clause.is_overdue()

    def get_not_yet_binding(self, clause) -> bool:
        return clause.not_yet_binding

    def validate(self, attrs):
        agreement = attrs.get("agreement", getattr(self.instance, "agreement", None))
        organization = attrs.pop("party", {}).get("organization")
        if organization is not None:
            party = AgreementParty.objects.filter(
                agreement=agreement, organization=organization
            ).first()
            if party is None:
                raise serializers.ValidationError(
                    {"party": "That organization is not a party to the agreement."}
                )
            attrs["party"] = party
        return attrs


class ClauseDetailSerializer(ActionsMixin, ClauseSerializer):
    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, clause) -> set[str]:
        return clause_actions(user, clause)


class ClauseUpdateSerializer(ClauseSerializer):
    class Meta(ClauseSerializer.Meta):
        read_only_fields = [*ClauseSerializer.Meta.read_only_fields, "agreement"]
