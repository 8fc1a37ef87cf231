"""Government funds for cooperation: programs, applications, reviews, awards, tranches
and progress reports. Money is Decimal(14, 2) CNY; every total that must stay within a
limit is also a database CHECK, so no update can overspend, whatever path it takes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Membership, Organization, OrganizationKind
from partnerships.models import Partnership
from portal import access
from portal.access import AccessQuerySet
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, NOTE_TEXT
from portal.models import DomainModel, money

ZERO = Decimal("0.00")


class FundingSource(models.TextChoices):
    SPECIAL_FUND = "special_fund", _("Special fund")
    EDUCATION_SURTAX = "education_surtax", _("Education surtax")
    LOCAL_FINANCE = "local_finance", _("Local finance")
    ENTERPRISE_COFUNDING = "enterprise_cofunding", _("Enterprise co-funding")
    OTHER = "other", _("Other")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("program status", "Open")
    CLOSED = "closed", _("Closed")
    FINALIZED = "finalized", _("Finalized")


class FundProgramQuerySet(AccessQuerySet):
    def visible_to(self, user) -> FundProgramQuerySet:
        """Open, closed and finalized programs are public to signed-in users; drafts
        only to their own department."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            ~Q(status=ProgramStatus.DRAFT) | Q(department_id__in=access.organization_ids(user))
        )


