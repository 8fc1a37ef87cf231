"""Teacher secondments (教师企业实践): a college's teachers' practice in enterprises."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal import access
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT
from portal.models import DomainModel
from portal.roles import Role

# --- teacher secondments -----------------------------------------------------------

# Specialty teachers spend at least six months in enterprises every five years (the
# 2016 《职业学校教师企业实践规定》, art. 3), counted here as 180 days.
SECONDMENT_DAYS_REQUIRED = 180
SECONDMENT_WINDOW_YEARS = 5


class Secondment(DomainModel):
    """A teacher's practice in an enterprise (教师企业实践), recorded by the college's
    admins: who, where, when, how many days, what they did; evidence as attachments.
    The host enterprise's members see the secondments it hosted."""

    access_organization_paths = ("college", "host")
    attachable = True

    college = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="secondments",
        verbose_name=_("college"),
    )
    teacher_name = models.CharField(_("teacher"), max_length=100)
    teacher_number = models.CharField(
        _("staff number"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z_\-]*$",
                _("Use letters, digits, - and _ only."),
                code="invalid_staff_number",
            )
        ],
        help_text=_("The college's number for the teacher: their days are counted by it."),
    )
    specialty_teacher = models.BooleanField(
        _("specialty teacher"),
        default=True,
        help_text=_("Specialty teachers owe 180 days in enterprises every five years."),
    )
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="hosted_secondments",
        verbose_name=_("host enterprise"),
    )
    start_date = models.DateField(_("start date"), validators=[validate_portal_date])
    end_date = models.DateField(_("end date"), validators=[validate_portal_date])
    days = models.PositiveSmallIntegerField(
        _("days"),
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Days actually spent at the enterprise."),
    )
    activities = models.TextField(_("what they did"), max_length=LONG_TEXT)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("teacher secondment")
        verbose_name_plural = _("teacher secondments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="secondment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=366), name="secondment_days_range"
            ),
        ]
        indexes = [
            models.Index(fields=["college", "teacher_number"], name="secondment_teacher"),
            models.Index(fields=["college", "-start_date"], name="secondment_college_start"),
            models.Index(fields=["host", "-start_date"], name="secondment_host_start"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_name} · {self.host}"

    def get_absolute_url(self) -> str:
        return reverse("secondment-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """The evidence is the college admins' to keep (the host reads it)."""
        return bool(getattr(user, "is_superuser", False)) or self.college_id in (
            access.organization_ids(user, {Role.ADMIN})
        )

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("The end date comes before the start date.")
            elif self.days and self.days > (self.end_date - self.start_date).days + 1:
                errors["days"] = _("More days than the dates span.")
        if errors:
            raise ValidationError(errors)
