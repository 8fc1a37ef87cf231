"""History tabs and ``GET .../{id}/history/``: a fixed number of queries however long the
history, cut to the newest entries in the database, and the same entries either way."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from partnerships.models import Partnership
from portal.history import history_entries
from tests.factories import make_agreement, make_application, make_program
from tests.funding.test_money import FundingCase
from tests.helpers.queries import assert_constant_queries


class HistoryCase(FundingCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.partnerships = [
            Partnership.objects.create(name=f"Alliance {n}", kind="other", lead=cls.college)
            for n in range(3)
        ]

    def setUp(self):
        self.application = make_application(
            make_program(self.bureau), self.college, status="submitted"
        )
        self.edits = 0

    def edit_application(self, count: int) -> None:
        """``count`` edits by five different people, of plain, choice and related fields
        (a partnership, a person) and of the budget lines (a related history)."""
        people = [self.bob, self.alice, self.gary, self.olivia, self.rita]
        application = self.application
        for _ in range(count):
            self.edits += 1
            n = self.edits
            application.title = f"Robotics centre, version {n}"
            application.partnership = self.partnerships[n % 3]
            application.decided_by = people[(n + 1) % 5]
            application._history_user = people[n % 5]
            application.save()
            line = application.budget_lines.first()
            line.description = f"Robot arms, lot {n}"
            line._history_user = people[(n + 2) % 5]
            line.save()


class TestHistoryQueryCounts(HistoryCase):
    def test_the_applicants_history_tab_runs_the_same_queries_for_1_or_21_entries(self):
        url = self.application.get_absolute_url() + "?tab=history"
        self.client.force_login(self.alice)
        assert_constant_queries(self, lambda: self.client.get(url), self.edit_application, rows=21)
        page = self.client.get(url).content.decode()
        self.assertIn("Robotics centre, version 20", page)
        self.assertIn("Education Bureau", page)
        for officer in (self.gary, self.olivia, self.rita):
            self.assertNotIn(str(officer), page)  # applicants never learn who reviewed

    def test_an_officers_history_tab_runs_the_same_queries_for_1_or_21_entries(self):
        url = self.application.get_absolute_url() + "?tab=history"
        self.client.force_login(self.gary)
        assert_constant_queries(self, lambda: self.client.get(url), self.edit_application, rows=21)
        self.assertIn(str(self.rita), self.client.get(url).content.decode())

    def test_the_history_api_runs_the_same_queries_for_1_or_21_entries(self):
        api = APIClient()
        api.force_authenticate(self.alice)
        url = reverse("api:fund-application-history", args=[self.application.pk])
        assert_constant_queries(self, lambda: api.get(url), self.edit_application, rows=21)
        rows = api.get(url).json()
        self.assertGreater(len(rows), 21)
        officers = {str(user) for user in (self.gary, self.olivia, self.rita)}
        self.assertFalse(officers & {row["who"] for row in rows})
        self.assertNotIn(str(self.rita), str(rows))  # nor as "decided by"

    def test_an_agreements_history_with_parties_and_clauses_stays_constant(self):
        agreement = make_agreement(self.college, self.other_college, clauses=2)
        people = [self.alice, self.bob, self.charlie]

        def edit(count: int) -> None:
            for n in range(count):
                agreement.title = f"Framework, version {n}"
                agreement.partnership = self.partnerships[n % 3]
                agreement._history_user = people[n % 3]
                agreement.save()
                for clause in agreement.clauses.all():
                    clause.text = f"Responsibility, version {n}"
                    clause._history_user = people[(n + 1) % 3]
                    clause.save()
                party = agreement.parties.first()
                party.role = f"Party A{n}"
                party.save()

        self.client.force_login(self.alice)
        url = agreement.get_absolute_url() + "?tab=history"
        assert_constant_queries(self, lambda: self.client.get(url), edit, rows=21)
        api = APIClient()
        api.force_authenticate(self.charlie)
        url = reverse("api:agreement-history", args=[agreement.pk])
        assert_constant_queries(self, lambda: api.get(url), edit, rows=21)


class TestHistoryIsCutInTheDatabase(HistoryCase):
    def test_the_newest_entries_are_the_same_as_from_the_whole_history(self):
        self.edit_application(30)
        whole = history_entries(self.application, viewer=self.alice, limit=10_000)
        self.assertGreater(len(whole), 60)
        for limit in (1, 5, 25, 59):
            with self.subTest(limit=limit):
                newest = history_entries(self.application, viewer=self.alice, limit=limit)
                self.assertEqual(newest, whole[:limit])

    def test_the_oldest_kept_entry_still_shows_what_changed(self):
        self.edit_application(30)
        entries = history_entries(self.application, viewer=self.bob, limit=4)
        titles = [
            (change.old, change.new)
            for entry in entries
            for change in entry.changes
            if change.field == "title"
        ]
        self.assertEqual(
            titles,
            [
                ("Robotics centre, version 29", "Robotics centre, version 30"),
                ("Robotics centre, version 28", "Robotics centre, version 29"),
            ],
        )

    def test_history_rows_are_fetched_with_a_limit(self):
        self.edit_application(30)
        with CaptureQueriesContext(connection) as queries:
            entries = history_entries(self.application, viewer=self.alice, limit=7)
        self.assertEqual(len(entries), 7)
        history_selects = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].lstrip().upper().startswith("SELECT")
            and (
                "historicalfundapplication" in query["sql"]
                or "historicalbudgetline" in query["sql"]
            )
        ]
        self.assertTrue(history_selects)
        for sql in history_selects:
            self.assertIn("LIMIT", sql.upper(), sql)
