"""The board pages: the list, a board's page (seats filled per constituency, the
warnings, the composition chart, its members with their CSV export, attachments,
history), setting a board up and changing it, and adding, correcting and ending a
member's seat (the body's admins)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from portal.dashboard import Chart
from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    chart_context,
    csv_cell,
)
from portal.workflow import InvalidTransition

from ..filters import BoardFilterSet
from ..forms import BoardEditForm, BoardForm, BoardMemberForm, BoardMemberLeaveForm
from ..models import Board, BoardMember, Meeting, Resolution
from ..services import boards as service
from ..services.rules import board_actions, can_manage_body
from ..tables import BoardMemberTable, BoardTable, ManagedBoardMemberTable


def for_form(form, error: ValidationError) -> ValidationError:
    """A service's error as the form can take it: errors about fields the form lacks
    (the seats, the board) go to the top of the form."""
    if not hasattr(error, "error_dict"):
        return error
    errors: dict[str, list] = {}
    for field, messages_ in error.error_dict.items():
        key = field if field in form.fields else NON_FIELD_ERRORS
        errors.setdefault(key, []).extend(messages_)
    return ValidationError(errors)


def members_tab(board: Board) -> str:
    return f"{board.get_absolute_url()}?tab=members"


class BoardListView(FilteredListView):
    model = Board
    filterset_class = BoardFilterSet
    template_name = "governance/board_list.html"
    context_object_name = "boards"
    table_class = BoardTable
    default_ordering = ("name", "pk")
    csv_filename = "boards.csv"

    def get_queryset(self):
        self.queryset = Board.objects.select_related("organization", "partnership").annotate(
            seated_count=seated_count()
        )
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = BoardForm(user=self.request.user).can_create()
        return context


def seated_count() -> Count:
    today = timezone.localdate()
    return Count(
        "members",
        filter=Q(
            members__term_start__lte=today,
            members__term_end__gte=today,
            members__left_on__isnull=True,
        ),
    )


def composition_chart(board: Board, seats: list[dict]) -> dict:
    """The seated members by constituency, as the dashboard's charts are drawn."""
    return chart_context(
        Chart(
            key=f"board-{board.pk}-composition",
            title=_("Composition by constituency (seated members)"),
            kind="doughnut",
            labels=[str(row["label"]) for row in seats],
            values=[row["filled"] for row in seats],
        )
    )


# The latest meetings and resolutions the board's page lists (the lists hold the rest).
RECENT = 5


class BoardDetailView(RecordDetailView):
    model = Board
    queryset = Board.objects.select_related("organization", "partnership")
    template_name = "governance/board_detail.html"
    context_object_name = "board"
    tabs = ("overview", "members", "attachments", "history")

    def members(self):
        return BoardMember.objects.filter(board_id=self.object.pk).select_related(
            "user", "represents"
        )

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("export") == "csv":
            return members_csv(self.object, self.members())
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board, user = self.object, self.request.user
        context["actions"] = board_actions(user, board)
        context["can_manage"] = context["can_change"] = "edit" in context["actions"]
        if context["tab"] == "overview":
            seats = service.seats_filled(board)
            context["seats"] = seats
            context["seated_total"] = sum(row["filled"] for row in seats)
            context["warnings"] = service.board_warnings(board)
            context["chart"] = composition_chart(board, seats)
            context["recent_meetings"] = list(
                Meeting.objects.filter(board_id=board.pk).order_by("-starts_at", "-pk")[:RECENT]
            )
            context["recent_resolutions"] = list(
                Resolution.objects.filter(board_id=board.pk).order_by("-created_at", "-pk")[:RECENT]
            )
        elif context["tab"] == "members":
            table = ManagedBoardMemberTable if context["can_manage"] else BoardMemberTable
            context["table"] = table(list(self.members()))
        return context


def members_csv(board: Board, members) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="board-{board.pk}-members.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the UTF-8 (Chinese) correctly
    columns = BoardMemberTable.csv_columns()
    writer = csv.writer(response)
    writer.writerow([csv_cell(column.name) for column in columns])
    for member in members:
        writer.writerow([csv_cell(column.value(member)) for column in columns])
    return response


