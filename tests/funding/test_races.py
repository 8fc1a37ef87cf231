"""Row locks in funding follow the portal's order (program → application → award →
tranche), so steps that meet at the same moment wait for each other instead of
deadlocking (PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import ApplicationStatus, Award, FundApplication, Tranche, TrancheStatus
from tests.factories import (
    OrganizationFactory,
    make_application,
    make_program,
    make_reviews,
    member,
)
from tests.funding.payment_helpers import PAID, report_values
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.helpers.locks import assert_lock_order
from tests.people import People


@requires_row_locks
class TestFundingLockOrder(People, TestCase):
    """Each service locks only the rows it means, parent before child."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")

    def reviewed(self, **kwargs):
        program = make_program(self.bureau, **kwargs)
        application = make_application(program, self.college, status="under_review")
        make_reviews(application, self.olivia, self.rita)
        return application

    def test_submitting_locks_the_program_then_the_application(self):
        application = make_application(make_program(self.bureau), self.college)
        tables = assert_lock_order(
            lambda: services.application_submit(actor=self.alice, application=application)
        )
        self.assertEqual(tables[:2], ["funding_fundprogram", "funding_fundapplication"])

    def test_every_application_step_keeps_the_order(self):
        application = make_application(
            make_program(self.bureau, max_open=5), self.college, status="submitted"
        )
        assert_lock_order(
            lambda: services.application_start_review(actor=self.olivia, application=application)
        )
        assert_lock_order(lambda: make_reviews(application, self.olivia, self.rita))
        assert_lock_order(
            lambda: services.application_reject(
                actor=self.gary, application=application, reasons="Outside the program's aims."
            )
        )
        draft = make_application(application.program, self.college)
        assert_lock_order(
            lambda: services.application_update(actor=self.alice, application=draft, title="New")
        )
        assert_lock_order(
            lambda: services.application_withdraw(actor=self.alice, application=draft)
        )

    def test_approving_and_paying_keep_the_order(self):
        application = self.reviewed()
        tables = assert_lock_order(
            lambda: services.application_approve(
                actor=self.gary, application=application, amount=Decimal("90000")
            )
        )
        self.assertEqual(tables[:2], ["funding_fundprogram", "funding_fundapplication"])
        award = Award.objects.get(application=application)
        # 90,000 of the 100,000 requested: the budget is revised to the award first.
        lines = [{"category": "equipment", "description": "Robot arms", "amount": "90000"}]
        assert_lock_order(
            lambda: services.budget_revision_propose(actor=self.alice, award=award, lines=lines)
        )
        revision = award.budget_revisions.get()
        tables = assert_lock_order(
            lambda: services.budget_revision_accept(actor=self.olivia, revision=revision)
        )
        self.assertEqual(
            tables, ["funding_fundapplication", "funding_award", "funding_budgetrevision"]
        )
        due = timezone.localdate() + timedelta(days=30)
        assert_lock_order(
            lambda: services.tranche_plan(actor=self.gary, award=award, amount=10, due_date=due)
        )
        first, second = (
            services.tranche_plan(actor=self.gary, award=award, amount=10, due_date=due)
            for _ in range(2)
        )
        tables = assert_lock_order(
            lambda: services.tranche_release(actor=self.gary, tranche=first, **PAID)
        )
        self.assertEqual(tables, ["funding_fundprogram", "funding_award", "funding_tranche"])
        assert_lock_order(
            lambda: services.tranche_cancel(actor=self.gary, tranche=second, reason="Replanned")
        )
        report = services.report_schedule(
            actor=self.olivia, award=award, due_date=due, period_start=due, period_end=due
        )
        assert_lock_order(
            lambda: services.report_submit(
                actor=self.alice, report=report, narrative="Done.", **report_values(report)
            )
        )

    def test_program_steps_keep_the_order(self):
        program = make_program(self.bureau, status="draft")
        assert_lock_order(
            lambda: services.criterion_add(
                actor=self.olivia, program=program, name="Reach", weight=10, max_score=5
            )
        )
        assert_lock_order(lambda: services.program_open(actor=self.olivia, program=program))


@requires_row_locks
class TestFundingRaces(TransactionTestCase):
    """Steps on two applications of one organization in one program, at the same moment."""

    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.olivia = member(self.bureau, Role.STAFF, "olivia")
        self.rita = member(self.bureau, Role.STAFF, "rita")
        self.alice = member(self.college, Role.ADMIN, "alice")

    def test_submitting_one_while_another_goes_under_review_never_deadlocks(self):
        for _ in range(8):
            program = make_program(self.bureau, max_open=5)
            submitted = make_application(program, self.college, status="submitted")
            draft = make_application(program, self.college)
            results = run_concurrently(
                lambda a=submitted: services.application_start_review(
                    actor=self.olivia, application=a
                ),
                lambda a=draft: services.application_submit(actor=self.alice, application=a),
            )
            self.assertFalse([r for r in results if isinstance(r, Exception)], results)
            self.assertEqual(
                sorted(
                    FundApplication.objects.filter(program=program).values_list("status", flat=True)
                ),
                [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
            )

    def test_submitting_one_while_another_is_approved_never_deadlocks(self):
        for _ in range(8):
            program = make_program(self.bureau, max_open=5)
            reviewed = make_application(program, self.college, status="under_review")
            make_reviews(reviewed, self.olivia, self.rita)
            draft = make_application(program, self.college)
            results = run_concurrently(
                lambda a=reviewed: services.application_approve(
                    actor=self.gary, application=a, amount=Decimal("1000")
                ),
                lambda a=draft: services.application_submit(actor=self.alice, application=a),
            )
            self.assertFalse([r for r in results if isinstance(r, Exception)], results)

    def test_two_submissions_at_once_stay_within_the_limit(self):
        program = make_program(self.bureau, max_open=1)
        drafts = [make_application(program, self.college) for _ in range(2)]
        results = run_concurrently(
            *(
                lambda a=a: services.application_submit(actor=self.alice, application=a)
                for a in drafts
            )
        )
        self.assertEqual(sum(isinstance(r, ValidationError) for r in results), 1, results)
        self.assertEqual(
            FundApplication.objects.filter(status=ApplicationStatus.SUBMITTED).count(), 1
        )

    def test_releasing_and_cancelling_on_one_award_at_once_keep_the_totals(self):
        program = make_program(self.bureau)
        application = make_application(
            program, self.college, amount="1000.00", status="under_review"
        )
        make_reviews(application, self.olivia, self.rita)
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("1000")
        )
        due = timezone.localdate() + timedelta(days=10)
        for _ in range(5):
            first, second = (
                services.tranche_plan(actor=self.gary, award=award, amount=100, due_date=due)
                for _ in range(2)
            )
            results = run_concurrently(
                lambda t=first: services.tranche_release(actor=self.gary, tranche=t, **PAID),
                lambda t=second: services.tranche_cancel(actor=self.gary, tranche=t, reason="No"),
                lambda: services.tranche_plan(actor=self.gary, award=award, amount=1, due_date=due),
            )
            self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        award.refresh_from_db()
        tranches = Tranche.objects.filter(award=award)
        self.assertEqual(
            award.released,
            sum(t.amount for t in tranches.filter(status=TrancheStatus.RELEASED)),
        )
        self.assertEqual(
            award.tranched,
            sum(t.amount for t in tranches.exclude(status=TrancheStatus.CANCELLED)),
        )
