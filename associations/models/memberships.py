"""An association's members: membership types with their annual dues, memberships whose
status follows from their dates, renewals that extend them, and dues paid."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.access import AccessQuerySet
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel, money
from portal.roles import WRITE_ROLES

# A membership stays in good standing this many days after its end, for the renewal.
GRACE_DAYS = 30


class MembershipType(DomainModel):
    """A kind of membership an association offers (council member, ordinary member, …),
    with its annual dues."""

    access_organization_paths = ("association",)

    association = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="membership_types",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=100)
    annual_dues = money(_("annual dues"), validators=[MinValueValidator(Decimal("0"))])
    description = models.TextField(_("description"), max_length=NOTE_TEXT, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["association", "name"]
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="membership_type_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(annual_dues__gte=0), name="membership_type_dues_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("membership-type-detail", args=[self.pk])


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("In grace")
    LAPSED = "lapsed", _("Lapsed")


def status_on(start: date, end: date, today: date) -> str:
    """Pending before the start, active to the end, in grace for 30 days after it, then
    lapsed."""
    if today < start:
        return MembershipStatus.PENDING
    if today <= end:
        return MembershipStatus.ACTIVE
    if today <= end + timedelta(days=GRACE_DAYS):
        return MembershipStatus.GRACE
    return MembershipStatus.LAPSED


def status_condition(status: str, today: date) -> Q:
    """The memberships in the status on the day, as a condition on their dates (served
    by the indexes on the dates)."""
    grace_from = today - timedelta(days=GRACE_DAYS)
    return {
        MembershipStatus.PENDING: Q(start_date__gt=today),
        MembershipStatus.ACTIVE: Q(start_date__lte=today, end_date__gte=today),
        MembershipStatus.GRACE: Q(end_date__lt=today, end_date__gte=grace_from),
        MembershipStatus.LAPSED: Q(end_date__lt=grace_from),
    }[status]


class MembershipQuerySet(AccessQuerySet):
    def in_status(self, status: str, today: date | None = None):
        return self.filter(status_condition(status, today or timezone.localdate()))

    def without_successor(self):
        """Those not followed by a later membership of the same member in the same
        association: one renewed by a new membership needs no reminder to renew."""
        later = AssociationMembership.objects.filter(
            association_id=OuterRef("association_id"),
            member_id=OuterRef("member_id"),
            start_date__gt=OuterRef("end_date"),
        )
        return self.exclude(Exists(later))


class AssociationMembership(DomainModel):
    """A college's or an enterprise's membership of an association, from its start to
    its end; renewals extend the end. Kept by the association's admins and staff; the
    member organization reads it."""

    access_organization_paths = ("association", "member")
    attachable = True

    association = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="association_memberships",
        verbose_name=_("association"),
    )
    member = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="memberships_of_associations",
        verbose_name=_("member"),
    )
    membership_type = models.ForeignKey(
        MembershipType,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("membership type"),
    )
    number = models.CharField(_("membership number"), max_length=40, editable=False)
    start_date = models.DateField(_("start date"), validators=[validate_portal_date])
    end_date = models.DateField(_("end date"), validators=[validate_portal_date])
    notes = models.TextField(_("notes"), max_length=LONG_TEXT, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["association", "member__name", "-start_date"]
        verbose_name = _("association membership")
        verbose_name_plural = _("association memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="membership_dates_in_order"
            ),
            models.UniqueConstraint(fields=["number"], name="membership_number_unique"),
        ]
        indexes = [
            models.Index(fields=["association", "end_date"], name="membership_assoc_end"),
            models.Index(fields=["member", "end_date"], name="membership_member_end"),
            models.Index(fields=["association", "start_date"], name="membership_assoc_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.association}"

    def get_absolute_url(self) -> str:
        return reverse("association-membership-detail", args=[self.pk])

    @property
    def status(self) -> str:
        return status_on(self.start_date, self.end_date, timezone.localdate())

    def get_status_display(self) -> str:
        return MembershipStatus(self.status).label

    @property
    def grace_ends(self) -> date:
        return self.end_date + timedelta(days=GRACE_DAYS)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date comes before the start date.")})

    def attachments_changeable_by(self, user) -> bool:
        """The files are the association's admins' and staff's to keep (the member
        reads them)."""
        return bool(getattr(user, "is_superuser", False)) or self.association_id in (
            access.organization_ids(user, WRITE_ROLES)
        )

    def history_related(self):
        """The dues payments' history belongs on the membership's History tab."""
        return [
            (
                lambda record: _("Dues payment of %(date)s") % {"date": record.paid_on},
                DuesPayment.history.filter(membership_id=self.pk),
            )
        ]


class MembershipRenewal(models.Model):
    """One renewal: the end it moved from and to, and who renewed."""

    membership = models.ForeignKey(
        AssociationMembership, on_delete=models.CASCADE, related_name="renewals"
    )
    previous_end = models.DateField(_("previous end"))
    new_end = models.DateField(_("new end"))
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("renewed by"),
    )
    renewed_at = models.DateTimeField(_("renewed at"), auto_now_add=True)

    class Meta:
        ordering = ["membership", "renewed_at", "pk"]
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end__gt=F("previous_end")), name="renewal_extends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.previous_end} → {self.new_end}"


class DuesPayment(DomainModel):
    """Dues paid by the member (recorded by the association; no online payment)."""

    access_organization_paths = ("membership__association", "membership__member")

    membership = models.ForeignKey(
        AssociationMembership,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("membership"),
    )
    amount = money(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("paid on"), validators=[validate_portal_date])
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The bank or receipt reference.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_positive"),
        ]
        indexes = [models.Index(fields=["membership", "-paid_on"], name="dues_membership_paid")]

    def __str__(self) -> str:
        return f"{self.membership} · {self.amount} · {self.paid_on}"
