"""Scored reviews by the department's officers, their corrections until the decision, the
summary the decider reads, and the officers' declared conflicts of interest."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, Role, User
from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    Recommendation,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from .applications import refresh_score
from .rules import REVIEW_EDITABLE, can_manage_program, has_conflict, has_reviewed

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def weighted_score(scores: dict, criteria) -> Decimal:
    """Each score as a share of its maximum, weighted, on a 0 to 100 scale."""
    total_weight = sum((c.weight for c in criteria), Decimal("0"))
    if not total_weight:
        return Decimal("0.00")
    value = sum((Decimal(scores[c.pk]) / c.max_score * c.weight for c in criteria), Decimal("0"))
    return (value / total_weight * HUNDRED).quantize(CENT)


def weight_shares(criteria: Sequence[ReviewCriterion]) -> dict[int, Decimal]:
    """Each criterion's weight as a percentage of the program's total weight."""
    total = sum((c.weight for c in criteria), Decimal("0"))
    if not total:
        return {c.pk: Decimal("0") for c in criteria}
    return {c.pk: (c.weight / total * HUNDRED).quantize(Decimal("0.1")) for c in criteria}


def percent_text(share: Decimal) -> str:
    """A weight share as people write it: "40", or "33.3" when it is not whole."""
    return f"{share:.0f}" if share == share.to_integral_value() else f"{share:.1f}"


def _check_scores(criteria, scores: dict) -> None:
    """A whole number within its scale for every criterion, as field errors."""
    errors = {}
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            errors[f"score_{criterion.pk}"] = _("Score “%(name)s”.") % {"name": criterion.name}
        elif isinstance(score, bool) or not isinstance(score, int):
            errors[f"score_{criterion.pk}"] = _("Give a whole number.")
        elif not 0 <= score <= criterion.max_score:
            errors[f"score_{criterion.pk}"] = _("Between 0 and %(max)d.") % {
                "max": criterion.max_score
            }
    if errors:
        raise ValidationError(errors)


def _reviewed_version(application: FundApplication) -> int:
    # Applications submitted before versions were counted are at 0: they were read once.
    return max(application.version, 1)


@transaction.atomic
def review_submit(
    *,
    actor,
    application: FundApplication,
    scores: dict[int, int],
    recommendation: str,
    comment: str = "",
) -> Review:
    """Score an application under review: one review per officer, a score for every
    criterion within its maximum; the weighted score is computed, never typed. When
    reviewers are assigned, only they review (``rules.applications_to_review``)."""
    # The application row alone: one officer's review waits for another's score update.
    application = lock_row(FundApplication, application.pk, "program")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise InvalidTransition(
            _("Only an application under review can be reviewed; %(reference)s is %(status)s.")
            % {"reference": application.reference, "status": application.get_status_display()}
        )
    access.require(
        can_manage_program(actor, application.program),
        _("Reviews are by the program's department."),
    )
    access.require(
        not has_conflict(actor, application.applicant_id), _("You declared a tie to the applicant.")
    )
    if has_reviewed(actor, application):
        raise ValidationError(_("You have already reviewed this application."))
    assigned = list(application.assignments.values_list("reviewer_id", flat=True))
    access.require(
        not assigned or actor.pk in assigned,
        _("Reviewers are assigned to this application, and you are not one of them."),
    )
    criteria = list(application.program.criteria.all())
    _check_scores(criteria, scores)
    review = Review(
        application=application,
        reviewer=actor,
        recommendation=recommendation,
        comment=comment,
        weighted_score=weighted_score(scores, criteria),
        version=_reviewed_version(application),
    )
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:  # a second review by the same officer at the same moment
        raise ValidationError(_("You have already reviewed this application.")) from error
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=criterion, score=scores[criterion.pk])
        for criterion in criteria
    )
    refresh_score(application)
    if application.reviews.count() == application.program.min_reviews:
        notify(
            recipients=User.objects.acting_for(
                [application.program.department_id], roles=(Role.ADMIN,)
            ),
            title=format_lazy(
                gettext_lazy("{reference} has its reviews: ready for a decision"),
                reference=application.reference,
            ),
            url=application.get_absolute_url(),
        )
    return review


@transaction.atomic
def review_update(
    *,
    actor,
    review: Review,
    scores: dict[int, int] | None = None,
    recommendation: str | None = None,
    comment: str | None = None,
) -> Review:
    """Correct one's own review while the application is under review or waiting for
    more information; what is not given stays. Records the application's version the
    review now reads, and recomputes the weighted scores.

    The application row is locked first, then the review (parent before child), so an
    edit racing the decision either lands before it or finds the application decided.
    """
    application = lock_row(FundApplication, review.application_id, "program")
    review = lock_row(Review, review.pk)
    access.require(review.reviewer_id == actor.pk, _("Only its reviewer changes a review."))
    if application.status not in REVIEW_EDITABLE:
        raise InvalidTransition(
            _("%(reference)s is %(status)s: its reviews can no longer change.")
            % {"reference": application.reference, "status": application.get_status_display()}
        )
    access.require(
        not has_conflict(actor, application.applicant_id),
        _("You declared a tie to the applicant since you reviewed it."),
    )
    criteria = list(application.program.criteria.all())
    rows = {row.criterion_id: row for row in review.scores.all()}
    merged = {criterion_id: row.score for criterion_id, row in rows.items()}
    merged.update(scores or {})
    _check_scores(criteria, merged)
    if recommendation is not None:
        review.recommendation = recommendation
    if comment is not None:
        review.comment = comment
    review.weighted_score = weighted_score(merged, criteria)
    review.version = _reviewed_version(application)
    review.full_clean()
    review.save()
    for criterion in criteria:
        row = rows.get(criterion.pk)
        if row is None:
            ReviewScore.objects.create(
                review=review, criterion=criterion, score=merged[criterion.pk]
            )
        elif row.score != merged[criterion.pk]:
            row.score = merged[criterion.pk]
            row.save(update_fields=["score", "updated_at"])
    refresh_score(application)
    return review


# --- what the decider reads ---------------------------------------------------------


@dataclass
class Spread:
    """The mean of some scores and how far they lie apart."""

    values: list
    mean: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    deviation: Decimal | None = None

    def __post_init__(self):
        present = [Decimal(value) for value in self.values if value is not None]
        if present:
            self.mean = statistics.mean(present).quantize(CENT)
            self.low, self.high = min(present), max(present)
            self.deviation = statistics.pstdev(present).quantize(CENT)


@dataclass
class CriterionSummary:
    criterion: ReviewCriterion
    weight_share: Decimal
    spread: Spread

    @property
    def weight_text(self) -> str:
        return percent_text(self.weight_share)


@dataclass
class ReviewSummary:
    """The reviews of one application side by side: a score per criterion per reviewer
    (``spread.values`` in the order of ``reviews``), with means and spreads, the
    recommendations counted, and where the application ranks in its program."""

    reviews: list[Review]
    criteria: list[CriterionSummary]
    weighted: Spread
    recommendations: list[tuple[str, str, int]]
    reviews_needed: int
    rank: int | None
    ranked: int
    budget_remaining: Decimal
    current_version: int
    earlier_version: list[Review] = field(default_factory=list)


def application_rank(application: FundApplication) -> tuple[int | None, int]:
    """(Its place, how many are ranked): by weighted score among the program's scored
    applications (drafts and withdrawn ones aside); equal scores share a place."""
    scored = FundApplication.objects.filter(
        program_id=application.program_id, weighted_score__isnull=False
    ).exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    if application.weighted_score is None:
        return None, scored.count()
    higher = Q(weighted_score__gt=application.weighted_score)
    counts = scored.aggregate(total=Count("pk"), above=Count("pk", filter=higher))
    return counts["above"] + 1, counts["total"]


def review_summary(application: FundApplication, reviews: Sequence[Review]) -> ReviewSummary:
    """Summarize ``reviews`` (with ``scores`` prefetched) of the application, whose
    ``program`` is loaded. The caller chose the reviews its reader may see."""
    reviews = list(reviews)
    criteria = list(application.program.criteria.all())
    shares = weight_shares(criteria)
    by_review = [{row.criterion_id: row.score for row in review.scores.all()} for review in reviews]
    counts = Counter(review.recommendation for review in reviews)
    rank, ranked = application_rank(application)
    version = _reviewed_version(application) if application.submitted_at else 0
    return ReviewSummary(
        reviews=reviews,
        criteria=[
            CriterionSummary(
                criterion=criterion,
                weight_share=shares[criterion.pk],
                spread=Spread([scores.get(criterion.pk) for scores in by_review]),
            )
            for criterion in criteria
        ],
        weighted=Spread([review.weighted_score for review in reviews]),
        recommendations=[
            (choice.value, choice.label, counts.get(choice.value, 0)) for choice in Recommendation
        ],
        reviews_needed=application.program.min_reviews,
        rank=rank,
        ranked=ranked,
        budget_remaining=application.program.remaining,
        current_version=version,
        earlier_version=[review for review in reviews if review.version < version],
    )


# --- conflicts of interest ----------------------------------------------------------


@transaction.atomic
def conflict_declare(*, actor, organization: Organization, reason: str) -> ConflictOfInterest:
    """A government officer declares a tie to an organization."""
    access.require(
        access.is_government(actor),
        _("Conflicts of interest are declared by government officers."),
    )
    if ConflictOfInterest.objects.filter(officer=actor, organization=organization).exists():
        raise ValidationError(
            {"organization": _("You have already declared a tie to this organization.")}
        )
    conflict = ConflictOfInterest(officer=actor, organization=organization, reason=reason)
    conflict.full_clean()
    conflict.save()
    return conflict


@transaction.atomic
def conflict_withdraw(*, actor, conflict: ConflictOfInterest) -> None:
    access.require(
        conflict.officer_id == actor.pk or actor.is_superuser,
        _("Only the officer withdraws their declaration."),
    )
    conflict.delete()
