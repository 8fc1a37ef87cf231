"""The resolution pages: the list, drafting a board's resolution, a resolution's page
(its text, threshold, the votes by name, the tally while voting, the recorded figures
after closing, and a vote form for each seat the reader may vote for), its steps
(open voting, close voting, withdraw), the vote itself, and the votes as CSV. Every
write goes through ``governance.services``, which decides who may do what."""

from __future__ import annotations

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    csv_cell,
)

from .. import services
from ..filters import ResolutionFilterSet
from ..forms import OpenVotingForm, ResolutionForm, VoteForm
from ..models import Resolution, ResolutionStatus, Vote
from ..tables import ResolutionTable
from .meetings import BoardRecordCreateMixin, known_fields

RESOLUTION_RELATED = (
    "board__organization",
    "board__partnership",
    "meeting__board",
    "article_version__document",
)


def resolution_votes(resolution: Resolution):
    return (
        Vote.objects.filter(resolution_id=resolution.pk)
        .select_related("member__represents", "cast_by")
        .order_by("member__constituency", "member__name", "pk")
    )


class ResolutionListView(FilteredListView):
    model = Resolution
    queryset = Resolution.objects.select_related("board", "meeting")
    filterset_class = ResolutionFilterSet
    template_name = "governance/resolution_list.html"
    context_object_name = "resolutions"
    table_class = ResolutionTable
    default_ordering = ("-created_at", "-pk")
    csv_filename = "resolutions.csv"


class ResolutionDetailView(RecordDetailView):
    model = Resolution
    queryset = Resolution.objects.select_related(*RESOLUTION_RELATED)
    template_name = "governance/resolution_detail.html"
    context_object_name = "resolution"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resolution, user = self.object, self.request.user
        actions = services.resolution_actions(user, resolution)
        context["actions"] = actions
        context["can_change"] = services.can_manage_body(user, resolution.board)
        if context["tab"] == "overview":
            context["sees_votes"] = services.sees_votes(user, resolution)
            if context["sees_votes"]:
                context["votes"] = list(resolution_votes(resolution))
            if resolution.status == ResolutionStatus.VOTING:
                context["tally"] = services.tally(resolution)
            if "vote" in actions:
                context["vote_seats"] = services.votable_members(user, resolution)
            if "open_voting" in actions:
                context["open_form"] = OpenVotingForm(
                    initial={"voting_closes_at": resolution.voting_closes_at}
                )
        return context


class ResolutionCreateView(BoardRecordCreateMixin, ServiceCreateView):
    """Draft a resolution of a board: ``?meeting=<id>`` puts it on that meeting's
    agenda."""

    form_class = ResolutionForm
    template_name = "governance/resolution_form.html"

    def form_kwargs(self) -> dict:
        return {"board": self.board, "instance": Resolution(board=self.board)}

    def get_initial(self):
        meeting = self.request.GET.get("meeting", "")
        return {"meeting": meeting} if meeting.isdigit() else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = self.board
        context["heading"] = _("Draft a resolution")
        context["cancel_url"] = self.board.get_absolute_url()
        return context

    def create(self, form):
        try:
            return services.resolution_create(
                actor=self.request.user, board=self.board, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Resolution drafted: open the vote when it is ready.")


class ResolutionUpdateView(ServiceUpdateView):
    model = Resolution
    queryset = Resolution.objects.select_related(*RESOLUTION_RELATED)
    form_class = ResolutionForm
    template_name = "governance/resolution_form.html"
    context_object_name = "resolution"
    success_message = gettext_lazy("Resolution saved.")

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.board)

    def form_kwargs(self) -> dict:
        return {"board": self.object.board}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = self.object.board
        context["heading"] = _("Change the resolution")
        context["cancel_url"] = self.object.get_absolute_url()
        return context

    def save(self, form):
        try:
            services.resolution_update(
                actor=self.request.user, resolution=self.object, **form.cleaned_data
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


RESOLUTION_STEPS = {
    "open-voting": gettext_lazy("Voting is open: the members have been told."),
    "close-voting": gettext_lazy("Voting closed: the result is recorded."),
    "withdraw": gettext_lazy("Resolution withdrawn."),
}


class ResolutionStepView(TransitionView):
    """``open-voting`` (with an optional closing time), ``close-voting`` or
    ``withdraw`` (the body's admins; the service decides)."""

    model = Resolution
    queryset = Resolution.objects.select_related(*RESOLUTION_RELATED)
    verb = ""

    @property
    def success_message(self):
        return RESOLUTION_STEPS[self.verb]

    def perform(self, resolution):
        actor = self.request.user
        if self.verb == "open-voting":
            form = OpenVotingForm(self.request.POST)
            if not form.is_valid():
                raise form_errors(form)
            return services.resolution_open_voting(
                actor=actor,
                resolution=resolution,
                voting_closes_at=form.cleaned_data["voting_closes_at"],
            )
        if self.verb == "close-voting":
            return services.resolution_close_voting(actor=actor, resolution=resolution)
        return services.resolution_withdraw(actor=actor, resolution=resolution)


class VoteCastView(TransitionView):
    """A seated member's vote: their own, or one whose proxy they hold. Anyone else is
    refused by the service (403)."""

    model = Resolution
    queryset = Resolution.objects.select_related(*RESOLUTION_RELATED)
    success_message = gettext_lazy("Vote recorded.")

    def perform(self, resolution):
        form = VoteForm(self.request.POST, board=resolution.board)
        if not form.is_valid():
            raise form_errors(form)
        services.vote_cast(
            actor=self.request.user,
            resolution=resolution,
            choice=form.cleaned_data["choice"],
            member=form.cleaned_data["member"],
        )


VOTE_COLUMNS = (
    "member",
    "constituency",
    "represents",
    "choice",
    "by_proxy",
    "entered_by",
    "cast_at",
)


class ResolutionVotesCsvView(LoginRequiredMixin, View):
    """The votes on a resolution by name, as CSV (for those who read the votes)."""

    def get(self, request, pk: int):
        resolution = get_object_or_404(
            Resolution.objects.visible_to(request.user).select_related(*RESOLUTION_RELATED),
            pk=pk,
        )
        if not services.sees_votes(request.user, resolution):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="resolution-{pk}-votes.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the UTF-8 (Chinese) correctly
        writer = csv.writer(response)
        writer.writerow(VOTE_COLUMNS)
        for vote in resolution_votes(resolution):
            member = vote.member
            row = (
                member.name,
                member.get_constituency_display(),
                member.represents.name if member.represents else "",
                vote.get_choice_display(),
                vote.by_proxy,
                vote.cast_by.username if vote.cast_by else "",
                vote.cast_at,
            )
            writer.writerow([csv_cell(value) for value in row])
        return response


__all__ = [
    "ResolutionCreateView",
    "ResolutionDetailView",
    "ResolutionListView",
    "ResolutionStepView",
    "ResolutionUpdateView",
    "ResolutionVotesCsvView",
    "VoteCastView",
]
