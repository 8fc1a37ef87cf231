"""Each teacher's days in enterprises over the last five years, and the specialty
teachers under 180 days: the selector, the college's dashboard, the page and the API.

The window is [today - 5 years, today]; a secondment counts, all its days, when it
started in the window."""

from datetime import date, timedelta
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from internships import services
from internships.dashboard import teachers_short_of_enterprise_days
from internships.models import Secondment
from tests.people import People

from .secondments import HostEnterprises, make_secondment

TODAY = date(2026, 6, 15)
SINCE = date(2021, 6, 15)  # five years back: the first day of the window


class DaysCase(HostEnterprises, People, TestCase):
    def spell(self, number, start, days, college=None, **fields):
        """A secondment of ``days`` days starting on ``start``, for teacher ``number``."""
        return make_secondment(
            college or self.college,
            self.host,
            teacher_number=number,
            teacher_name=fields.pop("teacher_name", f"Teacher {number}"),
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            days=days,
            **fields,
        )

    def days_of(self, today=TODAY) -> dict[str, int]:
        return {
            row.teacher_number: row.days for row in services.teacher_days([self.college.pk], today)
        }

    def short(self, today=TODAY) -> set[str]:
        return {
            row.teacher_number for row in services.teachers_short_of_days([self.college.pk], today)
        }


class TestCounting(DaysCase):
    def test_exactly_180_days_is_enough_and_179_is_not(self):
        self.spell("T180", date(2024, 1, 1), 90)
        self.spell("T180", date(2025, 1, 1), 90)
        self.spell("T179", date(2024, 1, 1), 90)
        self.spell("T179", date(2025, 1, 1), 89)
        self.assertEqual(self.days_of(), {"T179": 179, "T180": 180})
        self.assertEqual(self.short(), {"T179"})
        rows = {row.teacher_number: row for row in services.teacher_days([self.college.pk], TODAY)}
        self.assertFalse(rows["T180"].short_of_days)
        self.assertTrue(rows["T179"].short_of_days)
        self.assertEqual(rows["T179"].days_missing, 1)

    def test_a_secondment_started_five_years_and_a_day_ago_is_not_counted(self):
        self.spell("T1", SINCE - timedelta(days=1), 200)  # ran on into the window: not counted
        self.spell("T2", SINCE, 180)  # started on the window's first day: counted
        self.assertEqual(self.days_of(), {"T1": 0, "T2": 180})
        self.assertEqual(self.short(), {"T1"})

    def test_a_secondment_not_started_yet_is_not_counted(self):
        self.spell("T1", TODAY, 100)  # starts today: counted
        self.spell("T1", TODAY + timedelta(days=1), 100)
        self.assertEqual(self.days_of(), {"T1": 100})

    def test_a_teacher_who_is_no_specialty_teacher_is_never_flagged(self):
        self.spell("T1", date(2025, 1, 1), 10, specialty_teacher=False)
        self.assertEqual(self.days_of(), {"T1": 10})
        self.assertEqual(self.short(), set())
        row = services.teacher_days([self.college.pk], TODAY)[0]
        self.assertEqual((row.specialty_teacher, row.days_missing), (False, 0))

    def test_name_and_specialty_come_from_the_latest_secondment(self):
        self.spell("T1", date(2022, 1, 1), 10, teacher_name="Old Name", specialty_teacher=False)
        self.spell("T1", date(2025, 1, 1), 10, teacher_name="Chen Jing")
        row = services.teacher_days([self.college.pk], TODAY)[0]
        self.assertEqual(
            (row.teacher_name, row.specialty_teacher, row.days), ("Chen Jing", True, 20)
        )
        self.assertEqual(self.short(), {"T1"})

    def test_teachers_are_counted_per_college(self):
        self.spell("T1", date(2025, 1, 1), 100)
        self.spell("T1", date(2025, 1, 1), 100, college=self.other_college)
        self.assertEqual(self.days_of(), {"T1": 100})
        both = services.teacher_days([self.college.pk, self.other_college.pk], TODAY)
        self.assertEqual(
            [(row.college_name, row.days) for row in both],
            [("Eastlake College", 100), ("Riverside College", 100)],
        )
        self.assertEqual(services.teacher_days([], TODAY), [])

    def test_one_query_however_many_teachers(self):
        for index in range(30):
            self.spell(f"T{index:03d}", date(2024, 1, 1), 1 + index)
            self.spell(f"T{index:03d}", date(2019, 1, 1), 100)
        with self.assertNumQueries(1):
            rows = services.teacher_days([self.college.pk, self.other_college.pk], TODAY)
        self.assertEqual(len(rows), 30)
        with self.assertNumQueries(1):
            services.teachers_short_of_days([self.college.pk], TODAY)

    def test_the_window_of_a_29_february(self):
        self.assertEqual(
            services.secondment_window(date(2028, 2, 29)), (date(2023, 2, 28), date(2028, 2, 29))
        )
        self.assertEqual(services.secondment_window(TODAY), (SINCE, TODAY))


