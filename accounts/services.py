"""Writes with rules for organizations, memberships, invitations and API tokens."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.notifications import notify
from portal.workflow import lock_row

from .models import (
    PUBLIC_PROFILE_FIELDS,
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_secret,
)

logger = logging.getLogger(__name__)

ORGANIZATION_FIELDS = ("kind", "name", "credit_code", "address", *PUBLIC_PROFILE_FIELDS)


def can_create_organization(user) -> bool:
    """Government departments register the organizations they oversee."""
    return access.acts_for_government(user)


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


# Locks, in the portal's order (portal/__init__.py): organization, then the person (user),
# then memberships, then invitations. Each service takes them before it reads what it
# will write.


def _lock_organization(organization_id: int) -> Organization:
    """Every service that changes an organization's memberships locks the organization
    first, so changes to one organization's members queue behind one another, and each
    reads the members, and the actor's own role, as the previous one left them."""
    return lock_row(Organization, organization_id)


def _require_admin(actor: User, organization: Organization) -> None:
    # Asked under the organization's lock, from the database: an admin whom a change
    # that has just committed removed is no longer one, whatever this request saw before.
    access.forget_grants(actor)
    access.require(access.can_administer(actor, organization))


def _lock_user(user_id: int) -> User:
    """A person's being active follows their memberships in every organization, and
    deactivation revokes their tokens: both are decided under the person's lock, which
    organizations other than the one locked above may be waiting for too."""
    return lock_row(User, user_id)


def _activate(user: User) -> None:
    """Make a locked person active again, if they were not."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    access.forget_grants(user)


def _lock_membership_and_admins(
    membership_id: int, organization: Organization
) -> tuple[Membership, list[Membership]]:
    """Lock a membership together with the organization's active admins (in id order);
    return it and the admins."""
    rows = list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(Q(pk=membership_id) | Q(organization=organization, role=Role.ADMIN, is_active=True))
        .order_by("pk")
    )
    membership = next((row for row in rows if row.pk == membership_id), None)
    if membership is None or membership.organization_id != organization.pk:
        raise Membership.DoesNotExist
    admins = [row for row in rows if row.role == Role.ADMIN and row.is_active]
    return membership, admins


def _lock_existing_membership(user: User, organization: Organization) -> Membership | None:
    return (
        Membership.objects.select_for_update(of=("self",))
        .filter(user=user, organization=organization)
        .first()
    )


def _keep_one_admin(membership: Membership, admins: list[Membership]) -> None:
    # An organization left without an active admin could never manage its members again.
    others = [admin for admin in admins if admin.pk != membership.pk]
    if membership.role == Role.ADMIN and membership.is_active and not others:
        raise ValidationError(
            {"role": _("This is the organization's last admin; make someone else admin first.")}
        )


def _require_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose admin, staff or viewer.")})


@transaction.atomic
def membership_add(
    *, actor: User, organization: Organization, username: str, role: str
) -> Membership:
    """Give an existing person, named by username, a role in the organization (its
    admins); a former member gets their membership back, not their revoked tokens.

    The username is looked up only after the permission check, so that someone who may
    not add members here gets the same answer whether or not the username exists.
    """
    organization = _lock_organization(organization.pk)
    _require_admin(actor, organization)
    _require_role(role)
    user = User.objects.select_for_update(of=("self",)).filter(username=username).first()
    if user is None:
        raise ValidationError({"user": _("No one has this username.")})
    membership = _lock_existing_membership(user, organization)
    if membership is None:
        membership = Membership(user=user, organization=organization, role=role)
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the rest intact
                membership.save()
        except IntegrityError as error:
            # Added at this very moment by a writer that does not take the organization's
            # lock (the admin site, say): the unique constraint caught it.
            raise ValidationError({"user": _("This person is already a member.")}) from error
    elif membership.is_active:
        raise ValidationError({"user": _("This person is already a member.")})
    else:
        membership.is_active = True
        membership.role = role
        membership.save()
    _activate(user)
    membership.user = user
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Change a member's role (the organization's admins).

    Two admins demoting each other at once cannot leave the organization without one:
    the second waits for the first's lock, then sees only one admin left.
    """
    organization = _lock_organization(membership.organization_id)
    _require_admin(actor, organization)
    _require_role(role)
    membership, admins = _lock_membership_and_admins(membership.pk, organization)
    if role != Role.ADMIN:
        _keep_one_admin(membership, admins)
    membership.role = role
    membership.save()
    access.forget_grants(membership.user)
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, membership: Membership) -> Membership:
    """Remove a member's access to the organization at once.

    A person left with no active membership anywhere is deactivated too, which ends
    their browser sessions at once, and their API tokens for good: the tokens are
    revoked, so that giving the person access again later does not revive them.

    Of two admins removing each other at the same moment, the second finds that they are
    no longer an admin (PermissionDenied): the organization keeps one admin.
    """
    organization = _lock_organization(membership.organization_id)
    _require_admin(actor, organization)
    user = _lock_user(membership.user_id)
    membership, admins = _lock_membership_and_admins(membership.pk, organization)
    if not membership.is_active:
        return membership
    _keep_one_admin(membership, admins)
    membership.is_active = False
    membership.save()
    # Read under the person's lock: a membership that another organization is adding at
    # this moment is either committed and seen here, or waits, then reactivates them.
    if (
        user.is_active
        and not user.is_superuser
        and not user.memberships.filter(is_active=True).exists()
    ):
        user.is_active = False
        user.save(update_fields=["is_active"])
        credentials_revoke_all(user=user)
    membership.user = user
    access.forget_grants(user)
    return membership


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Give a deactivated member their access back (not their revoked API tokens)."""
    organization = _lock_organization(membership.organization_id)
    _require_admin(actor, organization)
    user = _lock_user(membership.user_id)
    membership = lock_row(Membership, membership.pk)
    if not membership.is_active:
        membership.is_active = True
        membership.save()
    _activate(user)
    membership.user = user
    return membership


def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite a person by email; returns the invitation and its one-time token.

    The token itself is never stored (only its hash); the email task gets it once.
    """
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
        transaction.on_commit(lambda: _enqueue_invitation_email(invitation.pk, token))
    return invitation, token


