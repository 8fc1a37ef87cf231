"""Every compliance rule, with the boundary on each side; the API's rule codes; and a
Chinese message for each."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from internships import compliance, services
from internships.models import Placement
from tests.factories import OrganizationFactory, member

from .helpers import make_placement, placement_fields


def codes(**overrides) -> set[str]:
    return {
        finding.code for finding in compliance.check(Placement(**placement_fields(**overrides)))
    }


# (code, passing overrides, failing overrides): each pair sits on the rule's boundary.
BOUNDARIES = [
    (
        "pay_below_80_percent",
        {"monthly_pay": Decimal("4000.00"), "regular_wage": Decimal("5000.00")},
        {"monthly_pay": Decimal("3999.99"), "regular_wage": Decimal("5000.00")},
    ),
    ("pay_cycle_too_long", {"pay_cycle_days": 31}, {"pay_cycle_days": 32}),
    ("student_fee_charged", {"student_fee": Decimal("0")}, {"student_fee": Decimal("0.01")}),
    (
        "insurance_paid_by_student",
        {"insurance_paid_by": "college"},
        {"insurance_paid_by": "student"},
    ),
    ("night_shifts", {"night_shifts": False}, {"night_shifts": True}),
    ("overtime", {"overtime": False}, {"overtime": True}),
    ("via_agency", {"via_agency": False}, {"via_agency": True}),
    (
        "longer_than_six_months",
        {"start_date": date(2027, 3, 1), "end_date": date(2027, 9, 1)},
        {"start_date": date(2027, 3, 1), "end_date": date(2027, 9, 2)},
    ),
    (
        "above_10_percent_of_staff",
        {"slots": 10, "host_staff_count": 100, "same_post_staff_count": 50},
        {"slots": 11, "host_staff_count": 100, "same_post_staff_count": 55},
    ),
    (
        "above_20_percent_of_same_post",
        {"slots": 5, "same_post_staff_count": 25},
        {"slots": 5, "same_post_staff_count": 24},
    ),
]


@pytest.mark.parametrize(("code", "passing", "failing"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_each_rule_on_both_sides_of_its_boundary(code, passing, failing):
    assert code not in codes(**passing)
    assert code in codes(**failing)


@pytest.mark.parametrize("venue", sorted(compliance.FORBIDDEN_VENUES))
def test_every_forbidden_venue_blocks_and_an_ordinary_one_does_not(venue):
    assert "forbidden_venue" in codes(venue_kind=venue)
    assert "forbidden_venue" not in codes(venue_kind="ordinary")


def test_a_compliant_placement_breaks_no_rule():
    assert codes() == set()


def test_month_ends_are_counted_to_the_months_last_day():
    assert "longer_than_six_months" not in codes(
        start_date=date(2027, 8, 31), end_date=date(2028, 2, 29)
    )
    assert "longer_than_six_months" in codes(
        start_date=date(2027, 8, 31), end_date=date(2028, 3, 1)
    )


def test_pay_rules_apply_to_on_the_job_but_the_prohibitions_to_every_internship():
    observation = codes(
        internship_type="observation",
        monthly_pay=Decimal("0"),
        night_shifts=True,
        pay_cycle_days=60,
        venue_kind="bar",
        via_agency=True,
        student_fee=Decimal("10"),
        insurance_paid_by="student",
    )
    assert observation == {
        "forbidden_venue",
        "via_agency",
        "student_fee_charged",
        "insurance_paid_by_student",
    }


def test_every_rule_has_an_article_and_a_chinese_message():
    for rule in (*compliance.RULES, *compliance.STUDENT_RULES, *compliance.GATES):
        assert "规定" in rule.article or "法" in rule.article
        with translation.override("zh-hans"):
            chinese = str(rule.message)
        assert chinese != str(rule.message), rule.code
        assert any("\u4e00" <= char <= "\u9fff" for char in chinese), rule.code


def test_every_code_is_unique_across_the_rules_the_student_rules_and_the_gates():
    codes = [r.code for r in (*compliance.RULES, *compliance.STUDENT_RULES, *compliance.GATES)]
    assert len(codes) == len(set(codes))


@pytest.mark.django_db
def test_publish_names_every_blocking_rule_by_field_with_its_code():
    host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
    admin = member(host, Role.ADMIN)
    placement = make_placement(
        host, monthly_pay=Decimal("100"), night_shifts=True, overtime=True, via_agency=True
    )
    with pytest.raises(ValidationError) as refused:
        services.placement_publish(actor=admin, placement=placement)
    found = {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()}
    assert found == {
        "monthly_pay": ["pay_below_80_percent"],
        "night_shifts": ["night_shifts"],
        "overtime": ["overtime"],
        "via_agency": ["via_agency"],
    }
    placement.refresh_from_db()
    assert placement.status == "draft"


@pytest.mark.django_db
def test_the_api_answers_400_with_the_rule_codes_and_publishing_keeps_warnings():
    host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
    college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
    admin = member(host, Role.ADMIN)
    placement = make_placement(host, college, monthly_pay=Decimal("3999.99"), pay_cycle_days=45)
    client = APIClient()
    client.force_authenticate(admin)
    url = reverse("api:placement-publish", args=[placement.pk])
    response = client.post(url)
    assert response.status_code == 400
    body = response.json()
    assert [e["code"] for e in body["monthly_pay"]] == ["pay_below_80_percent"]
    assert [e["code"] for e in body["pay_cycle_days"]] == ["pay_cycle_too_long"]
    assert "80%" in body["monthly_pay"][0]["message"]
    client.patch(
        reverse("api:placement-detail", args=[placement.pk]),
        {"monthly_pay": "4000.00", "pay_cycle_days": 31, "same_post_staff_count": 10},
    )
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert [w["code"] for w in response.json()["compliance_warnings"]] == [
        "above_20_percent_of_same_post"
    ]
    assert response.json()["actions"] == ["cancel", "close"]


@pytest.mark.django_db
def test_the_api_messages_come_in_chinese():
    host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE)
    admin = member(host, Role.ADMIN)
    placement = make_placement(host, student_fee=Decimal("50"))
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post(
        reverse("api:placement-publish", args=[placement.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "费用" in response.json()["student_fee"][0]["message"]
