"""Agreements: drafting the terms and parties, and the workflow from send to renewal.

Each workflow step checks the current status against its table, checks permission,
locks the agreement row inside a transaction, writes, and notifies (emails go out on
commit).
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

from accounts.models import Organization, User
from portal import access
from portal.dates import check_date_in_range, shift_date
from portal.notifications import notify
from portal.references import next_reference
from portal.workflow import InvalidTransition, check_transition, lock_row

from ..models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    Clause,
    Partnership,
)
from .rules import (
    AGREEMENT_TERM_FIELDS,
    AGREEMENT_TRANSITIONS,
    RENEWABLE_STATUSES,
    can_edit_terms,
    can_sign_for,
    can_terminate,
    send_requirements,
)

# The longest signatory name, title and place a signature records (the model's limit).
SIGNATURE_TEXT = 200

# --- helpers -----------------------------------------------------------------------


def _people(organization_ids: Iterable[int]):
    return User.objects.acting_for(organization_ids)


def _party_ids(agreement: Agreement) -> set[int]:
    return set(agreement.parties.values_list("organization_id", flat=True))


def _lock_agreement(agreement: Agreement) -> Agreement:
    """Lock the agreement row: every change to its parties or clauses takes it first."""
    return lock_row(Agreement, agreement.pk)


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
    signed.update(
        signed_at=None,
        signed_by=None,
        signed_terms_hash="",
        signatory_name="",
        signatory_title="",
        signed_place="",
        updated_at=timezone.now(),
    )
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
        and not Partnership.objects.linkable_by(actor).filter(pk=partnership.pk).exists()
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
        and not Partnership.objects.linkable_by(actor).filter(pk=fields["partnership"].pk).exists()
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
    # Lock before reading the parties: two additions at once would each keep the list
    # they read and drop the other's party.
    agreement = _lock_agreement(agreement)
    current = [(p.organization, p.role) for p in agreement.parties.select_related("organization")]
    agreement_set_parties(
        actor=actor, agreement=agreement, parties=[*current, (organization, role)]
    )
    return agreement.parties.get(organization=organization)


@transaction.atomic
def party_set_role(*, actor, party: AgreementParty, role: str) -> AgreementParty:
    """Say what a party is in the agreement ("Party A", "host enterprise"), while its
    terms may change; a change after a signature clears the signatures, like any term."""
    agreement = _lock_agreement(Agreement(pk=party.agreement_id))
    _require_editable(agreement)
    access.require(can_edit_terms(actor, agreement))
    party = lock_row(AgreementParty, party.pk, "organization")
    role = (role or "").strip()
    if not role:
        raise ValidationError({"role": _("Give the party's role in the agreement.")})
    if role == party.role:
        return party
    party.role = role
    party.full_clean(exclude=["agreement", "organization", "signed_by"])
    party.save()
    _terms_changed(agreement)
    return party


@transaction.atomic
def party_remove(*, actor, party: AgreementParty) -> None:
    agreement = _lock_agreement(Agreement(pk=party.agreement_id))
    remaining = [
        (p.organization, p.role)
        for p in agreement.parties.select_related("organization")
        if p.pk != party.pk
    ]
    agreement_set_parties(actor=actor, agreement=agreement, parties=remaining)


# --- agreements: workflow ----------------------------------------------------------


@transaction.atomic
def agreement_send(*, actor, agreement: Agreement) -> Agreement:
    """Send a draft to the parties for negotiation and signature."""
    agreement = _lock_agreement(agreement)
    check_transition(
        agreement.status,
        AgreementStatus.NEGOTIATING,
        AGREEMENT_TRANSITIONS,
        label=_("An agreement"),
    )
    access.require(can_edit_terms(actor, agreement))
    parties = list(agreement.parties.select_related("organization"))
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    missing = send_requirements(agreement, parties=parties)
    if missing:
        raise ValidationError(missing)
    agreement.status = AgreementStatus.NEGOTIATING
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


def _signature_fields(actor, name: str | None, title: str, place: str) -> tuple[str, str, str]:
    """The signatory's name (the actor's own by default), title and the place of
    signing, checked: a signature names where it was given."""
    name = (name or "").strip() or actor.get_full_name() or actor.username
    title, place = (title or "").strip(), (place or "").strip()
    errors = {}
    for field, value in (("signatory_name", name), ("signatory_title", title), ("place", place)):
        if len(value) > SIGNATURE_TEXT:
            errors[field] = _("Keep it to %(limit)s characters.") % {"limit": SIGNATURE_TEXT}
    if not place:
        errors["place"] = _("Say where you sign (the city, for example).")
    if errors:
        raise ValidationError(errors)
    return name, title, place


@transaction.atomic
def agreement_sign(
    *,
    actor,
    agreement: Agreement,
    organization: Organization | None = None,
    signatory_name: str | None = None,
    signatory_title: str = "",
    place: str = "",
) -> Agreement:
    """Sign for one party, naming the signatory (the actor; their name by default),
    their title and the place of signing. When the last party signs, the agreement is
    signed (and active at once if its effective date has come).

    The agreement row is locked first: two parties signing at the same moment are
    serialized, so both signatures are kept and exactly one of them completes it.
    """
    agreement = _lock_agreement(agreement)
    if agreement.status != AgreementStatus.NEGOTIATING:
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
    name, title, place = _signature_fields(actor, signatory_name, signatory_title, place)
    terms = agreement.terms_hash()
    party.signed_at = timezone.now()
    party.signed_by = actor
    party.signed_terms_hash = terms
    party.signatory_name = name
    party.signatory_title = title
    party.signed_place = place
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
        agreement.status = AgreementStatus.SIGNED
        if agreement.effective_date <= timezone.localdate() <= agreement.expiry_date:
            agreement.status = AgreementStatus.ACTIVE
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
    check_transition(
        agreement.status, AgreementStatus.TERMINATED, AGREEMENT_TRANSITIONS, label=_("An agreement")
    )
    access.require(can_terminate(actor, agreement), _("Only an admin of a party terminates it."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for terminating.")})
    agreement.status = AgreementStatus.TERMINATED
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
    agreement = _lock_agreement(agreement)
    if agreement.status not in RENEWABLE_STATUSES:
        raise InvalidTransition(
            _("Only signed, active or expired agreements renew; %(reference)s is %(status)s.")
            % {"reference": agreement.reference, "status": agreement.get_status_display()}
        )
    access.require(can_edit_terms(actor, agreement))
    effective_date = effective_date or shift_date(
        agreement.expiry_date, timedelta(days=1), field="effective_date"
    )
    check_date_in_range(effective_date, field="effective_date")
    expiry_date = expiry_date or shift_date(
        effective_date, agreement.expiry_date - agreement.effective_date, field="expiry_date"
    )
    check_date_in_range(expiry_date, field="expiry_date")
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
            due_date=shift_date(clause.due_date, shift, field="effective_date")
            if clause.due_date
            else None,
        )
    return renewal


@transaction.atomic
def agreement_activate(*, agreement: Agreement, today: date | None = None) -> Agreement:
    """Signed → active, on the effective date (the daily job)."""
    agreement = _lock_agreement(agreement)
    check_transition(
        agreement.status, AgreementStatus.ACTIVE, AGREEMENT_TRANSITIONS, label=_("An agreement")
    )
    if agreement.effective_date > (today or timezone.localdate()):
        raise ValidationError(_("The agreement is not in effect yet."))
    agreement.status = AgreementStatus.ACTIVE
    agreement.save()
    return agreement


@transaction.atomic
def agreement_expire(*, agreement: Agreement, today: date | None = None) -> Agreement:
    """Signed or active → expired, after the expiry date (the daily job)."""
    agreement = _lock_agreement(agreement)
    check_transition(
        agreement.status, AgreementStatus.EXPIRED, AGREEMENT_TRANSITIONS, label=_("An agreement")
    )
    if agreement.expiry_date >= (today or timezone.localdate()):
        raise ValidationError(_("The agreement has not expired yet."))
    agreement.status = AgreementStatus.EXPIRED
    agreement.save()
    notify(
        recipients=_people(_party_ids(agreement)),
        title=format_lazy(gettext_lazy("{reference} has expired"), reference=agreement.reference),
        body=gettext_lazy("Renew it from its page if the cooperation goes on."),
        url=agreement.get_absolute_url(),
    )
    return agreement
