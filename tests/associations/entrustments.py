"""Records for the entrustment tests: an association with its admin (asa), staff (sam)
and viewer (val); Huaxin and Lanting, two enterprises; the bureau from tests.people is
the department (gary admin, olivia staff)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrganizationKind, Role
from associations.models import Deliverable, Entrustment, EntrustmentStatus
from tests.factories import OrganizationFactory, member

TODAY = timezone.localdate()


class Association:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.association = OrganizationFactory(
            name="Regional Manufacturing Association", kind=OrganizationKind.ASSOCIATION
        )
        cls.asa = member(cls.association, Role.ADMIN, "asa")
        cls.sam = member(cls.association, Role.STAFF, "sam")
        cls.val = member(cls.association, Role.VIEWER, "val")
        cls.huaxin = OrganizationFactory(name="Huaxin", kind=OrganizationKind.ENTERPRISE)
        cls.lanting = OrganizationFactory(name="Lanting", kind=OrganizationKind.ENTERPRISE)
        cls.hua = member(cls.huaxin, Role.ADMIN, "hua")


def make_entrustment(
    department,
    association,
    *,
    status: str = EntrustmentStatus.PROPOSED,
    scope=(),
    kinds=("partnerships.agreement",),
    starts: int = -10,
    ends: int = 100,
    **fields,
) -> Entrustment:
    fields.setdefault("title", "Evaluate Huaxin's cooperation")
    fields.setdefault("kind", "evaluation")
    entrustment = Entrustment.objects.create(
        department=department,
        association=association,
        status=status,
        start_date=TODAY + timedelta(days=starts),
        end_date=TODAY + timedelta(days=ends),
        scope_kinds=list(kinds),
        **fields,
    )
    entrustment.scope_organizations.set(scope)
    Deliverable.objects.create(
        entrustment=entrustment, title="Evaluation report", due_date=TODAY + timedelta(days=30)
    )
    return entrustment
