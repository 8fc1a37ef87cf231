"""Demo practice base and placements: a base Huaxin hosts for Riverside, an observation
and an on-the-job placement (5 slots) published by Huaxin, and a draft with a
compliance problem so that ``enterprise`` has real work; and 40 Riverside students
across four enrolment years; three Riverside teachers' secondments at Huaxin; and
nominations in every status, on Huaxin's placements and on one Lanting opens to
Riverside (so that ``enterprise2`` has work too), with the one started internship's
gates and the completed one's evaluations in place. Idempotent by name, title and
student number (secondments: once per college; nominations: once per placement)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization, User
from partnerships.models import Agreement, AgreementKind
from portal.attachments import attachment_add
from portal.models import Attachment

from . import compliance
from .models import (
    HOLDING_STATUSES,
    SLOT_STATUSES,
    Evaluation,
    EvaluatorRole,
    InsurancePayer,
    InternshipType,
    Nomination,
    NominationStatus,
    OpenTo,
    Placement,
    PlacementStatus,
    PracticeBase,
    PracticeBaseCollege,
    PracticeBaseStatus,
    Secondment,
    Student,
    StudentStatus,
)

HOST = "Huaxin Precision Manufacturing"
COLLEGE = "Riverside Vocational College"
BASE = "Huaxin Intelligent Manufacturing Practice Base"

COMMON = {
    "city": "Hangzhou",
    "address": "88 Binjiang Industrial Park, Hangzhou",
    "specialties": "CNC machining, mechatronics",
    "guide_name": "Zhou Wei",
    "guide_title": "Senior engineer",
    "guide_phone": "0571-8800 1234",
    "host_staff_count": 420,
    "same_post_staff_count": 40,
    "insurance_paid_by": InsurancePayer.ENTERPRISE,
    "open_to": OpenTo.PARTNERS,
}

# title, type, status, start offset, length in days, fields
PLACEMENTS = [
    (
        "Workshop observation week (认识实习)",
        InternshipType.OBSERVATION,
        PlacementStatus.PUBLISHED,
        30,
        5,
        {"slots": 20, "monthly_pay": Decimal("0"), "regular_wage": Decimal("0")},
    ),
    (
        "CNC operator, on-the-job internship (岗位实习)",
        InternshipType.ON_THE_JOB,
        PlacementStatus.PUBLISHED,
        45,
        150,
        {"slots": 5, "monthly_pay": Decimal("4200.00"), "regular_wage": Decimal("5000.00")},
    ),
    (
        "Assembly line intern, night rota (draft)",
        InternshipType.ON_THE_JOB,
        PlacementStatus.DRAFT,
        60,
        120,
        # Below 80% of the wage and on night shifts: publishing is refused until fixed.
        {
            "slots": 8,
            "monthly_pay": Decimal("3000.00"),
            "regular_wage": Decimal("4500.00"),
            "night_shifts": True,
        },
    ),
]


SPECIALTIES = ["CNC machining", "Mechatronics", "Industrial robotics", "Software technology"]
SURNAMES = "王李张刘陈杨黄赵周吴"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"]


def demo_students(year: int) -> list[Student]:
    """40 students: ten per enrolment year over the last four years; the oldest year
    has graduated, one student is suspended and one has withdrawn."""
    students = []
    for index in range(40):
        enrolled = year - 3 + index // 10
        specialty = SPECIALTIES[index % len(SPECIALTIES)]
        status = StudentStatus.GRADUATED if enrolled == year - 3 else StudentStatus.ENROLLED
        status = {17: StudentStatus.SUSPENDED, 23: StudentStatus.WITHDRAWN}.get(index, status)
        students.append(
            Student(
                student_number=f"RV{enrolled}{index:03d}",
                name=SURNAMES[index % 10] + GIVEN_NAMES[index % 8] + GIVEN_NAMES[(index // 8) % 8],
                specialty=specialty,
                class_name=f"{specialty.split()[0]} {enrolled % 100}-{index % 2 + 1}",
                enrolment_year=enrolled,
                phone=f"138 0571 {index:04d}",
                guardian_name=SURNAMES[index % 10] + "先生",
                guardian_phone=f"139 0571 {index:04d}",
                status=status,
            )
        )
    return students


def seed_students(college, log) -> None:
    """Once: a college that has students already (from an earlier run, in any year)
    keeps them as they are."""
    if college.students.exists():
        return
    for student in demo_students(timezone.localdate().year):
        student.college = college
        student.full_clean()
        student.save()
    log(f"40 students of {college.name}")


# Riverside teachers' secondments at Huaxin: staff number, name, specialty teacher, and
# (days ago it started, days spent) for each. Chen Jing has 120 days over five years
# (short of 180: on Riverside's dashboard), Liu Yang 200, Wang Min is no specialty
# teacher and owes none.
SECONDMENTS = [
    ("T1001", "陈静", True, [(400, 60), (200, 60)]),
    ("T1002", "刘洋", True, [(900, 110), (500, 90)]),
    ("T1003", "王敏", False, [(300, 20)]),
]


def seed_secondments(college, host, log) -> None:
    """Once: a college that has secondments already keeps them as they are."""
    if college.secondments.exists():
        return
    today = timezone.localdate()
    for number, name, specialty, spells in SECONDMENTS:
        for ago, days in spells:
            start = today - timedelta(days=ago)
            secondment = Secondment(
                college=college,
                host=host,
                teacher_name=name,
                teacher_number=number,
                specialty_teacher=specialty,
                start_date=start,
                end_date=start + timedelta(days=days + days // 3),
                days=days,
                activities="Worked on the CNC line with Huaxin's engineers and brought two "
                "production cases back into the machining course.",
            )
            secondment.full_clean()
            secondment.save()
    log(f"teacher secondments of {college.name} at {host.name}")


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=[HOST, COLLEGE])}
    if len(organizations) < 2:
        return
    host, college = organizations[HOST], organizations[COLLEGE]
    seed_students(college, log)
    seed_secondments(college, host, log)
    today = timezone.localdate()
    base, created = PracticeBase.objects.get_or_create(
        name=BASE,
        defaults={
            "host": host,
            "address": COMMON["address"],
            "specialties": COMMON["specialties"],
            "stations": 40,
            "safety_officer_name": "Li Qiang",
            "safety_officer_phone": "0571-8800 1100",
            "status": PracticeBaseStatus.ACTIVE,
            "agreement": Agreement.objects.filter(
                kind=AgreementKind.PRACTICE_BASE, parties__organization=host
            ).first(),
            "description": "CNC and assembly workshops with 40 training stations, run jointly "
            "with Riverside's school of intelligent manufacturing.",
        },
    )
    if created:
        PracticeBaseCollege.objects.create(practice_base=base, organization=college)
        log(f"practice base {BASE}")
    poster = User.objects.filter(username="enterprise").first()
    for title, kind, status, start, days, fields in PLACEMENTS:
        if Placement.objects.filter(title=title).exists():
            continue
        placement = Placement(
            host=host,
            title=title,
            internship_type=kind,
            practice_base=base,
            start_date=today + timedelta(days=start),
            end_date=today + timedelta(days=start + days),
            status=status,
            description="Students work alongside Huaxin's engineers, guided by a named mentor.",
            **COMMON,
            **fields,
        )
        placement.full_clean(exclude=["open_to_colleges"])
        if status == PlacementStatus.PUBLISHED:
            placement.published_at = timezone.now() - timedelta(days=2)
            placement.published_by = poster
            placement.compliance_warnings = [f.as_dict() for f in compliance.warnings(placement)]
        placement.save()
        log(f"placement {title}")
    seed_nominations(college, log)


# --- nominations -------------------------------------------------------------------
# Huaxin's running and finished placements (for the started and the completed
# internship) and Lanting's placement open to Riverside (so that ``enterprise2`` has
# nominations to answer, and a compliance warning). Nominations are written straight
# into their statuses, keeping to what the services enforce: only students who may be
# nominated (no first-years or under-16s on an on-the-job internship), never two held
# placements with overlapping dates, ``filled_slots`` counting the accepted, started
# and completed ones. Idempotent by placement title: a placement with nominations
# keeps them as they are.

LANTING = "Lanting Software"
N = NominationStatus

# title, host, type, status, start offset, length in days, fields
MORE_PLACEMENTS = [
    (
        "Maintenance technician, on-the-job internship (岗位实习)",
        HOST,
        InternshipType.ON_THE_JOB,
        PlacementStatus.CLOSED,
        -100,
        105,
        {"slots": 3, "monthly_pay": Decimal("4300.00"), "regular_wage": Decimal("5200.00")},
    ),
    (
        "Quality inspection observation day (认识实习)",
        HOST,
        InternshipType.OBSERVATION,
        PlacementStatus.CLOSED,
        -60,
        2,
        {"slots": 10, "monthly_pay": Decimal("0"), "regular_wage": Decimal("0")},
    ),
    (
        "Software testing assistant, on-the-job internship (岗位实习)",
        LANTING,
        InternshipType.ON_THE_JOB,
        PlacementStatus.PUBLISHED,
        6,
        120,
        {
            "slots": 4,
            "monthly_pay": Decimal("4000.00"),
            "regular_wage": Decimal("4800.00"),
            "city": "Ningbo",
            "address": "Lanting Ningbo office, 12 Software Park Road, Ningbo",
            "specialties": "Software technology",
            "guide_name": "Sun Hao",
            "guide_title": "Test lead",
            "guide_phone": "0574-8700 5678",
            "host_staff_count": 180,
            # 4 interns among 15 testers: above 20% of the same post, a warning.
            "same_post_staff_count": 15,
            "open_to": OpenTo.CHOSEN,
        },
    ),
]

# Each placement's nominations, by status, in the order they are written.
NOMINATIONS = [
    (
        PLACEMENTS[1][0],
        [
            N.NOMINATED,
            N.NOMINATED,
            N.SHORTLISTED,
            N.OFFERED,
            N.ACCEPTED,
            N.DECLINED,
            N.REJECTED,
            N.WITHDRAWN,
        ],
    ),
    (PLACEMENTS[0][0], [N.ACCEPTED]),
    (MORE_PLACEMENTS[0][0], [N.STARTED]),
    (MORE_PLACEMENTS[1][0], [N.COMPLETED]),
    (MORE_PLACEMENTS[2][0], [N.NOMINATED, N.NOMINATED, N.SHORTLISTED, N.ACCEPTED]),
]

REASONS = {
    N.DECLINED: "The student chose the observation week instead.",
    N.REJECTED: "The CNC line needs a second-year with lathe experience.",
    N.WITHDRAWN: "The student is retaking an exam in the first week.",
}


def demo_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII): the demo's stand-in for a signed scan."""
    text = text.replace("\\", "").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def _attach(nomination: Nomination, actor, name: str, what: str) -> Attachment:
    number = nomination.student.student_number
    return attachment_add(
        actor=actor,
        record=nomination,
        upload=SimpleUploadedFile(
            f"{name}-{number}.pdf",
            demo_pdf(f"Demo document: {what}, student {number}"),
            content_type="application/pdf",
        ),
        description=what,
    )


