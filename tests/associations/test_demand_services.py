"""Talent-demand reports in the service layer: who drafts, the transition table, the rows
(all or nothing, within the report's years, one per specialty and year, sane numbers),
published reports never changing, and an edit racing a publish on PostgreSQL."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, TransactionTestCase

from accounts.models import OrganizationKind, Role
from associations.models import MAX_DEMAND_ROWS, DemandRow, ReportStatus, TalentDemandReport
from associations.services import demand as service
from portal.workflow import InvalidTransition
from tests.factories import OrganizationFactory, member
from tests.helpers.concurrency import requires_row_locks, run_concurrently

from .demand import DemandPeople, make_report, many_rows, row_dicts

FIELDS = {
    "title": "Manufacturing talent demand",
    "industry": "Manufacturing",
    "region": "Hangzhou",
    "first_year": 2027,
    "last_year": 2029,
    "summary": "Members expect growth in precision machining.",
}


class TestTheTransitionTable(TestCase):
    def test_a_draft_only_publishes_and_a_published_report_goes_nowhere(self):
        self.assertEqual(
            service.REPORT_TRANSITIONS,
            {
                ReportStatus.DRAFT: frozenset({ReportStatus.PUBLISHED}),
                ReportStatus.PUBLISHED: frozenset(),
            },
        )
        self.assertEqual(set(service.REPORT_TRANSITIONS), set(ReportStatus.values))


class TestWhoDrafts(DemandPeople, TestCase):
    def test_the_associations_admins_and_staff_draft(self):
        for user in (self.alice, self.bob):
            report = service.report_create(
                actor=user, association=self.association, rows=[], **FIELDS
            )
            self.assertEqual(report.status, ReportStatus.DRAFT)
            self.assertEqual(report.created_by, user)

    def test_a_viewer_government_and_other_organizations_do_not(self):
        for user in (self.victor, self.olivia, self.gary, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.report_create(actor=user, association=self.association, **FIELDS)

    def test_only_an_association_has_reports(self):
        with self.assertRaises(PermissionDenied):
            service.report_create(actor=self.alice, association=self.college, **FIELDS)

    def test_actions_follow_the_status_and_the_role(self):
        draft = make_report(self.association)
        published = make_report(self.association, status=ReportStatus.PUBLISHED)
        self.assertEqual(service.report_actions(self.alice, draft), {"edit", "publish"})
        self.assertEqual(service.report_actions(self.alice, published), {"correct"})
        for user in (self.victor, self.olivia, self.charlie):
            self.assertEqual(service.report_actions(user, draft), set())
            self.assertEqual(service.report_actions(user, published), set())


class TestRows(DemandPeople, TestCase):
    def setUp(self):
        self.report = make_report(self.association, rows=[("Welding", 2027, 30)])

    def update(self, rows, **fields):
        return service.report_update(actor=self.alice, report=self.report, rows=rows, **fields)

    def assert_rows_refused(self, rows, text: str, **fields):
        with self.assertRaises(ValidationError) as caught:
            self.update(rows, **fields)
        self.assertIn("rows", caught.exception.message_dict)
        self.assertIn(text, " ".join(caught.exception.message_dict["rows"]))
        # All or nothing: the rows before stay as they were.
        self.assertEqual(
            list(DemandRow.objects.filter(report=self.report).values_list("specialty", "people")),
            [("Welding", 30)],
        )

    def test_rows_are_replaced_as_a_whole(self):
        self.update(
            [
                {"specialty": "  CNC   machining ", "year": 2027, "people": 120},
                {"specialty": "CNC machining", "year": 2028, "people": 150, "note": "new plant"},
            ]
        )
        rows = DemandRow.objects.filter(report=self.report).order_by("year")
        self.assertEqual(
            [(r.specialty, r.year, r.people, r.note) for r in rows],
            [("CNC machining", 2027, 120, ""), ("CNC machining", 2028, 150, "new plant")],
        )

    def test_at_most_max_rows(self):
        self.update(row_dicts(many_rows(MAX_DEMAND_ROWS)), first_year=2027, last_year=2029)
        self.assertEqual(DemandRow.objects.filter(report=self.report).count(), MAX_DEMAND_ROWS)
        self.report.rows.all().delete()
        DemandRow.objects.create(report=self.report, specialty="Welding", year=2027, people=30)
        self.assert_rows_refused(row_dicts(many_rows(MAX_DEMAND_ROWS + 1)), "At most 200 rows")

    def test_a_year_outside_the_reports_years(self):
        self.assert_rows_refused(
            [{"specialty": "Welding", "year": 2031, "people": 5}],
            "Row 1: 2031 is outside the report's years (2027–2029)",
        )

    def test_a_specialty_twice_in_a_year_whatever_its_case(self):
        self.assert_rows_refused(
            [
                {"specialty": "Welding", "year": 2027, "people": 5},
                {"specialty": "WELDING", "year": 2027, "people": 6},
            ],
            "Row 2: WELDING in 2027 is given twice (first in row 1)",
        )

    def test_wild_numbers(self):
        for people in (0, -3, 1_000_001, 10**30, "12abc", "1e3", None, True, 2.5):
            with self.subTest(people=people):
                self.assert_rows_refused(
                    [{"specialty": "Welding", "year": 2027, "people": people}],
                    "whole number from 1 to 1,000,000",
                )
        for year in ("twenty", None, 10**20):
            with self.subTest(year=year):
                self.assert_rows_refused(
                    [{"specialty": "Welding", "year": year, "people": 3}], "Row 1:"
                )

    def test_a_missing_or_overlong_specialty_and_note(self):
        self.assert_rows_refused(
            [{"specialty": "  ", "year": 2027, "people": 3}], "name the specialty"
        )
        self.assert_rows_refused(
            [{"specialty": "x" * 101, "year": 2027, "people": 3}], "at most 100 characters"
        )
        self.assert_rows_refused(
            [{"specialty": "Welding", "year": 2027, "people": 3, "note": "n" * 256}],
            "at most 255 characters",
        )

    def test_years_that_leave_rows_behind_must_come_with_new_rows(self):
        with self.assertRaises(ValidationError) as caught:
            service.report_update(
                actor=self.alice, report=self.report, first_year=2028, last_year=2030
            )
        self.assertIn("rows", caught.exception.message_dict)
        self.update(
            [{"specialty": "Welding", "year": 2030, "people": 8}], first_year=2028, last_year=2030
        )
        self.report.refresh_from_db()
        self.assertEqual((self.report.first_year, self.report.last_year), (2028, 2030))

    def test_years_in_order_and_at_most_ten(self):
        with self.assertRaises(ValidationError) as caught:
            self.update([], first_year=2029, last_year=2027)
        self.assertIn("last_year", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.update([], first_year=2027, last_year=2037)
        self.assertIn("at most 10 years", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.update([], first_year=1800, last_year=1801)
        self.assertIn("first_year", caught.exception.message_dict)

    def test_only_the_associations_admins_and_staff_change_it(self):
        for user in (self.victor, self.olivia, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                service.report_update(actor=user, report=self.report, title="Changed")


class TestPublishing(DemandPeople, TestCase):
    def test_a_draft_with_rows_is_published(self):
        report = make_report(self.association)
        report = service.report_publish(actor=self.bob, report=report)
        self.assertEqual(report.status, ReportStatus.PUBLISHED)
        self.assertIsNotNone(report.published_at)

    def test_a_draft_without_rows_is_not(self):
        report = make_report(self.association, rows=[])
        with self.assertRaises(ValidationError) as caught:
            service.report_publish(actor=self.alice, report=report)
        self.assertIn("rows", caught.exception.message_dict)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)

    def test_publishing_twice_is_an_illegal_step(self):
        report = make_report(self.association, status=ReportStatus.PUBLISHED)
        with self.assertRaises(InvalidTransition):
            service.report_publish(actor=self.alice, report=report)

    def test_a_published_report_never_changes(self):
        report = make_report(self.association, status=ReportStatus.PUBLISHED)
        with self.assertRaises(InvalidTransition):
            service.report_update(actor=self.alice, report=report, title="Corrected")
        with self.assertRaises(InvalidTransition):
            service.report_update(
                actor=self.alice,
                report=report,
                rows=[{"specialty": "X", "year": 2027, "people": 1}],
            )
        report.refresh_from_db()
        self.assertEqual(report.title, "Manufacturing talent demand 2027–2029")
        self.assertEqual(report.rows.count(), 1)

    def test_a_newer_report_for_the_same_industry_and_region_supersedes(self):
        old = make_report(self.association, status=ReportStatus.PUBLISHED, published_days_ago=30)
        self.assertIsNone(service.newer_report(old))
        make_report(self.association, status=ReportStatus.PUBLISHED, region="Ningbo")
        make_report(self.association)  # a draft
        self.assertIsNone(service.newer_report(old))
        newer = make_report(
            self.association, status=ReportStatus.PUBLISHED, industry="MANUFACTURING"
        )
        self.assertEqual(service.newer_report(old), newer)


class TestTheDemandTable(DemandPeople, TestCase):
    def test_specialties_by_year_with_totals_most_needed_first(self):
        report = make_report(
            self.association,
            rows=[
                ("Welding", 2027, 30),
                ("CNC machining", 2027, 100),
                ("CNC machining", 2029, 60),
                ("Welding", 2028, 20),
            ],
        )
        table = service.demand_table(report, report.rows.all())
        self.assertEqual(table.years, [2027, 2028, 2029])
        self.assertEqual(
            [(d.specialty, d.by_year, d.total) for d in table.specialties],
            [("CNC machining", [100, None, 60], 160), ("Welding", [30, 20, None], 50)],
        )
        self.assertEqual(table.year_totals, [130, 20, 60])
        self.assertEqual(table.total, 210)


@requires_row_locks
class TestAnEditRacingAPublish(TransactionTestCase):
    """Without the lock, a publish could count the rows an edit is removing and publish
    a report with none; with it, one waits for the other."""

    def setUp(self):
        self.association = OrganizationFactory(kind=OrganizationKind.ASSOCIATION)
        self.alice = member(self.association, Role.ADMIN, "alice")
        self.bob = member(self.association, Role.STAFF, "bob")

    def test_never_published_without_rows_nor_changed_after(self):
        for _round in range(5):
            report = make_report(self.association)
            users = get_user_model().objects.in_bulk([self.alice.pk, self.bob.pk])
            alice, bob = users[self.alice.pk], users[self.bob.pk]
            results = run_concurrently(
                lambda report=report, alice=alice: service.report_update(
                    actor=alice, report=report, rows=[], title="Emptied"
                ),
                lambda report=report, bob=bob: service.report_publish(actor=bob, report=report),
            )
            report = TalentDemandReport.objects.get(pk=report.pk)
            rows = report.rows.count()
            if report.status == ReportStatus.PUBLISHED:
                self.assertEqual(rows, 1)
                self.assertNotEqual(report.title, "Emptied")
                self.assertIsInstance(results[0], InvalidTransition)
            else:
                self.assertEqual(rows, 0)
                self.assertIsInstance(results[1], ValidationError)
