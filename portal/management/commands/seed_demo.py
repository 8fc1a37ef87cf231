from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo organizations, accounts and records (idempotent)."

    def handle(self, *args, **options):
        def log(message: str) -> None:
            self.stdout.write(f"  created {message}")

        with transaction.atomic():
            for app_label in settings.PORTAL_APP_LABELS:
                module = import_module(f"{app_label}.demo")
                module.seed(log)
        self.stdout.write(self.style.SUCCESS("Demo data is in place (password demo-pass-2026)."))
