"""``talent-demand-reports/`` in the API: the shared permission cases for a draft (the
association's, read by government), published reports readable by everyone signed in
but changed by no one, nested rows validated into 400s (never 500s), 409 on a published
report, ``publish/``, the filters, totals and actions, and constant query counts."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APITestCase

from associations.models import MAX_DEMAND_ROWS, ReportStatus, TalentDemandReport
from tests.helpers import permissions
from tests.helpers.queries import assert_constant_queries

from .demand import DemandPeople, make_report, many_rows, row_dicts


def report_data(**overrides) -> dict:
    data = {
        "title": "Digital manufacturing demand",
        "industry": "Manufacturing",
        "region": "Hangzhou",
        "first_year": 2027,
        "last_year": 2029,
        "summary": "From a survey of 120 members.",
        "rows": [
            {"specialty": "CNC machining", "year": 2027, "people": 120},
            {"specialty": "Industrial robotics", "year": 2028, "people": 45, "note": "new line"},
        ],
    }
    data.update(overrides)
    return data


class TestDraftReportApi(DemandPeople, permissions.ApiPermissionCases):
    """A draft: the association's members read it (its admins and staff change it),
    government reads it, another organization does not see it at all."""

    basename = "talent-demand-report"

    def make_record(self):
        return make_report(self.association)

    def create_data(self):
        return report_data(association=self.association.pk)

    def update_data(self):
        return {"summary": "Revised after the spring survey."}


class TestPublishedReportsApi(DemandPeople, APITestCase):
    def setUp(self):
        self.report = make_report(self.association, status=ReportStatus.PUBLISHED)
        self.url = reverse("api:talent-demand-report-detail", args=[self.report.pk])

    def test_everyone_signed_in_reads_it(self):
        for user in (self.charlie, self.victor, self.olivia, self.alice):
            self.client.force_authenticate(user)
            self.assertEqual(self.client.get(self.url).status_code, 200, user.username)
            listed = self.client.get(reverse("api:talent-demand-report-list")).json()
            self.assertIn(self.report.pk, [row["id"] for row in listed["results"]])

    def test_anonymous_callers_get_401(self):
        self.assertEqual(self.client.get(self.url).status_code, 401)

    def test_outsiders_may_not_change_it_and_members_meet_a_409(self):
        for user in (self.charlie, self.olivia, self.victor):
            self.client.force_authenticate(user)
            self.assertEqual(self.client.patch(self.url, {"title": "X"}).status_code, 403)
        self.client.force_authenticate(self.alice)
        response = self.client.patch(self.url, {"title": "Corrected"})
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "invalid_transition")
        response = self.client.post(self.url + "publish/")
        self.assertEqual(response.status_code, 409)
        self.report.refresh_from_db()
        self.assertNotEqual(self.report.title, "Corrected")

    def test_its_actions_say_correct_for_the_association_only(self):
        self.client.force_authenticate(self.alice)
        self.assertEqual(self.client.get(self.url).json()["actions"], ["correct"])
        self.client.force_authenticate(self.charlie)
        self.assertEqual(self.client.get(self.url).json()["actions"], [])


class TestWritingReports(DemandPeople, APITestCase):
    def setUp(self):
        self.client.force_authenticate(self.alice)
        self.list_url = reverse("api:talent-demand-report-list")

    def create(self, **overrides):
        return self.client.post(self.list_url, report_data(**overrides), format="json")

    def test_created_with_its_rows_and_totals_then_published(self):
        # alice drafts for one association only: it need not be named.
        response = self.create()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["status"], "draft")
        self.assertEqual(body["association_name"], "Manufacturing Association")
        self.assertEqual(body["total_people"], 165)
        self.assertEqual(len(body["rows"]), 2)
        detail = self.client.get(body["url"]).json()
        self.assertEqual(detail["actions"], ["edit", "publish"])
        self.assertEqual(
            detail["totals_by_specialty"],
            [
                {"specialty": "CNC machining", "people": 120},
                {"specialty": "Industrial robotics", "people": 45},
            ],
        )
        self.assertEqual(
            detail["totals_by_year"],
            [
                {"year": 2027, "people": 120},
                {"year": 2028, "people": 45},
                {"year": 2029, "people": 0},
            ],
        )
        published = self.client.post(body["url"] + "publish/")
        self.assertEqual(published.status_code, 200, published.content)
        self.assertEqual(published.json()["status"], "published")
        self.assertEqual(published.json()["actions"], ["correct"])

    def test_a_patch_replaces_the_rows_as_a_whole(self):
        report = make_report(self.association, rows=[("Welding", 2027, 30), ("Painting", 2028, 9)])
        url = reverse("api:talent-demand-report-detail", args=[report.pk])
        response = self.client.patch(
            url, {"rows": [{"specialty": "Welding", "year": 2029, "people": 12}]}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            response.json()["rows"],
            [{"specialty": "Welding", "year": 2029, "people": 12, "note": ""}],
        )
        # Without rows, a PATCH keeps them.
        response = self.client.patch(url, {"title": "Renamed"}, format="json")
        self.assertEqual(len(response.json()["rows"]), 1)

    def test_bad_rows_are_400s_naming_them_and_change_nothing(self):
        report = make_report(self.association, rows=[("Welding", 2027, 30)])
        url = reverse("api:talent-demand-report-detail", args=[report.pk])
        cases = {
            "too many": row_dicts(many_rows(MAX_DEMAND_ROWS + 1)),
            "year outside": [{"specialty": "Welding", "year": 2035, "people": 3}],
            "duplicate": [
                {"specialty": "Welding", "year": 2027, "people": 3},
                {"specialty": "welding ", "year": 2027, "people": 4},
            ],
            "zero people": [{"specialty": "Welding", "year": 2027, "people": 0}],
            "huge people": [{"specialty": "Welding", "year": 2027, "people": 10**30}],
            "text people": [{"specialty": "Welding", "year": 2027, "people": "many"}],
            "wild year": [{"specialty": "Welding", "year": 99999999999, "people": 3}],
            "no specialty": [{"year": 2027, "people": 3}],
            "blank specialty": [{"specialty": "", "year": 2027, "people": 3}],
            "not a list": "Welding, 2027, 3",
            "a row not an object": ["Welding"],
        }
        for name, rows in cases.items():
            with self.subTest(name):
                response = self.client.patch(url, {"rows": rows}, format="json")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("rows", response.json())
        self.assertEqual(list(report.rows.values_list("specialty", "people")), [("Welding", 30)])

    def test_bad_terms_are_400s(self):
        for overrides, field in (
            ({"last_year": 2026}, "last_year"),
            ({"first_year": 2027, "last_year": 2040}, "last_year"),
            ({"first_year": 70000}, "first_year"),
            ({"title": "x" * 201}, "title"),
            ({"industry": ""}, "industry"),
        ):
            with self.subTest(overrides):
                response = self.create(**overrides)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())
        self.assertFalse(TalentDemandReport.objects.exists())

    def test_publishing_a_draft_without_rows_is_a_400(self):
        report = make_report(self.association, rows=[])
        url = reverse("api:talent-demand-report-publish", args=[report.pk])
        response = self.client.post(url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("rows", response.json())

    def test_someone_drafting_for_no_association_is_refused(self):
        self.client.force_authenticate(self.charlie)
        self.assertEqual(self.create().status_code, 400)
        self.assertEqual(self.create(association=self.association.pk).status_code, 403)

    def test_a_draft_of_another_association_is_hidden_from_the_publish_action(self):
        draft = make_report(self.association)
        self.client.force_authenticate(self.charlie)
        url = reverse("api:talent-demand-report-publish", args=[draft.pk])
        self.assertEqual(self.client.post(url).status_code, 404)


class TestFilteringReports(DemandPeople, APITestCase):
    def setUp(self):
        self.client.force_authenticate(self.charlie)
        self.welding = make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            rows=[("Welding", 2027, 10)],
            title="Welding",
        )
        self.software = make_report(
            self.association,
            status=ReportStatus.PUBLISHED,
            rows=[("Software testing", 2031, 40)],
            industry="Software",
            region="Ningbo",
            first_year=2030,
            last_year=2032,
            title="Software",
        )

    def ids(self, **query) -> list[int]:
        response = self.client.get(reverse("api:talent-demand-report-list"), query)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_by_association_industry_region_specialty_and_year(self):
        self.assertEqual(self.ids(industry="soft"), [self.software.pk])
        self.assertEqual(self.ids(region="ningbo"), [self.software.pk])
        self.assertEqual(self.ids(specialty="weld"), [self.welding.pk])
        self.assertEqual(self.ids(year=2031), [self.software.pk])
        self.assertEqual(self.ids(year=2028), [self.welding.pk])
        self.assertEqual(len(self.ids(association=self.association.pk)), 2)
        self.assertEqual(self.ids(ordering="total_people"), [self.welding.pk, self.software.pk])

    def test_updated_after_syncs_incrementally(self):
        TalentDemandReport.objects.filter(pk=self.welding.pk).update(
            updated_at=timezone.now() - timedelta(days=3)
        )
        since = (timezone.now() - timedelta(days=1)).isoformat()
        self.assertEqual(self.ids(updated_after=since), [self.software.pk])

    def test_wild_filter_values_are_400s(self):
        for query in ({"year": "99999999999999999999"}, {"year": "x"}, {"association": "-1"}):
            with self.subTest(query):
                response = self.client.get(reverse("api:talent-demand-report-list"), query)
                self.assertEqual(response.status_code, 400, response.content)


class TestApiQueries(DemandPeople, APITestCase):
    def test_the_list_runs_as_many_queries_for_1_report_as_for_50(self):
        make_report(self.association, status=ReportStatus.PUBLISHED, rows=many_rows(3))
        self.client.force_authenticate(self.charlie)

        def add(count):
            for index in range(count):
                make_report(
                    self.association,
                    status=ReportStatus.PUBLISHED,
                    rows=many_rows(3 + index % 5),
                    title=f"Report {index}",
                )

        assert_constant_queries(
            self, lambda: self.client.get(reverse("api:talent-demand-report-list")), add
        )

    def test_the_detail_runs_as_many_queries_for_1_row_as_for_200(self):
        report = make_report(self.association, rows=many_rows(1))
        self.client.force_authenticate(self.alice)
        url = reverse("api:talent-demand-report-detail", args=[report.pk])

        def add(count):
            report.rows.all().delete()
            make_rows = many_rows(count + 1)
            for specialty, year, people in make_rows:
                report.rows.create(specialty=specialty, year=year, people=people)

        assert_constant_queries(self, lambda: self.client.get(url), add, rows=MAX_DEMAND_ROWS)
