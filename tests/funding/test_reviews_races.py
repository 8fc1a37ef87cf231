"""A review corrected at the moment the application is decided: the edit locks the
application, then the review (parent before child), so it either lands whole before
the decision or finds the application decided (409). PostgreSQL only."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import Award, FundApplication, Review
from tests.factories import (
    OrganizationFactory,
    make_application,
    make_program,
    make_reviews,
    member,
)
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People


@requires_row_locks
class TestAnEditRacingTheDecision(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.olivia = member(self.bureau, Role.STAFF, "olivia")
        self.rita = member(self.bureau, Role.STAFF, "rita")

    def test_each_edit_lands_before_the_decision_or_is_refused(self):
        program = make_program(self.bureau, max_open=20)
        impact = program.criteria.get(name="Impact")
        outcomes = set()
        for _ in range(8):
            application = make_application(program, OrganizationFactory(), status="under_review")
            make_reviews(application, self.olivia, self.rita)  # full marks: 100.00 each
            review = application.reviews.get(reviewer=self.olivia)
            edited, award = run_concurrently(
                lambda review=review: services.review_update(
                    actor=self.olivia, review=review, scores={impact.pk: 0}
                ),
                lambda application=application: services.application_approve(
                    actor=self.gary, application=application, amount=Decimal("1000")
                ),
            )
            self.assertIsInstance(award, Award)
            application = FundApplication.objects.get(pk=application.pk)
            stored = Review.objects.get(pk=review.pk)
            mean = application.reviews.aggregate(mean=Avg("weighted_score"))["mean"]
            self.assertEqual(application.weighted_score, round(mean, 2))  # whole, either way
            if isinstance(edited, Review):
                outcomes.add("edited first")
                self.assertEqual(stored.weighted_score, Decimal("40.00"))
                self.assertLessEqual(stored.updated_at, application.decided_at)
                self.assertEqual(stored.scores.get(criterion=impact).score, 0)
            else:
                outcomes.add("refused")
                self.assertIsInstance(edited, services.InvalidTransition, edited)
                self.assertEqual(stored.weighted_score, Decimal("100.00"))
                self.assertEqual(stored.scores.get(criterion=impact).score, 10)
        self.assertTrue(outcomes)


@requires_row_locks
class TestReviewLockOrder(People, TestCase):
    """The review services lock parent before child: program, application, review or
    assignment."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")

    def test_editing_assigning_and_spreading_keep_the_order(self):
        program = make_program(self.bureau, max_open=5)
        application = make_application(program, self.college, status="under_review")
        make_reviews(application, self.olivia)
        review = application.reviews.get()
        tables = assert_lock_order(
            lambda: services.review_update(actor=self.olivia, review=review, comment="Better")
        )
        self.assertEqual(tables, ["funding_fundapplication", "funding_review"])
        due = timezone.localdate() + timedelta(days=5)
        assignment = services.assignment_create(
            actor=self.gary, application=application, reviewer=self.rita, due_date=due
        )
        assert_lock_order(
            lambda: services.assignment_remove(actor=self.gary, assignment=assignment)
        )
        tables = assert_lock_order(
            lambda: services.assignments_spread(
                actor=self.gary,
                program=program,
                reviewers=[self.rita],
                per_application=1,
                due_date=due,
            )
        )
        self.assertEqual(tables[:2], ["funding_fundprogram", "funding_fundapplication"])
