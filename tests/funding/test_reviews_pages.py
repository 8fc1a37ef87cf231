"""The review pages: scoring beside the application, the decision page, the review
queue and the assignments page; who may open each, what they show, and their query
counts (the same for one row as for many)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import (
    ApplicationAnswer,
    ApplicationStatus,
    FundApplication,
    ProgramQuestion,
    Review,
    ReviewAssignment,
)
from portal.models import Attachment
from tests.factories import OrganizationFactory, make_application, make_program, member
from tests.funding.review_helpers import ReviewCase
from tests.helpers.queries import assert_constant_queries


def soon(days=7):
    return timezone.localdate() + timedelta(days=days)


class TestWhoOpensEachPage(ReviewCase):
    """Anonymous → login; another organization → 404; the applicant's viewer and
    member → 403 (they see the application, not its reviews); officers as allowed."""

    def setUp(self):
        self.submitted = self.application()
        self.assignment = services.assignment_create(
            actor=self.gary, application=self.submitted, reviewer=self.olivia, due_date=soon()
        )

    def pages(self):
        pk = self.submitted.pk
        return {
            "review": reverse("fund-review-create", args=[pk]),
            "decide": reverse("fund-application-decide", args=[pk]),
            "assignments": reverse("fund-program-assignments", args=[self.submitted.program_id]),
        }

    def posts(self):
        return {
            "review": (reverse("fund-review-create", args=[self.submitted.pk]), {}),
            "decide": (reverse("fund-application-decide", args=[self.submitted.pk]), {}),
            "assign": (reverse("fund-assignment-create", args=[self.submitted.pk]), {}),
            "remove": (reverse("fund-assignment-remove", args=[self.assignment.pk]), {}),
            "spread": (reverse("fund-assignment-spread", args=[self.submitted.program_id]), {}),
        }

    def status(self, user, url, data=None):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        response = self.client.post(url, data) if data is not None else self.client.get(url)
        return response.status_code

    def test_anonymous_visitors_are_sent_to_login(self):
        for name, url in [*self.pages().items(), ("queue", reverse("fund-review-queue"))]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, name)
            self.assertTrue(response["Location"].startswith(reverse("login")), name)
        for name, (url, data) in self.posts().items():
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 302, name)
            self.assertTrue(response["Location"].startswith(reverse("login")), name)

    def test_another_organization_gets_404(self):
        # The program is open, so its page is public: its assignments are refused (403).
        expected = {"review": 404, "decide": 404, "assignments": 403}
        for name, url in self.pages().items():
            self.assertEqual(self.status(self.charlie, url), expected[name], name)
        expected = {"review": 404, "decide": 404, "assign": 404, "remove": 404, "spread": 403}
        for name, (url, data) in self.posts().items():
            self.assertEqual(self.status(self.charlie, url, data), expected[name], name)

    def test_the_applicants_viewer_and_member_are_refused(self):
        for user in (self.victor, self.alice):
            for name, url in self.pages().items():
                self.assertEqual(self.status(user, url), 403, (user.username, name))
            expected = {"review": 403, "decide": 403, "assign": 403, "remove": 404, "spread": 403}
            for name, (url, data) in self.posts().items():
                self.assertEqual(
                    self.status(user, url, data), expected[name], (user.username, name)
                )
        self.assertTrue(ReviewAssignment.objects.filter(pk=self.assignment.pk).exists())

    def test_officers_open_what_their_part_needs(self):
        pages = self.pages()
        # olivia, assigned: scores it; not the decision (blind), not the assignments.
        self.assertEqual(self.status(self.olivia, pages["review"]), 200)
        self.assertEqual(self.status(self.olivia, pages["decide"]), 403)
        self.assertEqual(self.status(self.olivia, pages["assignments"]), 403)
        # rita, not assigned: may not score it.
        self.assertEqual(self.status(self.rita, pages["review"]), 403)
        # gary, an admin who may decide: the decision and the assignments.
        self.assertEqual(self.status(self.gary, pages["decide"]), 200)
        self.assertEqual(self.status(self.gary, pages["assignments"]), 200)
        self.assertEqual(self.status(self.gary, pages["review"]), 403)  # not assigned
        # A government viewer reads the application, but none of these.
        for page in pages.values():
            self.assertEqual(self.status(self.vera, page), 403, page)
        self.assertEqual(self.status(self.olivia, reverse("fund-review-queue")), 200)

    def test_the_queue_lists_nothing_outside_the_department(self):
        for user in (self.alice, self.victor, self.charlie, self.vera, self.kim):
            self.client.force_login(user)
            response = self.client.get(reverse("fund-review-queue"))
            self.assertEqual(response.status_code, 200, user.username)
            self.assertNotContains(response, self.submitted.reference)
        self.client.force_login(self.olivia)
        self.assertContains(self.client.get(reverse("fund-review-queue")), self.submitted.reference)


class TestScoringBesideTheApplication(ReviewCase):
    def test_start_review_leads_to_the_review_page(self):
        submitted = self.application(status="submitted")
        self.client.force_login(self.olivia)
        response = self.client.post(reverse("fund-application-start-review", args=[submitted.pk]))
        self.assertRedirects(response, reverse("fund-review-create", args=[submitted.pk]))
        # Whoever may not score it (here: a declared tie) goes back to the application.
        other = self.application(status="submitted")
        services.conflict_declare(actor=self.rita, organization=self.college, reason="Alumna")
        self.client.force_login(self.rita)
        response = self.client.post(reverse("fund-application-start-review", args=[other.pk]))
        self.assertRedirects(response, other.get_absolute_url(), fetch_redirect_response=False)

    def test_the_page_shows_the_application_and_each_criterion_in_words(self):
        submitted = self.application()
        impact = submitted.program.criteria.get(name="Impact")
        impact.description = "How many students gain placements."
        impact.guidance = "0: none; 5: a class; 10: a whole cohort."
        impact.save()
        question = ProgramQuestion.objects.create(
            program=submitted.program, label="How many students a year?", kind="number"
        )
        ApplicationAnswer.objects.create(application=submitted, question=question, value="120")
        Attachment.objects.create(
            record=submitted,
            original_name="plan.pdf",
            media_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.bob,
            file="plan.pdf",
        )
        self.client.force_login(self.olivia)
        page = self.client.get(reverse("fund-review-create", args=[submitted.pk]))
        for text in (
            "How many students gain placements.",
            "0: none; 5: a class; 10: a whole cohort.",
            "0 to 10, weight 60%",
            "0 to 5, weight 40%",
            "How many students a year?",
            "120",
            "plan.pdf",
            "Robot arms",
            'class="col-lg-7"',
            'class="col-lg-5"',
        ):
            self.assertContains(page, text)
        self.assertNotContains(page, "checked")  # no recommendation chosen for the reviewer
        self.assertNotContains(page, "×")

    def test_a_recommendation_must_be_chosen(self):
        submitted = self.application()
        data = self.score_data(submitted)
        del data["recommendation"]
        self.client.force_login(self.olivia)
        response = self.client.post(reverse("fund-review-create", args=[submitted.pk]), data)
        self.assertContains(response, 'id="id_recommendation_errors"', status_code=400)
        self.assertFalse(Review.objects.exists())

    def test_an_admin_is_warned_that_scoring_bars_deciding(self):
        submitted = self.application()
        self.client.force_login(self.gary)
        page = self.client.get(reverse("fund-review-create", args=[submitted.pk]))
        self.assertContains(page, "Scoring this application bars you from deciding it.")
        self.client.force_login(self.olivia)
        page = self.client.get(reverse("fund-review-create", args=[submitted.pk]))
        self.assertNotContains(page, "bars you from deciding")

    def test_the_application_page_links_to_scoring_and_to_the_decision(self):
        submitted = self.application()
        self.client.force_login(self.olivia)
        page = self.client.get(submitted.get_absolute_url())
        self.assertContains(page, "Score this application")
        self.assertNotContains(page, reverse("fund-application-decide", args=[submitted.pk]))
        tab = self.client.get(submitted.get_absolute_url() + "?tab=reviews")
        self.assertNotContains(tab, 'name="recommendation"')  # the tab hosts no form
        self.client.force_login(self.gary)
        page = self.client.get(submitted.get_absolute_url())
        self.assertContains(page, reverse("fund-application-decide", args=[submitted.pk]))
        self.assertNotContains(page, 'name="amount"')  # no inline decision form any more


class TestTheDecisionPage(ReviewCase):
    def setUp(self):
        self.program = make_program(self.bureau, max_open=10)
        self.submitted = self.application(program=self.program)
        self.review(self.submitted, self.olivia, impact=10, feasibility=5)
        self.review(
            self.submitted, self.rita, impact=6, feasibility=3, recommendation="fund_reduced"
        )
        for impact, applicant in ((10, OrganizationFactory()), (2, OrganizationFactory())):
            other = self.application(program=self.program, applicant=applicant)
            self.review(other, self.sam, impact=impact, feasibility=5)
        self.url = reverse("fund-application-decide", args=[self.submitted.pk])

    def test_it_sets_the_reviews_side_by_side(self):
        self.client.force_login(self.gary)
        page = self.client.get(self.url)
        summary = page.context["summary"]
        impact = summary.criteria[0]
        self.assertEqual(impact.spread.values, [10, 6])
        self.assertEqual(
            (impact.spread.mean, impact.spread.low, impact.spread.high, impact.spread.deviation),
            (Decimal("8.00"), Decimal("6"), Decimal("10"), Decimal("2.00")),
        )
        self.assertEqual(summary.weighted.values, [Decimal("100.00"), Decimal("60.00")])
        self.assertEqual(summary.weighted.mean, Decimal("80.00"))
        self.assertEqual((summary.rank, summary.ranked), (2, 3))
        self.assertEqual(
            [(value, count) for value, _label, count in summary.recommendations],
            [("fund", 1), ("fund_reduced", 1), ("do_not_fund", 0)],
        )
        self.assertContains(page, "2 of 3")
        self.assertContains(page, "0 to 10, weight 60%")
        self.assertContains(page, "Comment by rita")
        self.assertContains(page, "on version 1")
        self.assertContains(page, "1,000,000.00")  # the budget remaining

    def test_the_decider_approves_or_must_give_reasons_to_reject(self):
        self.client.force_login(self.gary)
        response = self.client.post(self.url, {"decision": "reject", "reasons": ""})
        self.assertContains(response, 'id="id_reasons_errors"', status_code=400)
        response = self.client.post(self.url, {"decision": "approve", "amount": "999999999"})
        self.assertContains(response, "more than the amount requested", status_code=400)
        response = self.client.post(self.url, {"decision": "approve", "amount": "80000"})
        self.assertRedirects(response, self.submitted.get_absolute_url())
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, ApplicationStatus.APPROVED)
        # Decided: the page still reads, with no form; everyone in government reads it.
        self.client.force_login(self.vera)
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIsNone(page.context["form"])

    def test_a_reviewer_reads_it_but_may_not_decide(self):
        self.client.force_login(self.olivia)
        page = self.client.get(self.url)
        self.assertIsNone(page.context["form"])
        response = self.client.post(self.url, {"decision": "approve", "amount": "1000"})
        self.assertEqual(response.status_code, 403)


class TestTheReviewQueue(ReviewCase):
    def test_my_assignments_come_first_with_overdue_ones_marked(self):
        program = make_program(self.bureau, max_open=10)
        late = self.application(program=program, applicant=OrganizationFactory())
        later = self.application(program=program, applicant=OrganizationFactory())
        open_to_all = self.application(program=program, applicant=OrganizationFactory())
        for application, due in ((later, 9), (late, -2)):
            ReviewAssignment.objects.create(
                application=application,
                reviewer=self.rita,
                assigned_by=self.gary,
                due_date=timezone.localdate() + timedelta(days=due),
            )
        others = self.application(program=program, applicant=OrganizationFactory())
        ReviewAssignment.objects.create(
            application=others, reviewer=self.sam, assigned_by=self.gary, due_date=soon()
        )
        self.client.force_login(self.rita)
        page = self.client.get(reverse("fund-review-queue"))
        self.assertEqual([a.application for a in page.context["assigned"]], [late, later])
        self.assertContains(page, 'data-overdue="true"', count=1)
        self.assertEqual(list(page.context["applications"]), [open_to_all])
        self.assertNotContains(page, others.reference)


class TestAssignmentsPage(ReviewCase):
    def test_an_admin_assigns_removes_and_spreads_through_the_page(self):
        program = make_program(self.bureau, max_open=10)
        first = self.application(program=program)
        second = self.application(program=program, applicant=self.other_college)
        url = reverse("fund-program-assignments", args=[program.pk])
        self.client.force_login(self.gary)
        self.assertContains(self.client.get(url), first.reference)
        services.conflict_declare(actor=self.rita, organization=self.college, reason="Alumna")
        prefix = f"assign-{first.pk}"
        response = self.client.post(
            reverse("fund-assignment-create", args=[first.pk]),
            {f"{prefix}-reviewer": self.rita.pk, f"{prefix}-due_date": soon().isoformat()},
        )
        self.assertContains(response, "declared a conflict of interest", status_code=400)
        self.assertContains(response, f'id="id_{prefix}-reviewer_errors"', status_code=400)
        response = self.client.post(
            reverse("fund-assignment-create", args=[first.pk]),
            {f"{prefix}-reviewer": self.olivia.pk, f"{prefix}-due_date": soon().isoformat()},
        )
        self.assertRedirects(response, url + f"#application-{first.pk}")
        assignment = ReviewAssignment.objects.get(application=first)
        self.client.post(reverse("fund-assignment-remove", args=[assignment.pk]))
        self.assertFalse(ReviewAssignment.objects.exists())
        response = self.client.post(
            reverse("fund-assignment-spread", args=[program.pk]),
            {
                "reviewers": [self.olivia.pk, self.sam.pk],
                "per_application": 1,
                "due_date": soon().isoformat(),
            },
            follow=True,
        )
        self.assertContains(response, "2 assignments made.")
        self.assertEqual(
            ReviewAssignment.objects.filter(application__in=[first, second]).count(), 2
        )
        response = self.client.post(
            reverse("fund-assignment-spread", args=[program.pk]),
            {"reviewers": [self.olivia.pk], "per_application": 2, "due_date": soon().isoformat()},
        )
        self.assertContains(response, 'id="id_per_application_errors"', status_code=400)


class TestQueryCounts(ReviewCase):
    """The same number of queries for one row as for fifty."""

    def test_the_review_page(self):
        submitted = self.application()
        program = submitted.program
        self.review(submitted, self.rita)

        def add(count):
            for number in range(count):
                reviewer = member(
                    self.bureau, username=f"officer{FundApplication.objects.count()}-{number}"
                )
                self.review(submitted, reviewer)
                question = ProgramQuestion.objects.create(
                    program=program, label=f"Question {number}", kind="text"
                )
                ApplicationAnswer.objects.create(
                    application=submitted, question=question, value="An answer"
                )

        self.review(submitted, self.olivia)
        self.client.force_login(self.olivia)
        url = reverse("fund-review-create", args=[submitted.pk])
        assert_constant_queries(self, lambda: self.client.get(url), add, rows=20)

    def test_the_decision_page(self):
        submitted = self.application()
        self.review(submitted, self.rita)

        def add(count):
            for number in range(count):
                reviewer = member(
                    self.bureau, username=f"decision-{number}-{Review.objects.count()}"
                )
                self.review(submitted, reviewer)

        self.client.force_login(self.gary)
        url = reverse("fund-application-decide", args=[submitted.pk])
        assert_constant_queries(self, lambda: self.client.get(url), add, rows=20)

    def test_the_review_queue_and_the_assignments_page(self):
        program = make_program(self.bureau, max_open=200)

        def add(count):
            for _ in range(count):
                assigned = make_application(program, OrganizationFactory(), status="under_review")
                ReviewAssignment.objects.create(
                    application=assigned, reviewer=self.rita, assigned_by=self.gary, due_date=soon()
                )
                make_application(program, OrganizationFactory(), status="under_review")

        add(1)
        self.client.force_login(self.rita)
        assert_constant_queries(self, lambda: self.client.get(reverse("fund-review-queue")), add)
        self.client.force_login(self.gary)
        url = reverse("fund-program-assignments", args=[program.pk])
        assert_constant_queries(self, lambda: self.client.get(url), add, rows=20)


class TestCriterionGuidance(ReviewCase):
    def test_the_program_page_adds_a_criterion_with_what_it_looks_at_and_guidance(self):
        program = make_program(self.bureau, status="draft")
        self.client.force_login(self.olivia)
        self.client.post(
            reverse("fund-criterion-add", args=[program.pk]),
            {
                "name": "Placements",
                "weight": "20",
                "max_score": 10,
                "description": "Students placed with the enterprise.",
                "guidance": "10: every student placed.",
            },
        )
        criterion = program.criteria.get(name="Placements")
        self.assertEqual(
            (criterion.description, criterion.guidance),
            ("Students placed with the enterprise.", "10: every student placed."),
        )
        page = self.client.get(program.get_absolute_url())
        self.assertContains(page, "Students placed with the enterprise.")
        self.assertContains(page, 'id="id_guidance"')
