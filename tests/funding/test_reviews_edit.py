"""A saved review may be corrected by its reviewer until the decision (409 after), on
the review page and through the API; the weighted scores follow, and the review names
the version of the application it was last saved on."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from funding import services
from funding.models import ApplicationStatus, FundApplication, Review
from tests.funding.review_helpers import ReviewCase


class TestCorrectingAReview(ReviewCase):
    def setUp(self):
        self.submitted = self.application()
        self.own = self.review(self.submitted, self.olivia, impact=5, feasibility=5)
        self.impact, self.feasibility = self.submitted.program.criteria.all()

    def test_the_reviewer_corrects_scores_and_the_weighted_scores_follow(self):
        self.assertEqual(self.own.weighted_score, Decimal("70.00"))
        FundApplication.objects.filter(pk=self.submitted.pk).update(version=2)
        review = services.review_update(
            actor=self.olivia,
            review=self.own,
            scores={self.impact.pk: 10},
            recommendation="fund_reduced",
        )
        self.assertEqual(
            (review.weighted_score, review.recommendation, review.version, review.comment),
            (Decimal("100.00"), "fund_reduced", 2, "Comment by olivia"),
        )
        self.assertEqual(
            FundApplication.objects.get(pk=self.submitted.pk).weighted_score, Decimal("100.00")
        )
        self.assertEqual(
            sorted(review.scores.values_list("score", flat=True)), [5, 10]
        )  # one row per criterion, updated in place
        self.assertEqual(review.scores.count(), 2)

    def test_scores_stay_within_their_scale_and_only_the_reviewer_corrects(self):
        with self.assertRaises(ValidationError) as raised:
            services.review_update(actor=self.olivia, review=self.own, scores={self.impact.pk: 11})
        self.assertIn(f"score_{self.impact.pk}", raised.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.review_update(actor=self.gary, review=self.own, comment="Mine now")

    def test_it_stays_open_while_more_information_is_asked_for(self):
        FundApplication.objects.filter(pk=self.submitted.pk).update(
            status=ApplicationStatus.INFO_REQUESTED
        )
        review = services.review_update(actor=self.olivia, review=self.own, comment="Waiting")
        self.assertEqual(review.comment, "Waiting")

    def test_after_the_decision_it_is_an_illegal_step(self):
        self.review(self.submitted, self.rita)
        services.application_approve(
            actor=self.gary, application=self.submitted, amount=Decimal("1000")
        )
        with self.assertRaises(services.InvalidTransition):
            services.review_update(actor=self.olivia, review=self.own, comment="Too late")
        self.assertEqual(Review.objects.get(pk=self.own.pk).comment, "Comment by olivia")

    def test_the_page_starts_from_the_saved_review_and_saves_the_correction(self):
        url = reverse("fund-review-create", args=[self.submitted.pk])
        self.client.force_login(self.olivia)
        page = self.client.get(url)
        self.assertContains(page, "Your review")
        self.assertContains(
            page, 'value="fund" class="form-check-input" id="id_recommendation_0" required checked'
        )
        self.assertContains(page, f'name="score_{self.impact.pk}" value="5"')
        response = self.client.post(url, self.score_data(self.submitted, impact=10, feasibility=5))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Review.objects.get(pk=self.own.pk).weighted_score, Decimal("100.00"))
        # After the decision the page sends the reviewer back with word of why.
        self.review(self.submitted, self.rita)
        services.application_reject(
            actor=self.gary, application=self.submitted, reasons="Outside the program's aims."
        )
        response = self.client.post(url, self.score_data(self.submitted, impact=1), follow=True)
        self.assertContains(response, "your review stands as you left it")
        self.assertEqual(Review.objects.get(pk=self.own.pk).weighted_score, Decimal("100.00"))


class TestCorrectingThroughTheApi(ReviewCase):
    def setUp(self):
        self.api = APIClient()
        self.submitted = self.application()
        self.own = self.review(self.submitted, self.olivia, impact=5, feasibility=5)
        self.url = reverse("api:review-detail", args=[self.own.pk])
        self.impact, _feasibility = self.submitted.program.criteria.all()

    def patch(self, user, data):
        self.api.force_authenticate(user)
        return self.api.patch(self.url, data, format="json")

    def test_the_reviewer_patches_until_the_decision_then_409(self):
        body = {"scores": [{"criterion": self.impact.pk, "score": 10}], "comment": "Better"}
        response = self.patch(self.olivia, body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["weighted_score"], response.json()["comment"]), ("100.00", "Better")
        )
        self.review(self.submitted, self.rita)
        services.application_approve(
            actor=self.gary, application=self.submitted, amount=Decimal("1000")
        )
        response = self.patch(self.olivia, {"comment": "Too late"})
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "invalid_transition")

    def test_put_needs_the_whole_review(self):
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.put(self.url, {"comment": "x"}, format="json").status_code, 400)
        body = {
            "recommendation": "do_not_fund",
            "comment": "",
            "scores": [
                {"criterion": c.pk, "score": 0} for c in self.submitted.program.criteria.all()
            ],
        }
        response = self.api.put(self.url, body, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["weighted_score"], "0.00")

    def test_others_may_not_correct_it(self):
        self.review(self.submitted, self.rita)  # rita now reads olivia's review
        self.assertEqual(self.patch(self.rita, {"comment": "x"}).status_code, 403)
        self.assertEqual(self.patch(self.gary, {"comment": "x"}).status_code, 403)
        self.assertEqual(self.patch(self.sam, {"comment": "x"}).status_code, 404)  # blind
        self.assertEqual(self.patch(self.alice, {"comment": "x"}).status_code, 404)
        self.api.force_authenticate(None)
        self.assertEqual(self.api.patch(self.url, {}, format="json").status_code, 401)
        self.assertEqual(Review.objects.get(pk=self.own.pk).comment, "Comment by olivia")
