"""Demo questions of the open fund program, the demo applications' answers and
submitted versions, and one application the department asked more of, resubmitted as
version 2 (called by ``funding.demo.seed``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from .. import services
from ..models import (
    ApplicationAnswer,
    FundApplication,
    FundProgram,
    ProgramQuestion,
    QuestionKind,
)

RESUBMITTED_TITLE = "Robot technician training centre"
COOPERATION_KINDS = [
    "Industry college",
    "Practice base",
    "Order class (joint training)",
    "Teacher workstation",
    "Other",
]
QUESTIONS = [
    # label, kind, help text
    (
        "Goals: what will students and teachers gain?",
        QuestionKind.LONG_TEXT,
        "The skills, qualifications and placements the project leads to.",
    ),
    ("Number of students benefiting each year", QuestionKind.NUMBER, ""),
    (
        "Matching funds from the partners (yuan)",
        QuestionKind.MONEY,
        "What the enterprise and college put in besides this fund.",
    ),
    ("Planned start date", QuestionKind.DATE, ""),
    ("Main kind of cooperation", QuestionKind.CHOICE, ""),
]
# The applicant's admin, who submitted each demo application.
SUBMITTERS = {
    "Riverside Vocational College": "college",
    "Eastlake Polytechnic": "college2",
    "Huaxin Precision Manufacturing": "enterprise",
    "Lanting Software": "enterprise2",
}
# title: (students, matching funds, days from today to the start, kind of cooperation)
ANSWERS = {
    "CNC workshop for the industry college": (120, "150000.00", 20, "Industry college"),
    RESUBMITTED_TITLE: (60, "200000.00", 45, "Practice base"),
    "Software testing practice base": (40, "50000.00", 60, "Practice base"),
    "Smart manufacturing teaching lab": None,  # a draft: only its goals so far
    "Campus 3D printing club": (25, "0.00", 30, "Other"),
    "Coding bootcamp for teachers": (30, "20000.00", 15, "Teacher workstation"),
}


def add_questions(program: FundProgram) -> list[ProgramQuestion]:
    """The open program's questions: written directly, as its criteria are (the service
    takes questions only while a program is a draft)."""
    return [
        ProgramQuestion.objects.create(
            program=program,
            label=label,
            kind=kind,
            help_text=help_text,
            choices=COOPERATION_KINDS if kind == QuestionKind.CHOICE else [],
            required=True,
            order=order,
        )
        for order, (label, kind, help_text) in enumerate(QUESTIONS)
    ]


def answer(application: FundApplication, questions: list[ProgramQuestion]) -> None:
    """The application's answers and, once it was submitted, its version 1."""
    goals, students, matching, start, kind = questions
    rows = [
        (
            goals,
            f"{application.title}: hands-on training on current equipment, "
            "with enterprise mentors and a year of placements.",
        )
    ]
    figures = ANSWERS.get(application.title)
    if figures is not None:
        count, amount, days, cooperation = figures
        start_on = timezone.localdate() + timedelta(days=days)
        rows += [
            (students, str(count)),
            (matching, amount),
            (start, start_on.isoformat()),
            (kind, cooperation),
        ]
    for question, value in rows:
        ApplicationAnswer.objects.create(application=application, question=question, value=value)
    if application.submitted_at is not None:
        submitter = User.objects.filter(username=SUBMITTERS.get(application.applicant.name)).first()
        services.version_record(actor=submitter, application=application)
        FundApplication.objects.filter(pk=application.pk).update(version=application.version)


def request_and_resubmit(application: FundApplication, questions: list[ProgramQuestion]) -> None:
    """Under review with its reviews of version 1: the department asks for more, the
    applicant answers (summary, a student count, matching funds, the budget) and
    resubmits it as version 2."""
    if application.title != RESUBMITTED_TITLE:
        return
    officer = User.objects.get(username="officer")
    applicant = User.objects.get(username=SUBMITTERS[application.applicant.name])
    application = services.application_request_info(
        actor=officer,
        application=application,
        questions="How many of the trainees come from partner colleges? Please show the "
        "enterprise's own contribution (mentors' time) in the budget.",
    )
    _goals, students, matching, _start, _kind = questions
    services.application_update(
        actor=applicant,
        application=application,
        summary=application.summary + " 50 of the 80 trainees a year come from Riverside "
        "Vocational College; Huaxin's engineers mentor them on paid time.",
        requested_amount=Decimal("620000.00"),
        answers={students.pk: "80", matching.pk: "250000.00"},
    )
    services.budget_lines_replace(
        actor=applicant,
        application=application,
        lines=[
            ("equipment", "Equipment", Decimal("350000.00")),
            ("training", "Trainers and courses", Decimal("240000.00")),
            ("personnel", "Enterprise mentors' time", Decimal("30000.00")),
        ],
    )
    services.application_resubmit(actor=applicant, application=application)
