"""Every write with rules for partnerships, agreements and clauses.

Each workflow step checks the current status against its table, checks permission,
locks the row inside a transaction, writes, and notifies after commit (through
``portal.notifications.notify``, whose emails go out on commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, OrganizationKind, User
from portal import access
from portal.notifications import notify
from portal.references import next_reference
from portal.reminders import send_once
from portal.workflow import InvalidTransition, check_transition

from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementParty,
    AgreementStatus,
    Clause,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)

S = AgreementStatus
AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.NEGOTIATING}),
    S.NEGOTIATING: frozenset({S.SIGNED}),
    S.SIGNED: frozenset({S.ACTIVE, S.EXPIRED, S.TERMINATED}),
    S.ACTIVE: frozenset({S.EXPIRED, S.TERMINATED}),
    S.EXPIRED: frozenset(),
    S.TERMINATED: frozenset(),
}
RENEWABLE_STATUSES = frozenset({S.SIGNED, S.ACTIVE, S.EXPIRED})

CLAUSE_TRANSITIONS: dict[str, frozenset[str]] = {
    ClauseStatus.OPEN: frozenset(
        {ClauseStatus.FULFILLED, ClauseStatus.BREACHED, ClauseStatus.WAIVED}
    ),
    ClauseStatus.FULFILLED: frozenset(),
    ClauseStatus.BREACHED: frozenset(),
    ClauseStatus.WAIVED: frozenset(),
}

P = PartnershipStatus
PARTNERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    P.PROPOSED: frozenset({P.ACTIVE, P.ENDED}),
    P.ACTIVE: frozenset({P.SUSPENDED, P.ENDED}),
    P.SUSPENDED: frozenset({P.ACTIVE, P.ENDED}),
    P.ENDED: frozenset(),
}

PARTNERSHIP_FIELDS = ("name", "kind", "start_date", "end_date", "description")
AGREEMENT_TERM_FIELDS = (
    "title",
    "kind",
    "partnership",
    "effective_date",
    "expiry_date",
    "legal_basis",
    "summary",
)
CLAUSE_TERM_FIELDS = ("party", "kind", "category", "text", "due_date")
EXPIRY_REMINDER_DAYS = (30, 7, 1)
DUE_SOON_DAYS = 7


# --- permissions -------------------------------------------------------------------


def can_create_for(user, organization: Organization) -> bool:
    """Admins and staff act for their organization."""
    return user.is_superuser or organization.pk in access.organization_ids(user, access.WRITE_ROLES)


def can_change_partnership(user, partnership: Partnership) -> bool:
    """The lead organization's admins and staff run the partnership."""
    return can_create_for(user, partnership.lead)


def can_edit_terms(user, agreement: Agreement) -> bool:
    """Admins and staff of any party propose and change the terms."""
    return access.can_change(user, agreement)


def can_sign_for(user, party: AgreementParty) -> bool:
    """Only an admin of the party's organization signs for it."""
    return user.is_superuser or party.organization_id in access.organization_ids(
        user, {access.ADMIN}
    )


def can_terminate(user, agreement: Agreement) -> bool:
    return access.can_administer(user, agreement)


def signable_parties(user, agreement: Agreement) -> list[AgreementParty]:
    """The parties this user may still sign for."""
    if agreement.status != AgreementStatus.NEGOTIATING:
        return []
    admin_of = access.organization_ids(user, {access.ADMIN})
    return [
        p for p in agreement.parties.all() if p.organization_id in admin_of and not p.has_signed
    ]


def clause_owers_and_holders(clause: Clause) -> tuple[set[int], set[int]]:
    """Who owes the clause and who may hold the others to it, as organization ids.

    A responsibility is owed by its party, to the other parties. A right is held by its
    party, and owed by the others.
    """
    party = clause.party.organization_id
    others = {p.organization_id for p in clause.agreement.parties.all()} - {party}
    if clause.kind == ClauseKind.RESPONSIBILITY:
        return {party}, others
    return others, {party}


def clause_actions(user, clause: Clause) -> set[str]:
    """Which of fulfil / breach / waive this user may take on the clause now: those who
    owe it record it fulfilled; those it is owed to record a breach or waive it."""
    if clause.status != ClauseStatus.OPEN or clause.agreement.status not in BINDING_STATUSES:
        return set()
    if user.is_superuser:
        return {"fulfil", "breach", "waive"}
    acting = access.organization_ids(user, access.WRITE_ROLES)
    owers, holders = clause_owers_and_holders(clause)
    actions = set()
    if owers & acting:
        actions.add("fulfil")
    if holders & acting:
        actions |= {"breach", "waive"}
    return actions


