"""Every write with rules for partnerships, agreements and clauses (see each module).

Pages and the API import from here; the modules split the work by what it touches.
"""

from portal.workflow import InvalidTransition

from .agreements import (
    agreement_activate,
    agreement_create,
    agreement_expire,
    agreement_renew,
    agreement_send,
    agreement_set_parties,
    agreement_sign,
    agreement_terminate,
    agreement_update_terms,
    party_add,
    party_remove,
)
from .clauses import (
    clause_breach,
    clause_create,
    clause_delete,
    clause_fulfil,
    clause_update,
    clause_waive,
)
from .daily import agreements_daily
from .partnerships import (
    partnership_add_member,
    partnership_change_status,
    partnership_create,
    partnership_remove_member,
    partnership_set_members,
    partnership_update,
)
from .rules import (
    AGREEMENT_TERM_FIELDS,
    AGREEMENT_TRANSITIONS,
    CLAUSE_TERM_FIELDS,
    CLAUSE_TRANSITIONS,
    DUE_SOON_DAYS,
    PARTNERSHIP_FIELDS,
    PARTNERSHIP_TRANSITIONS,
    RENEWABLE_STATUSES,
    can_change_partnership,
    can_create_for,
    can_edit_terms,
    can_sign_for,
    can_terminate,
    clause_actions,
    clause_owers_and_holders,
    signable_parties,
)

__all__ = [
    "AGREEMENT_TERM_FIELDS",
    "AGREEMENT_TRANSITIONS",
    "CLAUSE_TERM_FIELDS",
    "CLAUSE_TRANSITIONS",
    "DUE_SOON_DAYS",
    "PARTNERSHIP_FIELDS",
    "PARTNERSHIP_TRANSITIONS",
    "RENEWABLE_STATUSES",
    "InvalidTransition",
    "agreement_activate",
    "agreement_create",
    "agreement_expire",
    "agreement_renew",
    "agreement_send",
    "agreement_set_parties",
    "agreement_sign",
    "agreement_terminate",
    "agreement_update_terms",
    "agreements_daily",
    "can_change_partnership",
    "can_create_for",
    "can_edit_terms",
    "can_sign_for",
    "can_terminate",
    "clause_actions",
    "clause_breach",
    "clause_create",
    "clause_delete",
    "clause_fulfil",
    "clause_owers_and_holders",
    "clause_update",
    "clause_waive",
    "partnership_add_member",
    "partnership_change_status",
    "partnership_create",
    "partnership_remove_member",
    "partnership_set_members",
    "partnership_update",
    "party_add",
    "party_remove",
    "signable_parties",
]
