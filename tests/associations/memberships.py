"""Memberships for the tests.

The Manufacturing Association keeps them: amy is its admin, sam its staff, vera its
viewer. The Software Association is another association (otto, its admin). Riverside
College (tests.people: alice admin, bob staff, victor viewer) is the member unless told;
Huaxin is an enterprise (hua, its admin) that may join too. charlie (Eastlake College)
and olivia (government) are as in tests.people."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import OrganizationKind, Role
from associations.models import AssociationMembership, DuesPayment, MembershipType
from portal.references import next_reference
from tests.factories import OrganizationFactory, member

TODAY = timezone.localdate()


def make_type(association, name: str = "Ordinary member", dues: str = "2000.00", **fields):
    return MembershipType.objects.create(
        association=association, name=name, annual_dues=Decimal(dues), **fields
    )


def make_membership(
    association,
    member_organization,
    membership_type: MembershipType | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    **fields,
) -> AssociationMembership:
    """A membership written straight to the table: active from 100 days ago for a
    year unless told."""
    start = start or TODAY - timedelta(days=100)
    end = end or start + timedelta(days=364)
    if membership_type is None:
        membership_type = MembershipType.objects.filter(association=association).first()
        membership_type = membership_type or make_type(association)
    return AssociationMembership.objects.create(
        association=association,
        member=member_organization,
        membership_type=membership_type,
        number=next_reference("M"),
        start_date=start,
        end_date=end,
        **fields,
    )


def make_payment(membership, amount: str = "2000.00", paid_on: date | None = None, **fields):
    return DuesPayment.objects.create(
        membership=membership, amount=Decimal(amount), paid_on=paid_on or TODAY, **fields
    )


def iso(value):
    return value.isoformat() if isinstance(value, date) else value


def membership_data(member_organization, membership_type, **overrides) -> dict:
    """The body of a new membership (API) or the create form's POST data."""
    data = {
        "member": member_organization.pk,
        "membership_type": membership_type.pk,
        "start_date": TODAY,
        "end_date": TODAY + timedelta(days=364),
        "notes": "Admitted at the spring council.",
    }
    data.update(overrides)
    return {key: iso(value) for key, value in data.items()}


class AssociationPeople:
    """The associations, their people, an enterprise and two membership types of the
    Manufacturing Association (ordinary at 2,000 yuan, council at 10,000)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Manufacturing Association"
        )
        cls.amy = member(cls.association, Role.ADMIN, "as_amy")
        cls.sam = member(cls.association, Role.STAFF, "as_sam")
        cls.vera = member(cls.association, Role.VIEWER, "as_vera")
        cls.other_association = OrganizationFactory(
            kind=OrganizationKind.ASSOCIATION, name="Software Association"
        )
        cls.otto = member(cls.other_association, Role.ADMIN, "as_otto")
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hua = member(cls.enterprise, Role.ADMIN, "hx_hua")
        cls.ordinary = make_type(cls.association, "Ordinary member", "2000.00")
        cls.council = make_type(cls.association, "Council member", "10000.00")
