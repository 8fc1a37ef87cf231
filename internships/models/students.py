"""A college's students, kept by its admins and staff and by its campus system."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.access import AccessQuerySet, sees_everything
from portal.dates import validate_portal_date
from portal.models import DomainModel

# --- students ----------------------------------------------------------------------


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    SUSPENDED = "suspended", _("Suspended")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EARLIEST_ENROLMENT_YEAR = 1990
LATEST_ENROLMENT_YEAR = 2100
# Digits, spaces, and + - ( ) as people write phone numbers ("0571-8800 1234").
PHONE_VALIDATOR = RegexValidator(
    r"^[0-9+()\- ]*$", _("Use digits, spaces and + - ( ) only."), code="invalid_phone"
)


class StudentQuerySet(AccessQuerySet):
    def visible_to(self, user) -> StudentQuerySet:
        """The student's own college (every member), government (oversight), and a
        host enterprise's members for the students nominated to its placements (whom
        they see without personal details: name, specialty, year and college)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        grants = access.grants(user)
        if not grants:
            return self.none()
        own = Q(college_id__in=list(grants))
        hosts = [
            org_id for org_id, grant in grants.items() if grant.kind != OrganizationKind.COLLEGE
        ]
        if not hosts:
            return self.filter(own)  # a college's members: the college_id index alone
        from .nominations import Nomination  # nominations build on students

        nominated = Exists(
            Nomination.objects.filter(student_id=OuterRef("pk"), placement__host_id__in=hosts)
        )
        return self.filter(own | nominated)


class Student(DomainModel):
    """A college's student record, kept by its admins and staff (pages, CSV import) and
    by its campus system (the API, ``students/bulk-upsert/``).

    Personal details (``PERSONAL_FIELDS``: date of birth, phone, email, guardian) are
    shown only to members of the student's own college: government oversight sees the
    record without them (pages leave them out, the API omits the keys), and a host
    enterprise sees only the students nominated to its placements, and of them only the
    name, number, specialty, enrolment year and college. The portal keeps no national
    ID numbers.
    """

    PERSONAL_FIELDS = ("date_of_birth", "phone", "email", "guardian_name", "guardian_phone")

    access_organization_paths = ("college",)

    college = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="students",
        limit_choices_to={"kind": OrganizationKind.COLLEGE},
        verbose_name=_("college"),
    )
    student_number = models.CharField(
        _("student number"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z_\-]*$",
                _("Use letters, digits, - and _ only."),
                code="invalid_student_number",
            )
        ],
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    specialty = models.CharField(_("specialty"), max_length=100)
    class_name = models.CharField(_("class"), max_length=100, blank=True)
    enrolment_year = models.PositiveSmallIntegerField(
        _("enrolment year"),
        validators=[
            MinValueValidator(EARLIEST_ENROLMENT_YEAR),
            MaxValueValidator(LATEST_ENROLMENT_YEAR),
        ],
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_portal_date]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[PHONE_VALIDATOR])
    email = models.EmailField(_("email"), max_length=254, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=100, blank=True)
    guardian_phone = models.CharField(
        _("guardian's phone"), max_length=30, blank=True, validators=[PHONE_VALIDATOR]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.ENROLLED
    )

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["student_number"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["college", "student_number"], name="student_number_unique_in_college"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_year__gte=EARLIEST_ENROLMENT_YEAR)
                & Q(enrolment_year__lte=LATEST_ENROLMENT_YEAR),
                name="student_enrolment_year_range",
            ),
        ]
        indexes = [
            # The list's search is a prefix match on the name or the number: these
            # pattern indexes serve ``LIKE 'x%'`` on PostgreSQL (other databases ignore
            # the operator class and get a plain index).
            models.Index(
                fields=["name"], name="student_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["student_number"],
                name="student_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.student_number})"

    def get_absolute_url(self) -> str:
        return reverse("student-detail", args=[self.pk])
