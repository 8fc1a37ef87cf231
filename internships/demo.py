"""Demo practice base and placements: a base Huaxin hosts for Riverside, an observation
and an on-the-job placement (5 slots) published by Huaxin, and a draft with a
compliance problem so that ``enterprise`` has real work. Idempotent by name and title."""

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


def seed(log) -> None:
    organizations = {org.name: org for org in Organization.objects.filter(name__in=[HOST, COLLEGE])}
    if len(organizations) < 2:
        return
    host, college = organizations[HOST], organizations[COLLEGE]
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
