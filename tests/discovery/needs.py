"""Records for the finding-partners tests.

``DiscoveryPeople`` adds to tests.people an enterprise, Huaxin (Hangzhou,
Manufacturing), where erin is admin and ed staff, and an association where ada is
admin. Needs are made directly (the services are what is tested)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrganizationKind, Role
from discovery.models import (
    CooperationNeed,
    Interest,
    InterestMessage,
    NeedDirection,
    NeedKind,
    NeedStatus,
    audience_text,
)
from tests.factories import OrganizationFactory, member
from tests.people import People


class DiscoveryPeople(People):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.huaxin = OrganizationFactory(
            name="Huaxin", kind=OrganizationKind.ENTERPRISE, industry="Manufacturing"
        )
        cls.erin = member(cls.huaxin, Role.ADMIN, "erin")
        cls.ed = member(cls.huaxin, Role.STAFF, "ed")
        cls.guild = OrganizationFactory(name="Guild", kind=OrganizationKind.ASSOCIATION)
        cls.ada = member(cls.guild, Role.ADMIN, "ada")


def make_need(
    owner,
    *,
    status: str = NeedStatus.OPEN,
    direction: str = NeedDirection.NEED,
    kind: str = NeedKind.TEACHER_PRACTICE,
    audience=(),
    title: str = "Teacher practice posts",
    **fields,
) -> CooperationNeed:
    today = timezone.localdate()
    defaults = {
        "description": "Six teachers for two months on a production line.",
        "specialties": "Mechatronics, Industrial robotics",
        "region": "Hangzhou",
        "headcount": 6,
        "valid_until": today + timedelta(days=30),
    }
    return CooperationNeed.objects.create(
        owner=owner,
        status=status,
        direction=direction,
        kind=kind,
        title=title,
        audience_kinds=audience_text(audience),
        opened_at=timezone.now() if status != NeedStatus.DRAFT else None,
        **{**defaults, **fields},
    )


def make_interest(need, organization, author, text: str = "We can help.") -> Interest:
    interest = Interest.objects.create(need=need, organization=organization, created_by=author)
    InterestMessage.objects.create(
        interest=interest, organization=organization, author=author, body=text
    )
    return interest
