from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation, User


@shared_task
def send_invitation_email(invitation_id: int, token: str) -> None:
    """Email the one-time link. The token is not stored, so it travels with the task."""
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    link = settings.SITE_URL + reverse("invitation-accept", args=[token])
    with translation.override(invitation_language(invitation)):
        subject = render_to_string(
            "accounts/email/invitation_subject.txt", {"invitation": invitation}
        ).strip()
        body = render_to_string(
            "accounts/email/invitation_body.txt", {"invitation": invitation, "link": link}
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_language(invitation: Invitation) -> str:
    """The language of the person invited if they already have an account (their
    profile's), else the inviter's: the best guess at what the invited person reads."""
    existing = (
        User.objects.filter(email__iexact=invitation.email, is_active=True)
        .order_by("pk")
        .values_list("language", flat=True)
        .first()
    )
    return existing or invitation.invited_by.language or settings.LANGUAGE_CODE
