"""Practice bases (实习实训基地) and the internship placements (实习岗位) enterprises post.

Students (a college's records) are nominated to placements by their college; the host
decides; a placement keeps ``filled_slots`` (accepted, started and completed nominations)
under a CHECK constraint. Gates before starting and the evaluations at the end are kept
on the nomination. Teacher secondments (教师企业实践) record a college's teachers' time in
enterprises.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization, OrganizationKind
from partnerships.models import AgreementParty, AgreementStatus
from portal import access
from portal.access import AccessQuerySet, organization_ids, sees_everything
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import Attachment, DomainModel
from portal.roles import Role

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
        return self.filter(
            Q(host_id__in=ids)
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


# --- nominations -------------------------------------------------------------------


class NominationStatus(models.TextChoices):
    # Contexts: funding's applications use the same English words for other steps.
    NOMINATED = "nominated", pgettext_lazy("nomination", "Nominated")
    SHORTLISTED = "shortlisted", pgettext_lazy("nomination", "Shortlisted")
    OFFERED = "offered", pgettext_lazy("nomination", "Offered")
    ACCEPTED = "accepted", pgettext_lazy("nomination", "Accepted")
    DECLINED = "declined", pgettext_lazy("nomination", "Declined")
    STARTED = "started", pgettext_lazy("nomination", "Started")
    COMPLETED = "completed", pgettext_lazy("nomination", "Completed")
    REJECTED = "rejected", pgettext_lazy("nomination", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("nomination", "Withdrawn")


# A nomination in one of these takes one of the placement's slots.
SLOT_STATUSES = (NominationStatus.ACCEPTED, NominationStatus.STARTED, NominationStatus.COMPLETED)
# The student holds the placement: no other placement with overlapping dates.
HOLDING_STATUSES = (NominationStatus.ACCEPTED, NominationStatus.STARTED)
# Still in play: one such nomination per student and placement.
OPEN_STATUSES = (
    NominationStatus.NOMINATED,
    NominationStatus.SHORTLISTED,
    NominationStatus.OFFERED,
    NominationStatus.ACCEPTED,
    NominationStatus.STARTED,
)
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class NominationQuerySet(AccessQuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """The nominating college's members, the host's members, and government."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        ids = list(organization_ids(user))
        if not ids:
            return self.none()
        return self.filter(Q(college_id__in=ids) | Q(placement__host_id__in=ids))


