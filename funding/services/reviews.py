"""Scored reviews by the department's officers, and their declared conflicts of interest."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, Role, User
from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, lock_row

from ..models import ApplicationStatus, ConflictOfInterest, FundApplication, Review, ReviewScore
from .applications import refresh_score
from .rules import can_manage_program, has_conflict, has_reviewed

HUNDRED = Decimal("100")


def weighted_score(scores: dict, criteria) -> Decimal:
    """Each score as a share of its maximum, weighted, on a 0 to 100 scale."""
    total_weight = sum((c.weight for c in criteria), Decimal("0"))
    if not total_weight:
        return Decimal("0.00")
    value = sum((Decimal(scores[c.pk]) / c.max_score * c.weight for c in criteria), Decimal("0"))
    return (value / total_weight * HUNDRED).quantize(Decimal("0.01"))


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
    criterion within its maximum; the weighted score is computed, never typed."""
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
    criteria = list(application.program.criteria.all())
    errors = {}
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            errors[f"score_{criterion.pk}"] = _("Score “%(name)s”.") % {"name": criterion.name}
        elif not 0 <= int(score) <= criterion.max_score:
            errors[f"score_{criterion.pk}"] = _("Between 0 and %(max)d.") % {
                "max": criterion.max_score
            }
    if errors:
        raise ValidationError(errors)
    review = Review(
        application=application,
        reviewer=actor,
        recommendation=recommendation,
        comment=comment,
        weighted_score=weighted_score(scores, criteria),
    )
    review.full_clean()
    try:
        review.save()
    except IntegrityError as error:  # a second review by the same officer at the same moment
        raise ValidationError(_("You have already reviewed this application.")) from error
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=criterion, score=int(scores[criterion.pk]))
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