# --- helpers -----------------------------------------------------------------------


def _people(organization_ids: Iterable[int]):
    return User.objects.acting_for(organization_ids)


def _party_ids(agreement: Agreement) -> set[int]:
    return set(agreement.parties.values_list("organization_id", flat=True))


def _lock_agreement(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _clean_parties(parties: Iterable[tuple[Organization, str]]) -> list[tuple[Organization, str]]:
    cleaned: dict[int, tuple[Organization, str]] = {}
    for organization, role in parties:
        if organization.pk in cleaned:
            raise ValidationError({"parties": _("Each organization can be a party only once.")})
        if not organization.is_active:
            raise ValidationError(
                {"parties": _("%(name)s is not active.") % {"name": organization.name}}
            )
        cleaned[organization.pk] = (organization, (role or "").strip())
    if len(cleaned) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    return list(cleaned.values())


def _require_actor_among(actor, organization_ids: set[int]) -> None:
    """Agreements are drafted by an admin or staff member of one of the parties."""
    access.require(
        actor.is_superuser
        or bool(organization_ids & access.organization_ids(actor, access.WRITE_ROLES)),
        _("Your own organization must be one of the parties, and you its admin or staff."),
    )


def _require_editable(agreement: Agreement) -> None:
    if not agreement.terms_editable:
        raise InvalidTransition(
            _("The terms of %(reference)s are frozen: it is %(status)s.")
            % {"reference": agreement.reference, "status": agreement.get_status_display()}
        )


def _terms_changed(agreement: Agreement) -> None:
    """Any change to the terms voids the signatures given so far, and says so."""
    signed = agreement.parties.filter(signed_at__isnull=False)
    if not signed.exists():
        return
    signed.update(signed_at=None, signed_by=None, signed_terms_hash="", updated_at=timezone.now())
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(
            gettext_lazy("Terms of {reference} changed: signatures cleared"),
            reference=agreement.reference,
        ),
        body=format_lazy(
            gettext_lazy(
                "The terms of “{title}” changed after a party had signed. Every party "
                "must review and sign again."
            ),
            title=agreement.title,
        ),
        url=agreement.get_absolute_url(),
    )


# --- partnerships ------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *,
    actor,
    lead: Organization,
    name: str,
    kind: str,
    lead_role: str = "",
    members: Iterable[tuple[Organization, str]] = (),
    start_date: date | None = None,
    end_date: date | None = None,
    description: str = "",
) -> Partnership:
    """A college or enterprise proposes a partnership that it leads."""
    access.require(
        can_create_for(actor, lead), _("You can only create partnerships your organization leads.")
    )
    if lead.kind not in (OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE):
        raise ValidationError({"lead": _("A partnership is led by a college or an enterprise.")})
    partnership = Partnership(
        lead=lead,
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    partnership.full_clean()
    partnership.save()
    PartnershipMember.objects.create(partnership=partnership, organization=lead, role=lead_role)
    for organization, role in members:
        partnership_add_member(
            actor=actor, partnership=partnership, organization=organization, role=role
        )
    return partnership


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **fields) -> Partnership:
    access.require(can_change_partnership(actor, partnership))
    for key in PARTNERSHIP_FIELDS:
        if key in fields:
            setattr(partnership, key, fields[key])
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def partnership_add_member(
    *, actor, partnership: Partnership, organization: Organization, role: str = ""
) -> PartnershipMember:
    access.require(can_change_partnership(actor, partnership))
    if partnership.members.filter(organization=organization).exists():
        raise ValidationError(
            {"organization": _("%(name)s is already a member.") % {"name": organization.name}}
        )
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("%(name)s is not active.") % {"name": organization.name}}
        )
    member = PartnershipMember.objects.create(
        partnership=partnership, organization=organization, role=role
    )
    if organization.pk != partnership.lead_id:
        notify(
            recipients=_people([organization.pk]),
            title=format_lazy(
                gettext_lazy("{organization} added you to the partnership “{name}”"),
                organization=partnership.lead.name,
                name=partnership.name,
            ),
            url=partnership.get_absolute_url(),
        )
    return member