class Nomination(DomainModel):
    """A college's nomination of one of its students to a placement open to it.

    The host shortlists, offers or rejects; the college records the student's answer
    (accepting takes a slot, under the placement's lock and CHECK), the gates before
    starting (tripartite agreement, guardian's consent under 18, liability insurance,
    tracking teacher and enterprise guide), and both sides evaluate before completing.
    Documents (the signed agreement's scan, consents) are attachments of the nomination
    that the fields below point to.
    """

    access_organization_paths = ("college", "placement__host")
    attachable = True

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("placement")
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("student")
    )
    # The student's college, kept here so that access and lists need no join.
    college = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("college"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    note = models.TextField(_("note from the college"), max_length=NOTE_TEXT, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    reason = models.TextField(
        _("reason"),
        max_length=NOTE_TEXT,
        blank=True,
        help_text=_("Why it was rejected, declined or withdrawn."),
    )
    student_consent = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student's consent"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    ended_at = models.DateTimeField(
        _("ended at"),
        null=True,
        blank=True,
        help_text=_("When it was rejected, declined or withdrawn."),
    )
    # Gates before starting.
    tripartite_signed_on = models.DateField(
        _("tripartite agreement signed on"),
        null=True,
        blank=True,
        validators=[validate_portal_date],
    )
    tripartite_scan = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed tripartite agreement (scan)"),
    )
    guardian_consent = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardian's consent"),
    )
    insurer = models.CharField(_("insurer"), max_length=100, blank=True)
    policy_number = models.CharField(_("policy number"), max_length=60, blank=True)
    policy_start = models.DateField(
        _("policy starts"), null=True, blank=True, validators=[validate_portal_date]
    )
    policy_end = models.DateField(
        _("policy ends"), null=True, blank=True, validators=[validate_portal_date]
    )
    policy_paid_by = models.CharField(
        _("premium paid by"),
        max_length=20,
        blank=True,
        choices=[
            (InsurancePayer.ENTERPRISE.value, InsurancePayer.ENTERPRISE.label),
            (InsurancePayer.COLLEGE.value, InsurancePayer.COLLEGE.label),
        ],
    )
    tracking_teacher_name = models.CharField(_("tracking teacher"), max_length=100, blank=True)
    tracking_teacher_phone = models.CharField(
        _("tracking teacher's phone"), max_length=30, blank=True, validators=[PHONE_VALIDATOR]
    )
    guide_name = models.CharField(
        _("enterprise guide"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for the placement's guide."),
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "student"],
                condition=Q(status__in=OPEN_STATUSES),
                name="nomination_one_open_per_student",
            ),
            models.CheckConstraint(
                condition=Q(policy_start__isnull=True)
                | Q(policy_end__isnull=True)
                | Q(policy_end__gte=models.F("policy_start")),
                name="nomination_policy_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(policy_paid_by=InsurancePayer.STUDENT),
                name="nomination_policy_not_paid_by_student",
            ),
        ]
        indexes = [
            models.Index(fields=["placement", "status"], name="nomination_placement_status"),
            models.Index(fields=["college", "status"], name="nomination_college_status"),
            models.Index(fields=["student", "status"], name="nomination_student_status"),
            models.Index(fields=["status", "-created_at"], name="nomination_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.student.name} · {self.placement.title}"

    def get_absolute_url(self) -> str:
        return reverse("nomination-detail", args=[self.pk])

    @property
    def named_guide(self) -> str:
        return self.guide_name or self.placement.guide_name

    def attachment_in_use(self, attachment) -> str:
        """What the file stands for, if the nomination points to it (so that it stays);
        else an empty string."""
        uses = {
            self.student_consent_id: self._meta.get_field("student_consent").verbose_name,
            self.tripartite_scan_id: self._meta.get_field("tripartite_scan").verbose_name,
            self.guardian_consent_id: self._meta.get_field("guardian_consent").verbose_name,
        }
        uses.pop(None, None)
        return str(uses.get(attachment.pk, ""))

    def clean(self) -> None:
        if self.policy_start and self.policy_end and self.policy_end < self.policy_start:
            raise ValidationError({"policy_end": _("The policy ends before it starts.")})

    def history_related(self):
        return [
            (
                lambda record: _("Evaluation: %(role)s") % {"role": record.get_role_display()},
                Evaluation.history.filter(nomination_id=self.pk),
            )
        ]


# --- evaluations -------------------------------------------------------------------


class EvaluatorRole(models.TextChoices):
    GUIDE = "guide", _("Enterprise guide")
    TEACHER = "teacher", _("Tracking teacher")


EVALUATION_CRITERIA = ("attendance", "skills", "attitude", "safety")
BASE_RATING_CRITERIA = ("base_safety", "base_guidance", "base_conditions")


def _scores_in_range(names) -> Q:
    condition = Q()
    for name in names:
        condition &= Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5})
    return condition


def _optional_scores_in_range(names) -> Q:
    condition = Q()
    for name in names:
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1}) & Q(
            **{f"{name}__lte": 5}
        )
    return condition


class Evaluation(DomainModel):
    """The enterprise guide's or the tracking teacher's evaluation of an intern: scores
    of 1 to 5 on set criteria, and comments. The teacher also rates the practice base
    the internship was at (safety, guidance, conditions), when it was at one."""

    access_organization_paths = ("nomination__college", "nomination__placement__host")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evaluations")
    role = models.CharField(_("evaluated by"), max_length=20, choices=EvaluatorRole.choices)
    evaluator_name = models.CharField(_("evaluator's name"), max_length=100)
    attendance = models.PositiveSmallIntegerField(_("attendance and discipline"), validators=SCORE)
    skills = models.PositiveSmallIntegerField(_("professional skills"), validators=SCORE)
    attitude = models.PositiveSmallIntegerField(_("work attitude"), validators=SCORE)
    safety = models.PositiveSmallIntegerField(_("safety awareness"), validators=SCORE)
    comments = models.TextField(_("comments"), max_length=NOTE_TEXT, blank=True)
    base_safety = models.PositiveSmallIntegerField(
        _("base: safety"), null=True, blank=True, validators=SCORE
    )
    base_guidance = models.PositiveSmallIntegerField(
        _("base: guidance"), null=True, blank=True, validators=SCORE
    )
    base_conditions = models.PositiveSmallIntegerField(
        _("base: conditions"), null=True, blank=True, validators=SCORE
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
        ordering = ["role"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "role"], name="evaluation_one_per_role"),
            models.CheckConstraint(
                condition=_scores_in_range(EVALUATION_CRITERIA), name="evaluation_scores_range"
            ),
            models.CheckConstraint(
                condition=_optional_scores_in_range(BASE_RATING_CRITERIA),
                name="evaluation_base_scores_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.nomination_id}"

    @property
    def average(self) -> Decimal:
        scores = [getattr(self, name) for name in EVALUATION_CRITERIA]
        return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"))


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
