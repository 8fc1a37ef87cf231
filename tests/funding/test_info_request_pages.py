"""The more-information loop on the pages: the officer asks on the application page, the
applicant sees the request there and on the home page, edits the form and resubmits,
and the page links to what changed."""

from django.urls import reverse

from funding.models import ApplicationStatus, FundApplication
from tests.funding.test_info_request_api import QUESTIONS, submitted
from tests.funding.test_money import FundingCase


class TestMoreInformationLoopPages(FundingCase):
    def setUp(self):
        self.application, self.questions = submitted(self)
        self.page = self.application.get_absolute_url()

    def test_the_officer_asks_and_the_applicant_answers_and_resubmits(self):
        self.client.force_login(self.olivia)
        page = self.client.get(self.page)
        self.assertContains(
            page, reverse("fund-application-request-info", args=[self.application.pk])
        )
        # An empty request is refused, with the reason.
        response = self.client.post(
            reverse("fund-application-request-info", args=[self.application.pk]),
            {"questions": ""},
            follow=True,
        )
        self.assertContains(response, "What the applicant should answer or change")
        self.assertEqual(FundApplication.objects.get(pk=self.application.pk).status, "under_review")
        self.client.post(
            reverse("fund-application-request-info", args=[self.application.pk]),
            {"questions": QUESTIONS},
        )
        self.assertEqual(
            FundApplication.objects.get(pk=self.application.pk).status,
            ApplicationStatus.INFO_REQUESTED,
        )

        self.client.force_login(self.bob)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Answer the department&#x27;s questions on")
        page = self.client.get(self.page)
        self.assertContains(page, 'data-testid="info-request"')
        self.assertContains(page, "How many trainees come from partner colleges?")
        self.assertContains(page, reverse("fund-application-resubmit", args=[self.application.pk]))
        self.assertContains(page, 'data-status="info_requested"')
        # The form shows the request and takes the changes.
        edit = reverse("fund-application-edit", args=[self.application.pk])
        form = self.client.get(edit)
        self.assertContains(form, "How many trainees come from partner colleges?")
        number = f"question_{self.questions['number'].pk}"
        goals = f"question_{self.questions['long_text'].pk}"
        response = self.client.post(
            edit,
            {
                "title": self.application.title,
                "summary": "Eighty technicians.",
                "requested_amount": "100000.00",
                number: "eighty",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Give a number, such as 12 or 3.5.")
        response = self.client.post(
            edit,
            {
                "title": self.application.title,
                "summary": "Eighty technicians.",
                "requested_amount": "100000.00",
                number: "80",
                goals: "Train sixty technicians",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.client.post(reverse("fund-application-resubmit", args=[self.application.pk]))
        application = FundApplication.objects.get(pk=self.application.pk)
        self.assertEqual((application.status, application.version), ("under_review", 2))
        page = self.client.get(self.page)
        versions = reverse("fund-application-versions", args=[application.pk])
        self.assertContains(page, f"{versions}?a=1&amp;b=2")
        self.assertContains(page, "What changed since version 1")
        self.assertNotContains(page, 'data-testid="info-request"')
        self.assertNotContains(self.client.get(reverse("home")), "Answer the department")

        diff = self.client.get(versions)  # by default, the last two
        self.assertContains(diff, 'data-field="summary" data-change="changed"')
        self.assertContains(diff, '<ins class="text-success">Eighty technicians.</ins>', html=False)
        self.assertContains(diff, "The department's request that version 2 answers")
        self.assertContains(
            diff, f'<tr data-question="{self.questions["number"].pk}" data-change="changed">'
        )
        self.assertContains(diff, "2 changes")  # the summary and the number

    def test_a_reviewer_with_a_tie_is_not_offered_the_request(self):
        from funding.models import ConflictOfInterest

        ConflictOfInterest.objects.create(
            officer=self.olivia, organization=self.college, reason="x"
        )
        self.client.force_login(self.olivia)
        page = self.client.get(self.page)
        self.assertNotContains(
            page, reverse("fund-application-request-info", args=[self.application.pk])
        )
        self.client.force_login(self.alice)
        self.assertNotContains(
            self.client.get(self.page),
            reverse("fund-application-request-info", args=[self.application.pk]),
        )


class TestInfoRequestPagePermissions(FundingCase):
    def test_who_may_ask_and_resubmit_on_the_pages(self):
        application, _questions = submitted(self)
        ask = reverse("fund-application-request-info", args=[application.pk])
        resubmit = reverse("fund-application-resubmit", args=[application.pk])
        for url in (ask, resubmit):
            self.assertTrue(self.client.post(url)["Location"].startswith(reverse("login")))
        cases = [
            (self.charlie, ask, 404),
            (self.victor, ask, 403),
            (self.bob, ask, 403),
            (self.olivia, ask, 302),
            (self.charlie, resubmit, 404),
            (self.victor, resubmit, 403),
            (self.olivia, resubmit, 403),
            (self.bob, resubmit, 302),
        ]
        for user, url, expected in cases:
            self.client.force_login(user)
            with self.subTest(user=user.username, url=url):
                response = self.client.post(url, {"questions": QUESTIONS})
                self.assertEqual(response.status_code, expected)
        application.refresh_from_db()
        self.assertEqual((application.status, application.version), ("under_review", 2))
