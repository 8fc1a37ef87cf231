"""The dashboard registry: each app's ``dashboard.py`` adds what it shows a user.

A provider is a function of the user returning a list; the home page collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class WaitingItem:
    """Something the user (or their organization) has to act on."""

    label: str
    url: str
    category: str = ""
    due: date | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    url: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart drawn by Chart.js from the data passed here (no inline script)."""

    key: str
    title: str
    kind: str  # "bar" or "doughnut"
    labels: list[str]
    values: list[float]
    series_label: str = ""


@dataclass(frozen=True)
class FirstStep:
    """An empty-state hint: what a new user could do first."""

    label: str
    url: str


@dataclass
class Registry:
    waiting: list[Callable] = field(default_factory=list)
    figures: list[Callable] = field(default_factory=list)
    charts: list[Callable] = field(default_factory=list)
    first_steps: list[Callable] = field(default_factory=list)

    def collect(self, kind: str, user) -> list:
        items: list = []
        for provider in getattr(self, kind):
            items.extend(provider(user))
        return items


registry = Registry()


def waiting_on(provider: Callable) -> Callable:
    registry.waiting.append(provider)
    return provider


def figures(provider: Callable) -> Callable:
    registry.figures.append(provider)
    return provider


def charts(provider: Callable) -> Callable:
    registry.charts.append(provider)
    return provider


def first_steps(provider: Callable) -> Callable:
    registry.first_steps.append(provider)
    return provider