def give_birth_dates(college) -> None:
    """The demo students have no date of birth (on-the-job internships need one): each
    turns 16 in their enrolment year, so some are still minors. Only where missing."""
    for student in college.students.filter(
        date_of_birth__isnull=True, student_number__startswith="RV"
    ):
        index = student.pk
        student.date_of_birth = date(student.enrolment_year - 16, index % 12 + 1, index % 28 + 1)
        student.save()


def seed_more_placements(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=[HOST, LANTING])}
    college = Organization.objects.filter(name=COLLEGE).first()
    base = PracticeBase.objects.filter(name=BASE).first()
    posters = {HOST: "enterprise", LANTING: "enterprise2"}
    today = timezone.localdate()
    for title, host_name, kind, status, start, days, fields in MORE_PLACEMENTS:
        host = organizations.get(host_name)
        if host is None or Placement.objects.filter(title=title).exists():
            continue
        values = {**COMMON, **fields}
        placement = Placement(
            host=host,
            title=title,
            internship_type=kind,
            practice_base=base if host_name == HOST else None,
            start_date=today + timedelta(days=start),
            end_date=today + timedelta(days=start + days),
            status=status,
            description="Interns work in a small team, each with a named mentor.",
            **values,
        )
        placement.full_clean(exclude=["open_to_colleges"])
        placement.published_at = timezone.now() - timedelta(days=max(2, 30 - start))
        placement.published_by = User.objects.filter(username=posters[host_name]).first()
        placement.compliance_warnings = [f.as_dict() for f in compliance.warnings(placement)]
        if status == PlacementStatus.CLOSED:
            placement.closed_at = placement.published_at + timedelta(days=20)
        placement.save()
        if placement.open_to == OpenTo.CHOSEN and college is not None:
            placement.open_to_colleges.set([college])
        log(f"placement {title}")