class TestDashboard(DaysCase):
    def setUp(self):
        today = timezone.localdate()
        self.spell("T1", today - timedelta(days=400), 179, teacher_name="Chen Jing")
        self.spell("T2", today - timedelta(days=400), 180, teacher_name="Liu Yang")
        self.spell("T3", today - timedelta(days=400), 5, specialty_teacher=False)

    def test_the_colleges_admins_and_staff_see_the_teachers_short_of_days(self):
        for person in (self.alice, self.bob):
            items = teachers_short_of_enterprise_days(person)
            self.assertEqual(
                [item.label for item in items],
                ["Specialty teacher Chen Jing has 179 of 180 days in enterprises over five years"],
            )
            self.assertEqual(
                items[0].url,
                f"{reverse('secondment-list')}?college={self.college.pk}&teacher_number=T1",
            )

    def test_on_the_home_page(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Specialty teacher Chen Jing has 179 of 180 days")
        self.assertNotContains(response, "Liu Yang")

    def test_nobody_else_sees_them(self):
        for person in (self.victor, self.charlie, self.olivia, self.hua):
            self.assertEqual(teachers_short_of_enterprise_days(person), [], person.username)


class TestTeacherDaysPage(DaysCase):
    def setUp(self):
        today = timezone.localdate()
        self.spell("T1", today - timedelta(days=400), 179, teacher_name="Chen Jing")
        self.spell("T2", today - timedelta(days=400), 180, teacher_name="Liu Yang")
        self.spell("E1", today - timedelta(days=400), 5, college=self.other_college)

    def test_a_member_of_the_college_reads_each_teachers_days(self):
        self.client.force_login(self.victor)
        response = self.client.get(reverse("secondment-teacher-days"))
        self.assertContains(response, "Chen Jing")
        self.assertContains(response, "Liu Yang")
        self.assertNotContains(response, "Teacher E1")  # another college's
        self.assertContains(response, "1 day short", count=1)
        short = self.client.get(reverse("secondment-teacher-days"), {"short": "1"})
        self.assertContains(short, "Chen Jing")
        self.assertNotContains(short, "Liu Yang")

    def test_it_is_only_for_colleges(self):
        for person in (self.hua, self.olivia):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("secondment-teacher-days")).status_code, 403)

    def test_the_api_gives_the_same_counts(self):
        api = APIClient()
        api.force_authenticate(self.victor)
        url = reverse("api:secondment-teacher-days")
        body = api.get(url).json()
        self.assertEqual(body["count"], 2)
        first = body["results"][0]
        self.assertEqual(
            {key: first[key] for key in ("teacher_number", "teacher_name", "days", "required")},
            {"teacher_number": "T1", "teacher_name": "Chen Jing", "days": 179, "required": 180},
        )
        self.assertTrue(first["short_of_days"])
        self.assertEqual(first["days_missing"], 1)
        rows = api.get(url, {"short_of_days": "true"}).json()["results"]
        self.assertEqual([row["teacher_number"] for row in rows], ["T1"])
        self.assertEqual(api.get(url, {"college": self.other_college.pk}).json()["count"], 0)
        self.assertEqual(api.get(url, {"college": self.college.pk}).json()["count"], 2)
        for wild in ("x", "-1", "0", str(2**70), "١", "9" * 5000):
            self.assertEqual(api.get(url, {"college": wild}).status_code, 400, wild)
        api.force_authenticate(self.hua)
        self.assertEqual(api.get(url).status_code, 403)
        api.force_authenticate(None)
        self.assertEqual(api.get(url).status_code, 401)


class TestDemo(TestCase):
    def test_the_demo_college_sees_its_teacher_short_of_days(self):
        call_command("seed_demo", stdout=mock.MagicMock())
        count = Secondment.objects.count()
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(Secondment.objects.count(), count)
        self.client.force_login(User.objects.get(username="college"))
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Specialty teacher 陈静 has 120 of 180 days")
        self.assertNotContains(response, "刘洋")
        response = self.client.get(reverse("secondment-teacher-days"))
        self.assertContains(response, "刘洋")
        self.client.force_login(User.objects.get(username="enterprise"))
        self.assertContains(self.client.get(reverse("secondment-list")), "陈静")
