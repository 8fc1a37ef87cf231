from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from partnerships import services
from partnerships.filters import AgreementFilterSet, ClauseFilterSet, PartnershipFilterSet
from partnerships.models import Agreement, Clause, Partnership
from portal.api import PortalCreateReadUpdateViewSet, PortalModelViewSet

from .serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    AgreementUpdateSerializer,
    ClauseDetailSerializer,
    ClauseDisputeSerializer,
    ClauseFulfilSerializer,
    ClauseNoteSerializer,
    ClauseSerializer,
    ClauseUpdateSerializer,
    PartnershipSerializer,
    PartnershipUpdateSerializer,
    PartyRoleSerializer,
    RenewSerializer,
    SignSerializer,
    TerminateSerializer,
)


def _pairs(rows) -> list:
    return [(row["organization"], row.get("role", "")) for row in rows]


class PartnershipViewSet(PortalCreateReadUpdateViewSet):
    """Strategic partnerships. `status` moves through PATCH (proposed → active →
    suspended/ended); an illegal move answers 409."""

    queryset = Partnership.objects.select_related("lead").prefetch_related("members__organization")
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    search_fields = ("name", "description")
    ordering_fields = ("name", "kind", "status", "start_date", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PartnershipUpdateSerializer
        return PartnershipSerializer

    def can_write(self, user, obj) -> bool:
        return services.can_change_partnership(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", [])
        lead = data.pop("lead")
        lead_role = next((m.get("role", "") for m in members if m["organization"] == lead), "")
        serializer.instance = services.partnership_create(
            actor=self.request.user,
            lead=lead,
            lead_role=lead_role,
            members=[pair for pair in _pairs(members) if pair[0] != lead],
            **data,
        )

    @transaction.atomic
    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        partnership = serializer.instance
        members = data.pop("members", None)
        new_status = self.request.data.get("status")
        services.partnership_update(actor=self.request.user, partnership=partnership, **data)
        if members is not None:
            services.partnership_set_members(
                actor=self.request.user, partnership=partnership, members=_pairs(members)
            )
        if new_status and new_status != partnership.status:
            services.partnership_change_status(
                actor=self.request.user, partnership=partnership, status=new_status
            )
        serializer.instance = self.get_queryset().get(pk=partnership.pk)


class AgreementViewSet(PortalCreateReadUpdateViewSet):
    """Agreements with two or more parties. Terms (and `parties`) change only in draft or
    negotiating; any change after a party signed clears the signatures."""

    queryset = Agreement.objects.with_parties()
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    search_fields = ("reference", "title", "summary")
    ordering_fields = (
        "reference",
        "title",
        "status",
        "effective_date",
        "expiry_date",
        "created_at",
        "updated_at",
    )

    detail_serializer_class = AgreementDetailSerializer

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AgreementUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_edit_terms(user, obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parties = _pairs(data.pop("parties"))
        serializer.instance = services.agreement_create(
            actor=self.request.user, parties=parties, **data
        )

    @transaction.atomic
    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        parties = data.pop("parties", None)
        agreement = serializer.instance
        if data:
            services.agreement_update_terms(actor=self.request.user, agreement=agreement, **data)
        if parties is not None:
            services.agreement_set_parties(
                actor=self.request.user, agreement=agreement, parties=_pairs(parties)
            )
        serializer.instance = self.get_queryset().get(pk=agreement.pk)

    @extend_schema(request=None, responses=AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Draft → negotiating: the parties are asked to sign."""
        agreement = services.agreement_send(actor=request.user, agreement=self.get_object())
        return self.updated_response(agreement)

    @extend_schema(request=SignSerializer, responses=AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign for one party (its admin), naming the signatory, their title and the
        place of signing. The last signature makes it signed."""
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        agreement = services.agreement_sign(
            actor=request.user,
            agreement=self.get_object(),
            organization=data.get("organization"),
            signatory_name=data.get("signatory_name"),
            signatory_title=data.get("signatory_title", ""),
            place=data["place"],
        )
        return self.updated_response(agreement)

    @extend_schema(request=PartyRoleSerializer, responses=AgreementDetailSerializer)
    @action(detail=True, methods=["post"], url_path="party-role", url_name="party-role")
    def party_role(self, request, pk=None):
        """Set one party's role in the agreement (draft or negotiating; admins and staff
        of a party). A change after a signature clears the signatures."""
        body = PartyRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agreement = self.get_object()
        party = agreement.parties.filter(organization=body.validated_data["organization"]).first()
        if party is None:
            raise ValidationError({"organization": [_("That organization is not a party.")]})
        services.party_set_role(actor=request.user, party=party, role=body.validated_data["role"])
        return self.updated_response(agreement)

    @extend_schema(request=TerminateSerializer, responses=AgreementDetailSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """Signed or active → terminated, with the reason (a party's admin)."""
        body = TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agreement = services.agreement_terminate(
            actor=request.user, agreement=self.get_object(), reason=body.validated_data["reason"]
        )
        return self.updated_response(agreement)

    @extend_schema(request=RenewSerializer, responses={201: AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Copy the agreement, its parties and clauses into a new draft; returns the draft."""
        body = RenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        renewal = services.agreement_renew(
            actor=request.user, agreement=self.get_object(), **body.validated_data
        )
        response = self.updated_response(renewal)
        response.status_code = status.HTTP_201_CREATED
        return response


class ClauseViewSet(PortalModelViewSet):
    """Each party's rights and responsibilities. Terms change only while the agreement is
    a draft or negotiating. Once it binds, those who owe a clause `fulfil/` it with
    evidence, and those it is owed to `confirm/` or `dispute/` that (open again); from
    the effective date they may also `breach/` or `waive/` an open one."""

    queryset = Clause.objects.select_related(
        "agreement", "party__organization", "status_changed_by"
    )
    serializer_class = ClauseSerializer
    detail_serializer_class = ClauseDetailSerializer
    filterset_class = ClauseFilterSet
    search_fields = ("text",)
    ordering_fields = ("due_date", "status", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ClauseUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_edit_terms(user, obj.agreement)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        agreement = get_object_or_404(
            Agreement.objects.visible_to(self.request.user), pk=data.pop("agreement").pk
        )
        serializer.instance = services.clause_create(
            actor=self.request.user, agreement=agreement, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.clause_update(
            actor=self.request.user, clause=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.clause_delete(actor=self.request.user, clause=instance)

    def _move(self, request, service):
        body = ClauseNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        clause = service(
            actor=request.user, clause=self.get_object(), note=body.validated_data["note"]
        )
        return self.updated_response(clause)

    @extend_schema(request=ClauseFulfilSerializer, responses=ClauseDetailSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        """Those who owe the clause record it fulfilled, with evidence (and a file
        already attached to the clause); it awaits the others' confirmation."""
        body = ClauseFulfilSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        clause = services.clause_fulfil(
            actor=request.user,
            clause=self.get_object(),
            evidence=body.validated_data["evidence"],
            attachment=body.validated_data.get("attachment"),
        )
        return self.updated_response(clause)

    @extend_schema(request=None, responses=ClauseDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Those the clause is owed to confirm the fulfilment recorded: fulfilled."""
        clause = services.clause_confirm(actor=request.user, clause=self.get_object())
        return self.updated_response(clause)

    @extend_schema(request=ClauseDisputeSerializer, responses=ClauseDetailSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        """Those the clause is owed to dispute the fulfilment recorded, with the reason:
        the clause is open again."""
        body = ClauseDisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        clause = services.clause_dispute(
            actor=request.user, clause=self.get_object(), reason=body.validated_data["reason"]
        )
        return self.updated_response(clause)

    @extend_schema(request=ClauseNoteSerializer, responses=ClauseDetailSerializer)
    @action(detail=True, methods=["post"])
    def breach(self, request, pk=None):
        """Those the clause is owed to record a breach, with the reason (from the
        agreement's effective date)."""
        return self._move(request, services.clause_breach)

    @extend_schema(request=ClauseNoteSerializer, responses=ClauseDetailSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        """Those the clause is owed to waive it, with the reason (from the agreement's
        effective date)."""
        return self._move(request, services.clause_waive)
