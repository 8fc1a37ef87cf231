"""Blind review: a reviewer reads the other reviews (and the weighted score) only once
their own is saved; the deciders read them all; all government once it is decided.
Pages and API agree, since both ask ``rules.reviews_visible_to``."""

from decimal import Decimal

from django.urls import reverse
from rest_framework.test import APIClient

from funding import services
from tests.factories import make_application
from tests.funding.review_helpers import ReviewCase


class BlindCase(ReviewCase):
    def setUp(self):
        self.api = APIClient()
        self.submitted = self.application()
        self.first = self.review(self.submitted, self.olivia, impact=10, feasibility=5)

    def api_reviews(self, user) -> set[int]:
        self.api.force_authenticate(user)
        response = self.api.get(reverse("api:review-list"), {"application": self.submitted.pk})
        self.assertEqual(response.status_code, 200)
        return {row["id"] for row in response.json()["results"]}

    def api_detail(self, user, review=None) -> int:
        self.api.force_authenticate(user)
        url = reverse("api:review-detail", args=[(review or self.first).pk])
        return self.api.get(url).status_code

    def reviews_tab(self, user) -> str:
        self.client.force_login(user)
        response = self.client.get(self.submitted.get_absolute_url() + "?tab=reviews")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def assert_blind(self, user):
        self.assertEqual(self.api_reviews(user), set())
        self.assertEqual(self.api_detail(user), 404)
        self.assertNotIn("Comment by olivia", self.reviews_tab(user))

    def assert_sees_all(self, user, count=1):
        self.assertEqual(len(self.api_reviews(user)), count)
        self.assertEqual(self.api_detail(user), 200)
        self.assertIn("Comment by olivia", self.reviews_tab(user))


class TestAReviewerWorksBlind(BlindCase):
    def test_another_review_opens_only_once_ones_own_is_saved(self):
        self.assert_blind(self.rita)
        self.assertIn("Reviews are blind", self.reviews_tab(self.rita))
        self.review(self.submitted, self.rita)
        self.assert_sees_all(self.rita, count=2)

    def test_the_review_page_shows_the_others_only_after_saving(self):
        self.client.force_login(self.rita)
        page = self.client.get(reverse("fund-review-create", args=[self.submitted.pk]))
        self.assertNotContains(page, "Comment by olivia")
        response = self.client.post(
            reverse("fund-review-create", args=[self.submitted.pk]),
            self.score_data(self.submitted),
        )
        self.assertRedirects(response, self.submitted.get_absolute_url() + "?tab=reviews")
        page = self.client.get(reverse("fund-review-create", args=[self.submitted.pk]))
        self.assertContains(page, "Comment by olivia")

    def test_one_reads_ones_own_review_at_once(self):
        self.assertEqual(self.api_reviews(self.olivia), {self.first.pk})
        self.assertEqual(self.api_detail(self.olivia), 200)

    def test_the_weighted_score_is_hidden_from_who_may_still_review(self):
        self.api.force_authenticate(self.rita)
        detail = self.api.get(reverse("api:fund-application-detail", args=[self.submitted.pk]))
        self.assertIsNone(detail.json()["weighted_score"])
        listed = self.api.get(reverse("api:fund-application-list"), {"page_size": 200}).json()
        row = next(r for r in listed["results"] if r["id"] == self.submitted.pk)
        self.assertIsNone(row["weighted_score"])
        self.client.force_login(self.rita)
        page = self.client.get(self.submitted.get_absolute_url())
        self.assertContains(page, "hidden until you have reviewed it")
        self.assertNotContains(page, "100.00")
        ranking = self.client.get(self.submitted.program.get_absolute_url() + "?tab=ranking")
        self.assertNotContains(ranking, "100.00")
        listing = self.client.get(reverse("fund-application-list"))
        self.assertNotContains(listing, "100.00")
        csv = self.client.get(reverse("fund-application-list"), {"export": "csv"})
        self.assertNotIn("100.00", csv.content.decode("utf-8-sig"))
        # Once her own review is in, the score is hers to read.
        self.review(self.submitted, self.rita, impact=10, feasibility=5)
        detail = self.api.get(reverse("api:fund-application-detail", args=[self.submitted.pk]))
        self.assertEqual(detail.json()["weighted_score"], "100.00")
        self.assertContains(self.client.get(self.submitted.get_absolute_url()), "100.00")

    def test_a_blind_reader_learns_no_place_from_the_ranking(self):
        low = make_application(
            self.submitted.program, self.other_college, status="under_review", title="Low"
        )
        self.review(low, self.olivia, impact=1, feasibility=1)
        self.client.force_login(self.rita)
        ranking = self.client.get(self.submitted.program.get_absolute_url() + "?tab=ranking")
        rows = list(ranking.context["ranking"])
        self.assertEqual([row.visible_score for row in rows], [None, None])
        self.client.force_login(self.gary)
        ranking = self.client.get(self.submitted.program.get_absolute_url() + "?tab=ranking")
        self.assertEqual(
            [row.pk for row in ranking.context["ranking"]], [self.submitted.pk, low.pk]
        )


class TestWhoElseReadsTheReviews(BlindCase):
    def test_a_decider_reads_them_all(self):
        self.assert_sees_all(self.gary)

    def test_an_admin_with_a_tie_reads_them_only_after_the_decision(self):
        services.conflict_declare(actor=self.gary, organization=self.college, reason="Alumnus")
        self.assert_blind(self.gary)
        self.review(self.submitted, self.rita)
        services.application_approve(
            actor=self.hugo, application=self.submitted, amount=Decimal("1000")
        )
        self.assert_sees_all(self.gary, count=2)

    def test_viewers_and_other_departments_wait_for_the_decision(self):
        for user in (self.vera, self.kim, self.sam):
            with self.subTest(user=user.username):
                self.assert_blind(user)
        self.review(self.submitted, self.rita)
        services.application_reject(
            actor=self.gary, application=self.submitted, reasons="Outside the program's aims."
        )
        for user in (self.vera, self.kim, self.sam):
            with self.subTest(user=user.username):
                self.assert_sees_all(user, count=2)

    def test_the_applicant_never_reads_a_review(self):
        self.review(self.submitted, self.rita)
        services.application_approve(
            actor=self.gary, application=self.submitted, amount=Decimal("1000")
        )
        for user in (self.alice, self.victor, self.charlie):
            with self.subTest(user=user.username):
                self.assertEqual(self.api_reviews(user), set())
                self.assertEqual(self.api_detail(user), 404)
