"""The Organizations directory: every active organization for everyone signed in, its
filters, sorting, search, CSV, the global search, and its query counts."""

import csv
import io

from django.test import TestCase
from django.urls import reverse

from accounts.models import IndustrySection, OrganizationKind, Role, SizeBand
from tests.factories import OrganizationFactory, make_agreement, member
from tests.helpers.queries import assert_constant_queries
from tests.people import People


class DirectoryCase(People, TestCase):
    """Riverside College (alice) has signed an agreement with Huaxin; Lanting Software
    only has a draft with it; Eastlake College (charlie) has none with anyone."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.huaxin = OrganizationFactory(
            name="Huaxin Precision",
            kind=OrganizationKind.ENTERPRISE,
            region="Zhejiang",
            city="Ningbo",
            industry_section=IndustrySection.C,
            size_band=SizeBand.FROM_1000,
            description="CNC machining for cars",
        )
        cls.lanting = OrganizationFactory(
            name="Lanting Software",
            kind=OrganizationKind.ENTERPRISE,
            region="Zhejiang",
            city="Hangzhou",
            industry_section=IndustrySection.I,
            size_band=SizeBand.FROM_50,
            description="Industrial software and MES",
        )
        cls.other_college.specialties = "Accounting\nE-commerce"
        cls.other_college.save()
        cls.closed = OrganizationFactory(name="Closed College", is_active=False)
        make_agreement(cls.college, cls.huaxin, status="signed")
        make_agreement(cls.college, cls.lanting, status="draft")

    def names(self, **params) -> list[str]:
        response = self.client.get(reverse("organization-list"), params)
        self.assertEqual(response.status_code, 200)
        return [organization.name for organization in response.context["organizations"]]


class TestDirectory(DirectoryCase):
    def test_everyone_signed_in_sees_every_active_organization(self):
        self.client.force_login(self.charlie)
        self.assertEqual(
            self.names(),
            [
                "Eastlake College",
                "Education Bureau",
                "Huaxin Precision",
                "Lanting Software",
                "Riverside College",
            ],
        )
        self.client.force_login(self.olivia)
        self.assertIn("Closed College", self.names())

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(reverse("organization-list"))
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_filters(self):
        self.client.force_login(self.alice)
        self.assertEqual(
            self.names(kind=OrganizationKind.ENTERPRISE), ["Huaxin Precision", "Lanting Software"]
        )
        self.assertEqual(self.names(region="ningbo"), ["Huaxin Precision"])
        self.assertEqual(self.names(region="zhejiang"), ["Huaxin Precision", "Lanting Software"])
        self.assertEqual(self.names(industry_section="I"), ["Lanting Software"])
        self.assertEqual(self.names(size_band=SizeBand.FROM_1000), ["Huaxin Precision"])
        self.assertEqual(self.names(specialty="commerce"), ["Eastlake College"])
        self.assertEqual(self.names(q="lanting"), ["Lanting Software"])
        self.assertEqual(self.names(q="MES"), ["Lanting Software"])  # the description

    def test_partner_of_ours_is_a_signed_or_active_agreement(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.names(partner="yes"), ["Huaxin Precision"])
        self.assertEqual(
            self.names(partner="no"),
            ["Eastlake College", "Education Bureau", "Lanting Software"],  # a draft is not
        )
        self.client.force_login(self.hank_of_huaxin())
        self.assertEqual(self.names(partner="yes"), ["Riverside College"])
        self.client.force_login(self.charlie)
        self.assertEqual(self.names(partner="yes"), [])

    def hank_of_huaxin(self):
        return member(self.huaxin, Role.STAFF, "hank")

    def test_sorting(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.names(ordering="-name")[0], "Riverside College")
        self.assertEqual(self.names(ordering="section", kind="enterprise")[0], "Huaxin Precision")
        self.assertEqual(self.names(ordering="-section", kind="enterprise")[0], "Lanting Software")
        self.assertEqual(self.names(ordering="region", kind="enterprise")[0], "Lanting Software")

    def test_csv_escapes_formulas_and_counts_only_own_members(self):
        OrganizationFactory(name="=HYPERLINK(1)", description="@SUM(A1)")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("organization-list"), {"export": "csv"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        by_name = {row["name"]: row for row in rows}
        self.assertIn("'=HYPERLINK(1)", by_name)
        self.assertEqual(by_name["'=HYPERLINK(1)"]["description"], "'@SUM(A1)")
        self.assertEqual(by_name["Riverside College"]["members"], "3")
        self.assertEqual(by_name["Eastlake College"]["members"], "")  # not ours to count

    def test_the_page_shows_no_member_count_of_others(self):
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("organization-list"))
        rows = {o.name: o.member_count for o in response.context["organizations"]}
        self.assertEqual(rows["Eastlake College"], 1)
        self.assertIsNone(rows["Riverside College"])

    def test_global_search_finds_other_organizations(self):
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("search"), {"q": "Lanting"})
        self.assertContains(response, "Lanting Software")
        self.assertContains(response, self.lanting.get_absolute_url())
        closed = self.client.get(reverse("search"), {"q": "Closed"})
        self.assertNotContains(closed, "Closed College")


class TestDirectoryQueries(DirectoryCase):
    def test_the_directory_runs_the_same_queries_for_one_and_fifty_rows(self):
        for viewer in (self.charlie, self.olivia):
            for params in ({}, {"partner": "no", "ordering": "section"}):
                with self.subTest(viewer=viewer.username, params=params):
                    self.client.force_login(viewer)
                    assert_constant_queries(
                        self,
                        lambda params=params: self.client.get(reverse("organization-list"), params),
                        lambda n: OrganizationFactory.create_batch(n),
                    )
