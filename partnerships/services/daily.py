"""The nightly work on agreements: activation, expiry and reminders (each sent once)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from portal.daily import one_record
from portal.notifications import notify
from portal.reminders import send_once

from ..models import (
    BINDING_STATUSES,
    Agreement,
    AgreementStatus,
    Clause,
)
from .agreements import _party_ids, _people, agreement_activate, agreement_expire
from .rules import DUE_SOON_DAYS, EXPIRY_REMINDER_DAYS

# --- the daily job -----------------------------------------------------------------


def agreements_daily(today: date) -> dict[str, int]:
    """Activate and expire agreements on their dates; remind parties before expiry and
    of responsibilities due soon or overdue. Each reminder goes out once; a record that
    fails is logged and counted as ``failed``, and the others go on."""
    report = {
        "activated": 0,
        "expired": 0,
        "expiry_reminders": 0,
        "due_reminders": 0,
        "overdue_reminders": 0,
    }
    for agreement in Agreement.objects.filter(
        status=AgreementStatus.SIGNED, effective_date__lte=today, expiry_date__gte=today
    ):
        with one_record(report, agreement):
            agreement_activate(agreement=agreement, today=today)
            report["activated"] += 1
    for agreement in Agreement.objects.filter(status__in=BINDING_STATUSES, expiry_date__lt=today):
        with one_record(report, agreement):
            agreement_expire(agreement=agreement, today=today)
            report["expired"] += 1

    for agreement in Agreement.objects.filter(
        status__in=BINDING_STATUSES,
        expiry_date__gte=today,
        expiry_date__lte=today + timedelta(days=max(EXPIRY_REMINDER_DAYS)),
    ):
        days_left = (agreement.expiry_date - today).days
        # The nearest threshold reached: a job that missed a day still sends it.
        threshold = min(t for t in EXPIRY_REMINDER_DAYS if days_left <= t)
        key = f"agreement:{agreement.pk}:expires:{agreement.expiry_date}:{threshold}"
        with one_record(report, agreement):
            if send_once(key, lambda a=agreement, d=days_left: _remind_expiry(a, d)):
                report["expiry_reminders"] += 1

    for clause in Clause.objects.due_within(DUE_SOON_DAYS, today).select_related(
        "agreement", "party"
    ):
        key = f"clause:{clause.pk}:due:{clause.due_date}"
        with one_record(report, clause):
            if send_once(key, lambda c=clause: _remind_clause(c, overdue=False)):
                report["due_reminders"] += 1
    for clause in Clause.objects.overdue(today).select_related("agreement", "party"):
        key = f"clause:{clause.pk}:overdue:{clause.due_date}"
        with one_record(report, clause):
            if send_once(key, lambda c=clause: _remind_clause(c, overdue=True)):
                report["overdue_reminders"] += 1
    return report


def _remind_expiry(agreement: Agreement, days_left: int) -> None:
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(
            gettext_lazy("{reference} expires in {days} days ({date})"),
            reference=agreement.reference,
            days=days_left,
            date=agreement.expiry_date.isoformat(),
        ),
        body=gettext_lazy("Renew it from its page if the cooperation goes on."),
        url=agreement.get_absolute_url(),
    )


def _remind_clause(clause: Clause, *, overdue: bool) -> None:
    template = (
        gettext_lazy("Overdue since {date}: your responsibility under {reference}")
        if overdue
        else gettext_lazy("Due on {date}: your responsibility under {reference}")
    )
    notify(
        recipients=_people([clause.party.organization_id]),
        title=format_lazy(
            template, date=clause.due_date.isoformat(), reference=clause.agreement.reference
        ),
        body=clause.text,
        url=clause.get_absolute_url(),
    )
