"""Base page views that apply access control, and the portal's own pages."""

from __future__ import annotations

import csv
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from portal import access, dashboard, search
from portal.attachments import (
    attachment_add,
    attachment_delete,
    can_change_attachments,
    record_label,
    visible_attachment,
    visible_record,
)
from portal.forms import AttachmentForm, style_fields
from portal.history import history_entries
from portal.models import Attachment, Notification
from portal.tables import Table
from portal.workflow import InvalidTransition


class VisibleRecordMixin(LoginRequiredMixin):
    """Restricts the view's queryset to what the user may see: others answer 404."""

    model = None

    def get_queryset(self):
        queryset = getattr(self, "queryset", None)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return self.restrict(queryset.all())

    def restrict(self, queryset):
        """What the user may open; a page open to more (the directory) says so here."""
        return queryset.visible_to(self.request.user)


class FilteredListView(VisibleRecordMixin, ListView):
    """A list page: the app's FilterSet, its Table (the columns on the page, their sort
    links as ``?ordering=`` and the CSV export), and pagination."""

    filterset_class = None
    table_class: type[Table]  # the app's tables.py: columns, sorting, CSV
    paginate_by = 25
    default_ordering: tuple[str, ...] = ()
    csv_filename = "export.csv"

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        queryset = self.filterset.qs if self.filterset.is_bound else queryset
        ordering = self.request.GET.get("ordering", "")
        fields = self.table_class.ordering_fields().get(ordering.lstrip("-"))
        if fields:
            if ordering.startswith("-"):
                fields = [field[1:] if field.startswith("-") else f"-{field}" for field in fields]
            return queryset.order_by(*fields, "pk")
        return queryset.order_by(*self.default_ordering) if self.default_ordering else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        filter_form = self.filterset.form
        filter_form.fields.pop("updated_after", None)  # an API sync filter, not for people
        style_fields(filter_form, size="sm")
        context["filterset"] = self.filterset
        context["table"] = self.table_class(context["object_list"], query=self.request.GET)
        access.note_reads(self.request.user, context["object_list"])
        context["querystring"] = query.urlencode()
        context["current_ordering"] = self.request.GET.get("ordering", "")
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "csv":
            return self.csv_response(self.object_list)
        return super().render_to_response(context, **response_kwargs)

    def csv_response(self, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        response.write("\ufeff")  # so spreadsheet programs read the UTF-8 (Chinese) correctly
        columns = self.table_class.csv_columns()
        writer = csv.writer(response)
        writer.writerow([csv_cell(column.name) for column in columns])
        chunk = []
        for row in queryset.iterator(chunk_size=500):
            writer.writerow([csv_cell(column.value(row)) for column in columns])
            chunk.append(row)
            if len(chunk) == 500:
                access.note_reads(self.request.user, chunk)
                chunk = []
        access.note_reads(self.request.user, chunk)
        return response


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) can
# send the sheet's data anywhere), so text starting with one goes out behind a ' (OWASP,
# "CSV injection"). The csv module already quotes separators and quotes inside a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One cell: numbers and dates as they are, anything else (names, titles, a related
    record's name, all typed by someone) as inert text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class RecordDetailView(VisibleRecordMixin, DetailView):
    """A record's page with tabs; ``?tab=history`` and ``?tab=attachments`` are shared."""

    tabs: tuple[str, ...] = ("overview", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", self.tabs[0])
        context["tab"] = tab if tab in self.tabs else self.tabs[0]
        context["can_change"] = access.can_change(self.request.user, self.object)
        access.note_reads(self.request.user, [self.object])
        if context["tab"] == "history":
            context["history"] = history_entries(self.object, viewer=self.request.user)
        if context["tab"] == "attachments":
            context["attachments"] = Attachment.objects.for_record(self.object)
            context["attachment_form"] = AttachmentForm()
            context["attachment_target"] = record_label(self.object)
            context["can_change"] = can_change_attachments(self.request.user, self.object)
        return context


class RecordChangeMixin(VisibleRecordMixin, SingleObjectMixin):
    """For pages that change a record: unseen → 404, seen but not allowed → 403."""

    def can_write(self, user, obj) -> bool:
        return access.can_change(user, obj)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.can_write(self.request.user, obj):
            raise PermissionDenied
        return obj


class ServiceCreateView(LoginRequiredMixin, FormView):
    """Create a record through its service, then go to its page. The service's field
    errors join the form's; ``create(form)`` calls the service and returns the record."""

    def create(self, form):  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    def success_message(self, record) -> str:
        return ""

    def form_kwargs(self) -> dict:
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs()}

    def form_valid(self, form):
        try:
            record = self.create(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        message = self.success_message(record)
        if message:
            messages.success(self.request, message)
        return redirect(record)


class ServiceUpdateView(RecordChangeMixin, FormView):
    """Edit a record through its service: the form's errors stay next to its fields,
    the service's field errors join them, and an illegal state becomes a message.

    Subclasses name the form and template and implement ``save(form)``, which calls the
    service; ``form_kwargs`` adds what the form needs besides the instance.
    """

    success_message = gettext_lazy("Saved.")

    def save(self, form):  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    def form_kwargs(self) -> dict:
        return {}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, **self.form_kwargs()}

    def get_context_data(self, **kwargs):
        kwargs.setdefault(self.get_context_object_name(self.object), self.object)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except InvalidTransition as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, self.success_message)
        return redirect(self.object)


