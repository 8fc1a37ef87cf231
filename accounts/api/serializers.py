from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import (
    PASSWORD_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    ApiToken,
    Membership,
    Organization,
    Role,
    User,
)
from portal.api import BoundedListField


class LinesField(BoundedListField):
    """A list of short texts, stored one a line (an organization's specialties)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=100))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [line.strip() for line in (data or "").splitlines() if line.strip()]

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        if any("\n" in item or "\r" in item for item in items):
            raise serializers.ValidationError(_("One specialty per item, without line breaks."))
        return "\n".join(item.strip() for item in items if item.strip())


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization and its public profile: what every signed-in caller reads."""

    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    specialties = LinesField(
        required=False, help_text="Specialties taught (colleges), one per item."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "url",
            "kind",
            "name",
            "credit_code",
            "region",
            "city",
            "industry_section",
            "industry",
            "specialties",
            "size_band",
            "description",
            "address",
            "website",
            "public_email",
            "public_phone",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_active"]


class OrganizationUpdateSerializer(OrganizationSerializer):
    class Meta(OrganizationSerializer.Meta):
        read_only_fields = ["kind", "is_active"]


class UsernameField(serializers.CharField):
    """A person, by username. Written, it stays a string: the service looks the person
    up only after it has checked that the caller may add members, so that outsiders
    cannot learn which usernames exist from the answer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", USERNAME_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_representation(self, user: User) -> str:
        return user.username


class MembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    user = UsernameField()
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "user",
            "user_name",
            "organization",
            "organization_name",
            "role",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_active"]
        # Uniqueness is the service's to report (it also reactivates a former member).
        validators = []


class MembershipUpdateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "user",
            "organization",
            "role",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["organization"]


class MeMembershipSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name")
    organization_kind = serializers.CharField(source="organization.kind")

    class Meta:
        model = Membership
        fields = ["id", "organization", "organization_name", "organization_kind", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "is_superuser",
            "memberships",
        ]

    def get_memberships(self, user) -> list[dict]:
        rows = user.memberships.filter(is_active=True, organization__is_active=True).select_related(
            "organization"
        )
        return MeMembershipSerializer(rows, many=True).data


class TokenRequestSerializer(serializers.Serializer):
    # Lengths are checked before anything authenticates: longer values match no account.
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH
    )
    name = serializers.CharField(required=False, default="API token", max_length=100)
    days = serializers.IntegerField(
        required=False, min_value=0, max_value=3650, help_text="Lifetime in days; 0 for none."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown only in this response; store it safely.")
    id = serializers.IntegerField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:api-token-detail")
    is_usable = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "url",
            "name",
            "prefix",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_usable",
            "created_at",
            "updated_at",
        ]
