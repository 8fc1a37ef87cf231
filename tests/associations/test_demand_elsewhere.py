"""Talent-demand reports where colleges work: the "Talent demand" box beside a placement
and a partnership (the host's or lead's industry first, else the latest three; one
query), the new reports on a college's home page, and the global search."""

from django.test import TestCase
from django.urls import reverse

from accounts.models import Role
from associations import dashboard
from associations.models import ReportStatus
from associations.templatetags.talent_demand import SHOWN, latest_reports
from portal import access, search
from tests.factories import member
from tests.helpers.queries import assert_constant_queries, count_queries
from tests.internships.helpers import make_placement
from tests.partnerships.test_permissions import make_partnership

from .demand import DemandPeople, make_report


class TestTheTalentDemandBox(DemandPeople, TestCase):
    """Huaxin (Manufacturing) hosts a placement; Riverside College (Education) leads a
    partnership."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hua = member(cls.huaxin, Role.ADMIN, "hua")

    def setUp(self):
        self.placement = make_placement(self.huaxin)
        self.partnership = make_partnership(self.college, self.huaxin)

    def box(self, response) -> str:
        text = response.content.decode()
        start = text.index('data-testid="talent-demand-box"')
        return text[start : text.index("</section>", start)]

    def test_the_placement_page_shows_the_reports_of_the_hosts_industry(self):
        matching = make_report(
            self.association, status=ReportStatus.PUBLISHED, title="Machining needs"
        )
        make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            industry="Software",
            title="Software needs",
            published_days_ago=0,
        )
        make_report(self.association, title="A draft of machining")
        self.client.force_login(self.hua)
        box = self.box(self.client.get(self.placement.get_absolute_url()))
        self.assertIn("Machining needs", box)
        self.assertIn(matching.get_absolute_url(), box)
        self.assertIn("120 people", box)
        self.assertNotIn("Software needs", box)
        self.assertNotIn("A draft", box)
        self.assertIn("?industry=Manufacturing", box)

    def test_without_a_report_of_the_industry_the_latest_three_show(self):
        for index in range(4):
            make_report(
                self.association,
                status=ReportStatus.PUBLISHED,
                industry="Software",
                title=f"Software needs {index}",
                published_days_ago=10 - index,
            )
        self.client.force_login(self.alice)
        box = self.box(self.client.get(self.partnership.get_absolute_url()))
        self.assertIn("No published report is of this industry yet", box)
        self.assertEqual(box.count("Software needs"), SHOWN)
        self.assertNotIn("Software needs 0", box)  # the oldest

    def test_with_no_report_at_all_it_says_so(self):
        self.client.force_login(self.hua)
        box = self.box(self.client.get(self.placement.get_absolute_url()))
        self.assertIn("No industry association has published", box)

    def test_it_is_one_query_however_many_reports(self):
        for industry in ("Manufacturing", "Software"):
            make_report(self.association, status=ReportStatus.PUBLISHED, industry=industry)
        access.grants(self.hua)
        queries, (reports, matching) = count_queries(lambda: latest_reports(self.hua, self.huaxin))
        self.assertEqual(queries, 1)
        self.assertTrue(matching)
        self.assertEqual(len(reports), 1)

    def test_the_pages_run_as_many_queries_for_1_report_as_for_50(self):
        make_report(self.association, status=ReportStatus.PUBLISHED)

        def add(count):
            for index in range(count):
                make_report(
                    self.association,
                    status=ReportStatus.PUBLISHED,
                    industry=["Manufacturing", "Software"][index % 2],
                    title=f"Report {index}",
                )

        self.client.force_login(self.hua)
        url = self.placement.get_absolute_url()
        assert_constant_queries(self, lambda: self.client.get(url), add)
        self.client.force_login(self.alice)
        url = self.partnership.get_absolute_url()
        assert_constant_queries(self, lambda: self.client.get(url), add)


class TestTheCollegeHomePage(DemandPeople, TestCase):
    def test_a_college_member_sees_the_newest_published_reports(self):
        for index in range(dashboard.REPORTS_SHOWN + 2):
            make_report(
                self.association,
                status=ReportStatus.PUBLISHED,
                title=f"Fresh report {index}",
                published_days_ago=index,
            )
        make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            title="Stale report",
            published_days_ago=dashboard.NEW_REPORT_DAYS + 1,
        )
        make_report(self.association, title="Draft report")
        access.grants(self.charlie)
        queries, items = count_queries(
            lambda: dashboard.talent_demand_reports_published(self.charlie)
        )
        self.assertEqual(queries, 1)
        self.assertEqual(len(items), dashboard.REPORTS_SHOWN)
        self.assertIn("Fresh report 0", items[0].label)
        self.client.force_login(self.charlie)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "New talent-demand reports", count=dashboard.REPORTS_SHOWN)
        self.assertNotContains(page, "Stale report")
        self.assertNotContains(page, "Draft report")

    def test_others_are_not_shown_them(self):
        make_report(self.association, status=ReportStatus.PUBLISHED)
        hua = member(self.huaxin, Role.ADMIN, "hua")
        for user in (hua, self.olivia):
            self.assertEqual(dashboard.talent_demand_reports_published(user), [])


class TestGlobalSearch(DemandPeople, TestCase):
    def setUp(self):
        self.published = make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            title="Precision demand",
            rows=[("Mould design", 2027, 12)],
        )
        self.draft = make_report(
            self.association, title="Precision draft", rows=[("Mould design", 2028, 3)]
        )

    def found(self, user, text: str) -> list:
        for entry, hits in search.search(user, text):
            if entry.label == "Talent-demand reports":
                return [hit.record for hit in hits]
        return []

    def test_everyone_signed_in_finds_published_reports_by_title_industry_or_specialty(self):
        for text in ("precision", "manufact", "mould"):
            self.assertEqual(self.found(self.charlie, text), [self.published], text)

    def test_drafts_only_for_their_association(self):
        self.assertCountEqual(self.found(self.victor, "precision"), [self.published, self.draft])
        self.assertEqual(self.found(self.olivia, "precision"), [self.published])
