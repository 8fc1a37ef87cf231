"""The global search registry: each app's ``search.py`` registers its searchable models."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class SearchableModel:
    label: str
    queryset: callable  # user -> QuerySet already restricted to what the user sees
    fields: tuple[str, ...]
    describe: callable = str  # obj -> secondary text


_registry: list[SearchableModel] = []


def register(*, label, queryset, fields: tuple[str, ...], describe=lambda obj: "") -> None:
    _registry.append(SearchableModel(label, queryset, fields, describe))


@dataclass(frozen=True)
class SearchHit:
    record: models.Model
    description: str
    url: str


def search(user, text: str, limit: int = 10) -> list[tuple[SearchableModel, list[SearchHit]]]:
    """Each registered model's records matching ``text`` that the user may see."""
    text = text.strip()
    if len(text) < 2:
        return []
    results = []
    for entry in _registry:
        condition = reduce(or_, (Q(**{f"{f}__icontains": text}) for f in entry.fields))
        hits = [
            SearchHit(
                record=row,
                description=entry.describe(row),
                url=row.get_absolute_url() if hasattr(row, "get_absolute_url") else "",
            )
            for row in entry.queryset(user).filter(condition)[:limit]
        ]
        if hits:
            results.append((entry, hits))
    return results
