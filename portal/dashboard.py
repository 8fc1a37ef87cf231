"""The dashboard registry: each app's ``dashboard.py`` adds what it shows a user.

A provider is a function of the user returning a list; the home page collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import models


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
class Series:
    """One part of each bar of a stacked bar chart (e.g. the released part)."""

    label: str
    values: list[float]


@dataclass(frozen=True)
class Chart:
    """A chart drawn by Chart.js from the data passed here (no inline script).

    With ``stacks``, each bar is made of the series' parts (one colour and legend entry
    each) and ``values`` are the bars' totals; ``horizontal`` lays the bars sideways."""

    key: str
    title: str
    kind: str  # "bar" or "doughnut"
    labels: list[str]
    values: list[float]
    series_label: str = ""
    stacks: list[Series] = field(default_factory=list)
    horizontal: bool = False


def status_chart(queryset, statuses, *, key: str, title, series_label) -> Chart | None:
    """A bar chart of ``queryset`` counted by its ``status`` field, one bar per choice
    of ``statuses`` (a TextChoices) in their order; None when there is nothing to count."""
    counts = dict(queryset.order_by().values_list("status").annotate(total=models.Count("pk")))
    if not counts:
        return None
    return Chart(
        key=key,
        title=title,
        kind="bar",
        labels=[str(label) for _value, label in statuses.choices],
        values=[counts.get(value, 0) for value, _label in statuses.choices],
        series_label=series_label,
    )


@dataclass(frozen=True)
class FirstStep:
    """An empty-state hint: what a new user could do first."""

    label: str
    url: str


@dataclass(frozen=True)
class Suggestion:
    """A record the user might want to look at, and why it is suggested to them."""

    label: str
    url: str
    reason: str = ""


@dataclass
class Registry:
    waiting: list[Callable] = field(default_factory=list)
    figures: list[Callable] = field(default_factory=list)
    charts: list[Callable] = field(default_factory=list)
    first_steps: list[Callable] = field(default_factory=list)
    suggestions: list[Callable] = field(default_factory=list)

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


def suggestions(provider: Callable) -> Callable:
    registry.suggestions.append(provider)
    return provider
