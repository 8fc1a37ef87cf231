"""Certifications in the API: the shared permission cases (the owner is an enterprise:
alice is its admin, victor its viewer), each step and who may take it, the detail's
``actions`` and ``surtax_credit``, the nested rows replaced whole, and the filters."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from associations.models import CertificationApplication
from tests.factories import MembershipFactory, OrganizationFactory, member
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries

from .certifications import (
    ROWS,
    CertificationPeople,
    S,
    investment_rows,
    make_application,
    make_review_entrustment,
)
from .entrustments import TODAY

LIST = "api:certification-list"


class EnterpriseOwner(CertificationPeople):
    """alice applies for Huaxin (its admin, and Lanting's too, for a second application);
    victor is Huaxin's viewer."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice = member(cls.huaxin, Role.ADMIN, "hx_alice")
        MembershipFactory(user=cls.alice, organization=cls.lanting, role=Role.ADMIN)
        cls.victor = member(cls.huaxin, Role.VIEWER, "hx_victor")


class TestCertificationApiPermissions(EnterpriseOwner, permissions.ApiPermissionCases):
    basename = "certification"

    def make_record(self):
        return make_application(self.huaxin)

    def create_data(self):
        return {
            "enterprise": self.lanting.pk,
            "statement": "Lanting trains software testers.",
            "investments": investment_rows(),
        }

    def update_data(self):
        return {"statement": "Huaxin trains 250 students a year."}

    def test_the_creator_creates(self):
        self.as_user(self.creator_name)
        response = self.client.post(self.list_url(), self.create_data(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(len(response.json()["investments"]), 3)

    def test_a_viewer_reads_but_cannot_write(self):
        self.as_user("victor")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        response = self.client.patch(self.detail_url(), self.update_data())
        self.assertEqual(response.status_code, 403)
        data = {**self.create_data(), "enterprise": self.huaxin.pk}
        self.assertEqual(self.client.post(self.list_url(), data, format="json").status_code, 403)


class ApiCase(EnterpriseOwner, permissions.People, permissions.APITestCase):
    def setUp(self):
        self.entrustment = make_review_entrustment(
            self.bureau, self.association, scope=[self.huaxin]
        )

    def url(self, application, verb: str = "") -> str:
        url = reverse("api:certification-detail", args=[application.pk])
        return url + (f"{verb}/" if verb else "")

    def post(self, user, application, verb, body=None):
        self.client.force_authenticate(user)
        return self.client.post(self.url(application, verb), body or {}, format="json")


class TestSteps(ApiCase):
    def test_a_walk_from_draft_to_revoked(self):
        self.client.force_authenticate(self.hua)
        response = self.client.post(
            reverse(LIST),
            {"statement": "We train students.", "investments": investment_rows()},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        application = CertificationApplication.objects.get(pk=response.json()["id"])
        detail = self.client.get(self.url(application)).json()
        self.assertEqual(detail["actions"], ["edit", "submit"])
        self.assertEqual(
            detail["surtax_credit"],
            {
                "qualifying_investment": "1500000.00",
                "rate": "0.30",
                "credit": "450000.00",
                "rule": "财税〔2019〕46号",
                "note": detail["surtax_credit"]["note"],
            },
        )
        self.assertIn("tax authority decides", detail["surtax_credit"]["note"])
        self.assertEqual(self.post(self.hua, application, "submit").json()["status"], "submitted")
        response = self.post(
            self.olivia, application, "start-review", {"entrustment": self.entrustment.pk}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["reviewer"], self.entrustment.pk)
        self.assertEqual(response.json()["reviewer_association"], self.association.name)
        response = self.post(self.gary, application, "certify")
        body = response.json()
        self.assertEqual((body["status"], body["valid_from"]), ("certified", TODAY.isoformat()))
        self.assertEqual(body["actions"], ["revoke"])
        response = self.post(self.gary, application, "revoke", {"reasons": "False figures."})
        self.assertEqual(response.json()["status"], "revoked")
        self.assertEqual(response.json()["reasons"], "False figures.")

    def test_an_illegal_step_answers_409(self):
        application = make_application(self.huaxin)
        response = self.post(self.gary, application, "certify")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "invalid_transition")

    def test_who_may_take_each_step(self):
        submitted = make_application(self.huaxin, status=S.SUBMITTED)
        body = {"entrustment": self.entrustment.pk}
        self.assertEqual(self.post(self.hua, submitted, "start-review", body).status_code, 403)
        # The association reads it through the scope, but government starts the review.
        self.assertEqual(self.post(self.asa, submitted, "start-review", body).status_code, 403)
        self.assertEqual(self.post(self.olivia, submitted, "start-review", body).status_code, 200)
        for person in (self.olivia, self.hua, self.asa):
            with self.subTest(person=person.username):
                self.assertEqual(self.post(person, submitted, "certify").status_code, 403)
                refused = self.post(person, submitted, "refuse", {"reasons": "No."})
                self.assertEqual(refused.status_code, 403)
        self.assertEqual(self.post(self.gary, submitted, "certify").status_code, 200)
        for person in (self.olivia, self.hua, self.asa):
            response = self.post(person, submitted, "revoke", {"reasons": "No."})
            self.assertEqual(response.status_code, 403)

    def test_a_wrong_entrustment_is_a_400_saying_why(self):
        submitted = make_application(self.huaxin, status=S.SUBMITTED)
        elsewhere = make_review_entrustment(self.bureau, self.association, scope=[self.lanting])
        response = self.post(self.olivia, submitted, "start-review", {"entrustment": elsewhere.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not include Huaxin", response.json()["entrustment"][0])
        response = self.post(self.olivia, submitted, "start-review", {"entrustment": 10**30})
        self.assertEqual(response.status_code, 400)
        response = self.post(self.olivia, submitted, "start-review", {})
        self.assertEqual(response.status_code, 400)

    def test_certify_takes_the_dates_and_checks_them(self):
        application = make_application(
            self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
        )
        wrong = {"valid_from": TODAY.isoformat(), "valid_until": TODAY.isoformat()}
        response = self.post(self.gary, application, "certify", wrong)
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid_until", response.json())
        response = self.post(self.gary, application, "certify", {"valid_until": "9999-01-01"})
        self.assertEqual(response.status_code, 400)
        until = TODAY + timedelta(days=500)
        response = self.post(self.gary, application, "certify", {"valid_until": until.isoformat()})
        self.assertEqual(response.json()["valid_until"], until.isoformat())

    def test_refuse_and_revoke_need_reasons(self):
        application = make_application(
            self.huaxin, status=S.UNDER_REVIEW, reviewer=self.entrustment
        )
        self.assertEqual(self.post(self.gary, application, "refuse", {}).status_code, 400)
        self.assertEqual(
            self.post(self.gary, application, "refuse", {"reasons": "x" * 4001}).status_code, 400
        )
        response = self.post(self.gary, application, "refuse", {"reasons": "Not enough."})
        self.assertEqual(response.json()["status"], "refused")

    def test_a_second_live_application_is_a_400(self):
        make_application(self.huaxin, status=S.CERTIFIED)
        self.client.force_authenticate(self.hua)
        response = self.client.post(reverse(LIST), {"statement": "Again."}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("one application or certificate at a time", str(response.json()))


class TestRows(ApiCase):
    def test_a_patch_replaces_the_rows_whole_and_each_row_is_whole(self):
        application = make_application(self.huaxin)
        self.client.force_authenticate(self.hugo)
        rows = investment_rows(ROWS[:1])
        response = self.client.patch(self.url(application), {"investments": rows}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(application.investments.count(), 1)
        response = self.client.patch(
            self.url(application), {"investments": [{"year": 2024}]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("kind", str(response.json()))
        response = self.client.patch(
            self.url(application), {"investments": [{**rows[0], "amount": "-1"}]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(application.investments.count(), 1)

    def test_a_submitted_application_no_longer_changes(self):
        application = make_application(self.huaxin, status=S.SUBMITTED)
        self.client.force_authenticate(self.hua)
        response = self.client.patch(self.url(application), {"statement": "x"}, format="json")
        self.assertEqual(response.status_code, 409)


class TestFilters(ApiCase):
    def ids(self, user, **query) -> set[int]:
        self.client.force_authenticate(user)
        response = self.client.get(reverse(LIST), query)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_status_enterprise_year_and_updated_after(self):
        huaxin = make_application(self.huaxin, status=S.CERTIFIED)
        lanting = make_application(self.lanting)
        self.assertEqual(self.ids(self.olivia), {huaxin.pk, lanting.pk})
        self.assertEqual(self.ids(self.olivia, status="certified"), {huaxin.pk})
        self.assertEqual(self.ids(self.olivia, enterprise=self.lanting.pk), {lanting.pk})
        self.assertEqual(self.ids(self.olivia, year=TODAY.year), {huaxin.pk, lanting.pk})
        self.assertEqual(self.ids(self.olivia, year=TODAY.year - 1), set())
        self.assertEqual(self.ids(self.olivia, valid_on=TODAY.isoformat()), {huaxin.pk})
        later = (timezone.now() + timedelta(minutes=5)).isoformat()
        self.assertEqual(self.ids(self.olivia, updated_after=later), set())
        self.assertEqual(self.ids(self.olivia, search=lanting.number), {lanting.pk})
        self.client.force_authenticate(self.olivia)
        self.assertEqual(self.client.get(reverse(LIST), {"year": "99999"}).status_code, 400)

    def test_each_enterprise_lists_its_own(self):
        huaxin = make_application(self.huaxin)
        make_application(self.lanting)
        self.assertEqual(self.ids(self.hana), {huaxin.pk})
        self.assertEqual(self.ids(self.charlie), set())


class TestListQueries(ApiCase):
    def test_the_list_runs_the_same_queries_for_one_and_many(self):
        make_application(self.huaxin)

        def add(count):
            for number in range(count):
                enterprise = OrganizationFactory(
                    kind=OrganizationKind.ENTERPRISE, name=f"Enterprise {number}"
                )
                make_application(enterprise, status=S.SUBMITTED)

        self.client.force_authenticate(self.olivia)
        assert_constant_queries(self, lambda: self.client.get(reverse(LIST)), add, rows=30)


class TestSearch(ApiCase):
    def test_by_enterprise_name_and_number_among_those_visible(self):
        from portal.search import search

        huaxin = make_application(self.huaxin)
        lanting = make_application(self.lanting)

        def found(user, text) -> set[int]:
            return {
                hit.record.pk
                for entry, hits in search(user, text)
                if entry.label == "Certification applications"
                for hit in hits
            }

        self.assertEqual(found(self.olivia, "Huaxin"), {huaxin.pk})
        self.assertEqual(found(self.olivia, lanting.number), {lanting.pk})
        self.assertEqual(found(self.hua, "Lanting"), set())
        self.assertEqual(found(self.hua, "IEC-"), {huaxin.pk})
