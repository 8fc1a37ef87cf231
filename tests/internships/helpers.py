"""Records for the internships tests: a compliant on-the-job placement unless told."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from internships.models import Placement, PracticeBase, PracticeBaseCollege

START = date(2027, 3, 1)


def placement_fields(**overrides) -> dict:
    fields = {
        "title": "CNC operator",
        "internship_type": "on_the_job",
        "slots": 5,
        "city": "Hangzhou",
        "address": "88 Binjiang Park",
        "start_date": START,
        "end_date": date(2027, 8, 1),
        "hours_per_day": 8,
        "days_per_week": 5,
        "night_shifts": False,
        "overtime": False,
        "monthly_pay": Decimal("4000.00"),
        "regular_wage": Decimal("5000.00"),
        "pay_cycle_days": 30,
        "student_fee": Decimal("0"),
        "insurance_paid_by": "enterprise",
        "venue_kind": "ordinary",
        "via_agency": False,
        "host_staff_count": 100,
        "same_post_staff_count": 25,
        "open_to": "chosen",
    }
    fields.update(overrides)
    return fields


def make_placement(host, *open_to, status="draft", **overrides) -> Placement:
    from django.utils import timezone

    placement = Placement.objects.create(host=host, status=status, **placement_fields(**overrides))
    if status != "draft":
        placement.published_at = timezone.now()
        placement.save()
    placement.open_to_colleges.set(open_to)
    return placement


def make_base(host, *colleges, status="proposed") -> PracticeBase:
    base = PracticeBase.objects.create(
        name="Huaxin practice base",
        host=host,
        address="88 Binjiang Park",
        stations=40,
        safety_officer_name="Li Qiang",
        safety_officer_phone="0571-1100",
        status=status,
    )
    for college in colleges:
        PracticeBaseCollege.objects.create(practice_base=base, organization=college)
    return base


def form_data(**overrides) -> dict:
    """A placement form's POST data."""
    data = {
        key: (value.isoformat() if isinstance(value, date) else value)
        for key, value in placement_fields(**overrides).items()
    }
    return {key: value for key, value in data.items() if value is not False}


def api_data(**overrides) -> dict:
    return {
        key: (
            value.isoformat()
            if isinstance(value, date)
            else str(value)
            if isinstance(value, Decimal)
            else value
        )
        for key, value in placement_fields(**overrides).items()
    }


def attach(record, name: str = "consent.pdf", by=None):
    """A PDF attached to the record (a consent, a signed agreement's scan)."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from portal.models import Attachment

    attachment = Attachment(
        record=record,
        original_name=name,
        media_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=by or get_user_model().objects.order_by("pk").first(),
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment


def make_nomination(placement, student, status="nominated", **fields):
    """A nomination put straight into ``status`` (a slot status fills a slot)."""
    from django.db.models import F

    from internships.models import SLOT_STATUSES, Nomination

    nomination = Nomination.objects.create(
        placement=placement, student=student, college=student.college, status=status, **fields
    )
    if status in SLOT_STATUSES:
        Placement.objects.filter(pk=placement.pk).update(filled_slots=F("filled_slots") + 1)
        placement.refresh_from_db()
    return nomination


def satisfy_gates(nomination, by=None):
    """Every gate before starting in place (the student is an adult in these tests
    unless their date of birth says otherwise)."""
    nomination.refresh_from_db()
    placement = nomination.placement
    nomination.tripartite_signed_on = placement.start_date - timedelta(days=10)
    nomination.tripartite_scan = attach(nomination, "tripartite.pdf", by)
    nomination.guardian_consent = attach(nomination, "guardian.pdf", by)
    nomination.insurer = "PICC"
    nomination.policy_number = "P-2027-001"
    nomination.policy_start = placement.start_date
    nomination.policy_end = placement.end_date
    nomination.policy_paid_by = "enterprise"
    nomination.tracking_teacher_name = "Zhou Min"
    nomination.guide_name = "Chen Gang"
    nomination.save()
    return nomination
