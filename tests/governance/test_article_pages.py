"""The articles of association pages: who reads and who writes, the drafting walk
through the pages, the comparison, and constant query counts."""

from django.test import TestCase
from django.urls import reverse

from governance.models import Article, ArticleVersion, VersionStatus
from governance.services import articles as service
from tests.people import People


class ArticlePagesCase(People, TestCase):
    def setUp(self):
        self.document = service.articles_create(
            actor=self.alice, title="Articles of Riverside", organization=self.college
        )
        self.version = service.version_create(actor=self.alice, document=self.document)
        service.article_save(
            actor=self.alice, version=self.version, number=1, text="The council decides."
        )

    def post(self, name, *args, data=None):
        return self.client.post(reverse(name, args=args), data or {})


class TestWhoReadsAndWrites(ArticlePagesCase):
    def test_anonymous_callers_are_sent_to_sign_in(self):
        for url in (
            reverse("articles-list"),
            self.document.get_absolute_url(),
            self.version.get_absolute_url(),
        ):
            self.assertEqual(self.client.get(url).status_code, 302)

    def test_another_organization_finds_nothing(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.document.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(self.version.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("articles-list")), "Articles of Riverside")
        response = self.post("article-version-propose", self.version.pk)
        self.assertEqual(response.status_code, 404)

    def test_a_viewer_and_staff_read_but_do_not_write(self):
        for user in (self.victor, self.bob):
            self.client.force_login(user)
            page = self.client.get(self.version.get_absolute_url())
            self.assertContains(page, "The council decides.")
            self.assertNotContains(page, reverse("article-save", args=[self.version.pk]))
            self.post("article-save", self.version.pk, data={"number": 2, "text": "X"})
            self.post("article-version-propose", self.version.pk)
            self.assertEqual(
                self.client.post(
                    reverse("article-version-create", args=[self.document.pk])
                ).status_code,
                403,
            )
        self.version.refresh_from_db()
        self.assertEqual(
            (self.version.status, self.version.articles.count()), (VersionStatus.DRAFT, 1)
        )

    def test_government_reads(self):
        self.client.force_login(self.olivia)
        self.assertContains(self.client.get(self.version.get_absolute_url()), "The council")


class TestDraftingThroughThePages(ArticlePagesCase):
    def test_the_admin_drafts_proposes_and_compares(self):
        self.client.force_login(self.alice)
        response = self.post(
            "article-save",
            self.version.pk,
            data={"number": 2, "chapter": "Council", "text": "The council meets twice a year."},
        )
        self.assertEqual(response.status_code, 302)
        self.post("article-version-propose", self.version.pk)
        self.version.refresh_from_db()
        self.assertEqual(self.version.status, VersionStatus.PROPOSED)
        # A later draft, changed, compared with the proposed one.
        self.post("article-version-create", self.document.pk)
        second = ArticleVersion.objects.get(document=self.document, number=2)
        service.article_save(
            actor=self.alice,
            version=second,
            number=2,
            chapter="Council",
            text="The council meets three times a year.",
        )
        diff = self.client.get(
            reverse("article-version-diff", args=[second.pk]), {"against": self.version.pk}
        )
        self.assertContains(diff, '<del class="text-danger">twice</del>', html=False)
        self.assertContains(diff, '<ins class="text-success">three times</ins>', html=False)

    def test_the_diff_can_show_only_the_articles_that_changed(self):
        second = ArticleVersion.objects.create(document=self.document, number=2)
        Article.objects.create(version=second, number=1, text="The council decides.")
        Article.objects.create(version=second, number=2, text="It meets twice a year.")
        self.client.force_login(self.alice)
        url = reverse("article-version-diff", args=[second.pk])
        everything = self.client.get(url, {"against": self.version.pk})
        self.assertContains(everything, 'data-change="same"')
        self.assertContains(everything, "1 article changed, added or removed.")
        only = self.client.get(url, {"against": self.version.pk, "only": "changes"})
        self.assertNotContains(only, 'data-change="same"')
        self.assertContains(only, 'data-change="added"')
        Article.objects.filter(version=second, number=2).delete()
        same = self.client.get(url, {"against": self.version.pk, "only": "changes"})
        self.assertContains(same, "The two versions read the same.")

    def test_bad_article_input_is_an_error_message_not_a_500(self):
        self.client.force_login(self.alice)
        for data in (
            {"number": 0, "text": "X"},
            {"number": 10**30, "text": "X"},
            {"number": 2, "text": "x" * 20_000},
            {"number": 2, "text": ""},
        ):
            response = self.post("article-save", self.version.pk, data=data)
            self.assertEqual(response.status_code, 302, data)
        self.assertEqual(self.version.articles.count(), 1)

    def test_a_diff_against_an_unseen_or_wild_id_is_404(self):
        other = service.articles_create(actor=self.alice, title="Other", organization=self.college)
        elsewhere = service.version_create(actor=self.alice, document=other)
        self.client.force_login(self.alice)
        url = reverse("article-version-diff", args=[self.version.pk])
        for against in (elsewhere.pk, 10**30, "x"):
            self.assertEqual(self.client.get(url, {"against": against}).status_code, 404)


class TestQueryCounts(ArticlePagesCase):
    def test_a_version_page_reads_the_same_for_1_and_60_articles(self):
        self.client.force_login(self.alice)
        url = self.version.get_absolute_url()
        self.client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for number in range(2, 61):
            service.article_save(actor=self.alice, version=self.version, number=number, text="T")
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(one), len(many))

    def test_the_list_reads_the_same_for_1_and_20_documents(self):
        self.client.force_login(self.alice)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("articles-list"))
        for index in range(20):
            service.articles_create(actor=self.alice, title=f"A{index}", organization=self.college)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("articles-list"))
        self.assertEqual(len(one), len(many))
