"""Readable history of a record (django-simple-history), for the History tab and API.

A model may add the history of the records that belong to it (an agreement's parties
and clauses) with ``history_related()``, returning ``(describe, historical queryset)``
pairs; its history then shows them all, newest first.

The queries are fixed, however long the history: one per source (its newest rows, with
the people and the related records they name joined in), one more for a source whose
cut leaves a change without the version before it, and whatever the model's
``history_actor_names`` runs once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import RowNumber
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


@dataclass
class _Change:
    """A changed field before it is put into words: raw values and related records."""

    name: str
    old: object
    new: object
    old_record: models.Model | None
    new_record: models.Model | None


def _related_paths(historical_model) -> list[str]:
    """The foreign keys a historical row names, and theirs one level down (a party is
    named by its organization, an award by its application), to join in one query."""
    paths = ["history_user"]
    for tracked in historical_model.tracked_fields:
        if not tracked.many_to_one:
            continue
        paths.append(tracked.name)
        paths.extend(
            f"{tracked.name}__{further.name}"
            for further in tracked.related_model._meta.concrete_fields
            if further.many_to_one and not further.null
        )
    return paths


def _with_related(records: models.QuerySet) -> models.QuerySet:
    return records.select_related(*_related_paths(records.model))


def _instance_id(record) -> object:
    return getattr(record, record.instance_type._meta.pk.attname)


def _previous_versions(records: models.QuerySet, needing: list) -> dict[int, object]:
    """For each record (the oldest fetched of its instance), the version just before it,
    in one query: the newest row per instance older than that record."""
    pk_name = needing[0].instance_type._meta.pk.attname
    condition = models.Q()
    for record in needing:
        condition |= models.Q(**{pk_name: _instance_id(record)}) & (
            models.Q(history_date__lt=record.history_date)
            | models.Q(history_date=record.history_date, history_id__lt=record.history_id)
        )
    rows = (
        _with_related(records)
        .filter(condition)
        .annotate(
            newest_first=models.Window(
                RowNumber(),
                partition_by=[models.F(pk_name)],
                order_by=[models.F("history_date").desc(), models.F("history_id").desc()],
            )
        )
        .filter(newest_first=1)
        .order_by()[: len(needing)]
    )
    by_instance = {_instance_id(row): row for row in rows}
    return {record.history_id: by_instance.get(_instance_id(record)) for record in needing}


def _changes(record, previous) -> list[_Change]:
    changes = []
    for change in record.diff_against(previous).changes:
        if change.field in HIDDEN_FIELDS:
            continue
        model_field = record.instance_type._meta.get_field(change.field)
        related = model_field.is_relation
        changes.append(
            _Change(
                name=change.field,
                old=change.old,
                new=change.new,
                old_record=getattr(previous, change.field) if related else None,
                new_record=getattr(record, change.field) if related else None,
            )
        )
    return changes


def _display(record, change_field: str, value, related, name_for: Callable) -> str:
    model_field = record.instance_type._meta.get_field(change_field)
    if value is None or value == "":
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        if related is None:
            return f"#{value}"
        return (
            name_for(related) if related._meta.label == settings.AUTH_USER_MODEL else str(related)
        )
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)


def _newest_records(sources, limit: int) -> list[tuple[int, object, object]]:
    """The newest ``limit`` rows across the sources, each with the version before it:
    ``(source index, record, previous or None)``, oldest first within each source."""
    fetched = [
        list(_with_related(records).order_by("-history_date", "-history_id")[:limit])
        for _describe, records in sources
    ]
    newest = sorted(
        (
            (row.history_date, row.history_id, index)
            for index, rows in enumerate(fetched)
            for row in rows
        ),
        reverse=True,
    )[:limit]
    kept = {(index, history_id) for _when, history_id, index in newest}
    result = []
    for index, rows in enumerate(fetched):
        previous: dict[int, object] = {}
        last_by_instance: dict[object, object] = {}
        needing = []
        for row in reversed(rows):  # oldest first
            before = last_by_instance.get(_instance_id(row))
            previous[row.history_id] = before
            last_by_instance[_instance_id(row)] = row
            # A change shown without its earlier version in hand: that version is older
            # than the rows fetched, which exist only if this source's fetch was cut.
            if (
                before is None
                and row.history_type == "~"
                and len(rows) == limit
                and (index, row.history_id) in kept
            ):
                needing.append(row)
        if needing:
            previous.update(_previous_versions(sources[index][1], needing))
        result.extend(
            (index, row, previous[row.history_id])
            for row in reversed(rows)
            if (index, row.history_id) in kept
        )
    return result


def _names(obj: models.Model, users: Iterable, viewer) -> dict[int, str]:
    hook = getattr(obj, "history_actor_names", None)
    return hook(list(users), viewer) if hook is not None else {}


def history_entries(obj: models.Model, viewer=None, limit: int = 200) -> list[HistoryEntry]:
    """Newest first: who changed the record (and its parts), when, and what.

    The newest ``limit`` changes are read from the database (less those that touched
    only hidden fields, such as timestamps), never the whole history.

    A model may hide who acted from some viewers with ``history_actor_names(users,
    viewer)`` returning ``{user id: name to show instead}`` for the people it hides (an
    application shows its applicant the department, never the officers who reviewed
    it). It is called once per history, with every person the entries name.
    """
    sources: list[tuple[Callable | None, models.QuerySet]] = [(None, obj.history.all())]
    related = getattr(obj, "history_related", None)
    if related is not None:
        sources.extend(related())

    pending = []
    users = {}
    for index, record, previous in _newest_records(sources, limit):
        changes = _changes(record, previous) if previous is not None else []
        if record.history_type == "~" and previous is not None and not changes:
            continue  # only hidden fields (timestamps, hashes) changed
        pending.append((sources[index][0], record, changes))
        people = [record.history_user] + [
            person
            for change in changes
            for person in (change.old_record, change.new_record)
            if person is not None and person._meta.label == settings.AUTH_USER_MODEL
        ]
        users.update((person.pk, person) for person in people if person is not None)

    shown = _names(obj, users.values(), viewer)

    def name_for(user) -> str:
        return shown.get(user.pk) or user.get_full_name() or user.username

    entries = []
    for describe, record, changes in pending:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=name_for(user) if user else str(_("system")),
                change_type=record.history_type,
                action=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                changes=[
                    FieldChange(
                        field=str(record.instance_type._meta.get_field(change.name).verbose_name),
                        old=_display(record, change.name, change.old, change.old_record, name_for),
                        new=_display(record, change.name, change.new, change.new_record, name_for),
                    )
                    for change in changes
                ],
                subject=str(describe(record)) if describe else "",
                order=record.history_id,
            )
        )
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries


# Rows per INSERT … SELECT: a bound parameter each, well under every database's limit.
HISTORY_COPY_BATCH = 2_000


def record_history_in_bulk(model, pks: list, *, history_type: str, user) -> None:
    """Write one history entry per row of ``model`` in ``pks``, as it now stands, by
    ``user``: ``"+"`` for rows just created, ``"~"`` for rows just changed.

    The database copies the rows itself (``INSERT … SELECT``, a statement per 2,000
    rows), where simple_history's bulk helpers build every entry in Python and send
    each value back: for 10,000 students that was a third of a bulk upsert's time.
    Call it in the transaction that wrote the rows, after the write.
    """
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    from django.db import connection

    historical = model.history.model
    quote = connection.ops.quote_name
    tracked = [
        field.column
        for field in historical._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    columns = ", ".join(quote(column) for column in tracked)
    extra = ", ".join(
        quote(column)
        for column in ("history_date", "history_change_reason", "history_type", "history_user_id")
    )
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_COPY_BATCH):
            batch = list(pks[start : start + HISTORY_COPY_BATCH])
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, {extra}) "
                f"SELECT {columns}, %s, NULL, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({placeholders})",
                [now, history_type, user_id, *batch],
            )
