"""Finding partners (资源供需对接): the cooperation needs and offers organizations post,
and the interest other organizations express in them, thread by thread. One module per
part; everything is importable from here."""

from .interests import Interest, InterestMessage
from .needs import (
    AGREEMENT_KINDS,
    PUBLIC_STATUSES,
    CooperationNeed,
    NeedDirection,
    NeedKind,
    NeedStatus,
    audience_text,
    specialty_terms,
)

__all__ = [
    "AGREEMENT_KINDS",
    "PUBLIC_STATUSES",
    "CooperationNeed",
    "Interest",
    "InterestMessage",
    "NeedDirection",
    "NeedKind",
    "NeedStatus",
    "audience_text",
    "specialty_terms",
]
