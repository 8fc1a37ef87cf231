"""Applications: drafted and submitted by colleges and enterprises, reviewed, and
decided by an admin of the program's department. Approval commits money against the
program's budget under a row lock, with a CHECK constraint behind it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from partnerships.models import Partnership
from portal import access
from portal.limits import NOTE_TEXT
from portal.money import money_lazy
from portal.notifications import notify
from portal.references import next_reference
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    ApplicationStatus,
    Award,
    BudgetLine,
    FundApplication,
    FundProgram,
    ProgramStatus,
)
from .common import people
from .questions import check_required_answers, save_answers
from .rules import (
    APPLICATION_FIELDS,
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    can_apply_for,
    can_decide,
    can_edit_application,
    can_manage_program,
    has_conflict,
    has_reviewed,
)
from .versions import version_record


def _lock(application: FundApplication) -> FundApplication:
    """Lock the application row alone (its program and applicant are read, not locked)."""
    return lock_row(FundApplication, application.pk, "program", "applicant")


def _lock_with_program(application: FundApplication) -> FundApplication:
    """Lock the program, then the application: the portal's order (parent first).

    For steps that count or spend against the program, so that they queue behind each
    other on the program row instead of meeting in the opposite order on two
    applications of the same program (which deadlocked).
    """
    program = lock_row(FundProgram, application.program_id)
    application = lock_row(FundApplication, application.pk, "applicant")
    application.program = program
    return application


def _require_editable(application: FundApplication) -> None:
    """The applicant changes a draft, and an application the department asked more of."""
    if application.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _(
                "Only a draft, or an application the department asked more of, can change; "
                "%(reference)s is %(status)s."
            )
            % {"reference": application.reference, "status": application.get_status_display()}
        )


def _check(application: FundApplication, target: str, *, source: str | None = None) -> None:
    """The move must be in the table, and start from ``source`` when one is named (two
    moves reach “under review”: starting the review and resubmitting)."""
    allowed = APPLICATION_TRANSITIONS
    if source is not None:
        allowed = {source: APPLICATION_TRANSITIONS[source]}
    check_transition(
        application.status, target, allowed, label=_("An application"), choices=ApplicationStatus
    )


def _check_partnership(actor, partnership: Partnership | None) -> None:
    if (
        partnership is not None
        and not Partnership.objects.linkable_by(actor).filter(pk=partnership.pk).exists()
    ):
        raise ValidationError({"partnership": _("Choose a partnership your organization is in.")})


@transaction.atomic
def application_create(
    *,
    actor,
    program: FundProgram,
    applicant: Organization,
    budget_lines=(),
    answers=None,
    **fields,
) -> FundApplication:
    """Draft an application for the applicant organization (its admins and staff), with
    its ``answers`` to the program's questions (see ``questions.save_answers``)."""
    access.require(
        can_apply_for(actor, applicant), _("You can only apply for your own organization.")
    )
    if program.status != ProgramStatus.OPEN:
        raise ValidationError(_("This program is not open for applications."))
    if applicant.kind not in program.eligible_kinds:
        raise ValidationError(
            {
                "applicant": _("%(kind)s organizations may not apply to this program.")
                % {"kind": applicant.get_kind_display()}
            }
        )
    _check_partnership(actor, fields.get("partnership"))
    application = FundApplication(
        program=program,
        applicant=applicant,
        reference="pending",
        **{key: fields[key] for key in APPLICATION_FIELDS if key in fields},
    )
    application.full_clean(exclude=["reference"])
    application.reference = next_reference("APP")
    application.save()
    for category, description, amount in budget_lines:
        BudgetLine.objects.create(
            application=application, category=category, description=description, amount=amount
        )
    save_answers(actor=actor, application=application, answers=answers)
    return application


@transaction.atomic
def application_update(
    *, actor, application: FundApplication, answers=None, **fields
) -> FundApplication:
    """Change a draft, or an application the department asked more of: its fields and
    its ``answers`` (those given; see ``questions.save_answers``)."""
    application = _lock(application)
    access.require(can_edit_application(actor, application))
    _require_editable(application)
    _check_partnership(actor, fields.get("partnership"))
    for key in APPLICATION_FIELDS:
        if key in fields:
            setattr(application, key, fields[key])
    application.full_clean()
    application.save()
    save_answers(actor=actor, application=application, answers=answers)
    return application


