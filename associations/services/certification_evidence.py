"""The evidence the portal assembles for an enterprise's certification: what its
cooperation records in the other apps show, read-only, as counts and the latest few
records of each kind with links.

- agreements it is a party to that are signed or active, and its responsibilities in
  them (how many fulfilled);
- partnerships it leads or belongs to (how many it leads, how many active);
- practice bases it hosts (how many active);
- interns hosted: nominations started or completed at its placements, and the
  placements they are at;
- teachers hosted for practice: the secondments at it, and their days;
- funds received: the awards to its applications, and the tranches released.

A fixed number of queries whatever the number of records: each kind is counted by one
aggregate, its latest ``SHOWN`` records are one query, and which of those the viewer may
open is one more (none for government, which sees everything). A record the viewer may
not open is listed without its name or link: counted, never read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organization
from funding.models import Award, FundApplication, Tranche, TrancheStatus
from internships.models import (
    Nomination,
    NominationStatus,
    Placement,
    PracticeBase,
    PracticeBaseStatus,
    Secondment,
)
from partnerships.models import (
    BINDING_STATUSES,
    Agreement,
    Clause,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from portal import access

# The latest records of each kind listed; the counts take in every one.
SHOWN = 5
# Interns hosted: nominations that reached the placement.
INTERN_STATUSES = (NominationStatus.STARTED, NominationStatus.COMPLETED)


@dataclass(frozen=True)
class EvidenceRecord:
    """One of the latest records of a kind: ``record`` is None when the viewer may not
    open it (then only its kind is shown: no name, detail, status, date or link)."""

    record: object | None
    kind_label: str
    name: str
    detail: str
    status: str
    status_label: str
    day: date | None

    @property
    def url(self) -> str:
        return self.record.get_absolute_url() if self.record is not None else ""

    def get_status_display(self) -> str:  # for the status badge
        return self.status_label


@dataclass
class EvidenceSection:
    """One kind of evidence: how many, a few figures (``{name: value}``, labelled by
    ``FIGURE_LABELS``), and the latest records."""

    key: str
    title: str
    count: int
    figures: dict[str, int | Decimal] = field(default_factory=dict)
    latest: list[EvidenceRecord] = field(default_factory=list)

    @property
    def labelled_figures(self) -> list[tuple[str, int | Decimal, bool]]:
        """(label, value, is money) for the page."""
        return [
            (str(FIGURE_LABELS[name]), value, isinstance(value, Decimal))
            for name, value in self.figures.items()
        ]


FIGURE_LABELS = {
    "responsibilities": gettext_lazy("Its responsibilities in them"),
    "responsibilities_fulfilled": gettext_lazy("Responsibilities fulfilled"),
    "led": gettext_lazy("Led by the enterprise"),
    "active": gettext_lazy("Active"),
    "started": gettext_lazy("Interning now"),
    "completed": gettext_lazy("Completed"),
    "placements": gettext_lazy("Placements with interns"),
    "days": gettext_lazy("Days in the enterprise"),
    "awarded": gettext_lazy("Awarded"),
    "released": gettext_lazy("Released"),
}


def _openable(user, model, ids: list[int]) -> set[int]:
    """Which of the records the user may open: one query, none for government."""
    if not ids:
        return set()
    if access.sees_everything(user):
        return set(ids)
    return set(
        model._default_manager.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def _records(user, model, rows, describe, *, kind_label: str, opens=None) -> list[EvidenceRecord]:
    """The rows as EvidenceRecords. ``opens(row)`` is the record the link opens when
    that is another than the row itself (of ``model``). Reads of those the viewer opens
    only through an entrustment's scope are logged, as on a list page."""
    rows = list(rows)
    opens = opens or (lambda row: row)
    openable = _openable(user, model, [opens(row).pk for row in rows])
    access.note_reads(user, [opens(row) for row in rows if opens(row).pk in openable])
    records = []
    for row in rows:
        name, detail, day = describe(row)
        visible = opens(row).pk in openable
        records.append(
            EvidenceRecord(
                record=row if visible else None,
                kind_label=kind_label,
                name=name if visible else "",
                detail=detail if visible else "",
                status=getattr(row, "status", "") if visible else "",
                status_label=(
                    row.get_status_display()
                    if visible and hasattr(row, "get_status_display")
                    else ""
                ),
                day=day if visible else None,
            )
        )
    return records


def _agreements(user, enterprise: Organization) -> EvidenceSection:
    agreements = Agreement.objects.filter(
        status__in=BINDING_STATUSES, parties__organization=enterprise
    )
    clauses = Clause.objects.filter(
        party__organization=enterprise,
        kind=ClauseKind.RESPONSIBILITY,
        agreement__status__in=BINDING_STATUSES,
    ).aggregate(
        responsibilities=Count("pk"),
        responsibilities_fulfilled=Count("pk", filter=Q(status=ClauseStatus.FULFILLED)),
    )
    latest = agreements.order_by("-effective_date", "-pk")[:SHOWN]
    return EvidenceSection(
        key="agreements",
        title=_("Agreements signed or active"),
        count=agreements.count(),
        figures=clauses,
        latest=_records(
            user,
            Agreement,
            latest,
            lambda a: (
                f"{a.reference} {a.title}",
                f"{a.get_kind_display()} · {a.effective_date:%Y-%m-%d} – {a.expiry_date:%Y-%m-%d}",
                a.effective_date,
            ),
            kind_label=_("Agreement"),
        ),
    )


