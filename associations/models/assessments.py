"""Assessments: an association (under an entrustment) or a government department rates
an organization, a partnership, a practice base, an agreement's fulfilment or an
enterprise's certification application on a rubric, with evidence drawn from the
portal's records. Draft → published; the assessed organization reads published results
and may answer them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet, organization_ids, sees_everything
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel

MAX_CRITERIA = 30
MAX_EVIDENCE = 100


SUBJECTS = ("partnership", "practice_base", "agreement", "certification")


def one_subject_at_most() -> Q:
    """At most one of the narrower subjects is set."""
    condition = Q()
    for kept in (None, *SUBJECTS):
        condition |= Q(**{f"{name}__isnull": True for name in SUBJECTS if name != kept})
    return condition


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AssessmentQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The assessor's members always; the assessed organization's members once it is
        published; government everything."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_everything(user):
            return self
        ids = list(organization_ids(user))
        if not ids:
            return self.none()
        return self.filter(
            Q(assessor_id__in=ids) | Q(status=AssessmentStatus.PUBLISHED, organization_id__in=ids)
        )


class Assessment(DomainModel):
    """A rated assessment of one subject: ``organization`` is always the organization
    assessed (for a partnership its lead, for a practice base its host, for an
    agreement the party assessed, for a certification the enterprise); at most one of
    ``partnership``, ``practice_base``, ``agreement`` and ``certification`` narrows it."""

    access_organization_paths = ("assessor", "organization")
    attachable = True

    assessor = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="assessments_made",
        verbose_name=_("assessor"),
    )
    entrustment = models.ForeignKey(
        "associations.Entrustment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("under the entrustment"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("organization assessed"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )
    practice_base = models.ForeignKey(
        "internships.PracticeBase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice base"),
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement's fulfilment"),
    )
    certification = models.ForeignKey(
        "associations.CertificationApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("certification application"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=LONG_TEXT, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    score = models.DecimalField(
        _("overall score (0–100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The weighted score, fixed when published."),
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

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=one_subject_at_most(),
                name="assessment_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="assessment_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-published_at"], name="assessment_org"),
            models.Index(fields=["assessor", "status"], name="assessment_assessor"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """The assessor's admins and staff, while it is a draft."""
        from ..services.assessments import can_attach_to_assessment

        return can_attach_to_assessment(user, self)


class AssessmentCriterion(models.Model):
    """One line of the rubric: its weight, the highest score, the score given and a
    comment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    comment = models.TextField(_("comment"), max_length=NOTE_TEXT, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="assessment_criterion_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentEvidence(models.Model):
    """A record of the portal the assessment rests on, as the assessor saw it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    record_kind = models.CharField(_("kind of record"), max_length=100)
    record_id = models.BigIntegerField(_("record id"))
    record_name = models.CharField(_("record"), max_length=255)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "record_kind", "record_id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "record_kind", "record_id"], name="assessment_evidence_once"
            ),
        ]

    def __str__(self) -> str:
        return self.record_name


class AssessmentResponse(DomainModel):
    """The assessed organization's answer to a published assessment (files attached)."""

    access_organization_paths = ("assessment__assessor", "assessment__organization")
    attachable = True

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="response")
    text = models.TextField(_("response"), max_length=LONG_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    class Meta:
        verbose_name = _("response to an assessment")
        verbose_name_plural = _("responses to assessments")

    def __str__(self) -> str:
        return f"{self.assessment} · {_('response')}"

    def get_absolute_url(self) -> str:
        return reverse("assessment-response-detail", args=[self.pk])

    def attachments_changeable_by(self, user) -> bool:
        """The assessed organization's admins and staff: the response is theirs."""
        from ..services.assessments import can_attach_to_response

        return can_attach_to_response(user, self)
