"""Records for the assessment tests, made directly (the services are what is tested).

``AssessmentPeople`` is ``Association`` (asa admin, sam staff, val viewer of the
Regional Manufacturing Association; Huaxin with hua its admin; Lanting) with the people
of tests.people, where alice, bob and victor are also the association's admin, staff and
viewer (so the shared permission cases read as they do elsewhere). Huaxin also has
hank (staff) and hazel (viewer). The bureau (olivia staff, gary admin) has entrusted
the association with an evaluation whose scope is Huaxin, open now, every kind of record
in it; Lanting is outside it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from associations.models import (
    SCOPE_KINDS,
    Assessment,
    AssessmentCriterion,
    AssessmentEvidence,
    AssessmentStatus,
    EntrustmentStatus,
)
from associations.services.assessments import rubric_score
from tests.factories import MembershipFactory, member
from tests.people import People

from .entrustments import Association, make_entrustment

# (name, weight, highest score, score)
RUBRIC = (
    ("Talent training", "60", 10, "8"),
    ("Resources invested", "40", 5, "4"),
)


class AssessmentPeople(Association, People):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user, role in (
            (cls.alice, Role.ADMIN),
            (cls.bob, Role.STAFF),
            (cls.victor, Role.VIEWER),
        ):
            MembershipFactory(user=user, organization=cls.association, role=role)
        cls.hank = member(cls.huaxin, Role.STAFF, "hank")
        cls.hazel = member(cls.huaxin, Role.VIEWER, "hazel")
        cls.entrustment = make_entrustment(
            cls.bureau,
            cls.association,
            status=EntrustmentStatus.ACCEPTED,
            scope=[cls.huaxin],
            kinds=list(SCOPE_KINDS),
        )


def criterion_rows(rows: Iterable[tuple] = RUBRIC) -> list[dict]:
    return [
        {"name": name, "weight": Decimal(weight), "max_score": highest, "score": score}
        for name, weight, highest, score in rows
    ]


def make_assessment(
    assessor,
    organization,
    *,
    entrustment=None,
    status: str = AssessmentStatus.DRAFT,
    criteria: Iterable[tuple] = RUBRIC,
    title: str = "Cooperation quality 2026",
    published_days_ago: float = 1,
    evidence: Iterable = (),
    **fields,
) -> Assessment:
    """An assessment with ``criteria`` as (name, weight, highest, score) rows; a
    published one was published ``published_days_ago`` days ago with the rubric's
    score."""
    assessment = Assessment.objects.create(
        assessor=assessor,
        organization=organization,
        entrustment=entrustment,
        title=title,
        status=status,
        **fields,
    )
    rows = [
        AssessmentCriterion(
            assessment=assessment,
            name=name,
            weight=Decimal(weight),
            max_score=highest,
            score=None if score is None else Decimal(score),
            position=index,
        )
        for index, (name, weight, highest, score) in enumerate(criteria)
    ]
    AssessmentCriterion.objects.bulk_create(rows)
    AssessmentEvidence.objects.bulk_create(
        AssessmentEvidence(
            assessment=assessment,
            record_kind=record._meta.label_lower,
            record_id=record.pk,
            record_name=str(record),
        )
        for record in evidence
    )
    if status == AssessmentStatus.PUBLISHED:
        Assessment.objects.filter(pk=assessment.pk).update(
            score=rubric_score(rows),
            published_at=timezone.now() - timedelta(days=published_days_ago),
        )
        assessment.refresh_from_db()
    return assessment