@transaction.atomic
def partnership_remove_member(*, actor, member: PartnershipMember) -> None:
    access.require(can_change_partnership(actor, member.partnership))
    if member.organization_id == member.partnership.lead_id:
        raise ValidationError(_("The lead organization stays a member."))
    member.delete()


@transaction.atomic
def partnership_set_members(
    *, actor, partnership: Partnership, members: Iterable[tuple[Organization, str]]
) -> Partnership:
    """Make the member list exactly ``members`` (the lead always stays)."""
    access.require(can_change_partnership(actor, partnership))
    wanted = {organization.pk: (organization, role) for organization, role in members}
    for member in list(partnership.members.all()):
        if member.organization_id == partnership.lead_id:
            if member.organization_id in wanted:
                member.role = wanted[member.organization_id][1]
                member.save()
            continue
        if member.organization_id not in wanted:
            member.delete()
        elif member.role != wanted[member.organization_id][1]:
            member.role = wanted[member.organization_id][1]
            member.save()
    existing = set(partnership.members.values_list("organization_id", flat=True))
    for organization_id, (organization, role) in wanted.items():
        if organization_id not in existing:
            partnership_add_member(
                actor=actor, partnership=partnership, organization=organization, role=role
            )
    return partnership


@transaction.atomic
def partnership_change_status(*, actor, partnership: Partnership, status: str) -> Partnership:
    """Activate, suspend or end a partnership (the lead's admins and staff)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    check_transition(partnership.status, status, PARTNERSHIP_TRANSITIONS, label=_("A partnership"))
    access.require(can_change_partnership(actor, partnership))
    partnership.status = status
    if status == PartnershipStatus.ENDED and not partnership.end_date:
        partnership.end_date = timezone.localdate()
    partnership.save()
    return partnership


# --- agreements: terms -------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor,
    title: str,
    kind: str,
    effective_date: date,
    expiry_date: date,
    parties: Iterable[tuple[Organization, str]],
    partnership: Partnership | None = None,
    legal_basis: str = "",
    summary: str = "",
    renewed_from: Agreement | None = None,
) -> Agreement:
    """Draft an agreement between two or more parties, the actor's organization among them."""
    parties = _clean_parties(parties)
    _require_actor_among(actor, {organization.pk for organization, _role in parties})
    if (
        partnership is not None
        and not Partnership.objects.visible_to(actor).filter(pk=partnership.pk).exists()
    ):
        raise ValidationError({"partnership": _("Choose a partnership your organization is in.")})
    agreement = Agreement(
        title=title,
        kind=kind,
        effective_date=effective_date,
        expiry_date=expiry_date,
        partnership=partnership,
        legal_basis=legal_basis,
        summary=summary,
        renewed_from=renewed_from,
        reference="pending",
    )
    agreement.full_clean(exclude=["reference"])
    agreement.reference = next_reference("AGR")
    agreement.save()
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organization=organization, role=role)
        for organization, role in parties
    )
    # bulk_create skips history; record each party's creation like any other change.
    for party in agreement.parties.all():
        party.save()
    return agreement


@transaction.atomic
def agreement_update_terms(*, actor, agreement: Agreement, **fields) -> Agreement:
    """Change the text, dates or partnership of a draft or negotiating agreement."""
    agreement = _lock_agreement(agreement)
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    if (
        fields.get("partnership") is not None
        and not Partnership.objects.visible_to(actor).filter(pk=fields["partnership"].pk).exists()
    ):
        raise ValidationError({"partnership": _("Choose a partnership your organization is in.")})
    before = agreement.terms_hash()
    for key in AGREEMENT_TERM_FIELDS:
        if key in fields:
            setattr(agreement, key, fields[key])
    agreement.full_clean()
    agreement.save()
    if agreement.terms_hash() != before:
        _terms_changed(agreement)
    return agreement


@transaction.atomic
def agreement_set_parties(
    *, actor, agreement: Agreement, parties: Iterable[tuple[Organization, str]]
) -> Agreement:
    """Make the parties exactly ``parties``; a removed party's clauses go with it."""
    agreement = _lock_agreement(agreement)
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    parties = _clean_parties(parties)
    _require_actor_among(actor, {organization.pk for organization, _role in parties})
    before = agreement.terms_hash()
    wanted = {organization.pk: role for organization, role in parties}
    for party in list(agreement.parties.all()):
        if party.organization_id not in wanted:
            party.delete()
        elif party.role != wanted[party.organization_id]:
            party.role = wanted[party.organization_id]
            party.save()
    existing = set(agreement.parties.values_list("organization_id", flat=True))
    for organization, role in parties:
        if organization.pk not in existing:
            AgreementParty.objects.create(agreement=agreement, organization=organization, role=role)
    if agreement.terms_hash() != before:
        _terms_changed(agreement)
    return agreement


