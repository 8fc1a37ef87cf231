"""The funding transition tables and who may do what: read by services, pages and API."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import User
from portal import access
from portal.roles import Role

from ..models import (
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ProgressReport,
    ReportStatus,
    Review,
    ReviewAssignment,
    Tranche,
    TrancheStatus,
)

PROGRAM_TRANSITIONS: dict[str, frozenset[str]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.OPEN}),
    ProgramStatus.OPEN: frozenset({ProgramStatus.CLOSED}),
    ProgramStatus.CLOSED: frozenset({ProgramStatus.FINALIZED}),
    ProgramStatus.FINALIZED: frozenset(),
}

APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.INFO_REQUESTED,
        }
    ),
    # The department asked for more: the applicant edits and resubmits, or withdraws.
    ApplicationStatus.INFO_REQUESTED: frozenset(
        {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

TRANCHE_TRANSITIONS: dict[str, frozenset[str]] = {
    TrancheStatus.PLANNED: frozenset({TrancheStatus.RELEASED, TrancheStatus.CANCELLED}),
    TrancheStatus.RELEASED: frozenset(),
    TrancheStatus.CANCELLED: frozenset(),
}

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DUE: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.ACCEPTED, ReportStatus.RETURNED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.ACCEPTED: frozenset(),
}

PROGRAM_FIELDS = (
    "title",
    "description",
    "funding_source",
    "total_budget",
    "max_award",
    "eligible_kinds",
    "opens_on",
    "closes_on",
    "max_open_applications",
    "min_reviews",
)
APPLICATION_FIELDS = ("title", "summary", "partnership", "requested_amount")
# The applicant changes its application (fields, budget lines, answers) while a draft,
# and again once the department asks for more information, before resubmitting.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)
REPORT_DUE_REMINDER_DAYS = 7


def _department_roles(user, program: FundProgram, roles) -> bool:
    return user.is_superuser or program.department_id in access.organization_ids(user, roles)


def can_manage_program(user, program: FundProgram) -> bool:
    """The department's admins and staff run its programs and review applications."""
    return _department_roles(user, program, access.WRITE_ROLES)


def can_decide(user, program: FundProgram) -> bool:
    """The department's admins approve, reject and release money."""
    return _department_roles(user, program, {Role.ADMIN})


def can_create_program_for(user, department) -> bool:
    return user.is_superuser or department.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_create_programs(user) -> bool:
    """Admins and staff of a government department draft programs."""
    return access.acts_for_government(user)


def can_apply_for(user, organization) -> bool:
    return user.is_superuser or organization.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_edit_application(user, application: FundApplication) -> bool:
    return can_apply_for(user, application.applicant)


def has_conflict(user, organization_id: int) -> bool:
    """A declared tie to the organization."""
    return ConflictOfInterest.objects.filter(officer=user, organization_id=organization_id).exists()


def has_reviewed(user, application: FundApplication) -> bool:
    return application.reviews.filter(reviewer=user).exists()


# --- the questions pages, the API and dashboards ask, each answered once -----------


# While an application is in these, its reviews are open: reviewers score it unseen by
# each other (see ``scores_visible_q``), and a review once saved may still be corrected
# (in REVIEW_EDITABLE); assignments are made in ASSIGNABLE.
REVIEWING = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
)
DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
REVIEW_EDITABLE = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INFO_REQUESTED)
ASSIGNABLE = REVIEWING


def _unreviewed_by(user) -> QuerySet[FundApplication]:
    """Under review in a program of the user's department, from an applicant they
    declared no tie to, not reviewed by them yet."""
    departments = access.organization_ids(user, access.WRITE_ROLES)
    if not departments and not user.is_superuser:
        return FundApplication.objects.none()
    applications = FundApplication.objects.filter(status=ApplicationStatus.UNDER_REVIEW)
    if not user.is_superuser:
        applications = applications.filter(program__department_id__in=departments)
    return applications.exclude(
        applicant_id__in=ConflictOfInterest.objects.filter(officer=user).values("organization_id")
    ).exclude(pk__in=Review.objects.filter(reviewer=user).values("application_id"))


