"""Input the API and pages refuse fast with a clear 400 (or 413): deep JSON, long lists,
long texts, dates outside 1990–2200, wild ids; and API errors that are always JSON."""

from datetime import date, timedelta

from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrganizationKind
from partnerships.models import Agreement, AgreementStatus
from portal import errors
from portal.limits import LONG_TEXT, NOTE_TEXT
from tests.factories import OrganizationFactory, make_agreement, make_program
from tests.people import People


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


class ApiCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")

    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.alice)

    def agreement_data(self, **changes):
        return {
            "title": "Internship agreement",
            "kind": "internship",
            "effective_date": "2027-03-01",
            "expiry_date": "2027-08-31",
            "parties": [
                {"organization": self.college.pk, "role": "Party A"},
                {"organization": self.enterprise.pk, "role": "Host"},
            ],
            **changes,
        }


class TestJsonShape(ApiCase):
    def test_deeply_nested_json_is_a_400_even_for_the_anonymous_token_endpoint(self):
        for depth in (50, 100_000):
            response = APIClient().post(
                reverse("api:token-obtain"), nested(depth), content_type="application/json"
            )
            self.assertEqual(response.status_code, 400, depth)
            self.assertIn("detail", response.json())

    def test_deeply_nested_json_is_a_400_on_a_signed_in_write(self):
        response = self.api.post(
            reverse("api:agreement-list"), nested(100_000), content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("nest", response.json()["detail"])

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_a_body_over_the_limit_is_a_413_in_json(self):
        response = self.api.post(
            reverse("api:agreement-list"),
            self.agreement_data(summary="x" * 2000),
            format="json",
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("detail", response.json())

    def test_malformed_json_and_bare_constants_are_a_400(self):
        for body in ("{", '{"title": NaN}'):
            response = self.api.post(
                reverse("api:agreement-list"), body, content_type="application/json"
            )
            self.assertEqual(response.status_code, 400, body)
            self.assertIn("detail", response.json())


class TestListsAndTexts(ApiCase):
    def test_too_many_parties_is_a_field_error(self):
        organizations = [{"organization": self.college.pk}] * 201
        response = self.api.post(
            reverse("api:agreement-list"), self.agreement_data(parties=organizations), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("parties", response.json())

    def test_too_many_budget_lines_or_criteria_is_a_field_error(self):
        program = make_program(self.bureau)
        line = {"category": "equipment", "description": "Arm", "amount": "1.00"}
        response = self.api.post(
            reverse("api:fund-application-list"),
            {
                "program": program.pk,
                "applicant": self.college.pk,
                "title": "Lab",
                "requested_amount": "201.00",
                "budget_lines": [line] * 201,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("budget_lines", response.json())
        self.api.force_authenticate(self.gary)
        criterion = {"name": "Impact", "weight": "1", "max_score": 5}
        response = self.api.post(
            reverse("api:fund-program-list"),
            {
                "department": self.bureau.pk,
                "title": "Fund",
                "funding_source": "special_fund",
                "total_budget": "1000.00",
                "max_award": "100.00",
                "eligible_kinds": ["college"],
                "opens_on": "2027-01-01",
                "closes_on": "2027-02-01",
                "criteria": [criterion] * 201,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("criteria", response.json())

    def test_texts_longer_than_their_limit_are_field_errors(self):
        response = self.api.post(
            reverse("api:agreement-list"),
            self.agreement_data(summary="x" * (LONG_TEXT + 1)),
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("summary", response.json())
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.ACTIVE)
        response = self.api.post(
            reverse("api:agreement-terminate", args=[agreement.pk]),
            {"reason": "x" * (NOTE_TEXT + 1)},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json())


class TestDates(ApiCase):
    def test_a_date_outside_1990_to_2200_is_a_field_error(self):
        for field, value in (("expiry_date", "9999-12-31"), ("effective_date", "0001-01-01")):
            response = self.api.post(
                reverse("api:agreement-list"), self.agreement_data(**{field: value}), format="json"
            )
            self.assertEqual(response.status_code, 400, field)
            self.assertIn(field, response.json())

    def test_renewing_into_year_9999_is_a_field_error_not_an_overflow(self):
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.ACTIVE)
        response = self.api.post(
            reverse("api:agreement-renew", args=[agreement.pk]),
            {"effective_date": "9999-12-01"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("effective_date", response.json())

    def test_renewing_an_agreement_that_ends_in_9999_is_a_field_error_on_api_and_page(self):
        # Written before dates had a range: its renewal would start in year 10000.
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.ACTIVE)
        Agreement.objects.filter(pk=agreement.pk).update(expiry_date=date(9999, 12, 31))
        response = self.api.post(reverse("api:agreement-renew", args=[agreement.pk]), {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("effective_date", response.json())
        self.client.force_login(self.alice)
        response = self.client.post(reverse("agreement-renew", args=[agreement.pk]), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Give a date between 1990-01-01 and 2200-12-31.")
        self.assertEqual(Agreement.objects.filter(renewed_from=agreement).count(), 0)

    def test_a_renewal_date_within_range_still_works(self):
        agreement = make_agreement(self.college, self.enterprise, status=AgreementStatus.ACTIVE)
        start = agreement.expiry_date + timedelta(days=1)
        response = self.api.post(
            reverse("api:agreement-renew", args=[agreement.pk]),
            {"effective_date": start.isoformat()},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)


class TestSyncCursor(ApiCase):
    def test_any_offset_python_reads_is_accepted_and_the_calendar_edge_is_a_field_error(self):
        url = reverse("api:organization-list")
        # The database takes offsets only up to ±15:59 (this was a 500, found by fuzzing).
        response = self.api.get(url, {"updated_after": "2026-06-07T23:39:02+20:08"})
        self.assertEqual(response.status_code, 200, response.content)
        response = self.api.get(url, {"updated_after": "0001-01-01T00:00:00+20:08"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("updated_after", response.json())


class TestRelatedIds(ApiCase):
    def test_a_wild_id_is_a_field_error_not_a_database_overflow(self):
        for value in (10**30, -1, "abc", True, 1.5):
            response = self.api.post(
                reverse("api:agreement-list"), self.agreement_data(partnership=value), format="json"
            )
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("partnership", response.json())


class TestJsonErrors(TestCase):
    def test_an_unknown_api_path_answers_json(self):
        response = self.client.get("/api/v1/no-such-thing/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/json")

    def test_a_crash_under_the_api_answers_json_and_pages_keep_their_page(self):
        factory = RequestFactory()
        api = errors.server_error(factory.get("/api/v1/agreements/"))
        self.assertEqual((api.status_code, api["Content-Type"]), (500, "application/json"))
        self.assertIn(b"detail", api.content)
        page = errors.server_error(factory.get("/agreements/"))
        self.assertEqual(page.status_code, 500)
        self.assertNotEqual(page["Content-Type"], "application/json")
