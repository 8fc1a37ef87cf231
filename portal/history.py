"""Readable history of a record (django-simple-history), for the History tab and API.

A model may add the history of the records that belong to it (an agreement's parties
and clauses) with ``history_related()``, returning ``(describe, historical queryset)``
pairs; its history then shows them all, newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {
    "updated_at",
    "created_at",
    "password",
    "key_hash",
    "token_hash",
    "signed_terms_hash",
}


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
    subject: str = ""
    order: int = field(default=0, compare=False)


def _display(record, field_name: str, value, name_for: Callable) -> str:
    model_field = record.instance_type._meta.get_field(field_name)
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return f"#{value}"
        return (
            name_for(related) if related._meta.label == settings.AUTH_USER_MODEL else str(related)
        )
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)


def _entries(records, describe: Callable | None, name_for: Callable) -> list[HistoryEntry]:
    entries = []
    previous_by_instance = {}
    for record in records:
        instance_id = getattr(record, record.instance_type._meta.pk.attname)
        previous = previous_by_instance.get(instance_id)
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                changes.append(
                    FieldChange(
                        field=str(record.instance_type._meta.get_field(change.field).verbose_name),
                        old=_display(record, change.field, change.old, name_for),
                        new=_display(record, change.field, change.new, name_for),
                    )
                )
        previous_by_instance[instance_id] = record
        if record.history_type == "~" and previous is not None and not changes:
            continue  # only hidden fields (timestamps, hashes) changed
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=name_for(user) if user else str(_("system")),
                change_type=record.history_type,
                action=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                changes=changes,
                subject=str(describe(record)) if describe else "",
                order=record.history_id,
            )
        )
    return entries


def history_entries(obj: models.Model, viewer=None, limit: int = 200) -> list[HistoryEntry]:
    """Newest first: who changed the record (and its parts), when, and what.

    A model may hide who acted from some viewers with ``history_actor_name(user,
    viewer)`` returning another name (an application shows its applicant the
    department, never the officers who reviewed it), or None to show the person.
    """
    hide = getattr(obj, "history_actor_name", None)

    def name_for(user) -> str:
        shown = hide(user, viewer) if hide is not None else None
        return shown or user.get_full_name() or user.username

    sources: list[tuple[Callable | None, models.QuerySet]] = [(None, obj.history.all())]
    related = getattr(obj, "history_related", None)
    if related is not None:
        sources.extend(related())
    entries: list[HistoryEntry] = []
    for describe, records in sources:
        ordered = records.select_related("history_user").order_by("history_date", "history_id")
        entries.extend(_entries(ordered, describe, name_for))
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries[:limit]