@transaction.atomic
def budget_line_add(
    *, actor, application: FundApplication, category: str, description: str, amount: Decimal
) -> BudgetLine:
    application = _lock(application)
    access.require(can_edit_application(actor, application))
    _require_editable(application)
    line = BudgetLine(
        application=application, category=category, description=description, amount=amount
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_remove(*, actor, line: BudgetLine) -> None:
    application = _lock(line.application)
    access.require(can_edit_application(actor, application))
    _require_editable(application)
    line.delete()


@transaction.atomic
def budget_lines_replace(*, actor, application: FundApplication, lines) -> FundApplication:
    """Make the budget lines exactly ``lines`` (category, description, amount)."""
    application = _lock(application)
    access.require(can_edit_application(actor, application))
    _require_editable(application)
    application.budget_lines.all().delete()
    for category, description, amount in lines:
        line = BudgetLine(
            application=application, category=category, description=description, amount=amount
        )
        line.full_clean()
        line.save()
    return application


def _check_complete(application: FundApplication) -> None:
    """What a submission needs, all said at once: budget lines adding up to the
    request, within the program's maximum award, and every required question answered."""
    errors: dict[str, list[str]] = {}
    total = sum((line.amount for line in application.budget_lines.all()), Decimal("0.00"))
    if total != application.requested_amount:
        errors.setdefault("requested_amount", []).append(
            _("The budget lines add up to %(total)s, not the %(requested)s requested.")
            % {"total": total, "requested": application.requested_amount}
        )
    if application.requested_amount > application.program.max_award:
        errors.setdefault("requested_amount", []).append(
            _("The most this program awards is %(amount)s.")
            % {"amount": application.program.max_award}
        )
    missing = check_required_answers(application)
    if missing:
        errors["answers"] = missing
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_submit(*, actor, application: FundApplication) -> FundApplication:
    """Draft → submitted, while the program is open and its window runs, with budget
    lines adding up to the request, within the maximum award, every required question
    answered, and within the organization's limit of open applications. What it says
    is kept as version 1."""
    application = _lock_with_program(application)
    check_transition(
        application.status,
        ApplicationStatus.SUBMITTED,
        APPLICATION_TRANSITIONS,
        label=_("An application"),
    )
    access.require(can_edit_application(actor, application))
    program = application.program
    today = timezone.localdate()
    if program.status != ProgramStatus.OPEN or not program.opens_on <= today <= program.closes_on:
        raise ValidationError(
            _("This program takes applications from %(opens)s to %(closes)s, while open.")
            % {"opens": program.opens_on, "closes": program.closes_on}
        )
    _check_complete(application)
    # Submissions to one program queue on its row (locked above), so two at once cannot
    # both slip under the limit; steps that close an application only lower the count.
    open_count = (
        FundApplication.objects.filter(
            program=program,
            applicant=application.applicant,
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.INFO_REQUESTED,
            ],
        )
        .exclude(pk=application.pk)
        .count()
    )
    if open_count >= program.max_open_applications:
        raise ValidationError(
            _("Your organization has %(count)d open application(s) here, the most allowed.")
            % {"count": open_count}
        )
    version_record(actor=actor, application=application)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    notify(
        recipients=people([program.department_id]),
        title=format_lazy(
            gettext_lazy("New application {reference} from {applicant}"),
            reference=application.reference,
            applicant=application.applicant.name,
        ),
        url=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: FundApplication) -> FundApplication:
    application = _lock(application)
    check_transition(
        application.status,
        ApplicationStatus.WITHDRAWN,
        APPLICATION_TRANSITIONS,
        label=_("An application"),
    )
    access.require(can_edit_application(actor, application))
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    return application


