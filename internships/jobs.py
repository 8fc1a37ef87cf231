"""Internships' daily reminders: the gates still missing 7 days and 1 day before a
placement starts (to both sides), and the evaluations due as it ends (to the side that
owes each). Each reminder goes out once (``portal.reminders.send_once``) and one record
failing never stops the others (``portal.daily.one_record``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.daily import daily_job, one_record
from portal.notifications import notify
from portal.reminders import send_once
from portal.wording import joined_later

from . import compliance
from .models import EvaluatorRole, Nomination, NominationStatus
from .services import owed_evaluation_roles

# Days before the start on which missing gates are chased: the nearest one reached
# counts, so a run that missed a day still sends it.
GATE_REMINDER_DAYS = (7, 1)
# Evaluations are chased from this many days before the placement ends.
EVALUATION_REMINDER_DAYS = 1
EVALUATION_LOOK_BACK_DAYS = 30

# Short names of the gates for lists (the full message and article go in the body).
GATE_NAMES = {
    "tripartite_agreement_unsigned": _("tripartite agreement signed"),
    "tripartite_scan_missing": _("tripartite agreement scan"),
    "guardian_consent_missing": _("guardian's consent"),
    "insurance_missing": _("liability insurance"),
    "insurance_not_covering": _("insurance covering the whole internship"),
    "tracking_teacher_missing": _("tracking teacher"),
    "guide_missing": _("enterprise guide"),
}


def _joined(items: Sequence, separator: str) -> Promise:
    """The items joined, each rendered in the reader's language when shown."""
    return format_lazy(separator.join(["{}"] * len(items)), *items)


def missing_gate_names(gates: Sequence[compliance.Gate]) -> Promise:
    """“tripartite agreement scan, liability insurance”: the gates by short name, listed
    as the reader's language lists (“、” in Chinese)."""
    return joined_later([GATE_NAMES.get(gate.code, gate.message) for gate in gates])


def _remind_gates(nomination: Nomination, gates: Sequence[compliance.Gate]) -> None:
    placement = nomination.placement
    notify(
        recipients=User.objects.acting_for({nomination.college_id, placement.host_id}),
        title=format_lazy(
            _("Gates missing for {student} at {placement}, starting {date}: {gates}"),
            student=nomination.student.name,
            placement=placement.title,
            date=placement.start_date.isoformat(),
            gates=missing_gate_names(gates),
        ),
        body=_joined([format_lazy("{} ({})", gate.message, gate.article) for gate in gates], "\n"),
        url=nomination.get_absolute_url(),
    )


def _remind_evaluation(nomination: Nomination, role: str) -> None:
    placement = nomination.placement
    if role == EvaluatorRole.GUIDE:
        owner = placement.host_id
        template = _(
            "Evaluation due: the enterprise guide's evaluation of {student} at {placement} "
            "(ends {date})"
        )
    else:
        owner = nomination.college_id
        template = _(
            "Evaluation due: the tracking teacher's evaluation of {student} at {placement} "
            "(ends {date})"
        )
    notify(
        recipients=User.objects.acting_for([owner]),
        title=format_lazy(
            template,
            student=nomination.student.name,
            placement=placement.title,
            date=placement.end_date.isoformat(),
        ),
        url=nomination.get_absolute_url(),
    )


def remind_missing_gates(today: date, report: dict) -> None:
    """Accepted nominations whose placement starts within a week with gates missing:
    both sides' admins and staff, 7 days and 1 day before."""
    accepted = (
        Nomination.objects.filter(
            status=NominationStatus.ACCEPTED,
            placement__start_date__gte=today,
            placement__start_date__lte=today + timedelta(days=max(GATE_REMINDER_DAYS)),
        )
        .select_related("student", "placement")
        .order_by("placement__start_date", "pk")
    )
    for nomination in accepted:
        with one_record(report, nomination):
            gates = compliance.missing_gates(nomination)
            if not gates:
                continue
            start = nomination.placement.start_date
            days_left = (start - today).days
            threshold = min(days for days in GATE_REMINDER_DAYS if days_left <= days)
            key = f"nomination:{nomination.pk}:gates:{start}:{threshold}"
            if send_once(key, lambda n=nomination, g=gates: _remind_gates(n, g)):
                report["gate_reminders"] += 1


def remind_evaluations_due(today: date, report: dict) -> None:
    """Started internships ending within a day (or ended in the last month): the side
    owing an evaluation (the guide's is the host's, the teacher's the college's). The
    reminder goes once; an internship left open longer than that waits on the college's
    home page, not in every night's run."""
    ending = (
        Nomination.objects.filter(
            status=NominationStatus.STARTED,
            placement__end_date__lte=today + timedelta(days=EVALUATION_REMINDER_DAYS),
            placement__end_date__gte=today - timedelta(days=EVALUATION_LOOK_BACK_DAYS),
        )
        .select_related("student", "placement")
        .prefetch_related("evaluations")
        .order_by("placement__end_date", "pk")
    )
    for nomination in ending:
        with one_record(report, nomination):
            end = nomination.placement.end_date
            for role in owed_evaluation_roles(nomination):
                key = f"nomination:{nomination.pk}:evaluation:{role}:{end}"
                if send_once(key, lambda n=nomination, r=role: _remind_evaluation(n, r)):
                    report["evaluation_reminders"] += 1


@daily_job
def internships_daily(today: date) -> dict:
    """Remind of missing gates before the start and of evaluations due at the end
    (each reminder once); run nightly by ``portal.tasks.run_daily_jobs``."""
    report = {"gate_reminders": 0, "evaluation_reminders": 0}
    remind_missing_gates(today, report)
    remind_evaluations_due(today, report)
    return report
