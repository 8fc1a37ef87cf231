"""Demo money after the decision: the open program's indicators; on the approved award a
budget revised to the reduced award (accepted), a tranche released with its payment, a
tranche ready to release with its evidence attached, a later one waiting for evidence,
and a submitted progress report with indicator values and spend per budget line; and a
second reduced award whose revised budget waits for the department."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization, User
from internships.demo import demo_pdf
from portal.attachments import attachment_add
from portal.references import next_reference

from .. import services
from ..models import (
    ApplicationStatus,
    Award,
    BudgetLine,
    BudgetRevision,
    FundApplication,
    FundProgram,
    IndicatorValue,
    Payment,
    PerformanceIndicator,
    ProgressReport,
    ReportSpend,
    ReportStatus,
    RevisionStatus,
    Tranche,
    TrancheStatus,
)

INDICATORS = [
    ("Students placed in partner enterprises", "students", "40"),
    ("Teachers trained on the new equipment", "teachers", "12"),
    ("Workshop hours used for teaching", "hours", "600"),
]
REVISED_LINES = [
    {
        "category": "equipment",
        "description": "CNC machines (two, not three)",
        "amount": "250000.00",
    },
    {"category": "training", "description": "Trainers and courses", "amount": "200000.00"},
]


def _users() -> dict[str, User]:
    return {
        u.username: u for u in User.objects.filter(username__in=["college", "officer", "officer2"])
    }


def pay_and_report(program: FundProgram, award: Award, today: date) -> None:
    """The approved award's money and results (its 450,000 of 500,000 requested)."""
    users = _users()
    for order, (name, unit, target) in enumerate(INDICATORS):
        PerformanceIndicator.objects.create(
            program=program, name=name, unit=unit, target=Decimal(target), order=order
        )
    application = award.application
    BudgetRevision.objects.create(
        award=award,
        lines=REVISED_LINES,
        note="One CNC machine fewer; the trainers as planned.",
        status=RevisionStatus.ACCEPTED,
        proposed_by=users["college"],
        decided_by=users["officer"],
        decided_at=timezone.now() - timedelta(days=9),
        comment="Agreed.",
    )
    application.budget_lines.all().delete()
    lines = [
        BudgetLine.objects.create(
            application=application,
            category=line["category"],
            description=line["description"],
            amount=Decimal(line["amount"]),
        )
        for line in REVISED_LINES
    ]
    released = Tranche.objects.create(
        award=award,
        amount=Decimal("150000.00"),
        due_date=today - timedelta(days=9),
        status=TrancheStatus.RELEASED,
        released_at=timezone.now() - timedelta(days=9),
        released_by=users["officer2"],
    )
    Payment.objects.create(
        tranche=released,
        amount=released.amount,
        paid_on=today - timedelta(days=9),
        voucher_number="JZ-2026-0417",
        payee_account="6222 0210 0101 8888 (Riverside Vocational College)",
        recorded_by=users["officer2"],
    )
    ready = Tranche.objects.create(
        award=award,
        amount=Decimal("100000.00"),
        due_date=today + timedelta(days=3),
        milestone="CNC machines installed and accepted",
    )
    attachment_add(
        actor=users["college"],
        record=ready,
        upload=SimpleUploadedFile(
            "cnc-acceptance.pdf",
            demo_pdf("Demo document: acceptance record of the CNC machines"),
            content_type="application/pdf",
        ),
        description="Acceptance record signed by the supplier and the college",
    )
    Tranche.objects.create(
        award=award,
        amount=Decimal("200000.00"),
        due_date=today + timedelta(days=90),
        milestone="40 placements delivered and the workshop in use",
    )
    report = ProgressReport.objects.create(
        award=award,
        due_date=today - timedelta(days=5),
        period_start=today - timedelta(days=40),
        period_end=today - timedelta(days=11),
        narrative="Two CNC machines delivered and installed; 14 students placed at Huaxin; "
        "5 teachers trained by the supplier.",
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=6),
        spent_to_date=Decimal("145000.00"),
    )
    for indicator, value in zip(program.indicators.all(), ("14", "5", "120"), strict=True):
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))
    for line, spent in zip(lines, ("130000.00", "15000.00"), strict=True):
        ReportSpend.objects.create(
            report=report, budget_line=line, description=line.description, amount=Decimal(spent)
        )


def reduced_award_waiting(program: FundProgram, today: date) -> FundApplication:
    """A second award below its request, whose revised budget waits for the department."""
    users = _users()
    eastlake = Organization.objects.get(name="Eastlake Polytechnic")
    eastlake_admin = User.objects.get(username="college2")
    application = FundApplication.objects.create(
        program=program,
        applicant=eastlake,
        reference=next_reference("APP"),
        title="Industrial robot maintenance course",
        summary="A one-year maintenance course with two teaching robots.",
        requested_amount=Decimal("240000.00"),
        status=ApplicationStatus.APPROVED,
        submitted_at=timezone.now() - timedelta(days=25),
        decided_at=timezone.now() - timedelta(days=2),
        decided_by=users["officer2"],
        decision_reasons="Funded at 200,000: one teaching robot is enough for the first year.",
    )
    for category, description, amount in (
        ("equipment", "Two teaching robots", "160000.00"),
        ("training", "Course design and trainers", "80000.00"),
    ):
        BudgetLine.objects.create(
            application=application,
            category=category,
            description=description,
            amount=Decimal(amount),
        )
    award = Award.objects.create(
        application=application,
        program=program,
        amount=Decimal("200000.00"),
        needs_budget_revision=True,
    )
    FundProgram.objects.filter(pk=program.pk).update(committed=F("committed") + award.amount)
    services.budget_revision_propose(
        actor=eastlake_admin,
        award=award,
        lines=[
            {"category": "equipment", "description": "One teaching robot", "amount": "120000.00"},
            {
                "category": "training",
                "description": "Course design and trainers",
                "amount": "80000",
            },
        ],
        note="One robot in the first year, as the decision says.",
    )
    return application
