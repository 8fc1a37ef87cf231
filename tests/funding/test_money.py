"""Public money: decisions, tranches and their limits, the four-eyes and conflict rules,
and the budget under concurrent approvals and releases (PostgreSQL)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import TestCase, TransactionTestCase

from accounts.models import OrganizationKind, Role
from funding import services
from funding.models import (
    ApplicationStatus,
    Award,
    FundApplication,
    FundProgram,
    Tranche,
    TrancheStatus,
)
from portal.models import Attachment
from tests.factories import (
    OrganizationFactory,
    make_application,
    make_program,
    make_reviews,
    member,
)
from tests.funding.payment_helpers import PAID
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.people import People


class FundingCase(People, TestCase):
    """alice/bob: Riverside College; gary (admin) and olivia (staff) of the bureau; plus
    rita, another staff reviewer of the bureau."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")

    def under_review(self, amount="100000.00", program=None, applicant=None):
        program = program or make_program(self.bureau)
        application = make_application(
            program, applicant or self.college, amount=amount, status="under_review"
        )
        make_reviews(application, self.olivia, self.rita)
        return application


class TestDecisions(FundingCase):
    def test_approval_creates_the_award_and_commits_the_amount(self):
        application = self.under_review()
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("80000")
        )
        program = FundProgram.objects.get(pk=application.program_id)
        self.assertEqual(
            (award.amount, program.committed, program.remaining),
            (Decimal("80000.00"), Decimal("80000.00"), Decimal("920000.00")),
        )
        application.refresh_from_db()
        self.assertEqual(
            (application.status, application.decided_by), (ApplicationStatus.APPROVED, self.gary)
        )

    def test_the_amount_stays_within_request_maximum_and_remaining_budget(self):
        program = make_program(self.bureau, budget="150000.00", max_award="120000.00")
        application = self.under_review(amount="130000.00", program=program)
        for amount, reason in [("130000.01", "requested"), ("120000.01", "maximum award")]:
            with self.assertRaisesMessage(ValidationError, reason):
                services.application_approve(
                    actor=self.gary, application=application, amount=Decimal(amount)
                )
        FundProgram.objects.filter(pk=program.pk).update(committed=Decimal("100000.00"))
        with self.assertRaisesMessage(ValidationError, "budget remaining"):
            services.application_approve(
                actor=self.gary, application=application, amount=Decimal("50000.01")
            )
        services.application_approve(
            actor=self.gary, application=application, amount=Decimal("50000.00")
        )
        program.refresh_from_db()
        self.assertEqual((program.committed, program.remaining), (Decimal("150000.00"), 0))

    def test_decisions_wait_for_the_minimum_number_of_reviews(self):
        program = make_program(self.bureau, min_reviews=2)
        application = make_application(program, self.college, status="under_review")
        make_reviews(application, self.olivia)
        with self.assertRaisesMessage(ValidationError, "1 of the 2 reviews"):
            services.application_reject(
                actor=self.gary, application=application, reasons="Weak plan"
            )

    def test_a_reviewer_does_not_decide_and_staff_do_not_decide(self):
        application = self.under_review()
        with self.assertRaises(PermissionDenied):
            services.application_approve(
                actor=self.olivia, application=application, amount=Decimal("1")
            )
        # gary reviews a second application, then may not decide it.
        other = make_application(application.program, self.other_college, status="under_review")
        make_reviews(other, self.gary, self.rita)
        with self.assertRaisesMessage(PermissionDenied, "reviewed"):
            services.application_approve(actor=self.gary, application=other, amount=Decimal("1"))

    def test_a_declared_tie_keeps_an_officer_from_reviewing_and_deciding(self):
        services.conflict_declare(actor=self.gary, organization=self.college, reason="Former dean")
        services.conflict_declare(
            actor=self.olivia, organization=self.college, reason="Sister teaches there"
        )
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        with self.assertRaisesMessage(PermissionDenied, "tie"):
            make_reviews(application, self.olivia)
        make_reviews(application, self.rita, self.gary_colleague())
        with self.assertRaisesMessage(PermissionDenied, "tie"):
            services.application_approve(
                actor=self.gary, application=application, amount=Decimal("1")
            )

    def gary_colleague(self):
        return member(self.bureau, Role.STAFF, "sam")

    def test_the_weighted_score_is_computed(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        impact, feasibility = application.program.criteria.all()
        review = services.review_submit(
            actor=self.olivia,
            application=application,
            scores={impact.pk: 5, feasibility.pk: 5},
            recommendation="fund_reduced",
        )
        # (5/10 × 60 + 5/5 × 40) / 100 × 100 = 70
        self.assertEqual(review.weighted_score, Decimal("70.00"))
        services.review_submit(
            actor=self.rita,
            application=application,
            scores={impact.pk: 10, feasibility.pk: 0},
            recommendation="fund",
        )
        application.refresh_from_db()
        self.assertEqual(application.weighted_score, Decimal("65.00"))

    def test_a_score_above_its_maximum_is_a_field_error(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        impact, feasibility = application.program.criteria.all()
        with self.assertRaises(ValidationError) as error:
            services.review_submit(
                actor=self.olivia,
                application=application,
                scores={impact.pk: 11, feasibility.pk: 5},
                recommendation="fund",
            )
        self.assertIn(f"score_{impact.pk}", error.exception.message_dict)


class TestSubmission(FundingCase):
    def test_budget_lines_must_add_up_to_the_request(self):
        application = make_application(make_program(self.bureau), self.college)
        application.budget_lines.first().delete()
        with self.assertRaisesMessage(ValidationError, "add up to"):
            services.application_submit(actor=self.bob, application=application)

    def test_submission_outside_the_window_is_refused(self):
        for opens_in, closes_in in [(5, 30), (-30, -1)]:
            program = make_program(self.bureau, opens_in=opens_in, closes_in=closes_in)
            application = make_application(program, self.college)
            with self.assertRaisesMessage(ValidationError, "takes applications from"):
                services.application_submit(actor=self.bob, application=application)

    def test_one_open_application_per_organization_by_default(self):
        program = make_program(self.bureau)
        services.application_submit(
            actor=self.bob, application=make_application(program, self.college)
        )
        with self.assertRaisesMessage(ValidationError, "most allowed"):
            services.application_submit(
                actor=self.bob, application=make_application(program, self.college)
            )

    def test_only_eligible_kinds_apply(self):
        program = make_program(self.bureau, kinds=("enterprise",))
        with self.assertRaisesMessage(ValidationError, "may not apply"):
            services.application_create(
                actor=self.alice,
                program=program,
                applicant=self.college,
                title="X",
                requested_amount=Decimal("1"),
            )


class TestTranches(FundingCase):
    def award(self, amount="100000.00"):
        application = self.under_review(amount=amount)
        return services.application_approve(
            actor=self.gary, application=application, amount=Decimal(amount)
        )

    def test_tranches_never_exceed_the_award(self):
        award = self.award()
        services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("30000"), due_date="2027-01-01"
        )
        services.tranche_plan(
            actor=self.olivia,
            award=award,
            amount=Decimal("70000"),
            due_date="2027-06-01",
            milestone="40 placements delivered",
        )
        with self.assertRaisesMessage(ValidationError, "left to plan"):
            services.tranche_plan(
                actor=self.olivia, award=award, amount=Decimal("0.01"), due_date="2027-07-01"
            )

    def test_an_advance_is_released_at_once_and_a_milestone_waits_for_evidence(self):
        award = self.award()
        advance = services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("30000"), due_date="2027-01-01"
        )
        milestone = services.tranche_plan(
            actor=self.olivia,
            award=award,
            amount=Decimal("70000"),
            due_date="2027-06-01",
            milestone="Base built",
        )
        services.tranche_release(actor=self.gary, tranche=advance, **PAID)
        with self.assertRaisesMessage(ValidationError, "waits for evidence"):
            services.tranche_release(actor=self.gary, tranche=milestone, **PAID)
        Attachment.objects.create(
            record=milestone,
            original_name="photos.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.bob,
            file="x.pdf",
        )
        services.tranche_release(actor=self.gary, tranche=milestone, **PAID)
        award.refresh_from_db()
        program = FundProgram.objects.get(pk=award.program_id)
        self.assertEqual(
            (award.released, program.released, program.committed), (Decimal("100000.00"),) * 3
        )

    def test_staff_do_not_release_money(self):
        tranche = services.tranche_plan(
            actor=self.olivia, award=self.award(), amount=Decimal("1"), due_date="2027-01-01"
        )
        with self.assertRaises(PermissionDenied):
            services.tranche_release(actor=self.olivia, tranche=tranche, **PAID)

    def test_a_cancelled_tranche_frees_its_amount(self):
        award = self.award()
        tranche = services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("100000"), due_date="2027-01-01"
        )
        services.tranche_cancel(actor=self.gary, tranche=tranche, reason="Replanned")
        award.refresh_from_db()
        self.assertEqual(award.tranched, Decimal("0.00"))
        services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("100000"), due_date="2027-02-01"
        )
        award.refresh_from_db()
        self.assertEqual(award.tranched, Decimal("100000.00"))
        self.assertEqual(
            sorted(award.tranches.values_list("status", flat=True)),
            [TrancheStatus.CANCELLED, TrancheStatus.PLANNED],
        )


