"""Funding through the API: the shared permission cases, every transition table,
idempotent approve and release, and who sees what."""

from decimal import Decimal

from django.urls import reverse
from rest_framework.test import APIClient

from funding import services
from funding.models import (
    ApplicationStatus,
    Award,
    FundApplication,
    FundProgram,
    ProgramStatus,
    ProgressReport,
    ReportStatus,
    Tranche,
    TrancheStatus,
)
from portal.models import Attachment
from tests.factories import make_application, make_program, make_reviews
from tests.funding.payment_helpers import PAID, report_body
from tests.funding.test_money import FundingCase
from tests.helpers import permissions

REPORT_PERIOD = {"due_date": "2027-01-01", "period_start": "2026-06-01", "period_end": "2026-12-31"}


def make_award(test) -> Award:
    """50,000 yuan to Riverside College: olivia reviewed the application, gary decided it."""
    program = make_program(test.bureau, min_reviews=1)
    application = make_application(program, test.college, amount="50000.00", status="under_review")
    make_reviews(application, test.olivia)
    return services.application_approve(
        actor=test.gary, application=application, amount=Decimal("50000")
    )


class TestFundProgramApi(permissions.ApiPermissionCases):
    """A draft program is its department's: others get 404 until it opens."""

    basename = "fund-program"
    member_name = "olivia"
    creator_name = "olivia"

    def make_record(self):
        return make_program(self.bureau, status="draft")

    def create_data(self):
        return {
            "department": self.bureau.pk,
            "title": "Practice base fund",
            "funding_source": "local_finance",
            "total_budget": "2000000.00",
            "max_award": "400000.00",
            "eligible_kinds": ["college"],
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
            "criteria": [{"name": "Quality", "weight": "100", "max_score": 10}],
        }

    def update_data(self):
        return {"description": "For practice bases."}

    # The permission cases name alice's college as the owner; here the owner is the
    # bureau, so "viewer" and "other organization" are people outside it.
    def test_a_viewer_reads_but_cannot_write(self):
        program = make_program(self.bureau, status="open")
        self.as_user("victor")
        self.assertEqual(self.client.get(self.detail_url(program)).status_code, 200)
        self.assertEqual(
            self.client.patch(self.detail_url(program), self.update_data()).status_code, 403
        )
        self.assertEqual(
            self.client.post(self.list_url(), self.create_data(), format="json").status_code, 403
        )

    def test_another_organization_gets_404_and_an_empty_list(self):
        self.as_user("charlie")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotIn(self.record.pk, self.listed_ids())

    def test_government_reads_everything_but_changes_only_its_own(self):
        other_bureau = make_program(self.other_college, status="open")  # not really a bureau
        self.as_user("olivia")
        self.assertEqual(
            self.client.patch(self.detail_url(other_bureau), self.update_data()).status_code, 403
        )

    def test_the_creator_creates(self):
        self.as_user("olivia")
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(len(response.json()["criteria"]), 1)

    def test_every_program_move_from_every_status(self):
        self.as_user("olivia")
        for verb, allowed in [("open", {"draft"}), ("close", {"open"}), ("finalize", {"closed"})]:
            for status in ProgramStatus.values:
                program = make_program(self.bureau, status=status)
                response = self.client.post(reverse(f"api:fund-program-{verb}", args=[program.pk]))
                with self.subTest(verb=verb, status=status):
                    expected = 200 if status in allowed else 409
                    self.assertEqual(response.status_code, expected, response.content)
                    if expected == 409:
                        self.assertEqual(FundProgram.objects.get(pk=program.pk).status, status)


class TestFundApplicationApi(permissions.ApiPermissionCases):
    basename = "fund-application"

    def make_record(self):
        self.program = make_program(self.bureau)
        return make_application(self.program, self.college)

    def create_data(self):
        return {
            "program": self.program.pk,
            "applicant": self.college.pk,
            "title": "Mechatronics lab",
            "requested_amount": "120000.00",
            "budget_lines": [
                {"category": "equipment", "description": "Robots", "amount": "100000.00"},
                {"category": "training", "description": "Trainers", "amount": "20000.00"},
            ],
        }

    def update_data(self):
        return {"summary": "Equipment and trainers."}

    def test_government_reads_everything_but_changes_only_its_own(self):
        # A draft is its applicant's own: government reads it once it is submitted.
        self.as_user("olivia")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotIn(self.record.pk, self.listed_ids())
        self.as_user("alice")
        self.assertEqual(self.client.post(self.action_url("submit")).status_code, 200)
        super().test_government_reads_everything_but_changes_only_its_own()

    def action_url(self, verb):
        return reverse(f"api:fund-application-{verb}", args=[self.record.pk])

    def test_money_is_written_as_strings(self):
        self.as_user("alice")
        body = self.client.get(self.detail_url()).json()
        self.assertEqual(body["requested_amount"], "100000.00")
        self.assertEqual(body["budget_lines"][0]["amount"], "50000.00")


