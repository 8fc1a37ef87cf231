"""Interest in a need or offer: another organization's admins and staff answer an open
one with a message, which starts a thread between it and the owner (one per answering
organization); either side's admins and staff reply, and each message tells the other
side. Either side's admins turn the thread into a draft agreement between the two, with
the need's title, kind and text carried over; from then on it follows the agreement
workflow (``partnerships.services``).

Locks: the need, then the interest (``portal`` sets out the order), so an answer never
lands on a need being closed or expired, and a thread becomes one agreement only."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from partnerships.models import Agreement
from partnerships.services import agreement_create
from portal import access
from portal.dates import shift_date
from portal.limits import NOTE_TEXT
from portal.notifications import notify
from portal.roles import WRITE_ROLES, Role
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    AGREEMENT_KINDS,
    CooperationNeed,
    Interest,
    InterestMessage,
    NeedDirection,
    NeedStatus,
)
from .needs import answering_organizations

# A draft agreement runs a year from today unless its drafters change the dates.
AGREEMENT_YEARS = 1


# --- who may do what ------------------------------------------------------------------


def sides(interest: Interest) -> tuple[int, int]:
    """The two organizations of a thread: the need's owner and the answering one."""
    return interest.need.owner_id, interest.organization_id


def writing_side(user, interest: Interest) -> int | None:
    """The side the user writes for: the answering organization if they are its admin
    or staff, else the owner if they are its; None if neither."""
    owner, answering = sides(interest)
    mine = access.organization_ids(user, WRITE_ROLES)
    if answering in mine:
        return answering
    if owner in mine or getattr(user, "is_superuser", False):
        return owner
    return None


def can_draft_agreement(user, interest: Interest) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(set(sides(interest)) & access.organization_ids(user, {Role.ADMIN}))


def interest_actions(user, interest: Interest) -> set[str]:
    """``reply`` (either side's admins and staff) and ``draft_agreement`` (either side's
    admins, while no agreement came of it yet)."""
    actions: set[str] = set()
    if writing_side(user, interest) is not None:
        actions.add("reply")
    if interest.agreement_id is None and can_draft_agreement(user, interest):
        actions.add("draft_agreement")
    return actions


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"message": _("Write a message.")})
    if len(body) > NOTE_TEXT:
        raise ValidationError(
            {"message": _("A message has at most %(max)d characters.") % {"max": NOTE_TEXT}}
        )
    return body


def _tell_other_side(interest: Interest, written_for: int, body: str, title) -> None:
    owner, answering = sides(interest)
    other = answering if written_for == owner else owner
    notify(
        recipients=User.objects.acting_for([other]),
        title=title,
        body=body[:500],
        url=interest.get_absolute_url(),
    )


# --- steps ----------------------------------------------------------------------------


@transaction.atomic
def interest_create(
    *, actor, need: CooperationNeed, organization: Organization, message: str
) -> Interest:
    """Answer an open need or offer for ``organization`` (its admins and staff, of a kind
    in the audience, not the owner) with a first message; one thread per organization.
    The owner's admins and staff are told."""
    if not CooperationNeed.objects.visible_to(actor).filter(pk=need.pk).exists():
        raise ValidationError({"need": _("No such need or offer, or not one you can see.")})
    need = lock_row(CooperationNeed, need.pk, "owner")
    body = _clean_body(message)
    if organization.pk == need.owner_id:
        raise ValidationError({"organization": _("You cannot answer your own organization's.")})
    if need.status != NeedStatus.OPEN:
        raise InvalidTransition(_("Only an open need or offer takes answers."))
    if organization.pk not in answering_organizations(actor, need):
        raise ValidationError(
            {
                "organization": _(
                    "Answer for an organization of the audience where you are admin or staff."
                )
            }
        )
    if Interest.objects.filter(need=need, organization=organization).exists():
        raise ValidationError(
            {
                "organization": _("%(name)s has answered already: reply in its thread.")
                % {"name": organization.name}
            }
        )
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                need=need, organization=organization, created_by=actor
            )
    except IntegrityError:  # the same organization answered a moment ago
        raise ValidationError(
            {
                "organization": _("%(name)s has answered already: reply in its thread.")
                % {"name": organization.name}
            }
        ) from None
    InterestMessage.objects.create(
        interest=interest, organization=organization, author=actor, body=body
    )
    _tell_other_side(
        interest,
        organization.pk,
        body,
        format_lazy(
            gettext_lazy("{organization} answered “{title}”"),
            organization=organization.name,
            title=need.title,
        ),
    )
    return interest


