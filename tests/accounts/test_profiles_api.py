"""``/api/v1/organizations/``: the public profile of every active organization for
every signed-in caller; history and changes stay with its members (and government)."""

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APITestCase

from accounts.models import IndustrySection, OrganizationKind, SizeBand
from tests.factories import OrganizationFactory, make_agreement
from tests.helpers.queries import assert_constant_queries
from tests.people import People

PUBLIC_FIELDS = {
    "name",
    "kind",
    "region",
    "city",
    "industry_section",
    "industry",
    "specialties",
    "size_band",
    "description",
    "website",
    "public_email",
    "public_phone",
}


class TestOrganizationProfileApi(People, APITestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.huaxin = OrganizationFactory(
            name="Huaxin Precision",
            kind=OrganizationKind.ENTERPRISE,
            city="Ningbo",
            industry_section=IndustrySection.C,
            size_band=SizeBand.FROM_1000,
            public_email="hr@huaxin.example.com",
        )
        cls.closed = OrganizationFactory(name="Closed College", is_active=False)
        make_agreement(cls.college, cls.huaxin, status="active")

    def list(self, **params) -> list[str]:
        response = self.client.get(reverse("api:organization-list"), params)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def detail_url(self, organization) -> str:
        return reverse("api:organization-detail", args=[organization.pk])

    def test_another_organization_reads_the_public_profile(self):
        self.client.force_authenticate(self.charlie)
        body = self.client.get(self.detail_url(self.huaxin)).json()
        self.assertLessEqual(PUBLIC_FIELDS, set(body))
        self.assertEqual(body["industry_section"], "C")
        self.assertEqual(body["public_email"], "hr@huaxin.example.com")
        self.assertNotIn("Closed College", self.list())
        self.assertEqual(self.client.get(self.detail_url(self.closed)).status_code, 404)

    def test_members_history_and_changes_stay_private(self):
        self.client.force_authenticate(self.charlie)
        url = self.detail_url(self.college)
        self.assertEqual(self.client.get(url + "history/").status_code, 404)
        self.assertEqual(self.client.patch(url, {"description": "x"}).status_code, 404)
        memberships = self.client.get(
            reverse("api:membership-list"), {"organization": self.college.pk}
        )
        self.assertEqual(memberships.json()["count"], 0)

    def test_anonymous_callers_get_401(self):
        self.assertEqual(self.client.get(reverse("api:organization-list")).status_code, 401)

    def test_the_admin_writes_the_profile_and_specialties_are_a_list(self):
        self.client.force_authenticate(self.alice)
        response = self.client.patch(
            self.detail_url(self.college),
            {"specialties": ["Mechatronics", "CNC machining"], "size_band": "300_999"},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["specialties"], ["Mechatronics", "CNC machining"])
        self.college.refresh_from_db()
        self.assertEqual(self.college.specialties, "Mechatronics\nCNC machining")
        response = self.client.patch(
            self.detail_url(self.college), {"specialties": ["a\nb"]}, format="json"
        )
        self.assertEqual(response.status_code, 400)

    def test_filters(self):
        self.client.force_authenticate(self.alice)
        self.assertEqual(self.list(industry_section="C"), ["Huaxin Precision"])
        self.assertEqual(self.list(region="ningbo"), ["Huaxin Precision"])
        self.assertEqual(self.list(partner="yes"), ["Huaxin Precision"])
        self.assertNotIn("Huaxin Precision", self.list(partner="no"))
        self.assertEqual(self.list(search="Huaxin"), ["Huaxin Precision"])

    def test_updated_after_returns_only_recent_changes(self):
        self.client.force_authenticate(self.charlie)
        since = timezone.now()
        self.huaxin.description = "Now hiring interns"
        self.huaxin.save()
        self.assertEqual(self.list(updated_after=since.isoformat()), ["Huaxin Precision"])

    def test_the_list_runs_the_same_queries_for_one_and_fifty_rows(self):
        self.client.force_authenticate(self.charlie)
        assert_constant_queries(
            self,
            lambda: self.client.get(
                reverse("api:organization-list"), {"page_size": 200, "partner": "no"}
            ),
            lambda n: OrganizationFactory.create_batch(n),
        )
