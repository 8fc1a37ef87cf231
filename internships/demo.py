"""Demo practice base and placements: a base Huaxin hosts for Riverside, an observation
and an on-the-job placement (5 slots) published by Huaxin, and a draft with a
compliance problem so that ``enterprise`` has real work; and 40 Riverside students
across four enrolment years. Idempotent by name, title and student number."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization, User
from partnerships.models import Agreement, AgreementKind

from . import compliance
from .models import (
    InsurancePayer,
    InternshipType,
    OpenTo,
    Placement,
    PlacementStatus,
    PracticeBase,
    PracticeBaseCollege,
    PracticeBaseStatus,
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


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=[HOST, COLLEGE])}
    if len(organizations) < 2:
        return
    host, college = organizations[HOST], organizations[COLLEGE]
    seed_students(college, log)
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
