"""The meeting pages: the list, scheduling a board's meeting, a meeting's page (agenda,
place, attendance, the quorum live, minutes, its resolutions), editing it, recording
attendance and minutes, and its steps (hold, cancel, approve the minutes). Every write
goes through ``governance.services``, which decides who may do what."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import form_errors, known_fields
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from .. import services
from ..filters import MeetingFilterSet
from ..forms import AttendanceForm, MeetingForm, MinutesForm, ReasonForm
from ..models import Attendance, Board, Meeting
from ..services.meetings import meeting_day, seated_on
from ..tables import MeetingTable

MEETING_RELATED = ("board__organization", "board__partnership")


class MeetingListView(FilteredListView):
    model = Meeting
    queryset = Meeting.objects.select_related("board")
    filterset_class = MeetingFilterSet
    template_name = "governance/meeting_list.html"
    context_object_name = "meetings"
    table_class = MeetingTable
    default_ordering = ("-starts_at", "-pk")
    csv_filename = "meetings.csv"


class MeetingDetailView(RecordDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related(*MEETING_RELATED)
    template_name = "governance/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        actions = services.meeting_actions(self.request.user, meeting)
        context["actions"] = actions
        context["can_change"] = services.can_manage_body(self.request.user, meeting.board)
        if context["tab"] == "overview":
            ordinary = services.quorum(meeting)
            context["quorum"] = ordinary
            context["amendment_quorum"] = replace(ordinary, two_thirds=True)
            context["attendance"] = attendance_rows(meeting)
            context["resolutions"] = list(meeting.resolutions.order_by("created_at", "pk"))
            if "cancel" in actions:
                context["cancel_form"] = ReasonForm(auto_id="id_cancel_%s")
        return context


def attendance_rows(meeting: Meeting) -> list[dict]:
    """Each member seated on the meeting's day with what attendance records (two
    queries)."""
    members = list(
        seated_on(meeting.board, meeting_day(meeting))
        .select_related("represents")
        .order_by("constituency", "name", "pk")
    )
    recorded = {
        row.member_id: row
        for row in Attendance.objects.filter(meeting_id=meeting.pk).select_related("proxy_holder")
    }
    return [{"member": member, "record": recorded.get(member.pk)} for member in members]


class BoardRecordCreateMixin:
    """A page that makes a record of a board (``board_pk`` in the URL): the body's
    admins only; a board the user does not see is 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.board = get_object_or_404(
                Board.objects.visible_to(request.user), pk=kwargs["board_pk"]
            )
            if not services.can_manage_body(request.user, self.board):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MeetingScheduleView(BoardRecordCreateMixin, ServiceCreateView):
    """Schedule a meeting of a board (the body's admins)."""

    form_class = MeetingForm
    template_name = "governance/meeting_form.html"

    def form_kwargs(self) -> dict:
        return {"instance": Meeting(board=self.board)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = self.board
        context["heading"] = _("Schedule a meeting")
        context["cancel_url"] = self.board.get_absolute_url()
        return context

    def create(self, form):
        try:
            return services.meeting_schedule(
                actor=self.request.user, board=self.board, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Meeting scheduled: the members have been invited.")


class MeetingChangeView(ServiceUpdateView):
    """The base of the pages that change a meeting: the body's admins only."""

    model = Meeting
    queryset = Meeting.objects.select_related(*MEETING_RELATED)
    template_name = "governance/meeting_form.html"
    context_object_name = "meeting"
    heading = ""

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.board)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = self.object.board
        context["heading"] = self.heading
        context["cancel_url"] = self.object.get_absolute_url()
        return context


class MeetingUpdateView(MeetingChangeView):
    form_class = MeetingForm
    heading = gettext_lazy("Change the meeting")
    success_message = gettext_lazy("Meeting saved.")

    def save(self, form):
        fields = {key: form.cleaned_data[key] for key in services.MEETING_FIELDS}
        try:
            services.meeting_update(actor=self.request.user, meeting=self.object, **fields)
        except ValidationError as error:
            raise known_fields(form, error) from error


class MeetingMinutesView(MeetingChangeView):
    form_class = MinutesForm
    heading = gettext_lazy("Minutes")
    success_message = gettext_lazy("Minutes saved: the body's admins approve them.")

    def save(self, form):
        try:
            services.meeting_record_minutes(
                actor=self.request.user, meeting=self.object, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


class MeetingAttendanceView(MeetingChangeView):
    """Attendance, one row per seated member, saved in one service call: all rows or
    none."""

    form_class = AttendanceForm
    template_name = "governance/meeting_attendance.html"
    success_message = gettext_lazy("Attendance recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        rows = attendance_rows(self.object)
        kwargs["members"] = [row["member"] for row in rows]
        kwargs["recorded"] = {row["member"].pk: row["record"] for row in rows if row["record"]}
        return kwargs

    def save(self, form):
        try:
            services.meeting_record_attendance(
                actor=self.request.user, meeting=self.object, rows=form.rows()
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error


MEETING_STEPS = {
    "hold": gettext_lazy("The meeting is held: record attendance and minutes."),
    "cancel": gettext_lazy("Meeting cancelled: the invited have been told."),
    "approve-minutes": gettext_lazy("Minutes approved: the meeting's record is fixed."),
}


class MeetingStepView(TransitionView):
    """``hold``, ``cancel`` (with a reason) or ``approve-minutes`` (the body's admins;
    the service decides)."""

    model = Meeting
    queryset = Meeting.objects.select_related(*MEETING_RELATED)
    verb = ""

    @property
    def success_message(self):
        return MEETING_STEPS[self.verb]

    def perform(self, meeting):
        actor = self.request.user
        if self.verb == "hold":
            return services.meeting_hold(actor=actor, meeting=meeting)
        if self.verb == "cancel":
            form = ReasonForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            return services.meeting_cancel(
                actor=actor, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        return services.meeting_approve_minutes(actor=actor, meeting=meeting)


__all__ = [
    "MEETING_STEPS",
    "MeetingAttendanceView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingMinutesView",
    "MeetingScheduleView",
    "MeetingStepView",
    "MeetingUpdateView",
]