def applications_to_review(user) -> QuerySet[FundApplication]:
    """Applications this officer may review now: under review in a program of their
    department, from an applicant they declared no tie to, not reviewed by them yet.

    Once the department's admins assign reviewers to an application, only those assigned
    review it; an application without assignments is open to every admin and staff
    member of the department (as before assignments existed)."""
    assigned = ReviewAssignment.objects.filter(application=OuterRef("pk"))
    return _unreviewed_by(user).filter(~Exists(assigned) | Exists(assigned.filter(reviewer=user)))


def applications_to_decide(user) -> QuerySet[FundApplication]:
    """Applications this admin may decide now: those they could review (four eyes: no
    review of theirs, no declared tie), in a program of a department they administer,
    with the reviews the program needs."""
    admin_of = access.organization_ids(user, {Role.ADMIN})
    applications = _unreviewed_by(user)  # assigned to others or not: an admin decides
    if not user.is_superuser:
        applications = applications.filter(program__department_id__in=admin_of)
    return applications.annotate(reviews_done=Count("reviews", distinct=True)).filter(
        reviews_done__gte=F("program__min_reviews")
    )


def can_review(user, application: FundApplication) -> bool:
    return applications_to_review(user).filter(pk=application.pk).exists()


def can_decide_application(user, application: FundApplication) -> bool:
    """An admin of the program's department who neither reviewed it nor declared a tie
    to the applicant (four eyes). Says nothing of its status or reviews done."""
    return (
        can_decide(user, application.program)
        and not has_reviewed(user, application)
        and not has_conflict(user, application.applicant_id)
    )


def can_edit_review(user, review: Review, application: FundApplication) -> bool:
    """A reviewer corrects their own review until the application is decided."""
    return review.reviewer_id == user.pk and application.status in REVIEW_EDITABLE


def department_officers(program: FundProgram):
    """Whom the program's admins may assign to review: its department's admins and staff."""
    return User.objects.acting_for([program.department_id]).order_by("username")


# --- blind review: who reads the scores of an application ---------------------------


def scores_visible_q(user, prefix: str = "") -> Q:
    """A condition on applications (``prefix`` leads to one, e.g. ``"application__"``)
    under which the user reads their scores: the reviews and the weighted score.

    While reviews are open a reviewer works blind: they read the others' reviews once
    they have saved their own. The deciders (the department's admins with no tie to the
    applicant) read them all; after the decision, all government does. The caller has
    already limited the rows to government readers (reviews are government only)."""
    if user.is_superuser:
        return Q()
    ties = ConflictOfInterest.objects.filter(officer=user).values("organization_id")
    reviewed = Review.objects.filter(reviewer=user).values("application_id")
    admin_of = access.organization_ids(user, {Role.ADMIN})
    return (
        Q(**{f"{prefix}status__in": DECIDED})
        | Q(**{f"{prefix}pk__in": reviewed})
        | (
            Q(**{f"{prefix}program__department_id__in": admin_of})
            & ~Q(**{f"{prefix}applicant_id__in": ties})
        )
    )


def reviews_visible_to(user, reviews: QuerySet[Review] | None = None) -> QuerySet[Review]:
    """The reviews the user reads: government only, blind while reviews are open (see
    ``scores_visible_q``). Pages and the API both list reviews through this."""
    reviews = (Review.objects.all() if reviews is None else reviews).visible_to(user)
    return reviews.filter(scores_visible_q(user, "application__"))


