"""The review API: `review-assignments/` (with `spread/`), corrections through
`reviews/`, and `fund-applications/{id}/review-summary/`; the shared permission cases
and query counts."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from funding import services
from funding.models import ReviewAssignment
from tests.factories import OrganizationFactory, make_application, make_program, make_reviews
from tests.funding.review_helpers import ReviewCase
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries


def soon(days=7) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


class TestReviewAssignmentApi(permissions.ApiPermissionCases):
    """Government only; the department's admins (gary) assign and take back."""

    basename = "review-assignment"
    member_name = creator_name = "gary"
    can_update = False
    can_delete = True
    government_only = True

    def make_record(self):
        self.program = make_program(self.bureau)
        self.submitted = make_application(self.program, self.college, status="under_review")
        return services.assignment_create(
            actor=self.gary,
            application=self.submitted,
            reviewer=self.olivia,
            due_date=timezone.localdate() + timedelta(days=7),
        )

    def create_data(self):
        return {"application": self.submitted.pk, "reviewer": "gary", "due_date": soon()}

    def test_staff_read_but_neither_assign_nor_remove(self):
        self.as_user("olivia")
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 403)
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 403)

    def test_an_unknown_or_outside_reviewer_is_one_field_error(self):
        self.as_user("gary")
        for name in ("nobody-by-this-name", "alice"):
            response = self.client.post(self.list_url(), {**self.create_data(), "reviewer": name})
            self.assertEqual(response.status_code, 400, name)
            self.assertIn("reviewer", response.json())

    def test_the_answer_names_the_reviewer_and_whether_they_reviewed(self):
        self.as_user("gary")
        body = self.client.get(self.detail_url()).json()
        self.assertEqual(
            (body["reviewer"], body["assigned_by"], body["reviewed"]), ("olivia", "gary", False)
        )
        make_reviews(self.submitted, self.olivia)
        self.assertTrue(self.client.get(self.detail_url()).json()["reviewed"])
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 400)


class TestAssignmentFiltersAndSpread(ReviewCase):
    def setUp(self):
        self.api = APIClient()
        self.program = make_program(self.bureau, max_open=20)
        self.applications = [
            make_application(self.program, OrganizationFactory(), status="under_review")
            for _ in range(4)
        ]

    def spread(self, user, data, **headers):
        self.api.force_authenticate(user)
        return self.api.post(
            reverse("api:review-assignment-spread"), data, format="json", **headers
        )

    def test_spread_assigns_evenly_once_per_key(self):
        data = {
            "program": self.program.pk,
            "reviewers": ["rita", "olivia"],
            "per_application": 1,
            "due_date": soon(),
        }
        first = self.spread(self.gary, data, HTTP_IDEMPOTENCY_KEY="spread-1")
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(len(first.json()["created"]), 4)
        self.assertEqual(first.json()["short"], [])
        again = self.spread(self.gary, data, HTTP_IDEMPOTENCY_KEY="spread-1")
        self.assertEqual(again.json(), first.json())
        self.assertEqual(ReviewAssignment.objects.count(), 4)
        reviewers = [row["reviewer"] for row in first.json()["created"]]
        self.assertEqual(sorted(reviewers), ["olivia", "olivia", "rita", "rita"])

    def test_spread_is_for_admins_and_checks_its_input(self):
        data = {"program": self.program.pk, "reviewers": ["rita"], "per_application": 1}
        self.assertEqual(self.spread(self.olivia, {**data, "due_date": soon()}).status_code, 403)
        for outsider in (self.alice, self.victor, self.charlie):  # the program is public
            response = self.spread(outsider, {**data, "due_date": soon()})
            self.assertEqual(response.status_code, 403, outsider.username)
        self.assertEqual(self.spread(self.gary, data).status_code, 400)  # no due date
        response = self.spread(self.gary, {**data, "reviewers": ["alice"], "due_date": soon()})
        self.assertEqual(response.status_code, 400)
        self.assertIn("reviewers", response.json())
        too_many = {**data, "reviewers": ["x"] * 51, "due_date": soon()}
        self.assertEqual(self.spread(self.gary, too_many).status_code, 400)
        response = self.spread(self.gary, {**data, "per_application": 2, "due_date": soon()})
        self.assertEqual(response.status_code, 400)
        self.assertIn("per_application", response.json())
        self.api.force_authenticate(None)
        self.assertEqual(
            self.api.post(reverse("api:review-assignment-spread"), data).status_code, 401
        )

    def test_filters_find_the_overdue_and_the_program(self):
        late, fine = self.applications[:2]
        for application, due in ((late, -1), (fine, 3)):
            ReviewAssignment.objects.create(
                application=application,
                reviewer=self.rita,
                assigned_by=self.gary,
                due_date=timezone.localdate() + timedelta(days=due),
            )
        other = make_application(make_program(self.bureau), self.college, status="under_review")
        ReviewAssignment.objects.create(
            application=other, reviewer=self.sam, assigned_by=self.gary, due_date=soon()
        )
        self.api.force_authenticate(self.olivia)
        url = reverse("api:review-assignment-list")

        def ids(**params):
            return {row["application"] for row in self.api.get(url, params).json()["results"]}

        self.assertEqual(ids(overdue="true"), {late.pk})
        self.assertEqual(ids(overdue="false"), {fine.pk, other.pk})
        self.assertEqual(ids(program=self.program.pk), {late.pk, fine.pk})
        self.assertEqual(ids(reviewer=self.sam.pk), {other.pk})
        self.assertEqual(ids(application=fine.pk), {fine.pk})
        self.assertEqual(self.api.get(url, {"program": "x" * 30}).status_code, 400)

    def test_the_list_runs_the_same_queries_for_one_row_as_for_fifty(self):
        def add(count):
            for _ in range(count):
                application = make_application(
                    self.program, OrganizationFactory(), status="under_review"
                )
                ReviewAssignment.objects.create(
                    application=application,
                    reviewer=self.rita,
                    assigned_by=self.gary,
                    due_date=timezone.localdate(),
                )

        add(1)
        self.api.force_authenticate(self.gary)
        url = reverse("api:review-assignment-list")
        assert_constant_queries(self, lambda: self.api.get(url, {"page_size": 200}), add)
        reviews = reverse("api:review-list")

        def add_reviews(count):
            for _ in range(count):
                application = make_application(
                    self.program, OrganizationFactory(), status="under_review"
                )
                make_reviews(application, self.rita)

        add_reviews(1)
        assert_constant_queries(
            self, lambda: self.api.get(reviews, {"page_size": 200}), add_reviews
        )