def _enqueue_invitation_email(invitation_id: int, token: str) -> None:
    """After the commit: a broker or mail server that is away is logged, never turned
    into an error for an invitation already made (its admin can revoke it and invite
    again; the token is not stored, so it cannot be retried later)."""
    from .tasks import send_invitation_email

    try:
        send_invitation_email.delay(invitation_id, token)
    except Exception:
        logger.warning("Invitation %s: the email could not be sent.", invitation_id, exc_info=True)


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
    expired = _("This invitation link has expired or has already been used.")
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(expired)
    organization = _lock_organization(invitation.organization_id)
    membership = None
    if user is not None:
        if user.email.lower() != invitation.email:
            raise PermissionDenied(_("This invitation was sent to another email address."))
        access.forget_grants(user)  # the caller's object may be request.user
        user = _lock_user(user.pk)
        membership = _lock_existing_membership(user, organization)
    invitation = lock_row(Invitation, invitation.pk, "invited_by")
    if not invitation.is_usable:  # used by a concurrent request since the check above
        raise ValidationError(expired)
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
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the rest intact
                user.save()
        except IntegrityError as error:  # chosen by someone else at this very moment
            raise ValidationError({"username": _("This username is taken.")}) from error
    if membership is None:
        membership = Membership(user=user, organization=organization, role=invitation.role)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as error:  # added at this moment without the organization's lock
            raise ValidationError(_("You are already a member of this organization.")) from error
    else:
        membership.role = invitation.role
        membership.is_active = True
        membership.save()
    _activate(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    notify(
        recipients=[invitation.invited_by],
        title=format_lazy(
            gettext_lazy("{person} accepted your invitation to {organization}"),
            person=str(user),
            organization=organization.name,
        ),
        url=reverse("organization-detail", args=[organization.pk]) + "?tab=members",
    )
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None) -> tuple[ApiToken, str]:
    """Make a personal API token; returns it with its key, which is shown only now."""
    # Under the person's lock, which deactivation holds while it revokes their tokens:
    # a token made at that moment is either revoked with the others or refused here.
    if not _lock_user(user.pk).is_active:
        raise PermissionDenied(_("This account is deactivated."))
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


def credentials_revoke_all(*, user: User) -> int:
    """Revoke every token the person still holds, and end every browser session they
    have; returns how many tokens.

    Called when a person loses access. An inactive user's tokens and sessions are
    refused anyway, but only revoking them keeps them from working again once the
    person is given access back.
    """
    now = timezone.now()
    user.sessions_revoked_at = now
    user.save(update_fields=["sessions_revoked_at"])
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:  # one by one, so each revocation is in the token's history
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
    return len(tokens)


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
