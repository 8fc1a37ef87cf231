"""The transition tables and who may do what: read by services, pages and the API."""

from __future__ import annotations

from accounts.models import Organization
from portal import access
from portal.roles import Role

from ..models import (
    BINDING_STATUSES,
    Agreement,
    AgreementParty,
    AgreementStatus,
    Clause,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipStatus,
)

AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.NEGOTIATING}),
    AgreementStatus.NEGOTIATING: frozenset({AgreementStatus.SIGNED}),
    AgreementStatus.SIGNED: frozenset(
        {AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}
    ),
    AgreementStatus.ACTIVE: frozenset({AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}),
    AgreementStatus.EXPIRED: frozenset(),
    AgreementStatus.TERMINATED: frozenset(),
}
RENEWABLE_STATUSES = frozenset(
    {AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED}
)

CLAUSE_TRANSITIONS: dict[str, frozenset[str]] = {
    ClauseStatus.OPEN: frozenset(
        {ClauseStatus.FULFILLED, ClauseStatus.BREACHED, ClauseStatus.WAIVED}
    ),
    ClauseStatus.FULFILLED: frozenset(),
    ClauseStatus.BREACHED: frozenset(),
    ClauseStatus.WAIVED: frozenset(),
}

PARTNERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    PartnershipStatus.PROPOSED: frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.ENDED}),
    PartnershipStatus.ACTIVE: frozenset({PartnershipStatus.SUSPENDED, PartnershipStatus.ENDED}),
    PartnershipStatus.SUSPENDED: frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.ENDED}),
    PartnershipStatus.ENDED: frozenset(),
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
    return user.is_superuser or party.organization_id in access.organization_ids(user, {Role.ADMIN})


def can_terminate(user, agreement: Agreement) -> bool:
    return access.can_administer(user, agreement)


def signable_parties(user, agreement: Agreement) -> list[AgreementParty]:
    """The parties this user may still sign for."""
    if agreement.status != AgreementStatus.NEGOTIATING:
        return []
    admin_of = access.organization_ids(user, {Role.ADMIN})
    return [
        p for p in agreement.parties.all() if p.organization_id in admin_of and not p.has_signed
    ]


def agreement_actions(user, agreement: Agreement) -> set[str]:
    """What the user may do with the agreement now: ``edit`` its terms and parties
    and ``send`` a draft (admins and staff of a party), ``sign`` for a party still to
    sign (its admins), ``terminate`` a binding one (admins), ``renew`` a signed, active
    or expired one (admins and staff)."""
    actions: set[str] = set()
    edits = can_edit_terms(user, agreement)
    if edits and agreement.terms_editable:
        actions.add("edit")
    if edits and AgreementStatus.NEGOTIATING in AGREEMENT_TRANSITIONS[agreement.status]:
        actions.add("send")
    if signable_parties(user, agreement):
        actions.add("sign")
    if AgreementStatus.TERMINATED in AGREEMENT_TRANSITIONS[agreement.status] and can_terminate(
        user, agreement
    ):
        actions.add("terminate")
    if edits and agreement.status in RENEWABLE_STATUSES:
        actions.add("renew")
    return actions


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
