"""Records for the talent-demand report tests, made directly (the services are what is
tested).

``DemandPeople`` adds to tests.people an industry association, Manufacturing
Association, where alice is admin, bob staff and victor viewer (so the shared permission
cases read as they do elsewhere); charlie (Eastlake College) and the bureau's olivia and
gary are outside it. Huaxin is an enterprise in the "Manufacturing" industry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from accounts.models import OrganizationKind, Role
from associations.models import DemandRow, ReportStatus, TalentDemandReport
from tests.factories import MembershipFactory, OrganizationFactory
from tests.people import People

FIRST_YEAR = 2027
LAST_YEAR = 2029


class DemandPeople(People):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.association = OrganizationFactory(
            name="Manufacturing Association",
            kind=OrganizationKind.ASSOCIATION,
            industry="Manufacturing",
        )
        for user, role in (
            (cls.alice, Role.ADMIN),
            (cls.bob, Role.STAFF),
            (cls.victor, Role.VIEWER),
        ):
            MembershipFactory(user=user, organization=cls.association, role=role)
        cls.huaxin = OrganizationFactory(
            name="Huaxin", kind=OrganizationKind.ENTERPRISE, industry="Manufacturing"
        )


def make_report(
    association,
    *,
    status: str = ReportStatus.DRAFT,
    rows: Iterable[tuple[str, int, int]] = (("CNC machining", 2027, 120),),
    title: str = "Manufacturing talent demand 2027–2029",
    industry: str = "Manufacturing",
    region: str = "Hangzhou",
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    published_days_ago: int = 1,
    **fields,
) -> TalentDemandReport:
    """A report of the association with ``rows`` as (specialty, year, people); a
    published one was published ``published_days_ago`` days ago."""
    published = status == ReportStatus.PUBLISHED
    report = TalentDemandReport.objects.create(
        association=association,
        title=title,
        industry=industry,
        region=region,
        first_year=first_year,
        last_year=last_year,
        status=status,
        published_at=timezone.now() - timedelta(days=published_days_ago) if published else None,
        **fields,
    )
    DemandRow.objects.bulk_create(
        DemandRow(report=report, specialty=specialty, year=year, people=people)
        for specialty, year, people in rows
    )
    return report


def many_rows(count: int, *, first_year: int = FIRST_YEAR, years: int = 3) -> list[tuple]:
    """``count`` distinct rows, ``years`` per specialty."""
    return [
        (f"Specialty {index // years:03d}", first_year + index % years, 10 + index)
        for index in range(count)
    ]


def row_dicts(rows: Iterable[tuple]) -> list[dict]:
    return [
        {"specialty": specialty, "year": year, "people": people} for specialty, year, people in rows
    ]