class TestApplicationWorkflowApi(FundingCase):
    def setUp(self):
        self.api = APIClient()

    def post(self, user, application, verb, data=None, **headers):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse(f"api:fund-application-{verb}", args=[application.pk]),
            data or {},
            format="json",
            **headers,
        )

    def test_every_application_move_from_every_status(self):
        verbs = {
            "submit": ({"draft"}, self.bob, {}),
            "withdraw": ({"draft", "submitted", "info_requested"}, self.bob, {}),
            "start-review": ({"submitted"}, self.olivia, {}),
            "approve": ({"under_review"}, self.gary, {"amount": "1000.00"}),
            "reject": ({"under_review"}, self.gary, {"reasons": "Not eligible"}),
        }
        for verb, (allowed, user, data) in verbs.items():
            for status in ApplicationStatus.values:
                program = make_program(self.bureau)
                application = make_application(program, self.college, status=status)
                if status == "under_review":
                    make_reviews(application, self.olivia, self.rita)
                response = self.post(user, application, verb, data)
                with self.subTest(verb=verb, status=status):
                    if status in allowed:
                        self.assertEqual(response.status_code, 200, response.content)
                    elif status == "draft" and user not in (self.bob,):
                        # Government never sees a draft: it reads as missing.
                        self.assertEqual(response.status_code, 404, response.content)
                    else:
                        self.assertEqual(response.status_code, 409, response.content)
                        self.assertEqual(
                            FundApplication.objects.get(pk=application.pk).status, status
                        )

    def test_applicants_see_the_decision_and_score_but_never_reviewers(self):
        application = self.under_review()
        self.post(self.gary, application, "approve", {"amount": "90000.00", "reasons": "Good plan"})
        self.api.force_authenticate(self.alice)
        body = self.api.get(reverse("api:fund-application-detail", args=[application.pk])).json()
        self.assertEqual(
            (body["status"], body["decision_reasons"], body["awarded_amount"]),
            ("approved", "Good plan", "90000.00"),
        )
        self.assertIsNotNone(body["weighted_score"])
        self.assertNotIn("olivia", str(body))
        self.assertEqual(self.api.get(reverse("api:review-list")).json()["count"], 0)
        review = application.reviews.first()
        self.assertEqual(
            self.api.get(reverse("api:review-detail", args=[review.pk])).status_code, 404
        )
        self.api.force_authenticate(self.gary)
        self.assertEqual(self.api.get(reverse("api:review-list")).json()["count"], 2)

    def test_approve_is_idempotent_with_a_key(self):
        application = self.under_review()
        key = {"HTTP_IDEMPOTENCY_KEY": "approve-42"}
        first = self.post(self.gary, application, "approve", {"amount": "90000.00"}, **key)
        again = self.post(self.gary, application, "approve", {"amount": "90000.00"}, **key)
        self.assertEqual((first.status_code, again.status_code), (200, 200))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(
            FundProgram.objects.get(pk=application.program_id).committed, Decimal("90000.00")
        )
        self.assertEqual(Award.objects.count(), 1)
        changed = self.post(self.gary, application, "approve", {"amount": "80000.00"}, **key)
        self.assertEqual(changed.status_code, 422)

    def test_without_a_key_a_repeat_is_an_illegal_transition(self):
        application = self.under_review()
        self.post(self.gary, application, "approve", {"amount": "90000.00"})
        self.assertEqual(
            self.post(self.gary, application, "approve", {"amount": "90000.00"}).status_code, 409
        )

    def test_reviews_through_the_api(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        impact, feasibility = application.program.criteria.all()
        data = {
            "application": application.pk,
            "recommendation": "fund",
            "scores": [
                {"criterion": impact.pk, "score": 10},
                {"criterion": feasibility.pk, "score": 5},
            ],
        }
        self.api.force_authenticate(self.olivia)
        response = self.api.post(reverse("api:review-list"), data, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["weighted_score"], "100.00")
        self.assertEqual(
            self.api.post(reverse("api:review-list"), data, format="json").status_code, 400
        )
        # The applicant sees its application but may not review it; others do not see it.
        self.api.force_authenticate(self.alice)
        self.assertEqual(
            self.api.post(reverse("api:review-list"), data, format="json").status_code, 403
        )
        # Charlie cannot see it: it reads exactly like an application that does not exist.
        self.api.force_authenticate(self.charlie)
        hidden = self.api.post(reverse("api:review-list"), data, format="json")
        missing = self.api.post(
            reverse("api:review-list"), {**data, "application": 10**9}, format="json"
        )
        self.assertEqual(hidden.status_code, 400)
        self.assertEqual(hidden.json(), missing.json())


class TestTrancheAndReportApi(FundingCase):
    def setUp(self):
        self.api = APIClient()
        application = self.under_review()
        self.award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("100000")
        )

    def test_plan_and_release_with_idempotency(self):
        self.api.force_authenticate(self.olivia)
        response = self.api.post(
            reverse("api:tranche-list"),
            {"award": self.award.pk, "amount": "40000.00", "due_date": "2027-01-01"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        url = reverse("api:tranche-release", args=[response.json()["id"]])
        self.assertEqual(self.api.post(url, PAID).status_code, 403)  # staff do not release
        self.api.force_authenticate(self.gary)
        first = self.api.post(url, PAID, HTTP_IDEMPOTENCY_KEY="release-1")
        again = self.api.post(url, PAID, HTTP_IDEMPOTENCY_KEY="release-1")
        self.assertEqual((first.status_code, again.status_code), (200, 200))
        self.award.refresh_from_db()
        self.assertEqual(self.award.released, Decimal("40000.00"))
        self.assertEqual(self.api.post(url, PAID).status_code, 409)

    def test_every_tranche_move_from_every_status(self):
        self.api.force_authenticate(self.gary)
        for verb in ("release", "cancel"):
            for status in TrancheStatus.values:
                tranche = services.tranche_plan(
                    actor=self.gary, award=self.award, amount=Decimal("1"), due_date="2027-01-01"
                )
                Tranche.objects.filter(pk=tranche.pk).update(status=status)
                body = PAID if verb == "release" else {"reason": "Replanned"}
                response = self.api.post(reverse(f"api:tranche-{verb}", args=[tranche.pk]), body)
                with self.subTest(verb=verb, status=status):
                    self.assertEqual(response.status_code, 200 if status == "planned" else 409)
                Tranche.objects.filter(pk=tranche.pk).update(status=TrancheStatus.CANCELLED)
                Award.objects.filter(pk=self.award.pk).update(tranched=0, released=0)

    def test_the_applicant_attaches_evidence_and_sees_its_tranches(self):
        tranche = services.tranche_plan(
            actor=self.olivia,
            award=self.award,
            amount=Decimal("50000"),
            due_date="2027-01-01",
            milestone="Base built",
        )
        self.api.force_authenticate(self.alice)
        self.assertEqual(self.api.get(reverse("api:tranche-list")).json()["count"], 1)
        self.api.force_authenticate(self.charlie)
        self.assertEqual(self.api.get(reverse("api:tranche-list")).json()["count"], 0)
        self.api.force_authenticate(self.gary)
        self.assertEqual(
            self.api.post(reverse("api:tranche-release", args=[tranche.pk]), PAID).status_code,
            400,
        )
        Attachment.objects.create(
            record=tranche,
            original_name="photos.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.bob,
            file="x.pdf",
        )
        self.assertEqual(
            self.api.post(reverse("api:tranche-release", args=[tranche.pk]), PAID).status_code,
            200,
        )

    def test_every_report_move(self):
        report = services.report_schedule(actor=self.olivia, award=self.award, **REPORT_PERIOD)
        url = lambda verb: reverse(f"api:progress-report-{verb}", args=[report.pk])  # noqa: E731
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.post(url("accept")).status_code, 409)  # not submitted yet
        self.api.force_authenticate(self.bob)
        body = report_body(report)
        self.assertEqual(self.api.post(url("submit"), body, format="json").status_code, 200)
        self.assertEqual(self.api.post(url("submit"), body, format="json").status_code, 409)
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.post(url("return"), {}).status_code, 400)  # needs comments
        self.assertEqual(
            self.api.post(url("return"), {"comment": "Add receipts."}).status_code, 200
        )
        self.api.force_authenticate(self.bob)
        self.assertEqual(self.api.post(url("submit"), body, format="json").status_code, 200)
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.post(url("accept")).status_code, 200)
        self.assertEqual(ProgressReport.objects.get(pk=report.pk).status, ReportStatus.ACCEPTED)

    def test_reports_are_reminded_once(self):
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        services.report_schedule(
            actor=self.olivia,
            award=self.award,
            due_date=today + timedelta(days=3),
            period_start=today - timedelta(days=30),
            period_end=today,
        )
        services.report_schedule(
            actor=self.olivia,
            award=self.award,
            due_date=today - timedelta(days=1),
            period_start=today - timedelta(days=60),
            period_end=today - timedelta(days=30),
        )
        with self.captureOnCommitCallbacks(execute=True):
            first = services.reports_daily(today)
            second = services.reports_daily(today)
        self.assertEqual(first, {"due_reminders": 1, "late_reminders": 1})
        self.assertEqual(second, {"due_reminders": 0, "late_reminders": 0})


