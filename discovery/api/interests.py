"""Interests in the API: ``interests/`` (creating one is the first message),
``interests/{id}/messages/`` (a reply) and ``interests/{id}/draft-agreement/``. An
interest is read by the need's owner and the answering organization (and government)
only. Every write goes through ``discovery.services.interests``."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organization
from partnerships.models import Agreement
from portal.api import (
    ActionsMixin,
    PortalReadOnlyViewSet,
    RecordField,
    VisibleRecordField,
)
from portal.dates import validate_portal_date
from portal.limits import NOTE_TEXT

from ..filters import InterestFilterSet
from ..models import CooperationNeed, Interest, InterestMessage
from ..services import interests as service
from ..services.needs import answering_organizations


class CooperationInterestMessageSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = InterestMessage
        fields = ["id", "organization", "organization_name", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, message) -> str:
        return str(message.author) if message.author_id else ""


class CooperationInterestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:cooperation-interest-detail")
    need = VisibleRecordField(queryset=CooperationNeed.objects.all())
    need_title = serializers.CharField(source="need.title", read_only=True)
    organization = RecordField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text="The organization you answer for; needed only when you may answer for several.",
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    agreement = serializers.SerializerMethodField(
        help_text="The draft agreement the thread became, when you may open it."
    )
    agreement_reference = serializers.SerializerMethodField()
    message = serializers.CharField(
        write_only=True, max_length=NOTE_TEXT, help_text="The first message of the thread."
    )
    messages = CooperationInterestMessageSerializer(many=True, read_only=True)

    class Meta:
        model = Interest
        fields = [
            "id",
            "url",
            "need",
            "need_title",
            "organization",
            "organization_name",
            "agreement",
            "agreement_reference",
            "message",
            "messages",
            "created_at",
            "updated_at",
        ]
        validators: list = []  # one per need and organization: the service says so

    def _seen_agreement(self, interest):
        """The interest's agreement if the reader may open it (a party dropped from the
        draft may not): one query for the whole page, as the need's page does."""
        seen = self.context.get("seen_agreements")
        if seen is None:
            rows = self.root.instance
            rows = [rows] if isinstance(rows, Interest) else list(rows or ())
            linked = [row.agreement_id for row in rows if getattr(row, "agreement_id", None)]
            request = self.context.get("request")
            seen = (
                set(
                    Agreement.objects.visible_to(getattr(request, "user", None))
                    .filter(pk__in=linked)
                    .values_list("pk", flat=True)
                )
                if linked
                else set()
            )
            self.context["seen_agreements"] = seen
        return interest.agreement if interest.agreement_id in seen else None

    def get_agreement(self, interest) -> int | None:
        agreement = self._seen_agreement(interest)
        return agreement.pk if agreement else None

    def get_agreement_reference(self, interest) -> str | None:
        agreement = self._seen_agreement(interest)
        return agreement.reference if agreement else None


class CooperationInterestDetailSerializer(ActionsMixin, CooperationInterestSerializer):
    class Meta(CooperationInterestSerializer.Meta):
        fields = [*CooperationInterestSerializer.Meta.fields, "actions"]

    def decide_actions(self, user, interest) -> set[str]:
        return service.interest_actions(user, interest)


class CooperationReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=NOTE_TEXT)


class CooperationDraftAgreementSerializer(serializers.Serializer):
    effective_date = serializers.DateField(
        required=False, validators=[validate_portal_date], help_text="Default: today."
    )
    expiry_date = serializers.DateField(
        required=False, validators=[validate_portal_date], help_text="Default: a year on."
    )


class InterestViewSet(mixins.CreateModelMixin, PortalReadOnlyViewSet):
    """Interest in a need or offer: the thread between the answering organization and
    the owner, one per organization; seen by the two (and government) only. Creating
    one (the answering organization's admins and staff, of a kind in the audience, on an
    open need) is its first message; `messages/` replies, for the side you write for;
    `draft-agreement/` (either side's admins, once) drafts an agreement between the two
    with the need's title, kind and text, and records it here."""

    queryset = (
        Interest.objects.select_related("need", "organization", "agreement")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=InterestMessage.objects.select_related("author", "organization"),
            )
        )
        .order_by("-updated_at", "-pk")
    )
    serializer_class = CooperationInterestSerializer
    detail_serializer_class = CooperationInterestDetailSerializer
    filterset_class = InterestFilterSet
    ordering_fields = ("created_at", "updated_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        need = data["need"]
        organization = data.get("organization")
        if organization is None:
            mine = answering_organizations(self.request.user, need)
            if len(mine) != 1:
                raise ValidationError(
                    {"organization": _("Give the id of the organization you answer for.")}
                )
            organization = Organization.objects.get(pk=next(iter(mine)))
        interest = service.interest_create(
            actor=self.request.user, need=need, organization=organization, message=data["message"]
        )
        serializer.instance = self.get_queryset().get(pk=interest.pk)

    @extend_schema(
        request=CooperationReplySerializer,
        responses={201: CooperationInterestMessageSerializer},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """A reply in the thread, for the side you write for; the other side is told."""
        interest = self.get_object()
        body = CooperationReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reply = service.interest_reply(
            actor=request.user, interest=interest, message=body.validated_data["message"]
        )
        return Response(
            CooperationInterestMessageSerializer(reply).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=CooperationDraftAgreementSerializer,
        responses=CooperationInterestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="draft-agreement")
    def draft_agreement(self, request, pk=None):
        """Turn the thread into a draft agreement between the two organizations (either
        side's admins, once); answers the interest with its `agreement`."""
        interest = self.get_object()
        body = CooperationDraftAgreementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service.interest_draft_agreement(
            actor=request.user, interest=interest, **body.validated_data
        )
        return self.updated_response(interest)


routes = [("interests", InterestViewSet, "cooperation-interest")]
