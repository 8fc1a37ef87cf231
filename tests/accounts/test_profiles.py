"""An organization's public profile: what each kind of viewer sees on its page, and
that nothing private (members, attachments, history, counts of hidden records) leaks."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import IndustrySection, OrganizationKind, Role, SizeBand
from associations.models import CertificationStatus
from partnerships.models import PartnershipStatus
from portal.attachments import attachment_add
from tests.associations.certifications import make_application as make_certification
from tests.factories import (
    OrganizationFactory,
    make_agreement,
    make_application,
    make_program,
    member,
)
from tests.helpers.queries import assert_constant_queries
from tests.partnerships.test_permissions import make_partnership
from tests.people import People

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ProfileCase(People, TestCase):
    """alice (admin) of Riverside College, which has a public profile, an active
    agreement with Huaxin (hank is its admin) and a file attached; charlie of Eastlake
    College is no partner of either; olivia is government."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.college.city = "Gongshu"
        cls.college.industry_section = IndustrySection.P
        cls.college.specialties = "Mechatronics\nIndustrial robotics"
        cls.college.size_band = SizeBand.FROM_300
        cls.college.description = "Trains technicians / 培养技术技能人才"
        cls.college.website = "https://riverside.example.edu.cn"
        cls.college.public_email = "cooperation@riverside.example.edu.cn"
        cls.college.public_phone = "0571-8800 1001"
        cls.college.save()
        cls.huaxin = OrganizationFactory(
            name="Huaxin Precision", kind=OrganizationKind.ENTERPRISE, industry_section="C"
        )
        cls.hank = member(cls.huaxin, Role.ADMIN, "hank")
        cls.agreement = make_agreement(cls.college, cls.huaxin, status="active")
        cls.partnership = make_partnership(cls.college, cls.huaxin)
        cls.partnership.status = PartnershipStatus.ACTIVE
        cls.partnership.save()
        attachment_add(
            actor=cls.alice,
            record=cls.college,
            upload=SimpleUploadedFile("board-minutes.pdf", PDF),
            description="Board minutes",
        )

    def profile(self, organization=None, **params):
        url = reverse("organization-detail", args=[(organization or self.college).pk])
        return self.client.get(url, params)

    def figures(self, response) -> dict[str, int]:
        return {str(figure.label): figure.count for figure in response.context["figures"]}


