from datetime import date

from django.core.management.base import BaseCommand

from portal import daily


class Command(BaseCommand):
    help = "Run the nightly jobs (activations, expiries, reminders) now; safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=date.fromisoformat, help="Run as if today were this date."
        )

    def handle(self, *args, **options):
        for job, report in daily.run_daily_jobs(options["date"]).items():
            self.stdout.write(f"{job}: {report}")