class TestReviewSummaryApi(ReviewCase):
    def setUp(self):
        self.api = APIClient()
        self.submitted = self.application()
        self.review(self.submitted, self.olivia, impact=10, feasibility=5)
        self.review(
            self.submitted, self.rita, impact=6, feasibility=3, recommendation="do_not_fund"
        )
        self.url = reverse("api:fund-application-review-summary", args=[self.submitted.pk])

    def get(self, user):
        self.api.force_authenticate(user)
        return self.api.get(self.url)

    def test_the_decider_reads_means_spreads_recommendations_and_place(self):
        response = self.get(self.gary)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        impact = body["criteria"][0]
        self.assertEqual(
            (impact["name"], impact["scores"], impact["mean"], impact["low"], impact["high"]),
            ("Impact", [10, 6], "8.00", "6.00", "10.00"),
        )
        self.assertEqual(impact["weight_share"], "60.0")
        self.assertEqual(body["weighted_score"]["mean"], "80.00")
        self.assertEqual(body["recommendations"], {"fund": 1, "fund_reduced": 0, "do_not_fund": 1})
        self.assertEqual((body["rank"], body["ranked"]), (1, 1))
        self.assertEqual(body["budget_remaining"], "1000000.00")
        self.assertEqual([r["reviewer"] for r in body["reviews"]], ["olivia", "rita"])

    def test_who_else_may_read_it(self):
        self.assertEqual(self.get(self.olivia).status_code, 200)  # reviewed it
        self.assertEqual(self.get(self.sam).status_code, 403)  # may still review it, blind
        self.assertEqual(self.get(self.alice).status_code, 403)  # the applicant
        self.assertEqual(self.get(self.victor).status_code, 403)  # the applicant's viewer
        self.assertEqual(self.get(self.charlie).status_code, 404)  # cannot see it
        self.assertEqual(self.get(None).status_code, 401)
        services.application_approve(
            actor=self.gary, application=self.submitted, amount=Decimal("1000")
        )
        self.assertEqual(self.get(self.sam).status_code, 200)  # decided: all government


class TestCriterionGuidanceApi(ReviewCase):
    def test_criteria_carry_what_they_look_at_and_guidance(self):
        api = APIClient()
        api.force_authenticate(self.olivia)
        response = api.post(
            reverse("api:fund-program-list"),
            {
                "department": self.bureau.pk,
                "title": "Practice base fund",
                "funding_source": "local_finance",
                "total_budget": "2000000.00",
                "max_award": "400000.00",
                "eligible_kinds": ["college"],
                "opens_on": "2027-01-01",
                "closes_on": "2027-03-31",
                "criteria": [
                    {
                        "name": "Quality",
                        "weight": "100",
                        "max_score": 10,
                        "description": "The base's equipment and staff.",
                        "guidance": "5: adequate; 10: the region's best.",
                    },
                    {"name": "Reach", "weight": "50", "max_score": 5},
                ],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        quality, reach = response.json()["criteria"]
        self.assertEqual(
            (quality["description"], quality["guidance"]),
            ("The base's equipment and staff.", "5: adequate; 10: the region's best."),
        )
        self.assertEqual((reach["description"], reach["guidance"]), ("", ""))
