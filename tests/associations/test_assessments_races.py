"""Assessments under concurrent requests (PostgreSQL): two answers sent at once make one
response and a refusal; an edit and a publish at once never publish a half-replaced
rubric, nor change a published assessment."""

from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from accounts.models import OrganizationKind, Role
from associations.models import (
    SCOPE_KINDS,
    Assessment,
    AssessmentResponse,
    AssessmentStatus,
    EntrustmentStatus,
)
from associations.services import assessments as service
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently

from .assessments import make_assessment
from .entrustments import make_entrustment

S = AssessmentStatus


@requires_row_locks
class TestAtOnce(TransactionTestCase):
    def setUp(self):
        bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="Bureau")
        self.association = OrganizationFactory(kind=OrganizationKind.ASSOCIATION, name="Assoc")
        self.huaxin = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.asa = member(self.association, Role.ADMIN, "asa")
        self.hua = member(self.huaxin, Role.ADMIN, "hua")
        self.hank = member(self.huaxin, Role.STAFF, "hank")
        self.entrustment = make_entrustment(
            bureau,
            self.association,
            status=EntrustmentStatus.ACCEPTED,
            scope=[self.huaxin],
            kinds=list(SCOPE_KINDS),
        )

    def fresh_user(self, user):
        return get_user_model().objects.get(pk=user.pk)

    def answer(self, user, assessment, text):
        return lambda: service.response_create(
            actor=self.fresh_user(user), assessment=assessment, text=text
        )

    def test_two_answers_at_once_make_one_response(self):
        for _round in range(4):
            assessment = make_assessment(
                self.association, self.huaxin, entrustment=self.entrustment, status=S.PUBLISHED
            )
            results = run_concurrently(
                self.answer(self.hua, assessment, "One"), self.answer(self.hank, assessment, "Two")
            )
            refused = [result for result in results if isinstance(result, ValidationError)]
            self.assertEqual(len(refused), 1, results)
            self.assertEqual(AssessmentResponse.objects.filter(assessment=assessment).count(), 1)

    def test_an_edit_and_a_publish_at_once(self):
        rubric = [
            {"name": f"C{n}", "weight": Decimal("1"), "max_score": 10, "score": 5}
            for n in range(20)
        ]
        for _round in range(4):
            assessment = make_assessment(
                self.association, self.huaxin, entrustment=self.entrustment
            )
            actor = self.fresh_user(self.asa)
            results = run_concurrently(
                partial(
                    service.assessment_update, actor=actor, assessment=assessment, criteria=rubric
                ),
                partial(service.assessment_publish, actor=actor, assessment=assessment),
            )
            published = Assessment.objects.get(pk=assessment.pk)
            self.assertEqual(published.status, S.PUBLISHED)
            criteria = list(published.criteria.all())
            self.assertEqual(published.score, service.rubric_score(criteria))
            if isinstance(results[0], InvalidTransition):
                self.assertEqual(len(criteria), 2)  # published first: the edit was refused
            else:
                self.assertEqual(len(criteria), 20)  # edited first: published as edited
                self.assertEqual(published.score, Decimal("50.00"))
