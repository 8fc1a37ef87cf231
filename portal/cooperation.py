"""An organization's cooperation page: each app adds the records the organization takes
part in (partnerships, agreements, later funds and placements)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CooperationRow:
    label: str
    url: str
    status: str = ""
    detail: str = ""


@dataclass(frozen=True)
class CooperationSection:
    title: str
    rows: list[CooperationRow] = field(default_factory=list)
    empty_text: str = ""


_providers: list[Callable] = []


def section(provider: Callable) -> Callable:
    """Register ``provider(user, organization) -> CooperationSection``."""
    _providers.append(provider)
    return provider


def sections_for(user, organization) -> list[CooperationSection]:
    return [provider(user, organization) for provider in _providers]


# --- an organization's public cooperation record --------------------------------------
#
# Its profile shows, to every signed-in user, how many records of each kind the
# organization takes part in: counted among those the viewer sees (so a count never
# tells of records hidden from them), each linking to the list page filtered to them.


@dataclass(frozen=True)
class CooperationFigure:
    label: str
    count: int
    url: str


_figure_providers: list[Callable] = []


def figure(provider: Callable) -> Callable:
    """Register ``provider(user, organization) -> CooperationFigure`` (one query)."""
    _figure_providers.append(provider)
    return provider


def figures_for(user, organization) -> list[CooperationFigure]:
    return [provider(user, organization) for provider in _figure_providers]


# Partners: organizations that share a binding agreement. The app that keeps agreements
# registers ``source(organization_ids) -> QuerySet of organization ids`` (the ids of
# every party to a binding agreement of one of those organizations, them included).
_partner_source: Callable | None = None


def register_partner_source(source: Callable) -> None:
    global _partner_source
    _partner_source = source


# Organizations with open needs or offers the user may see: registered by the app that
# keeps them, as ``source(user) -> QuerySet of organization ids``.
_open_needs_source: Callable | None = None


def register_open_needs_source(source: Callable) -> None:
    global _open_needs_source
    _open_needs_source = source


def with_open_needs(user):
    """A subquery of the organizations with an open need or offer the user may see, or
    None when no app keeps them."""
    if _open_needs_source is None:
        return None
    return _open_needs_source(user)


def partner_ids(organization_ids):
    """A subquery of the organizations that are partners of any of ``organization_ids``
    (those included), or None when no app keeps agreements."""
    if _partner_source is None:
        return None
    return _partner_source(organization_ids)
