"""Secondments for the tests: Riverside's teachers at Huaxin unless told."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import OrganizationKind, Role
from internships.models import Secondment
from tests.factories import OrganizationFactory, member

START = date(2025, 3, 3)


def secondment_fields(**overrides) -> dict:
    fields = {
        "teacher_name": "Chen Jing",
        "teacher_number": "T1001",
        "specialty_teacher": True,
        "start_date": START,
        "end_date": START + timedelta(days=89),
        "days": 60,
        "activities": "Ran the CNC line's night maintenance with Huaxin's engineers.",
    }
    fields.update(overrides)
    return fields


def make_secondment(college, host, **overrides) -> Secondment:
    return Secondment.objects.create(college=college, host=host, **secondment_fields(**overrides))


def api_data(college, host, **overrides) -> dict:
    data = {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in secondment_fields(**overrides).items()
    }
    return {"college": college.pk, "host": host.pk, **data}


def form_data(host, college=None, **overrides) -> dict:
    """A secondment form's POST data (the create form also names the college)."""
    data = {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in secondment_fields(**overrides).items()
    }
    if not data["specialty_teacher"]:
        del data["specialty_teacher"]  # an unticked checkbox is not sent
    data["host"] = host.pk
    if college is not None:
        data["college"] = college.pk
    return data


class HostEnterprises:
    """Huaxin hosts the secondments (hua is its admin, hugo its staff); Lanting is
    another enterprise (lan, its admin)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.host, Role.ADMIN, "hx_hua")
        cls.hugo = member(cls.host, Role.STAFF, "hx_hugo")
        cls.lanting = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Lanting")
        cls.lan = member(cls.lanting, Role.ADMIN, "lt_lan")