def with_scores_visible(applications: QuerySet[FundApplication], user) -> QuerySet:
    """Annotate ``scores_visible``: whether the user reads the application's weighted
    score. The applicant reads it once the application is decided (never who scored:
    a score moving while reviews are corrected would tell how far they have got);
    government as ``scores_visible_q``."""
    if user.is_superuser:
        return applications.annotate(scores_visible=Value(True, output_field=BooleanField()))
    condition = scores_visible_q(user) if access.is_government(user) else Q(status__in=DECIDED)
    return applications.annotate(
        scores_visible=Case(
            When(condition, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def with_visible_score(applications: QuerySet[FundApplication], user) -> QuerySet:
    """Annotate ``scores_visible`` and ``visible_score``: the weighted score where the
    user reads it, else None (to show and to sort by, so that no place is given away)."""
    return with_scores_visible(applications, user).annotate(
        visible_score=Case(When(scores_visible=True, then=F("weighted_score")), default=None)
    )


def scores_visible(user, application: FundApplication) -> bool:
    queryset = FundApplication.objects.filter(pk=application.pk)
    return with_scores_visible(queryset, user).filter(scores_visible=True).exists()


def program_actions(user, program: FundProgram) -> set[str]:
    """What the user may do with the program now: ``edit``, ``add_criterion``,
    ``edit_questions``, ``open``, ``close``, ``finalize``, ``apply``, ``rank``, and for
    its admins once it is open, ``assign`` reviewers."""
    actions: set[str] = set()
    if can_manage_program(user, program):
        actions.add("edit")
        actions |= {
            verb
            for verb, target in (
                ("open", ProgramStatus.OPEN),
                ("close", ProgramStatus.CLOSED),
                ("finalize", ProgramStatus.FINALIZED),
            )
            if target in PROGRAM_TRANSITIONS[program.status]
        }
        if program.status == ProgramStatus.DRAFT:
            actions |= {"add_criterion", "edit_questions"}
    if can_decide(user, program) and program.status != ProgramStatus.DRAFT:
        actions.add("assign")
    if program.status == ProgramStatus.OPEN and any(
        grant.kind in program.eligible_kinds and grant.role in access.WRITE_ROLES
        for grant in access.grants(user).values()
    ):
        actions.add("apply")
    if access.sees_everything(user):
        actions.add("rank")
    return actions


def application_actions(user, application: FundApplication) -> set[str]:
    """What the user may do with the application now: the applicant ``edit``s,
    ``submit``s and ``withdraw``s (once asked for more: ``edit``s and ``resubmit``s);
    the department ``start_review``s, ``request_info``s and ``review``s, its admins
    ``approve`` or ``reject`` (four eyes), and once approved ``plan_tranche``,
    ``schedule_report`` and ``release`` (admins). A reviewer ``edit_review``s their own
    until the decision; the admins ``assign`` reviewers while reviews are open."""
    status = application.status
    program = application.program
    actions: set[str] = set()
    if can_edit_application(user, application):
        if status == ApplicationStatus.DRAFT:
            actions |= {"edit", "submit"}
        if status == ApplicationStatus.INFO_REQUESTED:
            actions |= {"edit", "resubmit"}
        if ApplicationStatus.WITHDRAWN in APPLICATION_TRANSITIONS[status]:
            actions.add("withdraw")
    if can_manage_program(user, program):
        if status == ApplicationStatus.SUBMITTED:
            actions.add("start_review")
        if status == ApplicationStatus.UNDER_REVIEW and not has_conflict(
            user, application.applicant_id
        ):
            actions.add("request_info")
        if status == ApplicationStatus.UNDER_REVIEW and can_review(user, application):
            actions.add("review")
        if status == ApplicationStatus.UNDER_REVIEW and can_decide_application(user, application):
            actions |= {"approve", "reject"}
        if status in REVIEW_EDITABLE and has_reviewed(user, application):
            actions.add("edit_review")
        if (
            status in ASSIGNABLE
            and can_decide(user, program)
            and not has_conflict(user, application.applicant_id)
        ):
            actions.add("assign")
        if status == ApplicationStatus.APPROVED:
            actions |= {"plan_tranche", "schedule_report"}
            if can_decide(user, program):
                actions.add("release")
    return actions


def tranche_actions(user, tranche: Tranche, application: FundApplication) -> set[str]:
    """While a tranche is planned, the awardee ``attach_evidence``; the department's
    admins ``release`` it (once its evidence is attached) or ``cancel`` it.
    ``tranche.has_evidence`` comes from ``Tranche.objects.with_evidence()``."""
    if tranche.status != TrancheStatus.PLANNED:
        return set()
    actions = set()
    if tranche.milestone and can_edit_application(user, application):
        actions.add("attach_evidence")
    if can_decide(user, application.program):
        actions.add("cancel")
        if not tranche.milestone or tranche.has_evidence:
            actions.add("release")
    return actions


def report_actions(user, report: ProgressReport, application: FundApplication) -> set[str]:
    """The awardee ``submit``s a report due or returned; the department ``accept``s or
    ``return``s a submitted one."""
    if ReportStatus.SUBMITTED in REPORT_TRANSITIONS[report.status]:
        return {"submit"} if can_edit_application(user, application) else set()
    if report.status == ReportStatus.SUBMITTED and can_manage_program(user, application.program):
        return {"accept", "return"}
    return set()
