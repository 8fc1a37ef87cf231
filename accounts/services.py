"""Writes with rules for organizations, memberships, invitations and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.notifications import notify

from .models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
    hash_secret,
)

ORGANIZATION_FIELDS = ("kind", "name", "credit_code", "region", "industry", "address", "website")


def can_create_organization(user) -> bool:
    """Government departments register the organizations they oversee."""
    return user.is_superuser or any(
        grant.kind == OrganizationKind.GOVERNMENT and grant.role in access.WRITE_ROLES
        for grant in access.grants(user).values()
    )


def organization_create(*, actor: User, **fields) -> Organization:
    """Register an organization (government admins and staff, or a superuser)."""
    access.require(
        can_create_organization(actor), _("Only government staff register organizations.")
    )
    organization = Organization(
        **{key: fields[key] for key in ORGANIZATION_FIELDS if key in fields}
    )
    organization.full_clean()
    organization.save()
    return organization


def organization_update(*, actor: User, organization: Organization, **fields) -> Organization:
    """Change an organization's details (its own admins)."""
    access.require(access.can_administer(actor, organization))
    for key in ORGANIZATION_FIELDS:
        if key in fields:
            setattr(organization, key, fields[key])
    if "is_active" in fields:
        organization.is_active = fields["is_active"]
    organization.full_clean()
    organization.save()
    return organization


def _active_admins(organization: Organization):
    return Membership.objects.filter(organization=organization, role=Role.ADMIN, is_active=True)


def _keep_one_admin(membership: Membership) -> None:
    # An organization left without an active admin could never manage its members again.
    others = _active_admins(membership.organization).exclude(pk=membership.pk)
    if membership.role == Role.ADMIN and membership.is_active and not others.exists():
        raise ValidationError(
            {"role": _("This is the organization's last admin; make someone else admin first.")}
        )


@transaction.atomic
def membership_add(*, actor: User, organization: Organization, user: User, role: str) -> Membership:
    """Give an existing user a role in the organization (its admins)."""
    access.require(access.can_administer(actor, organization))
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if not created:
        if membership.is_active:
            raise ValidationError({"user": _("This person is already a member.")})
        membership.is_active = True
        membership.role = role
        membership.save()
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    access.forget_grants(user)
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Change a member's role (the organization's admins)."""
    access.require(access.can_administer(actor, membership))
    if role not in Role.values:
        raise ValidationError({"role": _("Choose admin, staff or viewer.")})
    # Lock the organization's admin rows so two admins demoting each other at once
    # cannot leave it with none.
    list(_active_admins(membership.organization).select_for_update())
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Role.ADMIN:
        _keep_one_admin(membership)
    membership.role = role
    membership.save()
    access.forget_grants(membership.user)
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """Remove a member's access to the organization at once.

    A person left with no active membership anywhere is deactivated too, which ends
    their browser sessions and API tokens on their next request.
    """
    access.require(access.can_administer(actor, membership))
    list(_active_admins(membership.organization).select_for_update())
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if not membership.is_active:
        return membership
    _keep_one_admin(membership)
    membership.is_active = False
    membership.save()
    user = membership.user
    if not user.is_superuser and not user.memberships.filter(is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    access.forget_grants(user)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Give a deactivated member their access back."""
    access.require(access.can_administer(actor, membership))
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    membership.is_active = True
    membership.save()
    if not membership.user.is_active:
        membership.user.is_active = True
        membership.user.save(update_fields=["is_active"])
    access.forget_grants(membership.user)
    return membership


def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite a person by email; returns the invitation and its one-time token.

    The token itself is never stored (only its hash); the email task gets it once.
    """
    from .tasks import send_invitation_email

    access.require(access.can_administer(actor, organization))
    email = email.strip().lower()
    if Membership.objects.filter(
        organization=organization, user__email__iexact=email, is_active=True
    ).exists():
        raise ValidationError({"email": _("A member with this email already exists.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_secret(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, token))
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, if it is still usable."""
    invitation = (
        Invitation.objects.filter(token_hash=hash_secret(token))
        .select_related("organization")
        .first()
    )
    return invitation if invitation and invitation.is_usable else None


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    access.require(access.can_administer(actor, invitation))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    username: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> Membership:
    """Use an invitation: the signed-in user with the invited email joins, or a new
    account is made for that email with the chosen username and password."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(_("This invitation link has expired or has already been used."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:  # used by a concurrent request since the check above
        raise ValidationError(_("This invitation link has expired or has already been used."))
    if user is None:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This username is taken.")})
        user = User(
            username=username,
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
    elif user.email.lower() != invitation.email:
        raise PermissionDenied(_("This invitation was sent to another email address."))
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    if not created:
        membership.role = invitation.role
        membership.is_active = True
        membership.save()
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    notify(
        recipients=[invitation.invited_by],
        title=format_lazy(
            gettext_lazy("{person} accepted your invitation to {organization}"),
            person=str(user),
            organization=invitation.organization.name,
        ),
        url=reverse("organization-detail", args=[invitation.organization_id]) + "?tab=members",
    )
    access.forget_grants(user)
    return membership


def api_token_create(*, user: User, name: str, days: int | None) -> tuple[ApiToken, str]:
    """Make a personal API token; returns it with its key, which is shown only now."""
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or _("API token"),
        prefix=key[:8],
        key_hash=hash_secret(key),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once. People revoke their own; superusers any."""
    access.require(token.user_id == actor.pk or actor.is_superuser)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token for a key, its user active; records when it was last used."""
    token = (
        ApiToken.objects.usable()
        .filter(key_hash=hash_secret(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute per token, so a busy sync job does not write on each call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
