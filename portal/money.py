"""Sums of money in yuan as people read them: two decimals, grouped by thousands.

English and Chinese both write ``300,000.00`` (``portal/formats/zh_Hans`` sets the
separator Django's own Chinese formats leave out). Tables, pages and notifications use
these, never ``str(amount)``, which prints ``300000.00``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.functional import Promise, lazy

CENT = Decimal("0.01")


def format_money(value) -> str:
    """``300,000.00`` (in the active language's grouping); "" for no value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def money_lazy(value) -> Promise:
    """``format_money`` when shown: in a notification, in each recipient's language."""
    return lazy(format_money, str)(value)
