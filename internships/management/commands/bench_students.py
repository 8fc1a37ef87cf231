"""``make bench``: how long 10,000 students take through ``POST students/bulk-upsert/``
(parsing, row checks, batched writes and their history), against a bare
``bulk_create`` of the same rows, on whatever database ``DATABASE_URL`` names.

It acts as the demo college admin (``make seed`` first) and removes every row it
wrote, with its history, before it ends."""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from internships.models import Student
from internships.services import student_colleges

PREFIX = "BENCH-"


class Command(BaseCommand):
    help = "Time 10,000 students through the bulk-upsert API against a raw bulk_create."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--username", default="college")

    def handle(self, *args, rows: int, username: str, **options):
        user = User.objects.filter(username=username).first()
        colleges = student_colleges(user) if user else set()
        if not colleges:
            raise CommandError(f"No college admin {username!r}: run `make seed` first.")
        college_id = min(colleges)
        batch = [
            {
                "student_number": f"{PREFIX}{index:05d}",
                "name": f"Bench student {index}",
                "specialty": "CNC machining",
                "class_name": f"CNC {index % 40}",
                "enrolment_year": 2023 + index % 4,
                "date_of_birth": "2006-05-01",
                "phone": "138 0000 0000",
                "email": f"bench{index}@example.edu.cn",
                "guardian_name": "Wang Fang",
                "guardian_phone": "139 0000 0000",
                "status": "enrolled",
            }
            for index in range(rows)
        ]
        self.clean_up(college_id)
        try:
            client = APIClient(HTTP_HOST=settings.ALLOWED_HOSTS[0])
            client.force_authenticate(user)
            started = time.perf_counter()
            response = client.post(
                reverse("api:student-bulk-upsert"),
                {"college": college_id, "rows": batch},
                format="json",
            )
            api_seconds = time.perf_counter() - started
            if response.status_code != 200 or response.json()["created"] != rows:
                raise CommandError(
                    f"The API answered {response.status_code}: {response.content[:500]}"
                )
            self.clean_up(college_id)

            started = time.perf_counter()
            with transaction.atomic():
                Student.objects.bulk_create(
                    [
                        Student(
                            college_id=college_id,
                            **{**row, "date_of_birth": date.fromisoformat(row["date_of_birth"])},
                        )
                        for row in batch
                    ],
                    batch_size=1_000,
                )
            raw_seconds = time.perf_counter() - started
        finally:
            self.clean_up(college_id)
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"{rows:,} students on {vendor}:")
        self.stdout.write(f"  bulk-upsert API: {api_seconds:.2f} s")
        self.stdout.write(f"  raw bulk_create: {raw_seconds:.2f} s")
        self.stdout.write(f"  ratio:           {api_seconds / raw_seconds:.1f}×")

    def clean_up(self, college_id: int) -> None:
        """Remove the bench's students and every history entry about them (deleting
        with history switched off, so that no "deleted" entries are left behind)."""
        numbers = {"college_id": college_id, "student_number__startswith": PREFIX}
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            Student.objects.filter(**numbers).delete()
        Student.history.filter(**numbers).delete()
