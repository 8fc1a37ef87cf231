"""The CSV import on the student list: every row checked, errors listed by row and
field on the page, valid rows written unless "all or nothing" is ticked."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from internships.models import Student
from tests.people import People

from .students import make_student

HEADER = "student_number,name,specialty,class_name,enrolment_year,date_of_birth,phone,status\n"


def csv_file(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    text = "\ufeff" + header + "".join(f"{line}\n" for line in lines)
    return SimpleUploadedFile("students.csv", text.encode(), content_type="text/csv")


class TestStudentImport(People, TestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def post(self, upload, all_or_nothing=False):
        data = {"college": self.college.pk, "file": upload}
        if all_or_nothing:
            data["all_or_nothing"] = "on"
        return self.client.post(reverse("student-import"), data)

    def test_valid_rows_are_created_and_updated_by_number(self):
        make_student(self.college, "R001", name="Old name")
        response = self.post(
            csv_file(
                "R001,王伟,CNC machining,CNC 24-1,2024,2006-05-01,138 0000 0001,enrolled",
                "R002,李娜,Mechatronics,MT 24-1,2024,,,enrolled",
            )
        )
        self.assertRedirects(response, reverse("student-list"))
        self.assertEqual(Student.objects.get(student_number="R001").name, "王伟")
        self.assertEqual(Student.objects.get(student_number="R002").date_of_birth, None)

    def test_errors_are_reported_per_row_and_the_valid_rows_written(self):
        response = self.post(
            csv_file(
                "R001,王伟,CNC machining,CNC 24-1,2024,2006-05-01,,enrolled",
                "R002,,Mechatronics,MT 24-1,1850,,,enrolled",
                "R003,张敏,Mechatronics,MT 24-1,2024,2006-13-01,abc,expelled",
            )
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["row_errors"]
        self.assertEqual(
            [(row, field) for row, field, _message in errors],
            [(3, "name"), (3, "enrolment_year"), (4, "date_of_birth"), (4, "phone"), (4, "status")],
        )
        self.assertContains(response, 'data-testid="row-errors"')
        self.assertContains(response, "1 added, 0 updated, 0 unchanged.")
        self.assertEqual(list(Student.objects.values_list("student_number", flat=True)), ["R001"])

    def test_all_or_nothing_writes_nothing_on_any_error(self):
        response = self.post(
            csv_file(
                "R001,王伟,CNC machining,CNC 24-1,2024,2006-05-01,,enrolled",
                "R002,李娜,Mechatronics,MT 24-1,1850,,,enrolled",
            ),
            all_or_nothing=True,
        )
        self.assertContains(response, "Nothing was imported")
        self.assertEqual(response.context["row_errors"][0][:2], (3, "enrolment_year"))
        self.assertFalse(Student.objects.exists())

    def test_an_unknown_column_or_a_file_that_is_not_utf8_is_a_field_error(self):
        response = self.post(csv_file("R001,x", header="student_number,national_id\n"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("national_id", str(response.context["form"].errors["file"]))
        upload = SimpleUploadedFile("s.csv", HEADER.encode() + "R1,王".encode("gbk"))
        response = self.post(upload)
        self.assertIn("UTF-8", str(response.context["form"].errors["file"]))
        self.assertFalse(Student.objects.exists())

    def test_the_college_must_be_one_the_user_keeps(self):
        response = self.client.post(
            reverse("student-import"),
            {"college": self.other_college.pk, "file": csv_file("R1,a,b,,2024,,,enrolled")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("college", response.context["form"].errors)
        self.assertFalse(Student.objects.exists())