class BoardCreateView(ServiceCreateView):
    """Set up a board: only for the admins of a college, or of a partnership's lead."""

    form_class = BoardForm
    template_name = "governance/board_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not BoardForm(user=request.user).can_create():
            raise PermissionDenied(
                _("Only a college's admins, or a partnership lead's, set up its boards.")
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = {key: form.cleaned_data[key] for key in service.BOARD_FIELDS}
        try:
            return service.board_create(
                actor=self.request.user,
                organization=form.cleaned_data["organization"],
                partnership=form.cleaned_data["partnership"],
                seats=form.seats,
                **data,
            )
        except ValidationError as error:
            raise for_form(form, error) from error

    def success_message(self, record) -> str:
        return _("Board set up: add its members on the Members tab.")


class BoardUpdateView(ServiceUpdateView):
    model = Board
    queryset = Board.objects.select_related("organization", "partnership")
    form_class = BoardEditForm
    template_name = "governance/board_form.html"
    context_object_name = "board"
    success_message = gettext_lazy("Board saved.")

    def can_write(self, user, obj) -> bool:
        return can_manage_body(user, obj)

    def save(self, form):
        data = {key: form.cleaned_data[key] for key in service.BOARD_FIELDS}
        try:
            service.board_update(
                actor=self.request.user, board=self.object, seats=form.seats, **data
            )
        except ValidationError as error:
            raise for_form(form, error) from error


class BoardMemberAddView(LoginRequiredMixin, FormView):
    """Seat a member: the body's admins (403 for others who see the board)."""

    form_class = BoardMemberForm
    template_name = "governance/board_member_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.board = get_object_or_404(
                Board.objects.visible_to(request.user).select_related("partnership"),
                pk=kwargs["pk"],
            )
            if not can_manage_body(request.user, self.board):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"term_start": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(board=self.board, **kwargs)

    def form_valid(self, form):
        try:
            member = service.member_add(
                actor=self.request.user, board=self.board, **form.member_fields()
            )
        except ValidationError as error:
            form.add_error(None, for_form(form, error))
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is seated.") % {"name": member.name})
        return redirect(members_tab(self.board))


class BoardMemberUpdateView(ServiceUpdateView):
    model = BoardMember
    queryset = BoardMember.objects.select_related("board__partnership", "user", "represents")
    form_class = BoardMemberForm
    template_name = "governance/board_member_form.html"
    context_object_name = "member"
    success_message = gettext_lazy("Member saved.")

    def can_write(self, user, obj) -> bool:
        return can_manage_body(user, obj.board)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = self.object.board
        if self.object.left_on is None:
            context["leave_form"] = BoardMemberLeaveForm(initial={"left_on": timezone.localdate()})
        return context

    def save(self, form):
        try:
            service.member_update(
                actor=self.request.user, member=self.object, **form.member_fields()
            )
        except ValidationError as error:
            raise for_form(form, error) from error

    def form_valid(self, form):
        # A member has no page of their own: back to the board's Members tab.
        try:
            self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except InvalidTransition as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, self.success_message)
        return redirect(members_tab(self.object.board))


class BoardMemberLeaveView(TransitionView):
    """End a member's seat on a date (the service checks that it is the body's admins)."""

    model = BoardMember
    queryset = BoardMember.objects.select_related("board")
    success_message = gettext_lazy("The member's seat has ended.")

    def perform(self, member):
        form = BoardMemberLeaveForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        service.member_leave(
            actor=self.request.user, member=member, left_on=form.cleaned_data["left_on"]
        )

    def get_success_url(self, member) -> str:
        return members_tab(member.board)


__all__ = [
    "BoardCreateView",
    "BoardDetailView",
    "BoardListView",
    "BoardMemberAddView",
    "BoardMemberLeaveView",
    "BoardMemberUpdateView",
    "BoardUpdateView",
]