class TestWhatEachViewerSees(ProfileCase):
    def test_another_organization_sees_the_public_profile(self):
        self.client.force_login(self.charlie)
        response = self.profile()
        self.assertEqual(response.status_code, 200)
        for text in (
            "Riverside College",
            "Gongshu",
            "P · Education",
            "Industrial robotics",
            "300–999 people",
            "Trains technicians / 培养技术技能人才",
            "https://riverside.example.edu.cn",
            "cooperation@riverside.example.edu.cn",
            "0571-8800 1001",
        ):
            self.assertContains(response, text)
        self.assertNotContains(response, "Edit profile")
        self.assertNotContains(response, "See it as others do")

    def test_nothing_private_leaks_to_another_organization(self):
        self.client.force_login(self.charlie)
        response = self.profile()
        for private in ("@alice", "alice@example.org", "bob@example.org", "board-minutes"):
            self.assertNotContains(response, private)
        self.assertNotContains(response, "?tab=members")
        self.assertNotContains(response, "?tab=history")
        self.assertNotContains(response, "?tab=attachments")
        self.assertNotContains(response, self.agreement.reference)
        # Counted among what charlie may open: the agreement is not his to see.
        figures = self.figures(response)
        self.assertEqual(figures["Active agreements"], 0)
        self.assertEqual(figures["Active partnerships"], 0)
        for tab in ("cooperation", "members", "attachments", "history"):
            self.assertEqual(self.profile(tab=tab).status_code, 404, tab)

    def test_a_partner_counts_what_it_shares_and_each_count_opens_its_list(self):
        self.client.force_login(self.hank)
        response = self.profile()
        figures = self.figures(response)
        self.assertEqual(figures["Active agreements"], 1)
        self.assertEqual(figures["Active partnerships"], 1)
        for figure in response.context["figures"]:
            listed = self.client.get(figure.url)
            self.assertEqual(listed.status_code, 200, figure.url)
        agreements = self.client.get(response.context["figures"][0].url)
        self.assertContains(agreements, self.agreement.reference)

    def test_the_own_admin_edits_and_sees_it_as_others_do(self):
        self.client.force_login(self.alice)
        response = self.profile()
        self.assertContains(response, reverse("organization-edit", args=[self.college.pk]))
        self.assertContains(response, "?tab=members")
        self.assertEqual(self.figures(response)["Active agreements"], 1)
        as_others = self.profile(**{"as": "others"})
        self.assertContains(as_others, 'data-testid="as-others"')
        self.assertContains(as_others, "cooperation@riverside.example.edu.cn")
        self.assertNotContains(as_others, "?tab=members")
        self.assertNotContains(as_others, "Edit profile")
        self.assertEqual(as_others.context["figures"], [])

    def test_an_outsider_cannot_ask_for_the_others_view_to_learn_more(self):
        self.client.force_login(self.charlie)
        self.assertFalse(self.profile(**{"as": "others"}).context["as_others"])

    def test_government_sees_every_count_and_every_tab(self):
        self.client.force_login(self.olivia)
        response = self.profile()
        self.assertEqual(self.figures(response)["Active agreements"], 1)
        self.assertEqual(self.profile(tab="members").status_code, 200)

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.profile()
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_an_inactive_organization_is_not_in_the_directory(self):
        closed = OrganizationFactory(name="Closed College", is_active=False)
        self.client.force_login(self.charlie)
        self.assertEqual(self.profile(closed).status_code, 404)
        self.client.force_login(self.olivia)
        self.assertEqual(self.profile(closed).status_code, 200)

    def test_the_certification_badge_shows_on_the_profile(self):
        make_certification(self.huaxin, status=CertificationStatus.CERTIFIED)
        self.client.force_login(self.charlie)
        self.assertContains(self.profile(self.huaxin), 'data-testid="certified-badge"')

    def test_the_admin_edits_the_public_profile(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("organization-edit", args=[self.college.pk]),
            {
                "name": self.college.name,
                "credit_code": self.college.credit_code,
                "region": "Zhejiang",
                "city": "Hangzhou",
                "industry_section": IndustrySection.P,
                "specialties": "Software technology",
                "size_band": SizeBand.FROM_1000,
                "description": "New text",
                "website": "riverside.example.edu.cn",
                "public_email": "partners@riverside.example.edu.cn",
                "public_phone": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.college.refresh_from_db()
        self.assertEqual(self.college.size_band, SizeBand.FROM_1000)
        self.assertEqual(self.college.website, "https://riverside.example.edu.cn")
        self.client.force_login(self.bob)  # staff: not the profile's keeper
        edit = reverse("organization-edit", args=[self.college.pk])
        self.assertEqual(self.client.get(edit).status_code, 403)


class TestPartnerLinks(ProfileCase):
    """Every organization link on agreement, partnership and fund application pages
    opens that organization's profile for a party: none answers 404."""

    LINK = re.compile(r'href="(/organizations/\d+/)[^"]*"')

    def test_every_organization_link_opens_for_a_party(self):
        third = OrganizationFactory(name="Lanting Software", kind=OrganizationKind.ENTERPRISE)
        agreement = make_agreement(self.college, self.huaxin, third, status="signed")
        partnership = make_partnership(self.college, self.huaxin, third)
        application = make_application(make_program(self.bureau), self.college)
        application.partnership = partnership
        application.save()
        pages = {
            "alice": [agreement, partnership, application],
            "hank": [agreement, partnership],
        }
        walked = set()
        for name, records in pages.items():
            self.client.force_login(getattr(self, name))
            for record in records:
                page = self.client.get(record.get_absolute_url())
                self.assertEqual(page.status_code, 200, record)
                links = set(self.LINK.findall(page.content.decode()))
                self.assertTrue(links, f"no organization link on {record}")
                for link in links:
                    with self.subTest(viewer=name, page=str(record), link=link):
                        self.assertEqual(self.client.get(link).status_code, 200)
                    walked.add(link)
        self.assertIn(third.get_absolute_url(), walked)


class TestProfileQueries(ProfileCase):
    def test_the_profile_runs_the_same_queries_for_one_and_fifty_records(self):
        def add(count: int) -> None:
            for _ in range(count):
                make_agreement(self.college, self.huaxin, status="active", clauses=0)

        for viewer in (self.charlie, self.hank):
            with self.subTest(viewer=viewer.username):
                self.client.force_login(viewer)
                assert_constant_queries(self, lambda: self.profile(), add)
