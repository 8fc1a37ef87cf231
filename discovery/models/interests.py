"""Interest in a need or offer: one thread per answering organization, between it and
the owner, which may lead to a draft agreement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.limits import NOTE_TEXT
from portal.models import DomainModel

from .needs import CooperationNeed


class Interest(DomainModel):
    """An organization's answer to an open need or offer: the thread between it and the
    owner, seen by the two of them (and government) only; ``agreement`` once either
    side's admins turned it into a draft agreement."""

    access_organization_paths = ("need__owner", "organization")

    need = models.ForeignKey(
        CooperationNeed,
        on_delete=models.PROTECT,
        related_name="interests",
        verbose_name=_("need or offer"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="cooperation_interests",
        verbose_name=_("answering organization"),
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft agreement"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["need", "created_at", "pk"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "organization"], name="interest_one_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.need}"

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation-need-detail', args=[self.need_id])}#interest-{self.pk}"


class InterestMessage(DomainModel):
    """One message of a thread, written for one of its two sides."""

    access_organization_paths = ("interest__need__owner", "interest__organization")

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("interest")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written for"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=NOTE_TEXT)

    class Meta:
        ordering = ["interest", "created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.organization}: {self.body[:40]}"
