"""A list's columns, declared once.

Each list page names a ``Table``: one class attribute per column saying where the value
comes from, its header, whether and by what it sorts, whether it is on the page and in
the CSV export, and how its cell looks. The page's table (``includes/table.html``), its
sort links (``?ordering=``) and its CSV export all read that one declaration, as NetBox's
tables do. Each app keeps its tables in ``tables.py``; ``partnerships/tables.py`` is the
example to copy::

    class PartnershipTable(Table):
        id = Column(accessor="pk", in_table=False)  # in the CSV only
        name = Column(_("Name"), link=True, order_by="name")
        status = StatusColumn(_("Status"), order_by="status")
        members = NumberColumn(_("Members"), accessor="member_count")
        start_date = DateColumn(_("Since"), order_by="start_date", sort_key="start")

and its list view says ``table_class = PartnershipTable``. The attribute's name is the
CSV header, the default accessor and the default ``?ordering=`` value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.template.defaultfilters import date as format_date
from django.template.loader import get_template, render_to_string
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from portal.templatetags.portal_tags import status_badge

EMPTY = "—"


def resolve(record, accessor: str):
    """Follow a dotted path; a choice field gives its label in the reader's language.
    A missing related record (or a None on the way) gives None."""
    value = record
    for part in accessor.split("."):
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part, "")
        if value is None:
            return None
    return value


def follow(record, accessor: str):
    """Follow a dotted path to the object itself (no choice labels)."""
    for part in accessor.split(".") if accessor else ():
        record = getattr(record, part)
    return record


class Column:
    """Plain text: the value (a choice's label, a related record's name) escaped.

    ``label`` heads the column on the page; ``accessor`` is a dotted path from the row's
    record (default: the column's name). ``order_by`` makes the column sortable by that
    database ordering (a field or a tuple of them), under ``?ordering=<sort_key>`` (default:
    the column's name). ``link`` links the cell to the row's record; ``subtitle`` adds
    accessors shown small under the value. ``in_table`` / ``in_csv`` say where it appears;
    ``classes`` adds CSS classes to its cells.
    """

    align: ClassVar[str] = ""  # "end" for figures: header and cells align right
    cell_classes: ClassVar[str] = ""

    def __init__(
        self,
        label: str = "",
        *,
        accessor: str = "",
        order_by: str | tuple[str, ...] = (),
        sort_key: str = "",
        link: bool = False,
        subtitle: tuple[str, ...] = (),
        in_table: bool = True,
        in_csv: bool = True,
        classes: str = "",
    ):
        self.label = label
        self.accessor = accessor
        self.order_by = (order_by,) if isinstance(order_by, str) else tuple(order_by)
        self.sort_key = sort_key
        self.link = link
        self.subtitle = subtitle
        self.in_table = in_table
        self.in_csv = in_csv
        self.extra_classes = classes
        self.name = ""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name
        self.accessor = self.accessor or name
        self.sort_key = self.sort_key or name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    @property
    def header_classes(self) -> str:
        return f"text-{self.align}" if self.align else ""

    @property
    def classes(self) -> str:
        return " ".join(filter(None, (self.header_classes, self.cell_classes, self.extra_classes)))

    def value(self, record) -> Any:
        """The value as the CSV export writes it (through ``csv_cell``)."""
        return resolve(record, self.accessor)

    def text(self, value) -> str:
        """How a value that is there reads on the page."""
        return str(value)

    def render(self, record) -> SafeString:
        value = self.value(record)
        html = EMPTY if value is None or value == "" else conditional_escape(self.text(value))
        if self.link:
            html = format_html('<a href="{}">{}</a>', record.get_absolute_url(), html)
        if self.subtitle:
            parts = [resolve(record, accessor) for accessor in self.subtitle]
            parts = [(part,) for part in parts if part is not None and part != ""]
            if parts:
                html = format_html(
                    '{}<div class="small text-body-secondary">{}</div>',
                    html,
                    format_html_join(" · ", "{}", parts),
                )
        return mark_safe(html)


class NumberColumn(Column):
    """A count or a score, in the reader's number format, aligned right."""

    align = "end"

    def text(self, value) -> str:
        return formats.localize(value)


class MoneyColumn(NumberColumn):
    """Yuan, grouped by thousands (``300,000.00``), aligned right."""

    def text(self, value) -> str:
        return intcomma(value)


class DateColumn(Column):
    """A date (or a datetime, on its local date) as ``2026-03-01``."""

    cell_classes = "text-nowrap"
    format = "Y-m-d"

    def text(self, value) -> str:
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_date(value, self.format)


class DateTimeColumn(DateColumn):
    """A moment in the portal's time zone, as ``2026-03-01 14:30``."""

    format = "Y-m-d H:i"


class StatusColumn(Column):
    """A status as its coloured badge (``includes/status_badge.html``)."""

    def render(self, record) -> SafeString:
        owner, _dot, field = self.accessor.rpartition(".")
        return render_to_string(
            "includes/status_badge.html", status_badge(follow(record, owner), field)
        )


class TemplateColumn(Column):
    """A cell of its own: ``template`` renders with ``record`` (the row), ``value`` and
    ``column``. For the special cases; the CSV still writes ``value``."""

    def __init__(self, label: str = "", *, template: str, **kwargs):
        super().__init__(label, **kwargs)
        self.template = template

    def render(self, record) -> SafeString:
        context = {"record": record, "value": self.value(record), "column": self}
        return mark_safe(get_template(self.template).render(context).strip())


@dataclass(frozen=True)
class Header:
    label: str
    classes: str
    url: str = ""  # the sort link, for a sortable column
    direction: str = ""  # "asc" or "desc" while the list is sorted by this column

    @property
    def aria_sort(self) -> str:
        return {"asc": "ascending", "desc": "descending"}.get(self.direction, "")


@dataclass(frozen=True)
class Cell:
    html: SafeString
    classes: str


class Table:
    """The columns of one list; an instance holds one page of records to show.

    Columns are on the page and in the CSV in the order they are declared. Where an older
    CSV export keeps another order than the page shows (spreadsheets rely on it), declare
    the columns in the CSV's order and list the page's in ``table_order``.
    """

    columns: ClassVar[tuple[Column, ...]] = ()
    table_order: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = {column.name: column for column in cls.columns}
        for name, value in vars(cls).items():
            if isinstance(value, Column):
                if hasattr(Table, name):
                    raise ImproperlyConfigured(
                        f"{cls.__name__}: a column may not be named {name!r}"
                    )
                declared[name] = value
        cls.columns = tuple(declared.values())
        shown = [column.name for column in cls.columns if column.in_table]
        if cls.table_order and sorted(cls.table_order) != sorted(shown):
            raise ImproperlyConfigured(
                f"{cls.__name__}.table_order must name exactly the columns on the page: {shown}"
            )
        keys = [column.sort_key for column in cls.columns if column.order_by]
        if len(keys) != len(set(keys)):
            raise ImproperlyConfigured(f"{cls.__name__}: two columns sort by the same key")

    def __init__(self, records, *, query: QueryDict | None = None):
        self.records = records
        self.query = query if query is not None else QueryDict()

    @classmethod
    def ordering_fields(cls) -> dict[str, tuple[str, ...]]:
        """``?ordering=`` value -> database ordering, for every sortable column."""
        return {column.sort_key: column.order_by for column in cls.columns if column.order_by}

    @classmethod
    def csv_columns(cls) -> list[Column]:
        return [column for column in cls.columns if column.in_csv]

    @classmethod
    def table_columns(cls) -> list[Column]:
        if cls.table_order:
            by_name = {column.name: column for column in cls.columns}
            return [by_name[name] for name in cls.table_order]
        return [column for column in cls.columns if column.in_table]

    def sort_url(self, ordering: str) -> str:
        query = self.query.copy()
        query.pop("page", None)
        query["ordering"] = ordering
        return f"?{query.urlencode()}"

    @cached_property
    def headers(self) -> list[Header]:
        current = self.query.get("ordering", "")
        headers = []
        for column in self.table_columns():
            url = direction = ""
            if column.order_by:
                key = column.sort_key
                direction = {key: "asc", f"-{key}": "desc"}.get(current, "")
                url = self.sort_url(f"-{key}" if direction == "asc" else key)
            headers.append(Header(str(column.label), column.header_classes, url, direction))
        return headers

    @cached_property
    def rows(self) -> list[list[Cell]]:
        columns = self.table_columns()
        return [
            [Cell(column.render(record), column.classes) for column in columns]
            for record in self.records
        ]
