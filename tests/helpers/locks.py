"""Read the row locks a piece of code takes, from the SQL it sends (PostgreSQL).

The portal locks parent before child (see portal/__init__.py); these helpers check each
service against that order deterministically, where a race test can only make a
deadlock likely."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The portal's lock order, by table.
LOCK_ORDER = [
    "portal_idempotencyrecord",
    "accounts_organization",
    "accounts_user",
    "accounts_membership",
    "accounts_invitation",
    "accounts_apitoken",
    "partnerships_partnership",
    "partnerships_partnershipmember",
    "partnerships_agreement",
    "partnerships_agreementparty",
    "partnerships_clause",
    "funding_fundprogram",
    "funding_programquestion",
    "funding_fundapplication",
    "funding_review",
    "funding_reviewassignment",
    "funding_award",
    "funding_budgetrevision",
    "funding_tranche",
    "funding_payment",
    "funding_progressreport",
    "funding_indicatorvalue",
    "funding_reportspend",
    "internships_practicebase",
    "internships_practicebasecollege",
    "internships_placement",
    "internships_student",
    "internships_nomination",
    "internships_evaluation",
    "internships_secondment",
    "governance_articles",
    "governance_articleversion",
    "governance_board",
    "governance_boardmember",
    "governance_meeting",
    "governance_resolution",
    "governance_vote",
    "associations_membershiptype",
    "associations_associationmembership",
    "associations_duespayment",
    "associations_entrustment",
    "associations_certificationapplication",
    "discovery_cooperationneed",
    "discovery_interest",
    "portal_referencecounter",
    "portal_notification",
]

_FROM = re.compile(r'\bFROM "(\w+)"')
_OF = re.compile(r"FOR (?:NO KEY )?UPDATE OF (.+?)(?: SKIP LOCKED| NOWAIT)?$")


def locks_taken(function: Callable[[], object]) -> list[str]:
    """Call ``function``; return the tables it locked rows of, in order. Fails if a
    statement locks without ``OF`` (which locks every joined row too)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    tables = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if "FOR UPDATE" not in sql:
            continue
        named = _OF.search(sql)
        if named is None:
            raise AssertionError(f"A lock without OF takes every joined row: {sql[:300]}")
        tables.extend(re.findall(r'"(\w+)"', named.group(1)))
        if not tables:  # pragma: no cover - OF always names a table
            tables.append(_FROM.search(sql).group(1))
    return tables


def assert_lock_order(function: Callable[[], object]) -> list[str]:
    """Call ``function`` and fail unless it locked rows parent before child."""
    tables = locks_taken(function)
    ranks = [LOCK_ORDER.index(table) for table in tables]
    if ranks != sorted(ranks):
        raise AssertionError(f"Rows locked out of the portal's order: {tables}")
    return tables
