"""Demo associations: the Regional Manufacturing Industry Association with two membership
types and three members — Huaxin (a council member, renewed once), Riverside (active)
and Lanting (its year ended a fortnight ago: in grace, to renew) — and their dues; its
talent-demand reports for the region's manufacturing industry (the current forecast,
published this week, and last year's); and the work the Municipal Education Bureau
entrusts to it:

- an evaluation of Huaxin's cooperation, accepted and running, whose scope opens Huaxin's
  agreements, partnerships, practice base and placements to the association; under it
  the association's published assessment of Huaxin (five criteria, citing Huaxin's
  agreements, practice base, industry college and placement), which Huaxin has yet to
  answer, and its report due within two weeks;
- a certification review, accepted and running, scoped to Huaxin's certification
  application and the evidence behind it; Huaxin's application (investments by year and
  kind), submitted by ``enterprise`` and under review since ``officer2`` started it
  under this entrustment, with the association's assessment of it in draft, half scored;
- the talent-demand forecast, delivered three days ago with its files, for ``officer2``
  to approve or return;
- a skills assessment, proposed by ``officer2`` today, for ``association`` to accept.

Written through the services, so the data keeps their rules. The services stamp what
they do with the present: where the demo tells of the past (a membership of last year,
an entrustment accepted weeks ago, an assessment published on a given day) the
timestamps are moved back afterwards, in the order the services would have kept, and
the notifications of those past events are dated then, read and not emailed, as in
``governance.demo``. The association's reads of Huaxin's records through the scopes,
while drafting, are logged as the pages would log them. Idempotent: by the
association's membership types and reports, by the entrustments' titles, and by
Huaxin's certification applications.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from accounts.models import Organization, User
from internships.demo import demo_pdf
from internships.models import Placement, PracticeBase, Secondment
from partnerships.models import Agreement, Partnership
from portal import access
from portal.attachments import attachment_add
from portal.models import Notification

from .models import (
    CertificationApplication,
    Deliverable,
    Entrustment,
    EntrustmentKind,
    InvestmentKind,
    MembershipType,
    ScopedRead,
    TalentDemandReport,
)
from .services import assessments as assessment_services
from .services import certifications as certification_services
from .services import demand as demand_services
from .services import entrustments as entrustment_services
from .services import memberships as membership_services

ASSOCIATION = "Regional Manufacturing Industry Association"
BUREAU = "Municipal Education Bureau"
HUAXIN = "Huaxin Precision Manufacturing"
LANTING = "Lanting Software"
RIVERSIDE = "Riverside Vocational College"
ORGANIZATIONS = (ASSOCIATION, BUREAU, HUAXIN, LANTING, RIVERSIDE)
# The association's admin, the bureau's admin, Huaxin's admin.
DEMO_USERS = ("association", "officer2", "enterprise")

# Records of the other apps' demos the assessments cite.
FRAMEWORK_AGREEMENT = "Framework agreement on the Huaxin Intelligent Manufacturing Industry College"
TRAINING_AGREEMENT = "Joint training agreement for industrial robot technicians"
INDUSTRY_COLLEGE = "Huaxin Intelligent Manufacturing Industry College"
PRACTICE_BASE = "Huaxin Intelligent Manufacturing Practice Base"
PLACEMENT = "CNC operator, on-the-job internship (岗位实习)"

# --- members ----------------------------------------------------------------------------

COUNCIL_MEMBER = "Council member (理事单位)"
ORDINARY_MEMBER = "Ordinary member (会员单位)"

# name, annual dues, description
MEMBERSHIP_TYPES = [
    (
        COUNCIL_MEMBER,
        Decimal("20000.00"),
        "A seat on the association's council, which elects its officers and adopts its "
        "standards; for member enterprises and colleges that lead in the region's industry.",
    ),
    (
        ORDINARY_MEMBER,
        Decimal("5000.00"),
        "Takes part in the general assembly, the surveys of talent demand and the skills "
        "standards' working groups.",
    ),
]

# member, type, started (days ago), renewed (days ago, by a year) or None, dues paid
# (days ago). Lanting's year ended a fortnight ago: it is in grace, to renew.
MEMBERS = [
    (HUAXIN, COUNCIL_MEMBER, 500, 150, [498, 148]),
    (RIVERSIDE, ORDINARY_MEMBER, 200, None, [197]),
    (LANTING, ORDINARY_MEMBER, 380, None, [376]),
]

# --- talent demand --------------------------------------------------------------------

INDUSTRY = "Manufacturing"
REGION = "Hangzhou"

# specialty: (people needed in each of three years, note on the first year)
Demand = dict[str, tuple[tuple[int, int, int], str]]

DEMAND: Demand = {
    "CNC machining": ((420, 460, 500), "Five-axis machining above all."),
    "Mechatronics": ((380, 410, 450), ""),
    "Industrial robotics": ((260, 320, 390), "Welding and palletising lines being automated."),
    "Equipment maintenance": ((210, 220, 240), ""),
    "Quality inspection": ((150, 160, 170), "Coordinate measuring and vision inspection."),
    "Industrial software (PLC and MES)": ((120, 150, 190), ""),
}
# Last year's forecast, from a smaller survey.
EARLIER_DEMAND: Demand = {
    "CNC machining": ((400, 430, 450), ""),
    "Mechatronics": ((360, 390, 420), ""),
    "Industrial robotics": ((220, 270, 320), ""),
    "Equipment maintenance": ((200, 210, 220), ""),
}

# --- entrustments ---------------------------------------------------------------------

EVALUATION = "Quality evaluation of Huaxin Precision Manufacturing's cooperation with colleges"
CERTIFICATION_REVIEW = (
    "Review of applications for certification as industry–education integration enterprises"
)
FORECAST = "Talent-demand forecast for the region's manufacturing industry"
SKILLS = "Skills assessment of the autumn CNC machining apprentices"

EVALUATION_ASSESSMENT = "Huaxin Precision Manufacturing: quality of its cooperation with colleges"
CERTIFICATION_ASSESSMENT = (
    "Huaxin Precision Manufacturing: certification as an industry–education integration enterprise"
)

# Each criterion: name, weight, score of 10, comment. 76.50 of 100 in all.
EVALUATION_RUBRIC = [
    (
        "Agreements in force and responsibilities kept",
        Decimal("25"),
        Decimal("8"),
        "The framework agreement on the industry college is active and signed by Riverside, "
        "Huaxin and the Bureau; the insurance responsibility is fulfilled (group policy "
        "PICC-2026-0418), the 40 spring placements are still to be provided.",
    ),
    (
        "Practice base: stations, safety and guidance",
        Decimal("20"),
        Decimal("9"),
        "40 training stations in the CNC and assembly workshops, a named safety officer, run "
        "jointly with Riverside's school of intelligent manufacturing.",
    ),
    (
        "Internship placements: pay, insurance and guidance",
        Decimal("25"),
        Decimal("7"),
        "On-the-job interns are paid 4,200 yuan a month, 84% of the regular wage, insured by "
        "Huaxin and guided by a senior engineer; a draft placement on a night rota would not "
        "pass the internship rules and has rightly not been published.",
    ),
    (
        "Enterprise teachers and curriculum",
        Decimal("15"),
        Decimal("8"),
        "Huaxin engineers teach in the industry college and rewrote the mechatronics "
        "curriculum with Riverside; the precision machining teacher workstation is suspended.",
    ),
    (
        "Employment of graduates",
        Decimal("15"),
        Decimal("6"),
        "Graduates who completed a placement are offered employment first under the "
        "framework agreement, but no hiring figures have been recorded yet.",
    ),
]
EVALUATION_SCORE = Decimal("76.50")

# The certification's rubric as drafted so far: two criteria still to score.
CERTIFICATION_RUBRIC = [
    (
        "Investment in education, declared and evidenced",
        Decimal("30"),
        Decimal("8"),
        "4.33 million yuan over two years, 4.03 million of it qualifying; the equipment and "
        "the second training workshop are seen at the practice base.",
    ),
    (
        "Practice base and training stations",
        Decimal("20"),
        Decimal("9"),
        "An active practice base with 40 stations, shared with Riverside.",
    ),
    ("Interns hosted and their conditions", Decimal("20"), None, ""),
    ("Teachers hosted for practice", Decimal("15"), None, ""),
    (
        "Cooperation agreements in force",
        Decimal("15"),
        Decimal("8"),
        "The industry college's framework agreement and the joint training agreement for "
        "robot technicians, both binding.",
    ),
]

CERTIFICATION_STATEMENT = (
    "Huaxin Precision Manufacturing has run the Huaxin Intelligent Manufacturing Industry "
    "College with Riverside Vocational College since its founding: our engineers teach a "
    "quarter of its practical courses, our CNC workshop is its practice base two days a "
    "week, and we host 40 paid interns a year under the framework agreement. Over the last "
    "two years we invested in teaching equipment, a second training workshop, interns' pay, "
    "engineers' teaching time and a scholarship, as declared below. We apply to be certified "
    "as an industry–education integration enterprise under the Implementing Measures for "
    "Building Industry–Education Integration Enterprises (发改社会〔2019〕590号)."
)


def certification_investments(this_year: int) -> list[dict]:
    """What Huaxin invested in the last two years, by year and kind (the joint research
    with Eastlake is declared but does not qualify for the surtax credit)."""
    before, last = this_year - 2, this_year - 1
    return [
        {
            "year": before,
            "kind": InvestmentKind.EQUIPMENT,
            "amount": Decimal("1200000.00"),
            "description": "Two five-axis CNC machining centres for the practice base",
        },
        {
            "year": before,
            "kind": InvestmentKind.INTERNSHIPS,
            "amount": Decimal("840000.00"),
            "description": "Pay of 40 on-the-job interns",
        },
        {
            "year": before,
            "kind": InvestmentKind.TEACHERS,
            "amount": Decimal("260000.00"),
            "description": "Engineers' teaching time at the industry college",
        },
        {
            "year": last,
            "kind": InvestmentKind.TRAINING_BASE,
            "amount": Decimal("650000.00"),
            "description": "A second assembly workshop fitted out for training",
        },
        {
            "year": last,
            "kind": InvestmentKind.INTERNSHIPS,
            "amount": Decimal("960000.00"),
            "description": "Pay of 40 on-the-job interns",
        },
        {
            "year": last,
            "kind": InvestmentKind.SCHOLARSHIPS,
            "amount": Decimal("120000.00"),
            "description": "Huaxin scholarships for 40 Riverside students",
        },
        {
            "year": last,
            "kind": InvestmentKind.RESEARCH,
            "amount": Decimal("300000.00"),
            "qualifying": False,
            "description": "Sensor calibration research with Eastlake Polytechnic",
        },
    ]


# --- helpers ----------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _backdate(record, **fields) -> None:
    """Move timestamps a service wrote as now to when the demo says it happened."""
    type(record)._default_manager.filter(pk=record.pk).update(**fields)


@contextmanager
def _in_the_past(moment: datetime) -> Iterator[None]:
    """The notifications the services send inside the block tell of what happened at
    ``moment``: they are dated then, read, and not emailed today."""
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    Notification.objects.filter(pk__gt=last).update(
        created_at=moment, read_at=moment, email_pending=False
    )


def _read_through_the_scope(user, records, moment: datetime) -> None:
    """Log the records the user read through an entrustment's scope, as the pages
    would have logged them at ``moment``."""
    last = ScopedRead.objects.aggregate(last=Max("pk"))["last"] or 0
    access.forget_grants(user)  # the scopes opened since are read afresh
    access.note_reads(user, records)
    ScopedRead.objects.filter(pk__gt=last).update(read_at=moment)


def _rubric(rows) -> list[dict]:
    return [
        {"name": name, "weight": weight, "max_score": 10, "score": score, "comment": comment}
        for name, weight, score, comment in rows
    ]


def _evidence(rows) -> list[dict]:
    """``(record, note)`` pairs as the service takes them; records missing from the
    other demos are left out."""
    return [
        {"record_kind": record._meta.label_lower, "record_id": record.pk, "note": note}
        for record, note in rows
        if record is not None
    ]


def _huaxin_records() -> dict[str, object]:
    """The records of the other demos that the assessments cite (None where absent)."""
    return {
        "framework": Agreement.objects.filter(title=FRAMEWORK_AGREEMENT).first(),
        "training": Agreement.objects.filter(title=TRAINING_AGREEMENT).first(),
        "industry_college": Partnership.objects.filter(name=INDUSTRY_COLLEGE).first(),
        "practice_base": PracticeBase.objects.filter(name=PRACTICE_BASE).first(),
        "placement": Placement.objects.filter(title=PLACEMENT).first(),
        "secondment": Secondment.objects.filter(host__name=HUAXIN).order_by("-start_date").first(),
    }


# --- seeding ----------------------------------------------------------------------------


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=ORGANIZATIONS)}
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERS)}
    if len(organizations) < len(ORGANIZATIONS) or len(users) < len(DEMO_USERS):
        return
    today = timezone.localdate()
    seed_memberships(organizations, users["association"], today, log)
    seed_reports(organizations[ASSOCIATION], users["association"], today, log)
    seed_forecast(organizations, users, today, log)
    seed_evaluation(organizations, users, today, log)
    seed_certification_review(organizations, users, today, log)
    seed_skills_proposal(organizations, users["officer2"], today, log)


def seed_memberships(organizations, keeper: User, today: date, log) -> None:
    """Once: the membership types, the three members since their start, Huaxin's renewal
    and the dues paid."""
    association = organizations[ASSOCIATION]
    if MembershipType.objects.filter(association=association).exists():
        return
    first = today - timedelta(days=max(started for _m, _t, started, _r, _p in MEMBERS) + 30)
    types = {}
    for name, dues, description in MEMBERSHIP_TYPES:
        types[name] = membership_services.membership_type_create(
            actor=keeper,
            association=association,
            name=name,
            annual_dues=dues,
            description=description,
        )
        _backdate(types[name], created_at=_at(first, 10))
    for member, type_name, started, renewed, payments in MEMBERS:
        start = today - timedelta(days=started)
        membership = membership_services.membership_create(
            actor=keeper,
            association=association,
            member=organizations[member],
            membership_type=types[type_name],
            start_date=start,
            end_date=start + relativedelta(years=1) - timedelta(days=1),
        )
        _backdate(membership, created_at=_at(start, 9))
        if renewed is not None:
            membership = membership_services.membership_renew(
                actor=keeper, membership=membership, years=1
            )
            membership.renewals.update(renewed_at=_at(today - timedelta(days=renewed), 11))
        for paid in payments:
            paid_on = today - timedelta(days=paid)
            payment = membership_services.dues_payment_record(
                actor=keeper,
                membership=membership,
                amount=types[type_name].annual_dues,
                paid_on=paid_on,
                reference=f"Bank transfer {paid_on:%Y%m%d}-{membership.number}",
            )
            _backdate(payment, created_at=_at(paid_on + timedelta(days=1), 10))
        log(f"membership {membership.number} of {member} ({membership.get_status_display()})")


def seed_reports(association: Organization, author: User, today: date, log) -> None:
    """Once: last year's forecast for the region's manufacturing industry, and this
    year's, published five days ago."""
    if TalentDemandReport.objects.filter(association=association).exists():
        return
    # first year, demand, published (days ago)
    editions = [(today.year - 1, EARLIER_DEMAND, 370), (today.year, DEMAND, 5)]
    for first_year, demand, published in editions:
        report = demand_services.report_create(
            actor=author,
            association=association,
            title=f"Talent demand in {REGION}'s manufacturing industry, "
            f"{first_year}–{first_year + 2}",
            industry=INDUSTRY,
            region=REGION,
            first_year=first_year,
            last_year=first_year + 2,
            summary=f"From the association's survey of its member enterprises' hiring plans "
            f"for {first_year}–{first_year + 2}: the people of each specialty they expect to "
            "take on from vocational colleges. Demand grows fastest in industrial robotics "
            "as members automate their lines; CNC machining remains the largest.",
            rows=[
                {
                    "specialty": specialty,
                    "year": first_year + offset,
                    "people": people,
                    "note": note if offset == 0 else "",
                }
                for specialty, (figures, note) in demand.items()
                for offset, people in enumerate(figures)
            ],
        )
        report = demand_services.report_publish(actor=author, report=report)
        published_at = _at(today - timedelta(days=published), 10)
        _backdate(report, created_at=published_at - timedelta(days=10), published_at=published_at)
        log(f"talent-demand report {report.title} (published)")