@transaction.atomic
def application_start_review(*, actor, application: FundApplication) -> FundApplication:
    """Submitted → under review (the department's admins and staff)."""
    application = _lock(application)
    _check(application, ApplicationStatus.UNDER_REVIEW, source=ApplicationStatus.SUBMITTED)
    access.require(can_manage_program(actor, application.program))
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save()
    notify(
        recipients=people([application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{reference} is under review"), reference=application.reference
        ),
        url=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def application_request_info(
    *, actor, application: FundApplication, questions: str
) -> FundApplication:
    """Under review → more information requested (the department's admins and staff
    with no tie to the applicant): the applicant is told ``questions``, may change its
    application, and resubmits it. Reviews made so far stay, naming the version read."""
    application = _lock(application)
    _check(application, ApplicationStatus.INFO_REQUESTED)
    access.require(can_manage_program(actor, application.program))
    access.require(
        not has_conflict(actor, application.applicant_id),
        _("You declared a tie to the applicant, so someone else asks."),
    )
    questions = (questions or "").strip()
    if not questions:
        raise ValidationError({"questions": _("Say what the applicant should answer or change.")})
    if len(questions) > NOTE_TEXT:
        raise ValidationError(
            {"questions": _("Give at most %(limit)d characters.") % {"limit": NOTE_TEXT}}
        )
    application.status = ApplicationStatus.INFO_REQUESTED
    application.info_request = questions
    application.info_requested_at = timezone.now()
    application.save()
    notify(
        recipients=people([application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{reference}: the department asks for more information"),
            reference=application.reference,
        ),
        body=questions,
        url=application.get_absolute_url(),
    )
    return application


@transaction.atomic
def application_resubmit(*, actor, application: FundApplication) -> FundApplication:
    """More information requested → under review again (the applicant's admins and
    staff), checked as a submission is (budget, maximum award, required answers; the
    window may have closed since: the department asked). What it says now is kept as
    its next version, and the department and the assigned reviewers are told."""
    application = _lock(application)
    _check(application, ApplicationStatus.UNDER_REVIEW, source=ApplicationStatus.INFO_REQUESTED)
    access.require(can_edit_application(actor, application))
    _check_complete(application)
    version = version_record(
        actor=actor, application=application, in_reply_to=application.info_request
    )
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save()
    reviewers = User.objects.filter(fund_review_assignments__application=application)
    notify(
        recipients=[*people([application.program.department_id]), *reviewers],
        title=format_lazy(
            gettext_lazy("{reference} resubmitted with more information (version {number})"),
            reference=application.reference,
            number=version.number,
        ),
        url=reverse("fund-application-versions", args=[application.pk]),
    )
    return application


def _require_decider(actor, application: FundApplication) -> None:
    access.require(
        can_decide(actor, application.program),
        _("Only an admin of the program's department decides."),
    )
    # Four eyes: whoever reviewed an application, or has a tie to the applicant, does not decide it.
    access.require(
        not has_reviewed(actor, application),
        _("You reviewed this application, so someone else decides it."),
    )
    access.require(
        not has_conflict(actor, application.applicant_id),
        _("You declared a tie to the applicant, so someone else decides it."),
    )
    done = application.reviews.count()
    if done < application.program.min_reviews:
        raise ValidationError(
            _("%(done)d of the %(needed)d reviews needed are done.")
            % {"done": done, "needed": application.program.min_reviews}
        )


def refresh_score(application: FundApplication) -> None:
    """Store the mean of the reviews' weighted scores on the application.

    A queryset update, so no history record names the reviewer whose review moved it.
    """
    average = application.reviews.aggregate(score=Avg("weighted_score"))["score"]
    application.weighted_score = round(average, 2) if average is not None else None
    FundApplication.objects.filter(pk=application.pk).update(
        weighted_score=application.weighted_score, updated_at=timezone.now()
    )


@transaction.atomic
def application_approve(
    *, actor, application: FundApplication, amount: Decimal, reasons: str = ""
) -> Award:
    """Under review → approved, with an award of ``amount``: at most the request, the
    program's maximum award, and what is left of its budget.

    The program row is locked first (then the application), so twenty approvals at once
    commit one after another and the last ones that no longer fit are refused; the
    CHECK constraint on the program stops any update that would overspend anyway.
    """
    application = _lock_with_program(application)
    check_transition(
        application.status,
        ApplicationStatus.APPROVED,
        APPLICATION_TRANSITIONS,
        label=_("An application"),
    )
    _require_decider(actor, application)
    program = application.program
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ValidationError({"amount": _("Award a positive amount.")})
    limits = [
        (application.requested_amount, _("the amount requested")),
        (program.max_award, _("the program's maximum award")),
        (program.remaining, _("the budget remaining")),
    ]
    for limit, label in limits:
        if amount > limit:
            raise ValidationError(
                {
                    "amount": _("%(amount)s is more than %(label)s (%(limit)s).")
                    % {"amount": amount, "label": label, "limit": limit}
                }
            )
    program.committed += amount
    program.save(update_fields=["committed", "updated_at"])
    application.status = ApplicationStatus.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reasons = reasons.strip()
    application.save()
    # Below the request, the awardee revises the budget lines to the award before any
    # money is released (funding.services.revisions).
    award = Award.objects.create(
        application=application,
        program=program,
        amount=amount,
        needs_budget_revision=amount < application.requested_amount,
    )
    notify(
        recipients=people([application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{reference} approved: {amount} yuan awarded"),
            reference=application.reference,
            amount=money_lazy(amount),
        ),
        body=reasons.strip(),
        url=application.get_absolute_url(),
    )
    return award


@transaction.atomic
def application_reject(*, actor, application: FundApplication, reasons: str) -> FundApplication:
    """Under review → rejected, with the reasons the applicant will read."""
    application = _lock(application)
    check_transition(
        application.status,
        ApplicationStatus.REJECTED,
        APPLICATION_TRANSITIONS,
        label=_("An application"),
    )
    _require_decider(actor, application)
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    application.status = ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reasons = reasons.strip()
    application.save()
    notify(
        recipients=people([application.applicant_id]),
        title=format_lazy(
            gettext_lazy("{reference} was not funded"), reference=application.reference
        ),
        body=reasons.strip(),
        url=application.get_absolute_url(),
    )
    return application