@transaction.atomic
def interest_reply(*, actor, interest: Interest, message: str) -> InterestMessage:
    """A message in the thread, for the side the actor writes for; the other side's
    admins and staff are told."""
    interest = lock_row(Interest, interest.pk, "need", "organization")
    side = writing_side(actor, interest)
    access.require(
        side is not None,
        _("Only the admins and staff of the two organizations write in this thread."),
    )
    body = _clean_body(message)
    reply = InterestMessage.objects.create(
        interest=interest, organization_id=side, author=actor, body=body
    )
    interest.save(update_fields=["updated_at"])
    author = Organization.objects.only("name").get(pk=side).name
    _tell_other_side(
        interest,
        side,
        body,
        format_lazy(
            gettext_lazy("New message from {organization} about “{title}”"),
            organization=author,
            title=interest.need.title,
        ),
    )
    return reply


def agreement_summary(need: CooperationNeed) -> str:
    lines = [need.description]
    if need.specialties:
        lines.append(_("Specialties: %(list)s") % {"list": need.specialties})
    if need.headcount:
        lines.append(_("Headcount: %(n)d") % {"n": need.headcount})
    if need.amount:
        lines.append(_("Amount: %(amount)s CNY") % {"amount": need.amount})
    return "\n\n".join(line for line in lines if line)


def party_roles(need: CooperationNeed) -> tuple[str, str]:
    """The owner's and the answering organization's roles in the agreement."""
    if need.direction == NeedDirection.OFFER:
        return _("Offering party"), _("Receiving party")
    return _("Requesting party"), _("Providing party")


@transaction.atomic
def interest_draft_agreement(
    *,
    actor,
    interest: Interest,
    effective_date: date | None = None,
    expiry_date: date | None = None,
) -> Agreement:
    """Turn a thread into a draft agreement between the need's owner and the answering
    organization (either side's admins), with the need's title, kind and text; once.
    All or nothing: the agreement, its parties and the interest's link to it."""
    need_id = Interest.objects.filter(pk=interest.pk).values_list("need_id", flat=True).first()
    lock_row(CooperationNeed, need_id)
    interest = lock_row(Interest, interest.pk, "need", "need__owner", "organization")
    access.require(
        can_draft_agreement(actor, interest),
        _("Only the admins of the two organizations turn a thread into an agreement."),
    )
    if interest.agreement_id is not None:
        raise InvalidTransition(_("This thread has led to an agreement already."))
    need = interest.need
    effective = effective_date or timezone.localdate()
    expiry = expiry_date or shift_date(
        effective, timedelta(days=365 * AGREEMENT_YEARS), field="expiry_date"
    )
    owner_role, other_role = party_roles(need)
    agreement = agreement_create(
        actor=actor,
        title=need.title,
        kind=AGREEMENT_KINDS[need.kind],
        effective_date=effective,
        expiry_date=expiry,
        parties=[(need.owner, owner_role), (interest.organization, other_role)],
        summary=agreement_summary(need),
    )
    interest.agreement = agreement
    interest.save(update_fields=["agreement", "updated_at"])
    side = writing_side(actor, interest) or need.owner_id
    _tell_other_side(
        interest,
        side,
        "",
        format_lazy(
            gettext_lazy("“{title}” is now the draft agreement {reference}"),
            title=need.title,
            reference=agreement.reference,
        ),
    )
    return agreement
