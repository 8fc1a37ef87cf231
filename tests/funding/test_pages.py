"""Funding pages: permissions, the applicant's and officers' main steps, CSV, query counts."""

from decimal import Decimal

from django.urls import reverse

from funding import services
from funding.models import ApplicationStatus, FundApplication, TrancheStatus
from tests.factories import OrganizationFactory, make_application, make_program, make_reviews
from tests.funding.payment_helpers import cancel_form, release_form, report_form
from tests.funding.test_money import FundingCase
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries


class TestApplicationPages(permissions.PagePermissionCases):
    list_url_name = "fund-application-list"
    detail_url_name = "fund-application-detail"
    edit_url_name = "fund-application-edit"

    def make_record(self):
        return make_application(make_program(self.bureau), self.college)

    def edit_data(self):
        return {"title": "Mechatronics lab", "summary": "", "requested_amount": "100000.00"}

    def test_government_reads_but_cannot_edit_others_records(self):
        # A draft is its applicant's own: government reads it once it is submitted.
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 404)
        services.application_submit(actor=self.alice, application=self.record)
        super().test_government_reads_but_cannot_edit_others_records()


class TestProgramPages(FundingCase):
    def test_drafts_are_hidden_outside_the_department_and_open_programs_public(self):
        draft = make_program(self.bureau, status="draft")
        opened = make_program(self.bureau, status="open")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(opened.get_absolute_url()).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("fund-program-edit", args=[opened.pk])).status_code, 403
        )
        self.client.force_login(self.olivia)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("fund-program-edit", args=[draft.pk])).status_code, 200
        )

    def test_an_officer_drafts_adds_criteria_and_opens_a_program(self):
        self.client.force_login(self.olivia)
        response = self.client.post(
            reverse("fund-program-create"),
            {
                "department": self.bureau.pk,
                "title": "Practice base fund",
                "funding_source": "special_fund",
                "total_budget": "1000000",
                "max_award": "200000",
                "eligible_kinds": ["college"],
                "opens_on": "2026-01-01",
                "closes_on": "2030-01-01",
                "max_open_applications": 1,
                "min_reviews": 2,
            },
        )
        self.assertEqual(response.status_code, 302)
        program_url = response["Location"]
        program_id = int(program_url.rstrip("/").split("/")[-1])
        response = self.client.post(reverse("fund-program-open", args=[program_id]), follow=True)
        self.assertContains(response, "Add at least one review criterion")
        self.client.post(
            reverse("fund-criterion-add", args=[program_id]),
            {"name": "Impact", "weight": "100", "max_score": 10},
        )
        self.client.post(reverse("fund-program-open", args=[program_id]))
        self.assertContains(self.client.get(program_url), 'data-status="open"')

    def test_a_max_award_above_the_budget_is_refused_next_to_the_form(self):
        self.client.force_login(self.olivia)
        response = self.client.post(
            reverse("fund-program-create"),
            {
                "department": self.bureau.pk,
                "title": "X",
                "funding_source": "special_fund",
                "total_budget": "1000",
                "max_award": "2000",
                "eligible_kinds": ["college"],
                "opens_on": "2026-01-01",
                "closes_on": "2030-01-01",
                "max_open_applications": 1,
                "min_reviews": 2,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alert-danger")

    def test_the_ranking_is_for_government(self):
        program = make_program(self.bureau)
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.get(program.get_absolute_url() + "?tab=ranking").status_code, 403
        )


class TestApplicantAndOfficerSteps(FundingCase):
    def test_an_applicant_drafts_adds_budget_lines_and_submits(self):
        program = make_program(self.bureau)
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("fund-application-create", args=[program.pk]),
            {"applicant": self.college.pk, "title": "Robot lab", "requested_amount": "90000.00"},
        )
        application = FundApplication.objects.get(title="Robot lab")
        self.assertRedirects(response, application.get_absolute_url())
        line = reverse("fund-budget-line-add", args=[application.pk])
        self.client.post(
            line, {"category": "equipment", "description": "Robots", "amount": "60000"}
        )
        submit = reverse("fund-application-submit", args=[application.pk])
        response = self.client.post(submit, follow=True)
        self.assertContains(response, "add up to 60000.00, not the 90000.00")
        self.client.post(
            line, {"category": "training", "description": "Trainers", "amount": "30000"}
        )
        self.client.post(submit)
        application.refresh_from_db()
        self.assertEqual(application.status, ApplicationStatus.SUBMITTED)

    def test_officers_review_and_an_admin_decides_through_the_pages(self):
        application = make_application(make_program(self.bureau), self.college, status="submitted")
        self.client.force_login(self.olivia)
        self.client.post(reverse("fund-application-start-review", args=[application.pk]))
        impact, feasibility = application.program.criteria.all()
        for reviewer in (self.olivia, self.rita):
            self.client.force_login(reviewer)
            self.assertContains(
                self.client.get(reverse("fund-review-queue")), application.reference
            )
            self.client.post(
                reverse("fund-review-create", args=[application.pk]),
                {f"score_{impact.pk}": 8, f"score_{feasibility.pk}": 4, "recommendation": "fund"},
            )
            self.assertNotContains(
                self.client.get(reverse("fund-review-queue")), application.reference
            )
        self.client.force_login(self.gary)
        self.client.post(
            reverse("fund-application-approve", args=[application.pk]),
            {"amount": "80000", "reasons": "Strong plan"},
        )
        application.refresh_from_db()
        self.assertEqual(
            (application.status, application.award.amount),
            (ApplicationStatus.APPROVED, Decimal("80000.00")),
        )

    def test_a_score_out_of_range_is_shown_next_to_the_field(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        impact, feasibility = application.program.criteria.all()
        self.client.force_login(self.olivia)
        response = self.client.post(
            reverse("fund-review-create", args=[application.pk]),
            {f"score_{impact.pk}": 11, f"score_{feasibility.pk}": 4, "recommendation": "fund"},
        )
        self.assertContains(response, f'id="id_score_{impact.pk}_errors"', status_code=400)

    def test_the_applicant_never_sees_the_reviews_tab(self):
        application = make_application(
            make_program(self.bureau), self.college, status="under_review"
        )
        make_reviews(application, self.olivia, self.rita)
        self.client.force_login(self.alice)
        page = self.client.get(application.get_absolute_url())
        for officer in (self.olivia, self.rita):  # pages name people by their full name
            self.assertNotContains(page, str(officer))
        self.assertEqual(
            self.client.get(application.get_absolute_url() + "?tab=reviews").status_code, 403
        )
        self.client.force_login(self.gary)
        reviews = self.client.get(application.get_absolute_url() + "?tab=reviews")
        self.assertContains(reviews, str(self.olivia))

    def test_csv_export_carries_scores_and_decisions(self):
        application = self.under_review()
        services.application_approve(
            actor=self.gary, application=application, amount=Decimal("70000"), reasons="Fits"
        )
        self.client.force_login(self.gary)
        text = self.client.get(reverse("fund-application-list"), {"export": "csv"}).content.decode(
            "utf-8-sig"
        )
        self.assertIn("weighted_score", text.splitlines()[0])
        self.assertIn("70000.00", text)
        self.assertIn("Fits", text)

    def test_the_partnership_page_lists_its_funding(self):
        from tests.partnerships.test_permissions import make_partnership

        partnership = make_partnership(self.college)
        application = make_application(make_program(self.bureau), self.college)
        application.partnership = partnership
        application.save()
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(partnership.get_absolute_url()), application.reference)