def _entrust(officer: User, organizations, created: datetime, **fields) -> Entrustment:
    with _in_the_past(created):
        entrustment = entrustment_services.entrustment_create(
            actor=officer,
            department=organizations[BUREAU],
            association=organizations[ASSOCIATION],
            **fields,
        )
    _backdate(entrustment, created_at=created)
    return entrustment


def _accept(admin: User, entrustment: Entrustment, accepted: datetime) -> Entrustment:
    with _in_the_past(accepted):
        entrustment = entrustment_services.entrustment_accept(actor=admin, entrustment=entrustment)
    _backdate(entrustment, accepted_at=accepted)
    access.forget_grants(admin)  # the scope it opens is read afresh
    return entrustment


def seed_forecast(organizations, users, today: date, log) -> None:
    """Once: the forecast entrusted four months ago, delivered three days ago with the
    report and the survey attached, for the Bureau to approve or return."""
    if Entrustment.objects.filter(title=FORECAST).exists():
        return
    officer, admin = users["officer2"], users["association"]
    entrustment = _entrust(
        officer,
        organizations,
        _at(today - timedelta(days=130), 15),
        title=FORECAST,
        kind=EntrustmentKind.FORECAST,
        description="Survey the member enterprises' hiring plans and forecast the people of "
        "each specialty the region's manufacturing industry will need over the next three "
        "years, for the colleges' enrolment plans (Vocational Education Law, art. 23).",
        amount=Decimal("60000.00"),
        start_date=today - timedelta(days=120),
        end_date=today + timedelta(days=30),
        deliverables=[
            {"title": "Talent-demand report for the next three years", "due_date": today},
            {"title": "Survey of member enterprises' hiring plans", "due_date": today},
        ],
    )
    entrustment = _accept(admin, entrustment, _at(today - timedelta(days=125), 9, 30))
    delivered = _at(today - timedelta(days=3), 16)
    files = {
        "Talent-demand report for the next three years": "talent-demand-report",
        "Survey of member enterprises' hiring plans": "hiring-plans-survey",
    }
    for deliverable in entrustment.deliverables.all():
        attachment = attachment_add(
            actor=admin,
            record=deliverable,
            upload=SimpleUploadedFile(
                f"{files[deliverable.title]}.pdf",
                demo_pdf(f"Demo document: {files[deliverable.title]}"),
                content_type="application/pdf",
            ),
            description=deliverable.title,
        )
        _backdate(attachment, created_at=delivered - timedelta(hours=2))
    with _in_the_past(delivered):
        entrustment = entrustment_services.entrustment_deliver(actor=admin, entrustment=entrustment)
    _backdate(entrustment, delivered_at=delivered)
    Deliverable.objects.filter(entrustment=entrustment).update(delivered_at=delivered)
    log(f"entrustment {FORECAST} (delivered)")


