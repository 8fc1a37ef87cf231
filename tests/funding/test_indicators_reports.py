"""A program's performance indicators, set by its department while it is a draft or
open; progress reports giving every indicator's value and the spend per budget line;
the award tab charting them against the targets and the lines."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from funding import services
from funding.models import (
    FundProgram,
    IndicatorValue,
    PerformanceIndicator,
    ProgramStatus,
    ProgressReport,
    ReportSpend,
    ReportStatus,
)
from portal.workflow import InvalidTransition
from tests.factories import make_program, member
from tests.funding.payment_helpers import (
    approved_award,
    report_body,
    report_form,
    report_values,
)
from tests.funding.test_money import FundingCase
from tests.helpers import permissions

PERIOD = {"due_date": "2027-01-01", "period_start": "2026-06-01", "period_end": "2026-12-31"}


def indicator(program, name="Students placed", unit="students", target="40", order=0):
    return PerformanceIndicator.objects.create(
        program=program, name=name, unit=unit, target=Decimal(target), order=order
    )


class TestIndicatorService(FundingCase):
    def test_the_department_sets_indicators_while_draft_or_open(self):
        draft = make_program(self.bureau, status="draft")
        added = services.indicator_add(
            actor=self.olivia, program=draft, name=" Teachers trained ", unit="people", target=12
        )
        self.assertEqual((added.name, added.order), ("Teachers trained", 0))
        second = services.indicator_add(
            actor=self.olivia, program=draft, name="Labs", unit="labs", target=1
        )
        self.assertEqual(second.order, 1)
        services.indicator_update(actor=self.gary, indicator=second, target=Decimal("2"))
        second.refresh_from_db()
        self.assertEqual(second.target, Decimal("2.00"))
        for outsider in (self.alice, self.charlie):
            with self.assertRaises(PermissionDenied):
                services.indicator_add(
                    actor=outsider, program=draft, name="Mine", unit="x", target=1
                )
        FundProgram.objects.filter(pk=draft.pk).update(status=ProgramStatus.CLOSED)
        with self.assertRaisesMessage(InvalidTransition, "draft or open"):
            services.indicator_add(
                actor=self.olivia, program=draft, name="Late", unit="x", target=1
            )
        with self.assertRaises(InvalidTransition):
            services.indicator_remove(actor=self.olivia, indicator=added)

    def test_limits(self):
        program = make_program(self.bureau)
        for bad in (
            {"name": "", "unit": "x", "target": 1},
            {"name": "A", "unit": "x" * 51, "target": 1},
            {"name": "A", "unit": "x", "target": Decimal("-1")},
        ):
            with self.subTest(bad), self.assertRaises(ValidationError):
                services.indicator_add(actor=self.olivia, program=program, **bad)
        for index in range(20):
            indicator(program, name=f"Indicator {index}", order=index)
        with self.assertRaisesMessage(ValidationError, "at most 20"):
            services.indicator_add(
                actor=self.olivia, program=program, name="21", unit="x", target=1
            )

    def test_an_indicator_with_reported_values_stays(self):
        award = approved_award(self)
        measured = indicator(award.program)
        report = services.report_schedule(actor=self.olivia, award=award, **PERIOD)
        services.report_submit(
            actor=self.alice, report=report, narrative="Done.", **report_values(report)
        )
        with self.assertRaisesMessage(ValidationError, "stays"):
            services.indicator_remove(actor=self.olivia, indicator=measured)
        spare = indicator(award.program, name="Spare")
        services.indicator_remove(actor=self.olivia, indicator=spare)
        self.assertFalse(PerformanceIndicator.objects.filter(pk=spare.pk).exists())


class TestReportSubmission(FundingCase):
    def setUp(self):
        self.award = approved_award(self, requested="100000.00")
        self.placed = indicator(self.award.program)
        self.trained = indicator(
            self.award.program, name="Teachers trained", unit="people", target="10", order=1
        )
        self.report = services.report_schedule(actor=self.olivia, award=self.award, **PERIOD)
        self.lines = list(self.award.application.budget_lines.order_by("pk"))

    def submit(self, **kwargs):
        arguments = {"narrative": "Forty placed.", **report_values(self.report)} | kwargs
        return services.report_submit(actor=self.alice, report=self.report, **arguments)

    def test_every_indicator_and_every_budget_line_is_required(self):
        values = report_values(self.report)
        cases = [
            ({"indicator_values": values["indicator_values"][:1]}, "indicator_values"),
            ({"indicator_values": [*values["indicator_values"], (10**9, 1)]}, "indicator_values"),
            (
                {"indicator_values": [values["indicator_values"][0]] * 2},
                "indicator_values",
            ),
            (
                {"indicator_values": [(self.placed.pk, -1), (self.trained.pk, 1)]},
                "indicator_values",
            ),
            (
                {"indicator_values": [(self.placed.pk, "1.001"), (self.trained.pk, 1)]},
                "indicator_values",
            ),
            ({"spend": values["spend"][:1]}, "spend"),
            ({"spend": [(self.lines[0].pk, -5), (self.lines[1].pk, 5)]}, "spend"),
            ({"spend": [(self.lines[0].pk, 99000), (self.lines[1].pk, 2000)]}, "spend"),
            ({"narrative": " "}, "narrative"),
        ]
        for arguments, field in cases:
            with self.subTest(arguments), self.assertRaises(ValidationError) as caught:
                self.submit(**arguments)
            self.assertIn(field, caught.exception.message_dict)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DUE)
        self.assertFalse(IndicatorValue.objects.exists())

    def test_the_values_are_kept_and_the_spend_adds_up(self):
        self.submit(
            indicator_values=[(self.placed.pk, "12.5"), (self.trained.pk, 3)],
            spend=[(self.lines[0].pk, "20000"), (self.lines[1].pk, "5000.50")],
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.spent_to_date, Decimal("25000.50"))
        self.assertEqual(
            dict(self.report.indicator_values.values_list("indicator__name", "value")),
            {"Students placed": Decimal("12.50"), "Teachers trained": Decimal("3.00")},
        )
        spend = list(self.report.spend.order_by("pk").values_list("description", "amount"))
        self.assertEqual(
            spend, [("Robot arms", Decimal("20000")), ("Trainers", Decimal("5000.50"))]
        )

    def test_resubmitting_a_returned_report_replaces_its_values(self):
        self.submit()
        services.report_return(actor=self.olivia, report=self.report, comment="Count again.")
        self.submit(indicator_values=[(self.placed.pk, 30), (self.trained.pk, 8)])
        self.assertEqual(IndicatorValue.objects.count(), 2)
        self.assertEqual(ReportSpend.objects.count(), 2)
        self.assertEqual(IndicatorValue.objects.get(indicator=self.placed).value, Decimal("30.00"))

    def test_the_page_form_asks_for_each_indicator_and_line(self):
        url = reverse("fund-report-submit", args=[self.report.pk])
        self.client.force_login(self.bob)
        tab = self.client.get(self.award.get_absolute_url())
        prefix = f"report-{self.report.pk}"
        self.assertContains(tab, f'name="{prefix}-indicator_{self.placed.pk}"')
        self.assertContains(tab, "Students placed (students)")
        self.assertContains(tab, f'name="{prefix}-spend_{self.lines[0].pk}"')
        data = report_form(self.report)
        del data[f"{prefix}-indicator_{self.trained.pk}"]
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Teachers trained (people): This field is required.")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DUE)
        self.client.post(url, report_form(self.report, value="12", spent="1000"))
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.status, self.report.spent_to_date),
            (ReportStatus.SUBMITTED, Decimal("2000.00")),
        )

    def test_only_the_awardee_submits_through_the_page(self):
        url = reverse("fund-report-submit", args=[self.report.pk])
        data = report_form(self.report)
        self.assertTrue(self.client.post(url, data)["Location"].startswith(reverse("login")))
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(url, data).status_code, 404)
        for name in ("victor", "olivia"):
            self.client.force_login(getattr(self, name))
            self.assertEqual(self.client.post(url, data).status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DUE)

    def test_the_api_needs_every_indicator(self):
        api = APIClient()
        api.force_authenticate(self.bob)
        url = reverse("api:progress-report-submit", args=[self.report.pk])
        body = report_body(self.report)
        response = api.post(
            url, {**body, "indicator_values": body["indicator_values"][:1]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Teachers trained", str(response.json()["indicator_values"]))
        response = api.post(url, {**body, "indicator_values": [{"indicator": "x"}]}, format="json")
        self.assertEqual(response.status_code, 400)
        response = api.post(
            url, {**body, "spend": [{"budget_line": 1, "amount": "-1"}]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        response = api.post(
            url, {**body, "indicator_values": [body["indicator_values"][0]] * 21}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        response = api.post(url, body, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        result = response.json()
        self.assertEqual(result["spent_to_date"], "200.00")
        self.assertEqual(
            [(row["name"], row["value"], row["target"]) for row in result["indicator_values"]],
            [("Students placed", "10.00", "40.00"), ("Teachers trained", "10.00", "10.00")],
        )
        self.assertEqual(
            [row["description"] for row in result["spend"]], ["Robot arms", "Trainers"]
        )

    def test_the_award_tab_charts_indicators_and_spend(self):
        self.submit(
            indicator_values=[(self.placed.pk, 10), (self.trained.pk, 12)],
            spend=[(self.lines[0].pk, 25000), (self.lines[1].pk, 60000)],
        )
        progress = services.indicator_progress(self.award)
        self.assertEqual(
            [(row.indicator.name, row.value, row.percent, row.reached) for row in progress],
            [
                ("Students placed", Decimal("10.00"), 25, False),
                ("Teachers trained", Decimal("12.00"), 100, True),
            ],
        )
        self.client.force_login(self.victor)
        tab = self.client.get(self.award.get_absolute_url())
        self.assertContains(tab, 'aria-valuetext="10.00 of the 40.00 students targeted"')
        self.assertContains(tab, 'aria-valuenow="25"')
        self.assertContains(tab, 'aria-valuetext="25000.00 of 50000.00 yuan spent"')
        # The trainers: 60,000 spent of 50,000.
        self.assertContains(tab, "More than the line's budget")


class TestIndicatorPages(FundingCase):
    def test_the_program_page_lists_and_the_department_adds_and_removes(self):
        program = make_program(self.bureau)
        indicator(program, name="Students placed")
        self.client.force_login(self.alice)
        page = self.client.get(program.get_absolute_url())
        self.assertContains(page, "Students placed")
        self.assertNotContains(page, reverse("fund-indicator-add", args=[program.pk]))
        url = reverse("fund-indicator-add", args=[program.pk])
        data = {"indicator-name": "Labs built", "indicator-unit": "labs", "indicator-target": "2"}
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.client.force_login(member(self.bureau, Role.VIEWER, "vera"))  # the bureau's viewer
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertNotContains(self.client.get(program.get_absolute_url()), url)
        self.client.force_login(self.olivia)
        self.assertContains(self.client.get(program.get_absolute_url()), url)
        self.client.post(url, data)
        added = PerformanceIndicator.objects.get(name="Labs built")
        response = self.client.post(url, {**data, "indicator-target": "-1"}, follow=True)
        self.assertContains(response, "Target:")
        remove = reverse("fund-indicator-remove", args=[added.pk])
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.client.force_login(self.olivia)
        self.client.post(remove)
        self.assertFalse(PerformanceIndicator.objects.filter(pk=added.pk).exists())

    def test_a_draft_programs_indicators_are_its_departments(self):
        draft = make_program(self.bureau, status="draft")
        url = reverse("fund-indicator-add", args=[draft.pk])
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 302)
        self.assertFalse(PerformanceIndicator.objects.exists())


class TestPerformanceIndicatorApi(permissions.ApiPermissionCases):
    """A draft program's indicators: its department's (olivia changes them, a viewer of
    the bureau reads them); nobody else sees them."""

    basename = "performance-indicator"
    member_name = "olivia"
    creator_name = "olivia"
    government_writes = True
    can_delete = True

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.victor = member(cls.bureau, Role.VIEWER, "vera")  # the owner's viewer

    def make_record(self):
        self.program = make_program(self.bureau, status="draft")
        return indicator(self.program)

    def create_data(self):
        return {"program": self.program.pk, "name": "Labs built", "unit": "labs", "target": "2"}

    def update_data(self):
        return {"target": "45.50"}

    def test_an_open_programs_indicators_are_read_by_all_and_changed_by_its_department(self):
        open_program = make_program(self.bureau)
        record = indicator(open_program)
        url = self.detail_url(record)
        self.as_user("charlie")
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.patch(url, {"target": "1"}).status_code, 403)
        self.assertEqual(self.client.delete(url).status_code, 403)
        listed = self.client.get(self.list_url(), {"program": open_program.pk}).json()
        self.assertEqual([row["id"] for row in listed["results"]], [record.pk])
        response = self.client.post(
            self.list_url(), {**self.create_data(), "program": open_program.pk}
        )
        self.assertEqual(response.status_code, 403)

    def test_bad_input_is_a_field_error_and_the_program_cannot_move(self):
        self.as_user("olivia")
        for bad in ({"target": "-1"}, {"unit": "x" * 51}, {"name": ""}):
            response = self.client.post(self.list_url(), {**self.create_data(), **bad})
            self.assertEqual(response.status_code, 400, bad)
        other = make_program(self.bureau, status="draft")
        response = self.client.patch(self.detail_url(), {"program": other.pk})
        self.assertEqual(response.status_code, 200)
        self.record.refresh_from_db()
        self.assertEqual(self.record.program_id, self.program.pk)
        self.assertEqual(self.client.put(self.detail_url(), self.create_data()).status_code, 405)

    def test_a_closed_programs_indicators_are_fixed(self):
        FundProgram.objects.filter(pk=self.program.pk).update(status=ProgramStatus.CLOSED)
        self.as_user("olivia")
        self.assertEqual(self.client.patch(self.detail_url(), self.update_data()).status_code, 409)
        self.assertEqual(self.client.delete(self.detail_url()).status_code, 409)
        self.assertEqual(self.client.post(self.list_url(), self.create_data()).status_code, 409)

    def test_one_with_values_is_not_deleted(self):
        FundProgram.objects.filter(pk=self.program.pk).update(status=ProgramStatus.OPEN)
        award = approved_award(self.with_rita(), program=self.program)
        report = services.report_schedule(actor=self.olivia, award=award, **PERIOD)
        services.report_submit(
            actor=self.alice, report=report, narrative="Done.", **report_values(report)
        )
        self.as_user("olivia")
        response = self.client.delete(self.detail_url())
        self.assertEqual(response.status_code, 400)
        self.assertTrue(ProgressReport.objects.filter(pk=report.pk).exists())

    def with_rita(self):
        self.rita = member(self.bureau, Role.STAFF, "rita")
        return self