def _partnerships(user, enterprise: Organization) -> EvidenceSection:
    member_of = PartnershipMember.objects.filter(organization=enterprise).values("partnership_id")
    partnerships = Partnership.objects.filter(Q(lead=enterprise) | Q(pk__in=member_of))
    figures = partnerships.aggregate(
        count=Count("pk"),
        led=Count("pk", filter=Q(lead=enterprise)),
        active=Count("pk", filter=Q(status=PartnershipStatus.ACTIVE)),
    )
    latest = partnerships.order_by("-created_at", "-pk")[:SHOWN]
    return EvidenceSection(
        key="partnerships",
        title=_("Partnerships it leads or belongs to"),
        count=figures.pop("count"),
        figures=figures,
        latest=_records(
            user,
            Partnership,
            latest,
            lambda p: (
                p.name,
                p.get_kind_display()
                + (f" · {_('lead')}" if p.lead_id == enterprise.pk else f" · {_('member')}"),
                p.start_date,
            ),
            kind_label=_("Partnership"),
        ),
    )


def _practice_bases(user, enterprise: Organization) -> EvidenceSection:
    bases = PracticeBase.objects.filter(host=enterprise)
    figures = bases.aggregate(
        count=Count("pk"), active=Count("pk", filter=Q(status=PracticeBaseStatus.ACTIVE))
    )
    latest = bases.order_by("-created_at", "-pk")[:SHOWN]
    return EvidenceSection(
        key="practice_bases",
        title=_("Practice bases it hosts"),
        count=figures.pop("count"),
        figures=figures,
        latest=_records(
            user,
            PracticeBase,
            latest,
            lambda b: (
                b.name,
                _("%(stations)d stations · %(address)s")
                % {"stations": b.stations, "address": b.address},
                None,
            ),
            kind_label=_("Practice base"),
        ),
    )


def _interns(user, enterprise: Organization) -> EvidenceSection:
    """Counted by nomination; listed by placement (students' names stay with their
    colleges)."""
    figures = Nomination.objects.filter(
        placement__host=enterprise, status__in=INTERN_STATUSES
    ).aggregate(
        count=Count("pk"),
        started=Count("pk", filter=Q(status=NominationStatus.STARTED)),
        completed=Count("pk", filter=Q(status=NominationStatus.COMPLETED)),
        placements=Count("placement_id", distinct=True),
    )
    interned = Q(nominations__status__in=INTERN_STATUSES)
    latest = (
        Placement.objects.filter(host=enterprise)
        .annotate(interns=Count("nominations", filter=interned))
        .filter(interns__gt=0)
        .order_by("-start_date", "-pk")[:SHOWN]
    )
    return EvidenceSection(
        key="interns",
        title=_("Interns hosted"),
        count=figures.pop("count"),
        figures=figures,
        latest=_records(
            user,
            Placement,
            latest,
            lambda p: (
                p.title,
                ngettext(
                    "%(count)d intern · %(start)s – %(end)s",
                    "%(count)d interns · %(start)s – %(end)s",
                    p.interns,
                )
                % {
                    "count": p.interns,
                    "start": f"{p.start_date:%Y-%m-%d}",
                    "end": f"{p.end_date:%Y-%m-%d}",
                },
                p.start_date,
            ),
            kind_label=_("Placement"),
        ),
    )


def _secondments(user, enterprise: Organization) -> EvidenceSection:
    secondments = Secondment.objects.filter(host=enterprise)
    figures = secondments.aggregate(count=Count("pk"), days=Sum("days"))
    figures["days"] = figures["days"] or 0
    latest = secondments.select_related("college").order_by("-start_date", "-pk")[:SHOWN]
    return EvidenceSection(
        key="secondments",
        title=_("Teachers hosted for practice"),
        count=figures.pop("count"),
        figures=figures,
        latest=_records(
            user,
            Secondment,
            latest,
            lambda s: (
                f"{s.teacher_name} · {s.college.name}",
                _("%(days)d days · %(start)s – %(end)s")
                % {
                    "days": s.days,
                    "start": f"{s.start_date:%Y-%m-%d}",
                    "end": f"{s.end_date:%Y-%m-%d}",
                },
                s.start_date,
            ),
            kind_label=_("Teacher secondment"),
        ),
    )


def _funds(user, enterprise: Organization) -> EvidenceSection:
    awards = Award.objects.filter(application__applicant=enterprise)
    figures = awards.aggregate(count=Count("pk"), awarded=Sum("amount"))
    released = Tranche.objects.filter(
        award__application__applicant=enterprise, status=TrancheStatus.RELEASED
    ).aggregate(total=Sum("amount"))["total"]
    figures["awarded"] = figures["awarded"] or Decimal("0.00")
    figures["released"] = released or Decimal("0.00")
    latest = awards.select_related("application", "program").order_by("-created_at", "-pk")[:SHOWN]
    return EvidenceSection(
        key="funds",
        title=_("Funds received"),
        count=figures.pop("count"),
        figures=figures,
        latest=_records(
            user,
            FundApplication,
            latest,
            lambda a: (
                f"{a.application.reference} {a.application.title}",
                _("%(program)s · awarded %(amount)s, released %(released)s")
                % {"program": a.program.title, "amount": a.amount, "released": a.released},
                a.created_at.date(),
            ),
            kind_label=_("Award"),
            # An award is shown on its application's page: the link opens that page.
            opens=lambda a: a.application,
        ),
    )


SECTIONS = (_agreements, _partnerships, _practice_bases, _interns, _secondments, _funds)


def certification_evidence(user, enterprise: Organization) -> list[EvidenceSection]:
    """Every kind of evidence of the enterprise, as the viewer may read it."""
    return [section(user, enterprise) for section in SECTIONS]