class FundProgram(DomainModel):
    """A call for applications, funded from one source, with a budget and review criteria."""

    access_organization_paths = ("department",)
    attachable = True

    department = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="fund_programs",
        verbose_name=_("department"),
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    funding_source = models.CharField(
        _("funding source"), max_length=30, choices=FundingSource.choices
    )
    total_budget = money(_("total budget"), validators=[MinValueValidator(Decimal("0.01"))])
    max_award = money(_("maximum award"), validators=[MinValueValidator(Decimal("0.01"))])
    eligible_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        help_text=_("Organization kinds that may apply: college, enterprise, association."),
    )
    opens_on = models.DateField(_("applications open on"), validators=[validate_portal_date])
    closes_on = models.DateField(_("applications close on"), validators=[validate_portal_date])
    max_open_applications = models.PositiveSmallIntegerField(
        _("open applications per organization"),
        default=1,
        validators=[MinValueValidator(1)],
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("reviews needed before a decision"), default=2, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    # Kept by the services under a row lock; the CHECKs below hold them to the budget.
    committed = money(_("committed"), default=ZERO, editable=False)
    released = money(_("released"), default=ZERO, editable=False)

    objects = FundProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("fund program")
        verbose_name_plural = _("fund programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("total_budget")),
                name="program_committed_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(released__gte=0) & Q(released__lte=F("committed")),
                name="program_released_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(max_award__lte=F("total_budget")),
                name="program_max_award_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="program_window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fund-program-detail", args=[self.pk])

    @property
    def remaining(self) -> Decimal:
        return self.total_budget - self.committed


class ProgramPartQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramPartQuerySet:
        """A program's criteria, questions and indicators are seen by whoever sees it."""
        return self.filter(program__in=FundProgram.objects.visible_to(user).values("pk"))


ReviewCriterionQuerySet = ProgramPartQuerySet


class ReviewCriterion(DomainModel):
    """One thing reviewers score, with its weight in the weighted score."""

    access_organization_paths = ("program__department",)

    program = models.ForeignKey(FundProgram, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it looks at"), max_length=NOTE_TEXT, blank=True)
    guidance = models.TextField(
        _("scoring guidance"),
        max_length=NOTE_TEXT,
        blank=True,
        help_text=_("What a low, a middle and a high score mean."),
    )
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgramPartQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Amount of money")
    DATE = "date", _("Date")
    CHOICE = "choice", _("One of a list")
    FILE = "file", _("File")


class ProgramQuestion(DomainModel):
    """A question a program adds to its application form, answered by every applicant."""

    access_organization_paths = ("program__department",)

    program = models.ForeignKey(FundProgram, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For “one of a list”: the options.")
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgramPartQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order", "pk"]
        verbose_name = _("program question")
        verbose_name_plural = _("program questions")

    def __str__(self) -> str:
        return self.label


class PerformanceIndicator(DomainModel):
    """What a program measures its awards by: a progress report gives each one's value."""

    access_organization_paths = ("program__department",)

    program = models.ForeignKey(FundProgram, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgramPartQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order", "pk"]
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FundApplicationQuerySet(AccessQuerySet):
    def visible_to(self, user) -> FundApplicationQuerySet:
        """A draft is its applicant's own: government reads an application once it has
        been submitted (a withdrawn draft never was), the applicant's members always."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        own = Q(applicant_id__in=access.organization_ids(user))
        if access.sees_everything(user):
            return self.filter(own | Q(submitted_at__isnull=False))
        return super().visible_to(user)


class FundApplication(DomainModel):
    """An organization's request for money from a program, with its budget lines."""

    access_organization_paths = ("applicant",)
    attachable = True

    program = models.ForeignKey(FundProgram, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="fund_applications",
        verbose_name=_("applicant"),
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=LONG_TEXT, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_applications",
        verbose_name=_("partnership funded"),
    )
    requested_amount = money(_("requested amount"), validators=[MinValueValidator(Decimal("0.01"))])
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reasons = models.TextField(
        _("reasons for the decision"), max_length=NOTE_TEXT, blank=True
    )
    weighted_score = models.DecimalField(
        _("weighted score"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The mean of the reviews' weighted scores."),
    )
    version = models.PositiveSmallIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("How many times it has been submitted; reviews name the version they read."),
    )
    info_request = models.TextField(
        _("information requested"), max_length=NOTE_TEXT, blank=True, editable=False
    )
    info_requested_at = models.DateTimeField(
        _("information requested at"), null=True, blank=True, editable=False
    )

    objects = FundApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("fund-application-detail", args=[self.pk])

    def history_actor_names(self, users, viewer) -> dict[int, str]:
        """Applicants see the department, not the officer, in the History tab: they
        must never learn who reviewed their application. One query, however many
        people the history names."""
        if viewer is not None and access.sees_everything(viewer):
            return {}
        applicants = set(
            Membership.objects.filter(organization_id=self.applicant_id).values_list(
                "user_id", flat=True
            )
        )
        department = self.program.department.name
        return {user.pk: department for user in users if user.pk not in applicants}

    def history_related(self):
        return [
            (
                lambda record: (
                    _("Budget line: %(description)s") % {"description": record.description}
                ),
                BudgetLine.history.filter(application_id=self.pk),
            )
        ]

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), ZERO)

    def attachment_in_use(self, attachment) -> str:
        """A file answering one of the program's questions stays while it does: the
        applicant replaces it on the application form."""
        answer = self.answers.filter(attachment=attachment).select_related("question").first()
        if answer is None:
            return ""
        return _("the answer to “%(question)s”") % {"question": answer.question.label}


class BudgetCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    PERSONNEL = "personnel", _("Personnel")
    TRAINING = "training", _("Training")
    MATERIALS = "materials", _("Materials")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class BudgetLine(DomainModel):
    access_organization_paths = ("application__applicant",)

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=255)
    amount = money(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class ApplicationPartQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationPartQuerySet:
        """Answers and submitted versions are seen by whoever sees their application."""
        return self.filter(application__in=FundApplication.objects.visible_to(user).values("pk"))


class ApplicationAnswer(DomainModel):
    """An applicant's answer to one of the program's questions, kept as text in a
    canonical form (a number as ``1234.5``, a date as ``2026-03-01``, a choice as the
    option); a file question's answer is one of the application's attachments."""

    access_organization_paths = ("application__applicant",)

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(ProgramQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("answer"), max_length=LONG_TEXT, blank=True)
    attachment = models.ForeignKey(
        "portal.Attachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("file"),
    )

    objects = ApplicationPartQuerySet.as_manager()

    class Meta:
        ordering = ["application", "question__order", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class ApplicationVersion(DomainModel):
    """What an application said when it was submitted (title, summary, amount, budget
    lines, answers), one per submission, so that reviews made on an earlier version
    stay readable and two submissions can be compared."""

    access_organization_paths = ("application__applicant",)

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    content = models.JSONField(_("content"), default=dict, editable=False)

    objects = ApplicationPartQuerySet.as_manager()

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} v{self.number}"


class GovernmentOnlyQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Government members (and superusers) only: applicants never see reviewers."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self if access.sees_everything(user) else self.none()


class ConflictOfInterest(DomainModel):
    """An officer's declared tie to an organization: it keeps them from reviewing or
    deciding that organization's applications."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
        verbose_name=_("officer"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    reason = models.CharField(_("nature of the tie"), max_length=255)

    objects = GovernmentOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["officer", "organization"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.organization}"

    def access_organization_ids(self) -> set[int]:
        # The officer's own government departments own the declaration.
        return set(access.organization_ids(self.officer))


class Recommendation(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_REDUCED = "fund_reduced", _("Fund a reduced amount")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")


class Review(DomainModel):
    """One reviewer's scores for one application; the weighted score is computed."""

    access_organization_paths = ("application__program__department",)

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fund_reviews",
        verbose_name=_("reviewer"),
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), max_length=NOTE_TEXT, blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=7, decimal_places=2, editable=False, default=ZERO
    )
    version = models.PositiveSmallIntegerField(_("version reviewed"), default=1, editable=False)

    objects = GovernmentOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.reviewer}"