def _overlaps(held: list[tuple[date, date]], placement: Placement) -> bool:
    return any(start <= placement.end_date and end >= placement.start_date for start, end in held)


def _pick_student(students, placement, uses, holds, already) -> Student | None:
    """The least-used student who may be nominated to the placement: not on it yet,
    passing the student rules, holding no placement whose dates overlap."""
    for student in sorted(students, key=lambda s: (uses.get(s.pk, 0), s.student_number)):
        if student.pk in already or compliance.student_findings(student, placement):
            continue
        if _overlaps(holds.get(student.pk, []), placement):
            continue
        return student
    return None


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def _fill(nomination: Nomination, clerk, status: str) -> None:
    """What a nomination in ``status`` has on record: the consent from accepted on, the
    gates (all of them once started; a tracking teacher only before), the dates."""
    placement = nomination.placement
    now = timezone.now()
    if status in REASONS:
        nomination.reason = REASONS[status]
        nomination.ended_at = now - timedelta(days=3)
    if status not in SLOT_STATUSES:
        return
    nomination.student_consent = _attach(nomination, clerk, "consent", "student's consent")
    nomination.accepted_at = min(now, _at(placement.start_date - timedelta(days=20)))
    nomination.tracking_teacher_name = "陈静"
    nomination.tracking_teacher_phone = "138 0571 9001"
    if status == N.ACCEPTED:
        return
    nomination.tripartite_signed_on = placement.start_date - timedelta(days=10)
    nomination.tripartite_scan = _attach(
        nomination, clerk, "tripartite", "signed tripartite agreement"
    )
    if compliance.needs_guardian_consent(nomination):
        nomination.guardian_consent = _attach(nomination, clerk, "guardian", "guardian's consent")
    nomination.insurer = "PICC Property and Casualty"
    nomination.policy_number = f"PICC-{placement.start_date:%Y}-{nomination.student.student_number}"
    nomination.policy_start = placement.start_date
    nomination.policy_end = placement.end_date
    nomination.policy_paid_by = InsurancePayer.ENTERPRISE
    nomination.started_at = _at(placement.start_date)
    if status == N.COMPLETED:
        nomination.completed_at = _at(placement.end_date + timedelta(days=2))


