"""Demo fund programs and applications: an open program with criteria, an application
in every status with completed reviews, an award with one released and one planned
tranche, and a progress report due. Idempotent by program title."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization, User
from partnerships.models import Partnership
from portal.references import next_reference

from .. import services
from ..models import (
    ApplicationStatus,
    Award,
    BudgetLine,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ProgressReport,
    ReviewAssignment,
    ReviewCriterion,
)
from . import payments as demo_payments
from . import questions as demo_questions

OPEN_TITLE = "2026 School–Enterprise Cooperation Special Fund"
DRAFT_TITLE = "2027 Practice Base Construction Fund"

APPLICATIONS = [
    # applicant, title, requested, status, reviewed, partnership
    (
        "Riverside Vocational College",
        "CNC workshop for the industry college",
        "500000.00",
        ApplicationStatus.APPROVED,
        True,
        "Huaxin Intelligent Manufacturing Industry College",
    ),
    (
        "Huaxin Precision Manufacturing",
        "Robot technician training centre",
        "600000.00",
        ApplicationStatus.UNDER_REVIEW,
        True,
        None,
    ),
    (
        "Lanting Software",
        "Software testing practice base",
        "200000.00",
        ApplicationStatus.SUBMITTED,
        False,
        None,
    ),
    (
        "Eastlake Polytechnic",
        "Smart manufacturing teaching lab",
        "300000.00",
        ApplicationStatus.DRAFT,
        False,
        None,
    ),
    (
        "Eastlake Polytechnic",
        "Campus 3D printing club",
        "80000.00",
        ApplicationStatus.REJECTED,
        True,
        None,
    ),
    (
        "Lanting Software",
        "Coding bootcamp for teachers",
        "120000.00",
        ApplicationStatus.WITHDRAWN,
        False,
        None,
    ),
]


def seed(log) -> None:
    if FundProgram.objects.filter(title=OPEN_TITLE).exists():
        return
    today = timezone.localdate()
    organizations = {o.name: o for o in Organization.objects.all()}
    bureau = organizations["Municipal Education Bureau"]
    users = {
        u.username: u for u in User.objects.filter(username__in=["officer", "reviewer", "officer2"])
    }

    program = FundProgram.objects.create(
        department=bureau,
        reference=next_reference("FND"),
        title=OPEN_TITLE,
        description="Special funds for practice bases, industry colleges and joint training "
        "between vocational colleges and enterprises in the city.",
        funding_source="special_fund",
        total_budget=Decimal("5000000.00"),
        max_award=Decimal("800000.00"),
        eligible_kinds=["college", "enterprise"],
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=60),
        max_open_applications=1,
        min_reviews=2,
        status=ProgramStatus.OPEN,
    )
    for order, (name, weight, max_score) in enumerate(
        [
            ("Benefit to students", "40", 10),
            ("Enterprise involvement", "30", 10),
            ("Feasibility and cost", "30", 5),
        ]
    ):
        ReviewCriterion.objects.create(
            program=program, name=name, weight=Decimal(weight), max_score=max_score, order=order
        )
    questions = demo_questions.add_questions(program)
    draft = FundProgram.objects.create(
        department=bureau,
        reference=next_reference("FND"),
        title=DRAFT_TITLE,
        funding_source="education_surtax",
        total_budget=Decimal("3000000.00"),
        max_award=Decimal("500000.00"),
        eligible_kinds=["college", "enterprise", "association"],
        opens_on=today + timedelta(days=90),
        closes_on=today + timedelta(days=180),
    )
    ReviewCriterion.objects.create(
        program=draft, name="Quality of the base", weight=Decimal("100"), max_score=10
    )
    log(f"fund programs {program.reference}, {draft.reference}")

    scores = [(8, 9, 4), (7, 8, 4)]
    for applicant, title, requested, status, reviewed, partnership in APPLICATIONS:
        amount = Decimal(requested)
        application = FundApplication.objects.create(
            program=program,
            applicant=organizations[applicant],
            reference=next_reference("APP"),
            title=title,
            summary=f"{title}: equipment, trainers and a year of placements.",
            requested_amount=amount,
            partnership=Partnership.objects.filter(name=partnership).first()
            if partnership
            else None,
            status=ApplicationStatus.UNDER_REVIEW if reviewed else status,
            submitted_at=timezone.now() - timedelta(days=20)
            if status != ApplicationStatus.DRAFT
            else None,
        )
        BudgetLine.objects.create(
            application=application,
            category="equipment",
            description="Equipment",
            amount=amount * Decimal("0.6"),
        )
        BudgetLine.objects.create(
            application=application,
            category="training",
            description="Trainers and courses",
            amount=amount * Decimal("0.4"),
        )
        demo_questions.answer(application, questions)
        # Assigned reviewers: both officers on the application under review (they have
        # reviewed it), and `reviewer` on the submitted one, due within the week.
        assigned = {
            ApplicationStatus.UNDER_REVIEW: ("officer", "reviewer"),
            ApplicationStatus.SUBMITTED: ("reviewer",),
        }
        for username in assigned.get(status, ()):
            ReviewAssignment.objects.create(
                application=application,
                reviewer=users[username],
                assigned_by=users["officer2"],
                due_date=today + timedelta(days=5),
            )
        if reviewed:
            criteria = list(program.criteria.all())
            for reviewer, marks in zip([users["officer"], users["reviewer"]], scores, strict=True):
                services.review_submit(
                    actor=reviewer,
                    application=application,
                    scores={c.pk: m for c, m in zip(criteria, marks, strict=True)},
                    recommendation="fund"
                    if status != ApplicationStatus.REJECTED
                    else "do_not_fund",
                    comment="Well-prepared; the enterprise commitment is concrete.",
                )
            application.refresh_from_db()
            application.status = status
            if status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
                application.decided_at = timezone.now() - timedelta(days=10)
                application.decided_by = users["officer2"]
                application.decision_reasons = (
                    "Strong partnership and placements; equipment budget reduced by 50,000."
                    if status == ApplicationStatus.APPROVED
                    else "Not school–enterprise cooperation: no enterprise partner."
                )
            application.save()
            demo_questions.request_and_resubmit(application, questions)
        if status == ApplicationStatus.APPROVED:
            award = Award.objects.create(
                application=application,
                program=program,
                amount=Decimal("450000.00"),
                tranched=Decimal("450000.00"),
                released=Decimal("150000.00"),
            )
            # Its budget revised to the award, tranches released (with the payment),
            # ready and waiting, and a submitted report (demo_payments).
            demo_payments.pay_and_report(program, award, today)
            ProgressReport.objects.create(
                award=award,
                due_date=today + timedelta(days=20),
                period_start=today - timedelta(days=10),
                period_end=today + timedelta(days=15),
            )
            FundProgram.objects.filter(pk=program.pk).update(
                committed=Decimal("450000.00"), released=Decimal("150000.00")
            )
        log(f"fund application {application.reference} ({status})")
    reduced = demo_payments.reduced_award_waiting(program, today)
    demo_questions.answer(reduced, questions)
    log(f"fund application {reduced.reference} (approved below the request)")
