"""Clauses: each party's rights and responsibilities, drafted with the terms; then, while
the agreement binds, fulfilled with evidence by those who owe them and confirmed or
disputed by those they are owed to, or breached or waived from the effective date."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import access
from portal.attachments import attachment_add
from portal.limits import NOTE_TEXT
from portal.models import Attachment
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    BINDING_STATUSES,
    Agreement,
    Clause,
    ClauseStatus,
)
from .agreements import _lock_agreement, _party_ids, _people, _require_editable, _terms_changed
from .rules import (
    CLAUSE_STEPS,
    CLAUSE_TERM_FIELDS,
    CLAUSE_TRANSITIONS,
    STEPS_FROM_EFFECTIVE_DATE,
    can_edit_terms,
    clause_owers_and_holders,
    may_take_clause_step,
)


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


# --- clauses: fulfilment ----------------------------------------------------------


def _lock_clause(clause: Clause) -> Clause:
    """Parent before child: the agreement (whose status decides), then the clause."""
    agreement = _lock_agreement(Agreement(pk=clause.agreement_id))
    clause = lock_row(Clause, clause.pk, "party__organization")
    clause.agreement = agreement
    return clause


def _check_step(actor, clause: Clause, step: str, today=None) -> None:
    """The agreement binds, the clause's status allows the step, the step's date has
    come (409 otherwise), and the actor is on the side that takes it (403)."""
    agreement = clause.agreement
    if agreement.status not in BINDING_STATUSES:
        raise InvalidTransition(
            _("Clauses move only while the agreement binds (signed or active); it is %(status)s.")
            % {"status": agreement.get_status_display()}
        )
    target = CLAUSE_STEPS[step][0]
    check_transition(
        clause.status, target, CLAUSE_TRANSITIONS, label=_("A clause"), choices=ClauseStatus
    )
    if step in STEPS_FROM_EFFECTIVE_DATE and not agreement.is_binding(today):
        raise InvalidTransition(
            _(
                "%(reference)s takes effect on %(date)s: a breach is reported, or a clause "
                "waived, from that day."
            )
            % {"reference": agreement.reference, "date": agreement.effective_date.isoformat()}
        )
    if not may_take_clause_step(actor, clause, step):
        access.require(
            False,
            _(
                "Those who owe a clause record it fulfilled; those it is owed to confirm or "
                "dispute that, report a breach or waive it."
            ),
        )


def _text(value: str, field: str, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > NOTE_TEXT:
        raise ValidationError(
            {field: _("Keep it to %(limit)s characters.") % {"limit": f"{NOTE_TEXT:,}"}}
        )
    return value


def _set_status(clause: Clause, actor, status: str, note: str) -> None:
    clause.status = status
    clause.status_note = note
    clause.status_changed_at = timezone.now()
    clause.status_changed_by = actor


def _tell(clause: Clause, organization_ids, title, body="") -> None:
    notify(
        recipients=_people(organization_ids),
        title=title,
        body=body,
        url=clause.get_absolute_url(),
    )


def _moved_title(clause: Clause):
    return format_lazy(
        gettext_lazy("{reference}: a clause of {party} is now {status}"),
        reference=clause.agreement.reference,
        party=clause.party.organization.name,
        status=ClauseStatus(clause.status).label,
    )


def _evidence_file(clause: Clause, attachment: Attachment | None, upload, actor):
    """The evidence file: one already attached to this clause (the API uploads it
    first through attachments/), or an upload stored now on the clause."""
    if attachment is not None:
        if (
            attachment.content_type_id != ContentType.objects.get_for_model(Clause).pk
            or attachment.object_id != clause.pk
        ):
            raise ValidationError({"attachment": _("Choose a file attached to this clause.")})
        return attachment
    if upload is None:
        return None
    try:
        return attachment_add(
            actor=actor, record=clause, upload=upload, description=_("Evidence of fulfilment")
        )
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


@transaction.atomic
def clause_fulfil(
    *,
    actor,
    clause: Clause,
    evidence: str,
    attachment: Attachment | None = None,
    upload=None,
) -> Clause:
    """The owing party records that it has done what the clause asks, with evidence
    (a text, and a file if it has one); the parties it is owed to then confirm or
    dispute it."""
    clause = _lock_clause(clause)
    _check_step(actor, clause, "fulfil")
    evidence = _text(
        evidence, "evidence", required=_("Say what was done and how the others can check it.")
    )
    file = _evidence_file(clause, attachment, upload, actor)
    _set_status(clause, actor, ClauseStatus.CLAIMED, "")
    clause.evidence = evidence
    clause.evidence_attachment = file
    clause.evidence_at = clause.status_changed_at
    clause.evidence_by = actor
    clause.save()
    owers, holders = clause_owers_and_holders(clause)
    _tell(
        clause,
        holders,
        format_lazy(
            gettext_lazy("{reference}: {party} reports a clause fulfilled; confirm or dispute it"),
            reference=clause.agreement.reference,
            party=clause.party.organization.name,
        ),
        f"{clause.text}\n\n{evidence}",
    )
    _tell(clause, owers, _moved_title(clause), f"{clause.text}\n\n{evidence}")
    return clause


@transaction.atomic
def clause_confirm(*, actor, clause: Clause) -> Clause:
    """A party the clause is owed to confirms the fulfilment claimed: it is fulfilled."""
    clause = _lock_clause(clause)
    _check_step(actor, clause, "confirm")
    _set_status(clause, actor, ClauseStatus.FULFILLED, "")
    clause.save()
    _tell(clause, _party_ids(clause.agreement), _moved_title(clause), clause.text)
    return clause


@transaction.atomic
def clause_dispute(*, actor, clause: Clause, reason: str) -> Clause:
    """A party the clause is owed to disputes the fulfilment claimed, and says why:
    the clause is open again, and both sides are told."""
    clause = _lock_clause(clause)
    _check_step(actor, clause, "dispute")
    reason = _text(reason, "reason", required=_("Say why the evidence does not show it done."))
    _set_status(clause, actor, ClauseStatus.OPEN, reason)
    clause.save()
    _tell(
        clause,
        _party_ids(clause.agreement),
        format_lazy(
            gettext_lazy("{reference}: the fulfilment of a clause of {party} is disputed"),
            reference=clause.agreement.reference,
            party=clause.party.organization.name,
        ),
        f"{clause.text}\n\n{reason}",
    )
    return clause


@transaction.atomic
def _close(*, actor, clause: Clause, step: str, note: str) -> Clause:
    clause = _lock_clause(clause)
    _check_step(actor, clause, step)
    note = _text(note, "note", required=_("Give the reason."))
    _set_status(clause, actor, CLAUSE_STEPS[step][0], note)
    clause.save()
    _tell(clause, _party_ids(clause.agreement), _moved_title(clause), f"{clause.text}\n\n{note}")
    return clause


def clause_breach(*, actor, clause: Clause, note: str) -> Clause:
    """A party it is owed to records that the clause was broken, and why (from the
    agreement's effective date)."""
    return _close(actor=actor, clause=clause, step="breach", note=note)


def clause_waive(*, actor, clause: Clause, note: str) -> Clause:
    """A party it is owed to releases the owing party from the clause, and says why
    (from the agreement's effective date)."""
    return _close(actor=actor, clause=clause, step="waive", note=note)
