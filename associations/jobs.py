"""The associations' daily work (see ``portal.daily``), one section per part."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.daily import daily_job, one_record
from portal.notifications import notify
from portal.reminders import send_once
from portal.roles import Role

from .models import (
    GRACE_DAYS,
    AssociationMembership,
    CertificationApplication,
    CertificationStatus,
    Deliverable,
    EntrustmentStatus,
    MembershipStatus,
)
from .services import certifications as certification_rules

# --- memberships ----------------------------------------------------------------------
#
# The association's admins and the member's admins are reminded 30 days before a
# membership ends, and told when it lapses (the day after its grace period ends). Each
# goes out once per end date: a renewal moves the end, and the reminders with it. A
# membership followed by a later one of the same member needs neither.

RENEWAL_REMINDER_DAYS = 30
# A lapse the nightly run missed (the server was down) is still told this many days late.
LAPSE_LOOK_BACK_DAYS = 7


def membership_admins(membership: AssociationMembership):
    return User.objects.acting_for(
        [membership.association_id, membership.member_id], roles={Role.ADMIN}
    )


def _remind_ending(membership: AssociationMembership) -> None:
    notify(
        recipients=membership_admins(membership),
        title=format_lazy(
            _("Membership {number} of {member} in {association} ends on {date}: time to renew"),
            number=membership.number,
            member=membership.member.name,
            association=membership.association.name,
            date=membership.end_date.isoformat(),
        ),
        body=format_lazy(
            _("It stays in good standing for {days} days after its end, until {grace}."),
            days=GRACE_DAYS,
            grace=membership.grace_ends.isoformat(),
        ),
        url=membership.get_absolute_url(),
    )


def _tell_lapsed(membership: AssociationMembership) -> None:
    notify(
        recipients=membership_admins(membership),
        title=format_lazy(
            _("Membership {number} of {member} in {association} has lapsed"),
            number=membership.number,
            member=membership.member.name,
            association=membership.association.name,
        ),
        body=format_lazy(
            _("It ended on {end} and was not renewed within its grace period (until {grace})."),
            end=membership.end_date.isoformat(),
            grace=membership.grace_ends.isoformat(),
        ),
        url=membership.get_absolute_url(),
    )


def remind_memberships_ending(today: date, report: dict) -> None:
    """Memberships ending within 30 days (today included), not followed by another."""
    ending = (
        AssociationMembership.objects.filter(
            end_date__gte=today, end_date__lte=today + timedelta(days=RENEWAL_REMINDER_DAYS)
        )
        .without_successor()
        .select_related("association", "member")
        .order_by("end_date", "pk")
    )
    for membership in ending:
        with one_record(report, membership):
            key = f"membership:{membership.pk}:ending:{membership.end_date.isoformat()}"
            if send_once(key, lambda m=membership: _remind_ending(m)):
                report["renewal_reminders"] += 1


def tell_memberships_lapsed(today: date, report: dict) -> None:
    """Memberships that lapsed today (or in the last week, for a run that was missed),
    not followed by another."""
    earliest_end = today - timedelta(days=GRACE_DAYS + 1 + LAPSE_LOOK_BACK_DAYS)
    lapsed = (
        AssociationMembership.objects.in_status(MembershipStatus.LAPSED, today)
        .filter(end_date__gte=earliest_end)
        .without_successor()
        .select_related("association", "member")
        .order_by("end_date", "pk")
    )
    for membership in lapsed:
        with one_record(report, membership):
            key = f"membership:{membership.pk}:lapsed:{membership.end_date.isoformat()}"
            if send_once(key, lambda m=membership: _tell_lapsed(m)):
                report["lapse_notices"] += 1


@daily_job
def memberships_daily(today: date) -> dict:
    """Remind of memberships ending in 30 days and tell of those that lapsed (each
    once); run nightly by ``portal.tasks.run_daily_jobs``."""
    report = {"renewal_reminders": 0, "lapse_notices": 0}
    remind_memberships_ending(today, report)
    tell_memberships_lapsed(today, report)
    return report


# --- entrustments ---------------------------------------------------------------------
#
# The association's admins and staff are reminded of a deliverable 7 days and 1 day
# before it is due, while the work is under way (accepted, or returned for changes).

DELIVERABLE_REMINDER_DAYS = (7, 1)


def _remind_deliverable(deliverable: Deliverable, days: int) -> None:
    entrustment = deliverable.entrustment
    notify(
        recipients=User.objects.acting_for([entrustment.association_id]),
        title=format_lazy(
            _("Due in {days} day(s): {title} ({entrustment})"),
            days=days,
            title=deliverable.title,
            entrustment=entrustment.title,
        ),
        url=deliverable.get_absolute_url(),
    )


@daily_job
def entrustments_daily(today: date) -> dict:
    """Remind of deliverables due in 7 days and in 1 day (each once)."""
    report = {"deliverable_reminders": 0}
    for days in DELIVERABLE_REMINDER_DAYS:
        due = (
            Deliverable.objects.filter(
                due_date=today + timedelta(days=days),
                entrustment__status__in=(EntrustmentStatus.ACCEPTED, EntrustmentStatus.RETURNED),
            )
            .select_related("entrustment")
            .order_by("pk")
        )
        for deliverable in due:
            with one_record(report, deliverable):
                key = f"deliverable:{deliverable.pk}:due:{deliverable.due_date}:{days}"
                if send_once(key, lambda d=deliverable, n=days: _remind_deliverable(d, n)):
                    report["deliverable_reminders"] += 1
    return report


# --- certifications -------------------------------------------------------------------
#
# The enterprise's admins are reminded 60 days before its certificate ends (once per end
# date), and told when it has expired: the day after its last day, the job moves it to
# expired (``certification_expire``, which tells them once).

CERTIFICATE_REMINDER_DAYS = 60


def _remind_certificate_ending(application: CertificationApplication) -> None:
    notify(
        recipients=User.objects.acting_for([application.enterprise_id], roles={Role.ADMIN}),
        title=format_lazy(
            _("Certificate {number} of {enterprise} ends on {date}"),
            number=application.number,
            enterprise=application.enterprise.name,
            date=application.valid_until.isoformat(),
        ),
        body=_(
            "To stay certified as an industry–education integration enterprise, apply "
            "again once it has ended; the portal gathers your evidence anew."
        ),
        url=application.get_absolute_url(),
    )


@daily_job
def certifications_daily(today: date) -> dict:
    """Remind of certificates ending within 60 days, and expire those whose last day
    has passed (each told once)."""
    report = {"certificate_reminders": 0, "certificates_expired": 0}
    ending = (
        CertificationApplication.objects.filter(
            status=CertificationStatus.CERTIFIED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=CERTIFICATE_REMINDER_DAYS),
        )
        .select_related("enterprise")
        .order_by("valid_until", "pk")
    )
    for application in ending:
        with one_record(report, application):
            key = f"certification:{application.pk}:ending:{application.valid_until.isoformat()}"
            if send_once(key, lambda a=application: _remind_certificate_ending(a)):
                report["certificate_reminders"] += 1
    over = CertificationApplication.objects.filter(
        status=CertificationStatus.CERTIFIED, valid_until__lt=today
    ).order_by("valid_until", "pk")
    for application in over:
        with one_record(report, application):
            if certification_rules.certification_expire(application=application, today=today):
                report["certificates_expired"] += 1
    return report