class ReviewAssignment(DomainModel):
    """An officer asked by the program's admins to review an application by a date."""

    access_organization_paths = ("application__program__department",)

    application = models.ForeignKey(
        FundApplication, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fund_review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    due_date = models.DateField(_("review due by"), validators=[validate_portal_date])

    objects = GovernmentOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]
        indexes = [models.Index(fields=["reviewer", "due_date"], name="assignment_queue")]

    def __str__(self) -> str:
        return f"{self.application.reference} → {self.reviewer}"


class ReviewScore(DomainModel):
    access_organization_paths = ("review__application__program__department",)

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Award(DomainModel):
    """The money an approved application receives, paid out in tranches."""

    access_organization_paths = ("application__applicant",)
    attachable = True

    application = models.OneToOneField(
        FundApplication, on_delete=models.PROTECT, related_name="award"
    )
    program = models.ForeignKey(FundProgram, on_delete=models.PROTECT, related_name="awards")
    amount = money(_("amount awarded"), validators=[MinValueValidator(Decimal("0.01"))])
    # Kept by the services under a row lock; the CHECKs hold them to the award.
    tranched = money(_("planned in tranches"), default=ZERO, editable=False)
    released = money(_("released"), default=ZERO, editable=False)
    needs_budget_revision = models.BooleanField(
        _("budget to revise"),
        default=False,
        editable=False,
        help_text=_(
            "Set when the award is below the request: no tranche is released until the "
            "department accepts budget lines revised to the award."
        ),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(tranched__gte=0) & Q(tranched__lte=F("amount")),
                name="award_tranches_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(released__gte=0) & Q(released__lte=F("tranched")),
                name="award_released_within_tranches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("fund-application-detail", args=[self.application_id]) + "?tab=award"


class RevisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", pgettext_lazy("budget revision status", "Accepted")
    RETURNED = "returned", _("Returned")


class BudgetRevision(DomainModel):
    """Budget lines revised by the awardee to an award below the request, accepted or
    returned by the department. ``lines`` is a list of ``{"category", "description",
    "amount"}`` adding up to the award; accepting one replaces the application's lines."""

    access_organization_paths = ("award__application__applicant",)

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="budget_revisions")
    lines = models.JSONField(_("revised lines"), default=list)
    note = models.TextField(_("what changed and why"), max_length=NOTE_TEXT, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("department's comments"), max_length=NOTE_TEXT, blank=True)

    class Meta:
        ordering = ["award", "-created_at"]
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")

    def __str__(self) -> str:
        return f"{self.award.application.reference} · {self.get_status_display()}"


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RELEASED = "released", _("Released")
    CANCELLED = "cancelled", _("Cancelled")


