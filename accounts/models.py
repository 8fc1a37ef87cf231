"""Users, organizations, memberships (a user's role in an organization), invitations and
API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal import access
from portal.access import AccessQuerySet
from portal.limits import LONG_TEXT
from portal.models import DomainModel, TimeStampedModel
from portal.roles import WRITE_ROLES, OrganizationKind, Role

from .validators import validate_credit_code


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        """People who share an organization with the user; government sees everyone."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self
        return self.filter(
            pk__in=Membership.objects.filter(
                organization_id__in=access.organization_ids(user)
            ).values("user_id")
        )

    def acting_for(self, organization_ids, roles=WRITE_ROLES) -> UserQuerySet:
        """Active people with one of ``roles`` in any of the organizations: whom to tell
        when something needs the organization's attention."""
        return self.filter(
            is_active=True,
            memberships__organization_id__in=list(organization_ids),
            memberships__is_active=True,
            memberships__role__in=list(roles),
        ).distinct()


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Their roles live in Membership."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    # Set when the person loses access: every browser session signed in before it stops
    # working, even if the person is given access again later.
    sessions_revoked_at = models.DateTimeField(_("sessions ended at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django checks this hash on every request of a session; it changes with the
        # password and, here, when sessions are revoked (sessions made before are void).
        if self.sessions_revoked_at is None:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}|{self.sessions_revoked_at.isoformat()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length
# Sign-in refuses longer passwords before hashing them: no one types more, and a
# megabyte-long "password" per request would be a cheap way to keep workers busy.
PASSWORD_MAX_LENGTH = 1024


class IndustrySection(models.TextChoices):
    """The 20 sections (门类) of China's national industry classification, GB/T 4754-2017:
    the top level, which is what partners filter by."""

    A = "A", _("A · Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B · Mining")
    C = "C", _("C · Manufacturing")
    D = "D", _("D · Electricity, heat, gas and water production and supply")
    E = "E", _("E · Construction")
    F = "F", _("F · Wholesale and retail trade")
    G = "G", _("G · Transport, storage and postal services")
    H = "H", _("H · Accommodation and catering")
    I = "I", _("I · Information transmission, software and information technology services")  # noqa: E741
    J = "J", _("J · Finance")
    K = "K", _("K · Real estate")
    L = "L", _("L · Leasing and business services")
    M = "M", _("M · Scientific research and technical services")
    N = "N", _("N · Water conservancy, environment and public facilities management")
    O = "O", _("O · Resident services, repair and other services")  # noqa: E741
    P = "P", _("P · Education")
    Q = "Q", _("Q · Health and social work")
    R = "R", _("R · Culture, sports and entertainment")
    S = "S", _("S · Public administration, social security and social organizations")
    T = "T", _("T · International organizations")


class SizeBand(models.TextChoices):
    """Headcount (staff; for colleges, staff and teachers), in the bands partners ask."""

    UNDER_50 = "under_50", _("Fewer than 50 people")
    FROM_50 = "50_299", _("50–299 people")
    FROM_300 = "300_999", _("300–999 people")
    FROM_1000 = "1000_plus", _("1,000 people or more")


class OrganizationQuerySet(AccessQuerySet):
    def in_directory(self, user) -> OrganizationQuerySet:
        """The directory: every active organization's public profile, for everyone
        signed in; inactive ones only for government (oversight), which sees them all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self
        return self.filter(is_active=True)


# The fields of an organization's public profile: shown to every signed-in user on its
# page, in the directory and through the API.
PUBLIC_PROFILE_FIELDS = (
    "region",
    "city",
    "industry",
    "industry_section",
    "specialties",
    "size_band",
    "description",
    "website",
    "public_email",
    "public_phone",
)


# Enough for every specialty a college teaches, one a line.
PROFILE_SPECIALTIES_TEXT = 4_000


class Organization(DomainModel):
    """A vocational college, an enterprise, a government department or an industry
    association. Its public profile (``PUBLIC_PROFILE_FIELDS``) is in the directory for
    every signed-in user; its members, attachments and history are not."""

    access_organization_paths = ("pk",)
    attachable = True

    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("The 18-character code on the business licence or registration certificate."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # The public profile.
    city = models.CharField(_("city"), max_length=100, blank=True)
    industry_section = models.CharField(
        _("industry section"),
        max_length=1,
        choices=IndustrySection.choices,
        blank=True,
        help_text=_("The top level of the national industry classification (GB/T 4754-2017)."),
    )
    specialties = models.TextField(
        _("specialties taught"),
        max_length=PROFILE_SPECIALTIES_TEXT,
        blank=True,
        help_text=_("Colleges: one specialty (专业) a line."),
    )
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    public_email = models.EmailField(
        _("public contact email"),
        blank=True,
        help_text=_("A role address such as cooperation@…, not a person's own."),
    )
    public_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The directory's filters and orderings (name is unique, hence indexed).
        indexes = [
            models.Index(fields=["kind", "name"], name="organization_kind_name"),
            models.Index(fields=["region", "city"], name="organization_region_city"),
            models.Index(fields=["city"], name="organization_city"),
            models.Index(fields=["industry_section"], name="organization_industry"),
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = self.credit_code.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organization-detail", args=[self.pk])

    @property
    def specialty_list(self) -> list[str]:
        return [line.strip() for line in self.specialties.splitlines() if line.strip()]


class Membership(DomainModel):
    """A user's role in one organization. Deactivated, never deleted, so history stays."""

    access_organization_paths = ("organization",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class InvitationQuerySet(AccessQuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(DomainModel):
    """A one-time link, emailed to a person, that lets them join an organization."""

    access_organization_paths = ("organization",)

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A personal API key for campus systems. Only its SHA-256 is stored; the key is
    shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


def membership_grants(user):
    """(organization id, role, kind) of the user's active memberships in active
    organizations: the source ``portal.access`` asks (registered in accounts.apps)."""
    return Membership.objects.filter(
        user=user, is_active=True, organization__is_active=True
    ).values_list("organization_id", "role", "organization__kind")
