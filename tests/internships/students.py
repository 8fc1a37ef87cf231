"""Students for the tests: rows as the API and the CSV import take them."""

from __future__ import annotations

from datetime import date

from internships.models import Student


def student_row(number: str, **overrides) -> dict:
    row = {
        "student_number": number,
        "name": f"Student {number}",
        "specialty": "CNC machining",
        "class_name": "CNC 24-1",
        "enrolment_year": 2024,
        "date_of_birth": "2006-05-01",
        "phone": "138 0000 0000",
        "email": f"{number.lower()}@example.edu.cn",
        "guardian_name": "Wang Fang",
        "guardian_phone": "139 0000 0000",
        "status": "enrolled",
    }
    row.update(overrides)
    return row


def make_student(college, number: str = "S0001", **overrides) -> Student:
    fields = student_row(number, **overrides)
    fields["date_of_birth"] = date.fromisoformat(fields["date_of_birth"])
    return Student.objects.create(college=college, **fields)