class TrancheQuerySet(AccessQuerySet):
    def with_evidence(self) -> TrancheQuerySet:
        """Annotate ``has_evidence``: whether any file is attached, in the same query."""
        from django.contrib.contenttypes.models import ContentType

        from portal.models import Attachment

        files = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=models.OuterRef("pk"),
        )
        return self.annotate(has_evidence=models.Exists(files))


class Tranche(DomainModel):
    """A part of an award, released once the evidence it waits for is attached (an
    advance waits for none)."""

    access_organization_paths = ("award__application__applicant",)
    attachable = True

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches")
    amount = money(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    due_date = models.DateField(_("due date"), validators=[validate_portal_date])
    milestone = models.CharField(
        _("evidence it waits for"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “40 placements delivered”, “practice base built”; empty for an advance."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = TrancheQuerySet.as_manager()

    class Meta:
        ordering = ["award", "due_date", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        indexes = [models.Index(fields=["status", "due_date"], name="tranche_ready")]

    def __str__(self) -> str:
        return f"{self.award.application.reference} · {self.amount} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return (
            reverse("fund-application-detail", args=[self.award.application_id])
            + f"?tab=award#tranche-{self.pk}"
        )

    def get_attachments_url(self) -> str:
        """The evidence is uploaded and listed on the tranche's own page."""
        return reverse("tranche-evidence", args=[self.pk])


class Payment(DomainModel):
    """The payment that released a tranche: when, by which voucher or transaction, to
    which account of the payee."""

    access_organization_paths = ("tranche__award__application__applicant",)

    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="payment")
    amount = money(_("amount paid"), validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("paid on"), validators=[validate_portal_date])
    voucher_number = models.CharField(_("voucher or transaction number"), max_length=64)
    payee_account = models.CharField(_("payee's account"), max_length=64)
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
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        # The payments list's order and its date filters.
        indexes = [models.Index(fields=["paid_on", "id"], name="payment_paid_on")]

    def __str__(self) -> str:
        return f"{self.voucher_number}: {self.amount}"

    def get_absolute_url(self) -> str:
        return self.tranche.get_absolute_url()


class ReportStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("report status", "Due")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProgressReport(DomainModel):
    """A report the awardee owes on a date: what was done and spent so far."""

    access_organization_paths = ("award__application__applicant",)
    attachable = True

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    due_date = models.DateField(_("due date"), validators=[validate_portal_date])
    period_start = models.DateField(_("period from"), validators=[validate_portal_date])
    period_end = models.DateField(_("period to"), validators=[validate_portal_date])
    narrative = models.TextField(_("what was done"), max_length=LONG_TEXT, blank=True)
    spent_to_date = money(
        _("spent to date"), null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("department's comments"), max_length=NOTE_TEXT, blank=True)

    class Meta:
        ordering = ["award", "due_date", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.award.application.reference} · {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return (
            reverse("fund-application-detail", args=[self.award.application_id])
            + f"?tab=award#report-{self.pk}"
        )


class IndicatorValue(DomainModel):
    """A progress report's value to date for one of the program's indicators."""

    access_organization_paths = ("report__award__application__applicant",)

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        PerformanceIndicator, on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        _("value to date"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["report", "indicator__order", "indicator_id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ReportSpend(DomainModel):
    """A progress report's spend to date on one budget line (the line's wording is
    kept, should the budget be revised later)."""

    access_organization_paths = ("report__award__application__applicant",)

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="spend")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("budget line"), max_length=255)
    amount = money(_("spent to date"), validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("spend on a budget line")
        verbose_name_plural = _("spend on budget lines")

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"
