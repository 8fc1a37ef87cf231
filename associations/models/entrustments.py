"""Work a government department entrusts to an industry association (政府委托): its scope
(the organizations, and the kinds of their records, the association may read for it),
deliverables with due dates, and every read of a record through the scope."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel, money

# The kinds of record an entrustment's scope may open to the association, by model
# label. Students' records are never among them (their personal details stay with
# their college).
SCOPE_KINDS: dict[str, str] = {
    "partnerships.agreement": _("Agreements"),
    "partnerships.partnership": _("Partnerships"),
    "funding.fundapplication": _("Fund applications"),
    "internships.practicebase": _("Practice bases"),
    "internships.placement": _("Internship placements"),
    "internships.secondment": _("Teacher secondments"),
    "associations.certificationapplication": _("Certification applications"),
}


# Where each kind of record is shown (the access log links to it).
SCOPE_URL_NAMES: dict[str, str] = {
    "partnerships.agreement": "agreement-detail",
    "partnerships.partnership": "partnership-detail",
    "funding.fundapplication": "fund-application-detail",
    "internships.practicebase": "practice-base-detail",
    "internships.placement": "placement-detail",
    "internships.secondment": "secondment-detail",
    "associations.certificationapplication": "certification-detail",
}


class EntrustmentKind(models.TextChoices):
    FORECAST = "forecast", _("Talent-demand forecast")
    STANDARD = "standard", _("Specialty or training standard")
    EVALUATION = "evaluation", _("Quality evaluation of cooperation")
    CERTIFICATION = "certification", _("Certification review")
    SKILLS = "skills", _("Skills assessment")
    OTHER = "other", _("Other")


class EntrustmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    # Taken on by the association (not "approved", which the department does at the end).
    ACCEPTED = "accepted", pgettext_lazy("entrustment", "Accepted")
    DECLINED = "declined", _("Declined")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


# While an entrustment is in one of these, between its dates, the association reads the
# records in its scope.
OPEN_STATUSES = (
    EntrustmentStatus.ACCEPTED,
    EntrustmentStatus.DELIVERED,
    EntrustmentStatus.RETURNED,
)


class Entrustment(DomainModel):
    """A department's entrustment of work to an association: what, for how much, from
    when to when, on which records, and what is to be delivered."""

    access_organization_paths = ("department", "association")
    attachable = True

    department = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="entrustments_given",
        verbose_name=_("department"),
    )
    association = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="entrustments_taken",
        verbose_name=_("association"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EntrustmentKind.choices)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    amount = money(
        _("amount"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the department pays for the work, if anything."),
    )
    start_date = models.DateField(_("start date"), validators=[validate_portal_date])
    end_date = models.DateField(_("end date"), validators=[validate_portal_date])
    scope_organizations = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("organizations in scope"),
    )
    scope_kinds = models.JSONField(
        _("kinds of record in scope"),
        default=list,
        blank=True,
        help_text=_("The kinds of record of those organizations the association may read."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EntrustmentStatus.choices,
        default=EntrustmentStatus.PROPOSED,
    )
    comments = models.TextField(_("comments on the delivery"), max_length=NOTE_TEXT, blank=True)
    reason = models.TextField(_("reason"), max_length=NOTE_TEXT, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("entrustment")
        verbose_name_plural = _("entrustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="entrustment_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="entrustment_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status"], name="entrustment_assoc_status"),
            models.Index(fields=["department", "status"], name="entrustment_dept_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("entrustment-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """The department's and the association's admins and staff (the brief, the
        contract, the report)."""
        from ..services.entrustments import acts_for_association, acts_for_department

        return acts_for_department(user, self) or acts_for_association(user, self)

    def scope_kind_labels(self) -> list[str]:
        return [str(SCOPE_KINDS[kind]) for kind in self.scope_kinds if kind in SCOPE_KINDS]


class Deliverable(DomainModel):
    """Something the association owes under the entrustment, by a date; delivered with
    files attached."""

    access_organization_paths = ("entrustment__department", "entrustment__association")
    attachable = True

    entrustment = models.ForeignKey(
        Entrustment,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("entrustment"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[validate_portal_date])
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["entrustment", "due_date", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        indexes = [models.Index(fields=["due_date"], name="deliverable_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliverable-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """The association's admins and staff, while the work is being done or redone."""
        from ..services.entrustments import can_attach_to_deliverable

        return can_attach_to_deliverable(user, self)


class ScopedReadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The log is the department's to read (and government's), and the
        association's own."""
        from portal import access

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self
        ids = list(access.organization_ids(user))
        return self.filter(
            Q(entrustment__department_id__in=ids) | Q(entrustment__association_id__in=ids)
        )


class ScopedRead(models.Model):
    """A record read by a member of the association through an entrustment's scope: who,
    which record, when."""

    entrustment = models.ForeignKey(
        Entrustment, on_delete=models.CASCADE, related_name="reads", verbose_name=_("entrustment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("read by"),
    )
    record_kind = models.CharField(_("kind of record"), max_length=100)
    record_id = models.BigIntegerField(_("record id"))
    record_name = models.CharField(_("record"), max_length=255)
    read_at = models.DateTimeField(_("read at"), auto_now_add=True, db_index=True)

    objects = ScopedReadQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at", "-pk"]
        verbose_name = _("read through an entrustment")
        verbose_name_plural = _("reads through entrustments")
        indexes = [models.Index(fields=["entrustment", "-read_at"], name="scoped_read_recent")]

    def __str__(self) -> str:
        return f"{self.record_name} · {self.read_at}"

    @property
    def record_kind_label(self) -> str:
        return str(SCOPE_KINDS.get(self.record_kind, self.record_kind))

    @property
    def record_url(self) -> str:
        """The record's page (its reader still needs to see it: else a 404)."""
        name = SCOPE_URL_NAMES.get(self.record_kind)
        return reverse(name, args=[self.record_id]) if name else ""
