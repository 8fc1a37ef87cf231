"""The daily work of finding partners (see ``portal.daily``): open needs and offers
whose ``valid_until`` has passed expire, and their owner's admins and staff are told
once."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from portal.daily import daily_job, one_record
from portal.reminders import send_once
from portal.workflow import InvalidTransition

from .models import CooperationNeed, NeedStatus
from .services.needs import need_expire, tell_expired


@daily_job
def expire_needs(today: date) -> dict:
    report = {"expired": 0}
    due = CooperationNeed.objects.filter(status=NeedStatus.OPEN, valid_until__lt=today)
    for need in due.order_by("pk"):
        with one_record(report, need), transaction.atomic():
            try:
                need = need_expire(need=need, today=today)
            except InvalidTransition:
                continue  # closed (or expired) by someone else since the query
            send_once(f"discovery:need-expired:{need.pk}", lambda need=need: tell_expired(need))
            report["expired"] += 1
    return report
