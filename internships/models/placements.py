"""Internship placements (实习岗位) that enterprises post for colleges' students."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from partnerships.models import AgreementParty, AgreementStatus
from portal.access import (
    AccessQuerySet,
    organization_ids,
    scope_organizations,
    sees_everything,
)
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel

from .bases import PracticeBase, split_specialties

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
# Agreements that bind their parties: a college sharing one with an enterprise is its
# partner, and sees the placements the enterprise opens to all its partners.
PARTNER_AGREEMENT_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE)


def partner_college_ids(host_id: int) -> set[int]:
    """Colleges sharing a signed or active agreement with the organization."""
    agreements = AgreementParty.objects.filter(
        organization_id=host_id, agreement__status__in=PARTNER_AGREEMENT_STATUSES
    ).values("agreement_id")
    return set(
        AgreementParty.objects.filter(
            agreement_id__in=agreements,
            organization__kind=OrganizationKind.COLLEGE,
            organization__is_active=True,
        )
        .exclude(organization_id=host_id)
        .values_list("organization_id", flat=True)
    )


# --- placements --------------------------------------------------------------------


class InternshipType(models.TextChoices):
    OBSERVATION = "observation", _("Observation internship (认识实习)")
    ON_THE_JOB = "on_the_job", _("On-the-job internship (岗位实习)")


class InsurancePayer(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COLLEGE = "college", _("College")
    STUDENT = "student", _("Student")


class VenueKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary workplace")
    BAR = "bar", _("Bar")
    NIGHTCLUB = "nightclub", _("Nightclub")
    KTV = "ktv", _("Karaoke (KTV)")
    BATHHOUSE = "bathhouse", _("Bathhouse")
    ARCADE = "arcade", _("Video game arcade")
    INTERNET_CAFE = "internet_cafe", _("Internet café")


class OpenTo(models.TextChoices):
    PARTNERS = "partners", _("All partner colleges")
    CHOSEN = "chosen", _("Chosen colleges")


class PlacementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class PlacementQuerySet(AccessQuerySet):
    def visible_to(self, user) -> PlacementQuerySet:
        """The host's members see every placement; a college sees those open to it
        once published (and what became of them); government sees all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        ids = list(organization_ids(user))
        if not ids:
            return self.none()
        partner = Exists(
            AgreementParty.objects.filter(
                organization_id__in=ids,
                organization__kind=OrganizationKind.COLLEGE,
                agreement__status__in=PARTNER_AGREEMENT_STATUSES,
                agreement__parties__organization=OuterRef("host_id"),
            ).exclude(organization_id=OuterRef("host_id"))
        )
        chosen = Exists(
            Placement.open_to_colleges.through.objects.filter(
                placement_id=OuterRef("pk"), organization_id__in=ids
            )
        )
        # An association reads the placements of a host in an entrustment's scope.
        hosts = ids + sorted(scope_organizations(user, self.model))
        return self.filter(
            Q(host_id__in=hosts)
            | Q(published_at__isnull=False)
            & (Q(open_to=OpenTo.PARTNERS) & partner | Q(open_to=OpenTo.CHOSEN) & chosen)
        )


class Placement(DomainModel):
    """An internship placement (实习岗位) an enterprise posts for colleges' students.

    Published only when it passes every blocking rule of ``internships.compliance``;
    the warnings found then are kept in ``compliance_warnings`` for the poster.
    """

    access_organization_paths = ("host",)
    attachable = True

    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("host enterprise"),
    )
    title = models.CharField(_("title"), max_length=200)
    internship_type = models.CharField(
        _("internship type"), max_length=20, choices=InternshipType.choices
    )
    practice_base = models.ForeignKey(
        PracticeBase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("practice base"),
    )
    specialties = models.CharField(
        _("specialties wanted"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. “CNC machining, mechatronics”."),
    )
    slots = models.PositiveIntegerField(
        _("slots"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    filled_slots = models.PositiveIntegerField(_("filled slots"), default=0, editable=False)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=255)
    start_date = models.DateField(_("start date"), validators=[validate_portal_date])
    end_date = models.DateField(_("end date"), validators=[validate_portal_date])
    hours_per_day = models.PositiveSmallIntegerField(
        _("hours per day"), validators=[MinValueValidator(1), MaxValueValidator(24)], default=8
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("days per week"), validators=[MinValueValidator(1), MaxValueValidator(7)], default=5
    )
    night_shifts = models.BooleanField(_("night shifts"), default=False)
    overtime = models.BooleanField(_("overtime"), default=False)
    monthly_pay = models.DecimalField(
        _("monthly pay (CNY)"), default=Decimal("0"), validators=NOT_NEGATIVE, **MONEY
    )
    regular_wage = models.DecimalField(
        _("probation wage for the same post (CNY)"),
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        **MONEY,
        help_text=_("What the enterprise pays a new employee on probation in the same post."),
    )
    pay_cycle_days = models.PositiveSmallIntegerField(
        _("pay cycle (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    student_fee = models.DecimalField(
        _("fee charged to the student (CNY)"),
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        **MONEY,
        help_text=_("Deposits, training or management fees: the law allows none."),
    )
    insurance_paid_by = models.CharField(
        _("liability insurance paid by"),
        max_length=20,
        choices=InsurancePayer.choices,
        default=InsurancePayer.ENTERPRISE,
    )
    venue_kind = models.CharField(
        _("kind of venue"), max_length=20, choices=VenueKind.choices, default=VenueKind.ORDINARY
    )
    via_agency = models.BooleanField(
        _("arranged through an agency"),
        default=False,
        help_text=_("An intermediary, a paid agent or a labour dispatch firm."),
    )
    guide_name = models.CharField(_("enterprise guide"), max_length=100, blank=True)
    guide_title = models.CharField(_("guide's title"), max_length=100, blank=True)
    guide_phone = models.CharField(_("guide's phone"), max_length=30, blank=True)
    host_staff_count = models.PositiveIntegerField(
        _("staff of the host"), default=0, validators=[MaxValueValidator(10_000_000)]
    )
    same_post_staff_count = models.PositiveIntegerField(
        _("staff in the same post"), default=0, validators=[MaxValueValidator(10_000_000)]
    )
    open_to = models.CharField(
        _("open to"), max_length=20, choices=OpenTo.choices, default=OpenTo.PARTNERS
    )
    open_to_colleges = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="placements_open_to",
        verbose_name=_("chosen colleges"),
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.DRAFT
    )
    compliance_warnings = models.JSONField(
        _("compliance warnings"), default=list, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=NOTE_TEXT, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="placement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(slots__gte=1) & Q(slots__lte=500), name="placement_slots_range"
            ),
            models.CheckConstraint(
                condition=Q(filled_slots__gte=0) & Q(filled_slots__lte=models.F("slots")),
                name="placement_filled_within_slots",
            ),
            models.CheckConstraint(
                condition=Q(monthly_pay__gte=0) & Q(regular_wage__gte=0) & Q(student_fee__gte=0),
                name="placement_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("placement-detail", args=[self.pk])

    @property
    def specialty_list(self) -> list[str]:
        return split_specialties(self.specialties)

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date comes before the start date.")
        if self.slots is not None and self.filled_slots > self.slots:
            errors["slots"] = _("Fewer slots than students already placed.")
        if errors:
            raise ValidationError(errors)

    def audience_ids(self) -> set[int]:
        """The colleges the placement is open to (once published)."""
        if self.open_to == OpenTo.CHOSEN:
            return {org.pk for org in self.open_to_colleges.all()}
        return partner_college_ids(self.host_id)