class TestQueryCounts(FundingCase):
    def test_the_review_queue_ranking_and_application_list(self):
        program = make_program(self.bureau, max_open=100)

        def add(count):
            for _ in range(count):
                make_application(program, OrganizationFactory(), status="under_review")

        add(1)
        self.client.force_login(self.olivia)
        assert_constant_queries(self, lambda: self.client.get(reverse("fund-review-queue")), add)
        assert_constant_queries(
            self, lambda: self.client.get(program.get_absolute_url() + "?tab=ranking"), add
        )
        assert_constant_queries(
            self, lambda: self.client.get(reverse("fund-application-list")), add, rows=25
        )
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("api:fund-application-list"), {"page_size": 200}),
            add,
        )


class TestAwardPages(FundingCase):
    def test_tranches_and_reports_through_the_award_tab(self):
        application = self.under_review(amount="90000.00")
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("90000")
        )
        self.client.force_login(self.olivia)
        self.client.post(
            reverse("fund-tranche-plan", args=[award.pk]),
            {"tranche-amount": "30000", "tranche-due_date": "2027-01-01", "tranche-milestone": ""},
        )
        self.client.post(
            reverse("fund-report-schedule", args=[award.pk]),
            {
                "schedule-due_date": "2027-01-01",
                "schedule-period_start": "2026-06-01",
                "schedule-period_end": "2026-12-31",
            },
        )
        tranche = award.tranches.get()
        report = award.reports.get()
        self.client.force_login(self.gary)
        self.client.post(reverse("fund-tranche-release", args=[tranche.pk]), release_form())
        self.client.force_login(self.bob)
        page = self.client.get(application.get_absolute_url() + "?tab=award")
        self.assertContains(page, f'id="id_report-{report.pk}-narrative"')
        self.client.post(
            reverse("fund-report-submit", args=[report.pk]),
            report_form(report, narrative="Robots installed.", spent="12500"),
        )
        self.client.force_login(self.olivia)
        self.client.post(
            reverse("fund-report-return", args=[report.pk]),
            {f"review-{report.pk}-comment": "Attach the invoices."},
        )
        report.refresh_from_db()
        award.refresh_from_db()
        self.assertEqual(
            (report.status, report.review_comment), ("returned", "Attach the invoices.")
        )
        self.assertEqual(award.released, Decimal("30000.00"))