def _evaluate(nomination: Nomination, role: str, clerk) -> None:
    """The guide's evaluation is recorded by the host's HR, the teacher's by the
    college's clerk."""
    if role == EvaluatorRole.GUIDE:
        clerk = User.objects.filter(username="enterprise").first() or clerk
    evaluation = Evaluation(
        nomination=nomination,
        role=role,
        evaluator_name=nomination.named_guide if role == EvaluatorRole.GUIDE else "陈静",
        attendance=5,
        skills=4,
        attitude=5,
        safety=4,
        comments="Punctual and careful; asks good questions.",
        recorded_by=clerk,
    )
    if role == EvaluatorRole.TEACHER and nomination.placement.practice_base_id:
        evaluation.base_safety, evaluation.base_guidance, evaluation.base_conditions = 5, 4, 4
    evaluation.full_clean(exclude=["nomination"])
    evaluation.save()


def seed_nominations(college, log) -> None:
    seed_more_placements(log)
    clerk = User.objects.filter(username="college").first()
    if clerk is None:
        return
    give_birth_dates(college)
    students = list(college.students.filter(status=StudentStatus.ENROLLED))
    placements = {
        p.title: p for p in Placement.objects.filter(title__in=[t for t, _s in NOMINATIONS])
    }
    uses: dict[int, int] = {}
    holds: dict[int, list[tuple[date, date]]] = {}
    for nomination in Nomination.objects.filter(college=college).select_related("placement"):
        uses[nomination.student_id] = uses.get(nomination.student_id, 0) + 1
        if nomination.status in HOLDING_STATUSES:
            holds.setdefault(nomination.student_id, []).append(
                (nomination.placement.start_date, nomination.placement.end_date)
            )
    for title, statuses in NOMINATIONS:
        placement = placements.get(title)
        if placement is None or placement.nominations.exists():
            continue
        already: set[int] = set()
        for status in statuses:
            student = _pick_student(students, placement, uses, holds, already)
            if student is None:
                continue
            nomination = Nomination.objects.create(
                placement=placement,
                student=student,
                college=college,
                status=status,
                nominated_by=clerk,
                note="Strong in practical work.",
            )
            _fill(nomination, clerk, status)
            nomination.full_clean()
            nomination.save()
            if status in (N.STARTED, N.COMPLETED):
                _evaluate(nomination, EvaluatorRole.GUIDE, clerk)
            if status == N.COMPLETED:
                _evaluate(nomination, EvaluatorRole.TEACHER, clerk)
            already.add(student.pk)
            uses[student.pk] = uses.get(student.pk, 0) + 1
            if status in HOLDING_STATUSES:
                holds.setdefault(student.pk, []).append((placement.start_date, placement.end_date))
        Placement.objects.filter(pk=placement.pk).update(
            filled_slots=placement.nominations.filter(status__in=SLOT_STATUSES).count()
        )
        log(f"{len(already)} nominations to {title}")