@transaction.atomic
def party_add(
    *, actor, agreement: Agreement, organization: Organization, role: str = ""
) -> AgreementParty:
    current = [(p.organization, p.role) for p in agreement.parties.select_related("organization")]
    agreement_set_parties(
        actor=actor, agreement=agreement, parties=[*current, (organization, role)]
    )
    return agreement.parties.get(organization=organization)


@transaction.atomic
def party_remove(*, actor, party: AgreementParty) -> None:
    agreement = party.agreement
    remaining = [
        (p.organization, p.role)
        for p in agreement.parties.select_related("organization")
        if p.pk != party.pk
    ]
    agreement_set_parties(actor=actor, agreement=agreement, parties=remaining)


def _clean_clause(agreement: Agreement, clause: Clause) -> None:
    if clause.party.agreement_id != agreement.pk:
        raise ValidationError({"party": _("Choose one of this agreement's parties.")})
    clause.full_clean()


@transaction.atomic
def clause_create(*, actor, agreement: Agreement, **fields) -> Clause:
    """Add a right or a responsibility of one party to a draft or negotiating agreement."""
    agreement = _lock_agreement(agreement)
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    clause = Clause(
        agreement=agreement, **{k: v for k, v in fields.items() if k in CLAUSE_TERM_FIELDS}
    )
    _clean_clause(agreement, clause)
    clause.save()
    _terms_changed(agreement)
    return clause


@transaction.atomic
def clause_update(*, actor, clause: Clause, **fields) -> Clause:
    agreement = _lock_agreement(clause.agreement)
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    changed = False
    for key in CLAUSE_TERM_FIELDS:
        if key in fields and getattr(clause, key) != fields[key]:
            setattr(clause, key, fields[key])
            changed = True
    _clean_clause(agreement, clause)
    clause.save()
    if changed:
        _terms_changed(agreement)
    return clause


@transaction.atomic
def clause_delete(*, actor, clause: Clause) -> None:
    agreement = _lock_agreement(clause.agreement)
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    clause.delete()
    _terms_changed(agreement)


# --- agreements: workflow ----------------------------------------------------------


@transaction.atomic
def agreement_send(*, actor, agreement: Agreement) -> Agreement:
    """Send a draft to the parties for negotiation and signature."""
    agreement = _lock_agreement(agreement)
    check_transition(
        agreement.status, S.NEGOTIATING, AGREEMENT_TRANSITIONS, label=_("An agreement")
    )
    access.require(can_edit_terms(actor, agreement))
    if agreement.parties.count() < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    agreement.status = S.NEGOTIATING
    agreement.save()
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(
            gettext_lazy("{reference} sent for signature: {title}"),
            reference=agreement.reference,
            title=agreement.title,
        ),
        body=gettext_lazy("Review the terms; an admin of each party signs for it."),
        url=agreement.get_absolute_url(),
    )
    return agreement


