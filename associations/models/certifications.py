"""Certification of industry–education integration enterprises (产教融合型企业): an
enterprise declares what it invested in education, the portal assembles its evidence
from the cooperation records it already holds, an association under a
certification-review entrustment assesses it, and a government department certifies it
for a period (or refuses, with reasons). A certified enterprise may credit 30% of its
qualifying investment against the education surtaxes (财税〔2019〕46号), shown as
information.

draft → submitted → under review → certified or refused; certified → expired at the end
of its validity, or revoked."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet, organization_ids, scope_organizations, sees_everything
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel, money

# The share of the qualifying investment a certified enterprise may credit against the
# education surcharge and the local education surcharge (财税〔2019〕46号, art. 1).
SURTAX_CREDIT_RATE = Decimal("0.30")
SURTAX_RULE = "财税〔2019〕46号"
MAX_INVESTMENT_ROWS = 100
DEFAULT_VALIDITY_YEARS = 3


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CERTIFIED = "certified", _("Certified")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvestmentKind(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment and facilities for teaching")
    TRAINING_BASE = "training_base", _("Practice and training bases")
    TEACHERS = "teachers", _("Staff teaching or guiding students")
    INTERNSHIPS = "internships", _("Internship posts and pay")
    SCHOLARSHIPS = "scholarships", _("Scholarships and grants")
    RESEARCH = "research", _("Joint research and development")
    OTHER = "other", _("Other")


# A certificate exists (and its page prints) once certified, whatever became of it after.
CERTIFICATE_STATUSES = (
    CertificationStatus.CERTIFIED,
    CertificationStatus.EXPIRED,
    CertificationStatus.REVOKED,
)


def surtax_credit(qualifying: Decimal | None) -> Decimal:
    """The credit a certified enterprise may claim on its qualifying investment, to the
    fen (information only: the tax authority decides)."""
    return ((qualifying or Decimal("0")) * SURTAX_CREDIT_RATE).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


class CertificationQuerySet(AccessQuerySet):
    def visible_to(self, user) -> CertificationQuerySet:
        """The enterprise's members see its applications; government sees all; an
        association reads those of the enterprises in an open entrustment's scope, once
        submitted (a draft is the enterprise's own work)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        own = organization_ids(user)
        scoped = scope_organizations(user, self.model) - own
        if not own and not scoped:
            return self.none()
        return self.filter(
            Q(enterprise_id__in=own)
            | Q(enterprise_id__in=scoped) & ~Q(status=CertificationStatus.DRAFT)
        )

    def valid_on(self, day) -> CertificationQuerySet:
        """Certificates in force on ``day``: certified, and the day within its validity."""
        return self.filter(
            status=CertificationStatus.CERTIFIED, valid_from__lte=day, valid_until__gte=day
        )

    def with_qualifying_investment(self) -> CertificationQuerySet:
        """Each application with ``qualifying_investment``, the sum of its qualifying
        rows (a subquery: no repeated rows, whatever else is joined)."""
        total = (
            DeclaredInvestment.objects.filter(application_id=models.OuterRef("pk"), qualifying=True)
            .order_by()
            .values("application_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money_field = money("")
        return self.annotate(
            qualifying_investment=Coalesce(
                models.Subquery(total, output_field=money_field),
                models.Value(Decimal("0.00")),
                output_field=money_field,
            )
        )


class CertificationApplication(DomainModel):
    """An enterprise's application to be certified, and the certificate it becomes."""

    access_organization_paths = ("enterprise",)
    attachable = True

    enterprise = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="certification_applications",
        verbose_name=_("enterprise"),
    )
    number = models.CharField(_("number"), max_length=40, editable=False)
    statement = models.TextField(
        _("self-declaration"),
        max_length=LONG_TEXT,
        blank=True,  # a draft may wait for it; submitting needs it
        help_text=_("How the enterprise takes part in education, in its own words."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.DRAFT,
    )
    reviewer = models.ForeignKey(
        "associations.Entrustment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certifications",
        verbose_name=_("reviewed under the entrustment"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, validators=[validate_portal_date]
    )
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, validators=[validate_portal_date]
    )
    reasons = models.TextField(
        _("reasons"),
        max_length=NOTE_TEXT,
        blank=True,
        help_text=_("Why it was refused or revoked."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certification_number_unique"),
            models.CheckConstraint(
                condition=~Q(status__in=["certified", "expired", "revoked"])
                | Q(valid_from__isnull=False, valid_until__isnull=False),
                name="certification_has_validity",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="certification_validity_in_order",
            ),
            # One live application or certificate per enterprise at a time.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["draft", "submitted", "under_review", "certified"]),
                name="certification_one_live_per_enterprise",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="certification_status_until"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("certification-detail", args=[self.pk])

    @property
    def has_certificate(self) -> bool:
        return self.status in CERTIFICATE_STATUSES

    def attachments_changeable_by(self, user) -> bool:
        """The enterprise's admins and staff, until the review starts: what is reviewed
        stays as it was submitted."""
        from ..services.certifications import acts_for_enterprise

        return self.status in (
            CertificationStatus.DRAFT,
            CertificationStatus.SUBMITTED,
        ) and acts_for_enterprise(user, self)

    def is_valid_on(self, day) -> bool:
        return (
            self.status == CertificationStatus.CERTIFIED
            and self.valid_from is not None
            and self.valid_from <= day <= self.valid_until
        )


class DeclaredInvestment(models.Model):
    """What the enterprise invested in education in a year, by kind."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.CASCADE, related_name="investments"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvestmentKind.choices)
    amount = money(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    qualifying = models.BooleanField(
        _("qualifying"),
        default=True,
        help_text=_("Counts toward the surtax credit (investment in vocational education)."),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        ordering = ["application", "year", "kind", "pk"]
        verbose_name = _("declared investment")
        verbose_name_plural = _("declared investments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="declared_investment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}: {self.amount}"
