"""Records for the certification tests.

Huaxin applies (tests/associations/entrustments.py: hua its admin; here hugo its staff
and hana its viewer); Lanting is another enterprise (lan, its admin). The bureau of
tests.people is the government department: gary its admin (decides), olivia its staff
(starts reviews). The Regional Manufacturing Association reviews under a certification
entrustment (asa admin, sam staff, val viewer). Riverside College (alice, bob, victor)
and Eastlake College (charlie) have no part in it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from associations.models import (
    CertificationApplication,
    CertificationStatus,
    DeclaredInvestment,
    EntrustmentStatus,
)
from associations.services.certifications import SCOPE_KIND, default_validity
from portal.references import next_reference
from tests.factories import member

from .entrustments import TODAY, Association, make_entrustment

S = CertificationStatus
ROWS = (
    (2024, "equipment", "1200000.00", True, "CNC lathes for the training centre"),
    (2025, "teachers", "300000.00", True, "Engineers teaching two days a week"),
    (2025, "other", "50000.00", False, "Sponsorship of a football match"),
)


class CertificationPeople(Association):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hugo = member(cls.huaxin, Role.STAFF, "hx_hugo")
        cls.hana = member(cls.huaxin, Role.VIEWER, "hx_hana")
        cls.lan = member(cls.lanting, Role.ADMIN, "lt_lan")


def add_rows(application: CertificationApplication, rows=ROWS) -> None:
    DeclaredInvestment.objects.bulk_create(
        DeclaredInvestment(
            application=application,
            year=year,
            kind=kind,
            amount=Decimal(amount),
            qualifying=qualifying,
            description=description,
        )
        for year, kind, amount, qualifying, description in rows
    )


def make_application(
    enterprise,
    *,
    status: str = S.DRAFT,
    rows=ROWS,
    statement: str = "Huaxin trains 200 students a year on its own CNC lines.",
    reviewer=None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    **fields,
) -> CertificationApplication:
    """An application written straight to the table in ``status``; a certificate is
    valid from 30 days ago for three years unless told."""
    now = timezone.now()
    if status != S.DRAFT:
        fields.setdefault("submitted_at", now - timedelta(days=40))
    if status in (S.UNDER_REVIEW, S.CERTIFIED, S.REFUSED, S.EXPIRED, S.REVOKED):
        fields.setdefault("review_started_at", now - timedelta(days=35))
    if status in (S.CERTIFIED, S.EXPIRED, S.REVOKED):
        valid_from = valid_from or TODAY - timedelta(days=30)
        valid_until = valid_until or default_validity(valid_from)
        fields.setdefault("decided_at", now - timedelta(days=30))
    application = CertificationApplication.objects.create(
        enterprise=enterprise,
        number=next_reference("IEC"),
        statement=statement,
        status=status,
        reviewer=reviewer,
        valid_from=valid_from,
        valid_until=valid_until,
        **fields,
    )
    add_rows(application, rows)
    return application


def make_review_entrustment(department, association, scope, **fields):
    """An accepted certification review of the scope's certification applications."""
    fields.setdefault("status", EntrustmentStatus.ACCEPTED)
    fields.setdefault("kind", "certification")
    fields.setdefault("kinds", (SCOPE_KIND,))
    fields.setdefault("title", "Certification review 2026")
    return make_entrustment(department, association, scope=scope, **fields)


def investment_rows(rows=ROWS) -> list[dict]:
    """The rows as the API takes them."""
    return [
        {
            "year": year,
            "kind": kind,
            "amount": amount,
            "qualifying": qualifying,
            "description": description,
        }
        for year, kind, amount, qualifying, description in rows
    ]


def form_data(
    statement: str = "We train 200 students a year.", rows=ROWS, enterprise=None, **extra
) -> dict:
    """The application form's POST data: the statement and the rows as a formset (and
    the enterprise, for a new one)."""
    data = {
        "statement": statement,
        "investments-TOTAL_FORMS": str(len(rows) + 1),
        "investments-INITIAL_FORMS": "0",
        "investments-MIN_NUM_FORMS": "0",
        "investments-MAX_NUM_FORMS": "100",
    }
    for index, (year, kind, amount, qualifying, description) in enumerate(rows):
        data[f"investments-{index}-year"] = str(year)
        data[f"investments-{index}-kind"] = kind
        data[f"investments-{index}-amount"] = amount
        if qualifying:
            data[f"investments-{index}-qualifying"] = "on"
        data[f"investments-{index}-description"] = description
    blank = len(rows)  # a blank line left as the page offers it: ticked, nothing else
    data[f"investments-{blank}-qualifying"] = "on"
    if enterprise is not None:
        data["enterprise"] = str(enterprise.pk)
    data.update(extra)
    return data
