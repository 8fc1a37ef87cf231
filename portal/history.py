"""Readable history of a record (django-simple-history), for the History tab and API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {"updated_at", "created_at", "password", "key_hash", "token_hash"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    change_type: str
    action: str
    changes: list[FieldChange]


def _display(record, field_name: str, value) -> str:
    field = record.instance_type._meta.get_field(field_name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    return str(value)


def history_entries(obj: models.Model, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who changed the record, when, and which fields from what to what."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                changes.append(
                    FieldChange(
                        field=str(record.instance_type._meta.get_field(change.field).verbose_name),
                        old=_display(record, change.field, change.old),
                        new=_display(record, change.field, change.new),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("system")),
                change_type=record.history_type,
                action=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
    return entries
