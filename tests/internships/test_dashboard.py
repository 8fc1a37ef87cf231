"""The internships dashboard: what enterprise HR, a college and government see, each in
a constant number of queries however many rows there are."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationKind, Role, User
from internships import dashboard as panels
from internships.models import Evaluation, EvaluatorRole, Nomination, NominationStatus, Placement
from portal import dashboard
from tests.factories import OrganizationFactory, member
from tests.people import People

from .helpers import make_base, make_nomination, make_placement, satisfy_gates
from .students import make_student

N = NominationStatus
TODAY = timezone.localdate()


def evaluate(nomination, role, **fields):
    scores = {"attendance": 4, "skills": 4, "attitude": 5, "safety": 5, **fields}
    return Evaluation.objects.create(
        nomination=nomination, role=role, evaluator_name="Zhou Min", **scores
    )


def labels(items) -> list[str]:
    return [item.label for item in items]


def figures(user) -> dict[str, object]:
    return {figure.label: figure.value for figure in dashboard.registry.collect("figures", user)}


class DashboardCase(People, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        cls.hr = member(cls.host, Role.STAFF, "hx_hr")
        cls.hr_viewer = member(cls.host, Role.VIEWER, "hx_viewer")
        cls.other_host = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Lanting")
        cls.other_hr = member(cls.other_host, Role.ADMIN, "lt_hr")

    def fresh(self, user) -> User:
        """The user as a new request loads it (no cached memberships)."""
        return User.objects.get(pk=user.pk)

    def placement(self, title="CNC operator", *, starts_in=30, lasts=120, **fields):
        start = TODAY + timedelta(days=starts_in)
        return make_placement(
            self.host,
            self.college,
            status="published",
            title=title,
            start_date=start,
            end_date=start + timedelta(days=lasts),
            **fields,
        )


class TestEnterpriseHR(DashboardCase):
    def test_hr_sees_nominations_to_answer_one_line_per_placement(self):
        placement = self.placement(slots=5)
        for number, status in [("S1", N.NOMINATED), ("S2", N.NOMINATED), ("S3", N.SHORTLISTED)]:
            make_nomination(placement, make_student(self.college, number), status)
        make_nomination(placement, make_student(self.college, "S4"), N.OFFERED)
        self.assertEqual(
            labels(panels.nominations_to_answer(self.fresh(self.hr))),
            ["Answer 3 nominations for “CNC operator”"],
        )
        for outsider in (self.other_hr, self.hr_viewer, self.alice, self.olivia):
            self.assertEqual(panels.nominations_to_answer(self.fresh(outsider)), [], outsider)

    def test_hr_sees_slots_filled_and_interns_on_site(self):
        placement = self.placement(slots=5)
        make_nomination(placement, make_student(self.college, "S1"), N.ACCEPTED)
        make_nomination(placement, make_student(self.college, "S2"), N.STARTED)
        shown = figures(self.fresh(self.hr))
        self.assertEqual(shown["Slots filled in your open placements"], "2 / 5")
        self.assertEqual(shown["Interns on site"], 1)
        self.assertEqual(
            figures(self.fresh(self.other_hr))["Slots filled in your open placements"], "0 / 0"
        )
        self.assertNotIn("Slots filled in your open placements", figures(self.fresh(self.alice)))

    def test_hr_sees_placements_with_compliance_warnings(self):
        warned = self.placement("Night-free CNC")
        warned.compliance_warnings = [{"code": "above_10_percent_of_staff"}]
        warned.save()
        self.placement("Clean placement")
        self.assertEqual(
            labels(panels.placements_with_warnings(self.fresh(self.hr))),
            ["“Night-free CNC” has 1 compliance warning"],
        )
        self.assertEqual(panels.placements_with_warnings(self.fresh(self.other_hr)), [])

    def test_the_home_page_shows_hr_their_work(self):
        placement = self.placement()
        make_nomination(placement, make_student(self.college, "S1"))
        self.client.force_login(self.hr)
        page = self.client.get(reverse("home"))
        self.assertContains(page, "Answer 1 nomination for “CNC operator”")
        self.assertContains(page, "Interns on site")


class TestCollege(DashboardCase):
    def test_students_placed_and_not_count_enrolled_students_holding_a_placement(self):
        placement = self.placement(slots=5)
        make_nomination(placement, make_student(self.college, "S1"), N.ACCEPTED)
        make_nomination(placement, make_student(self.college, "S2"), N.STARTED)
        make_nomination(placement, make_student(self.college, "S3"), N.NOMINATED)
        make_nomination(placement, make_student(self.college, "S4"), N.COMPLETED)
        make_student(self.college, "S5", status="graduated")
        make_student(self.other_college, "E1")
        for person in (self.alice, self.victor):
            shown = figures(self.fresh(person))
            self.assertEqual((shown["Students placed"], shown["Students not placed"]), (2, 2))
        shown = figures(self.fresh(self.charlie))
        self.assertEqual((shown["Students placed"], shown["Students not placed"]), (0, 1))
        self.assertNotIn("Students placed", figures(self.fresh(self.hr)))

    def test_offers_wait_for_the_students_answer(self):
        placement = self.placement()
        make_nomination(placement, make_student(self.college, "S1", name="Wang Wei"), N.OFFERED)
        make_nomination(placement, make_student(self.college, "S2"), N.SHORTLISTED)
        self.assertEqual(
            labels(panels.offers_awaiting_answer(self.fresh(self.bob))),
            ["Record Wang Wei's answer to the offer of “CNC operator”"],
        )
        self.assertEqual(panels.offers_awaiting_answer(self.fresh(self.charlie)), [])
        self.assertEqual(panels.offers_awaiting_answer(self.fresh(self.hr)), [])

    def test_gates_missing_within_a_week_of_the_start(self):
        soon = self.placement("Starts soon", starts_in=3)
        later = self.placement("Starts later", starts_in=20)
        missing = make_nomination(soon, make_student(self.college, "S1", name="Li Na"), N.ACCEPTED)
        missing.tracking_teacher_name = "Zhou Min"
        missing.save()
        satisfy_gates(make_nomination(soon, make_student(self.college, "S2"), N.ACCEPTED))
        make_nomination(later, make_student(self.college, "S3"), N.ACCEPTED)
        items = panels.gates_missing_before_start(self.fresh(self.alice))
        self.assertEqual(
            labels(items),
            [
                "Gates missing for Li Na at “Starts soon”: tripartite agreement signed, "
                "tripartite agreement scan, liability insurance, enterprise guide"
            ],
        )
        self.assertEqual(items[0].due, soon.start_date)
        self.assertEqual(panels.gates_missing_before_start(self.fresh(self.charlie)), [])

    def test_teacher_evaluations_due_as_the_internship_ends(self):
        base = make_base(self.host, self.college)
        ending = self.placement("Ending", starts_in=-60, lasts=63, practice_base=base)
        running = self.placement("Running", starts_in=-10, lasts=60)
        owed = make_nomination(ending, make_student(self.college, "S1", name="Li Na"), N.STARTED)
        evaluate(owed, EvaluatorRole.GUIDE)
        unrated = make_nomination(
            ending, make_student(self.college, "S2", name="Wu Lei"), N.STARTED
        )
        evaluate(unrated, EvaluatorRole.TEACHER)  # the practice base is not rated
        done = make_nomination(ending, make_student(self.college, "S3"), N.STARTED)
        evaluate(done, EvaluatorRole.TEACHER, base_safety=5, base_guidance=4, base_conditions=4)
        make_nomination(running, make_student(self.college, "S4"), N.STARTED)
        self.assertEqual(
            labels(panels.teacher_evaluations_due(self.fresh(self.alice))),
            [
                "Record the tracking teacher's evaluation of Li Na at “Ending”",
                "Record the tracking teacher's evaluation of Wu Lei at “Ending”",
            ],
        )
        self.assertEqual(panels.teacher_evaluations_due(self.fresh(self.hr)), [])


class TestGovernment(DashboardCase):
    def test_government_sees_warnings_and_breaches(self):
        warned = self.placement("Warned", slots=1)
        warned.compliance_warnings = [{"code": "longer_than_six_months"}]
        warned.save()
        running = self.placement("Running", starts_in=-10, slots=3)
        make_nomination(running, make_student(self.college, "S3"), N.STARTED)  # no gates
        satisfy_gates(make_nomination(running, make_student(self.college, "S4"), N.ACCEPTED))
        Nomination.objects.filter(student__student_number="S4").update(status=N.STARTED)
        shown = figures(self.fresh(self.olivia))
        self.assertEqual(shown["Interns on site"], 2)
        self.assertEqual(shown["Open placements with compliance warnings"], 1)
        self.assertEqual(shown["Breaches: interns started with gates missing"], 1)
        breach = "Breaches: interns started with gates missing"
        self.assertNotIn(breach, figures(self.fresh(self.alice)))
        self.assertNotIn(breach, figures(self.fresh(self.hr)))

    def test_the_breach_count_tests_every_recorded_gate(self):
        running = self.placement("Running", starts_in=-10, slots=9)
        for index, change in enumerate(
            [
                {"tripartite_scan": None},
                {"insurer": ""},
                {"policy_end": running.end_date - timedelta(days=1)},
                {"tracking_teacher_name": ""},
                {"guide_name": ""},
            ]
        ):
            nomination = satisfy_gates(
                make_nomination(running, make_student(self.college, f"B{index}"), N.ACCEPTED)
            )
            Nomination.objects.filter(pk=nomination.pk).update(status=N.STARTED, **change)
        complete = satisfy_gates(
            make_nomination(running, make_student(self.college, "OK"), N.ACCEPTED)
        )
        Nomination.objects.filter(pk=complete.pk).update(status=N.STARTED)
        Placement.objects.filter(pk=running.pk).update(guide_name="")
        shown = figures(self.fresh(self.olivia))
        self.assertEqual(shown["Breaches: interns started with gates missing"], 5)

    def test_government_sees_placements_and_interns_by_type_and_city(self):
        self.placement("Hangzhou CNC", slots=3)
        observation = self.placement(
            "Ningbo observation", internship_type="observation", city="Ningbo", starts_in=-2
        )
        make_nomination(observation, make_student(self.college, "S1"), N.STARTED)
        charts = {chart.key: chart for chart in panels.placements_and_interns_charts(self.olivia)}
        by_type = charts["placements-by-internship-type"]
        self.assertEqual(
            by_type.labels,
            ["Observation internship (认识实习)", "On-the-job internship (岗位实习)"],
        )
        self.assertEqual(by_type.values, [1, 1])
        self.assertEqual(charts["interns-by-internship-type"].values, [1, 0])
        self.assertEqual(charts["placements-by-city"].labels, ["Hangzhou", "Ningbo"])
        self.assertEqual(
            (charts["interns-by-city"].labels, charts["interns-by-city"].values), (["Ningbo"], [1])
        )
        self.assertEqual(panels.placements_and_interns_charts(self.fresh(self.alice)), [])

    def test_small_cities_are_summed_as_other_cities(self):
        for index in range(panels.CHART_CITIES + 2):
            self.placement(f"P{index}", city=f"City {index:02d}")
        charts = {chart.key: chart for chart in panels.placements_and_interns_charts(self.olivia)}
        chart = charts["placements-by-city"]
        self.assertEqual(len(chart.labels), panels.CHART_CITIES + 1)
        self.assertEqual((chart.labels[-1], chart.values[-1]), ("Other cities", 2))

    def test_the_home_page_draws_the_charts(self):
        self.placement()
        self.client.force_login(self.olivia)
        page = self.client.get(reverse("home"))
        self.assertContains(page, 'data-chart="chart-placements-by-internship-type"')
        self.assertContains(page, "Breaches: interns started with gates missing")


class TestQueryCounts(DashboardCase):
    """The home page runs as many queries for 20 rows of each kind as for 1."""

    def add_rows(self, start: int, count: int) -> None:
        for index in range(start, start + count):
            soon = self.placement(f"Soon {index}", starts_in=3, slots=5)
            ending = self.placement(f"Ending {index}", starts_in=-60, lasts=62, slots=5)
            ending.compliance_warnings = [{"code": "longer_than_six_months"}]
            ending.save()
            student = make_student(self.college, f"N{index:03d}", name=f"N{index}")
            make_nomination(soon, student, N.NOMINATED)
            make_nomination(soon, make_student(self.college, f"O{index:03d}"), N.OFFERED)
            make_nomination(soon, make_student(self.college, f"A{index:03d}"), N.ACCEPTED)
            started = make_nomination(
                ending, make_student(self.college, f"T{index:03d}"), N.STARTED
            )
            evaluate(started, EvaluatorRole.GUIDE)

    def home_queries(self, user) -> int:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        return len(captured)

    def test_each_side_runs_the_same_queries_for_1_and_for_20_rows(self):
        self.add_rows(0, 1)
        people = (self.hr, self.alice, self.olivia)
        one = [self.home_queries(person) for person in people]
        self.add_rows(1, 19)
        twenty = [self.home_queries(person) for person in people]
        self.assertEqual(one, twenty)
        # And the rows were there to be counted.
        self.assertEqual(len(panels.gates_missing_before_start(self.fresh(self.alice))), 20)
        self.assertEqual(len(panels.teacher_evaluations_due(self.fresh(self.alice))), 20)
        self.assertEqual(len(panels.nominations_to_answer(self.fresh(self.hr))), 20)


class TestCooperationTab(DashboardCase):
    def test_the_cooperation_tab_lists_the_bases_an_organization_hosts_or_uses(self):
        base = make_base(self.host, self.college)
        base.name = "Binjiang training base"
        base.save()
        elsewhere = make_base(self.other_host, self.other_college)
        elsewhere.name = "Lanting base"
        elsewhere.save()
        self.client.force_login(self.hr)
        host_page = reverse("organization-detail", args=[self.host.pk]) + "?tab=cooperation"
        self.assertContains(self.client.get(host_page), "Binjiang training base")
        self.client.force_login(self.alice)
        college_page = reverse("organization-detail", args=[self.college.pk]) + "?tab=cooperation"
        response = self.client.get(college_page)
        self.assertContains(response, "Binjiang training base")
        self.assertNotContains(response, "Lanting base")