class TransitionView(RecordChangeMixin, View):
    """POST-only page action that calls one workflow service and goes back to the record
    (or to the record ``perform`` returns, such as a renewal it created).

    Services check permissions themselves; an illegal step or a service's validation
    error becomes an error message.
    """

    def perform(self, obj):  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    success_message = ""

    def can_write(self, user, obj) -> bool:
        return True  # the service decides

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            obj = self.perform(obj) or obj
        except InvalidTransition as error:
            messages.error(request, error.message)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["waiting"] = sorted(
            dashboard.registry.collect("waiting", user),
            key=lambda item: (item.due is None, item.due or date.max),
        )
        context["figures"] = dashboard.registry.collect("figures", user)
        context["charts"] = [
            chart_context(chart) for chart in dashboard.registry.collect("charts", user)
        ]
        context["first_steps"] = dashboard.registry.collect("first_steps", user)
        context["suggestions"] = dashboard.registry.collect("suggestions", user)
        return context


def chart_context(chart: dashboard.Chart) -> dict:
    """A chart as the template wants it: JSON data for Chart.js, rows for screen readers."""
    data = asdict(chart)
    data["element_id"] = f"chart-{chart.key}"
    data["rows"] = list(zip(chart.labels, chart.values, strict=True))
    # A stacked chart's table for screen readers: a row per bar, a column per part.
    data["stack_rows"] = [
        (label, [series.values[index] for series in chart.stacks], total)
        for index, (label, total) in enumerate(data["rows"])
    ]
    return data


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "")
        context["q"] = text
        context["results"] = search.search(self.request.user, text)
        return context


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "portal/notifications.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)


@require_POST
def notification_read(request, pk: int):
    """Mark one notification read (or all, for pk 0) and follow its link."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    mine = Notification.objects.filter(recipient=request.user).unread()
    if pk == 0:
        mine.update(read_at=timezone.now())
        return redirect("notifications")
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mine.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications")


class AttachmentUploadView(LoginRequiredMixin, View):
    def post(self, request, target: str, object_id: int):
        record = visible_record(request.user, target, object_id)
        if not can_change_attachments(request.user, record):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment_add(
                    actor=request.user,
                    record=record,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_error("file", error)
        if form.errors:
            return render(
                request,
                "includes/attachment_form_page.html",
                {"form": form, "record": record, "target": target},
                status=400,
            )
        messages.success(request, _("File attached."))
        return redirect(attachments_url(record))


def attachments_url(record) -> str:
    """Where a record's files are listed: its own page for them when it has one
    (``get_attachments_url``), else its page's Attachments tab, whatever query or
    fragment its address already carries."""
    own = getattr(record, "get_attachments_url", None)
    if own is not None:
        return own()
    parts = urlsplit(record.get_absolute_url())
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "tab"]
    query.append(("tab", "attachments"))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        attachment = visible_attachment(request.user, pk)
        access.note_reads(request.user, [attachment])
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.media_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        attachment = visible_attachment(request.user, pk)
        record = attachment.record
        try:
            attachment_delete(actor=request.user, attachment=attachment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attachment removed."))
        return redirect(attachments_url(record))


def favicon(request):
    return redirect(static("portal/favicon.svg"), permanent=True)


def healthz(request):
    """For load balancers: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as error:
        checks["cache"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
