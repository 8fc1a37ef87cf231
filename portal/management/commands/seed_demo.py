from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.notifications import without_emails

# What the one line of output counts, in this order (a model an app lacks is skipped).
SUMMARY_MODELS = [
    "accounts.Organization",
    "accounts.User",
    "partnerships.Partnership",
    "partnerships.Agreement",
    "funding.FundProgram",
    "funding.FundApplication",
    "internships.PracticeBase",
    "internships.Placement",
    "internships.Student",
    "governance.Board",
    "governance.Meeting",
    "governance.Resolution",
    "associations.AssociationMembership",
    "associations.Entrustment",
    "associations.Assessment",
    "discovery.CooperationNeed",
    "portal.Notification",
]


def _models():
    for label in SUMMARY_MODELS:
        try:
            yield apps.get_model(label)
        except LookupError:
            continue


class Command(BaseCommand):
    help = (
        "Create the demo organizations, accounts and records (idempotent). Prints one line "
        "saying what it added; -v 2 lists each record. Sends no email."
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 2

        def log(message: str) -> None:
            if verbose:
                self.stdout.write(f"  created {message}")

        before = {model: model.objects.count() for model in _models()}
        passwords = set()
        # The demo's notifications stay in the bell but are not emailed: they tell of
        # made-up events to made-up addresses (the console backend would print each one).
        with without_emails(), transaction.atomic():
            for app_label in settings.PORTAL_APP_LABELS:
                module = import_module(f"{app_label}.demo")
                module.seed(log)
                passwords.add(getattr(module, "DEMO_PASSWORD", None))
        password = next((p for p in passwords if p), "")
        self.stdout.write(self.style.SUCCESS(self.summary(before, password)))

    def summary(self, before: dict, password: str) -> str:
        added = []
        for model, count in before.items():
            new = model.objects.count() - count
            if new > 0:
                name = model._meta.verbose_name if new == 1 else model._meta.verbose_name_plural
                added.append(f"{new} {name}")
        what = ", ".join(added) if added else "nothing new (it was already in place)"
        sign_in = "Sign in with a demo account (see README)"
        if password:
            sign_in += f", password {password}"
        return f"Demo data loaded: {what}. {sign_in}; no emails were sent."
