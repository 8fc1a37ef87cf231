"""The transition tables and who may do what: read by services, pages and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    # fulfil (with evidence), breach, waive
    ClauseStatus.OPEN: frozenset(
        {ClauseStatus.CLAIMED, ClauseStatus.BREACHED, ClauseStatus.WAIVED}
    ),
    # confirm, or dispute (open again)
    ClauseStatus.CLAIMED: frozenset({ClauseStatus.FULFILLED, ClauseStatus.OPEN}),
    ClauseStatus.FULFILLED: frozenset(),
    ClauseStatus.BREACHED: frozenset(),
    ClauseStatus.WAIVED: frozenset(),
}
# Each clause step: the status it leads to, and who takes it ("owers" record their own
# fulfilment; "holders", those the clause is owed to, confirm, dispute, breach, waive).
CLAUSE_STEPS: dict[str, tuple[str, str]] = {
    "fulfil": (ClauseStatus.CLAIMED, "owers"),
    "confirm": (ClauseStatus.FULFILLED, "holders"),
    "dispute": (ClauseStatus.OPEN, "holders"),
    "breach": (ClauseStatus.BREACHED, "holders"),
    "waive": (ClauseStatus.WAIVED, "holders"),
}
# Breach and waiver only once the agreement is in effect (from its effective date).
STEPS_FROM_EFFECTIVE_DATE = frozenset({"breach", "waive"})

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


def send_requirements(
    agreement: Agreement, *, parties=None, clause_count: int | None = None
) -> dict[str, str]:
    """What an agreement still lacks before it can be sent for signature, by field:
    at least one clause, and a role for every party. Empty when it is ready."""
    parties = list(agreement.parties.all()) if parties is None else parties
    if clause_count is None:
        clause_count = agreement.clauses.count()
    missing: dict[str, str] = {}
    if not clause_count:
        missing["clauses"] = _("Add at least one right or responsibility before sending.")
    unnamed = [p.organization.name for p in parties if not p.role.strip()]
    if unnamed:
        missing["parties"] = _("Give every party its role in the agreement first: %(names)s.") % {
            "names": pgettext("list separator", ", ").join(unnamed)
        }
    return missing


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


def may_take_clause_step(user, clause: Clause, step: str) -> bool:
    """Whether the user's organizations are on the side of the clause that takes
    ``step`` (whatever the clause's status now)."""
    if user.is_superuser:
        return True
    acting = access.organization_ids(user, access.WRITE_ROLES)
    owers, holders = clause_owers_and_holders(clause)
    side = owers if CLAUSE_STEPS[step][1] == "owers" else holders
    return bool(side & acting)


def clause_actions(user, clause: Clause, today=None) -> set[str]:
    """Which of fulfil / confirm / dispute / breach / waive this user may take on the
    clause now. While the agreement binds, those who owe an open clause record it
    fulfilled (with evidence); those it is owed to confirm or dispute that, and from
    the effective date on report a breach of an open clause or waive it."""
    agreement = clause.agreement
    if agreement.status not in BINDING_STATUSES:
        return set()
    in_effect = agreement.is_binding(today)
    return {
        step
        for step, (target, _side) in CLAUSE_STEPS.items()
        if target in CLAUSE_TRANSITIONS[clause.status]
        and (in_effect or step not in STEPS_FROM_EFFECTIVE_DATE)
        and may_take_clause_step(user, clause, step)
    }
