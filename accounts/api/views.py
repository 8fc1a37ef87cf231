from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.filters import MembershipFilterSet, OrganizationFilterSet
from accounts.models import ApiToken, Membership, Organization
from portal import access
from portal.api import PortalCreateReadUpdateViewSet, PortalModelViewSet

from .serializers import (
    ApiTokenSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    MeSerializer,
    OrganizationSerializer,
    OrganizationUpdateSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from .throttling import TokenObtainThrottle


class OrganizationViewSet(PortalCreateReadUpdateViewSet):
    """Organizations: every signed-in caller reads the public profile of every active
    one (the directory); its history, like its members, only its own members and
    government. Government staff register new ones; an organization's admins keep its
    details and profile."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ("name", "description", "credit_code", "region", "city", "industry")
    ordering_fields = (
        "name",
        "kind",
        "region",
        "city",
        "industry_section",
        "created_at",
        "updated_at",
    )

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            # Reads of the profile: the directory. Writes and history answer 404 to
            # outsiders, as before.
            return Organization.objects.in_directory(self.request.user)
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return OrganizationUpdateSerializer
        return OrganizationSerializer

    def can_write(self, user, obj) -> bool:
        return access.can_administer(user, obj)

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


class MembershipViewSet(PortalModelViewSet):
    """Who belongs to which organization, in which role. DELETE deactivates."""

    queryset = Membership.objects.select_related("user", "organization")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    ordering_fields = ("created_at", "updated_at", "role")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return MembershipUpdateSerializer
        return MembershipSerializer

    def can_write(self, user, obj) -> bool:
        return access.can_administer(user, obj)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.membership_add(
            actor=self.request.user,
            organization=data["organization"],
            username=data["user"],
            role=data.get("role", Membership._meta.get_field("role").default),
        )

    def perform_update(self, serializer):
        membership = serializer.instance
        data = serializer.validated_data
        if data.get("is_active") is False:
            membership = services.membership_deactivate(
                actor=self.request.user, membership=membership
            )
        elif data.get("is_active") is True and not membership.is_active:
            membership = services.membership_reactivate(
                actor=self.request.user, membership=membership
            )
        if "role" in data and data["role"] != membership.role:
            membership = services.membership_change_role(
                actor=self.request.user, membership=membership, role=data["role"]
            )
        serializer.instance = membership

    def perform_destroy(self, instance):
        services.membership_deactivate(actor=self.request.user, membership=instance)


class MeView(generics.RetrieveAPIView):
    """The signed-in user (or the token's user) and their organizations."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class TokenObtainView(APIView):
    """Exchange a username and password for a personal API token (shown once)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The Django request, so that django-axes counts failures and locks out.
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        # A locked-out username authenticates as None; AxesMiddleware then answers
        # with accounts.lockout.lockout_response (429 JSON) instead of this response.
        if user is None:
            return Response(
                {"detail": _("Wrong username or password.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        days = data.get("days", settings.API_TOKEN_DEFAULT_DAYS)
        token, key = services.api_token_create(user=user, name=data["name"], days=days)
        return Response(
            TokenResponseSerializer(
                {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens. DELETE revokes one at once."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None
    ordering_fields = ("created_at", "last_used_at")
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return ApiToken.objects.filter(Q(user=self.request.user))

    def perform_destroy(self, instance):
        services.api_token_revoke(actor=self.request.user, token=instance)
