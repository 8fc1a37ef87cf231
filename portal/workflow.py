"""The one error type for illegal state transitions, the check that raises it, and the
row lock every transition takes (in the order portal/__init__.py sets out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_row(model: type[ModelT], pk: int, *related: str) -> ModelT:
    """Lock one row of ``model`` and return it fresh from the database.

    ``FOR UPDATE OF`` the model's own table only: rows joined through ``related`` are
    read, not locked, so their locks are taken in the portal's order by whoever needs
    them. Call inside ``transaction.atomic``.
    """
    queryset = model._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=pk)


class InvalidTransition(Exception):
    """A workflow step that the record's current status does not allow.

    The API answers it with 409 ``{"detail": ..., "code": "invalid_transition"}``; pages
    show it as an error message.
    """

    code = "invalid_transition"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_transition(
    current: str,
    target: str,
    allowed: Mapping[str, set[str] | frozenset[str]],
    *,
    label: str,
    choices: type[models.TextChoices] | None = None,
) -> None:
    """Raise InvalidTransition unless ``allowed[current]`` contains ``target``; the
    message names the statuses by their labels when ``choices`` is given."""
    if target not in allowed.get(current, ()):
        names = dict(choices.choices) if choices else {}
        raise InvalidTransition(
            _("%(label)s cannot move from “%(current)s” to “%(target)s”.")
            % {
                "label": label,
                "current": names.get(current, current),
                "target": names.get(target, target),
            }
        )