def seed_evaluation(organizations, users, today: date, log) -> None:
    """Once: the evaluation of Huaxin's cooperation, accepted six weeks ago, and the
    association's assessment under it, published twelve days ago, not yet answered."""
    if Entrustment.objects.filter(title=EVALUATION).exists():
        return
    officer, admin = users["officer2"], users["association"]
    huaxin = organizations[HUAXIN]
    entrustment = _entrust(
        officer,
        organizations,
        _at(today - timedelta(days=50), 14),
        title=EVALUATION,
        kind=EntrustmentKind.EVALUATION,
        description="Evaluate the quality of Huaxin's cooperation with colleges — its "
        "agreements and how it keeps them, the industry college, its practice base and "
        "its internship placements — on a published rubric, for the Bureau's annual "
        "review of school–enterprise cooperation.",
        amount=Decimal("80000.00"),
        start_date=today - timedelta(days=45),
        end_date=today + timedelta(days=75),
        scope_organizations=[huaxin],
        scope_kinds=[
            "partnerships.agreement",
            "partnerships.partnership",
            "internships.practicebase",
            "internships.placement",
        ],
        deliverables=[
            {
                "title": "Evaluation report on Huaxin's cooperation",
                "due_date": today + timedelta(days=10),
            },
            {
                "title": "Briefing for the Bureau's annual review of cooperation",
                "due_date": today + timedelta(days=60),
            },
        ],
    )
    entrustment = _accept(admin, entrustment, _at(today - timedelta(days=47), 10))
    log(f"entrustment {EVALUATION} (accepted)")

    records = _huaxin_records()
    cited = [
        (records["framework"], "Active; the spring placements are still to be provided."),
        (records["training"], "Signed; the association certifies the trainees."),
        (records["industry_college"], "Run jointly with Riverside since its founding."),
        (records["practice_base"], "40 stations, visited during the evaluation."),
        (records["placement"], "Pay, insurance and guidance checked."),
    ]
    drafted = _at(today - timedelta(days=20), 11)
    reading = drafted - timedelta(hours=1)
    _read_through_the_scope(admin, [record for record, _note in cited], reading)
    assessment = assessment_services.assessment_create(
        actor=admin,
        assessor=organizations[ASSOCIATION],
        organization=huaxin,
        entrustment=entrustment,
        title=EVALUATION_ASSESSMENT,
        summary="Huaxin's cooperation with Riverside is broad and well run: a binding "
        "framework agreement, an industry college, a practice base with 40 stations and "
        "paid, insured placements. It falls short on the evidence of graduates' "
        "employment and has yet to provide this spring's 40 placements.",
        criteria=_rubric(EVALUATION_RUBRIC),
        evidence=_evidence(cited),
    )
    _backdate(assessment, created_at=drafted)
    published = _at(today - timedelta(days=12), 15)
    with _in_the_past(published):
        assessment = assessment_services.assessment_publish(actor=admin, assessment=assessment)
    _backdate(assessment, published_at=published)
    log(f"assessment {EVALUATION_ASSESSMENT} ({assessment.score} of 100, published)")


