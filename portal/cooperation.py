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
