"""The left navigation: each app adds its entries from its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    section: str
    label: str
    url_name: str
    order: int = 100
    # Some entries only make sense for some users (e.g. government-only pages).
    visible: callable = lambda user: True


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    _entries.append(entry)


def entries_for(user) -> list[NavEntry]:
    return sorted((e for e in _entries if e.visible(user)), key=lambda e: e.order)