def seed_certification_review(organizations, users, today: date, log) -> None:
    """Once: the certification review entrusted a month ago; Huaxin's application,
    submitted by ``enterprise`` and under review since ``officer2`` started it two weeks
    ago; the association's assessment of it, in draft with two criteria to score."""
    huaxin = organizations[HUAXIN]
    if (
        Entrustment.objects.filter(title=CERTIFICATION_REVIEW).exists()
        or CertificationApplication.objects.filter(enterprise=huaxin).exists()
    ):
        return
    officer, admin, applicant = users["officer2"], users["association"], users["enterprise"]
    entrustment = _entrust(
        officer,
        organizations,
        _at(today - timedelta(days=33), 14),
        title=CERTIFICATION_REVIEW,
        kind=EntrustmentKind.CERTIFICATION,
        description="Review the applications for certification as an industry–education "
        "integration enterprise: check each enterprise's declared investment against its "
        "cooperation records and assess it on the Bureau's rubric, for the Bureau to "
        "certify or refuse (发改社会〔2019〕590号).",
        amount=Decimal("120000.00"),
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=150),
        scope_organizations=[huaxin],
        scope_kinds=[
            "associations.certificationapplication",
            "partnerships.agreement",
            "partnerships.partnership",
            "internships.practicebase",
            "internships.placement",
            "internships.secondment",
            "funding.fundapplication",
        ],
        deliverables=[
            {
                "title": "Review opinion on each application",
                "due_date": today + timedelta(days=90),
            },
        ],
    )
    entrustment = _accept(admin, entrustment, _at(today - timedelta(days=31), 10))
    log(f"entrustment {CERTIFICATION_REVIEW} (accepted)")

    drafted = _at(today - timedelta(days=25), 10)
    application = certification_services.certification_create(
        actor=applicant,
        enterprise=huaxin,
        statement=CERTIFICATION_STATEMENT,
        investments=certification_investments(today.year),
    )
    _backdate(application, created_at=drafted)
    submitted = _at(today - timedelta(days=20), 17)
    with _in_the_past(submitted):
        application = certification_services.certification_submit(
            actor=applicant, application=application
        )
    _backdate(application, submitted_at=submitted)
    started = _at(today - timedelta(days=14), 9)
    with _in_the_past(started):
        application = certification_services.certification_start_review(
            actor=officer, application=application, entrustment=entrustment
        )
    _backdate(application, review_started_at=started)
    log(f"certification application {application.number} of {HUAXIN} (under review)")

    records = _huaxin_records()
    cited = [
        (application, "The declaration and its investment rows."),
        (records["framework"], "Huaxin's 40 placements a year and its engineers teaching."),
        (records["practice_base"], "The equipment declared is in use here."),
        (records["secondment"], "Riverside teachers in Huaxin's workshop."),
    ]
    drafted = _at(today - timedelta(days=6), 14)
    reading = drafted - timedelta(hours=1)
    _read_through_the_scope(admin, [record for record, _note in cited], reading)
    assessment = assessment_services.assessment_create(
        actor=admin,
        assessor=organizations[ASSOCIATION],
        organization=huaxin,
        entrustment=entrustment,
        certification=application,
        title=CERTIFICATION_ASSESSMENT,
        summary="Draft: the investment and the practice base are checked; the interns' "
        "conditions and the teachers hosted are still to be scored after the site visit.",
        criteria=_rubric(CERTIFICATION_RUBRIC),
        evidence=_evidence(cited),
    )
    _backdate(assessment, created_at=drafted)
    log(f"assessment {CERTIFICATION_ASSESSMENT} (draft)")


def seed_skills_proposal(organizations, officer: User, today: date, log) -> None:
    """Once: a skills assessment the Bureau proposes today, for the association's admin
    to accept or decline (its notification is news: left unread)."""
    if Entrustment.objects.filter(title=SKILLS).exists():
        return
    entrustment_services.entrustment_create(
        actor=officer,
        department=organizations[BUREAU],
        association=organizations[ASSOCIATION],
        title=SKILLS,
        kind=EntrustmentKind.SKILLS,
        description="Assess the autumn intake of CNC machining apprentices against the "
        "association's skills standard and issue the level certificates.",
        amount=Decimal("45000.00"),
        start_date=today + timedelta(days=10),
        end_date=today + timedelta(days=100),
        deliverables=[
            {
                "title": "Results of the skills assessment",
                "due_date": today + timedelta(days=90),
            },
        ],
    )
    log(f"entrustment {SKILLS} (proposed)")