class TestWaitingOnYou(FundingCase):
    def test_officers_see_reviews_to_do_and_admins_decisions_to_make(self):
        program = make_program(self.bureau)
        half_reviewed = make_application(program, self.college, status="under_review", title="Half")
        make_reviews(half_reviewed, self.olivia)
        reviewed = make_application(
            program, self.other_college, status="under_review", title="Done"
        )
        make_reviews(reviewed, self.olivia, self.rita)
        self.client.force_login(self.rita)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn(f"Review {half_reviewed.reference}", page)
        self.assertNotIn(reviewed.reference, page)  # rita reviewed it; staff do not decide
        self.client.force_login(self.gary)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn(f"Decide {reviewed.reference}", page)
        self.assertNotIn(f"Review {reviewed.reference}", page)
        self.client.force_login(self.bob)
        self.assertNotIn("Decide", self.client.get(reverse("home")).content.decode())

    def test_applicants_see_drafts_to_finish_and_reports_due(self):
        draft = make_application(make_program(self.bureau), self.college)
        award = services.application_approve(
            actor=self.gary, application=self.under_review(), amount=Decimal("1000")
        )
        services.report_schedule(
            actor=self.olivia,
            award=award,
            due_date="2027-01-01",
            period_start="2026-06-01",
            period_end="2026-12-31",
        )
        self.client.force_login(self.bob)
        page = self.client.get(reverse("home"))
        self.assertContains(page, f"Finish and submit {draft.reference}")
        self.assertContains(page, f"Progress report for {award.application.reference}")


class TestReviewersStayAnonymous(FundingCase):
    def test_the_applicants_history_names_the_department_never_an_officer(self):
        from rest_framework.test import APIClient

        program = make_program(self.bureau)
        application = make_application(program, self.college)
        api = APIClient()

        def post(user, verb, data=None):
            api.force_authenticate(user)
            url = reverse(f"api:fund-application-{verb}", args=[application.pk])
            self.assertEqual(api.post(url, data or {}, format="json").status_code, 200, verb)

        post(self.bob, "submit")
        post(self.olivia, "start-review")
        impact, feasibility = program.criteria.all()
        for reviewer in (self.olivia, self.rita):
            api.force_authenticate(reviewer)
            api.post(
                reverse("api:review-list"),
                {
                    "application": application.pk,
                    "recommendation": "fund",
                    "scores": [
                        {"criterion": impact.pk, "score": 9},
                        {"criterion": feasibility.pk, "score": 4},
                    ],
                },
                format="json",
            )
        post(self.gary, "approve", {"amount": "1000.00"})

        officers = [str(u) for u in (self.olivia, self.rita, self.gary)]
        self.client.force_login(self.alice)
        page = self.client.get(application.get_absolute_url() + "?tab=history").content.decode()
        self.assertIn("Education Bureau", page)
        self.assertIn(str(self.bob), page)
        for name in officers:
            self.assertNotIn(name, page)
        api.force_authenticate(self.alice)
        rows = api.get(reverse("api:fund-application-history", args=[application.pk])).json()
        self.assertFalse({row["who"] for row in rows} & set(officers))
        for name in officers:
            self.assertNotIn(name, str(rows))  # not as "who", nor as "decided by"
        self.client.force_login(self.gary)
        page = self.client.get(application.get_absolute_url() + "?tab=history").content.decode()
        self.assertIn(str(self.olivia), page)


class TestTranchesWaitingForRelease(FundingCase):
    def test_a_tranche_waits_on_the_dashboard_only_once_its_evidence_is_attached(self):
        from portal.models import Attachment

        award = services.application_approve(
            actor=self.gary,
            application=self.under_review(amount="50000.00"),
            amount=Decimal("50000"),
        )
        services.tranche_plan(
            actor=self.olivia, award=award, amount=Decimal("10000"), due_date="2026-01-01"
        )
        milestone = services.tranche_plan(
            actor=self.olivia,
            award=award,
            amount=Decimal("20000"),
            due_date="2026-01-02",
            milestone="Lab built",
        )
        self.client.force_login(self.gary)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn("Release 10,000.00 yuan", page)
        self.assertNotIn("Release 20,000.00 yuan", page)
        Attachment.objects.create(
            record=milestone,
            original_name="photos.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.bob,
            file="x.pdf",
        )
        self.assertIn("Release 20,000.00 yuan", self.client.get(reverse("home")).content.decode())


class TestTrancheButtons(FundingCase):
    """One page action per verb: the cancel button cancels and nothing else moves money."""

    def test_cancel_cancels_release_releases_and_a_stray_action_field_changes_nothing(self):
        application = self.under_review(amount="90000.00")
        award = services.application_approve(
            actor=self.gary, application=application, amount=Decimal("90000")
        )
        first, second = (
            services.tranche_plan(
                actor=self.gary, award=award, amount=Decimal("100"), due_date="2027-01-01"
            )
            for _ in range(2)
        )
        self.client.force_login(self.gary)
        # Once any posted action other than "cancel" released money.
        self.client.post(
            reverse("fund-tranche-cancel", args=[first.pk]), {**cancel_form(), "action": "release"}
        )
        self.client.post(
            reverse("fund-tranche-release", args=[second.pk]), release_form(action="cancel")
        )
        first.refresh_from_db()
        second.refresh_from_db()
        award.refresh_from_db()
        self.assertEqual(
            (first.status, second.status, award.released),
            (TrancheStatus.CANCELLED, TrancheStatus.RELEASED, Decimal("100.00")),
        )
