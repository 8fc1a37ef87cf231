"""The global search registry: each app's ``search.py`` registers its searchable models.

A model is searched by a case-insensitive substring of its ``fields``, or by its own
``condition(text)`` when matching needs more than its own columns (a document found by
the text of its current version, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from portal import access


@dataclass(frozen=True)
class SearchableModel:
    label: str
    queryset: callable  # user -> QuerySet already restricted to what the user sees
    fields: tuple[str, ...]
    describe: callable = str  # obj -> secondary text
    condition: Callable[[str], Q] | None = None  # text -> Q, instead of the fields

    def matching(self, text: str) -> Q:
        if self.condition is not None:
            return self.condition(text)
        return reduce(or_, (Q(**{f"{f}__icontains": text}) for f in self.fields))


_registry: list[SearchableModel] = []


def register(
    *,
    label,
    queryset,
    fields: tuple[str, ...] = (),
    describe=lambda obj: "",
    condition: Callable[[str], Q] | None = None,
) -> None:
    if not fields and condition is None:
        raise ValueError("A searchable model needs fields or a condition.")
    _registry.append(SearchableModel(label, queryset, fields, describe, condition))


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
        hits = [
            SearchHit(
                record=row,
                description=entry.describe(row),
                url=row.get_absolute_url() if hasattr(row, "get_absolute_url") else "",
            )
            for row in entry.queryset(user).filter(entry.matching(text))[:limit]
        ]
        if hits:
            results.append((entry, hits))
            # A record found through a scope (an association's entrustment) is read too.
            access.note_reads(user, [hit.record for hit in hits])
    return results
