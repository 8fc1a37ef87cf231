"""Submitted versions through the API: who reads `versions/` and `diff/` (the
application's readers, never government while it is a draft), and the same queries
for one version as for many."""

from django.urls import reverse
from rest_framework.test import APIClient

from funding import services
from funding.models import ApplicationVersion, FundApplication
from tests.factories import make_application, make_program
from tests.funding.test_info_request_api import submitted
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries


class TestVersionsApi(FundingCase):
    def setUp(self):
        self.api = APIClient()
        self.application, _questions = submitted(self, status="info_requested")
        services.application_resubmit(actor=self.bob, application=self.application)

    def urls(self, application=None):
        pk = (application or self.application).pk
        return [
            reverse("api:fund-application-versions", args=[pk]),
            reverse("api:fund-application-diff", args=[pk]) + "?from=1&to=2",
        ]

    def test_anonymous_callers_get_401(self):
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 401)

    def test_readers_of_the_application_read_its_versions_others_get_404(self):
        for user, expected in (
            (self.charlie, 404),
            (self.victor, 200),
            (self.bob, 200),
            (self.olivia, 200),
        ):
            self.api.force_authenticate(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.api.get(url).status_code, expected)

    def test_versions_are_read_only(self):
        self.api.force_authenticate(self.bob)
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(self.api.post(url, {}).status_code, 405)

    def test_government_sees_no_draft_nor_its_answers(self):
        draft = make_application(make_program(self.bureau), self.college)
        self.api.force_authenticate(self.olivia)
        for url in [*self.urls(draft), reverse("api:fund-application-detail", args=[draft.pk])]:
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 404)
        listed = self.api.get(reverse("api:fund-application-list"), {"page_size": 200}).json()
        self.assertNotIn(draft.pk, {row["id"] for row in listed["results"]})
        self.api.force_authenticate(self.alice)
        body = self.api.get(reverse("api:fund-application-versions", args=[draft.pk])).json()
        self.assertEqual(body["count"], 0)

    def test_the_same_queries_for_one_version_as_for_many(self):
        self.api.force_authenticate(self.alice)
        ApplicationVersion.objects.filter(application=self.application, number=2).delete()
        content = ApplicationVersion.objects.get(application=self.application).content
        url = self.urls()[0]

        def add(count):
            for number in range(2, count + 2):
                ApplicationVersion.objects.create(
                    application=self.application,
                    number=number,
                    submitted_by=self.bob,
                    content=content,
                )
            FundApplication.objects.filter(pk=self.application.pk).update(version=count + 1)

        assert_constant_queries(self, lambda: self.api.get(url), add, rows=30)
