"""Practice bases (实习实训基地): hosted by an enterprise or a college, serving colleges."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal.limits import LONG_TEXT
from portal.models import DomainModel

# --- practice bases ----------------------------------------------------------------


class PracticeBaseStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class PracticeBase(DomainModel):
    """A practice and training base (实习实训基地) hosted by an enterprise or a college,
    where the colleges it serves send students for observation and on-the-job
    internships."""

    access_organization_paths = ("host", "colleges__organization")
    attachable = True

    name = models.CharField(_("name"), max_length=200)
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="hosted_practice_bases",
        verbose_name=_("host"),
    )
    address = models.CharField(_("address"), max_length=255)
    specialties = models.CharField(
        _("specialties served"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. “CNC machining, mechatronics”."),
    )
    stations = models.PositiveIntegerField(
        _("stations"),
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("How many students the base can take at once."),
    )
    safety_officer_name = models.CharField(_("safety officer"), max_length=100)
    safety_officer_phone = models.CharField(_("safety officer's phone"), max_length=30)
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_bases",
        verbose_name=_("agreement"),
        help_text=_("The practice base agreement it rests on, if any."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PracticeBaseStatus.choices,
        default=PracticeBaseStatus.PROPOSED,
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice base")
        verbose_name_plural = _("practice bases")
        constraints = [
            models.CheckConstraint(condition=Q(stations__gte=1), name="practice_base_stations")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practice-base-detail", args=[self.pk])

    @property
    def specialty_list(self) -> list[str]:
        return split_specialties(self.specialties)

    def history_related(self):
        return [
            (
                lambda record: _("College: %(name)s") % {"name": record.organization},
                PracticeBaseCollege.history.filter(practice_base_id=self.pk).select_related(
                    "organization"
                ),
            )
        ]


class PracticeBaseCollege(DomainModel):
    """A college the practice base serves."""

    access_organization_paths = ("practice_base__host", "practice_base__colleges__organization")

    practice_base = models.ForeignKey(
        PracticeBase, on_delete=models.CASCADE, related_name="colleges"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="practice_base_links",
        verbose_name=_("college"),
    )

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("practice base college")
        verbose_name_plural = _("practice base colleges")
        constraints = [
            models.UniqueConstraint(
                fields=["practice_base", "organization"], name="practice_base_college_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.practice_base}"


def split_specialties(text: str) -> list[str]:
    """“CNC, mechatronics，welding” → ["CNC", "mechatronics", "welding"] (either comma)."""
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
