"""Suggestions on the home page, and the global search."""

from django.test import TestCase
from django.urls import reverse

from discovery.dashboard import partner_suggestions
from discovery.models import NeedStatus
from portal import access
from tests.discovery.needs import DiscoveryPeople, make_need
from tests.helpers.queries import count_queries


class TestSuggestions(DiscoveryPeople, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.college.specialties = "Mechatronics\nSoftware technology"
        cls.college.save()
        cls.huaxin.region = "Ningbo"
        cls.huaxin.save()

    def test_a_college_sees_offers_matching_its_specialties(self):
        match = make_need(
            self.huaxin, direction="offer", title="Order class", specialties="CNC, Mechatronics"
        )
        make_need(self.huaxin, direction="offer", title="Accounting", specialties="Accounting")
        make_need(self.huaxin, direction="need", title="A need", specialties="Mechatronics")
        make_need(
            self.huaxin,
            direction="offer",
            status=NeedStatus.DRAFT,
            title="Draft",
            specialties="Mechatronics",
        )
        for n in range(7):
            make_need(
                self.huaxin,
                direction="offer",
                title=f"Software {n}",
                specialties="Software technology",
            )
        access.grants(self.alice)  # loaded once per request, by every page
        queries, items = count_queries(lambda: partner_suggestions(self.alice))
        self.assertLessEqual(queries, 2)
        self.assertEqual(len(items), 5)
        self.assertTrue(all("Software" in item.label for item in items), "most recent first")
        self.assertEqual(items[0].reason, "Matches your specialty Software technology")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Suggested for you")
        self.assertNotContains(response, match.get_absolute_url() + '"')

    def test_an_enterprise_sees_needs_in_its_industry_or_region(self):
        make_need(self.college, title="Manufacturing posts", specialties="Manufacturing", region="")
        make_need(self.other_college, title="Ningbo posts", specialties="x", region="ningbo")
        make_need(self.other_college, title="Elsewhere", specialties="x", region="Wuhan")
        make_need(self.other_college, title="For colleges", region="Ningbo", audience=["college"])
        items = partner_suggestions(self.erin)
        self.assertEqual(
            {item.reason for item in items},
            {"Matches your industry Manufacturing", "In your region Ningbo"},
        )
        self.assertEqual(len(items), 2)

    def test_government_and_outsiders_get_none(self):
        make_need(self.huaxin, direction="offer", specialties="Mechatronics")
        self.assertEqual(partner_suggestions(self.olivia), [])
        self.assertEqual(partner_suggestions(self.ada), [])


class TestSearch(DiscoveryPeople, TestCase):
    def test_open_needs_by_title_or_specialty_among_those_the_user_sees(self):
        open_one = make_need(self.college, title="Robot cell posts", specialties="Robotics")
        draft = make_need(self.college, status=NeedStatus.DRAFT, title="Robot draft")
        hidden = make_need(self.college, title="Robot for enterprises", audience=["enterprise"])
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("search"), {"q": "robot"})
        self.assertContains(response, open_one.get_absolute_url())
        self.assertNotContains(response, draft.get_absolute_url())
        self.assertNotContains(response, hidden.get_absolute_url())
        response = self.client.get(reverse("search"), {"q": "robotics"})
        self.assertContains(response, open_one.get_absolute_url())


class TestTheDirectoryAndProfileKnowOpenNeeds(TestCase):
    """The directory filters organizations with open needs or offers the viewer may
    see, and a profile counts them."""

    def test_has_open_needs_and_the_profile_figure(self):
        from accounts.models import OrganizationKind, Role
        from tests.factories import OrganizationFactory, member

        college = OrganizationFactory(name="Riverside", kind=OrganizationKind.COLLEGE)
        seeker = member(college, Role.ADMIN, "seeker")
        lanting = OrganizationFactory(name="Lanting", kind=OrganizationKind.ENTERPRISE)
        quiet = OrganizationFactory(name="Quiet Works", kind=OrganizationKind.ENTERPRISE)
        make_need(lanting, title="Software internships")
        make_need(quiet, status=NeedStatus.DRAFT, title="Not yet open")
        self.client.force_login(seeker)
        page = self.client.get(reverse("organization-list"), {"has_open_needs": "true"})
        names = {row.name for row in page.context["object_list"]}
        self.assertIn("Lanting", names)
        self.assertNotIn("Quiet Works", names)
        profile = self.client.get(lanting.get_absolute_url())
        self.assertContains(profile, "Open needs and offers")
        self.assertContains(profile, f"owner={lanting.pk}")
