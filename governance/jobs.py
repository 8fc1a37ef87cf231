"""Governance's daily reminders: meetings two days ahead (to the members invited) and
voting that closes within a day (to the members who have not voted yet). Each goes out
once (``portal.reminders.send_once``; a meeting moved, or a closing time changed, is
reminded again), and one record failing never stops the others."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.daily import daily_job, one_record
from portal.notifications import notify
from portal.reminders import send_once

from .models import Meeting, MeetingStatus, Resolution, ResolutionStatus, Vote
from .services.articles import versions_come_into_force
from .services.meetings import invited, seated_on
from .services.rules import voting_day

MEETING_REMINDER_DAYS = 2
VOTING_REMINDER_DAYS = 1


def _remind_meeting(meeting: Meeting) -> None:
    notify(
        recipients=invited(meeting),
        title=format_lazy(
            _("Reminder: {title} ({board}), {when}"),
            title=meeting.title,
            board=meeting.board.name,
            when=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        ),
        body=meeting.agenda,
        url=meeting.get_absolute_url(),
    )


def not_yet_voted(resolution: Resolution):
    """The portal users among the seated members whose vote is not in yet."""
    voted = Vote.objects.filter(resolution_id=resolution.pk).values("member_id")
    seats = seated_on(resolution.board, voting_day(resolution)).exclude(pk__in=voted)
    return User.objects.filter(board_seats__in=seats, is_active=True).distinct()


def _remind_voting(resolution: Resolution) -> None:
    notify(
        recipients=not_yet_voted(resolution),
        title=format_lazy(
            _("Voting closes {when}: {title} ({board})"),
            title=resolution.title,
            board=resolution.board.name,
            when=timezone.localtime(resolution.voting_closes_at).strftime("%Y-%m-%d %H:%M"),
        ),
        url=resolution.get_absolute_url(),
    )


def remind_meetings(today: date, report: dict) -> None:
    """Scheduled meetings on one of the next two days (or today)."""
    coming = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            starts_at__date__gte=today,
            starts_at__date__lte=today + timedelta(days=MEETING_REMINDER_DAYS),
        )
        .select_related("board")
        .order_by("starts_at", "pk")
    )
    for meeting in coming:
        with one_record(report, meeting):
            key = f"meeting:{meeting.pk}:reminder:{meeting.starts_at.isoformat()}"
            if send_once(key, lambda m=meeting: _remind_meeting(m)):
                report["meeting_reminders"] += 1


def remind_voting_closes(today: date, report: dict) -> None:
    """Resolutions open for voting whose vote closes today or tomorrow, not yet past."""
    closing = (
        Resolution.objects.filter(
            status=ResolutionStatus.VOTING,
            voting_closes_at__gt=timezone.now(),
            voting_closes_at__date__lte=today + timedelta(days=VOTING_REMINDER_DAYS),
        )
        .select_related("board", "meeting")
        .order_by("voting_closes_at", "pk")
    )
    for resolution in closing:
        with one_record(report, resolution):
            key = f"resolution:{resolution.pk}:closing:{resolution.voting_closes_at.isoformat()}"
            if send_once(key, lambda r=resolution: _remind_voting(r)):
                report["voting_reminders"] += 1


@daily_job
def governance_daily(today: date) -> dict:
    """Put adopted article versions in force on their date; remind of meetings and of
    voting about to close (each reminder once). Run nightly by
    ``portal.tasks.run_daily_jobs``."""
    report = {"meeting_reminders": 0, "voting_reminders": 0}
    report["versions_in_force"] = versions_come_into_force(today)
    remind_meetings(today, report)
    remind_voting_closes(today, report)
    return report
