"""The shared permission cases for the student endpoint and pages, and who sees the
personal details: the student's own college only, never government or an enterprise.

alice is admin of Riverside (the student's college), victor its viewer; charlie is
admin of Eastlake; olivia is staff of the bureau (government oversight)."""

from django.urls import reverse

from accounts.models import OrganizationKind, Role
from internships.models import Student
from tests.factories import OrganizationFactory, member
from tests.helpers import permissions

from .students import make_student, student_row

PERSONAL = Student.PERSONAL_FIELDS


class TestStudentApi(permissions.ApiPermissionCases):
    basename = "student"

    def make_record(self):
        return make_student(self.college)

    def create_data(self):
        return student_row("S0002")

    def update_data(self):
        return {"class_name": "CNC 24-2"}

    def test_the_college_sees_the_personal_details(self):
        for name in ("alice", "victor"):
            self.as_user(name)
            body = self.client.get(self.detail_url()).json()
            self.assertEqual(body["phone"], "138 0000 0000")
            self.assertEqual(body["date_of_birth"], "2006-05-01")

    def test_government_never_sees_the_personal_details(self):
        self.as_user("olivia")
        for body in (
            self.client.get(self.detail_url()).json(),
            self.client.get(self.list_url()).json()["results"][0],
        ):
            self.assertEqual(body["student_number"], "S0001")
            for field in PERSONAL:
                self.assertNotIn(field, body)

    def test_government_reads_the_history_without_the_personal_changes(self):
        self.as_user("alice")
        self.client.patch(self.detail_url(), {"phone": "138 9999 9999"})
        self.client.patch(self.detail_url(), {"phone": "138 7777 7777", "class_name": "C 2"})
        self.assertIn("138 9999 9999", str(self.client.get(self.detail_url() + "history/").json()))
        self.as_user("olivia")
        history = self.client.get(self.detail_url() + "history/").json()
        self.assertEqual(len(history), 2)  # created, and the class change; not the phone
        self.assertNotIn("138", str(history))
        self.assertEqual([change["new"] for change in history[0]["changes"]], ["C 2"])

    def test_an_enterprise_sees_no_students(self):
        enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.client.force_authenticate(member(enterprise, Role.ADMIN, "hx_admin"))
        self.assert_hidden()
        response = self.client.post(reverse("api:student-bulk-upsert"), {"rows": []})
        self.assertEqual(response.status_code, 403)

    def test_the_number_is_unique_within_the_college(self):
        self.as_user("alice")
        response = self.client.post(self.list_url(), student_row("S0001"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("student_number", response.json())
        self.as_user("charlie")  # another college may use the same number
        self.assertEqual(self.client.post(self.list_url(), student_row("S0001")).status_code, 201)

    def test_fields_are_checked(self):
        self.as_user("alice")
        data = student_row("S0003", enrolment_year=1850, date_of_birth="9999-01-01")
        data["status"] = "expelled"
        response = self.client.post(self.list_url(), data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"enrolment_year", "date_of_birth", "status"})

    def test_search_and_filters(self):
        make_student(self.college, "T0100", name="Zhang Wei", enrolment_year=2023)
        self.as_user("alice")
        url = self.list_url()
        numbers = lambda query: {  # noqa: E731
            row["student_number"] for row in self.client.get(url, query).json()["results"]
        }
        self.assertEqual(numbers({"q": "T01"}), {"T0100"})
        self.assertEqual(numbers({"q": "Zhang"}), {"T0100"})
        self.assertEqual(numbers({"enrolment_year": 2024}), {"S0001"})
        self.assertEqual(numbers({"search": "Zhang"}), {"T0100"})
        self.assertEqual(numbers({"updated_after": "2999-01-01T00:00:00Z"}), set())


class TestStudentPages(permissions.PagePermissionCases):
    list_url_name = "student-list"
    detail_url_name = "student-detail"
    edit_url_name = "student-edit"

    def make_record(self):
        return make_student(self.college)

    def edit_data(self):
        return {**student_row("S0001", class_name="CNC 24-2")}

    def test_only_the_college_sees_the_personal_details(self):
        self.client.force_login(self.victor)
        self.assertContains(self.client.get(self.detail_url()), "138 0000 0000")
        self.client.force_login(self.olivia)
        response = self.client.get(self.detail_url())
        self.assertContains(response, "S0001")
        for value in ("138 0000 0000", "139 0000 0000", "Wang Fang", "2006-05-01", "example.edu"):
            self.assertNotContains(response, value)
        self.record.phone = "138 5555 5555"
        self.record.save()
        history = self.client.get(self.detail_url(), {"tab": "history"})
        self.assertNotContains(history, "138 5555 5555")
        self.assertNotContains(history, "138 0000 0000")
        csv = self.client.get(reverse("student-list"), {"export": "csv"})
        self.assertNotIn("138 0000 0000", csv.content.decode())

    def test_an_enterprise_gets_404(self):
        enterprise = OrganizationFactory(kind=OrganizationKind.ENTERPRISE, name="Huaxin")
        self.client.force_login(member(enterprise, Role.ADMIN, "hx_admin"))
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("student-import")).status_code, 403)

    def test_a_member_adds_a_student(self):
        self.client.force_login(self.bob)
        data = {**student_row("S0009"), "college": self.college.pk}
        response = self.client.post(reverse("student-create"), data)
        self.assertEqual(response.status_code, 302)
        student = Student.objects.get(student_number="S0009")
        self.assertEqual(student.history.count(), 1)
        response = self.client.post(reverse("student-create"), data)
        self.assertEqual(response.status_code, 200)  # the number is taken: a field error

    def test_a_viewer_cannot_add_students(self):
        self.client.force_login(self.victor)
        self.assertEqual(self.client.get(reverse("student-import")).status_code, 403)
        data = {**student_row("S0009"), "college": self.college.pk}
        # No college to choose: the page says why, rather than ending in a field error.
        self.assertContains(
            self.client.get(reverse("student-create")), "Students are kept", status_code=403
        )
        response = self.client.post(reverse("student-create"), data)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Student.objects.filter(student_number="S0009").exists())

    def test_the_search_box_finds_own_students_only(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("search"), {"q": "S0001"}), self.detail_url())
        self.client.force_login(self.olivia)
        self.assertNotContains(
            self.client.get(reverse("search"), {"q": "S0001"}), self.detail_url()
        )
