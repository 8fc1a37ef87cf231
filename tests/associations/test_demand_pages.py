"""The talent-demand report pages: the shared permission cases for a draft, published
reports open to everyone signed in, the rows textarea's errors next to the field (never
a 500), published reports refusing edits, publishing and correcting, user text escaped,
the CSV export, the chart's data, and constant query counts for the list and the
report's page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import OrganizationKind
from associations.models import MAX_DEMAND_ROWS, ReportStatus, TalentDemandReport
from associations.services import demand as service
from associations.views.demand import CHART_SPECIALTIES, demand_chart
from tests.factories import OrganizationFactory
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries
from tests.portal.test_attachments import PDF

from .demand import DemandPeople, make_report, many_rows


def form_data(**overrides) -> dict:
    data = {
        "association": "",
        "title": "Manufacturing talent demand",
        "industry": "Manufacturing",
        "region": "Hangzhou",
        "first_year": "2027",
        "last_year": "2029",
        "summary": "From a survey of our members.",
        "rows": "CNC machining, 2027, 120\nCNC machining, 2028, 150, a new plant\n"
        "Industrial robotics\t2029\t45",
    }
    data.update(overrides)
    return data


class TestDraftReportPages(DemandPeople, permissions.PagePermissionCases):
    list_url_name = "talent-demand-report-list"
    detail_url_name = "talent-demand-report-detail"
    edit_url_name = "talent-demand-report-edit"

    def make_record(self):
        return make_report(self.association)

    def edit_data(self):
        return form_data()


class TestPublishedReportPages(DemandPeople, TestCase):
    def setUp(self):
        self.report = make_report(self.association, status=ReportStatus.PUBLISHED)
        self.url = self.report.get_absolute_url()
        self.edit_url = reverse("talent-demand-report-edit", args=[self.report.pk])

    def test_everyone_signed_in_reads_it_and_finds_it_listed(self):
        for user in (self.charlie, self.olivia, self.victor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 200)
            self.assertContains(self.client.get(reverse("talent-demand-report-list")), self.url)

    def test_outsiders_may_not_edit_it(self):
        for user in (self.charlie, self.olivia, self.victor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.edit_url).status_code, 403)
            self.assertEqual(self.client.post(self.edit_url, form_data()).status_code, 403)

    def test_its_association_is_told_it_never_changes_and_offered_a_correction(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.edit_url, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "A published report never changes")
        self.assertContains(response, f"?from={self.report.pk}")
        response = self.client.post(self.edit_url, form_data(title="Changed"), follow=True)
        self.assertContains(response, "A published report never changes")
        self.report.refresh_from_db()
        self.assertEqual(self.report.title, "Manufacturing talent demand 2027–2029")
        publish = reverse("talent-demand-report-publish", args=[self.report.pk])
        self.assertContains(self.client.post(publish, follow=True), "cannot move from")

    def test_a_correction_starts_from_the_published_report(self):
        self.client.force_login(self.bob)
        url = reverse("talent-demand-report-create") + f"?from={self.report.pk}"
        response = self.client.get(url)
        self.assertContains(response, 'data-testid="correction-of"')
        self.assertContains(response, "CNC machining, 2027, 120")
        response = self.client.post(url, form_data(association=self.association.pk))
        corrected = TalentDemandReport.objects.exclude(pk=self.report.pk).get()
        self.assertRedirects(response, corrected.get_absolute_url())
        self.assertEqual(corrected.status, ReportStatus.DRAFT)
        # Published later, it supersedes the first on the first's page.
        service.report_publish(actor=self.bob, report=corrected)
        self.assertContains(self.client.get(self.url), 'data-testid="newer-report"')

    def test_a_correction_of_someone_elses_report_fills_nothing_in(self):
        elsewhere = OrganizationFactory(kind=OrganizationKind.ASSOCIATION, name="Software Assn")
        other = make_report(elsewhere, status=ReportStatus.PUBLISHED)
        self.client.force_login(self.alice)
        for value in (other.pk, "abc", "99999999999999999999999"):
            response = self.client.get(reverse("talent-demand-report-create") + f"?from={value}")
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, 'data-testid="correction-of"')


class TestDrafting(DemandPeople, TestCase):
    def setUp(self):
        self.client.force_login(self.alice)
        self.create_url = reverse("talent-demand-report-create")

    def test_only_an_associations_admins_and_staff_may_draft(self):
        for user in (self.charlie, self.olivia, self.victor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.create_url).status_code, 403)
            self.assertNotContains(
                self.client.get(reverse("talent-demand-report-list")), self.create_url
            )
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("talent-demand-report-list")), self.create_url)

    def test_a_draft_is_saved_with_its_rows_then_published(self):
        response = self.client.post(self.create_url, form_data(association=self.association.pk))
        report = TalentDemandReport.objects.get()
        self.assertRedirects(response, report.get_absolute_url())
        self.assertEqual(
            sorted(report.rows.values_list("specialty", "year", "people", "note")),
            [
                ("CNC machining", 2027, 120, ""),
                ("CNC machining", 2028, 150, "a new plant"),
                ("Industrial robotics", 2029, 45, ""),
            ],
        )
        page = self.client.get(report.get_absolute_url())
        self.assertContains(page, 'data-testid="demand-table"')
        self.assertContains(page, "a new plant")
        publish = reverse("talent-demand-report-publish", args=[report.pk])
        self.client.post(publish)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.PUBLISHED)

    def test_the_edit_form_shows_the_rows_and_replaces_them(self):
        report = make_report(self.association, rows=[("Welding", 2027, 30)])
        edit = reverse("talent-demand-report-edit", args=[report.pk])
        self.assertContains(self.client.get(edit), "Welding, 2027, 30")
        response = self.client.post(edit, form_data(rows="Painting, 2028, 7"))
        self.assertRedirects(response, report.get_absolute_url())
        self.assertEqual(list(report.rows.values_list("specialty", "people")), [("Painting", 7)])

    def test_publishing_without_rows_says_why(self):
        report = make_report(self.association, rows=[])
        publish = reverse("talent-demand-report-publish", args=[report.pk])
        self.assertContains(self.client.post(publish, follow=True), "at least one specialty")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)

    def test_a_viewer_may_not_publish_and_an_outsider_does_not_see_the_draft(self):
        report = make_report(self.association)
        publish = reverse("talent-demand-report-publish", args=[report.pk])
        self.client.force_login(self.victor)
        self.assertEqual(self.client.post(publish).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(publish).status_code, 404)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)


class TestRowErrorsNextToTheField(DemandPeople, TestCase):
    """Every mistake in the textarea is a 200 with the line named under the field, and
    nothing saved."""

    def setUp(self):
        self.client.force_login(self.alice)
        self.url = reverse("talent-demand-report-create")

    def post(self, **overrides):
        response = self.client.post(
            self.url, form_data(association=self.association.pk, **overrides)
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(TalentDemandReport.objects.exists())
        return response

    def assert_row_error(self, rows: str, message: str):
        response = self.post(rows=rows)
        self.assertContains(response, 'id="id_rows_errors"')
        errors = response.context["form"].errors["rows"]
        self.assertTrue(any(message in error for error in errors), errors)

    def test_too_many_rows(self):
        lines = "\n".join(f"{s}, {y}, {p}" for s, y, p in many_rows(MAX_DEMAND_ROWS + 1))
        self.assert_row_error(lines, "At most 200 rows in a report; this has 201.")

    def test_a_year_outside_the_reports_years_names_its_line(self):
        self.assert_row_error(
            "Welding, 2027, 3\n\nWelding, 2031, 4",
            "Line 3: 2031 is outside the report's years (2027–2029).",
        )

    def test_duplicates(self):
        self.assert_row_error(
            "Welding, 2027, 3\n\nwelding，2027，4",
            "Line 3: welding in 2027 is given twice (first on line 1).",
        )

    def test_wild_numbers(self):
        for line in (
            "Welding, 2027, 0",
            "Welding, 2027, -5",
            "Welding, 2027, 99999999999999999999999999",
            "Welding, 2027, 1e6",
            "Welding, 2027, 2.5",
            "Welding, 2027, 1000001",
        ):
            with self.subTest(line):
                self.assert_row_error(line, "Line 1: give the number of people")
        self.assert_row_error("Welding, 20x7, 5", "Line 1: give the year as a whole number")
        self.assert_row_error("Welding, 9999999999999, 5", "Line 1:")

    def test_a_line_with_too_few_cells(self):
        self.assert_row_error("Welding 2027 5", "Line 1:")

    def test_years_in_the_wrong_order_or_too_many(self):
        response = self.post(first_year="2029", last_year="2027")
        self.assertIn("last_year", response.context["form"].errors)
        response = self.post(first_year="2027", last_year="2040")
        self.assertIn("at most 10 years", str(response.context["form"].errors["last_year"]))
        response = self.post(first_year="99999999999999999999")
        self.assertIn("first_year", response.context["form"].errors)

    def test_an_overlong_textarea(self):
        response = self.post(rows="x" * (MAX_DEMAND_ROWS * 400 + 1))
        self.assertIn("rows", response.context["form"].errors)

    def test_editing_a_draft_keeps_it_unchanged_on_errors(self):
        report = make_report(self.association, rows=[("Welding", 2027, 30)])
        edit = reverse("talent-demand-report-edit", args=[report.pk])
        response = self.client.post(edit, form_data(rows="Welding, 2030, 5", title="Changed"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Line 1: 2030 is outside")
        report.refresh_from_db()
        self.assertEqual(report.title, "Manufacturing talent demand 2027–2029")
        self.assertEqual(list(report.rows.values_list("year", flat=True)), [2027])


class TestUserTextIsEscaped(DemandPeople, TestCase):
    def test_title_summary_specialties_and_notes(self):
        evil = "<script>alert(1)</script>"
        report = make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            title=f"Demand {evil}",
            summary=evil,
            rows=[(evil, 2027, 5)],
        )
        report.rows.update(note=evil)
        self.client.force_login(self.charlie)
        for url in (
            report.get_absolute_url(),
            reverse("talent-demand-report-list"),
            reverse("search") + "?q=Demand",
        ):
            response = self.client.get(url)
            self.assertNotContains(response, evil)
            self.assertContains(response, "&lt;script&gt;")


class TestCsvExport(DemandPeople, TestCase):
    def test_the_list_exports_its_columns_with_totals(self):
        make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            rows=[("Welding", 2027, 30), ("CNC", 2028, 12)],
            title="=HYPERLINK(1)",
        )
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("talent-demand-report-list") + "?export=csv")
        text = response.content.decode("utf-8-sig")
        header, row = text.splitlines()[:2]
        self.assertEqual(
            header,
            "id,title,association,industry,region,first_year,last_year,total_people,"
            "status,published_at,updated_at",
        )
        self.assertIn("'=HYPERLINK(1)", row)
        self.assertIn(",2027,2029,42,Published,", row)


class TestTheChart(DemandPeople, TestCase):
    def test_a_bar_per_specialty_of_its_total_most_needed_first(self):
        report = make_report(
            self.association,
            rows=[("Welding", 2027, 30), ("CNC", 2027, 50), ("CNC", 2028, 10), ("Paint", 2029, 5)],
        )
        chart = demand_chart(report, service.demand_table(report, report.rows.all()))
        self.assertEqual(chart["kind"], "bar")
        self.assertEqual(chart["labels"], ["CNC", "Welding", "Paint"])
        self.assertEqual(chart["values"], [60, 30, 5])
        self.assertEqual(chart["rows"], [("CNC", 60), ("Welding", 30), ("Paint", 5)])
        self.assertEqual(chart["element_id"], f"chart-demand-report-{report.pk}")

    def test_beyond_the_most_needed_the_rest_are_one_bar(self):
        rows = [(f"S{index:02d}", 2027, 100 - index) for index in range(CHART_SPECIALTIES + 3)]
        report = make_report(self.association, rows=rows)
        chart = demand_chart(report, service.demand_table(report, report.rows.all()))
        self.assertEqual(len(chart["labels"]), CHART_SPECIALTIES + 1)
        self.assertEqual(chart["labels"][-1], "3 other specialties")
        self.assertEqual(
            chart["values"][-1],
            sum(100 - i for i in range(CHART_SPECIALTIES, CHART_SPECIALTIES + 3)),
        )

    def test_the_page_draws_it_with_a_table_for_screen_readers(self):
        report = make_report(self.association, rows=[("Welding", 2027, 30)])
        self.client.force_login(self.alice)
        response = self.client.get(report.get_absolute_url())
        self.assertContains(response, f'data-chart="chart-demand-report-{report.pk}"')
        self.assertContains(response, f'id="chart-demand-report-{report.pk}"')
        self.assertContains(response, '<table class="visually-hidden">')
        self.assertContains(response, "vendor/chartjs/chart.umd.min.js")
        empty = make_report(self.association, rows=[])
        response = self.client.get(empty.get_absolute_url())
        self.assertNotContains(response, "chart.umd.min.js")


class TestPageQueries(DemandPeople, TestCase):
    def test_the_list_runs_as_many_queries_for_1_report_as_for_50(self):
        make_report(self.association, status=ReportStatus.PUBLISHED)
        self.client.force_login(self.charlie)

        def add(count):
            for index in range(count):
                make_report(
                    self.association,
                    status=ReportStatus.PUBLISHED,
                    rows=many_rows(1 + index % 4),
                    title=f"Report {index}",
                )

        url = reverse("talent-demand-report-list")
        assert_constant_queries(self, lambda: self.client.get(url), add)
        assert_constant_queries(self, lambda: self.client.get(url + "?export=csv"), add)

    def test_the_report_page_runs_as_many_queries_for_1_row_as_for_200(self):
        report = make_report(self.association, status=ReportStatus.PUBLISHED, rows=many_rows(1))
        self.client.force_login(self.alice)

        def add(count):
            for specialty, year, people in many_rows(count + 1)[1:]:
                report.rows.create(specialty=specialty, year=year, people=people)

        url = report.get_absolute_url()
        assert_constant_queries(self, lambda: self.client.get(url), add, rows=MAX_DEMAND_ROWS)


class TestAttachments(DemandPeople, TestCase):
    """Files of a draft are the association's to add; a published report's stay as they
    were, like the report."""

    def upload(self, report):
        return self.client.post(
            reverse("attachment-upload", args=["associations.talentdemandreport", report.pk]),
            {"file": SimpleUploadedFile("survey.pdf", PDF), "description": "Survey"},
        )

    def test_a_draft_takes_files_and_a_published_report_does_not(self):
        draft = make_report(self.association)
        published = make_report(self.association, status=ReportStatus.PUBLISHED)
        self.client.force_login(self.alice)
        self.assertEqual(self.upload(draft).status_code, 302)
        self.assertContains(
            self.client.get(draft.get_absolute_url() + "?tab=attachments"), "survey.pdf"
        )
        self.assertEqual(self.upload(published).status_code, 403)
        self.client.force_login(self.victor)
        self.assertEqual(self.upload(draft).status_code, 403)
