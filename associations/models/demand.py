"""Talent-demand reports (Art. 23 of the 2022 Vocational Education Law): an association
publishes, per industry and region, the specialties and numbers of people its members
expect to need in the coming years."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet, can_change, organization_ids, sees_everything
from portal.limits import LONG_TEXT
from portal.models import DomainModel

MAX_DEMAND_ROWS = 200


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReportQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Published reports are for everyone signed in (colleges plan specialties on
        them); drafts for the association's members and government."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        own = self.for_organizations(organization_ids(user))
        return self.filter(Q(status=ReportStatus.PUBLISHED) | Q(pk__in=own.values("pk")))


class TalentDemandReport(DomainModel):
    """An association's forecast, for an industry and a region, of the people of each
    specialty its members will need in each of the report's years (its ``rows``)."""

    access_organization_paths = ("association",)
    attachable = True

    association = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="talent_demand_reports",
        verbose_name=_("association"),
    )
    title = models.CharField(_("title"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100)
    region = models.CharField(_("region"), max_length=100)
    first_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    summary = models.TextField(_("summary"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("talent-demand report")
        verbose_name_plural = _("talent-demand reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="demand_report_years_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="demand_report_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("talent-demand-report-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """A published report's files are part of what was published: they stay as
        they were, like the report (see ``portal.attachments``)."""
        return self.status == ReportStatus.DRAFT and can_change(user, self)

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class DemandRow(models.Model):
    """How many people of a specialty the members expect to need in a year."""

    report = models.ForeignKey(TalentDemandReport, on_delete=models.CASCADE, related_name="rows")
    specialty = models.CharField(_("specialty"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    people = models.PositiveIntegerField(
        _("people needed"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["report", "specialty", "year"]
        verbose_name = _("demand")
        verbose_name_plural = _("demand")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "specialty", "year"], name="demand_row_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specialty} {self.year}: {self.people}"
