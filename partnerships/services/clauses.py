"""Clauses: each party's rights and responsibilities, drafted with the terms and then
fulfilled, breached or waived while the agreement binds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    BINDING_STATUSES,
    Agreement,
    Clause,
    ClauseStatus,
)
from .agreements import _lock_agreement, _party_ids, _people, _require_editable, _terms_changed
from .rules import CLAUSE_TERM_FIELDS, CLAUSE_TRANSITIONS, can_edit_terms, clause_actions


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
    clause = lock_row(Clause, clause.pk)
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


# --- clauses: fulfilment -----------------------------------------------------------


@transaction.atomic
def _clause_move(*, actor, clause: Clause, status: str, note: str, action: str) -> Clause:
    # Parent before child: the agreement (whose status decides), then the clause.
    agreement = _lock_agreement(Agreement(pk=clause.agreement_id))
    clause = lock_row(Clause, clause.pk, "party__organization")
    clause.agreement = agreement
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