class TestCheckConstraints(FundingCase):
    """The database refuses what the services would, even for an update that bypasses them."""

    def test_committed_cannot_exceed_the_budget(self):
        program = make_program(self.bureau, budget="1000.00", max_award="1000.00")
        with self.assertRaises(IntegrityError), transaction.atomic():
            FundProgram.objects.filter(pk=program.pk).update(
                committed=F("total_budget") + Decimal("0.01")
            )

    def test_released_cannot_exceed_committed_or_the_award(self):
        application = self.under_review(amount="100.00")
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("100")
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            FundProgram.objects.filter(pk=award.program_id).update(released=Decimal("100.01"))
        with self.assertRaises(IntegrityError), transaction.atomic():
            Award.objects.filter(pk=award.pk).update(tranched=Decimal("100.01"))
        with self.assertRaises(IntegrityError), transaction.atomic():
            Award.objects.filter(pk=award.pk).update(
                released=Decimal("0.01")
            )  # above the 0 planned


@requires_row_locks
class TestBudgetUnderLoad(TransactionTestCase):
    def setUp(self):
        self.bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        self.gary = member(self.bureau, Role.ADMIN, "gary")
        self.reviewers = [member(self.bureau, Role.STAFF, f"reviewer{i}") for i in range(2)]

    def test_twenty_approvals_at_once_commit_only_what_fits(self):
        # 20 × 70,000 requested against 1,000,000: exactly 14 fit.
        program = make_program(self.bureau, budget="1000000.00", max_award="70000.00")
        applications = []
        for _ in range(20):
            application = make_application(
                program, OrganizationFactory(), amount="70000.00", status="under_review"
            )
            make_reviews(application, *self.reviewers)
            applications.append(application)
        results = run_concurrently(
            *[
                (
                    lambda a=a: services.application_approve(
                        actor=self.gary, application=a, amount=Decimal("70000")
                    )
                )
                for a in applications
            ]
        )
        succeeded = [r for r in results if isinstance(r, Award)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        self.assertEqual((len(succeeded), len(refused)), (14, 6), results)
        program.refresh_from_db()
        self.assertEqual(program.committed, Decimal("980000.00"))
        self.assertEqual(
            program.committed, sum(a.amount for a in Award.objects.filter(program=program))
        )
        self.assertEqual(
            FundApplication.objects.filter(
                program=program, status=ApplicationStatus.APPROVED
            ).count(),
            14,
        )

    def test_twenty_releases_at_once_against_one_award_add_up_to_the_cent(self):
        program = make_program(self.bureau, budget="1000000.00", max_award="100000.00")
        application = make_application(
            program, OrganizationFactory(), amount="100000.00", status="under_review"
        )
        make_reviews(application, *self.reviewers)
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("100000")
        )
        tranches = [
            services.tranche_plan(
                actor=self.gary,
                award=award,
                amount=Decimal("5000.05") if i < 19 else Decimal("4999.05"),
                due_date="2027-01-01",
            )
            for i in range(20)
        ]
        results = run_concurrently(
            *[
                (lambda t=t: services.tranche_release(actor=self.gary, tranche=t, **PAID))
                for t in tranches
            ]
        )
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        award.refresh_from_db()
        program.refresh_from_db()
        released = sum(t.amount for t in Tranche.objects.filter(award=award, status="released"))
        self.assertEqual(award.released, released)
        self.assertEqual(award.released, Decimal("100000.00"))
        self.assertEqual(program.released, Decimal("100000.00"))


class TestNotifications(FundingCase):
    def test_each_step_tells_the_people_who_act_next(self):
        from portal.models import Notification

        program = make_program(self.bureau)
        application = make_application(program, self.college)
        services.application_submit(actor=self.bob, application=application)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.olivia, title__startswith="New application"
            ).exists()
        )
        services.application_start_review(actor=self.olivia, application=application)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.alice, title__endswith="is under review"
            ).exists()
        )
        make_reviews(application, self.olivia, self.rita)
        ready = Notification.objects.filter(title__endswith="ready for a decision")
        self.assertEqual(list(ready.values_list("recipient__username", flat=True)), ["gary"])
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("1000")
        )
        self.assertTrue(
            Notification.objects.filter(recipient=self.bob, title__contains="approved").exists()
        )
        services.tranche_plan(
            actor=self.olivia,
            award=award,
            amount=Decimal("1000"),
            due_date="2027-01-01",
            milestone="Lab built",
        )
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.alice, title__startswith="A tranche of"
            ).exists()
        )
