"""Articles of association through their services: versions drafted from the one in
force, proposed, adopted by a resolution, in force on their date; an adopted version
never changes; the diff; two adoptions at once leave one version in force."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from governance.models import Article, ArticleVersion, Board, Resolution, VersionStatus
from governance.services import articles as service
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently
from tests.people import People

V = VersionStatus
TODAY = timezone.localdate()


def passed_resolution(document, version):
    board = Board.objects.create(name="Council", kind="council", organization=document.organization)
    return Resolution.objects.create(
        board=board,
        title="Adopt the new articles",
        text="Adopt.",
        kind="article_amendment",
        article_version=version,
        status="passed",
    )


class ArticlesCase(People, TestCase):
    def setUp(self):
        self.document = service.articles_create(
            actor=self.alice, title="Articles of Riverside", organization=self.college
        )

    def first_version(self, *texts, adopt=True):
        version = service.version_create(actor=self.alice, document=self.document)
        for number, text in enumerate(texts or ("The college is run by its council.",), 1):
            service.article_save(
                actor=self.alice, version=version, number=number, text=text, chapter="General"
            )
        if adopt:
            service.version_propose(actor=self.alice, version=version)
            service.version_adopt(
                resolution=passed_resolution(self.document, version), version=version
            )
            version.refresh_from_db()
        return version


class TestDrafting(ArticlesCase):
    def test_only_the_bodys_admins_write_its_articles(self):
        with self.assertRaises(PermissionDenied):
            service.articles_create(actor=self.bob, title="X", organization=self.college)
        with self.assertRaises(PermissionDenied):
            service.version_create(actor=self.charlie, document=self.document)

    def test_a_new_version_starts_from_the_one_in_force(self):
        first = self.first_version("One.", "Two.")
        self.assertEqual(first.status, V.IN_FORCE)
        second = service.version_create(actor=self.alice, document=self.document)
        self.assertEqual(second.number, 2)
        self.assertEqual(
            list(second.articles.values_list("number", "text")), [(1, "One."), (2, "Two.")]
        )

    def test_an_empty_draft_cannot_be_proposed(self):
        draft = service.version_create(actor=self.alice, document=self.document)
        with self.assertRaises(ValidationError):
            service.version_propose(actor=self.alice, version=draft)

    def test_every_move_outside_the_table_is_refused(self):
        for status in V.values:
            for target in V.values:
                allowed = target in service.VERSION_TRANSITIONS[status]
                version = ArticleVersion(status=status)
                try:
                    service._check(version, target)
                except InvalidTransition:
                    self.assertFalse(allowed, (status, target))
                else:
                    self.assertTrue(allowed, (status, target))


class TestAdoptedVersionsNeverChange(ArticlesCase):
    def test_the_services_refuse_every_change_to_an_adopted_version(self):
        adopted = self.first_version()
        for change in (
            lambda: service.article_save(actor=self.alice, version=adopted, number=1, text="X"),
            lambda: service.article_delete(actor=self.alice, version=adopted, number=1),
            lambda: service.version_update(actor=self.alice, version=adopted, summary="X"),
            lambda: service.version_withdraw(actor=self.alice, version=adopted),
        ):
            with self.assertRaises(InvalidTransition):
                change()
        self.assertEqual(adopted.articles.get().text, "The college is run by its council.")

    def test_the_database_keeps_one_version_in_force(self):
        self.first_version()
        other = service.version_create(actor=self.alice, document=self.document)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ArticleVersion.objects.filter(pk=other.pk).update(
                status=V.IN_FORCE, adopted_at=timezone.now(), in_force_from=TODAY
            )

    def test_an_adopted_version_has_its_dates(self):
        draft = service.version_create(actor=self.alice, document=self.document)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ArticleVersion.objects.filter(pk=draft.pk).update(status=V.ADOPTED)


class TestComingIntoForce(ArticlesCase):
    def test_a_version_dated_later_comes_into_force_on_its_date(self):
        first = self.first_version("One.")
        second = service.version_create(actor=self.alice, document=self.document)
        service.version_update(
            actor=self.alice, version=second, in_force_from=TODAY + timedelta(days=10)
        )
        service.version_propose(actor=self.alice, version=second)
        service.version_adopt(resolution=passed_resolution(self.document, second), version=second)
        second.refresh_from_db()
        self.assertEqual(second.status, V.ADOPTED)
        self.assertEqual(service.in_force(self.document), first)
        self.assertEqual(service.versions_come_into_force(TODAY + timedelta(days=9)), 0)
        self.assertEqual(service.versions_come_into_force(TODAY + timedelta(days=10)), 1)
        first.refresh_from_db()
        self.assertEqual((first.status, service.in_force(self.document)), (V.SUPERSEDED, second))

    def test_a_citation_names_the_version_and_its_date(self):
        version = self.first_version("One.")
        self.assertEqual(
            version.articles.get().citation(),
            f"Article 1 (version 1, in force from {TODAY.isoformat()})",
        )


class TestDiff(ArticlesCase):
    def test_articles_added_removed_changed_and_kept(self):
        first = self.first_version("Kept.", "The council meets twice a year.", "Removed.")
        second = service.version_create(actor=self.alice, document=self.document)
        service.article_save(
            actor=self.alice,
            version=second,
            number=2,
            chapter="General",
            text="The council meets three times a year.",
        )
        service.article_delete(actor=self.alice, version=second, number=3)
        service.article_save(actor=self.alice, version=second, number=4, text="Added.")
        changes = {change.number: change for change in service.version_diff(first, second)}
        self.assertEqual(
            {n: c.change for n, c in changes.items()},
            {1: "same", 2: "changed", 3: "removed", 4: "added"},
        )
        marked = [(s.kind, s.text) for s in changes[2].segments if s.kind != "same"]
        self.assertEqual(marked, [("removed", "twice"), ("added", "three times")])

    def test_chinese_changes_are_marked_by_the_character(self):
        first = self.first_version("理事会每年召开两次会议。")
        second = service.version_create(actor=self.alice, document=self.document)
        service.article_save(
            actor=self.alice,
            version=second,
            number=1,
            chapter="General",
            text="理事会每年召开三次会议。",
        )
        segments = service.version_diff(first, second)[0].segments
        self.assertEqual(
            [(s.kind, s.text) for s in segments if s.kind != "same"],
            [("removed", "两"), ("added", "三")],
        )

    def test_long_repetitive_texts_still_compare_correctly(self):
        from governance.services.articles import _segments

        for old, new in (
            ("。" * 10_000, "。" * 5_000 + "，" + "。" * 4_999),
            ("学院理事会" * 2_000, "学院理事会" * 1_000 + "新" + "学院理事会" * 999),
        ):
            segments = _segments(old, new)
            kept = "".join(s.text for s in segments if s.kind in ("same", "removed"))
            made = "".join(s.text for s in segments if s.kind in ("same", "added"))
            self.assertEqual((kept, made), (old, new))

    def test_versions_of_different_articles_do_not_compare(self):
        first = self.first_version()
        other = service.articles_create(actor=self.alice, title="Other", organization=self.college)
        elsewhere = service.version_create(actor=self.alice, document=other)
        with self.assertRaises(ValidationError):
            service.version_diff(first, elsewhere)

    def test_the_diff_reads_two_queries(self):
        first = self.first_version(*[f"Article {n}." for n in range(1, 40)])
        second = service.version_create(actor=self.alice, document=self.document)
        with self.assertNumQueries(2):
            service.version_diff(first, second)


@requires_row_locks
class TestTwoAdoptionsAtOnce(TransactionTestCase):
    def test_two_versions_adopted_at_once_leave_one_in_force(self):
        college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
        admin = member(college, Role.ADMIN, "admin1")
        document = service.articles_create(actor=admin, title="Articles", organization=college)
        versions = []
        for _index in range(2):
            version = service.version_create(actor=admin, document=document)
            service.article_save(actor=admin, version=version, number=1, text="Text.")
            service.version_propose(actor=admin, version=version)
            versions.append((version, passed_resolution(document, version)))
        results = run_concurrently(
            *(
                (lambda v=v, r=r: service.version_adopt(resolution=r, version=v))
                for v, r in versions
            )
        )
        for result in results:
            self.assertIsInstance(result, ArticleVersion, result)
        statuses = sorted(ArticleVersion.objects.values_list("status", flat=True))
        self.assertEqual(statuses, [V.IN_FORCE, V.SUPERSEDED])
        # Whichever committed last, the later version is the one in force.
        self.assertEqual(ArticleVersion.objects.get(status=V.IN_FORCE).number, 2)
        self.assertEqual(Article.objects.count(), 2)
