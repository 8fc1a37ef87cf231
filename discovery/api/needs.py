"""Needs and offers in the API: ``cooperation-needs/`` with ``open/`` and ``close/``.
Drafts are read by the owner's members; open, closed and expired ones by everyone
signed in in their audience, and government. Every write goes through
``discovery.services.needs``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from accounts.models import Organization
from portal.api import ActionsMixin, PortalCreateReadUpdateViewSet, RecordField
from portal.roles import OrganizationKind

from ..filters import CooperationNeedFilterSet
from ..models import CooperationNeed
from ..services import needs as service


class CooperationNeedSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:cooperation-need-detail")
    owner = RecordField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="Your organization's id; needed only when you post for several.",
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganizationKind.choices),
        max_length=len(OrganizationKind.choices),
        required=False,
        help_text="The kinds of organization it is for; empty for everyone signed in.",
    )

    class Meta:
        model = CooperationNeed
        fields = [
            "id",
            "url",
            "owner",
            "owner_name",
            "direction",
            "kind",
            "title",
            "description",
            "specialties",
            "region",
            "headcount",
            "amount",
            "valid_until",
            "audience",
            "status",
            "opened_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "opened_at", "closed_at"]


class CooperationNeedUpdateSerializer(CooperationNeedSerializer):
    class Meta(CooperationNeedSerializer.Meta):
        read_only_fields = ["owner", "status", "opened_at", "closed_at"]


class CooperationNeedDetailSerializer(ActionsMixin, CooperationNeedSerializer):
    class Meta(CooperationNeedSerializer.Meta):
        fields = [*CooperationNeedSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, need) -> set[str]:
        return service.need_actions(user, need)


def only_owner(user) -> Organization:
    """The one organization the user posts for, when the body names none."""
    posting = service.posting_organizations(user)
    if not posting:
        raise PermissionDenied(_("Only an organization's admins and staff post its needs."))
    if len(posting) != 1:
        raise ValidationError({"owner": _("Give the id of the organization it is of.")})
    return Organization.objects.get(pk=next(iter(posting)))


class CooperationNeedViewSet(PortalCreateReadUpdateViewSet):
    """Cooperation needs and offers (资源供需对接): an order-based class, apprenticeships,
    internships, teacher practice posts, joint R&D, a training base, guest instructors.
    Posted as a draft by the owner's admins and staff; `open/` shows it to its
    `audience` (kinds of organization; empty for everyone signed in), which may answer
    it through `interests/`; `close/` ends that. The daily job expires an open one once
    `valid_until` has passed. A closed or expired one never changes (409)."""

    queryset = CooperationNeed.objects.select_related("owner").order_by("-opened_at", "-pk")
    serializer_class = CooperationNeedSerializer
    detail_serializer_class = CooperationNeedDetailSerializer
    filterset_class = CooperationNeedFilterSet
    search_fields = ("title", "specialties", "owner__name")
    ordering_fields = (
        "title",
        "direction",
        "kind",
        "region",
        "headcount",
        "valid_until",
        "status",
        "opened_at",
        "created_at",
        "updated_at",
    )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CooperationNeedUpdateSerializer
        return super().get_serializer_class()

    def history_for(self, need, user) -> list:
        """The owner's members and government only (a draft's wording, the owner's
        staff): anyone else reads it as no record."""
        if not service.reads_need_history(user, need):
            raise Http404
        return super().history_for(need, user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        owner = data.pop("owner", None) or only_owner(self.request.user)
        need = service.need_create(
            actor=self.request.user, owner=owner, audience=data.pop("audience", ()), **data
        )
        serializer.instance = self.get_queryset().get(pk=need.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        need = service.need_update(
            actor=self.request.user,
            need=serializer.instance,
            audience=data.pop("audience", None),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=need.pk)

    @extend_schema(request=None, responses=CooperationNeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Draft → open: its audience sees it and may answer it."""
        need = service.need_open(actor=request.user, need=self.get_object())
        return self.updated_response(need)

    @extend_schema(request=None, responses=CooperationNeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Open → closed: it takes no more answers; the threads stay."""
        need = service.need_close(actor=request.user, need=self.get_object())
        return self.updated_response(need)


routes = [("cooperation-needs", CooperationNeedViewSet, "cooperation-need")]
