"""Nominations of students to placements, with the gates before starting and the
evaluations at the end."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from portal.access import AccessQuerySet, organization_ids, sees_everything
from portal.dates import validate_portal_date
from portal.limits import NOTE_TEXT
from portal.models import Attachment, DomainModel

from .placements import InsurancePayer, Placement
from .students import PHONE_VALIDATOR, Student

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