@transaction.atomic
def agreement_sign(
    *, actor, agreement: Agreement, organization: Organization | None = None
) -> Agreement:
    """Sign for one party. When the last party signs, the agreement is signed (and
    active at once if its effective date has come).

    The agreement row is locked first: two parties signing at the same moment are
    serialized, so both signatures are kept and exactly one of them completes it.
    """
    agreement = _lock_agreement(agreement)
    if agreement.status != S.NEGOTIATING:
        raise InvalidTransition(
            _("%(reference)s cannot be signed: it is %(status)s.")
            % {"reference": agreement.reference, "status": agreement.get_status_display()}
        )
    parties = list(agreement.parties.select_related("organization"))
    if organization is None:
        mine = [p for p in parties if can_sign_for(actor, p) and not p.has_signed]
        if len(mine) != 1:
            raise ValidationError(
                {"organization": _("Say which party you sign for.")}
                if mine
                else _("You are not an admin of a party that has yet to sign.")
            )
        party = mine[0]
    else:
        party = next((p for p in parties if p.organization_id == organization.pk), None)
        if party is None:
            raise ValidationError({"organization": _("That organization is not a party.")})
    access.require(can_sign_for(actor, party), _("Only an admin of the party signs for it."))
    if party.has_signed:
        raise InvalidTransition(
            _("%(party)s has already signed.") % {"party": party.organization.name}
        )
    terms = agreement.terms_hash()
    party.signed_at = timezone.now()
    party.signed_by = actor
    party.signed_terms_hash = terms
    party.save()
    others = _party_ids(agreement) - {party.organization_id}
    notify(
        recipients=_people(others),
        title=format_lazy(
            gettext_lazy("{party} signed {reference}"),
            party=party.organization.name,
            reference=agreement.reference,
        ),
        url=agreement.get_absolute_url(),
    )
    all_signed = all(p.signed_terms_hash == terms for p in agreement.parties.all())
    if all_signed:
        agreement.status = S.SIGNED
        if agreement.effective_date <= timezone.localdate() <= agreement.expiry_date:
            agreement.status = S.ACTIVE
        agreement.save()
        notify(
            recipients=_people(_party_ids(agreement)),
            title=format_lazy(
                gettext_lazy("All parties signed {reference}"), reference=agreement.reference
            ),
            body=format_lazy(
                gettext_lazy("“{title}” is binding from {date}."),
                title=agreement.title,
                date=agreement.effective_date.isoformat(),
            ),
            url=agreement.get_absolute_url(),
        )
    return agreement


@transaction.atomic
def agreement_terminate(*, actor, agreement: Agreement, reason: str) -> Agreement:
    """End a signed or active agreement early (an admin of a party), with the reason."""
    agreement = _lock_agreement(agreement)
    check_transition(agreement.status, S.TERMINATED, AGREEMENT_TRANSITIONS, label=_("An agreement"))
    access.require(can_terminate(actor, agreement), _("Only an admin of a party terminates it."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for terminating.")})
    agreement.status = S.TERMINATED
    agreement.termination_reason = reason.strip()
    agreement.terminated_at = timezone.now()
    agreement.terminated_by = actor
    agreement.save()
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(
            gettext_lazy("{reference} was terminated"), reference=agreement.reference
        ),
        body=reason.strip(),
        url=agreement.get_absolute_url(),
    )
    return agreement


@transaction.atomic
def agreement_renew(
    *,
    actor,
    agreement: Agreement,
    effective_date: date | None = None,
    expiry_date: date | None = None,
) -> Agreement:
    """Copy an agreement, its parties and clauses into a new draft linked to it.

    By default the new term starts the day after the old one ends and lasts as long;
    clause due dates move by the same distance.
    """
    if agreement.status not in RENEWABLE_STATUSES:
        raise InvalidTransition(
            _("Only signed, active or expired agreements renew; %(reference)s is %(status)s.")
            % {"reference": agreement.reference, "status": agreement.get_status_display()}
        )
    access.require(can_edit_terms(actor, agreement))
    effective_date = effective_date or agreement.expiry_date + timedelta(days=1)
    expiry_date = expiry_date or effective_date + (agreement.expiry_date - agreement.effective_date)
    shift = effective_date - agreement.effective_date
    renewal = agreement_create(
        actor=actor,
        title=agreement.title,
        kind=agreement.kind,
        effective_date=effective_date,
        expiry_date=expiry_date,
        parties=[
            (p.organization, p.role) for p in agreement.parties.select_related("organization")
        ],
        partnership=agreement.partnership,
        legal_basis=agreement.legal_basis,
        summary=agreement.summary,
        renewed_from=agreement,
    )
    new_parties = {p.organization_id: p for p in renewal.parties.all()}
    for clause in agreement.clauses.select_related("party"):
        Clause.objects.create(
            agreement=renewal,
            party=new_parties[clause.party.organization_id],
            kind=clause.kind,
            category=clause.category,
            text=clause.text,
            due_date=clause.due_date + shift if clause.due_date else None,
        )
    return renewal


@transaction.atomic
def agreement_activate(*, agreement: Agreement, today: date | None = None) -> Agreement:
    """Signed → active, on the effective date (the daily job)."""
    agreement = _lock_agreement(agreement)
    check_transition(agreement.status, S.ACTIVE, AGREEMENT_TRANSITIONS, label=_("An agreement"))
    if agreement.effective_date > (today or timezone.localdate()):
        raise ValidationError(_("The agreement is not in effect yet."))
    agreement.status = S.ACTIVE
    agreement.save()
    return agreement


@transaction.atomic
def agreement_expire(*, agreement: Agreement, today: date | None = None) -> Agreement:
    """Signed or active → expired, after the expiry date (the daily job)."""
    agreement = _lock_agreement(agreement)
    check_transition(agreement.status, S.EXPIRED, AGREEMENT_TRANSITIONS, label=_("An agreement"))
    if agreement.expiry_date >= (today or timezone.localdate()):
        raise ValidationError(_("The agreement has not expired yet."))
    agreement.status = S.EXPIRED
    agreement.save()
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(gettext_lazy("{reference} has expired"), reference=agreement.reference),
        body=gettext_lazy("Renew it from its page if the cooperation goes on."),
        url=agreement.get_absolute_url(),
    )
    return agreement