class TestConflictOfInterestApi(permissions.ApiPermissionCases):
    """Officers' declared ties: government only; the officer withdraws their own."""

    basename = "conflict-of-interest"
    member_name = creator_name = "olivia"
    can_update = False
    can_delete = True
    government_only = True

    def make_record(self):
        return services.conflict_declare(
            actor=self.olivia, organization=self.college, reason="Former dean"
        )

    def create_data(self):
        return {"organization": self.other_college.pk, "reason": "Sister teaches there"}

    def test_a_college_admin_declares_no_ties(self):
        self.as_user("alice")
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)


class TestReviewApi(permissions.ApiPermissionCases):
    """Reviews are government only: the applicant never learns who reviewed."""

    basename = "review"
    member_name = creator_name = "olivia"
    can_update = False
    government_only = True

    def make_record(self):
        self.program = make_program(self.bureau)
        application = make_application(self.program, self.college, status="under_review")
        make_reviews(application, self.olivia)
        return application.reviews.get()

    def create_data(self):
        application = make_application(self.program, self.college, status="under_review")
        criteria = self.program.criteria.all()
        return {
            "application": application.pk,
            "recommendation": "fund",
            "scores": [{"criterion": c.pk, "score": c.max_score} for c in criteria],
        }


class TestAwardApi(permissions.ApiPermissionCases):
    """Awards are read-only: approving an application makes one."""

    basename = "award"
    creator_name = None
    can_update = False

    def make_record(self):
        return make_award(self)


