"""The one error type for illegal state transitions, and the check that raises it."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _


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
    current: str, target: str, allowed: Mapping[str, set[str] | frozenset[str]], *, label: str
) -> None:
    """Raise InvalidTransition unless ``allowed[current]`` contains ``target``."""
    if target not in allowed.get(current, ()):
        raise InvalidTransition(
            _("%(label)s cannot move from “%(current)s” to “%(target)s”.")
            % {"label": label, "current": current, "target": target}
        )
