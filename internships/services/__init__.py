"""Every write with rules for practice bases and placements (see each module).

Pages and the API import from here."""

from portal.workflow import InvalidTransition

from .placements import (
    placement_cancel,
    placement_close,
    placement_create,
    placement_publish,
    placement_update,
)
from .practice_bases import (
    practice_base_change_status,
    practice_base_create,
    practice_base_update,
)
from .rules import (
    BASE_VERB_STATUS,
    EDITABLE_PLACEMENT_STATUSES,
    PLACEMENT_FIELDS,
    PLACEMENT_TRANSITIONS,
    PRACTICE_BASE_FIELDS,
    PRACTICE_BASE_TRANSITIONS,
    can_change_placement,
    can_create_base_for,
    can_edit_base,
    can_move_base,
    can_post_for,
    placement_actions,
    practice_base_actions,
)

__all__ = [
    "BASE_VERB_STATUS",
    "EDITABLE_PLACEMENT_STATUSES",
    "PLACEMENT_FIELDS",
    "PLACEMENT_TRANSITIONS",
    "PRACTICE_BASE_FIELDS",
    "PRACTICE_BASE_TRANSITIONS",
    "InvalidTransition",
    "can_change_placement",
    "can_create_base_for",
    "can_edit_base",
    "can_move_base",
    "can_post_for",
    "placement_actions",
    "placement_cancel",
    "placement_close",
    "placement_create",
    "placement_publish",
    "placement_update",
    "practice_base_actions",
    "practice_base_change_status",
    "practice_base_create",
    "practice_base_update",
]