# --- clauses: fulfilment -----------------------------------------------------------


@transaction.atomic
def _clause_move(*, actor, clause: Clause, status: str, note: str, action: str) -> Clause:
    clause = (
        Clause.objects.select_for_update().select_related("agreement", "party").get(pk=clause.pk)
    )
    if clause.agreement.status not in BINDING_STATUSES:
        raise InvalidTransition(
            _("Clauses move only while the agreement binds (signed or active); it is %(status)s.")
            % {"status": clause.agreement.get_status_display()}
        )
    check_transition(clause.status, status, CLAUSE_TRANSITIONS, label=_("A clause"))
    if action not in clause_actions(actor, clause):
        access.require(
            False,
            _(
                "Those who owe a clause record it fulfilled; "
                "those it is owed to report a breach or waive it."
            ),
        )
    note = (note or "").strip()
    if status in (ClauseStatus.BREACHED, ClauseStatus.WAIVED) and not note:
        raise ValidationError({"note": _("Give the reason.")})
    clause.status = status
    clause.status_note = note
    clause.status_changed_at = timezone.now()
    clause.status_changed_by = actor
    clause.save()
    notify(
        recipients=_people(_party_ids(clause.agreement)),
        title=format_lazy(
            gettext_lazy("{reference}: a clause of {party} is now {status}"),
            reference=clause.agreement.reference,
            party=clause.party.organization.name,
            status=clause.get_status_display(),
        ),
        body=clause.text if not note else f"{clause.text}\n\n{note}",
        url=clause.get_absolute_url(),
    )
    return clause


def clause_fulfil(*, actor, clause: Clause, note: str = "") -> Clause:
    """The owing party records that it has done what the clause asks (with evidence)."""
    return _clause_move(
        actor=actor, clause=clause, status=ClauseStatus.FULFILLED, note=note, action="fulfil"
    )


def clause_breach(*, actor, clause: Clause, note: str) -> Clause:
    """Another party records that the clause was broken, and why."""
    return _clause_move(
        actor=actor, clause=clause, status=ClauseStatus.BREACHED, note=note, action="breach"
    )


def clause_waive(*, actor, clause: Clause, note: str) -> Clause:
    """Another party releases the owing party from the clause, and says why."""
    return _clause_move(
        actor=actor, clause=clause, status=ClauseStatus.WAIVED, note=note, action="waive"
    )


# --- the daily job -----------------------------------------------------------------


def agreements_daily(today: date) -> dict[str, int]:
    """Activate and expire agreements on their dates; remind parties before expiry and
    of responsibilities due soon or overdue. Each reminder goes out once."""
    report = {
        "activated": 0,
        "expired": 0,
        "expiry_reminders": 0,
        "due_reminders": 0,
        "overdue_reminders": 0,
    }
    for agreement in Agreement.objects.filter(
        status=S.SIGNED, effective_date__lte=today, expiry_date__gte=today
    ):
        agreement_activate(agreement=agreement, today=today)
        report["activated"] += 1
    for agreement in Agreement.objects.filter(status__in=BINDING_STATUSES, expiry_date__lt=today):
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
        if send_once(key, lambda a=agreement, d=days_left: _remind_expiry(a, d)):
            report["expiry_reminders"] += 1

    for clause in Clause.objects.due_within(DUE_SOON_DAYS, today).select_related(
        "agreement", "party"
    ):
        key = f"clause:{clause.pk}:due:{clause.due_date}"
        if send_once(key, lambda c=clause: _remind_clause(c, overdue=False)):
            report["due_reminders"] += 1
    for clause in Clause.objects.overdue(today).select_related("agreement", "party"):
        key = f"clause:{clause.pk}:overdue:{clause.due_date}"
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
