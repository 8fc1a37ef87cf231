"""Cooperation needs and offers: what an organization looks for (a need) or puts on the
table (an offer) — an order-based class, teacher practice posts, joint R&D — for the
organizations of its audience to answer."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.models import AgreementKind
from portal.access import AccessQuerySet, grants, organization_ids
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT
from portal.models import DomainModel
from portal.roles import OrganizationKind
from portal.wording import join_words

MAX_HEADCOUNT = 100_000


class NeedDirection(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class NeedKind(models.TextChoices):
    ORDER_CLASS = "order_class", _("Order-based training class (订单班)")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    INTERNSHIP = "internship", _("Internships")
    TEACHER_PRACTICE = "teacher_practice", _("Teacher practice posts")
    JOINT_RND = "joint_rnd", _("Joint R&D or technical service")
    TRAINING_BASE = "training_base", _("Equipment or training base")
    GUEST_INSTRUCTOR = "guest_instructor", _("Guest instructors")
    OTHER = "other", _("Other")


# The kind of agreement an answered need or offer becomes (its draft agreement's kind).
AGREEMENT_KINDS: dict[str, str] = {
    NeedKind.ORDER_CLASS: AgreementKind.JOINT_TRAINING,
    NeedKind.APPRENTICESHIP: AgreementKind.JOINT_TRAINING,
    NeedKind.INTERNSHIP: AgreementKind.INTERNSHIP,
    NeedKind.TEACHER_PRACTICE: AgreementKind.PRACTICE_BASE,
    NeedKind.JOINT_RND: AgreementKind.RND,
    NeedKind.TRAINING_BASE: AgreementKind.PRACTICE_BASE,
    NeedKind.GUEST_INSTRUCTOR: AgreementKind.JOINT_TRAINING,
    NeedKind.OTHER: AgreementKind.OTHER,
}


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("need status", "Open")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


# Seen by the audience (a draft only by its owner's members).
PUBLIC_STATUSES = frozenset({NeedStatus.OPEN, NeedStatus.CLOSED, NeedStatus.EXPIRED})

SPECIALTY_SEPARATORS = re.compile(r"[,，、;；\n]+")


def specialty_terms(text: str) -> list[str]:
    """The specialties of a free-text list ("Mechatronics, CNC machining、数控技术"),
    trimmed, each once."""
    terms: list[str] = []
    for term in SPECIALTY_SEPARATORS.split(text or ""):
        term = " ".join(term.split())
        if term and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms


def audience_text(kinds) -> str:
    """The stored form of an audience: ``,college,enterprise,`` (empty: everyone signed
    in). Delimited on both sides, so that one kind is found with a plain ``contains`` on
    any database."""
    chosen = [kind for kind in OrganizationKind.values if kind in set(kinds or ())]
    return f",{','.join(chosen)}," if chosen else ""


class NeedQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """A draft for its owner's members only; an open, closed or expired one for
        everyone signed in in its audience, its owner, and government."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if getattr(user, "is_superuser", False):
            return self
        own = Q(owner_id__in=list(organization_ids(user)))
        kinds = {grant.kind for grant in grants(user).values()}
        if OrganizationKind.GOVERNMENT in kinds:
            return self.filter(own | Q(status__in=PUBLIC_STATUSES))
        audience = Q(audience_kinds="")
        for kind in sorted(kinds):
            audience |= Q(audience_kinds__contains=f",{kind},")
        return self.filter(own | (Q(status__in=PUBLIC_STATUSES) & audience))

    def open(self):
        return self.filter(status=NeedStatus.OPEN)


class CooperationNeed(DomainModel):
    """What an organization needs from partners, or offers them, in one kind of
    cooperation: posted by its admins and staff, answered by other organizations'
    (``Interest``), and closed — or expired once ``valid_until`` has passed."""

    access_organization_paths = ("owner",)

    owner = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="cooperation_needs",
        verbose_name=_("organization"),
    )
    direction = models.CharField(_("need or offer"), max_length=10, choices=NeedDirection.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=NeedKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    specialties = models.CharField(
        _("specialties"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas, such as “Mechatronics, CNC machining”."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    headcount = models.PositiveIntegerField(
        _("headcount"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HEADCOUNT)],
        help_text=_("How many people (students, teachers, instructors), if it is about people."),
    )
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The money involved, if any (equipment, R&D, service fees)."),
    )
    valid_until = models.DateField(_("valid until"), validators=[validate_portal_date])
    audience_kinds = models.CharField(
        _("audience"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Empty: everyone signed in; else the kinds of organization it is for."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("cooperation need or offer")
        verbose_name_plural = _("cooperation needs and offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="need_amount_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-opened_at"], name="need_status_opened"),
            # The list's default order, when no status is chosen.
            models.Index(fields=["-opened_at", "-id"], name="need_opened"),
            models.Index(fields=["status", "valid_until"], name="need_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation-need-detail", args=[self.pk])

    @property
    def audience(self) -> list[str]:
        """The kinds of organization it is for; empty for everyone signed in."""
        return [kind for kind in self.audience_kinds.split(",") if kind]

    @property
    def audience_label(self) -> str:
        if not self.audience:
            return str(_("Everyone signed in"))
        return join_words(OrganizationKind(kind).label for kind in self.audience)

    @property
    def specialty_list(self) -> list[str]:
        return specialty_terms(self.specialties)

    def is_for(self, kind: str) -> bool:
        return not self.audience or kind in self.audience
