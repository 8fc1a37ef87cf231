"""The global search finds the governance records the user sees: articles of association
by the text of their current version (the one in force, else the latest), boards by
name, resolutions by title; never another organization's, in as many queries for one
match as for twenty."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind, Role
from governance.models import Article, Articles, VersionStatus
from governance.search import articles_matching
from portal import search
from tests.factories import OrganizationFactory, member
from tests.helpers.queries import assert_constant_queries
from tests.people import People

from .helpers import make_articles, make_board, make_resolution, make_version, seat


def add_article(version, number: int, text: str, heading: str = "") -> Article:
    return Article.objects.create(version=version, number=number, heading=heading, text=text)


def found(user, text: str) -> dict[str, list[str]]:
    """What the search finds, by section label: each hit's record as text."""
    return {
        str(entry.label): [str(hit.record) for hit in hits]
        for entry, hits in search.search(user, text)
    }


class GovernanceSearchCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.articles = make_articles(cls.college, "Articles of Riverside")
        cls.in_force = make_version(cls.articles, 2, VersionStatus.IN_FORCE)
        add_article(cls.in_force, 1, "The council meets twice a year.", heading="Plenary")
        add_article(cls.in_force, 2, "Enterprise directors hold 理事会 seats.")
        cls.superseded = make_version(cls.articles, 1, VersionStatus.SUPERSEDED)
        add_article(cls.superseded, 1, "The council meets once in a decade.")
        cls.draft = make_version(cls.articles, 3, VersionStatus.DRAFT)
        add_article(cls.draft, 1, "A proposal nobody has adopted yet.")

        cls.elsewhere = make_articles(cls.other_college, "Articles of Eastlake")
        version = make_version(cls.elsewhere, 1, VersionStatus.IN_FORCE)
        add_article(version, 1, "The council meets twice a year.", heading="Plenary")

        cls.board = make_board(cls.college, name="Riverside council")
        cls.other_board = make_board(cls.other_college, name="Eastlake council")
        make_resolution(cls.board, title="Approve the workshop budget")
        make_resolution(cls.other_board, title="Approve the dormitory budget")


class TestArticlesOfAssociation(GovernanceSearchCase):
    def test_it_finds_the_articles_by_the_text_in_force(self):
        hits = found(self.alice, "twice a year")
        self.assertEqual(hits["Articles of association"], ["Articles of Riverside"])
        self.assertEqual(
            found(self.alice, "理事会")["Articles of association"], ["Articles of Riverside"]
        )

    def test_it_finds_them_by_a_heading_or_the_title(self):
        self.assertIn("Articles of association", found(self.alice, "plenary"))
        self.assertEqual(
            found(self.alice, "of riverside")["Articles of association"], ["Articles of Riverside"]
        )

    def test_it_ignores_the_text_of_other_versions_while_one_is_in_force(self):
        self.assertNotIn("Articles of association", found(self.alice, "once in a decade"))
        self.assertNotIn("Articles of association", found(self.alice, "nobody has adopted"))

    def test_without_a_version_in_force_it_reads_the_latest(self):
        document = make_articles(self.college, "Articles of the joint centre")
        add_article(make_version(document, 1, VersionStatus.WITHDRAWN), 1, "Old wording here.")
        add_article(make_version(document, 2, VersionStatus.DRAFT), 1, "New wording here.")
        self.assertEqual(
            found(self.alice, "new wording")["Articles of association"],
            ["Articles of the joint centre"],
        )
        self.assertNotIn("Articles of association", found(self.alice, "old wording"))

    def test_another_organizations_articles_stay_hidden(self):
        self.assertEqual(
            found(self.charlie, "twice a year")["Articles of association"], ["Articles of Eastlake"]
        )
        self.assertEqual(
            sorted(found(self.olivia, "twice a year")["Articles of association"]),
            ["Articles of Eastlake", "Articles of Riverside"],
        )

    def test_the_search_page_links_to_the_articles(self):
        self.client.force_login(self.victor)
        response = self.client.get(reverse("search"), {"q": "twice a year"})
        self.assertContains(response, self.articles.get_absolute_url())
        self.assertContains(response, "Riverside College")
        self.assertNotContains(response, self.elsewhere.get_absolute_url())


class TestBoardsAndResolutions(GovernanceSearchCase):
    def test_it_finds_the_users_boards_by_name_and_not_anothers(self):
        self.assertEqual(found(self.victor, "council")["Boards"], ["Riverside council"])
        self.assertEqual(found(self.charlie, "council")["Boards"], ["Eastlake council"])

    def test_it_finds_resolutions_by_title(self):
        self.assertEqual(found(self.bob, "budget")["Resolutions"], ["Approve the workshop budget"])
        self.assertEqual(
            sorted(found(self.olivia, "budget")["Resolutions"]),
            ["Approve the dormitory budget", "Approve the workshop budget"],
        )

    def test_a_seated_director_from_an_enterprise_finds_the_board(self):
        enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        director = member(enterprise, Role.ADMIN, "hx_director")
        self.assertEqual(found(director, "council"), {})
        seat(self.board, director, constituency="enterprise")
        hits = found(director, "council")
        self.assertEqual(hits["Boards"], ["Riverside council"])
        self.assertEqual(hits["Articles of association"], ["Articles of Riverside"])

    def test_the_search_page_links_to_each_record(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("search"), {"q": "riverside council"})
        self.assertContains(response, self.board.get_absolute_url())
        response = self.client.get(reverse("search"), {"q": "workshop"})
        resolution = self.board.resolutions.get()
        self.assertContains(response, resolution.get_absolute_url())
        self.assertNotContains(response, "dormitory")


class TestSearchQueries(GovernanceSearchCase):
    def test_the_search_page_runs_as_many_queries_for_1_match_as_for_20(self):
        def add(count: int) -> None:
            for index in range(count):
                document = make_articles(self.college, f"Statute {index}")
                version = make_version(document, 1, VersionStatus.IN_FORCE)
                add_article(version, 1, "Members meet twice a year.")
                board = make_board(self.college, name=f"Twice-a-year board {index}", seats={})
                make_resolution(board, title=f"Meet twice a year ({index})")

        self.client.force_login(self.alice)
        assert_constant_queries(
            self,
            lambda: self.client.get(reverse("search"), {"q": "twice a year"}),
            add,
            rows=20,
        )


@skipUnless(connection.vendor == "postgresql", "the trigram indexes exist on PostgreSQL only")
class TestTheArticleIndexes(GovernanceSearchCase):
    def test_the_article_text_match_can_use_the_trigram_indexes(self):
        """With sequential scans priced out (the test tables are tiny), the planner
        reaches the articles' text and heading through their trigram indexes."""
        queryset = Articles.objects.filter(articles_matching("twice a year"))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = queryset.explain()
        self.assertIn("article_text_trgm", plan)
        self.assertIn("article_heading_trgm", plan)