class TestTrancheApi(permissions.ApiPermissionCases):
    """The department plans tranches (POST) and releases or cancels them; the awardee reads."""

    basename = "tranche"
    creator_name = "olivia"
    can_update = False

    def make_record(self):
        self.award = make_award(self)
        return services.tranche_plan(
            actor=self.olivia, award=self.award, amount=Decimal("10000"), due_date="2027-01-01"
        )

    def create_data(self):
        return {"award": self.award.pk, "amount": "1.00", "due_date": "2027-01-01"}

    def test_the_awardee_neither_releases_nor_cancels(self):
        for name in ("victor", "alice"):
            self.as_user(name)
            for verb, body in (("release", PAID), ("cancel", {"reason": "Not needed."})):
                url = reverse(f"api:tranche-{verb}", args=[self.record.pk])
                self.assertEqual(self.client.post(url, body).status_code, 403, (name, verb))
        self.record.refresh_from_db()
        self.assertEqual(self.record.status, TrancheStatus.PLANNED)


class TestProgressReportApi(permissions.ApiPermissionCases):
    """The department schedules reports (POST); the awardee submits them (a workflow)."""

    basename = "progress-report"
    creator_name = "olivia"
    can_update = False

    def make_record(self):
        self.award = make_award(self)
        return services.report_schedule(actor=self.olivia, award=self.award, **REPORT_PERIOD)

    def create_data(self):
        return {"award": self.award.pk, **REPORT_PERIOD}


class TestReportTransitionTable(FundingCase):
    def test_every_report_move_from_every_status(self):
        application = self.under_review()
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("50000")
        )
        api = APIClient()
        verbs = {
            "submit": (
                {"due", "returned"},
                self.bob,
                report_body,  # every indicator's value, every line's spend
            ),
            "accept": ({"submitted"}, self.olivia, {}),
            "return": ({"submitted"}, self.olivia, {"comment": "More detail."}),
        }
        for verb, (allowed, user, data) in verbs.items():
            for status in ReportStatus.values:
                report = services.report_schedule(actor=self.olivia, award=award, **REPORT_PERIOD)
                ProgressReport.objects.filter(pk=report.pk).update(status=status)
                api.force_authenticate(user)
                body = data(report) if callable(data) else data
                response = api.post(
                    reverse(f"api:progress-report-{verb}", args=[report.pk]), body, format="json"
                )
                with self.subTest(verb=verb, status=status):
                    if status in allowed:
                        self.assertEqual(response.status_code, 200, response.content)
                    else:
                        self.assertEqual(response.status_code, 409)
                        self.assertEqual(ProgressReport.objects.get(pk=report.pk).status, status)


class TestWildFilterValues(FundingCase):
    def test_out_of_range_ids_and_amounts_are_field_errors_not_server_errors(self):
        api = APIClient()
        api.force_authenticate(self.olivia)
        for url, params in [
            (reverse("api:tranche-list"), {"award": "-9.1e77"}),
            (reverse("api:progress-report-list"), {"award": "99999999999999999999999"}),
            (reverse("api:clause-list"), {"agreement": "1.5"}),
            (reverse("api:fund-application-list"), {"amount_min": "1e300"}),
        ]:
            response = api.get(url, params)
            self.assertEqual(response.status_code, 400, (url, params, response.content))
            self.assertIn(next(iter(params)), response.json())
