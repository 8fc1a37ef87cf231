"""What each person may do with a program or an application, decided once
(``program_actions``, ``application_actions``) and told alike by pages and the API."""

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from funding import services
from funding.models import ApplicationStatus
from tests.factories import make_application, make_program, make_reviews, member
from tests.people import People


class ActionsCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rita = member(cls.bureau, Role.STAFF, "rita")
        cls.vera = member(cls.bureau, Role.VIEWER, "vera")


class TestApplicationActions(ActionsCase):
    def actions(self, user, status, **kwargs):
        application = make_application(make_program(self.bureau), self.college, status=status)
        if kwargs.get("reviewed_by"):
            make_reviews(application, *kwargs["reviewed_by"])
        return services.application_actions(user, application)

    def test_the_applicant_drafts_submits_and_withdraws(self):
        self.assertEqual(self.actions(self.bob, "draft"), {"edit", "submit", "withdraw"})
        self.assertEqual(self.actions(self.bob, "submitted"), {"withdraw"})
        self.assertEqual(self.actions(self.victor, "draft"), set())
        self.assertEqual(self.actions(self.charlie, "draft"), set())

    def test_the_department_starts_reviews_and_reviews(self):
        self.assertEqual(self.actions(self.olivia, "submitted"), {"start_review"})
        self.assertEqual(self.actions(self.olivia, "under_review"), {"review", "request_info"})
        self.assertEqual(self.actions(self.vera, "under_review"), set())

    def test_an_admin_decides_unless_they_reviewed_it_or_declared_a_tie(self):
        self.assertEqual(
            self.actions(self.gary, "under_review", reviewed_by=[self.olivia, self.rita]),
            {"review", "approve", "reject", "assign", "request_info"},
        )
        # Who reviewed corrects their review until the decision, and still assigns others.
        self.assertEqual(
            self.actions(self.gary, "under_review", reviewed_by=[self.gary]),
            {"edit_review", "assign", "request_info"},
        )
        services.conflict_declare(actor=self.gary, organization=self.college, reason="Alumnus")
        self.assertEqual(self.actions(self.gary, "under_review"), set())

    def test_an_award_is_paid_by_admins_and_planned_by_staff(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        make_reviews(application, self.olivia, self.rita)
        services.application_approve(actor=self.gary, application=application, amount=Decimal(10))
        application.refresh_from_db()
        self.assertEqual(
            services.application_actions(self.gary, application),
            {"plan_tranche", "schedule_report", "release"},
        )
        self.assertEqual(
            services.application_actions(self.olivia, application),
            {"plan_tranche", "schedule_report"},
        )
        self.assertEqual(services.application_actions(self.alice, application), set())


class TestProgramActions(ActionsCase):
    def test_the_department_runs_it_eligible_organizations_apply_government_ranks(self):
        program = make_program(self.bureau, status="draft")
        self.assertEqual(
            services.program_actions(self.olivia, program),
            {"edit", "open", "add_criterion", "edit_questions", "rank"},
        )
        self.assertEqual(services.program_actions(self.vera, program), {"rank"})
        program = make_program(self.bureau, status="open")
        self.assertEqual(services.program_actions(self.alice, program), {"apply"})
        self.assertEqual(services.program_actions(self.victor, program), set())
        self.assertEqual(services.program_actions(self.olivia, program), {"edit", "close", "rank"})


class TestPagesAndApiAgree(ActionsCase):
    def test_the_detail_resource_carries_the_actions_and_lists_do_not(self):
        application = make_application(make_program(self.bureau), self.college)
        api = APIClient()
        api.force_authenticate(self.bob)
        detail = api.get(reverse("api:fund-application-detail", args=[application.pk])).json()
        self.assertEqual(detail["actions"], ["edit", "submit", "withdraw"])
        listed = api.get(reverse("api:fund-application-list")).json()["results"][0]
        self.assertNotIn("actions", listed)
        # A workflow step answers with the resource as the detail shows it.
        moved = api.post(reverse("api:fund-application-submit", args=[application.pk])).json()
        self.assertEqual((moved["status"], moved["actions"]), ("submitted", ["withdraw"]))
        program = api.get(reverse("api:fund-program-detail", args=[application.program_id]))
        self.assertEqual(program.json()["actions"], ["apply"])

    def test_the_page_offers_exactly_the_allowed_steps(self):
        application = make_application(make_program(self.bureau), self.college, status="submitted")
        self.client.force_login(self.olivia)
        page = self.client.get(application.get_absolute_url()).content.decode()
        self.assertIn(reverse("fund-application-start-review", args=[application.pk]), page)
        self.assertNotIn(reverse("fund-application-withdraw", args=[application.pk]), page)
        self.client.force_login(self.bob)
        page = self.client.get(application.get_absolute_url()).content.decode()
        self.assertIn(reverse("fund-application-withdraw", args=[application.pk]), page)
        self.assertNotIn(reverse("fund-application-start-review", args=[application.pk]), page)
        application.refresh_from_db()
        self.assertEqual(application.status, ApplicationStatus.SUBMITTED)
