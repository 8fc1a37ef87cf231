"""List tables: one declaration per list gives the page's table, its sort links and its
CSV export, and every list page runs as many queries for one row as for a full page."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from accounts.tables import OrganizationTable
from funding.tables import FundApplicationTable, FundProgramTable
from partnerships.models import Agreement, Clause, Partnership, PartnershipMember
from partnerships.tables import AgreementTable, ClauseTable, PartnershipTable
from portal.tables import (
    Column,
    DateColumn,
    DateTimeColumn,
    MoneyColumn,
    NumberColumn,
    StatusColumn,
    Table,
)
from tests.factories import OrganizationFactory, make_agreement, make_application, make_program
from tests.helpers.queries import assert_constant_queries
from tests.people import People

# The CSV headers, in order, that spreadsheets built on these exports rely on.
CSV_HEADERS = {
    "organization-list": [
        "id", "name", "kind", "credit_code", "region", "industry", "address", "website",
        "active", "members", "updated_at",
        # the public profile, added after (older columns keep their places)
        "city", "industry_section", "specialties", "size_band", "description",
        "public_email", "public_phone",
    ],
    "partnership-list": [
        "id", "name", "kind", "status", "lead", "members", "agreements", "start_date",
        "end_date",
    ],
    "agreement-list": [
        "reference", "title", "kind", "status", "parties", "partnership", "effective_date",
        "expiry_date", "updated_at",
    ],
    "clause-list": [
        "agreement", "party", "kind", "category", "text", "due_date", "status",
        "evidence_or_reason",
    ],
    "fund-program-list": [
        "reference", "title", "department", "funding_source", "status", "total_budget",
        "committed", "released", "max_award", "opens_on", "closes_on", "applications",
    ],
    "fund-application-list": [
        "reference", "title", "program", "applicant", "status", "requested_amount",
        "weighted_score", "awarded", "decided_at", "decision_reasons", "submitted_at",
    ],
}  # fmt: skip

# The ?ordering= values each list page offered before its columns were declared once.
ORDERINGS = {
    "organization-list": {"name", "kind", "region", "updated"},
    "partnership-list": {"name", "kind", "status", "start"},
    "agreement-list": {"reference", "title", "status", "effective", "expiry"},
    "clause-list": {"due", "status", "agreement"},
    "fund-program-list": {"title", "opens", "closes", "budget"},
    "fund-application-list": {"reference", "amount", "status", "submitted", "score"},
}


class AgreementLikeTable(Table):
    reference = Column("Reference", link=True, order_by="reference")
    title = Column("Title", subtitle=("kind", "partnership.name"), order_by=("title", "-pk"))
    status = StatusColumn("Status", order_by="status", sort_key="state")
    updated_at = DateTimeColumn("Updated", in_table=False)


def agreement(**fields) -> Agreement:
    defaults = {"pk": 7, "reference": "AGR-2026-0007", "title": "Framework", "kind": "framework"}
    return Agreement(**{**defaults, **fields})


class TestDeclaration(SimpleTestCase):
    def test_columns_keep_their_declared_order_on_the_page_and_in_the_csv(self):
        self.assertEqual(
            [column.name for column in AgreementLikeTable.table_columns()],
            ["reference", "title", "status"],
        )
        self.assertEqual(
            [column.name for column in AgreementLikeTable.csv_columns()],
            ["reference", "title", "status", "updated_at"],
        )

    def test_a_table_order_shows_the_page_columns_in_another_order_than_the_csv(self):
        self.assertEqual(
            [column.name for column in PartnershipTable.table_columns()],
            ["name", "kind", "lead", "status", "start_date", "members", "agreements"],
        )
        self.assertEqual(
            [column.name for column in PartnershipTable.csv_columns()],
            CSV_HEADERS["partnership-list"],
        )

    def test_ordering_comes_from_the_sortable_columns_even_those_not_on_the_page(self):
        self.assertEqual(
            AgreementLikeTable.ordering_fields(),
            {"reference": ("reference",), "title": ("title", "-pk"), "state": ("status",)},
        )
        self.assertEqual(OrganizationTable.ordering_fields()["updated"], ("updated_at",))
        self.assertEqual(FundProgramTable.ordering_fields()["opens"], ("opens_on",))

    def test_a_subclass_adds_columns_after_its_parents(self):
        class Wider(AgreementLikeTable):
            expiry_date = DateColumn("Expires")

        self.assertEqual(
            [column.name for column in Wider.table_columns()],
            ["reference", "title", "status", "expiry_date"],
        )

    def test_a_table_order_that_misses_a_column_is_refused(self):
        with self.assertRaises(ImproperlyConfigured):

            class Broken(Table):
                name = Column("Name")
                kind = Column("Kind")
                table_order = ("name",)

    def test_two_columns_sorting_under_one_key_are_refused(self):
        with self.assertRaises(ImproperlyConfigured):

            class Broken(Table):
                start = DateColumn("Start", order_by="start_date")
                start_date = DateColumn("Since", order_by="start_date", sort_key="start")

    def test_a_column_may_not_hide_the_tables_own_attributes(self):
        with self.assertRaises(ImproperlyConfigured):

            class Broken(Table):
                rows = NumberColumn("Rows")


class TestHeaders(SimpleTestCase):
    def headers(self, query: str):
        return {
            header.label: header
            for header in AgreementLikeTable([], query=QueryDict(query)).headers
        }

    def test_sort_links_keep_the_filters_and_go_back_to_the_first_page(self):
        headers = self.headers("status=active&page=3&ordering=title")
        self.assertEqual(headers["Reference"].url, "?status=active&ordering=reference")

    def test_the_sorted_column_says_so_and_its_link_reverses_the_order(self):
        headers = self.headers("ordering=title")
        self.assertEqual(headers["Title"].direction, "asc")
        self.assertEqual(headers["Title"].aria_sort, "ascending")
        self.assertEqual(headers["Title"].url, "?ordering=-title")
        self.assertEqual(headers["Reference"].aria_sort, "")
        headers = self.headers("ordering=-state")
        self.assertEqual(headers["Status"].aria_sort, "descending")
        self.assertEqual(headers["Status"].url, "?ordering=state")

    def test_a_column_that_does_not_sort_has_no_link(self):
        class Plain(Table):
            note = Column("Note")

        self.assertEqual(Plain([]).headers[0].url, "")

    def test_figures_are_aligned_right(self):
        table = FundApplicationTable([])
        classes = {header.label: header.classes for header in table.headers}
        self.assertEqual(classes["Requested"], "text-end")
        self.assertEqual(classes["Title"], "")

    def test_labels_are_in_the_readers_language(self):
        with override("zh-hans"):
            label = OrganizationTable([]).headers[0].label
            self.assertEqual(label, gettext("Name"))
        self.assertNotEqual(label, "Name")


class TestCells(SimpleTestCase):
    def test_a_link_goes_to_the_record_and_text_is_escaped(self):
        record = agreement(reference="<b>AGR</b>")
        html = AgreementLikeTable.reference.render(record)
        self.assertHTMLEqual(
            html, f'<a href="{record.get_absolute_url()}">&lt;b&gt;AGR&lt;/b&gt;</a>'
        )

    def test_a_subtitle_joins_what_is_there_in_small_print(self):
        html = AgreementLikeTable.title.render(agreement(title="R&D"))
        self.assertHTMLEqual(html, 'R&amp;D<div class="small text-body-secondary">Framework</div>')
        html = AgreementLikeTable.title.render(
            agreement(partnership=Partnership(name="Robotics college"))
        )
        self.assertIn("Framework · Robotics college", html)

    def test_a_status_is_a_badge_in_the_readers_language(self):
        html = AgreementLikeTable.status.render(agreement(status="negotiating"))
        self.assertInHTML(
            '<span class="badge text-bg-warning status-negotiating" data-status="negotiating">'
            "Negotiating</span>",
            html,
        )

    def test_money_is_grouped_by_thousands(self):
        column = MoneyColumn("Amount", accessor="amount")
        column.__set_name__(Table, "amount")
        self.assertEqual(column.text(Decimal("1234567.50")), "1,234,567.50")
        with override("zh-hans"):
            self.assertEqual(column.text(Decimal("300000.00")), "300,000.00")

    def test_dates_and_moments_read_in_the_portals_time_zone(self):
        moment = datetime(2026, 2, 28, 20, 30, tzinfo=UTC)  # Shanghai: 1 March, 04:30
        self.assertEqual(DateColumn().text(moment), "2026-03-01")
        self.assertEqual(DateTimeColumn().text(moment), "2026-03-01 04:30")
        self.assertEqual(DateColumn().text(date(2026, 3, 1)), "2026-03-01")

    def test_a_missing_value_shows_a_dash(self):
        column = PartnershipTable.start_date
        self.assertEqual(column.render(Partnership(start_date=None)), "—")

    def test_the_csv_reads_the_raw_value_and_a_choice_by_its_label(self):
        record = agreement(status="negotiating", updated_at=timezone.now())
        self.assertEqual(AgreementLikeTable.status.value(record), "Negotiating")
        self.assertIsInstance(AgreementLikeTable.updated_at.value(record), datetime)


class TestListPages(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enterprise = OrganizationFactory(name="Huaxin", kind="enterprise")
        cls.first = make_agreement(cls.college, cls.enterprise, title="Alpha", status="negotiating")
        cls.second = make_agreement(cls.college, cls.bureau, title="Beta", status="active")
        cls.program = make_program(cls.bureau, budget="1234567.00", max_open=100)
        cls.application = make_application(
            cls.program, cls.college, amount="250000.00", status="submitted"
        )
        cls.partnership = Partnership.objects.create(
            name="Robotics college", kind="industry_college", lead=cls.college
        )

    def setUp(self):
        self.client.force_login(self.olivia)  # government: every record is in its lists

    def test_every_list_offers_the_orderings_it_offered_before(self):
        tables = {
            "organization-list": OrganizationTable,
            "partnership-list": PartnershipTable,
            "agreement-list": AgreementTable,
            "clause-list": ClauseTable,
            "fund-program-list": FundProgramTable,
            "fund-application-list": FundApplicationTable,
        }
        for url_name, table in tables.items():
            self.assertLessEqual(ORDERINGS[url_name], set(table.ordering_fields()), url_name)
            for key in ORDERINGS[url_name]:
                for ordering in (key, f"-{key}"):
                    with self.subTest(url_name=url_name, ordering=ordering):
                        response = self.client.get(reverse(url_name), {"ordering": ordering})
                        self.assertEqual(response.status_code, 200)

    def test_sorting_orders_the_rows_and_marks_the_header(self):
        url = reverse("agreement-list")
        ascending = self.client.get(url, {"ordering": "title"})
        self.assertEqual([a.title for a in ascending.context["agreements"]], ["Alpha", "Beta"])
        self.assertContains(ascending, 'aria-sort="ascending"', count=1)
        self.assertContains(ascending, 'href="?ordering=-title" class="sort sort-asc"')
        descending = self.client.get(url, {"ordering": "-title"})
        self.assertEqual([a.title for a in descending.context["agreements"]], ["Beta", "Alpha"])
        self.assertContains(descending, 'aria-sort="descending"', count=1)

    def test_every_csv_export_keeps_its_headers(self):
        for url_name, headers in CSV_HEADERS.items():
            with self.subTest(url_name=url_name):
                response = self.client.get(reverse(url_name), {"export": "csv"})
                rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
                self.assertEqual(rows[0], headers)
                self.assertGreater(len(rows), 1)

    def test_the_page_shows_badges_links_and_grouped_money(self):
        response = self.client.get(reverse("fund-program-list"))
        self.assertContains(response, '<td class="text-end">1,234,567.00</td>', html=True)
        self.assertContains(response, f'href="{self.program.get_absolute_url()}"')
        self.assertContains(response, 'data-status="open"')
        response = self.client.get(reverse("fund-application-list"))
        self.assertContains(response, '<td class="text-end">250,000.00</td>', html=True)
        self.assertContains(response, 'data-testid="application-table"')

    def test_agreement_parties_show_who_has_signed_while_negotiating(self):
        self.first.parties.filter(organization=self.college).update(signed_at=timezone.now())
        response = self.client.get(reverse("agreement-list"), {"status": "negotiating"})
        self.assertContains(response, 'title="signed"', count=1)
        self.assertContains(response, 'title="awaiting signature"', count=1)

    def test_an_overdue_responsibility_is_shown_in_red(self):
        Clause.objects.filter(agreement=self.second, party__organization=self.bureau).update(
            due_date=timezone.localdate() - timezone.timedelta(days=1)
        )
        response = self.client.get(reverse("clause-list"))
        self.assertContains(response, '<span class="text-danger fw-semibold">', count=1)


class TestListQueryCounts(People, TestCase):
    """Organization, agreement and application lists have theirs next to their app's
    tests; these are the other lists."""

    def setUp(self):
        self.client.force_login(self.olivia)

    def check(self, url_name, add):
        add(1)
        assert_constant_queries(self, lambda: self.client.get(reverse(url_name)), add, rows=25)

    def test_the_partnership_list(self):
        def add(count):
            for number in range(count):
                lead = OrganizationFactory()
                partnership = Partnership.objects.create(
                    name=f"Partnership {number}", kind="industry_college", lead=lead
                )
                PartnershipMember.objects.create(partnership=partnership, organization=lead)
                agreement = make_agreement(lead, self.college)
                agreement.partnership = partnership
                agreement.save()

        self.check("partnership-list", add)

    def test_the_clause_list(self):
        def add(count):
            for _ in range(count):
                make_agreement(OrganizationFactory(), self.college, status="active")

        self.check("clause-list", add)

    def test_the_fund_program_list(self):
        def add(count):
            for _ in range(count):
                program = make_program(OrganizationFactory(kind="government"))
                make_application(program, self.college)

        self.check("fund-program-list", add)
